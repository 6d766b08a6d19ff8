"""The outcome screen: where the call goes, who to call, what to tell the caller, and why.

Shown when the route is reached; on F6 as soon as it has settled (no later answer can change
it) while the questions go on, and Escape or F6 then returns to them; and on the danger-now
key (F2), after which F6 goes on with the questions left and Escape takes the key back. The
checklist of the steps that apply is ticked here with the steps' number keys.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.widgets import Static

from ...console import Refusal
from ..call_keys import CALL_KEYS, CallKeys
from ..notices import show
from ..route_text import contact_lines, instruction_lines, radio_lines
from ..widgets.call_header import CallHeader
from ..widgets.checklist import Checklist
from ..widgets.key_hints import KeyHints
from ..widgets.too_small import TooSmall
from ..words import answer_words, local
from .confirm_screen import ConfirmScreen
from .sized_screen import SizedScreen

if TYPE_CHECKING:
    from ...console import CallSession
    from ...engine import Call


class OutcomeScreen(CallKeys, SizedScreen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("backspace", "back", "Back", show=False, id="back_backspace"),
        Binding("f6", "questions", "Questions", id="questions"),
        Binding("e", "end_questioning", "End questions", id="end_questioning"),
        Binding("c", "close_call", "Close call", id="close_call"),
        Binding("x", "copy_narrative", "Copy for CAD", id="copy_narrative"),
        *CALL_KEYS,
        *[Binding(str(n), f"tick({n})", show=False, id=f"tick_{n}") for n in range(1, 10)],
    ]

    def __init__(self, session: CallSession, *, by_f6: bool = False, by_f2: bool = False) -> None:
        super().__init__()
        self.session = session
        self.by_f6 = by_f6
        """Opened with F6 on a settled route while the questions go on (not reached)."""
        self.by_f2 = by_f2
        """Opened by the danger-now key while questions were left: Escape takes it back."""
        self.escalated_before = session.call.state.escalated_seq if session.call else 0
        """Where a danger-now key pressed before this screen opened stands among the events."""
        call = session.call
        assert call is not None, "a call is routed (or settled) before its outcome shows"
        self.call: Call = call

    def outlived(self) -> bool:
        """The call went back over the route this screen shows (one opened by F6 stays as
        long as the route is settled)."""
        call = self.call
        if self.by_f2 and call.state.escalated is None:
            return True  # the danger-now key was taken back
        opened_early = self.by_f6 or self.by_f2
        return call.state.route is None and (not opened_early or call.dispatch_outcome() is None)

    @property
    def early(self) -> bool:
        """The route has settled but the questions go on: not reached yet."""
        return self.call.state.route is None

    def compose(self) -> ComposeResult:
        yield CallHeader(id="header")
        with Horizontal(id="outcome-body", classes="body"):
            # What the dispatcher needs first, in the first lines (in view at 80x24 whatever
            # the agency settings hold): the route and why in a line, then who to call.
            with VerticalScroll(id="outcome"):
                yield Static(id="route-banner")
                yield Static(id="contacts")
                yield Static(id="tell")
                yield Static(id="summary")
                yield Static(id="radio")
                yield Static(id="because")
            with Vertical(id="side"):
                yield Checklist(id="outcome-checklist")
        yield KeyHints()
        yield TooSmall()

    def on_mount(self) -> None:
        with contextlib.suppress(NoMatches):  # taken down before it was built
            self.show_call()
            # Focus the route's text so arrows scroll it; this also fills the footer's key list.
            self.query_one("#outcome", VerticalScroll).focus()

    def show_call(self) -> None:
        # A screen still being built, or being taken down after a quick key (F1 then
        # Escape), may lack its widgets; there is then nothing to draw, and no reason to fail.
        with contextlib.suppress(NoMatches):
            self._show_call()

    def _show_call(self) -> None:
        call = self.call
        target = call.dispatch_outcome()
        if target is None:
            return
        outcome = call.protocol.outcomes[target]
        self._show_time()
        self.query_one("#route-banner", Static).update(
            Content.assemble(
                (f" ROUTE: {outcome.title.upper()} ", "bold reverse"), "\n", self.why_line()
            )
        )
        self.query_one("#contacts", Static).update(self.contacts_text(target))
        self.query_one("#summary", Static).update(Content(outcome.summary))
        radio = self.radio_text()
        self.query_one("#radio", Static).update(radio)
        self.query_one("#radio", Static).display = bool(radio.plain)
        self.query_one("#tell", Static).update(self.tell_text(target))
        self.query_one("#because", Static).update(self.because_text())
        self.query_one(Checklist).show(call.checklist(), hint="number keys tick steps", keys=True)
        self.refresh_bindings()  # the keys differ once the route is reached

    def tell_text(self, target: str) -> Content:
        """What to tell the caller; once the caller has hung up, what to do next instead
        (the protocol's words, with what the caller said of a callback and the place)."""
        call = self.call
        if not call.hung_up():
            lines = [Content.styled("TELL THE CALLER", "bold")]
            return Content("\n").join(lines + instruction_lines(self.session, call, target))
        lines = [Content.styled("THE CALLER HUNG UP: WHAT TO DO NEXT", "bold")]
        words = call.hung_up_words(target)
        return Content("\n").join([*lines, *([Content(words)] if words else [])])

    def show_time(self) -> None:
        # A screen still being built, or being taken down after a quick key (F1 then
        # Escape), may lack its widgets; there is then nothing to draw, and no reason to fail.
        with contextlib.suppress(NoMatches):
            self._show_time()

    def _show_time(self) -> None:
        where = "route settled · questions go on (F6)" if self.early else "route reached"
        if self.call.hung_up():
            where = "caller hung up"
        self.query_one(CallHeader).show(
            self.call,
            self.call.clock(),
            where,
            self.session.records_trouble,
            self.session.records_place(),
        )

    def why_line(self) -> Content:
        """Why this route, in one line (the answers that decided it follow further down)."""
        route = self.call.state.route or self.call.state.escalated
        settled = self.call.state.settled
        given = next(
            (g for g in self.call.state.answers if settled and g.question == settled.question),
            None,
        )
        if route is None and given is not None:
            asked = local(self.call.words_for(given.question), "en")
            said = answer_words(
                self.call, given.question, given.answer, given.value, given.unanswered
            )
            because = f'"{asked}" {said}: no later answer can change the route'
        elif route is None:
            because = "the answers so far leave only this route"
        elif route.escalated:
            because = "the danger-now key (F2) was pressed"
        else:
            because = route.because
        return Content.assemble(("Why: ", "bold"), because)

    def contacts_text(self, outcome_id: str) -> Content:
        lines = [Content.styled("CALL OR TRANSFER TO", "bold")]
        lines += contact_lines(self.session, self.call, outcome_id)
        return Content("\n").join(lines)

    def radio_text(self) -> Content:
        """The radio alerts and the agency's local resources, below what to tell the caller."""
        lines = radio_lines(self.session, self.call)
        settings = self.session.settings
        for resource in settings.settings.resources if settings is not None else []:
            details = " · ".join(v for v in (resource.phone, resource.web, resource.note) if v)
            lines.append(Content.assemble(("+ ", "bold"), resource.name, ": ", details))
        return Content("\n").join(lines)

    def because_text(self) -> Content:
        call = self.call
        route = call.state.route or call.state.escalated
        if route is None:
            found = [call.protocol.indicators[name].label for name, _ in call.indicators()]
            signs = "; ".join(found) if found else "none so far"
            return Content.assemble(
                ("WHY THIS ROUTE  ", "bold"),
                "The answers so far leave only this route: no later answer can change it.",
                "\n• Signs found: ",
                (signs, "bold"),
            )
        because = route.because
        if route.escalated:
            because = "The danger-now key (F2) was pressed"
            if route.escalated_at is not None:
                asked = local(call.words_for(route.escalated_at), call.state.language)
                because += f" while asking: {asked}"
        lines = [Content.assemble(("WHY THIS ROUTE  ", "bold"), because)]
        for reason in route.deciding:
            asked = local(call.words_for(reason.question), call.state.language)
            said = answer_words(call, reason.question, reason.answer, None, reason.unanswered)
            lines.append(Content.assemble("• ", asked, " → ", (said, "bold")))
        return Content("\n").join(lines)

    def action_tick(self, number: int) -> None:
        show(self, self.session.toggle_step(number))

    def f2_just_pressed(self) -> bool:
        """The danger-now key was the last thing done, and done on this screen (or it opened
        it): Escape takes it back. One pressed before, then F6, is not taken back here."""
        call = self.call
        here = self.by_f2 or call.state.escalated_seq > self.escalated_before
        return here and call.escalation_is_last()

    def action_back(self) -> None:
        if self.early and self.f2_just_pressed():
            show(self, self.session.back())  # right after the danger-now key: takes it back
        elif self.early:
            self.action_questions()  # nothing is undone: the questions go on
        elif self.call.back_target() is not None:
            show(self, self.session.back())
            if self.early and self.is_current:
                self.dismiss()  # the questions were ended here: Back goes on with them

    def action_questions(self) -> None:
        if self.early and self.is_current:
            self.dismiss()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"questions", "end_questioning"}:
            return self.early  # back to the questions, or end them, while they go on
        if action == "copy_narrative":
            return self.session.recording()  # without a record there is no narrative to copy
        return self.call_key_offered(action)

    def action_copy_narrative(self) -> None:
        """The call as plain text for the CAD remarks: to a private file, and to the
        clipboard where the terminal allows it (OSC 52)."""
        copied = self.session.narrative()
        if isinstance(copied, Refusal):
            show(self, copied)
            return
        self.app.copy_to_clipboard(copied.text)
        self.notify(copied.notice.message, title=copied.notice.title, markup=False)

    def action_end_questioning(self) -> None:
        """End the questions on the settled route, asking first; the questions that could
        still have been asked are recorded with the call."""
        if not self.early:
            return
        left = len(self.call.questions_left())

        def end(confirmed: bool | None) -> None:
            if confirmed:
                show(self, self.session.end_questioning())

        self.app.push_screen(
            ConfirmScreen(
                f"End the questions here? Up to {left} more could still be asked.",
                "The route stays as it is; the questions left unasked are recorded.",
            ),
            end,
        )

    def action_close_call(self) -> None:
        """Close the call, asking first when steps are open or questions are left (those
        left unasked are recorded, as `e` records them)."""
        open_steps = self.call.open_steps()
        left = len(self.call.questions_left()) if self.early else 0

        def close(confirmed: bool | None = True) -> None:
            if confirmed:
                show(self, self.session.close_call())

        if not open_steps and not left:
            close()
            return
        steps = ", ".join(str(n) for n in open_steps)
        question = "Close the call"
        if open_steps:
            question += f" with step{'s' if len(open_steps) != 1 else ''} {steps} open"
        if left:
            question += f"{' and' if open_steps else ''} with questions left to ask"
        self.app.push_screen(
            ConfirmScreen(
                f"{question}?",
                "The open steps are recorded with the call."
                if not left
                else "What is left open or unasked is recorded with the call.",
            ),
            close,
        )
