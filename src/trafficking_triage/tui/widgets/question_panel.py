"""The question being asked: its words, its why line, and the way to answer it.

Choice questions show numbered answers (the screen maps number keys and y/n onto them); text
and number questions show a field that takes typing and Enter. Every way of answering goes
straight to the screen's `answer`, inside the key's handling, so fast keys are recorded in order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static
from textual.widgets.option_list import Option

from ..words import local, plain, set_content
from .answer_input import AnswerInput
from .answer_list import AnswerList

if TYPE_CHECKING:
    from ...engine import Prompt

SECTION_NAMES = {
    "safety": "SAFETY FIRST",
    "caller": "WHO IS CALLING",
    "screening": "SCREENING (step 1)",
    "facts": "FACTS TO CAPTURE",
}


class QuestionPanel(Vertical):
    def __init__(
        self,
        *,
        answer: Callable[[str, str | None], None],
        make_room: Callable[[int], None] = lambda short: None,
        blink: bool = True,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.answer = answer
        """Records an answer to a question: the screen's, which calls the session."""
        self.make_room = make_room
        """Told how many rows the question and its way to answer lack (negative: spare),
        after each layout: the screen gives way above (the settled-route panel scrolls)."""
        self.blink = blink
        self.prompt: Prompt | None = None
        self._labels: list[tuple[str, str]] | None = None
        self._entry_count = 0
        """Entries shown at this question (several persons): one more empties the field."""

    def compose(self) -> ComposeResult:
        # The words above the answers are one Static, not one per part: each widget costs
        # styling and layout on every answer and before the first question can show.
        yield Static(id="question-words")
        yield AnswerList(self.answer, id="answers")
        yield Static(id="more-answers")
        typed = AnswerInput(self.answer, id="typed", select_on_focus=False)
        typed.cursor_blink = self.blink
        yield typed

    def show(
        self,
        prompt: Prompt,
        *,
        section: str,
        language: str,
        why: str,
        why_visible: bool,
        previous: str | None,
        yes_no_only: bool,
        prefill: str | None = None,
        caller_says: str | None = None,
        after_dispatch: bool = False,
        entries: Sequence[str] = (),
    ) -> None:
        new_question = self.prompt is None or self.prompt.question != prompt.question
        self.prompt = prompt
        section_name = SECTION_NAMES.get(section, section.upper())
        if prompt.yes_no_form:
            section_name += " · asked as yes/no"
        if after_dispatch:
            section_name += " · AFTER DISPATCH"
        # A blank line between parts, as the screen has always spaced them.
        parts: list[Content] = []
        if yes_no_only:
            parts.append(plain(" ⚠ YES/NO ONLY: caller cannot talk freely ", "bold reverse"))
        parts.append(plain(section_name, "bold dim"))
        parts.append(plain(local(prompt.text, language), "bold"))
        if caller_says is not None:
            parts.append(Content.assemble(("CALLER: ", "bold reverse"), " ", caller_says))
        if why_visible:
            parts.append(Content.assemble(("why: ", "bold"), why).stylize("dim"))
        if previous is not None:
            parts.append(
                Content.assemble(("Answered before going back: ", "dim"), (previous, "bold"))
            )
        set_content(self.query_one("#question-words", Static), Content("\n\n").join(parts))
        answers = self.query_one("#answers", AnswerList)
        typed = self.query_one("#typed", AnswerInput)
        answers.question = typed.question = prompt.question
        if prompt.choices:
            labels = [(c.id, local(c.label, language, " · ")) for c in prompt.choices]
            # Consecutive yes/no questions offer the same answers: keep the list as it is.
            if labels != getattr(self, "_labels", None):
                self._labels = labels
                answers.clear_options()
                options = []
                for number, (answer_id, label) in enumerate(labels, start=1):
                    key = f"{number}"
                    if answer_id in {"yes", "no"} and prompt.yes_no:
                        key += f"/{answer_id[0]}"
                    options.append(
                        Option(
                            Content.assemble((f" {key} ", "bold reverse"), " ", label),
                            id=answer_id,
                        )
                    )
                answers.add_options(options)
            # Nothing highlighted: Enter alone picks nothing (a stray Enter must not answer
            # the first answer); a number, y/n, or an arrow and then Enter does.
            answers.highlighted = None
            answers.display, typed.display = True, False
        else:
            if new_question:
                typed.value = prefill or ""  # what the CAD passed in, else an empty field
            elif len(entries) > self._entry_count:
                typed.value = ""  # the one typed is recorded: the field is for the next
            self._entry_count = len(entries)
            typed.placeholder = (
                "8, about 8, 8-10, a dozen; then Enter"
                if prompt.kind == "number"
                else "ctrl+n another · Enter the last one"
                if prompt.several and not entries
                else "ctrl+n another · Enter alone: no more"
                if prompt.several
                else "type what the caller says, then Enter"
            )
            # On the field's own border, so it costs no row: each one is in the trail in full.
            # A Content, never a string: a string would be read as markup (the caller's words).
            typed.border_title = (
                Content.assemble(f"✔ {len(entries)} recorded, the last: ", entries[-1])
                if entries
                else None
            )
            answers.display, typed.display = False, True
        self.focus_answer()
        self.call_after_refresh(self.fit_answers)

    TRAIL_LEAST = 4
    """Rows kept for the trail below where there is room (its border, a line, the space above
    it). Where there is not (60x20 with a route settled), the question and its answers come
    first: the trail gives way."""

    def fit_answers(self) -> None:
        """Every answer within reach, and seen to be: the list is given the rows the screen
        has left (a settled-route panel above, two languages, a small terminal), scrolls
        within them, and says under it how many answers are below or above what shows."""
        answers = self.query_one("#answers", AnswerList)
        more = self.query_one("#more-answers", Static)
        main = self.parent
        if not isinstance(main, Widget) or not main.size.height or self.prompt is None:
            return
        words = self.query_one("#question-words", Static)
        # The words and a way to answer (the field, or two answers and the "more" line) are
        # always in view: the screen makes room above when they do not fit.
        least = 3 if not answers.display else min(2, len(self.prompt.choices)) + 1
        self.make_room(words.region.bottom + least - main.content_region.bottom)
        if not answers.display:
            more.display = False
            return
        room = main.size.height - words.outer_size.height - self.TRAIL_LEAST - 1
        rows = max(2, min(9, room))
        if answers.styles.max_height is None or answers.styles.max_height.value != rows:
            answers.styles.max_height = rows
            self.call_after_refresh(self.say_more)
        self.say_more()

    def on_resize(self) -> None:
        self.call_after_refresh(self.fit_answers)  # a new screen size: the rows left change

    def say_more(self) -> None:
        answers = self.query_one("#answers", AnswerList)
        more = self.query_one("#more-answers", Static)
        below = answers.virtual_size.height - answers.scroll_y - answers.size.height
        above = answers.scroll_y
        # Short enough for the question's column at 80x24 (44 columns).
        parts = []
        if below > 0:
            parts.append("↓ more below" + ("" if above > 0 else " (↓ or the answer's number)"))
        if above > 0:
            parts.append("↑ more above")
        more.display = bool(parts) and answers.display
        if parts:
            set_content(more, plain(" · ".join(parts), "bold"))

    def focus_answer(self) -> None:
        """Focus the answer list or the field, whichever this question shows."""
        if self.prompt is None:
            return
        if self.prompt.choices:
            target: Widget = self.query_one("#answers", AnswerList)
        else:
            target = self.query_one("#typed", AnswerInput)
        if self.screen.focused is not target:
            # set_focus takes effect now (focus() waits a message), so the next key, let
            # through once this one is dealt with (key_turns), goes to this field.
            self.screen.set_focus(target)

    def question_shown(self) -> str | None:
        """The id of the question on screen, which an answer given here is meant for."""
        return self.prompt.question if self.prompt is not None else None

    def choice_at(self, number: int) -> str | None:
        """The id of the numbered answer (1-based), if there is one."""
        if self.prompt is None or not 1 <= number <= len(self.prompt.choices):
            return None
        return self.prompt.choices[number - 1].id

    def reset(self) -> None:
        """Forget the last call: nothing typed for one caller may show during the next."""
        self.prompt = None
        self._labels = None
        self._entry_count = 0
        self.query_one("#typed", AnswerInput).value = ""

    def has_choice(self, answer_id: str) -> bool:
        return self.prompt is not None and answer_id in {c.id for c in self.prompt.choices}
