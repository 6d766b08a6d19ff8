"""Who to call or transfer to, and the radio alerts, for an outcome: the same lines on the
outcome screen and on the call screen's settled-route panel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from ..protocol.texts import CALLER_KIND_WORDS, fill_in, local

if TYPE_CHECKING:
    from ..console import CallSession
    from ..engine import Call


def contact_lines(
    session: CallSession, call: Call, outcome: str, *, short: bool = False
) -> list[Content]:
    """One line a contact of the outcome and of the help the answers bring along: its
    numbers, or NOT CONFIGURED where the agency has not set them and what to do instead
    (`short`: one line each, for the settled-route panel)."""
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
                (f" {instead}" if short and instead else "")
                or ("" if short else " set it in the agency settings"),
            )
        )
        if instead and not short:
            lines.append(Content.assemble(("  instead: ", "bold"), instead))
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
    return [Content.assemble(("RADIO ", "bold"), alert + quiet) for alert in alerts]


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
