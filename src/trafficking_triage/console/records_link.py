"""The link between one console's session and its record store: opened (again) when it
can be, every call written through the recorder on the records thread, the store checked
on the screen's timer, and the records trouble said (NOT SAVED) and cleared."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ..records import RecordsError
from ..records import worker as timing
from ..records.api import RecordsUnwritable, cause_of
from ..records.base import StoreBase
from ..records.recorder import Recorder
from ..records.where import is_center, open_store
from ..records.worker import StoreWorker

if TYPE_CHECKING:
    from ..engine import Call

from .state import SessionState
from .values import Notice

T = TypeVar("T")

PING_EVERY = 3.0
"""Seconds between two checks that the store is there (`keep_alive`)."""


def _must_exist(named: Path | None) -> None:
    """A data directory someone named is used, never made: missing, it is said."""
    from ..paths import missing_directory

    what = missing_directory(named) if named is not None else None
    if what is not None:
        cause = f"the data directory {named} {what} (check the name, or make it)"
        raise RecordsUnwritable(cause, cause)


class RecordsLink(SessionState):
    """The session's link to its record store: one records thread (worker.py), the recorder
    of the call under way, calls waiting to be written, and what the screen says of it (NOT
    SAVED, written again)."""

    def _attach(self, call: Call, call_id: str | None = None) -> None:
        """Record the call from now on: a new one from its first event, a resumed one (its
        lock taken already) from its next. Records that cannot be written now are tried
        again after every action (`_retry`)."""
        self.recorder = self._recorder_for(call, call_id)
        self.in_records = self.recorder is not None

    def _recorder_for(self, call: Call, call_id: str | None = None) -> Recorder | None:
        """A recorder writing `call` from now on, or None (the trouble said) when the records
        cannot be written now."""
        if self.store is None and not self._open_store():
            return None
        assert self.store is not None
        try:
            return Recorder(
                self.store,
                call,
                call_id,
                on_trouble=self._trouble,
                on_recovered=self._recovered,
                worker=self._worker,
            )
        except RecordsError as error:
            self._trouble(cause_of(error))
            return None

    def _use(self, store: StoreBase, console: str | None) -> None:
        store.console = console  # on the lease of each call it holds (a center's store)
        self.store = store
        self._worker = StoreWorker(store)

    def _open_store(self) -> bool:
        """Open the records the console could not open as it started (a full disk, say)."""
        if self.data_dir is None:
            return False
        try:
            _must_exist(self.named_data_dir)
            self._use(open_store(self.store_address, self.data_dir), self.console)
        except RecordsUnwritable as error:
            self._trouble(error.cause)
            return False
        except RecordsError as error:  # damaged, or not ours, since the console opened
            self._trouble(
                str(error) if is_center(self.store_address) else "the records file cannot be used"
            )
            return False
        return True

    def _retry(self, call: Call, store_checked: bool = False) -> None:
        """A call begun while the records could not be written: written in full (from its
        first event) as soon as they can be, then recorded as usual; and the closed calls
        whose last events are still pending."""
        for recorder in list(self.waiting_recorders):
            recorder.flush()
            if recorder.saved:
                recorder.release()
                self.waiting_recorders.remove(recorder)
        for earlier in list(self.waiting_calls):  # calls the console had to move on from
            begun = self._recorder_for(earlier)
            if begun is None:
                break
            self.waiting_calls.remove(earlier)
            if earlier is call:  # the closed call still on screen is in the records now
                self.in_records = True
            if begun.saved:
                begun.release()
            else:
                self.waiting_recorders.append(begun)
        if (
            self.recorder is None
            and call.state.closed is None  # a closed call is in `waiting_calls`, begun from there
            and self.data_dir is not None
            and self.to_record
        ):
            self._attach(call)
        if self.recorder is not None:
            current = (
                self.recorder.saved
                and self.store is not None
                and self.recorder.call_id is not None
                and self.store.is_holding(self.recorder.call_id)  # not a call another console took
            )
        else:  # closed: what it lacks waits in `waiting_recorders` or `waiting_calls`,
            # and the store answered
            current = call.state.closed is not None and store_checked
        saved = current and not self.waiting_recorders and not self.waiting_calls
        if saved and self.records_trouble is not None:
            self._recovered()

    def _ask(self, job: Callable[[StoreBase], T], wait: float | None = None) -> T:
        """`job(store)` on the records' thread: its answer, or NotAnswering after `wait`
        seconds (default `READ_WAIT`)."""
        assert self._worker is not None, "asked only with a store"
        return self._worker.run(job, timing.READ_WAIT if wait is None else wait)

    def let_go(self) -> None:
        """Let go of the call's lock (its console is done with it). A call with events not
        yet written keeps its lock and is written as soon as the records can be; so is one
        that could not even be begun in the records (it waits in `waiting_calls`)."""
        if self.recorder is not None:
            if self.recorder.saved:
                self.recorder.release()
            else:
                self.waiting_recorders.append(self.recorder)
            self.recorder = None
        elif self._begins_later(self.call) and self.call not in self.waiting_calls:
            assert self.call is not None
            self.waiting_calls.append(self.call)

    def _begins_later(self, call: Call | None) -> bool:
        """`call` is kept but has no record yet: the records could not be written as it
        began (a full disk, the center's database out of reach)."""
        return call is not None and self.to_record and not self.in_records and self.recording_wanted

    @property
    def recording_wanted(self) -> bool:
        return self.data_dir is not None

    def quit_question(self) -> tuple[str, str] | None:
        """What to ask before the console quits, or None when nothing would be lost."""
        unsaved = self.unsaved_events()
        if unsaved:
            return (
                f"Quit with {unsaved} events of this console's calls not saved?",
                "They are lost if it quits now; ctrl+s saves the call to another file.",
            )
        if self.call_open() and self.to_record:  # a call with nothing in it leaves no record
            return ("Quit with this call still open?", "It is closed as abandoned.")
        return None

    def unsaved_events(self) -> int:
        """Events of this console's calls not yet in the records (the disk is full, say)."""
        recorders = self._recorders()
        unbegun = [*self.waiting_calls]
        if self._begins_later(self.call) and self.call not in unbegun:
            assert self.call is not None
            unbegun.append(self.call)
        return sum(len(recorder.pending) for recorder in recorders) + sum(
            len(call.events) for call in unbegun
        )

    def end_console(self) -> None:
        """The console ends: what waits is given a moment to be written, then the store is
        closed (a store that does not answer is left to the process's end)."""
        self.let_go()
        if self.store is not None and self._worker is not None:
            with contextlib.suppress(RecordsError):
                self._ask(lambda store: store.close(), wait=2.0)
            self._worker.stop()

    def keep_alive(self) -> None:
        """Every few seconds (the console's timer), while a call is recorded or records wait
        to be written: the store checked (a center's server restarted between two answers is
        found now, and this console's calls held again before another console is offered
        them), and what waits written as soon as the store answers, not at the next key."""
        call, worker = self.call, self._worker
        pending = self._behind()
        if worker is None or (call is not None and call.state.closed is not None and not pending):
            return
        # Said (a notice, the header's NOT SAVED), but no screen follows: a timer must not
        # take a dialog (saving elsewhere, a question before quitting) from the dispatcher.
        self._quiet = True
        try:
            if not worker.idle:
                return  # a store still busy (or hung) is not asked again
            self._pinged = time.monotonic()
            if call is None:  # an unfinished call offered: its lock kept through a restart too
                with contextlib.suppress(RecordsError):
                    self._ask(lambda store: store.keep_alive(), timing.WRITE_WAIT)
                return  # trouble is said once there is a call to lose
            self._ask(lambda store: store.keep_alive(), timing.WRITE_WAIT)
            if self.recorder is not None and not self.recorder.saved:
                self.recorder.flush()
            if pending:
                self._retry(call, store_checked=True)
        except timing.NotAnswering:
            return  # slow, not failed (a center far away): events late are said by `tick`
        except RecordsError as error:
            if self.records_trouble is None:
                self._trouble(cause_of(error))
        finally:
            self._quiet = False

    def tick(self) -> None:
        """The console's timer, four times a second: events the store has not taken in time
        said NOT SAVED (`Recorder.check`), and `keep_alive` every `PING_EVERY` seconds, or at
        once while something waits to be written."""
        self._quiet = True
        try:
            for recorder in self._recorders():
                recorder.check()
        finally:
            self._quiet = False
        waits = self._behind() or (self.recorder is not None and not self.recorder.saved)
        if waits or time.monotonic() - self._pinged >= PING_EVERY:
            self.keep_alive()

    def _recorders(self) -> list[Recorder]:
        """Every recorder with this console's calls: the closed calls' still writing, then
        the call under way's."""
        return [*self.waiting_recorders, *([self.recorder] if self.recorder else [])]

    def records_place(self) -> str:
        """Where this console's calls are written, in a few words for the header: this
        console (its own file), or the center's database named by its host."""
        if is_center(self.store_address):
            where = self.store.where if self.store is not None else ""
            return f"center {where.rsplit(' on ', 1)[-1]}" if " on " in where else "center"
        if self.store is None and self.data_dir is None:
            return "not recorded"
        return "training file" if self.training else "this console"

    def _behind(self) -> bool:
        """The records are behind: trouble said, or closed calls not all written or begun."""
        waiting = self.waiting_recorders or self.waiting_calls
        return self.records_trouble is not None or bool(waiting)

    def _trouble(self, cause: str) -> None:
        first = self.records_trouble is None
        changed = cause != self.records_trouble
        self.records_trouble = cause
        if first:
            self.on_notice(self.trouble_notice())
        if changed and not self._quiet:
            self.on_change()

    def listen(self, on_notice: Callable[[Notice], None]) -> None:
        """Tell `on_notice` what the dispatcher must be told from now on, starting with the
        records trouble the console opened with, if any."""
        self.on_notice = on_notice
        if self.records_trouble is not None:
            on_notice(self.trouble_notice())

    def trouble_notice(self) -> Notice:
        """What the screen says while the records cannot be written (also as the console
        opens, when they could not be opened)."""
        return Notice(
            f"NOT SAVED: {self.records_trouble}. The call goes on in memory; ctrl+s saves it "
            "to another file.",
            "Call records",
            "error",
            30,
        )

    def _recovered(self) -> None:
        self.records_trouble = None
        self.on_notice(Notice("Call records are being written again.", "Call records"))
        if not self._quiet:
            self.on_change()
