"""One console's work, with no screen in it: the protocol and agency settings in force, the
record store and the recorder of the call under way, records trouble, and every action a
dispatcher takes on a call.

The console's App builds one `CallSession` (through `open_session`) and its screens call the
actions; tests drive whole calls through it without a terminal. An action the call cannot take
now comes back as a `Refusal` for the screen to show, never as an exception. When the session
changes, it calls `on_change`; when it has something to tell the dispatcher that no action
returned (the records could not be written, or can again), it calls `on_notice`.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple, TypeVar

from .engine.view import utc_now
from .files import own_directory, write_private
from .protocol.texts import display_modes, local
from .records import CallRow, RecordsError
from .records import worker as timing
from .records.base import StoreBase
from .records.recorder import TROUBLE, Recorder
from .records.store import RecordsUnwritable, cause_of
from .records.where import is_center, open_store, store_address
from .records.worker import StoreWorker

if TYPE_CHECKING:
    from .engine import Call
    from .engine.events import Event, NoAnswer
    from .protocol import LoadedProtocol
    from .settings.loader import LoadedSettings
    from .settings.resolve import ResolvedContact
    from .training.rubric import Rubric
    from .training.scenario import Scenario

Severity = Literal["information", "warning", "error"]
T = TypeVar("T")

PING_EVERY = 3.0
"""Seconds between two checks that the store is there (`keep_alive`)."""


class Refusal(NamedTuple):
    """What could not be done, in words for the screen (never a caller's words)."""

    message: str
    title: str = "Not recorded"
    severity: Severity = "warning"


class Notice(NamedTuple):
    """Something the dispatcher must be told that no action of theirs returned."""

    message: str
    title: str
    severity: Severity = "information"
    seconds: float = 5


class Copied(NamedTuple):
    """The call's narrative, saved under the records, for the clipboard."""

    text: str
    notice: Notice


class Unfinished(NamedTuple):
    """A call left open by a console that is gone (killed, closed, crashed)."""

    row: CallRow
    call: Call | None
    """Its events replayed on the protocol in force; None when they cannot be."""
    not_resumable: str | None
    """Why it cannot be resumed here, or None."""
    answered: int
    where: str
    """The question it stopped on, or the route it had reached, in words."""


CHECKED_PROTOCOL = "checked-protocol.json"
"""In the data directory: the protocol last checked in full (see protocol.loader); safe to
delete, it only saves the next console from reading the YAML and checking the graph."""


class ConsoleError(Exception):
    """The console cannot open as asked (a display language the protocol lacks, no such
    training scenario); the message says why."""


@dataclass(frozen=True)
class ConsoleOptions:
    """What a console is opened with: the command line's choices, resolved to files."""

    protocol: Path | None = None
    """The protocol file; None: the shipped one."""
    agency: Path | None = None
    """The agency settings file; None: no settings (every agency contact NOT CONFIGURED)."""
    data_dir: Path | None = None
    """Where call records are kept; None: nothing is recorded (previews, tests)."""
    data_dir_named: bool = False
    """The data directory was named (`--data-dir`, the environment): it is used, never made.
    Missing (a mistyped name, a share not mounted), the console opens NOT SAVED and says
    why, and writes the calls there once it exists."""
    store: str | None = None
    """The records' address (`postgresql://...` for a center's database); None: the data
    directory's own store. Training calls always stay in the data directory."""
    lang: str | None = None
    console: str | None = None
    dispatcher: str | None = None
    context: Mapping[str, str] = field(default_factory=dict)
    """What a CAD passed in: incident, location, callback."""
    training: bool = False
    scenario: str | None = None
    """A scenario id or file to play; None in training: pick one from the list."""
    scenarios: Path | None = None
    """The scenario folder; None: the one beside the protocol."""
    presenter: bool = False
    resume: bool = True
    """Offer an unfinished call left by a console that is gone (off for `serve`'s tabs)."""
    text_calls: bool = False
    """The console takes text-to-911 (or TTY) sessions: each call is yes/no from its first
    question, with typed answers taken, and the routes' words for a texter."""
    clock: Callable[[], datetime] = utc_now
    blink: bool = True
    """The answer field's cursor blinks (off for pictures of the screen)."""


def open_session(options: ConsoleOptions) -> CallSession:
    """Check the protocol and settings, load the scenarios, then open the record store (so a
    bad file is reported before the data directory is touched). Raises FileProblems with
    every problem of a file, ConsoleError or RecordsError."""
    from .protocol import load_protocol

    checked = options.data_dir / CHECKED_PROTOCOL if options.data_dir is not None else None
    loaded = load_protocol(options.protocol, checked=checked)
    displays = display_modes(loaded.protocol.protocol.languages)
    if options.lang is not None and options.lang not in displays:
        raise ConsoleError(f"--lang {options.lang}: this protocol has {', '.join(displays)}")
    settings = None
    if options.agency is not None:
        from .settings.loader import load_settings

        settings = load_settings(options.agency)
    scenarios = _scenarios(options, loaded) if options.training else []
    rubric = None
    if options.training:
        from .training.rubric import load_rubric

        rubric = load_rubric(_scenario_folder(options, loaded))
    store: StoreBase | None = None
    unwritable: RecordsUnwritable | None = None
    data_dir = None
    center = settings.settings.store if settings is not None else None
    address = None if options.training else store_address(options.store, center)
    if options.data_dir is not None:
        from .records.where import records_dir

        data_dir = records_dir(options.data_dir, options.training)
        try:
            _must_exist(options.data_dir if options.data_dir_named else None)
            store = open_store(address, data_dir)
        except RecordsUnwritable as error:
            unwritable = error  # the console opens all the same: calls go on, unsaved
        except RecordsError as error:
            if not is_center(address):
                raise
            # A center's store set up wrong (its tables not made, a role that may only read,
            # no driver): calls still come in. The console opens, NOT SAVED, and says why.
            unwritable = RecordsUnwritable(str(error), str(error))
    session = CallSession(
        loaded,
        settings=settings,
        store=store,
        clock=options.clock,
        console=options.console,
        dispatcher=options.dispatcher,
        context=dict(options.context),
        language=options.lang,
        training=options.training,
        scenarios=scenarios,
        rubric=rubric,
        presenter=options.presenter,
        data_dir=data_dir,
        store_address=address,
        named_data_dir=options.data_dir if options.data_dir_named else None,
        resume=options.resume,
        text_calls=options.text_calls,
    )
    if unwritable is not None:
        session.records_trouble = unwritable.cause
    return session


def _must_exist(named: Path | None) -> None:
    """A data directory someone named is used, never made: missing, it is said."""
    from .paths import missing_directory

    what = missing_directory(named) if named is not None else None
    if what is not None:
        cause = f"the data directory {named} {what} (check the name, or make it)"
        raise RecordsUnwritable(cause, cause)


def _scenarios(options: ConsoleOptions, loaded: LoadedProtocol) -> list[Scenario]:
    """The scenario asked for, else every scenario of the folder (all problems at once)."""
    from .training.scenario import load_scenario, load_scenarios

    wanted = options.scenario
    if wanted is not None and Path(wanted).is_file():
        return [load_scenario(Path(wanted), loaded)]
    folder = _scenario_folder(options, loaded)
    found = load_scenarios(folder, loaded)
    if wanted is not None:
        chosen = [s for s in found if s.id == wanted]
        if not chosen:
            ids = ", ".join(s.id for s in found) or "none"
            raise ConsoleError(f"no scenario called '{wanted}' in {folder} (there are: {ids})")
        return chosen
    if not found:
        raise ConsoleError(f"no scenarios in {folder}")
    return found


def _scenario_folder(options: ConsoleOptions, loaded: LoadedProtocol) -> Path:
    """The folder the scenarios (and the debrief's rubric beside them) come from."""
    wanted = options.scenario
    if wanted is not None and Path(wanted).is_file():
        return Path(wanted).parent
    return options.scenarios or loaded.scenarios


class CallSession:
    def __init__(
        self,
        loaded: LoadedProtocol,
        *,
        settings: LoadedSettings | None = None,
        store: StoreBase | None = None,
        clock: Callable[[], datetime] = utc_now,
        console: str | None = None,
        dispatcher: str | None = None,
        context: dict[str, str] | None = None,
        language: str | None = None,
        training: bool = False,
        scenarios: list[Scenario] | None = None,
        rubric: Rubric | None = None,
        resume: bool = True,
        presenter: bool = False,
        data_dir: Path | None = None,
        store_address: str | None = None,
        named_data_dir: Path | None = None,
        text_calls: bool = False,
    ) -> None:
        """`data_dir`: where the records are kept (or, with `store_address`, the console's own
        files), to open them later should they not be writable as the console opens (`store`
        is then None and `records_trouble` says why)."""
        from .settings.resolve import missing_settings, resolve_contacts

        agency = settings.settings if settings is not None else None
        self.loaded = loaded
        self.protocol = loaded.protocol
        self.settings = settings
        self.contacts: dict[str, ResolvedContact] = resolve_contacts(loaded.protocol, agency)
        """The protocol's contacts with the agency's numbers filled in."""
        self.missing_settings = missing_settings(loaded.protocol, agency)
        """Short names of the agency contacts not set yet (warned of on the call screen)."""
        self.store: StoreBase | None = None
        self._worker: StoreWorker | None = None
        """The one thread that talks to the store (so the screen never waits on it)."""
        if store is not None:
            self._use(store, console)
        self._pinged = 0.0
        self.data_dir = data_dir if data_dir is not None else getattr(store, "directory", None)
        self.store_address = store_address
        self.named_data_dir = named_data_dir
        """A data directory someone named: never made by the console, only used."""
        self.clock = clock
        self.console = console
        self.dispatcher = dispatcher
        self.context = context or {}
        self.languages = list(loaded.protocol.protocol.languages)
        self.language = language or self.languages[0]
        """The display the next call starts in (en, es, es+en)."""
        self.scenarios = scenarios or []
        self.rubric = rubric
        """The debrief's weights (training only; None: the defaults)."""
        self.offers_unfinished = resume
        """At the first call, an unfinished call is offered to resume or close."""
        self.training = training or bool(self.scenarios)
        self.scenario: Scenario | None = self.scenarios[0] if len(self.scenarios) == 1 else None
        """The training scenario being played; None until one is picked."""
        self.text_calls = text_calls
        """Every call on this console is a text-to-911 call (see ConsoleOptions)."""
        self.presenter = presenter
        """Training with the why and source of each question in view, for a projector."""
        self.call: Call | None = None
        self.kept = False
        """The call under way keeps a record: something was said or done on it."""
        self.begun = False
        """The call under way is in the records (begun there, or resumed from them)."""
        self.recorder: Recorder | None = None
        self._quiet = False
        """Records trouble found by the timer (`keep_alive`): said, with no screen change."""
        self.unsaved: list[Recorder] = []
        """Closed calls whose last events could not be written yet: tried again after every
        action."""
        self.unbegun: list[Call] = []
        """Closed calls that could not be begun in the records at all: begun, in full, after
        every action until they are."""
        self.records_trouble: str | None = None
        """Why the call records cannot be written right now; None while all is saved."""
        self.on_change: Callable[[], None] = lambda: None
        self.on_notice: Callable[[Notice], None] = lambda _notice: None

    # -- what the screens read --------------------------------------------------------------
    def call_open(self) -> bool:
        return self.call is not None and self.call.state.closed is None

    def recording(self) -> bool:
        """The call under way is in the record store (so it has an id and a narrative)."""
        return self.recorder is not None

    def caller_says(self, question: str) -> str | None:
        """In training, what the scripted caller says to `question`."""
        scenario = self.scenario
        if scenario is None:
            return None
        if self.call is not None and scenario.hangs_up_after is not None:
            asked = {given.question for given in self.call.state.answers}
            if scenario.hangs_up_after in asked and question != scenario.hangs_up_after:
                return "(The line goes dead: the caller has hung up.)"
        reply = scenario.caller.replies.get(question)
        return reply.say if reply is not None else scenario.caller.default

    def choosing_scenario(self) -> bool:
        return self.training and self.scenario is None

    def prepare(self) -> None:
        """Work out what the protocol's calls can reach, once, before the first answer needs it
        (about 50 ms for the shipped protocol; every later check is a look-up). The App runs
        it in a thread once its first frame is out."""
        from .engine.reach import reach_for

        reach = reach_for(self.protocol)
        reach.outcomes(reach.state(self.protocol.protocol.start, False, []))

    # -- starting, resuming, closing --------------------------------------------------------
    def start(self) -> Call:
        """A new call (the last one's lock let go). It is recorded, from its first event, once
        something is said or done on it (`keeps_a_record`): a call quit with nothing in it
        leaves no record."""
        from .engine import Call

        self.finish()
        call = Call.start(
            self.protocol,
            self.loaded.sha256,
            clock=self.clock,
            console=self.console,
            dispatcher=self.dispatcher,
            context=self.context,  # the CAD's incident: this call's, never the next one's
            language=self.language,
            settings=(str(self.settings.path), self.settings.sha256) if self.settings else None,
            training=self.training,
            scenario=self.scenario.id if self.scenario is not None else None,
            text_call=self.text_calls
            or (self.scenario is not None and self.scenario.yes_no_from_start),
        )
        self.context = {}  # the next call is another incident, with no CAD context of its own
        self.call = call
        self.kept = self.begun = False
        call.listeners.append(self._keep_from_first_word)
        self.on_change()
        return call

    def _keep_from_first_word(self, event: Event) -> None:
        """Start recording the call at the first event that keeps a record (written with every
        event before it)."""
        from .engine.events import keeps_a_record

        call = self.call
        if call is None or self.kept or not keeps_a_record(event):
            return
        call.listeners.remove(self._keep_from_first_word)
        self.kept = True
        self._attach(call)

    def _attach(self, call: Call, call_id: str | None = None) -> None:
        """Record the call from now on: a new one from its first event, a resumed one (its
        lock taken already) from its next. Records that cannot be written now are tried
        again after every action (`_retry`)."""
        self.recorder = self._recorder_for(call, call_id)
        self.begun = self.recorder is not None

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
        except TROUBLE as error:
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
        for recorder in list(self.unsaved):
            recorder.flush()
            if recorder.saved:
                recorder.finish()
                self.unsaved.remove(recorder)
        for earlier in list(self.unbegun):  # calls the console had to move on from
            begun = self._recorder_for(earlier)
            if begun is None:
                break
            self.unbegun.remove(earlier)
            if earlier is call:  # the closed call still on screen is in the records now
                self.begun = True
            if begun.saved:
                begun.finish()
            else:
                self.unsaved.append(begun)
        if (
            self.recorder is None
            and call.state.closed is None  # a closed call is in `unbegun`, begun from there
            and self.data_dir is not None
            and self.kept
        ):
            self._attach(call)
        if self.recorder is not None:
            current = (
                self.recorder.saved
                and self.store is not None
                and self.recorder.call_id is not None
                and self.store.holds(self.recorder.call_id)  # not a call another console took
            )
        else:  # closed: what it lacks waits in `unsaved` or `unbegun`; the store answered
            current = call.state.closed is not None and store_checked
        saved = current and not self.unsaved and not self.unbegun
        if saved and self.records_trouble is not None:
            self._recovered()

    def pick(self, scenario: Scenario | None) -> None:
        """Play `scenario` (a training call); None (nothing picked) changes nothing."""
        if scenario is not None:
            self.scenario = scenario
            self.start()

    def next_call(self) -> None:
        """After a call: the next one, or after a debrief with several scenarios, the list."""
        if len(self.scenarios) > 1:
            self.finish()
            self.scenario = None
            self.call = None
            self.on_change()
            return
        self.start()

    def unfinished(self) -> Unfinished | None:
        """The first call left open by a console that is gone, to resume or close: in
        training, a training call (kept in a store of their own); at a dispatcher's console,
        never one."""
        if self.store is None or not self.offers_unfinished:
            return None

        def first(store: StoreBase) -> tuple[CallRow, list[Event] | None] | None:
            for row in store.unfinished(training=self.training):
                # Held from the offer on, so no console opened meanwhile is offered it too;
                # let go of when it is closed here, or when this console ends.
                if not store.hold(row.id):
                    continue  # another console was offered it a moment ago
                try:
                    if store.row(row.id).status == "open":
                        return row, self._events(store, row)
                except BaseException:
                    store.release(row.id)  # not offered: left to the next console
                    raise
                store.release(row.id)
            return None

        try:
            found = self._ask(first)
        except TROUBLE as error:
            self._trouble(cause_of(error))  # said on screen; a new call starts all the same
            return None
        if self.store is not None and self.store.anomalies:
            count = len(self.store.anomalies)
            self.on_notice(
                Notice(
                    f"{count} call record{'s' if count > 1 else ''} in the store cannot be "
                    f"read and {'were' if count > 1 else 'was'} left out; `records list` names "
                    "them for the supervisor.",
                    "Call records",
                    "warning",
                    15,
                )
            )
        return self._replayed(*found) if found is not None else None

    def _events(self, store: StoreBase, row: CallRow) -> list[Event] | None:
        """The call's events, to replay; None when they cannot be read or are another
        protocol's."""
        if row.protocol_sha256 != self.loaded.sha256:
            return None
        try:
            return store.events(row.id)
        except ValueError:  # an event that cannot be read
            return None

    def _ask(self, job: Callable[[StoreBase], T], wait: float | None = None) -> T:
        """`job(store)` on the records' thread: its answer, or NotAnswering after `wait`
        seconds (default `READ_WAIT`)."""
        assert self._worker is not None, "asked only with a store"
        return self._worker.run(job, timing.READ_WAIT if wait is None else wait)

    def _replayed(self, row: CallRow, events: list[Event] | None) -> Unfinished:
        from .engine import Call, CallError

        call: Call | None = None
        why: str | None = None
        if row.protocol_sha256 != self.loaded.sha256:
            why = (
                f"it was taken with protocol {row.protocol_id} {row.protocol_version}, "
                "not the one loaded now"
            )
        else:
            try:
                if events is None:
                    raise ValueError("its events cannot be read")
                call = Call(self.protocol, events, clock=self.clock)
            except (CallError, KeyError, ValueError):  # or an event that cannot be read
                why = "its events do not replay on this protocol"
        started = call.state.started if call is not None else None
        played = started.scenario if started is not None else None
        if why is None and self.training and played not in {s.id for s in self.scenarios}:
            # Played on with another scenario's caller, it would be scored against the wrong
            # script: only a console that has its scenario resumes it.
            why = (
                f"it plays scenario '{played}', which this training console has not loaded "
                f"(train {played} resumes it)"
                if played
                else "it does not say which scenario it plays"
            )
        where = "unknown"
        if call is not None and call.state.prompt is not None:
            where = local(call.state.prompt.text, "en")  # as it was put to this caller
        elif call is not None and call.state.route is not None:
            where = f"route reached: {self.protocol.outcomes[call.state.route.outcome].title}"
        answered = len(call.state.answers) if call is not None else 0
        return Unfinished(row, call, why, answered, where)

    def resume(self, found: Unfinished) -> Refusal | None:
        """Take the call over where it stopped, holding its lock from now on."""
        taken = self._take(found)
        if isinstance(taken, Refusal):
            return taken
        assert taken is not None, "a call taken to resume replays"
        self.finish()
        started = taken.state.started
        if self.training and started is not None:  # play on the scenario it was taken with
            self.scenario = next(s for s in self.scenarios if s.id == started.scenario)
        self.call = taken
        self.kept = True
        self._attach(taken, found.row.id)
        self.on_change()
        return None

    def close_unfinished(self, found: Unfinished) -> Refusal | None:
        """Close the call as interrupted without resuming it: under its lock, through the
        store's own close, so a console that resumed it meanwhile is never closed under."""
        taken = self._take(found, resumable=False)
        if isinstance(taken, Refusal):
            return taken
        call_id, at = found.row.id, self.clock()

        def close(store: StoreBase) -> None:  # `taken` is this job's own replay of the call
            try:
                store.close_as(call_id, "interrupted", taken, at=at)
            finally:
                store.release(call_id)

        try:
            self._ask(close)
        except TROUBLE as error:
            self._trouble(cause_of(error))
        return None

    def _take(self, found: Unfinished, resumable: bool = True) -> Call | Refusal | None:
        """The call's lock, then its events read again under it: another console may have
        resumed or closed it since it was offered."""
        from .engine import Call, CallError

        if resumable and found.not_resumable is not None:
            return Refusal(f"This call cannot be resumed here: {found.not_resumable}.")
        call_id = found.row.id

        def take(store: StoreBase) -> Call | Refusal | None:
            if not store.hold(call_id):
                return Refusal("Another console has just taken that call.", title="Unfinished call")
            try:
                if store.row(call_id).status != "open":
                    store.release(call_id)
                    closed = "Another console has just closed that call."
                    return Refusal(closed, title="Unfinished call")
                if found.row.protocol_sha256 != self.loaded.sha256 and not resumable:
                    return None  # taken with another protocol: closed without replaying it here
                return Call(self.protocol, store.events(call_id), clock=self.clock)
            except (CallError, KeyError, ValueError):  # events that do not replay, or unreadable
                if resumable:
                    store.release(call_id)
                    return Refusal("This call cannot be resumed here: its events do not replay.")
                return None
            except TROUBLE:
                store.release(call_id)
                raise

        try:
            return self._ask(take)
        except TROUBLE as error:
            return Refusal(f"The records cannot be reached: {cause_of(error)}.")

    def close(self) -> Refusal | None:
        """Close the call as completed (its open steps are recorded with it)."""
        return self._act(lambda call: call.close("completed"))

    def abandon(self) -> None:
        """Quitting with the call open: it is closed as abandoned, and kept."""
        if self.call_open():
            self._act(lambda call: call.close("abandoned"))

    def finish(self) -> None:
        """Let go of the call's lock (its console is done with it). A call with events not
        yet written keeps its lock and is written as soon as the records can be; so is one
        that could not even be begun in the records (it waits in `unbegun`)."""
        if self.recorder is not None:
            if self.recorder.saved:
                self.recorder.finish()
            else:
                self.unsaved.append(self.recorder)
            self.recorder = None
        elif self._begins_later(self.call) and self.call not in self.unbegun:
            assert self.call is not None
            self.unbegun.append(self.call)

    def _begins_later(self, call: Call | None) -> bool:
        """`call` is kept but has no record yet: the records could not be written as it
        began (a full disk, the center's database out of reach)."""
        return call is not None and self.kept and not self.begun and self.recording_wanted

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
        if self.call_open() and self.kept:  # a call with nothing in it leaves no record
            return ("Quit with this call still open?", "It is closed as abandoned.")
        return None

    def unsaved_events(self) -> int:
        """Events of this console's calls not yet in the records (the disk is full, say)."""
        recorders = [*self.unsaved, *([self.recorder] if self.recorder else [])]
        unbegun = [*self.unbegun]
        if self._begins_later(self.call) and self.call not in unbegun:
            assert self.call is not None
            unbegun.append(self.call)
        return sum(len(recorder.pending) for recorder in recorders) + sum(
            len(call.events) for call in unbegun
        )

    def shut(self) -> None:
        """The console ends: what waits is given a moment to be written, then the store is
        closed (a store that does not answer is left to the process's end)."""
        self.finish()
        if self.store is not None and self._worker is not None:
            with contextlib.suppress(*TROUBLE):
                self._ask(lambda store: store.close(), wait=2.0)
            self._worker.stop()

    # -- the call's actions -----------------------------------------------------------------
    def answer(self, value: str, question: str | None = None) -> Refusal | None:
        """Record an answer; one meant for a question no longer asked is ignored."""
        if not self._still_asked(question):
            return None
        return self._act(lambda call: call.answer(value))

    def not_answered(self, how: NoAnswer, question: str | None = None) -> Refusal | None:
        """The caller does not know, or declines to say (meant for `question`, as `answer`)."""
        if not self._still_asked(question):
            return None
        return self._act(lambda call: call.not_answered(how))

    def _still_asked(self, question: str | None) -> bool:
        call = self.call
        prompt = call.state.prompt if call is not None else None
        return question is None or (prompt is not None and prompt.question == question)

    def switch_yes_no(self) -> bool | None:
        """Yes/no mode on or off, by the dispatcher: the mode now, or None with no call."""
        call = self.call
        if call is None or not self.call_open():
            return None
        self._act(lambda call: call.switch_yes_no())
        return call.yes_no_only()

    def back(self, to: str | None = None, *, acts: bool = True) -> Refusal | None:
        """Back to `to` (default: the previous question; with `acts`, the last thing done
        is taken back when it was the danger-now key or the ending of the questions)."""
        call = self.call
        if call is None or (to is None and call.back_target(acts=acts) is None):
            return Refusal(
                "This is the first question: there is nothing to go back to.", title="Back"
            )
        return self._act(lambda call: call.back(to, acts=acts))

    def would_drop(self, to: str) -> int | None:
        """How many later answers fall away by going back to `to`; None if it cannot."""
        from .engine import CallError

        if self.call is None:
            return None
        try:
            return len(self.call.would_drop(to)) - 1
        except CallError:
            return None  # a trail choice overtaken by a key pressed just before it

    def escalate(self) -> Refusal | None:
        if not self.call_open():
            return None
        return self._act(lambda call: call.escalate())

    def toggle_step(self, number: int) -> Refusal | None:
        call = self.call
        if call is None or number not in {step.number for step in self.protocol.steps}:
            return None
        done = number not in call.state.ticked
        return self._act(lambda call: call.tick(number, done))

    def end_questioning(self) -> Refusal | None:
        """Once the route has settled: end the questions there (those left are recorded)."""
        return self._act(lambda call: call.end_questioning())

    def hang_up(self) -> Refusal | None:
        """The caller hung up: the questions end here, on the route for what is known."""
        call = self.call
        if call is None or not self.call_open() or call.state.prompt is None:
            return None
        return self._act(lambda call: call.hang_up())

    def note(self, text: str) -> Refusal | None:
        return self._act(lambda call: call.note(text))

    def switch_language(self) -> str | None:
        """The next display (English, Spanish, Spanish with English beneath, ...); the next
        call starts in it too. None when there is no call to switch."""
        call = self.call
        if call is None or not self.call_open():
            return None
        modes = display_modes(self.languages)
        current = call.state.language
        following = modes[(modes.index(current) + 1) % len(modes)] if current in modes else modes[0]
        self.language = following
        self._act(lambda call: call.switch_language(following))
        return following

    def _act(self, action: Callable[[Call], object]) -> Refusal | None:
        from .engine import CallError

        call = self.call
        if call is None:
            return None
        try:
            action(call)
        except CallError as refusal:
            self.on_change()
            return Refusal(str(refusal))
        if self.records_trouble is not None or self.unsaved or self.unbegun:
            self._retry(call)
        if call.state.closed is not None:
            self.finish()
        self.on_change()
        return None

    # -- records ---------------------------------------------------------------------------
    def keep_alive(self) -> None:
        """Every few seconds (the console's timer), while a call is recorded or records wait
        to be written: the store checked (a center's server restarted between two answers is
        found now, and this console's calls held again before another console is offered
        them), and what waits written as soon as the store answers, not at the next key."""
        call, worker = self.call, self._worker
        pending = self.records_trouble is not None or bool(self.unsaved or self.unbegun)
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
                with contextlib.suppress(*TROUBLE):
                    self._ask(lambda store: store.keep_alive(), timing.WRITE_WAIT)
                return  # trouble is said once there is a call to lose
            self._ask(lambda store: store.keep_alive(), timing.WRITE_WAIT)
            if self.recorder is not None and not self.recorder.saved:
                self.recorder.flush()
            if pending:
                self._retry(call, store_checked=True)
        except timing.NotAnswering:
            return  # slow, not failed (a center far away): events late are said by `tick`
        except TROUBLE as error:
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
            for recorder in [*self.unsaved, *([self.recorder] if self.recorder else [])]:
                recorder.check()
        finally:
            self._quiet = False
        waits = self.records_trouble is not None or bool(self.unsaved or self.unbegun)
        waits = waits or (self.recorder is not None and not self.recorder.saved)
        if waits or time.monotonic() - self._pinged >= PING_EVERY:
            self.keep_alive()

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

    def save_suggestion(self) -> Path:
        """Where ctrl+s proposes to save the call: a name of its own for each call."""
        call_id = self.recorder.call_id if self.recorder is not None else None
        if call_id is None and self.call is not None and self.call.state.started is not None:
            call_id = f"unsaved-{self.call.state.started.at.astimezone():%Y%m%d-%H%M%S}"
        return Path.home() / f"call-{call_id or 'unsaved'}.json"

    def save_elsewhere(self, path: Path) -> Refusal | Notice:
        """Every event of the call, as JSON, to a new owner-only file (never over another)."""
        from .reports.export import as_json

        call = self.call
        if call is None:
            return Refusal("There is no call to save.", title="Not saved")
        try:
            write_private(path, as_json(None, call))
        except FileExistsError:
            return Refusal(
                f"{path} exists already; nothing was written. Choose another name.",
                title="Not saved",
                severity="error",
            )
        except OSError as error:
            return Refusal(
                f"Could not write {path}: {error.strerror or error}",
                title="Not saved",
                severity="error",
            )
        return Notice(f"The whole call was saved to {path}", "Saved")

    def narrative(self) -> Copied | Refusal:
        """The call as plain text for the CAD remarks, saved to a private file under the
        records: the text (for the clipboard) and what to tell the dispatcher."""
        from .reports.export import narrative

        call, recorder, store = self.call, self.recorder, self.store
        if call is None or recorder is None or store is None or self.data_dir is None:
            return Refusal("This call is not being recorded: nothing to copy.", title="Narrative")
        call_id = recorder.call_id
        if call_id is None:
            return Refusal(
                "This call is not in the records yet: nothing to copy.", title="Narrative"
            )
        try:
            row = self._ask(lambda store: store.row(call_id))
        except TROUBLE as error:
            why = f"Could not read the call's record: {cause_of(error)}."
            return Refusal(why, title="Narrative")
        text = narrative(row, call)
        folder = self.data_dir / "exports"
        path = folder / f"{call_id}.txt"
        try:
            own_directory(folder)
            write_private(path, text, replace=True)
        except OSError as error:
            return Refusal(
                f"Could not write the narrative: {error.strerror or error}",
                title="Narrative",
                severity="error",
            )
        return Copied(text, Notice(f"Copied to the clipboard and saved to {path}", "Narrative"))
