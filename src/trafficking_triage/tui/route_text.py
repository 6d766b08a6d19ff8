"""Who to call or transfer to, and the radio alerts, for an outcome: the same lines on the
outcome screen and on the call screen's settled-route panel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from ..protocol.texts import local

if TYPE_CHECKING:
    from ..engine import Call
    from ..session import CallSession


def contact_lines(session: CallSession, outcome: str, *, short: bool = False) -> list[Content]:
    """One line a contact: its numbers, or NOT CONFIGURED where the agency has not set them
    (`short`: without saying where to set them, for the settled-route panel)."""
    lines = []
    for name in session.protocol.outcomes[outcome].contacts:
        contact = session.contacts[name]
        if contact.configured:
            numbers = " · ".join(f"{kind} {value}" for kind, value in contact.numbers)
            lines.append(Content.assemble(("☎ ", "bold"), (contact.name, "bold"), ": ", numbers))
        else:
            lines.append(
                Content.assemble(
                    ("⚠ ", "bold"),
                    (contact.name, "bold"),
                    ": ",
                    (" NOT CONFIGURED ", "bold reverse"),
                    "" if short else " set it in the agency settings",
                )
            )
    return lines


class _Said(dict[str, str]):
    """The facts of a call, for filling in an alert: what nobody said reads as not known."""

    def __missing__(self, key: str) -> str:
        return "(not known)"


def radio_lines(session: CallSession, call: Call) -> list[Content]:
    """The agency's radio alerts, with what the caller said filled in (the placeholders are
    checked as the settings load), and a warning when the caller cannot talk freely."""
    settings = session.settings
    if settings is None:
        return []
    facts = _Said(call.facts())
    quiet = "; caller cannot talk: do not call back" if call.yes_no_only() else ""
    return [
        Content.assemble(("RADIO ", "bold"), alert.format_map(facts) + quiet)
        for alert in settings.settings.radio_alerts
    ]


KIND_NAMES = {"worker": "If the worker is on the line", "other": "If calling about someone else"}


def instruction_lines(call: Call, outcome: str, *, brief: bool = False) -> list[Content]:
    """What to tell the caller once the route has settled, worded for who is on the line; until
    the caller has said which they are, the outcome's general words, then each form named
    (left out when `brief`, for the settled-route panel: the route screen shows them)."""
    found = call.protocol.outcomes[outcome]
    kind = call.caller_kind()
    language = call.state.language
    if kind is not None and kind in found.instructions:
        return [Content(local(found.instructions[kind], language))]
    lines = [Content(local(found.tell_caller, language))]
    if brief:
        return lines
    return lines + [
        Content.assemble((f"{KIND_NAMES[name]}: ", "bold"), local(text, language))
        for name, text in found.instructions.items()
    ]
