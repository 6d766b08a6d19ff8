"""An OptionList whose Page Up / Page Down cannot fail.

Textual's OptionList looks up line positions that exist only once the list has been laid out;
Page Down right after the options change (a fast key, a script) raised KeyError there and
stopped the whole console. Until the layout exists there is nothing to page through."""

from __future__ import annotations

import contextlib

from textual.widgets import OptionList


class SteadyOptionList(OptionList):
    def action_page_down(self) -> None:
        with contextlib.suppress(KeyError, IndexError):
            super().action_page_down()  # type: ignore[no-untyped-call]

    def action_page_up(self) -> None:
        with contextlib.suppress(KeyError, IndexError):
            super().action_page_up()  # type: ignore[no-untyped-call]
