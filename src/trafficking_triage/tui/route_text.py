"""Who to call or transfer to, and the radio alerts, for an outcome: the same lines on the
outcome screen and on the call screen's settled-route panel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from ..protocol.texts import CALLER_KIND_WORDS, fill_in, local

if TYPE_CHECKING:
    from ..console import CallSession
    from ..engine import Call


def contact_lines(session: CallSession, call: Call, outcome: str) -> list[Content]:
    """One line a contact of the outcome and of the help the answers bring along: its
    numbers, or NOT CONFIGURED where the agency has not set them and what to do instead."""
    names = list(session.protocol.outcomes[outcome].contacts)
    for addition in call.additions():
        names += [n for n in session.protocol.additions[addition].contacts if n not in names]
    lines = []
    for name in names:
        contact = session.contacts[name]
        if contact.configured:
            numbers = " · ".join(f"{kind} {value}" for kind, value in contact.numbers)
            lines.append(Content.assemble(("☎ ", "bold"), (contact.name, "bold"), ": ", numbers))
            continue
        instead = contact.if_not_set
        lines.append(
            Content.assemble(
                ("⚠ ", "bold"),
                (contact.name, "bold"),
                ": ",
                (" NOT CONFIGURED ", "bold reverse"),
                " set it in the agency settings",
            )
        )
        if instead:
            lines.append(Content.assemble(("  instead: ", "bold"), instead))
    return lines


def panel_contact_lines(
    session: CallSession, call: Call, outcome: str, width: int
) -> list[Content]:
    """The contacts for the settled-route panel, at `width` columns: each contact's numbers
    first and whole (wrapped if they must be), then its name in what room is left, shortened
    with "…" (F6 shows it whole); never a number cut. One not configured: what to do instead,
    wrapped, as it may hold the number to use."""
    names = list(session.protocol.outcomes[outcome].contacts)
    for addition in call.additions():
        names += [n for n in session.protocol.additions[addition].contacts if n not in names]
    lines: list[Content] = []
    for name in names:
        contact = session.contacts[name]
        if not contact.configured:
            lines.append(
                Content.assemble(
                    ("⚠ ", "bold"),
                    (" NOT CONFIGURED ", "bold reverse"),
                    " ",
                    (contact.name, "bold"),
                    f": {contact.if_not_set}" if contact.if_not_set else "",
                )
            )
            continue
        numbers = Content.assemble(
            ("☎ ", "bold"),
            *[
                part
                for n, (kind, value) in enumerate(contact.numbers)
                for part in ((" · " if n else ""), f"{kind} ", (value, "bold"))
            ],
        )
        room = width - numbers.cell_length - 3
        if room >= 8:  # the name beside the numbers, shortened to what is left
            shortened = Content(contact.name).truncate(room, ellipsis=True).stylize("bold")
            lines.append(Content.assemble(numbers, " — ", shortened))
        else:  # the numbers alone (wrapped by the panel), the name below them
            lines.append(numbers)
            lines.append(
                Content.assemble("  ", (contact.name, "bold")).truncate(width, ellipsis=True)
            )
    return lines


class _Said(dict[str, str]):
    """The facts of a call, for filling in an alert: what nobody said reads as not known."""

    def __missing__(self, key: str) -> str:
        return "(no incident number)" if key == "incident" else "(not known)"


def radio_lines(session: CallSession, call: Call) -> list[Content]:
    """The agency's radio alerts, with what the caller said filled in (the placeholders are
    checked as the settings load), then the alerts of the help the answers bring along, and a
    warning on each when the caller cannot talk freely."""
    settings = session.settings
    facts = _Said(call.facts())
    alerts = [fill_in(a, facts) for a in settings.settings.radio_alerts] if settings else []
    for name in call.additions():
        radio = session.protocol.additions[name].radio
        if radio is not None:
            alerts.append(fill_in(radio, facts))
    quiet = "; caller cannot talk: do not call back" if call.yes_no_only() else ""
    # An alert's own full stop goes before the warning is added, not in front of it (".;").
    return [
        Content.assemble(("RADIO ", "bold"), (alert.rstrip(" .") + quiet) if quiet else alert)
        for alert in alerts
    ]


def instruction_lines(
    session: CallSession, call: Call, outcome: str, *, brief: bool = False
) -> list[Content]:
    """What to tell the caller once the route has settled, worded for who is on the line; until
    the caller has said which they are, the outcome's general words, then each form named
    (left out when `brief`, for the settled-route panel: the route screen shows them). Then
    the words of the help the answers bring along, where the agency allows them."""
    found = call.protocol.outcomes[outcome]
    kind = call.caller_kind()
    language = call.state.language
    settings = session.settings
    allowed = settings.settings.allows if settings is not None else frozenset()
    extra = [
        Content(local(addition.tell_caller, language))
        for addition in (call.protocol.additions[name] for name in call.additions())
        if addition.tell_caller is not None
        and (addition.tell_caller_if is None or addition.tell_caller_if in allowed)
    ]
    lines = [Content(local(words, language)) for words in call.caller_words(outcome)]
    if kind is not None or brief:
        return lines + extra
    return [
        *lines,
        *(
            Content.assemble((f"{CALLER_KIND_WORDS[name]}: ", "bold"), local(text, language))
            for name, text in found.instructions.items()
        ),
        *extra,
    ]
