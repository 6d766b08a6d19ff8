"""The answered questions so far; choosing one goes back to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets.option_list import Option

from ...engine.events import EntryAdded, NoteAdded
from ..words import answer_words, local
from .steady_option_list import SteadyOptionList

if TYPE_CHECKING:
    from ...engine import Call


class Trail(SteadyOptionList):
    def __init__(self, choose: Callable[[str], None], id: str | None = None) -> None:
        super().__init__(id=id)
        self.choose = choose
        """Goes back to a question (the screen's, which asks first)."""

    _shown: list[tuple[object, ...]]
    _language = ""

    def show(self, call: Call | None, language: str) -> None:
        """List the answers standing and the notes, in the order they came; when the call only
        moved on, just the new ones are added. Without a call there are none."""
        language = language.split("+")[0]  # one language a line in the trail
        wanted = self.entries(call) if call else []
        shown: list[tuple[object, ...]] = getattr(self, "_shown", [])
        if wanted[: len(shown)] != shown or self._language != language:
            self.clear_options()
            shown = []
        options = []
        for entry in wanted[len(shown) :]:
            assert call is not None
            if entry[0] == "note":
                text = str(entry[2])
                options.append(Option(Content.assemble(("NOTE ", "bold reverse"), " ", text)))
                continue
            if entry[0] == "entry":  # one of several described (no id: Back is by its answer)
                where = local(call.words_for(str(entry[2])), language)
                one = Content.assemble(("+ ", "bold"), (str(entry[3]), "bold"))
                options.append(Option(Content.assemble(one, ("  ← ", "dim"), where)))
                continue
            _kind, question, answer, value, unanswered, yes_no_form = entry
            assert isinstance(question, str)
            form = call.protocol.questions[question].yes_no_form
            words = form.text if yes_no_form and form else call.words_for(question)
            asked = local(words, language)  # as it was read to this caller
            said = answer_words(call, question, answer, value, unanswered)  # type: ignore[arg-type]
            if yes_no_form and form and form.yes is not None and unanswered is None:
                # The caller said yes or no to the yes/no form: that, not the answer it stands for.
                meta = call.protocol.protocol
                label = meta.yes_label if answer == form.yes else meta.no_label
                said = local(label, language)
            prompt = Content.assemble((said, "bold"), ("  ← ", "dim"), asked)
            options.append(Option(prompt, id=question))
        if options:
            self.add_options(options)
        self._shown = wanted
        self._language = language
        if self.option_count:
            self.highlighted = self.option_count - 1
        self.border_title = f"Trail ({self.option_count}) · Tab, Enter to change an answer"

    @staticmethod
    def entries(call: Call) -> list[tuple[object, ...]]:
        """The answers standing and every note, by their place among the call's events."""
        placed: list[tuple[int, tuple[object, ...]]] = [
            (g.seq, ("answer", g.question, g.answer, g.value, g.unanswered, g.yes_no_form))
            for g in call.state.answers
        ]
        placed += [
            (index, ("note", index, event.text))
            for index, event in enumerate(call.events)
            if isinstance(event, NoteAdded)
        ]
        placed += [
            (index, ("entry", index, event.question, event.text))
            for index, event in enumerate(call.events)
            if isinstance(event, EntryAdded)
        ]
        return [entry for _seq, entry in sorted(placed, key=lambda item: item[0])]

    def action_select(self) -> None:
        # Going back asks first (how many answers fall away); the question is put inside the
        # key's handling, so the key pressed next answers it (see key_turns).
        option = self.highlighted_option
        if option is not None and option.id is not None:
            self.choose(option.id)
