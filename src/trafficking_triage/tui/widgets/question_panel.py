"""The question being asked: its words, its why line, and the way to answer it.

Choice questions show numbered answers (the screen maps number keys and y/n onto them); text
and number questions show a field that takes typing and Enter. Either way the panel reports a
single `Answered` message carrying what the engine should record.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...engine import Prompt
from ..words import local, plain

SECTION_NAMES = {
    "safety": "SAFETY FIRST",
    "caller": "WHO IS CALLING",
    "screening": "SCREENING (step 1)",
    "facts": "FACTS TO CAPTURE",
}


class QuestionPanel(Vertical):
    @dataclass
    class Answered(Message):
        """The dispatcher gave the caller's answer to `question`: an answer id, or the text."""

        question: str
        value: str

    def __init__(self, *, blink: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self.blink = blink
        self.prompt: Prompt | None = None

    def compose(self) -> ComposeResult:
        yield Static("⚠ YES/NO ONLY: caller cannot talk freely", id="closed-banner")
        yield Static(id="section")
        yield Static(id="question-text")
        yield Static(id="why")
        yield Static(id="previous")
        yield OptionList(id="answers")
        typed = Input(id="typed", select_on_focus=False)
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
        closed_mode: bool,
    ) -> None:
        self.prompt = prompt
        section_name = SECTION_NAMES.get(section, section.upper())
        if prompt.closed:
            section_name += " · asked as yes/no"
        self.query_one("#closed-banner", Static).display = closed_mode
        self.query_one("#section", Static).update(plain(section_name, "bold"))
        self.query_one("#question-text", Static).update(plain(local(prompt.text, language)))
        why_line = self.query_one("#why", Static)
        why_line.update(Content.assemble(("why: ", "bold"), why))
        why_line.display = why_visible
        previous_line = self.query_one("#previous", Static)
        previous_line.update(
            Content.assemble(("Answered before going back: ", "dim"), (previous or "", "bold"))
        )
        previous_line.display = previous is not None
        answers = self.query_one("#answers", OptionList)
        typed = self.query_one("#typed", Input)
        answers.clear_options()
        if prompt.choices:
            for number, choice in enumerate(prompt.choices, start=1):
                key = f"{number}"
                if choice.id in {"yes", "no"} and prompt.yes_no:
                    key += f"/{choice.id[0]}"
                answers.add_option(
                    Option(
                        Content.assemble(
                            (f" {key} ", "bold reverse"), " ", local(choice.label, language)
                        ),
                        id=choice.id,
                    )
                )
            answers.highlighted = 0
            answers.display, typed.display = True, False
            answers.focus()
        else:
            typed.value = ""
            typed.type = "integer" if prompt.kind == "number" else "text"
            typed.placeholder = (
                "type the number, then Enter"
                if prompt.kind == "number"
                else "type what the caller says, then Enter"
            )
            answers.display, typed.display = False, True
            typed.focus()

    def choice_at(self, number: int) -> str | None:
        """The id of the numbered answer (1-based), if there is one."""
        if self.prompt is None or not 1 <= number <= len(self.prompt.choices):
            return None
        return self.prompt.choices[number - 1].id

    def has_choice(self, answer_id: str) -> bool:
        return self.prompt is not None and answer_id in {c.id for c in self.prompt.choices}

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id != "answers":
            return
        event.stop()
        if event.option.id is not None and self.prompt is not None:
            self.post_message(self.Answered(self.prompt.question, event.option.id))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip() and self.prompt is not None:
            self.post_message(self.Answered(self.prompt.question, event.value))
