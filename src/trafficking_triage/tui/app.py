"""The dispatcher console's App: builds the screens and turns the dispatcher's actions into
engine calls. It decides nothing about the call itself; the engine does.

`make_app` is the one way to build it, for the CLI and the tests alike.
"""

from __future__ import annotations

import gc
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime
from pathlib import Path
from time import monotonic
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input

from ..engine.view import utc_now
from ..first_view import FirstView, Opening, save_first_view, view_key
from ..records import CallRow, RecordsError, RecordStore
from ..records.recorder import Recorder, cause_of
from .key_turns import KeyDone, KeyTurns
from .screens.call_screen import CallScreen
from .screens.confirm_screen import ConfirmScreen
from .widgets.too_small import MIN_HEIGHT, MIN_WIDTH
from .words import display_modes, local

# The engine, the protocol models, the settings and the screens after the call screen are
# imported where they are used, not here: a console opening on a saved first question draws
# it before loading them (see first_view). A test checks that importing this module loads no
# pydantic.
if TYPE_CHECKING:
    from ..engine import Call
    from ..protocol import LoadedProtocol
    from ..settings import LoadedSettings, ResolvedContact
    from ..training.scenario import Scenario
    from .screens.resume_screen import Choice


OPENING_CHECKS_TIMEOUT = 5.0
"""Seconds that quitting waits for the opening checks (normally well under one) before the
console closes anyway, saying why, rather than hang. (Other keys that need the call wait for
the checks without holding up the screen: see key_may_go.)"""

HELD_NOTICE_AFTER = 2.0
"""Seconds a key may wait for the opening checks before the screen says why it waits."""

TYPING_KEYS = frozenset(binding.key for binding in Binding.make_bindings(Input.BINDINGS)) - {
    "enter"
}
"""Keys that only edit the answer field (the field's own keys but Enter): they need no call,
so they never wait for one."""


class TriageApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "trafficking-triage"
    ENABLE_COMMAND_PALETTE = False
    HORIZONTAL_BREAKPOINTS = [(0, "-too-narrow"), (MIN_WIDTH, "-compact"), (80, "-roomy")]
    VERTICAL_BREAKPOINTS = [(0, "-too-short"), (MIN_HEIGHT, "-tall-enough")]
    # F1 and F2 are not priority bindings on purpose: a key pressed just before them (an answer)
    # is handled first, so the danger-now key can never overtake and swallow it.
    BINDINGS = [
        Binding("f1", "reference", "Help", id="reference"),
        Binding("question_mark", "reference", "Help", show=False, id="reference_question_mark"),
        Binding("f2", "danger_now", "DANGER NOW", id="danger_now"),
        Binding("ctrl+q", "request_quit", "Quit", id="quit", priority=True),
        # ctrl+c must never drop a call by accident: it asks, exactly like ctrl+q.
        Binding("ctrl+c", "request_quit", "Quit", show=False, id="quit_ctrl_c", priority=True),
        Binding("ctrl+s", "save_elsewhere", "SAVE ELSEWHERE", id="save_elsewhere"),
        Binding("f4", "switch_language", "Language", id="switch_language"),
    ]

    def __init__(
        self,
        loaded: LoadedProtocol | None = None,
        *,
        opening: Opening | None = None,
        clock: Callable[[], datetime] = utc_now,
        console: str | None = None,
        dispatcher: str | None = None,
        context: dict[str, str] | None = None,
        blink: bool = True,
        store: RecordStore | None = None,
        settings: LoadedSettings | None = None,
        language: str | None = None,
        scenarios: list[Scenario] | None = None,
        scenario: Scenario | None = None,
        presenter: bool = False,
        collector_paused: bool = False,
    ) -> None:
        super().__init__()
        self.scenarios = scenarios or []
        self.scenario = scenario
        self.presenter = presenter
        """Training with the why and source of each question in view, for a projector."""
        self.opening = opening
        self.loaded: LoadedProtocol | None = None
        self.store = store
        self.settings = settings
        self.contacts: dict[str, ResolvedContact] = {}
        self.missing_settings: list[str] = []
        if loaded is not None:
            self._settle(loaded, settings)
            self.languages = list(loaded.protocol.protocol.languages)
        else:
            assert opening is not None, "a console needs a protocol or a saved first question"
            self.missing_settings = list(opening.view.missing_settings)
            self.languages = list(opening.view.languages)
        self.language = language or self.languages[0]
        self.recorder: Recorder | None = None
        self.records_trouble: str | None = None
        self.clock = clock
        self.console_name = console
        self.dispatcher = dispatcher
        self.context = context or {}
        self.blink = blink
        self.call: Call | None = None
        self.collector_paused = collector_paused
        """The command paused Python's cycle collector until the first frame (see cli)."""
        self.opened_at = clock()
        self._opened: Future[tuple[LoadedProtocol, LoadedSettings | None]] | None = None
        self._first_view_saved = False
        self.key_turns = KeyTurns(self, super().on_event, self.key_may_go, held=self.key_held)
        self._held_notice: Timer | None = None
        self._keys_held_since: float | None = None
        self.call_depth = 2
        """How deep the call screen sits in the screen stack: above Textual's base screen, or
        the base screen itself when the console opened on the saved first question."""

    def _settle(self, loaded: LoadedProtocol, settings: LoadedSettings | None) -> None:
        from ..settings.resolve import missing_settings, resolve_contacts

        agency = settings.settings if settings else None
        self.loaded, self.settings = loaded, settings
        self.contacts = resolve_contacts(loaded.protocol, agency)
        self.missing_settings = missing_settings(loaded.protocol, agency)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            if isinstance(event, events.Key) and event.key == "ctrl+j":
                # A newline is Enter typed before the console took the terminal over: until
                # then the terminal turns Enter into a newline. A dispatcher typing the
                # location as the console opens would otherwise press Enter and have it ignored.
                event = events.Key("enter", "\r")
            await self.key_turns.take(event)  # one key at a time (see key_turns)
            return
        await super().on_event(event)

    async def on_key_done(self, message: KeyDone) -> None:
        await self.key_turns.done(message)

    def get_default_screen(self) -> Screen[Any]:
        if self.opening is not None:
            # The saved first question is the base screen itself: no empty screen beneath it
            # to build, style and draw first (see first_view). Keys typed before its answer
            # field exists wait for it (key_turns).
            self.call_depth = 1
            return CallScreen(None, first=self.opening.view, blink=self.blink)
        return super().get_default_screen()

    # -- the call's life -------------------------------------------------------------------
    def training(self) -> bool:
        return self.scenario is not None or bool(self.scenarios)

    def on_mount(self) -> None:
        self.opened_at = self.clock()
        self.set_interval(1.0, self.tick_clock)
        if self.opening is not None:
            return  # its call screen is the base screen (get_default_screen)
        if self.training() and self.scenario is None:
            self.pick_scenario()
        else:
            self.offer_unfinished()

    def start_opening(self) -> None:
        """Check the protocol and settings in a thread, once the saved first question is on
        screen: the dispatcher can read it (and start typing) meanwhile, and the screen is
        drawn without waiting for the checks."""
        self._resume_collector()  # first: the checks pause and resume it themselves
        opening = self.opening
        if opening is None or self._opened is not None:
            return
        opened: Future[tuple[LoadedProtocol, LoadedSettings | None]] = Future()
        self._opened = opened

        def load() -> None:
            try:
                opened.set_result(opening.load())
            except BaseException as error:  # handed to the app's thread, raised there
                opened.set_exception(error)
            self.post_message(self.Opened())

        threading.Thread(target=load, name="opening", daemon=True).start()

    def on_ready(self) -> None:
        # Textual sends Ready once the first screen is laid out. (The checks of a console
        # opened on the saved question begin later, once its screen is whole: CallScreen.)
        self._resume_collector()

    def _resume_collector(self) -> None:
        if self.collector_paused:
            # The command paused the cycle collector for the launch (see cli.run_console):
            # what was built until now stays for the whole run, so it is frozen, never walked.
            self.collector_paused = False
            gc.freeze()
            gc.enable()

    class Opened(Message):
        """The thread checking the protocol and settings has finished."""

    async def on_triage_app_opened(self) -> None:
        if self.finish_opening():
            await self.key_turns.release()  # the keys that waited for the call

    def key_may_go(self, typed: events.Key | events.Paste) -> bool:
        """While the opening checks run (see first_view), typing into the answer field goes
        through at once; a key that needs the call (Enter, F1, F2, Escape, a number) waits
        for the checks, with the screen alive meanwhile, and then acts in its turn. Quitting
        needs no call (though it keeps its turn behind keys that do: key_held)."""
        opened = self._opened
        if self.opening is None or (opened is not None and opened.done()):
            return True
        if isinstance(typed, events.Paste) or self.key_quits(typed) or typed.key == "f3":
            return True  # quitting, and showing why the question is asked, need no call
        if isinstance(self.focused, Input) and (typed.is_printable or typed.key in TYPING_KEYS):
            return True
        self.start_opening()
        if self._held_notice is None:
            self._keys_held_since = monotonic()
            self._held_notice = self.set_timer(HELD_NOTICE_AFTER, self._say_keys_are_held)
        return False

    def key_held(self, typed: events.Key | events.Paste) -> None:
        """A quit pressed while keys have waited long for the opening checks (the screen has
        said why by then): should the checks hang, the console must still close."""
        held_since = self._keys_held_since
        if (
            self.key_quits(typed)
            and held_since is not None
            and monotonic() - held_since >= HELD_NOTICE_AFTER
        ):
            self._close_if_checks_hang()

    def _close_if_checks_hang(self) -> None:
        """Wait for the checks a little longer (OPENING_CHECKS_TIMEOUT). Done in time, the
        waiting keys go on in order and the quit asks in its turn, after them (a key meant
        for the call never lands on the quit's question); still not done, the console closes,
        saying why, having recorded nothing."""
        if self.finish_opening():
            self.call_later(self.key_turns.release)

    @staticmethod
    def key_quits(typed: events.Key | events.Paste) -> bool:
        return isinstance(typed, events.Key) and typed.key in {"ctrl+q", "ctrl+c"}

    def _say_keys_are_held(self) -> None:
        if self.opening is not None and any(map(self.key_quits, self.key_turns.waiting)):
            self._close_if_checks_hang()  # a quit has waited this long already
            return
        if self.opening is not None and self.key_turns.waiting:
            self.notify(
                "Still checking the protocol and settings. The keys pressed are kept and act "
                "as soon as that is done.",
                title="Opening",
                severity="warning",
                markup=False,
            )

    def finish_opening(self) -> bool:
        """Start the call the screen opened on, once the checks are done (waiting for them if
        a key needs the call first: keys are handled in order, so none is lost or reordered).
        False if there is no call to act on: the checks failed and the console is closing."""
        if self.opening is None:
            return self.loaded is not None
        self.start_opening()
        assert self._opened is not None
        from ..protocol import ProtocolError

        try:
            loaded, settings = self._opened.result(timeout=OPENING_CHECKS_TIMEOUT)
        except TimeoutError:
            return self._opening_failed(
                "trafficking-triage: the protocol and settings checks did not finish within "
                f"{OPENING_CHECKS_TIMEOUT:g} seconds (a file that cannot be read?): nothing "
                "was recorded. `trafficking-triage validate` runs the same checks."
            )
        except ProtocolError as error:
            # Only when the files or the program changed under the saved question's key.
            problems = "\n".join(str(problem) for problem in error.problems)
            return self._opening_failed(
                f"{problems}\nThe protocol and settings were checked again as the console "
                "opened, and did not pass: nothing was recorded."
            )
        except Exception as error:
            return self._opening_failed(f"trafficking-triage: could not open: {error}")
        view = self.opening.view
        self.opening = None
        self._settle(loaded, settings)
        call = self._start_call(at=self.opened_at)
        if FirstView.of(call, self.missing_settings) != view:
            self.notify(
                "The first question has changed since it was saved; the screen now shows the "
                "protocol as it is. Check the question before going on.",
                title="Protocol",
                severity="warning",
                timeout=15,
                markup=False,
            )
        for screen in self.screen_stack:
            if isinstance(screen, CallScreen) and screen.call is None:
                screen.take_call(call)
        return True

    def _opening_failed(self, message: str) -> bool:
        self.opening = None
        self.exit(1, return_code=1, message=message)
        return False

    def pick_scenario(self) -> None:
        from .screens.scenario_picker_screen import ScenarioPickerScreen

        def picked(scenario: Scenario | None) -> None:
            if scenario is not None:
                self.scenario = scenario
                self.open_call()

        self.push_screen(ScenarioPickerScreen(self.scenarios), picked)

    # -- calls left unfinished by a crash ------------------------------------------------------
    def offer_unfinished(self) -> None:
        """Offer each unfinished call in turn (resume or close), then open a new call."""
        rows = self.store.unfinished() if self.store is not None and not self.training() else []
        if not rows:
            if self.call is None or self.call.state.closed is not None:
                self.push_screen(CallScreen(self._start_call(), blink=self.blink))
            return
        from ..engine.call import Call, CallError
        from .screens.resume_screen import ResumeScreen

        row = rows[0]
        assert self.store is not None and self.loaded is not None
        events = self.store.events(row.id)
        resumable: str | None = None
        call: Call | None = None
        if row.protocol_sha256 != self.loaded.sha256:
            resumable = (
                f"it was taken with protocol {row.protocol_id} {row.protocol_version}, "
                "not the one loaded now"
            )
        else:
            try:
                call = Call(self.loaded.protocol, events, clock=self.clock)
            except CallError:
                resumable = "its events do not replay on this protocol"
        answered = len(call.state.answers) if call else 0
        where = "unknown"
        if call is not None and call.state.prompt is not None:
            where = local(call.protocol.questions[call.state.prompt.question].text, "en")
        elif call is not None and call.state.route is not None:
            where = f"route reached: {call.protocol.outcomes[call.state.route.outcome].title}"

        def chosen(choice: Choice | None) -> None:
            self.handle_unfinished(row, call, choice or "interrupted")

        self.push_screen(ResumeScreen(row, answered, where, resumable), chosen)

    def handle_unfinished(self, row: CallRow, call: Call | None, choice: Choice) -> None:
        store = self.store
        assert store is not None
        if call is None or choice == "interrupted":
            from ..engine.events import CallClosed

            closing = CallClosed(
                at=self.clock(),
                how="interrupted",
                open_steps=call.open_steps() if call is not None else [],
            )
            if call is not None:
                call.record(closing)
            self.write_safely(lambda: store.append(row.id, closing, call))
            self.offer_unfinished()
            return
        if not store.hold(row.id):
            self.notify("Another console has just taken that call.", severity="warning")
            self.offer_unfinished()
            return
        self.call = call
        self.recorder = Recorder(
            store, call, row.id, on_trouble=self.on_records_trouble, on_recovered=self.on_saved
        )
        self.push_screen(CallScreen(call, blink=self.blink))
        self.sync()

    def write_safely(self, write: Callable[[], object]) -> None:
        try:
            write()
        except (OSError, sqlite3.Error, RecordsError) as error:
            self.on_records_trouble(cause_of(error))

    # -- the store failing mid-call ---------------------------------------------------------
    def on_records_trouble(self, cause: str) -> None:
        first = self.records_trouble is None
        self.records_trouble = cause
        if first:
            self.notify(
                f"NOT SAVED: {cause}. The call goes on in memory; ctrl+s saves it to another file.",
                title="Call records",
                severity="error",
                timeout=30,
                markup=False,
            )
        self.refresh_bindings()
        self.sync()

    def on_saved(self) -> None:
        self.records_trouble = None
        self.notify("Call records are being written again.", title="Call records", markup=False)
        self.refresh_bindings()
        self.sync()

    def action_save_elsewhere(self) -> None:
        call = self.call
        if call is None:
            return
        suggestion = (
            Path.home() / f"call-{self.recorder.call_id if self.recorder else 'unsaved'}.json"
        )

        from .screens.save_elsewhere_screen import SaveElsewhereScreen

        def save(path: Path | None) -> None:
            if path is None:
                return
            from ..records.recover import write_events

            try:
                write_events(path, call)
            except OSError as error:
                self.notify(
                    f"Could not write {path}: {error.strerror}", severity="error", markup=False
                )
                return
            self.notify(f"The whole call was saved to {path}", title="Saved", markup=False)

        self.push_screen(SaveElsewhereScreen(self.records_trouble or "asked", suggestion), save)

    # -- starting calls -----------------------------------------------------------------------
    def _start_call(self, at: datetime | None = None) -> Call:
        from ..engine.call import Call

        if self.recorder is not None:
            self.recorder.finish()
            self.recorder = None
        loaded = self.loaded
        assert loaded is not None
        self.call = Call.start(
            loaded.protocol,
            loaded.sha256,
            clock=self.clock,
            console=self.console_name,
            dispatcher=self.dispatcher,
            context=self.context,
            language=self.language,
            settings=(str(self.settings.path), self.settings.sha256) if self.settings else None,
            training=self.training(),
            at=at,
        )
        self._save_first_view(self.call)
        if self.store is not None:
            store, call = self.store, self.call

            def begin() -> None:
                self.recorder = Recorder(
                    store, call, on_trouble=self.on_records_trouble, on_recovered=self.on_saved
                )

            self.write_safely(begin)
        return self.call

    def _save_first_view(self, call: Call) -> None:
        """Once a run, so that the next console opens on this question at once."""
        if self.store is None or self.training() or self._first_view_saved or not self.loaded:
            return
        self._first_view_saved = True
        key = view_key(self.loaded.sha256, self.settings.sha256 if self.settings else None)
        if key is not None:
            save_first_view(self.store.directory, key, FirstView.of(call, self.missing_settings))

    def new_call(self) -> None:
        """Enter after a call: the next call, or after a debrief the list of scenarios."""
        if len(self.scenarios) > 1 and self.call is not None and self.call.state.closed:
            self.scenario = None
            while len(self.screen_stack) > 1:
                self.pop_screen()
            self.pick_scenario()
            return
        self.open_call()

    def open_call(self) -> None:
        """A new call on the call screen, which stays at the bottom of the screens (see
        call_depth)."""
        call = self._start_call()
        while len(self.screen_stack) > self.call_depth:
            self.pop_screen()
        screen = self.screen_stack[-1]
        if isinstance(screen, CallScreen):
            screen.set_call(call)
        else:
            self.push_screen(CallScreen(call, blink=self.blink))

    def call_open(self) -> bool:
        if self.opening is not None:
            return True  # the call starts as soon as the engine is loaded
        return self.call is not None and self.call.state.closed is None

    def apply(self, action: Callable[[], object]) -> None:
        """Run one engine action; a refusal is shown, never raised; then redraw."""
        from ..engine.call import CallError

        try:
            action()
        except CallError as refusal:
            self.notify(str(refusal), title="Not recorded", severity="warning", markup=False)
        self.sync()

    def answer(self, value: str, question: str | None = None) -> None:
        """Record an answer; one meant for a question no longer on screen is ignored."""
        if not self.finish_opening():
            return
        call = self.call
        if call is None:
            return
        prompt = call.state.prompt
        if question is not None and (prompt is None or prompt.question != question):
            return
        self.apply(lambda: call.answer(value))

    def go_back_to(self, question: str, ask: bool = False) -> None:
        from ..engine.call import CallError

        if not self.finish_opening():
            return
        call = self.call
        if call is None:
            return
        try:
            later = len(call.would_drop(question)) - 1
        except CallError:
            return  # a trail choice overtaken by a key pressed just before it: nothing to do
        words = local(call.protocol.questions[question].text, call.state.language)

        def back(confirmed: bool | None = True) -> None:
            # No toast: the question panel itself shows what was answered before.
            if confirmed:
                self.apply(lambda: call.back(question))

        if ask and later > 0:
            self.push_screen(
                ConfirmScreen(
                    f"Go back and change this answer? {later} later answer"
                    f"{'s' if later != 1 else ''} will fall away.",
                    f"“{words}”\nWhat fell away stays in the call's record.",
                ),
                back,
            )
        else:
            back()

    def close_call(self) -> None:
        call = self.call
        if call is None:
            return
        open_steps = call.open_steps()

        def close(confirmed: bool | None = True) -> None:
            if confirmed:
                self.apply(lambda: call.close("completed"))

        if open_steps:
            steps = ", ".join(str(n) for n in open_steps)
            self.push_screen(
                ConfirmScreen(
                    f"Close the call with step{'s' if len(open_steps) != 1 else ''} {steps} open?",
                    "The open steps are recorded with the call.",
                ),
                close,
            )
        else:
            close()

    def recording(self) -> bool:
        return self.recorder is not None and self.store is not None

    def copy_narrative(self) -> None:
        """The call as plain text for the CAD remarks: to a private file, and to the clipboard
        where the terminal allows it (OSC 52)."""
        call = self.call
        if call is None or self.recorder is None or self.store is None:
            self.notify("This call is not being recorded: nothing to copy.", severity="warning")
            return
        from ..records.export import narrative
        from ..records_cli import write_private

        recorder, store = self.recorder, self.store
        text = narrative(store.row(recorder.call_id), call)
        folder = store.directory / "exports"
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
            path = folder / f"{recorder.call_id}.txt"
            write_private(path, text)
        except OSError as error:
            self.notify(f"Could not write the narrative: {error.strerror}", severity="error")
            return
        self.copy_to_clipboard(text)
        self.notify(f"Copied to the clipboard and saved to {path}", title="Narrative", markup=False)

    def sync(self) -> None:
        """Bring the screens in line with the call: outcome on top once routed, and redraw."""
        call = self.call
        if call is None:
            return
        from .screens.outcome_screen import OutcomeScreen

        if call.state.closed is not None:
            if self.recorder is not None and self.recorder.call is call:
                self.recorder.finish()
            while len(self.screen_stack) > self.call_depth:
                self.pop_screen()
            if self.scenario is not None:
                from ..training.debrief import debrief
                from .screens.debrief_screen import DebriefScreen

                self.push_screen(DebriefScreen(self.scenario, debrief(self.scenario, call)))
            else:
                from .screens.closed_screen import ClosedScreen

                self.push_screen(ClosedScreen(call))
            return
        while len(self.screen_stack) > self.call_depth and not isinstance(
            self.screen, CallScreen | OutcomeScreen
        ):
            self.pop_screen()
        if not any(isinstance(screen, CallScreen) for screen in self.screen_stack):
            self.push_screen(CallScreen(call, blink=self.blink))
            return
        routed = call.state.route is not None
        if routed and not isinstance(self.screen, OutcomeScreen):
            self.push_screen(OutcomeScreen(call))
        elif not routed and isinstance(self.screen, OutcomeScreen):
            self.pop_screen()
        for screen in self.screen_stack:
            if isinstance(screen, CallScreen | OutcomeScreen) and screen.is_mounted:
                screen.show_call()

    def tick_clock(self) -> None:
        from .screens.outcome_screen import OutcomeScreen

        screen = self.screen
        if isinstance(screen, CallScreen | OutcomeScreen):
            screen.tick()

    def _fatal_error(self) -> None:
        """A crash report without the values of local variables (Textual shows them by
        default): they would hold what the caller said, and this report reaches the terminal."""
        from rich.segment import Segments
        from rich.traceback import Traceback

        self.bell()
        report = Traceback(show_locals=False, width=None)
        self._exit_renderables.append(Segments(self.console.render(report, self.console.options)))
        self._close_messages_no_wait()

    # -- keys that work everywhere ---------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "danger_now":
            return self.call_open()
        if action == "switch_language":
            return self.call_open() and len(self.languages) > 1
        if action == "save_elsewhere":
            # Shown only while the records cannot be written: that is when it is needed.
            return self.call is not None and self.records_trouble is not None
        return True

    def action_danger_now(self) -> None:
        if not self.finish_opening():
            return
        call = self.call
        if call is None or not self.call_open():
            return
        self.apply(call.escalate)

    def action_switch_language(self) -> None:
        """F4: the next display (English, Spanish, Spanish with English beneath, ...)."""
        if not self.finish_opening():
            return
        call = self.call
        if call is None:
            return
        modes = display_modes(self.languages)
        current = call.state.language
        following = modes[(modes.index(current) + 1) % len(modes)] if current in modes else modes[0]
        self.language = following  # the next call starts in the display chosen last
        self.apply(lambda: call.switch_language(following))
        self.notify(f"Questions shown in: {following}", title="Language", timeout=2)

    def action_reference(self) -> None:
        from .screens.reference_screen import ReferenceScreen

        if isinstance(self.screen, ReferenceScreen):
            self.pop_screen()
        elif not isinstance(self.screen, ConfirmScreen):
            if not self.finish_opening():
                return
            assert self.loaded is not None
            resources = self.settings.settings.resources if self.settings else []
            self.push_screen(ReferenceScreen(self.loaded.protocol, resources))

    def action_request_quit(self) -> None:
        if isinstance(self.screen, ConfirmScreen):
            return
        if not self.finish_opening():
            return  # already closing, with the reason
        call = self.call
        if call is None or not self.call_open():
            self.exit(0)
            return

        def quit_(confirmed: bool | None) -> None:
            if confirmed:
                call.close("abandoned")
                self.exit(0)

        self.push_screen(
            ConfirmScreen(
                "Quit with this call still open?",
                "The call is closed as abandoned.",
            ),
            quit_,
        )


def make_app(
    protocol: Path | None = None, *, loaded: LoadedProtocol | None = None, **options: Any
) -> TriageApp:
    """Build the console, for the command and the tests alike. Raises ProtocolError before any
    screen is drawn if the protocol is bad. `options` are TriageApp's; without a `store`
    nothing is recorded (tests, previews)."""
    if loaded is None and options.get("opening") is None:
        from ..protocol import load_protocol

        loaded = load_protocol(protocol)
    return TriageApp(loaded, **options)


__all__ = ["Screen", "TriageApp", "make_app"]
