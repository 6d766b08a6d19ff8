"""A call's state in words: route, why, indicators, facts and checklist as plain data.

`decide` prints it as JSON; exports and the outcome screen word the same things, so they all
come from here and say the same.
"""

from __future__ import annotations

from typing import Any

from ..protocol.loader import LoadedProtocol
from .call import Call, Reason


def answer_label(call: Call, reason: Reason) -> str:
    """The words of an answer in the protocol's first language (typed answers as typed)."""
    protocol = call.protocol
    first = protocol.protocol.languages[0]
    question = protocol.questions[reason.question]
    for answer in question.answers:
        if answer.id == reason.answer:
            return answer.label.get(first, reason.answer)
    return reason.answer


def call_summary(loaded: LoadedProtocol, call: Call) -> dict[str, Any]:
    protocol = call.protocol
    first = protocol.protocol.languages[0]
    route = call.state.route
    summary: dict[str, Any] = {
        "protocol": {
            "id": protocol.protocol.id,
            "version": protocol.protocol.version,
            "sha256": loaded.sha256,
        },
        "route": None,
        "indicators": [
            {
                "id": name,
                "label": protocol.indicators[name].label,
                "kind": protocol.indicators[name].kind,
                "question": question,
            }
            for name, question in call.indicators()
        ],
        "facts": call.facts(),
        "answers": [
            {"question": given.question, "answer": given.answer or given.value}
            for given in call.state.answers
        ],
        "skipped": list(call.state.skipped),
        "checklist": [
            {"step": item.number, "title": item.title, "status": item.status}
            for item in call.checklist()
        ],
    }
    if route is not None:
        outcome = protocol.outcomes[route.outcome]
        summary["route"] = {
            "outcome": route.outcome,
            "title": outcome.title,
            "because": route.because,
            "escalated": route.escalated,
            "deciding": [
                {
                    "question": reason.question,
                    "asked": protocol.questions[reason.question].text.get(first, ""),
                    "answer": reason.answer,
                    "said": answer_label(call, reason),
                }
                for reason in route.deciding
            ],
            "contacts": outcome.contacts,
        }
    return summary
