"""One console's work, with no screen in it: the protocol and agency settings in force, the
record store and the recorder of the call under way, records trouble, and every action a
dispatcher takes on a call.

The console's App builds one `CallSession` (through `open_session`) and its screens call the
actions; tests drive whole calls through it without a terminal. An action the call cannot take
now comes back as a `Refusal` for the screen to show, never as an exception. When the session
changes, it calls `on_change`; when it has something to tell the dispatcher that no action
returned (the records could not be written, or can again), it calls `on_notice`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..engine.view import utc_now
from ..protocol.texts import display_modes
from ..records.base import StoreBase
from ..records.recorder import Recorder
from ..records.worker import StoreWorker

if TYPE_CHECKING:
    from ..engine import Call
    from ..engine.events import Event, NoAnswer
    from ..protocol import LoadedProtocol
    from ..settings.loader import LoadedSettings
    from ..settings.resolve import ResolvedContact
    from ..training.rubric import Rubric
    from ..training.scenario import Scenario
    from .cad import ContextFile

from .outputs import Outputs
from .unfinished import UnfinishedCalls
from .values import Notice, Refusal


class CallSession(UnfinishedCalls, Outputs):
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
        from ..settings.resolve import missing_settings, resolve_contacts

        agency = settings.settings if settings is not None else None
        self.loaded = loaded
        self.protocol = loaded.protocol
        self.settings = settings
        self.contacts: dict[str, ResolvedContact] = resolve_contacts(loaded.protocol, agency)
        """The protocol's contacts with the agency's numbers filled in."""
        self.missing_settings = missing_settings(loaded.protocol, agency)
        """Short names of the agency contacts not set yet (warned of on the call screen)."""
        self.context_file: ContextFile | None = None
        """The CAD's file of each call's details, read again as each new call starts."""
        self.settings_problems: list[str] = []
        """What is wrong in the agency file (file, line, reason): the entries it is in are
        left out, NOT CONFIGURED, and the call screen says so at the start of every call."""
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
        self.prepared = False
        """The protocol's walk was handed to the console to run (see `preparation`)."""
        """Every call on this console is a text-to-911 call (see ConsoleOptions)."""
        self.presenter = presenter
        """Training with the why and source of each question in view, for a projector."""
        self.call: Call | None = None
        self.to_record = False
        """The call under way keeps a record: something was said or done on it."""
        self.in_records = False
        """The call under way is in the records (begun there, or resumed from them)."""
        self.recorder: Recorder | None = None
        self._quiet = False
        """Records trouble found by the timer (`keep_alive`): said, with no screen change."""
        self.waiting_recorders: list[Recorder] = []
        """Closed calls whose last events could not be written yet: tried again after every
        action."""
        self.waiting_calls: list[Call] = []
        """Closed calls that could not be begun in the records at all: begun, in full, after
        every action until they are."""
        self.records_trouble: str | None = None
        """Why the call records cannot be written right now; None while all is saved."""
        self.on_change: Callable[[], object] = lambda: None
        self.on_notice: Callable[[Notice], None] = lambda _notice: None

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

    def preparation(self) -> Callable[[], None] | None:
        """Once a call has its first answer, and only once: what to run in a thread to work
        out every way on from where the call stands (about 20 ms for the shipped protocol
        from its start), so every later answer's check is a look-up. Not before: a key typed
        the moment the first question shows would wait behind the walk holding the
        interpreter, and the first answer's own check is quick (it stops at a second route).
        Where the call stands is taken here, on the caller's thread, so the walk never reads
        a call the console is changing; a text-to-911 call is walked as one."""
        call = self.call
        if self.prepared or call is None or not call.state.answers:
            return None
        from ..engine.reach import reach_for

        self.prepared = True
        reach = reach_for(self.protocol)
        start = call.standing(reach)
        if start is None:
            return None

        def walk() -> None:
            reach.outcomes(start)

        return walk

    def start(self) -> Call:
        """A new call (the last one's lock let go). It is recorded, from its first event, once
        something is said or done on it (`keeps_a_record`): a call quit with nothing in it
        leaves no record."""
        from ..engine import Call

        self.let_go()
        if not self.context and self.context_file is not None:
            self.context = self._context_from_file()
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
        self.to_record = self.in_records = False
        call.listeners.append(self._keep_from_first_word)
        self.on_change()
        return call

    def _context_from_file(self) -> dict[str, str]:
        """This call's details from the CAD's file, if it wrote them since the last call."""
        from .values import ConsoleError, Notice

        assert self.context_file is not None
        try:
            return self.context_file.for_next_call()
        except ConsoleError as error:
            self.on_notice(Notice(f"No CAD details for this call: {error}", "CAD", "warning"))
            return {}

    def _keep_from_first_word(self, event: Event) -> None:
        """Start recording the call at the first event that keeps a record (written with every
        event before it)."""
        from ..engine.events import keeps_a_record

        call = self.call
        if call is None or self.to_record or not keeps_a_record(event):
            return
        call.listeners.remove(self._keep_from_first_word)
        self.to_record = True
        self._attach(call)

    def pick(self, scenario: Scenario | None) -> None:
        """Play `scenario` (a training call); None (nothing picked) changes nothing."""
        if scenario is not None:
            self.scenario = scenario
            self.start()

    def next_call(self) -> None:
        """After a call: the next one, or after a debrief with several scenarios, the list."""
        if len(self.scenarios) > 1:
            self.let_go()
            self.scenario = None
            self.call = None
            self.on_change()
            return
        self.start()

    def close_call(self) -> Refusal | None:
        """Close the call as completed (its open steps are recorded with it)."""
        return self._act(lambda call: call.close("completed"))

    def close_abandoned(self) -> None:
        """Quitting with the call open: it is closed as abandoned, and kept."""
        if self.call_open():
            self._act(lambda call: call.close("abandoned"))

    def answer(self, value: str, question: str | None = None) -> Refusal | None:
        """Record an answer; one meant for a question no longer asked is ignored."""
        if not self._still_asked(question):
            return None
        call = self.call
        prompt = call.state.prompt if call is not None else None
        if prompt is not None and not prompt.choices and _only_answer_keys(value):
            # y and n answer yes/no questions; on a question that takes words they are typed
            # into the field (a place may be called "Nyack"), but y or n alone is a key
            # pressed on the wrong question, never what a caller said.
            return Refusal(
                f"{value.strip()!r} is not recorded: this question takes the caller's words "
                "(y and n answer yes/no questions). Type what the caller said; F5 if they do "
                "not know, F7 if they decline.",
                title="Not recorded",
            )
        return self._act(lambda call: call.answer(value))

    def add_entry(self, value: str, question: str | None = None) -> Refusal | None:
        """One of several the caller describes (a person, a vehicle), at a question that takes
        several (meant for `question`, as `answer`): the question stays for the next."""
        if not self._still_asked(question):
            return None
        call = self.call
        prompt = call.state.prompt if call is not None else None
        if prompt is None or not prompt.several:
            return Refusal(
                "This question takes one answer: type it and press Enter.", title="One answer"
            )
        if not value.strip() or _only_answer_keys(value):
            return Refusal(
                "Type what the caller said about this one first; ctrl+n records it and asks "
                "for the next, Enter records the last one and goes on.",
                title="Nothing to add",
            )
        return self._act(lambda call: call.add_entry(value))

    def not_answered(self, how: NoAnswer, question: str | None = None) -> Refusal | None:
        """The caller does not know, or declines to say (meant for `question`, as `answer`)."""
        if not self._still_asked(question):
            return None
        return self._act(lambda call: call.not_answered(how))

    def give_details(self, details: dict[str, str]) -> Refusal | None:
        """The incident number, callback or location, entered by the dispatcher (F12)."""
        return self._act(lambda call: call.give_details(details))

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

    def back(
        self, to: str | None = None, *, acts: bool = True, amend: bool = False
    ) -> Refusal | None:
        """Back to `to` (default: the previous question; with `acts`, the last thing done
        is taken back when it was the danger-now key or the ending of the questions). With
        `amend`, only that answer changes: the later ones still asked are kept."""
        call = self.call
        if call is None or (to is None and call.back_target(acts=acts) is None):
            return Refusal(
                "This is the first question: there is nothing to go back to.", title="Back"
            )
        return self._act(lambda call: call.back(to, acts=acts, amend=amend))

    def would_drop(self, to: str) -> int | None:
        """How many later answers fall away by going back to `to`; None if it cannot."""
        from ..engine import CallError

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
        from ..engine import CallError

        call = self.call
        if call is None:
            return None
        try:
            action(call)
        except CallError as refusal:
            self.on_change()
            return Refusal(str(refusal))
        if self._behind():
            self._retry(call)
        if call.state.closed is not None:
            self.let_go()
        self.on_change()
        return None


def _only_answer_keys(value: str) -> bool:
    """Only the y and n keys (once or more, either case): typed at a question with a field."""
    text = value.strip().lower()
    return bool(text) and set(text) <= {"y", "n"}
