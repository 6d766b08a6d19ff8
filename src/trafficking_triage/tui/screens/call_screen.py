"""The call screen: the question to ask now, with the checklist, indicators and trail beside it."""

from __future__ import annotations

import contextlib

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...engine import Call
from ...engine.events import QuestionAnswered
from ...settings.resolve import missing_settings
from ..controller import controller
from ..widgets.call_header import CallHeader
from ..widgets.checklist import Checklist
from ..widgets.indicator_list import IndicatorList
from ..widgets.question_panel import QuestionPanel
from ..widgets.too_small import TooSmall
from ..widgets.trail import Trail
from ..words import answer_words


class CallScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("backspace", "back", "Back", show=False, id="back_backspace"),
        Binding("f3", "toggle_why", "Why", id="why"),
        Binding("y", "answer_id('yes')", "Yes", show=False, id="yes"),
        Binding("n", "answer_id('no')", "No", show=False, id="no"),
        *[Binding(str(n), f"pick({n})", show=False, id=f"pick_{n}") for n in range(1, 10)],
    ]

    def __init__(self, call: Call, *, blink: bool = True) -> None:
        super().__init__()
        self.call = call
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
        yield Footer()
        yield TooSmall()

    def on_mount(self) -> None:
        with contextlib.suppress(NoMatches):  # taken down before it was built
            if controller(self).presenter:
                self.why_visible = True  # for the classroom: why and source beside each question
            settings = controller(self).settings
            missing = missing_settings(self.call.protocol, settings.settings if settings else None)
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

    def set_call(self, call: Call) -> None:
        self.call = call
        self.query_one(QuestionPanel).reset()
        self.show_call()

    def show_call(self) -> None:
        # A screen still being built, or being taken down after a quick key (F1 then
        # Escape), may lack its widgets; there is then nothing to draw, and no reason to fail.
        with contextlib.suppress(NoMatches):
            self._show_call()

    def _show_call(self) -> None:
        """Render the call's current state (called after every change)."""
        call = self.call
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
                previous=self.previous_answer(prompt.question),
                prefill=self.prefill(prompt.question, question.fact),
                caller_says=self.caller_says(prompt.question),
                closed_mode=call.closed_mode(),
            )
        self.query_one(CallHeader).show(
            call, call.clock(), header_where, controller(self).records_trouble
        )
        self.query_one(Checklist).show(call.checklist())
        self.query_one(IndicatorList).show(call)
        self.query_one(Trail).show(call)

    def tick(self) -> None:
        # A screen still being built, or being taken down after a quick key (F1 then
        # Escape), may lack its widgets; there is then nothing to draw, and no reason to fail.
        with contextlib.suppress(NoMatches):
            self._tick()

    def _tick(self) -> None:
        """Once a second: the elapsed time."""
        prompt = self.call.state.prompt
        where = f"question {len(self.call.state.answers) + 1}" if prompt else ""
        self.query_one(CallHeader).show(
            self.call, self.call.clock(), where, controller(self).records_trouble
        )

    def why_text(self, why: str, source: str) -> str:
        if not controller(self).presenter:
            return why
        return f"{why} (source: {self.call.protocol.sources[source].title})"

    def caller_says(self, question: str) -> str | None:
        """In training, what the scripted caller says to this question."""
        scenario = controller(self).scenario
        if scenario is None:
            return None
        reply = scenario.caller.replies.get(question)
        return reply.say if reply is not None else scenario.caller.default

    def prefill(self, question: str, fact: str | None) -> str | None:
        """Text to start a typed answer with, to confirm or correct: what was typed before
        going back over this question, else what the CAD passed in (location, callback)."""
        for event in reversed(self.call.events):
            if isinstance(event, QuestionAnswered) and event.question == question:
                return event.value if not event.closed else None
        started = self.call.state.started
        if fact is None or started is None:
            return None
        return started.context.get(fact)

    def previous_answer(self, question: str) -> str | None:
        """What this question was answered before the dispatcher went back over it."""
        for event in reversed(self.call.events):
            if isinstance(event, QuestionAnswered) and event.question == question:
                return answer_words(self.call, question, event.answer, event.value)
        return None

    # -- keys ------------------------------------------------------------------------------
    # Number and y/n keys answer at once, inside the key's own handling, so a key pressed
    # right after always meets the next question, however fast the keys come.
    def action_pick(self, number: int) -> None:
        choice = self.query_one(QuestionPanel).choice_at(number)
        if choice is not None:
            controller(self).answer(choice)

    def action_answer_id(self, answer_id: str) -> None:
        if self.query_one(QuestionPanel).has_choice(answer_id):
            controller(self).answer(answer_id)

    def action_toggle_why(self) -> None:
        self.why_visible = not self.why_visible
        self.show_call()

    def action_back(self) -> None:
        target = self.call.back_target()
        if target is None:
            self.notify("This is the first question: there is nothing to go back to.")
            return
        controller(self).apply(self.call.back)

    def on_trail_chosen(self, message: Trail.Chosen) -> None:
        controller(self).go_back_to(message.question, ask=True)
