"""A quality-assurance review of one recorded call against the protocol, from its event log
alone: what APCO/NENA ANS 1.107.1 asks a center to look at when it reviews calls (the
questions asked and their order, what was skipped and why, time to dispatch, the steps, the
instructions, going back), with the same scoring as the training debrief.

`records review ID` prints it as plain text, Markdown (for a review meeting) or JSON. Typed
text is made safe to print, as in the exports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..clock import iso, stamp
from ..engine.events import (
    Escalated,
    NoteAdded,
    QuestionAnswered,
    QuestioningEnded,
    RouteSettled,
    WentBack,
)
from ..protocol.texts import local
from ..shown import markdown_text, safe, safe_json
from ..training.debrief import routed
from .export import _said

if TYPE_CHECKING:
    from ..engine import Call
    from ..records.api import CallRow
    from ..training.debrief import Debrief


def review(
    row: CallRow, call: Call, scored: Debrief, scenario: str | None, anomaly: str | None = None
) -> dict[str, Any]:
    """The review as plain data (what the JSON form prints). `anomaly`: the record goes on
    past what replays; what follows is not counted, and the review says so first."""
    protocol = call.protocol
    started = call.state.started
    first_language = protocol.protocol.languages[0]

    def read_out(question: str) -> str:
        """A question as it was read to this caller (worded for who is on the line)."""
        return safe(local(call.words_for(question), first_language))

    began = started.at if started is not None else row.started_at

    def seconds(at: datetime) -> int:
        return max(0, round((at - began).total_seconds()))

    # When the route the call went to was known and acted on (as the debrief times them).
    known, acted = routed(call)
    settled_at = known if isinstance(known, RouteSettled) else None
    asked: list[dict[str, Any]] = []
    for number, given in enumerate(call.state.answers, start=1):
        how = "asked as yes/no" if given.yes_no_form else None
        if given.unanswered is not None:
            how = {"unknown": "did not know", "declined": "declined to say"}[given.unanswered]
        first_given = call.events[given.seq]
        if isinstance(first_given, QuestionAnswered) and first_given.kept:
            how = "; ".join(filter(None, [how, "kept when an earlier answer was changed"]))
        asked.append(
            {
                "number": number,
                "question": given.question,
                "section": protocol.questions[given.question].section,
                "asked": read_out(given.question),
                "answer": _said(protocol, given.question, given.answer, given.value),
                "how": how,
                "after_dispatch": settled_at is not None and number > settled_at.asked,
            }
        )
    skipped = [
        {
            "question": q,
            "asked": read_out(q),
            "why": "needs a typed answer; the caller could answer only yes or no",
        }
        for q in call.state.skipped
    ]
    for event in call.events:
        if isinstance(event, QuestioningEnded):
            why = (
                "left unasked: the caller hung up"
                if event.hung_up
                else "left unasked: the questions were ended once settled"
            )
            skipped += [
                {"question": q, "asked": read_out(q), "why": why}
                for q in event.left
                if q not in {s["question"] for s in skipped}
            ]
    safety = [a["question"] for a in asked if a["section"] == "safety"]
    sections = [a["section"] for a in asked]
    first_other = next((i for i, s in enumerate(sections) if s != "safety"), len(sections))
    escalated = next((e for e in call.events if isinstance(e, Escalated)), None)
    route = call.state.route
    outcome = protocol.outcomes[route.outcome] if route is not None else None
    told = None
    if route is not None:
        # In the language it was read out in, then the protocol's first for the reviewer.
        first = protocol.protocol.languages[0]
        display = f"{call.state.language}+{first}"
        told = "\n\n".join(local(words, display) for words in call.caller_words(route.outcome))
    checklist = call.checklist()
    return {
        "anomaly": anomaly,
        "call": {
            "id": row.id,
            "started_at": iso(row.started_at),
            "status": row.status,
            "console": row.console,
            "dispatcher": row.dispatcher,
            "training": row.training,
            "scenario": scenario,
            "protocol": f"{row.protocol_id} {row.protocol_version}",
            "protocol_sha256": row.protocol_sha256,
        },
        "route": {
            "title": outcome.title if outcome is not None else None,
            "because": route.because if route is not None else None,
            "danger_now_key_at": (escalated.question or "an outcome") if escalated else None,
        },
        "safety": {
            "asked_in_order": safety,
            "first": "safety" not in sections[first_other:],
        },
        "settled": None
        if settled_at is None
        else {
            "question_number": settled_at.asked,
            "question": settled_at.question,
            "seconds": seconds(settled_at.at),
        },
        "acted_on": None if acted is None else {"step": acted.step, "seconds": seconds(acted.at)},
        "asked": asked,
        "skipped": skipped,
        "steps": {
            "ticked": [i.number for i in checklist if i.status == "done"],
            "left_open": [i.number for i in checklist if i.open],
        },
        "told_the_caller": told,
        "went_back": [
            {
                "to": e.to,
                "amending": e.amending,
                "dropped": e.dropped,
                "dropped_answers": _dropped(call, n, e, read_out),
                "seconds": seconds(e.at),
            }
            for n, e in enumerate(call.events)
            if isinstance(e, WentBack)
        ],
        "notes": sum(isinstance(e, NoteAdded) for e in call.events),
        "score": {
            "points": scored.score,
            "out_of": scored.out_of,
            "lines": [
                {"label": x.label, "points": x.points, "out_of": x.out_of, "detail": x.detail}
                for x in scored.lines
            ],
        },
    }


def _dropped(
    call: Call, at: int, back: WentBack, read_out: Callable[[str], str]
) -> list[dict[str, str]]:
    """The answers going back let fall, as given (the last answer to each question before
    the event at `at`), with the question as read."""
    found = []
    for question in back.dropped:
        given = next(
            (
                e
                for e in reversed(call.events[:at])
                if isinstance(e, QuestionAnswered) and e.question == question
            ),
            None,
        )
        answer = (
            _said(call.protocol, question, given.answer, given.value, given.unanswered)
            if given is not None
            else "-"
        )
        found.append({"question": question, "asked": read_out(question), "answer": answer})
    return found


def as_text(found: dict[str, Any], *, markdown: bool = False) -> str:
    """The review for a terminal, or (`markdown`) for a review meeting's notes."""
    call, route = found["call"], found["route"]
    head = "## " if markdown else ""
    item = "- " if markdown else "  "
    title = f"QA review of call {call['id']}"
    if call["training"]:
        title += f" (training: {call['scenario'] or 'scenario not recorded'})"
    out = [f"# {title}" if markdown else title.upper(), ""]
    if found["anomaly"]:
        out += [
            f"ANOMALY: the record goes on past what replays ({found['anomaly']}); what comes"
            " after is not counted below: see `records show`.",
            "",
        ]
    started = stamp(datetime.fromisoformat(call["started_at"]))
    out.append(
        f"Started {started} · {call['status']} · console {call['console'] or '-'}"
        f" · dispatcher {call['dispatcher'] or '-'} · protocol {call['protocol']}"
    )
    out.append(f"Route: {route['title'] or 'none reached'}")
    if route["because"]:
        out.append(f"Why: {route['because']}")
    if route["danger_now_key_at"]:
        out.append(f"Danger-now key pressed at: {route['danger_now_key_at']}")
    out += ["", f"{head}Safety"]
    safety = found["safety"]
    first = "asked first" if safety["first"] else "NOT all asked before the screening began"
    numbers = [a["number"] for a in found["asked"] if a["question"] in safety["asked_in_order"]]
    run = numbers == list(range(numbers[0], numbers[-1] + 1)) if numbers else False
    listed = (
        f"questions {numbers[0]} to {numbers[-1]} below"
        if run and len(numbers) > 1
        else f"question{'s' if len(numbers) > 1 else ''} {', '.join(map(str, numbers))} below"
        if numbers
        else "none asked"
    )
    out.append(f"{item}{first}: {listed}")
    out += ["", f"{head}Dispatch"]
    settled, acted = found["settled"], found["acted_on"]
    out.append(
        f"{item}route settled at question {settled['question_number']}, {settled['seconds']} s"
        if settled
        else f"{item}the route never settled before the end"
    )
    out.append(
        f"{item}acted on (step {acted['step']} ticked) at {acted['seconds']} s"
        if acted
        else f"{item}no step of the route ticked"
    )
    out += ["", f"{head}Questions asked ({len(found['asked'])})"]
    for asked in found["asked"]:
        later = "after dispatch" if asked["after_dispatch"] else ""
        notes = [n for n in (asked["how"], later) if n]
        extra = f" ({'; '.join(notes)})" if notes else ""
        out.append(f"{item}{asked['number']:>2}. {asked['asked']} -> {asked['answer']}{extra}")
    if found["skipped"]:
        out += ["", f"{head}Not asked ({len(found['skipped'])})"]
        out += [f"{item}{s['asked']} ({s['why']})" for s in found["skipped"]]
    steps = found["steps"]
    out += ["", f"{head}Steps"]
    out.append(f"{item}ticked: {', '.join(map(str, steps['ticked'])) or 'none'}")
    out.append(f"{item}left open: {', '.join(map(str, steps['left_open'])) or 'none'}")
    if found["told_the_caller"]:
        out += ["", f"{head}What the screen gave the dispatcher to tell the caller"]
        out += [f"{item}{line}" for line in found["told_the_caller"].split("\n")]
    out += ["", f"{head}Went back ({len(found['went_back'])})"]
    for back in found["went_back"]:
        to = back["to"]
        where = next((a["asked"] for a in found["asked"] if a["question"] == to), to or "-")
        change = "to change the answer to" if back["amending"] else "back to"
        out.append(f"{item}at {back['seconds']} s, {change}: {where}")
        for lost in back["dropped_answers"] or [{"asked": "nothing", "answer": ""}]:
            arrow = f" -> {lost['answer']}" if lost["answer"] else ""
            out.append(f"{item}  dropped: {lost['asked']}{arrow}")
    out.append(f"{item}notes added: {found['notes']}")
    score = found["score"]
    out += ["", f"{head}Score {score['points']} / {score['out_of']}"]
    for line in score["lines"]:
        out.append(f"{item}{line['label']}: {line['points']} / {line['out_of']}, {line['detail']}")
    shown = markdown_text if markdown else safe  # the caller's words: never markup
    return "\n".join(shown(line) for line in out) + "\n"


def as_json(found: dict[str, Any]) -> str:
    return safe_json(found)
