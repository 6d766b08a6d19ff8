"""A call's state in words: route, why, indicators, facts and checklist as plain data.

`decide` prints it as JSON; exports and the outcome screen word the same things, so they all
come from here and say the same.
"""

from __future__ import annotations

from typing import Any

from ..protocol.loader import LoadedProtocol
from ..protocol.texts import local, said
from .call import Call


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
        "settled": None,
        "reachable": sorted(call.reachable()),
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
            {
                "question": given.question,
                "answer": given.answer or given.value,
                **({"unanswered": given.unanswered} if given.unanswered else {}),
            }
            for given in call.state.answers
        ],
        "skipped": list(call.state.skipped),
        "checklist": [
            {"step": item.number, "title": item.title, "status": item.status}
            for item in call.checklist()
        ],
    }
    settled = call.state.settled
    if settled is not None:
        summary["settled"] = {
            "outcome": settled.outcome,
            "question": settled.question,
            "number": settled.asked,
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
                    "asked": local(protocol.questions[reason.question].text, first),
                    "answer": reason.answer,
                    "said": said(
                        protocol, reason.question, reason.answer, None, first, reason.unanswered
                    ),
                }
                for reason in route.deciding
            ],
            "contacts": outcome.contacts,
            "hung_up": call.hung_up(),
            "tell_caller": [local(words, first) for words in call.caller_words(route.outcome)],
        }
        if call.hung_up():
            summary["route"]["next"] = call.hung_up_words(route.outcome)
    return summary
