"""The reference (F1 or ?): keys, indicators, the law, the five barriers, the Hotline,
Crime Stoppers, interpreters; pages chosen from a list on the left."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..widgets.key_hints import KeyHints
from ..widgets.steady_option_list import SteadyOptionList
from ..widgets.too_small import TooSmall
from .sized_screen import SizedScreen

if TYPE_CHECKING:
    from textual.app import App

    from ...console import CallSession
    from ...protocol import Protocol
    from ...settings.models import Resource

KEYS = """\
DURING A CALL
1-9: pick the numbered answer
y / n: answer a yes/no question
arrows, Enter: move and pick
typing, Enter: a typed answer (a number as said: 8, about 8, 8-10, a dozen)
ctrl+n (ctrl+g in a browser): several persons or vehicles: records the one typed,
  asks for the next; Enter gives the last one, or, on an empty field, no more
F5: the caller does not know; F7: the caller declines to say (any question)
F8: add a note to the call; F9: yes/no mode on or off
F12 (or ctrl+o): the call's incident number, callback and location
Escape: back to the previous question (Backspace too, outside a text field)
Tab: to the trail; Enter there changes that answer (later ones still asked are kept)
F2: DANGER NOW, straight to the officer route, from any screen of a call
F10: the caller hung up: the route for what is known, and what to do next
F6: once the route has settled, the route; F6 or Escape comes back
F3: show or hide why a question is asked
F4: English, Spanish, or Spanish with English beneath

ON THE ROUTE SCREEN
1-8: tick or untick a step of the route
F6: back to the questions, while they go on (after F2 too)
e: end the questions there (asks first)
Escape right after F2: takes the danger-now key back
Escape after F10: the caller is still there: the questions go on
c: close the call (asks first if steps are open or questions left)

EVERYWHERE
F1 or ?: this reference (Escape closes it)
ctrl+q: quit (asks first during a call)"""


def reflow(body: str) -> str:
    """Join the hard-wrapped lines of a paragraph or list item, so the screen wraps them.

    Bodies are written in the protocol file at a fixed width; the reference pane is narrower or
    wider than that, and text wrapped twice reads badly."""
    out: list[str] = []
    for line in body.strip().splitlines():
        text = line.strip()
        continues = out and out[-1] and text and not text.startswith("- ")
        if continues:
            out[-1] = f"{out[-1]} {text}"
        else:
            out.append(text)
    return "\n".join(out)


def pages(protocol: Protocol, resources: Sequence[Resource] = ()) -> list[tuple[str, str]]:
    """(title, body) of each page, in the order they are listed."""
    found = [("Keys", KEYS)]
    found += [(section.title, reflow(section.body)) for section in protocol.reference]
    found.append(
        (
            "Indicators in this protocol",
            "\n".join(
                f"- {i.label} ({i.kind}): {i.description.strip()}"
                for i in protocol.indicators.values()
            ),
        )
    )
    found.append(
        (
            "The eight steps",
            "\n".join(f"{s.number}. {s.title}: {s.text.strip()}" for s in protocol.steps),
        )
    )
    contacts = []
    for contact in protocol.contacts.values():
        numbers = ", ".join(
            f"{label} {value}"
            for label, value in (
                ("phone", contact.phone),
                ("text", contact.text_line),
                ("TTY", contact.tty),
            )
            if value
        )
        status = numbers or "NOT CONFIGURED (agency setting)"
        contacts.append(f"- {contact.name}: {status}\n  {contact.role.strip()}")
    found.append(("Contacts", "\n".join(contacts)))
    if resources:
        found.append(
            (
                "Local resources",
                "\n".join(
                    f"- {r.name}: " + ", ".join(v for v in (r.phone, r.web, r.note) if v)
                    for r in resources
                ),
            )
        )
    return found


class ReferenceScreen(SizedScreen[None]):
    BINDINGS = [
        Binding("escape", "close", "Close", id="close_reference"),
        Binding("q", "close", show=False),
    ]

    def __init__(self, protocol: Protocol, resources: Sequence[Resource] = ()) -> None:
        super().__init__()
        self.pages = pages(protocol, resources)

    def compose(self) -> ComposeResult:
        with Horizontal(id="reference", classes="body"):
            yield SteadyOptionList(
                *[Option(Content(title), id=str(n)) for n, (title, _) in enumerate(self.pages)],
                id="reference-pages",
            )
            with VerticalScroll(id="reference-page"):
                yield Static(id="reference-text")
        yield KeyHints()
        yield TooSmall()

    def on_mount(self) -> None:
        with contextlib.suppress(NoMatches):  # taken down before it was built
            self.show_page(0)
            self.query_one("#reference-pages", OptionList).highlighted = 0

    def show_page(self, index: int) -> None:
        # A screen still being built, or being taken down after a quick key (F1 then
        # Escape), may lack its widgets; there is then nothing to draw, and no reason to fail.
        with contextlib.suppress(NoMatches):
            self._show_page(index)

    def _show_page(self, index: int) -> None:
        title, body = self.pages[index]
        self.query_one("#reference-text", Static).update(
            Content.assemble((title.upper(), "bold"), "\n\n", body)
        )
        self.query_one("#reference-page", VerticalScroll).scroll_home(animate=False)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self.show_page(int(event.option.id))

    def action_close(self) -> None:
        if self.is_current:  # a second key in a burst must not dismiss twice
            self.dismiss()

    def action_reference(self) -> None:
        if self.is_current:  # a second key in a burst must not dismiss twice
            self.dismiss()


def toggle_reference(app: App[object], session: CallSession) -> None:
    """F1 or ?: open the reference, or close it when it is on top (never over a question the
    dispatcher is asked)."""
    from .confirm_screen import ConfirmScreen

    if isinstance(app.screen, ReferenceScreen):
        app.pop_screen()
    elif not isinstance(app.screen, ConfirmScreen):
        settings = session.settings
        resources = settings.settings.resources if settings else []
        app.push_screen(ReferenceScreen(session.protocol, resources))
