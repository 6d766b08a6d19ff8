"""The dispatcher console's App: builds the screens and turns the dispatcher's actions into
engine calls. It decides nothing about the call itself; the engine does.

`make_app` is the one way to build it, for the CLI and the tests alike.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from ..engine import Call, CallError
from ..engine.events import utc_now
from ..protocol import LoadedProtocol
from .screens.call_screen import CallScreen
from .screens.closed_screen import ClosedScreen
from .screens.confirm_screen import ConfirmScreen
from .screens.outcome_screen import OutcomeScreen
from .screens.reference_screen import ReferenceScreen
from .widgets.too_small import MIN_HEIGHT, MIN_WIDTH
from .words import local


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
    ]

    def __init__(
        self,
        loaded: LoadedProtocol,
        *,
        clock: Callable[[], datetime] = utc_now,
        console: str | None = None,
        dispatcher: str | None = None,
        context: dict[str, str] | None = None,
        blink: bool = True,
    ) -> None:
        super().__init__()
        self.loaded = loaded
        self.clock = clock
        self.console_name = console
        self.dispatcher = dispatcher
        self.context = context or {}
        self.blink = blink
        self.call: Call | None = None

    # -- the call's life -------------------------------------------------------------------
    def on_mount(self) -> None:
        # Pushed rather than made the default screen: a pushed screen is fully composed before
        # it takes keys, so nothing typed the moment the first question shows is lost.
        self.push_screen(CallScreen(self._start_call(), blink=self.blink))
        self.set_interval(1.0, self.tick_clock)

    def _start_call(self) -> Call:
        self.call = Call.start(
            self.loaded.protocol,
            self.loaded.sha256,
            clock=self.clock,
            console=self.console_name,
            dispatcher=self.dispatcher,
            context=self.context,
        )
        return self.call

    def new_call(self) -> None:
        """The next call reuses the first call's screen, which stays just above the base."""
        call = self._start_call()
        while len(self.screen_stack) > 2:
            self.pop_screen()
        screen = self.screen_stack[1]
        assert isinstance(screen, CallScreen)
        screen.set_call(call)

    def call_open(self) -> bool:
        return self.call is not None and self.call.state.closed is None

    def apply(self, action: Callable[[], object]) -> None:
        """Run one engine action; a refusal is shown, never raised; then redraw."""
        try:
            action()
        except CallError as refusal:
            self.notify(str(refusal), title="Not recorded", severity="warning", markup=False)
        self.sync()

    def answer(self, value: str, question: str | None = None) -> None:
        """Record an answer; one meant for a question no longer on screen is ignored."""
        call = self.call
        if call is None:
            return
        prompt = call.state.prompt
        if question is not None and (prompt is None or prompt.question != question):
            return
        self.apply(lambda: call.answer(value))

    def go_back_to(self, question: str, ask: bool = False) -> None:
        call = self.call
        if call is None:
            return
        later = len(call.would_drop(question)) - 1
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

    def sync(self) -> None:
        """Bring the screens in line with the call: outcome on top once routed, and redraw."""
        call = self.call
        if call is None:
            return
        if call.state.closed is not None:
            while len(self.screen_stack) > 2:
                self.pop_screen()
            self.push_screen(ClosedScreen(call))
            return
        while not isinstance(self.screen, CallScreen | OutcomeScreen):
            self.pop_screen()
        routed = call.state.route is not None
        if routed and not isinstance(self.screen, OutcomeScreen):
            self.push_screen(OutcomeScreen(call))
        elif not routed and isinstance(self.screen, OutcomeScreen):
            self.pop_screen()
        for screen in self.screen_stack:
            if isinstance(screen, CallScreen | OutcomeScreen) and screen.is_mounted:
                screen.show_call()

    def tick_clock(self) -> None:
        screen = self.screen
        if isinstance(screen, CallScreen | OutcomeScreen):
            screen.tick()

    # -- keys that work everywhere ---------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "danger_now":
            return self.call_open()
        return True

    def action_danger_now(self) -> None:
        call = self.call
        if call is None or not self.call_open():
            return
        self.apply(call.escalate)

    def action_reference(self) -> None:
        if isinstance(self.screen, ReferenceScreen):
            self.pop_screen()
        elif not isinstance(self.screen, ConfirmScreen):
            self.push_screen(ReferenceScreen(self.loaded.protocol))

    def action_request_quit(self) -> None:
        if isinstance(self.screen, ConfirmScreen):
            return
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
    protocol: Path | None = None,
    *,
    loaded: LoadedProtocol | None = None,
    clock: Callable[[], datetime] = utc_now,
    console: str | None = None,
    dispatcher: str | None = None,
    context: dict[str, str] | None = None,
    blink: bool = True,
) -> TriageApp:
    """Build the console. Raises ProtocolError before any screen is drawn if the protocol is bad."""
    from ..protocol import load_protocol

    loaded = loaded if loaded is not None else load_protocol(protocol)
    return TriageApp(
        loaded, clock=clock, console=console, dispatcher=dispatcher, context=context, blink=blink
    )


__all__ = ["Screen", "TriageApp", "make_app"]
