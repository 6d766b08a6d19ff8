"""The dispatcher console's App: takes the keys in turn, keeps the screens in line with the
call session, and holds the keys that work on every screen. The call itself lives in the
session (`trafficking_triage.console`); the screens render it and call its actions. `make_app`
is the one way to build it, for the command and the tests alike."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from ..console import CallSession, ConsoleOptions, open_session
from . import collector
from .crash import PrivateCrashReport
from .key_turns import KeyDone, KeyTurns
from .messages import CallChanged
from .notices import show
from .openings import offer_or_start
from .screens.call_screen import CallScreen
from .screens.confirm_screen import ConfirmScreen
from .screens.outcome_screen import OutcomeScreen
from .widgets.too_small import MIN_HEIGHT, WIDTHS


class TriageApp(PrivateCrashReport, App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "trafficking-triage"
    ENABLE_COMMAND_PALETTE = False
    HORIZONTAL_BREAKPOINTS = WIDTHS
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

    def __init__(self, session: CallSession, *, blink: bool = True) -> None:
        super().__init__()
        self.session = session
        self.blink = blink
        # A key waits while a change of the call is on its way to the screens (see messages).
        self.key_turns = KeyTurns(self, super().on_event, lambda _key: not self.changes)
        self.quitting = False
        """A quit was asked for (and confirmed, during a call): the console is closing."""
        self.changes = 0
        session.on_change = self.call_changed

    def call_changed(self) -> None:
        self.changes += 1
        self.post_message(CallChanged())

    # -- keys, in turn -----------------------------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            if isinstance(event, events.Key) and event.key == "ctrl+j":
                # A newline is Enter typed before the console took the terminal over (the
                # terminal turns Enter into a newline until then).
                event = events.Key("enter", "\r")
            await self.key_turns.take(event)  # one key at a time (see key_turns)
            return
        await super().on_event(event)

    async def on_key_done(self, message: KeyDone) -> None:
        await self.key_turns.done(message)

    # -- screens follow the session -----------------------------------------------------------
    def get_default_screen(self) -> Screen[Any]:
        return CallScreen(self.session, blink=self.blink)  # the base of every call's screens

    def on_mount(self) -> None:
        self.set_interval(1.0, self.show_time)
        self.set_interval(0.25, self.session.tick)
        self.session.listen(lambda notice: show(self, notice))
        offer_or_start(self, self.session)

    def on_ready(self) -> None:
        collector.resume()  # the first frame is out

    async def on_call_changed(self, _changed: CallChanged) -> None:
        self.changes -= 1
        self.sync()
        walk = self.session.preparation()  # once, after the first answer (see there)
        if walk is not None:
            self.run_worker(walk, thread=True, name="prepare")
        await self.key_turns.release()  # the keys held for it go on, to the new screen

    def sync(self) -> None:
        """Bring the screens in line with the session: the outcome on top once routed, the
        closed call's screen once closed, and every call screen redrawn."""
        call = self.session.call
        if call is None:
            if self.session.choosing_scenario() and len(self.screen_stack) > 1:
                self._pop_to_base()
                offer_or_start(self, self.session)
            return
        if call.state.closed is not None:
            from .screens.closed_screen import screen_after

            self._pop_to_base()
            self.push_screen(screen_after(self.session))
            return
        while len(self.screen_stack) > 1 and not isinstance(self.screen, OutcomeScreen):
            self.pop_screen()  # a dialog, the reference, a closed call's screen
        if call.state.route is not None and not isinstance(self.screen, OutcomeScreen):
            self.push_screen(OutcomeScreen(self.session))
        elif isinstance(self.screen, OutcomeScreen) and self.screen.outlived():
            self.pop_screen()
        for screen in self.screen_stack:
            if isinstance(screen, CallScreen | OutcomeScreen) and screen.is_mounted:
                screen.show_call()

    def _pop_to_base(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def show_time(self) -> None:
        for screen in self.screen_stack[-1:]:  # none left as the console ends: nothing to do
            if isinstance(screen, CallScreen | OutcomeScreen):
                screen.show_time()

    # -- keys that work everywhere ---------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        session = self.session
        if action == "danger_now":
            return session.call_open()
        if action == "switch_language":  # not over a question asked (it would lose it)
            asking = isinstance(self.screen, ConfirmScreen)
            return session.call_open() and len(session.languages) > 1 and not asking
        if action == "save_elsewhere":
            return session.call is not None and session.records_trouble is not None
        return True

    def action_danger_now(self) -> None:
        show(self, self.session.escalate())
        call = self.session.call
        if call and call.state.route is None and not isinstance(self.screen, OutcomeScreen):
            self.push_screen(OutcomeScreen(self.session, by_f2=True))  # questions go on: F6

    def action_switch_language(self) -> None:
        """F4: the next display (English, Spanish, Spanish with English beneath, ...). The
        header's language mark says which, with no notice: three presses used to leave
        three notices stacked over the trail."""
        self.session.switch_language()

    def action_new_call(self) -> None:
        self.session.next_call()

    def action_reference(self) -> None:
        from .screens.reference_screen import toggle_reference

        toggle_reference(self, self.session)

    def action_save_elsewhere(self) -> None:
        from .screens.save_elsewhere_screen import SaveElsewhereScreen

        self.push_screen(SaveElsewhereScreen(self.session))

    def action_request_quit(self) -> None:
        if isinstance(self.screen, ConfirmScreen):
            return
        if (question := self.session.quit_question()) is None:
            self.leave()
            return

        def quit_(confirmed: bool | None) -> None:
            if confirmed:
                self.session.close_abandoned()
                self.leave()

        self.push_screen(ConfirmScreen(*question), quit_)

    def leave(self) -> None:
        self.quitting = True
        self.exit(0)


def make_app(options: ConsoleOptions | None = None) -> TriageApp:
    """Build the console, for the command and the tests alike: the files checked, then the
    record store opened (raises FileProblems, ConsoleError or RecordsError first)."""
    options = options if options is not None else ConsoleOptions()
    return TriageApp(open_session(options), blink=options.blink)
