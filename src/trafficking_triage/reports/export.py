"""A call record in words: the narrative for a CAD remarks field, Markdown, JSON, a timeline.

Used by `records export` and `records show`, and by the outcome screen's copy of the
narrative. Typed text is made safe to print: control characters and terminal escape
sequences are shown as escapes, never sent to a terminal.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from typing import Any

from ..clock import iso, local_day, stamp, time_of_day
from ..engine import Call
from ..engine.events import (
    CallClosed,
    EntryAdded,
    Escalated,
    Event,
    LanguageSwitched,
    NoteAdded,
    QuestionAnswered,
    QuestioningEnded,
    RouteReached,
    RouteSettled,
    RouteUnsettled,
    StepTicked,
    WentBack,
    YesNoSwitched,
)
from ..protocol import Protocol
from ..protocol.texts import local, said
from ..records.api import CallRow, row_fields
from ..shown import markdown_text, safe, safe_json

WIDTH = 80


def _fence(text: str) -> str:
    """A code fence longer than any run of backticks in `text`, so no line of it can close
    the fence early."""
    longest = run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)


def _said(
    protocol: Protocol,
    question: str,
    answer: str | None,
    value: str | None,
    unanswered: str | None = None,
) -> str:
    """What the caller answered, in the protocol's first language (exports are for the
    center's records, in one language whatever the call was taken in)."""
    first = protocol.protocol.languages[0]
    return safe(said(protocol, question, answer, value, first, unanswered))


def _asked(protocol: Protocol, question: str) -> str:
    return local(protocol.questions[question].text, protocol.protocol.languages[0])


def _reason(protocol: Protocol, question: str, answer: str, unanswered: str | None) -> str:
    """A deciding answer in a few words: the red flag it raised, else fact and answer."""
    for option in protocol.questions[question].answers:
        if option.id == answer and option.indicator is not None and unanswered is None:
            return protocol.indicators[option.indicator].label
    name = protocol.questions[question].fact or question
    return f"{name}: {_said(protocol, question, answer, None, unanswered)}"


def narrative(
    row: CallRow, call: Call, *, anomaly: str | None = None, withheld: frozenset[str] = frozenset()
) -> str:
    """Plain text, at most 80 columns, for pasting into a CAD call's remarks. `anomaly`: why
    some of the record's events do not follow (they are in the timeline and the JSON).
    `withheld`: facts left out (a callback, for a caller who would not give a name)."""
    p = call.protocol
    state = call.state
    lines: list[str] = []

    def put(label: str, text: str) -> None:
        lines.extend(
            textwrap.wrap(f"{label}: {text}", WIDTH, subsequent_indent="  ", break_long_words=True)
        )

    closed = state.closed
    if closed is not None:  # the day again only when the call ran past midnight
        same_day = local_day(closed.at) == local_day(row.started_at)
        ended = f", ended {time_of_day(closed.at) if same_day else stamp(closed.at)} ({closed.how})"
    else:
        ended = ", still open"
    lines.append(f"TRAFFICKING TRIAGE CALL {row.id}"[:WIDTH])
    put("Time", f"started {stamp(row.started_at)}{ended}")
    if row.console or row.dispatcher:
        put("Console", f"{safe(row.console or '-')}, dispatcher {safe(row.dispatcher or '-')}")
    facts = {name: value for name, value in call.facts().items() if name not in withheld}
    caller = next((g for g in state.answers if p.questions[g.question].fact == "caller"), None)
    if caller is not None:
        put("Caller", _said(p, caller.question, caller.answer, caller.value, caller.unanswered))
    if call.yes_no_only():
        put("Mode", "caller could not speak freely; yes/no questions only")
    if "location" in facts:
        put("Location", safe(facts["location"]))
    other = [
        f"{safe(name)}: {safe(value)}"
        for name, value in facts.items()
        if name not in {"location", "caller"}  # both have lines of their own
    ]
    if other:
        put("Facts", "; ".join(other))
    found = [p.indicators[name].label for name, _ in call.indicators()]
    put("Indicators", "; ".join(found) if found else "none found")
    route = state.route or state.escalated  # the danger-now key's, as soon as it is pressed
    settled = state.settled
    if settled is not None:
        where = f" ({settled.question})" if settled.question else ""
        put("Settled", f"{time_of_day(settled.at)}, after {settled.asked} answers{where}")
    if route is not None:
        put("Route", p.outcomes[route.outcome].title)
        why = route.because
        if route.deciding:
            why += " Deciding: " + "; ".join(
                _reason(p, r.question, r.answer, r.unanswered) for r in route.deciding
            )
        put("Why", why)
    elif settled is not None:
        how = "not reached before the call closed" if closed else "questions still going on"
        put("Route", f"{p.outcomes[settled.outcome].title} (settled; {how})")
    else:
        put("Route", "not reached")
    items = call.checklist()
    done = [str(i.number) for i in items if i.status == "done"]
    open_ = [str(i.number) for i in items if i.open]
    put("Steps", f"done {', '.join(done) or 'none'}; open {', '.join(open_) or 'none'}")
    for note in state.notes:
        put("Note", safe(note))
    put("Protocol", f"{row.protocol_id} {row.protocol_version} sha256 {row.protocol_sha256[:16]}")
    if anomaly is not None:
        put("ANOMALY", f"the record goes on past what replays ({safe(anomaly)}); see its timeline")
    return "\n".join(lines) + "\n"


