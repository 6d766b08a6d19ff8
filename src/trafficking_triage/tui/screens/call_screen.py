"""The call screen: the question to ask now, with the checklist, indicators and trail beside it."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.widgets import Static

from ..call_keys import CALL_KEYS, CallKeys
from ..notices import show
from ..route_text import instruction_lines, panel_contact_lines, radio_lines
from ..widgets.answer_input import AnswerInput
from ..widgets.call_header import CallHeader
from ..widgets.checklist import Checklist
from ..widgets.indicator_list import IndicatorList
from ..widgets.key_hints import KeyHints
from ..widgets.question_panel import QuestionPanel
from ..widgets.too_small import TooSmall
from ..widgets.trail import Trail
from ..words import answer_words, local
from .confirm_screen import ConfirmScreen
from .sized_screen import SizedScreen

if TYPE_CHECKING:
    from ...console import CallSession
    from ...engine import Call
    from ...engine.events import NoAnswer


class CallScreen(CallKeys, SizedScreen[None]):
    # The question panel gives the focus to the answer field or list as it shows a question;
    # Textual's own first focus would go to the hidden list first, restyling both.
    AUTO_FOCUS = ""
    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("backspace", "back", "Back", show=False, id="back_backspace"),
        Binding("f3", "toggle_why", "Why", id="why"),
        Binding("f6", "show_route", "ROUTE", id="show_route"),
        Binding("f5", "not_answered('unknown')", "Don't know", id="dont_know"),
        Binding("f7", "not_answered('declined')", "Declined", id="declined"),
        Binding("ctrl+n", "another", "Another", id="another"),
        # A browser (serve) keeps ctrl+n for a new window and never passes it on.
        Binding("ctrl+g", "another", "Another", show=False, id="another_ctrl_g"),
        *CALL_KEYS,
        Binding("y", "answer_id('yes')", "Yes", show=False, id="yes"),
        Binding("n", "answer_id('no')", "No", show=False, id="no"),
        *[Binding(str(n), f"pick({n})", show=False, id=f"pick_{n}") for n in range(1, 10)],
    ]

    def __init__(self, session: CallSession, *, blink: bool = True) -> None:
        super().__init__()
        self.session = session
        self.blink = blink
        self.why_visible = session.presenter
        """Why each question is asked (F3); always, for the classroom's projector."""
        self.shown: Call | None = None
        """The call last drawn: a new one clears what was typed for the last caller."""

    def compose(self) -> ComposeResult:
        yield CallHeader(id="header")
        yield Static(id="settings-warning", classes="body")
        # At most half the screen, so the question stays in view below it; what does not
        # fit scrolls inside it (its scroll bar shows), the numbers being in its first lines.
        with VerticalScroll(id="settled-box", classes="body") as box:
            box.can_focus = False
            yield Static(id="settled")
        with Horizontal(id="body", classes="body"):
            with Vertical(id="main"):
                yield QuestionPanel(
                    id="question", blink=self.blink, answer=self.answer, make_room=self.make_room
                )
                yield Trail(id="trail", choose=self.go_back_to)
            with Vertical(id="side"):
                yield Checklist(id="checklist")
                yield IndicatorList(id="indicators")
        yield KeyHints()
        yield TooSmall()

    def on_mount(self) -> None:
        with contextlib.suppress(NoMatches):  # taken down before it was built
            missing = self.session.missing_settings
            problems = self.session.settings_problems
            warning = self.query_one("#settings-warning", Static)
            lines = [
                Content.assemble(
                    ("⚠ NOT CONFIGURED: ", "bold"),
                    ", ".join(missing) or "none",
                    ("  see: trafficking-triage agency init", "dim")
                    if not problems
                    else ("  the agency file has problems, left out:", "bold"),
                )
            ]
            lines += [Content(f"  {problem}") for problem in problems]
            warning.update(Content("\n").join(lines))
            warning.display = bool(missing or problems)
            self.show_call()

    def focus_first(self) -> None:
        # The answer field or list, whichever the question shows; Textual's first focusable
        # part of a screen seen beneath another can be the trail (its layout lags behind).
        with contextlib.suppress(NoMatches):
            self.query_one(QuestionPanel).focus_answer()

    def show_call(self) -> None:
        # A screen still being built, or being taken down after a quick key (F1 then
        # Escape), may lack its widgets; there is then nothing to draw, and no reason to fail.
        with contextlib.suppress(NoMatches):
            self._show_call()

    def _show_call(self) -> None:
        """Render the call's current state (called after every change)."""
        call = self.session.call
        if call is None:
            return  # a scenario to pick, or an unfinished call to resume, comes first
        if call is not self.shown:
            self.shown = call
            self.query_one(QuestionPanel).reset()  # nothing typed for the last caller stays
        prompt = call.state.prompt
        if prompt is not None:
            question = call.protocol.questions[prompt.question]
            self.query_one(QuestionPanel).show(
                prompt,
                section=question.section,
                language=call.state.language,
                why=self.why_text(question.why, question.source),
                why_visible=self.why_visible,
                previous=self.previous_answer(call, prompt.question),
                prefill=self.prefill(call, prompt.question, question.fact),
                caller_says=self.session.caller_says(prompt.question),
                yes_no_only=call.yes_no_only(),
                after_dispatch=call.state.settled is not None,
                entries=call.state.entries.get(prompt.question, ()),
            )
        self._show_settled(call)
        self._show_time()
        self.query_one(Checklist).show(call.checklist())
        found = [call.protocol.indicators[name] for name, _question in call.indicators()]
        self.query_one(IndicatorList).show(found)
        self.query_one(Trail).show(call, call.state.language)

    def on_resize(self, event: events.Resize) -> None:
        # The settled-route panel's lines are cut to its width: cut them again at the new one.
        # (Textual calls SizedScreen's handler as well: each class's own, down the MRO.)
        self.call_after_refresh(self._reshow_settled)
        with contextlib.suppress(NoMatches):  # the rows left for the answers change too
            self.call_after_refresh(self.query_one(QuestionPanel).fit_answers)

    def _reshow_settled(self) -> None:
        call = self.session.call
        if call is None or call.state.settled is None:
            return  # no panel shown: nothing to cut again
        with contextlib.suppress(NoMatches):  # taken down meanwhile
            self._show_settled(call)

    def make_room(self, short: int) -> None:
        """The question lacks `short` rows (negative: has rows to spare): the settled-route
        panel gives them, down to its first lines (the route and the first number) and
        scrolling inside, and takes them back up to its own share of the screen."""
        box = self.query_one("#settled-box")
        inline = box.styles.inline
        if not box.display:
            return
        height = box.outer_size.height
        if short > 0:
            wanted = max(4, height - short)
        elif short < 0 and inline.has_rule("max_height"):
            wanted = height - short
        else:
            return
        share = int(self.size.height * (0.4 if self.has_class("-compact") else 0.5))
        if wanted >= share:
            if inline.has_rule("max_height"):
                inline.clear_rule("max_height")  # its own share again (the CSS)
                box.refresh(layout=True)
        elif inline.max_height is None or inline.max_height.value != wanted:
            box.styles.max_height = wanted
        else:
            return
        # Measured again once laid out (the question's own size may not change to say so).
        self.call_after_refresh(self.query_one(QuestionPanel).fit_answers)

    def _show_settled(self, call: Call) -> None:
        """Once the route has settled (no later answer can change it), the route, who to call
        and the radio alert stay in view above the questions, which go on after dispatch."""
        panel = self.query_one("#settled", Static)
        settled = call.state.settled
        panel.display = settled is not None and call.state.route is None
        self.query_one("#settled-box").display = panel.display
        if settled is None or not panel.display:
            self.refresh_bindings()
            return
        title = call.protocol.outcomes[settled.outcome].title
        # What the dispatcher reads out or dials is never cut: each contact's numbers come
        # first and whole (only a name is shortened), and the radio alert and the words for
        # the caller wrap. F6 shows the route in full.
        width = max(20, (panel.content_size.width or self.app.size.width - 3) - 1)
        lines = [
            Content.assemble(
                (f" ROUTE SETTLED: {title.upper()} ", "bold reverse"),
                (" send now; keep asking if safe · F6 the route", "bold"),
            ),
            *panel_contact_lines(self.session, call, settled.outcome, width),
            *radio_lines(self.session, call),
            *[
                Content.assemble(("TELL THE CALLER ", "bold"), line)
                for line in instruction_lines(self.session, call, settled.outcome, brief=True)
            ],
        ]
        panel.update(Content("\n").join(lines))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        call = self.session.call
        if action == "show_route":  # offered once the route has settled
            return call is not None and call.state.settled is not None
        if action == "another":  # at a question taking several (persons, vehicles)
            prompt = call.state.prompt if call is not None else None
            return prompt is not None and prompt.several and not prompt.choices
        return self.call_key_offered(action)

    def action_show_route(self) -> None:
        """F6: the full outcome screen for the settled route; Escape (or F6) comes back."""
        call = self.session.call
        if call is not None and call.state.settled is not None and call.state.route is None:
            from .outcome_screen import OutcomeScreen

            self.app.push_screen(OutcomeScreen(self.session, by_f6=True))

    def show_time(self) -> None:
        with contextlib.suppress(NoMatches):  # as in show_call
            self._show_time()

    def _show_time(self) -> None:
        """The elapsed time (once a second) and where the call is."""
        call = self.session.call
        if call is None:
            return
        where = f"question {len(call.state.answers) + 1}" if call.state.prompt else ""
        if where and call.state.settled is not None:
            where += " · after dispatch"
        session = self.session
        header = self.query_one(CallHeader)
        header.show(call, call.clock(), where, session.records_trouble, session.records_place())

    def why_text(self, why: str, source: str) -> str:
        if not self.session.presenter:
            return why
        return f"{why} (source: {self.session.protocol.sources[source].title})"

    @staticmethod
    def prefill(call: Call, question: str, fact: str | None) -> str | None:
        """Text to start a typed answer with, to confirm or correct: what was typed before
        going back over this question, else what the CAD passed in or the dispatcher entered
        (location, callback: F12)."""
        earlier = call.earlier_answer(question)
        if earlier is not None:
            return earlier.value if not earlier.closed else None
        return call.details().get(fact) if fact is not None else None

    @staticmethod
    def previous_answer(call: Call, question: str) -> str | None:
        """What this question was answered before the dispatcher went back over it."""
        earlier = call.earlier_answer(question)
        if earlier is None:
            return None
        return answer_words(call, question, earlier.answer, earlier.value, earlier.unanswered)

    # -- keys ------------------------------------------------------------------------------
    # Number and y/n keys answer at once, inside the key's own handling, so a key pressed
    # right after always meets the next question, however fast the keys come. Each answer
    # names the question it was given to, so it can never land on another one.
    def answer(self, value: str, question: str | None) -> None:
        show(self, self.session.answer(value, question))

    def action_pick(self, number: int) -> None:
        panel = self.query_one(QuestionPanel)
        choice = panel.choice_at(number)
        if choice is not None:
            self.answer(choice, panel.question_shown())

    def action_answer_id(self, answer_id: str) -> None:
        panel = self.query_one(QuestionPanel)
        if panel.has_choice(answer_id):
            self.answer(answer_id, panel.question_shown())

    def action_another(self) -> None:
        """ctrl+n: what is typed is one of several (a person, a vehicle); the question stays
        for the next one."""
        panel = self.query_one(QuestionPanel)
        typed = panel.query_one("#typed", AnswerInput)
        # Once recorded, the panel empties the field for the next one (never before).
        show(self, self.session.add_entry(typed.value, panel.question_shown()))

    def action_not_answered(self, how: NoAnswer) -> None:
        """F5: the caller does not know; F7: the caller declines to say (any question)."""
        panel = self.query_one(QuestionPanel)
        show(self, self.session.not_answered(how, panel.question_shown()))

    def action_toggle_why(self) -> None:
        self.why_visible = not self.why_visible
        self.show_call()

    def action_back(self) -> None:
        # The previous question, always: the danger-now key is taken back on its own screen.
        show(self, self.session.back(acts=False))

    def go_back_to(self, question: str) -> None:
        """A trail choice: change the answer to that question, asking first when there are
        later answers. Those still asked on the new way are kept (given again by the
        console), only new questions are asked (the question is put inside the key's
        handling, so the next key answers it)."""
        session = self.session
        later = session.would_drop(question)
        if later is None or session.call is None:
            return

        def back(confirmed: bool | None = True) -> None:
            # No toast: the question panel itself shows what was answered before.
            if confirmed:
                show(self, session.back(question, amend=True))

        if later == 0:
            back()
            return
        words = local(session.call.words_for(question), session.call.state.language)
        self.app.push_screen(
            ConfirmScreen(
                f"Change this answer? Of the {later} later answer"
                f"{'s' if later != 1 else ''}, those still asked are kept.",
                f"“{words}”\nOnly the questions the new answer brings are asked; "
                "everything stays in the call's record.",
            ),
            back,
        )
