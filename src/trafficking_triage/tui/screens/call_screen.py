"""The call screen: the question to ask now, with the checklist, indicators and trail beside it."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Static

from ..controller import controller
from ..widgets.call_header import CallHeader
from ..widgets.checklist import Checklist
from ..widgets.indicator_list import IndicatorList
from ..widgets.key_hints import KeyHints
from ..widgets.question_panel import QuestionPanel
from ..widgets.too_small import TooSmall
from ..widgets.trail import Trail
from ..words import answer_words
from .sized_screen import SizedScreen

if TYPE_CHECKING:
    from ...engine import Call
    from ...first_view import FirstView


CHECKS_AFTER_LAYOUT = 0.05
"""Seconds from the first question's layout to the start of the checks: about three frames,
time for the frame to reach the terminal (measured: 10 to 35 ms)."""


class CallScreen(SizedScreen[None]):
    # The question panel gives the focus to the answer field or list as it shows a question;
    # Textual's own first focus would go to the hidden list first, restyling both.
    AUTO_FOCUS = ""
    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("backspace", "back", "Back", show=False, id="back_backspace"),
        Binding("f3", "toggle_why", "Why", id="why"),
        Binding("y", "answer_id('yes')", "Yes", show=False, id="yes"),
        Binding("n", "answer_id('no')", "No", show=False, id="no"),
        *[Binding(str(n), f"pick({n})", show=False, id=f"pick_{n}") for n in range(1, 10)],
    ]

    def __init__(
        self, call: Call | None, *, first: FirstView | None = None, blink: bool = True
    ) -> None:
        """`call` is None while the console is still opening: the screen then shows `first`,
        the saved first question, until the app hands it the call (see first_view)."""
        super().__init__()
        assert call is not None or first is not None
        self.call = call
        self.first = first
        self.blink = blink
        self.why_visible = False

    def compose(self) -> ComposeResult:
        yield CallHeader(id="header")
        yield Static(id="settings-warning", classes="body")
        with Horizontal(id="body", classes="body"):
            with Vertical(id="main"):
                yield QuestionPanel(id="question", blink=self.blink)
                yield Trail(id="trail")
            with Vertical(id="side"):
                yield Checklist(id="checklist")
                yield IndicatorList(id="indicators")
        yield KeyHints()
        yield TooSmall()

    def on_mount(self) -> None:
        with contextlib.suppress(NoMatches):  # taken down before it was built
            if controller(self).presenter:
                self.why_visible = True  # for the classroom: why and source beside each question
            missing = controller(self).missing_settings
            warning = self.query_one("#settings-warning", Static)
            warning.update(
                Content.assemble(
                    ("⚠ NOT CONFIGURED: ", "bold"),
                    ", ".join(missing),
                    ("  see: trafficking-triage agency init", "dim"),
                )
            )
            warning.display = bool(missing)
            self.show_call()
            if self.call is None:  # opened on the saved first question (see first_view)
                self.screen_layout_refresh_signal.subscribe(self, self._laid_out, immediate=True)

    def _laid_out(self, _screen: Screen[None]) -> None:
        # Called after each layout of the screen. Once this screen is on top and its question
        # has a place, the frame showing it follows within a frame or two (Textual may hold
        # it back until a batch of changes ends); the checks begin a little after that, so
        # they never compete with drawing the first question. A key that needs the call
        # starts them at once.
        with contextlib.suppress(NoMatches):
            words = self.query_one(QuestionPanel).query_one("#question-words")
            if self.is_current and words.region.area > 0:
                self.screen_layout_refresh_signal.unsubscribe(self)
                self.set_timer(CHECKS_AFTER_LAYOUT, controller(self).start_opening)

    def focus_first(self) -> None:
        # The answer field or list, whichever the question shows; Textual's first focusable
        # part of a screen seen beneath another can be the trail (its layout lags behind).
        with contextlib.suppress(NoMatches):
            self.query_one(QuestionPanel).focus_answer()

    def set_call(self, call: Call) -> None:
        """The next call: nothing typed or shown for the last caller stays on screen."""
        self.call = call
        self.query_one(QuestionPanel).reset()
        self.show_call()

    def take_call(self, call: Call) -> None:
        """The call this screen opened for, now running: what was typed meanwhile stays."""
        self.call = call
        self.show_call()

    def show_call(self) -> None:
        # A screen still being built, or being taken down after a quick key (F1 then
        # Escape), may lack its widgets; there is then nothing to draw, and no reason to fail.
        with contextlib.suppress(NoMatches):
            self._show_call()

    def _show_call(self) -> None:
        """Render the call's current state (called after every change)."""
        call = self.call
        if call is None:
            self._show_first()
            return
        prompt = call.state.prompt
        header_where = ""
        if prompt is not None:
            question = call.protocol.questions[prompt.question]
            header_where = f"question {len(call.state.answers) + 1}"
            self.query_one(QuestionPanel).show(
                prompt,
                section=question.section,
                language=call.state.language,
                why=self.why_text(question.why, question.source),
                why_visible=self.why_visible,
                previous=self.previous_answer(call, prompt.question),
                prefill=self.prefill(call, prompt.question, question.fact),
                caller_says=self.caller_says(prompt.question),
                closed_mode=call.closed_mode(),
            )
        self.query_one(CallHeader).show(
            call, call.clock(), header_where, controller(self).records_trouble
        )
        self.query_one(Checklist).show(call.checklist())
        found = [call.protocol.indicators[name] for name, _question in call.indicators()]
        self.query_one(IndicatorList).show(found)
        self.query_one(Trail).show(call, call.state.language)

    def _show_first(self) -> None:
        """The saved first question, exactly as a new call shows it, before the call runs."""
        first = self.first
        assert first is not None
        app = controller(self)
        self.query_one(QuestionPanel).show(
            first.prompt,
            section=first.section,
            language=app.language,
            why=first.why,
            why_visible=self.why_visible,
            previous=None,
            prefill=app.context.get(first.fact) if first.fact else None,
            closed_mode=False,
        )
        self._tick()
        self.query_one(Checklist).show(list(first.checklist))
        self.query_one(IndicatorList).show([])
        self.query_one(Trail).show(None, app.language)

    def tick(self) -> None:
        # A screen still being built, or being taken down after a quick key (F1 then
        # Escape), may lack its widgets; there is then nothing to draw, and no reason to fail.
        with contextlib.suppress(NoMatches):
            self._tick()

    def _tick(self) -> None:
        """Once a second: the elapsed time."""
        app = controller(self)
        if self.call is None:
            self.query_one(CallHeader).show_parts(
                seconds=(app.clock() - app.opened_at).total_seconds(),
                training=False,
                closed_mode=False,
                where="question 1",
                unsaved=None,
            )
            return
        prompt = self.call.state.prompt
        where = f"question {len(self.call.state.answers) + 1}" if prompt else ""
        self.query_one(CallHeader).show(self.call, self.call.clock(), where, app.records_trouble)

    def why_text(self, why: str, source: str) -> str:
        if not controller(self).presenter or self.call is None:
            return why
        return f"{why} (source: {self.call.protocol.sources[source].title})"

    def caller_says(self, question: str) -> str | None:
        """In training, what the scripted caller says to this question."""
        scenario = controller(self).scenario
        if scenario is None:
            return None
        reply = scenario.caller.replies.get(question)
        return reply.say if reply is not None else scenario.caller.default

    @staticmethod
    def prefill(call: Call, question: str, fact: str | None) -> str | None:
        """Text to start a typed answer with, to confirm or correct: what was typed before
        going back over this question, else what the CAD passed in (location, callback)."""
        earlier = call.earlier_answer(question)
        if earlier is not None:
            return earlier.value if not earlier.closed else None
        started = call.state.started
        if fact is None or started is None:
            return None
        return started.context.get(fact)

    @staticmethod
    def previous_answer(call: Call, question: str) -> str | None:
        """What this question was answered before the dispatcher went back over it."""
        earlier = call.earlier_answer(question)
        if earlier is None:
            return None
        return answer_words(call, question, earlier.answer, earlier.value)

    # -- keys ------------------------------------------------------------------------------
    # Number and y/n keys answer at once, inside the key's own handling, so a key pressed
    # right after always meets the next question, however fast the keys come. Each answer
    # names the question it was given to, so it can never land on another one.
    def action_pick(self, number: int) -> None:
        panel = self.query_one(QuestionPanel)
        choice = panel.choice_at(number)
        if choice is not None:
            controller(self).answer(choice, panel.question_shown())

    def action_answer_id(self, answer_id: str) -> None:
        panel = self.query_one(QuestionPanel)
        if panel.has_choice(answer_id):
            controller(self).answer(answer_id, panel.question_shown())

    def action_toggle_why(self) -> None:
        self.why_visible = not self.why_visible
        self.show_call()

    def action_back(self) -> None:
        if not controller(self).finish_opening():
            return
        call = self.call
        if call is None or call.back_target() is None:
            self.notify("This is the first question: there is nothing to go back to.")
            return
        controller(self).apply(call.back)
