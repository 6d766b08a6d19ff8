"""`train` with no scenario named: the trainer picks one from the list."""

from __future__ import annotations

import contextlib

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...training.scenario import Scenario
from ..widgets.key_hints import KeyHints
from ..widgets.steady_option_list import SteadyOptionList
from ..widgets.too_small import TooSmall
from .sized_screen import SizedScreen


class ScenarioPickerScreen(SizedScreen[Scenario]):
    def __init__(self, scenarios: list[Scenario], *, presenter: bool = False) -> None:
        super().__init__()
        self.scenarios = scenarios
        self.presenter = presenter
        """Show what a good call does (which names the route); a trainee sees the scene only."""

    def compose(self) -> ComposeResult:
        yield Static(
            Content.styled(" TRAINING · pick a scenario, Enter starts the call ", "bold reverse")
        )
        with Horizontal(id="picker", classes="body"):
            yield SteadyOptionList(
                *[Option(Content(s.title), id=str(n)) for n, s in enumerate(self.scenarios)],
                id="picker-list",
                on_pick=self.pick,
            )
            # Not focusable: a click in the description must leave Enter to the list.
            with VerticalScroll(id="picker-detail", can_focus=False):
                yield Static(id="picker-summary")
        yield KeyHints()
        yield TooSmall()

    def on_mount(self) -> None:
        with contextlib.suppress(NoMatches):  # taken down before it was built
            picker = self.query_one("#picker-list", OptionList)
            picker.highlighted = 0
            picker.focus()
            self.describe(0)

    def describe(self, index: int) -> None:
        # A screen still being built, or being taken down after a quick key (F1 then
        # Escape), may lack its widgets; there is then nothing to draw, and no reason to fail.
        with contextlib.suppress(NoMatches):
            self._describe(index)

    def _describe(self, index: int) -> None:
        scenario = self.scenarios[index]
        good: list[str | tuple[str, str]] = []
        if self.presenter and scenario.good_call:
            good = [("\n\nA good call: ", "bold"), scenario.good_call.strip()]
        self.query_one("#picker-summary", Static).update(
            Content.assemble(
                (scenario.title.upper(), "bold"),
                "\n\n",
                scenario.summary.strip(),
                *good,
                ("\n\nCaller speaks: ", "bold"),
                scenario.caller.language,
                ("\nTarget time to route: ", "bold"),
                f"{scenario.expect.time_target_seconds} s",
                ("\nDrawn from: ", "dim"),
                (scenario.source, "dim"),
            )
        )

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self.describe(int(event.option.id))

    def pick(self, option_id: str) -> None:
        # is_current: a second key in a burst must not dismiss twice
        if self.is_current:
            self.dismiss(self.scenarios[int(option_id)])
