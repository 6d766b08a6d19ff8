"""The answered questions so far; choosing one goes back to it."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...engine import Call
from ..words import answer_words, local


class Trail(OptionList):
    @dataclass
    class Chosen(Message):
        """The dispatcher chose an earlier question to go back to."""

        question: str

    def show(self, call: Call) -> None:
        self.clear_options()
        language = call.state.language
        for given in call.state.answers:
            asked = local(call.protocol.questions[given.question].text, language)
            said = answer_words(call, given.question, given.answer, given.value)
            self.add_option(
                Option(Content.assemble((said, "bold"), ("  ← ", "dim"), asked), id=given.question)
            )
        if self.option_count:
            self.highlighted = self.option_count - 1
        self.border_title = f"Trail ({self.option_count}) · Tab, Enter to go back"

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Chosen(event.option.id))
