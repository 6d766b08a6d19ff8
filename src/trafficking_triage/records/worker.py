"""The one thread that talks to the record store for a console, so the screen never waits on it.

A center's server can hang (its process stopped, a network that swallows packets) for as long
as it likes; a disk on a network share too. Every store call of a console goes through this
worker, one at a time and in the order given, so one call's events are never reordered. The
screen waits for an answer only `WRITE_WAIT` seconds: a store that answers in that time (a
commit takes a millisecond or two) behaves as if called directly; one that does not is left to
finish in the background, and the events it was writing stay in the recorder's queue (NOT
SAVED once they have waited `NOT_SAVED_AFTER` seconds)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as Late
from typing import TYPE_CHECKING, TypeVar

from .api import RecordsUnwritable

if TYPE_CHECKING:
    from .base import StoreBase

T = TypeVar("T")

WRITE_WAIT = 0.05
"""Seconds a key waits for a write (and the timer for a check of the store) to come back."""
READ_WAIT = 1.0
"""Seconds the dispatcher waits for a read asked for by a key (the narrative, an unfinished
call taken): said as "not answering" after that."""
NOT_SAVED_AFTER = 1.5
"""Seconds an event may wait for the store before the screen says NOT SAVED."""

_NOT_ANSWERING = "the records are not answering"


def _STOP(_store: StoreBase) -> None:
    """Put last in the queue: the thread ends there."""


class NotAnswering(RecordsUnwritable):
    """The store has not answered within the wait; the work goes on in the background."""

    def __init__(self, where: str, waited: float) -> None:
        cause = f"{_NOT_ANSWERING} (no reply within {waited:g} s)"
        super().__init__(cause, f"{where}: {cause}")


class StoreWorker:
    """A daemon thread running store work in order; a hung store never holds the process
    at its exit."""

    def __init__(self, store: StoreBase) -> None:
        self.store = store
        self._jobs: queue.SimpleQueue[tuple[Callable[[StoreBase], object], Future[object]]]
        self._jobs = queue.SimpleQueue()
        self._busy = 0
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._work, name="records", daemon=True)
        self._thread.start()

    def _work(self) -> None:
        while True:
            job, future = self._jobs.get()
            if job is _STOP:
                return
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(job(self.store))
                except BaseException as error:  # handed to whoever waits on it
                    future.set_exception(error)
            with self._lock:
                self._busy -= 1

    def submit(self, job: Callable[[StoreBase], T]) -> Future[T]:
        future: Future[T] = Future()
        with self._lock:
            self._busy += 1
        self._jobs.put((job, future))  # type: ignore[arg-type]
        return future

    def run(self, job: Callable[[StoreBase], T], wait: float) -> T:
        """`job(store)` on the worker; its result or its error, or NotAnswering when it has
        not come back within `wait` seconds (it still runs, later)."""
        future = self.submit(job)
        try:
            return future.result(timeout=wait)
        except Late:
            raise NotAnswering(self.store.where, wait) from None

    def stop(self) -> None:
        """End the thread once the work handed over so far is done."""
        self._jobs.put((_STOP, Future()))

    @property
    def idle(self) -> bool:
        with self._lock:
            return self._busy == 0

    def drain(self, wait: float) -> bool:
        """Wait up to `wait` seconds for every job handed over so far; True if all done."""
        try:
            self.submit(lambda _store: None).result(timeout=wait)
        except Late:
            return False
        return True