def timeline(protocol: Protocol, events: list[Event]) -> list[tuple[str, str]]:
    """(time, what happened) for each event, worded for people."""
    out = []
    settled = False  # answers once the route has settled are given after dispatch
    for event in events:
        what = event.kind.replace("_", " ")
        if isinstance(event, QuestionAnswered):
            said = _said(protocol, event.question, event.answer, event.value, event.unanswered)
            what = f"{_asked(protocol, event.question)} -> {said}"
            if event.closed:
                what += " (asked as yes/no)"
            if settled:
                what += " [after dispatch]"
        elif isinstance(event, WentBack) and event.undo_escalation:
            what = "DANGER NOW taken back (Back right after the key)"
        elif isinstance(event, WentBack) and event.undo_end:
            what = f"ending of the questions taken back; asking '{event.to}' again"
        elif isinstance(event, WentBack):
            what = f"back to '{event.to}'; answers set aside: {', '.join(event.dropped) or 'none'}"
        elif isinstance(event, Escalated):
            what = f"DANGER NOW pressed{' at ' + repr(event.question) if event.question else ''}"
        elif isinstance(event, RouteReached):
            what = f"route: {protocol.outcomes[event.outcome].title}"
        elif isinstance(event, RouteSettled):
            title = protocol.outcomes[event.outcome].title
            what = f"route settled on {title} after {event.asked} answers"
            what += " (none later can change it)"
            settled = True
        elif isinstance(event, RouteUnsettled):
            what = "route no longer settled"
            settled = False
        elif isinstance(event, YesNoSwitched):
            what = f"yes/no mode switched {'on' if event.on else 'off'} by the dispatcher"
        elif isinstance(event, QuestioningEnded):
            left = ", ".join(event.left) or "none"
            who = "the caller hung up" if event.hung_up else "questions ended by the dispatcher"
            what = f"{who} at '{event.question}'; left unasked: {left}"
        elif isinstance(event, StepTicked):
            what = f"step {event.step} {'ticked' if event.done else 'unticked'}"
        elif isinstance(event, NoteAdded):
            what = f"note: {safe(event.text)}"
        elif isinstance(event, EntryAdded):
            what = f"{_asked(protocol, event.question)} -> one of several: {safe(event.text)}"
        elif isinstance(event, LanguageSwitched):
            what = f"language: {event.language}"
        elif isinstance(event, CallClosed):
            left = ", ".join(str(n) for n in event.open_steps) or "none"
            what = f"call closed ({event.how}); steps left open: {left}"
        out.append((time_of_day(event.at), what))
    return out


def markdown(
    row: CallRow, call: Call, *, leftover: Sequence[Event] = (), anomaly: str | None = None
) -> str:
    pipe = "\\|"  # a | inside a table cell must be escaped
    rows = "\n".join(
        f"| {when} | {markdown_text(what).replace('|', pipe)} |"
        for when, what in timeline(call.protocol, [*call.events, *leftover])
    )
    text = narrative(row, call, anomaly=anomaly)
    fence = _fence(text)
    return (
        f"# Call {markdown_text(row.id)}\n\n{fence}\n{text}{fence}\n\n"
        f"## Timeline (local time)\n\n| time | what happened |\n|---|---|\n{rows}\n"
    )


def as_json(
    row: CallRow | None,
    call: Call,
    *,
    leftover: Sequence[Event] = (),
    anomaly: str | None = None,
    call_id: str | None = None,
) -> str:
    """The call as one JSON document: its record (when it has one in the store), the protocol
    it was taken with, and every event. What `records export --format json` prints and what
    ctrl+s saves when the records cannot be written."""
    started = call.state.started
    record: dict[str, Any] = {}
    if row is not None:
        record = {**row_fields(row), "context": row.context}
    elif call_id is not None:  # saved with ctrl+s: the id the store gave it, to import again
        record["id"] = call_id
    record["protocol"] = {
        "id": started.protocol_id if started else None,
        "version": started.protocol_version if started else None,
        "sha256": started.protocol_sha256 if started else None,
    }
    record["training"] = started.training if started else False
    record["events"] = [
        {**json.loads(event.model_dump_json()), "at": iso(event.at)}
        for event in [*call.events, *leftover]
    ]
    if anomaly is not None:
        record["anomaly"] = f"the record goes on past what replays ({anomaly})"
    return safe_json(record)
