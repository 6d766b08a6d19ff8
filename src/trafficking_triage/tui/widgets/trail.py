"""The answered questions so far; choosing one goes back to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets.option_list import Option

from ..words import answer_words, local
from .steady_option_list import SteadyOptionList

if TYPE_CHECKING:
    from ...engine import Call


class Trail(SteadyOptionList):
    def __init__(self, choose: Callable[[str], None], id: str | None = None) -> None:
        super().__init__(id=id)
        self.choose = choose
        """Goes back to a question (the screen's, which asks first)."""

    _shown: list[tuple[str, str | None, str | None]]
    _language = ""

    def show(self, call: Call | None, language: str) -> None:
        """List the answers; when the call only moved on, just the new ones are added.
        Without a call there are none."""
        language = language.split("+")[0]  # one language a line in the trail
        wanted = [(g.question, g.answer, g.value) for g in call.state.answers] if call else []
        shown: list[tuple[str, str | None, str | None]] = getattr(self, "_shown", [])
        if wanted[: len(shown)] != shown or self._language != language:
            self.clear_options()
            shown = []
        options = []
        for question, answer, value in wanted[len(shown) :]:
            assert call is not None
            asked = local(call.protocol.questions[question].text, language)
            said = answer_words(call, question, answer, value)
            prompt = Content.assemble((said, "bold"), ("  ← ", "dim"), asked)
            options.append(Option(prompt, id=question))
        if options:
            self.add_options(options)
        self._shown = wanted
        self._language = language
        if self.option_count:
            self.highlighted = self.option_count - 1
        self.border_title = f"Trail ({self.option_count}) · Tab, Enter to go back"

    def action_select(self) -> None:
        # Going back asks first (how many answers fall away); the question is put inside the
        # key's handling, so the key pressed next answers it (see key_turns).
        option = self.highlighted_option
        if option is not None and option.id is not None:
            self.choose(option.id)
