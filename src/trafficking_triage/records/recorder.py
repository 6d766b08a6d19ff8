"""Writing one call's events to the store as they happen, and surviving a store that fails.

A full disk or a vanished directory must never stop a call: the event stays in memory, the
dispatcher is told, and the next event tries again to write everything still pending. With a
worker (worker.py, the console's), the writing happens on the records' thread: a store that
hangs keeps the events queued here, and the screen goes on.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as Late
from typing import TYPE_CHECKING

from . import worker as timing
from .api import RecordsError, Written, cause_of
from .base import written

if TYPE_CHECKING:
    from ..engine import Call
    from ..engine.events import Event
    from .base import StoreBase
    from .worker import StoreWorker


class Recorder:
    def __init__(
        self,
        store: StoreBase,
        call: Call,
        call_id: str | None = None,
        on_trouble: Callable[[str], None] = lambda _: None,
        on_recovered: Callable[[], None] = lambda: None,
        worker: StoreWorker | None = None,
    ) -> None:
        """Begin the call in the store (or, with `call_id`, go on with one taken already).
        Raises what the store raises when it answers with an error; a worker's store that
        does not answer in time begins it in the background."""
        self.store = store
        self.call = call
        self.worker = worker
        self.on_trouble = on_trouble
        self.on_recovered = on_recovered
        self._lock = threading.Lock()
        self.pending: list[tuple[Event, str | None]] = []
        """Events not yet in the store, each with the call's route as it happened."""
        self.waiting_since: float | None = None
        """When (time.monotonic) the oldest pending event was handed to the store."""
        self.error: str | None = None
        """Why the last write failed (safe to show); None after one that worked."""
        self.troubled = False
        self._writing: Future[None] | None = None
        """The last write handed to the worker."""
        self.call_id = call_id
        self._first: Written | None = written(call) if call_id is None else None
        if call_id is None:
            self._wait(self._submit(self._begin), raising=True)
        if self.call_id is not None and not store.is_holding(self.call_id):
            raise RecordsError(f"another console holds call {self.call_id}")
        call.listeners.append(self.write)

    @property
    def saved(self) -> bool:
        with self._lock:
            return not self.pending and self.call_id is not None

    def write(self, event: Event) -> None:
        route = self.call.state.route.outcome if self.call.state.route is not None else None
        with self._lock:
            if not self.pending:
                self.waiting_since = time.monotonic()
            self.pending.append((event, route))
        self.flush()

    def flush(self) -> None:
        """Write every event still pending, in order; stop at the first that fails. With a
        worker, wait for it only a moment (`check` says later what became of it)."""
        if self.saved:
            return
        late = self._writing is not None and not self._writing.done()
        self._writing = self._submit(self._drain)
        if not late:  # a store already late is not waited for again: the key goes on
            self._wait(self._writing, raising=False)

    def check(self) -> None:
        """On the screen's timer: say NOT SAVED for events the store has not taken within
        `NOT_SAVED_AFTER` seconds, or that it refused; say when all are written again."""
        with self._lock:
            since, error = self.waiting_since, self.error
        late = since is not None and time.monotonic() - since > timing.NOT_SAVED_AFTER
        if error is not None:
            self._troubled(error)
        elif late:
            self._troubled(timing.NotAnswering(self.store.where, timing.NOT_SAVED_AFTER).cause)
        elif self.troubled and self.saved:
            self.troubled = False
            self.on_recovered()

    def release(self) -> None:
        call_id = self.call_id
        if call_id is not None:
            self._submit(lambda store: store.release(call_id))

    # -- on the records' thread (or this one, with no worker) -------------------------------
    def _submit(self, job: Callable[[StoreBase], None]) -> Future[None]:
        if self.worker is not None:
            return self.worker.submit(job)
        done: Future[None] = Future()
        try:
            job(self.store)
            done.set_result(None)
        except RecordsError as error:
            done.set_exception(error)
        return done

    def _wait(self, future: Future[None], *, raising: bool) -> None:
        try:
            future.result(timeout=timing.WRITE_WAIT)
        except Late:
            return  # still writing: `check` tells
        except RecordsError as error:
            if raising:
                raise
            self._troubled(cause_of(error))
            return
        if self.troubled and self.saved:
            self.troubled = False
            self.on_recovered()

    def _troubled(self, cause: str) -> None:
        self.troubled = True
        self.on_trouble(cause)

    def _begin(self, store: StoreBase) -> None:
        if self.call_id is None and self._first is not None:
            self.call_id = store.begin(self._first)
            self._first = None

    def _drain(self, store: StoreBase) -> None:
        try:
            self._begin(store)
            assert self.call_id is not None
            while True:
                with self._lock:
                    if not self.pending:
                        self.waiting_since = None
                        self.error = None
                        return
                    event, route = self.pending[0]
                assert self.call.state.started is not None
                store.append(self.call_id, event, Written(self.call.state.started, (), route))
                with self._lock:
                    self.pending.pop(0)
                    self.waiting_since = time.monotonic() if self.pending else None
        except RecordsError as error:
            # The cause (disk full, no permission) is safe to show; the event never is.
            with self._lock:
                self.error = cause_of(error)
            raise
