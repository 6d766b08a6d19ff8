"""Printable guide cards from the protocol: one HTML page, ready to print, English and Spanish
side by side. Centers keep paper cards for when the computer is down; trainers hand them out.

The questions in the order a call meets them, with their answers and where each goes; the
routing rules in words; how soon each route settles; the routes with the agency's numbers
(or what to do while one is not set); the help an injury or a minor brings; the eight steps.
Everything is escaped: a protocol or settings file can hold any text."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from ..protocol.texts import CALLER_KIND_WORDS, fill_in, local
from ..settings.resolve import resolve_contacts
from ..shown import safe
from .graph import numbered, order
from .words import Words

if TYPE_CHECKING:
    from ..protocol import Protocol
    from ..settings.models import AgencySettings

STYLE = """
@page { size: letter landscape; margin: 8mm; }
body { font: 8.3pt/1.18 "Helvetica", "Arial", sans-serif; color: #000; margin: 0; }
h1 { font-size: 13pt; margin: 0 0 2pt; }
h2 { font-size: 10.5pt; margin: 0 0 2pt; border-bottom: 1.5pt solid #000;
  break-after: avoid; page-break-after: avoid; }
section { border: 1.25pt solid #000; border-radius: 4pt; padding: 3pt 5pt; margin: 0 0 5pt; }
section.small { break-inside: avoid; page-break-inside: avoid; }
p { margin: 1pt 0 2pt; }
table { width: 100%; border-collapse: collapse; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 0.5pt solid #777; padding: 1pt 3pt; text-align: left; vertical-align: top; }
th { background: #eee; }
td.n { width: 1.6em; font-weight: bold; text-align: right; }
td.to { width: 17%; }
.es { font-style: italic; }
.small { font-size: 7.2pt; }
.warn { font-weight: bold; }
div.two { columns: 2; column-gap: 5pt; }
"""


SECTION_NAMES = {
    "safety": "Safety first",
    "caller": "Who is calling",
    "screening": "Screening",
    "facts": "Facts for responders",
}


def _t(text: str) -> str:
    return escape(safe(text), quote=True)  # never a control character from a file raw


def _both(text: dict[str, str]) -> tuple[str, str]:
    return _t(local(text, "en")), _t(local(text, "es")) if "es" in text else ""


def cards(protocol: Protocol, settings: AgencySettings | None = None) -> str:
    """The guide cards as one HTML document."""
    meta = protocol.protocol
    nodes = order(protocol)
    number = numbered(protocol)

    def where(target: str) -> str:
        if target in protocol.outcomes:
            return f"<b>{_t(protocol.outcomes[target].title)}</b>"
        if target in protocol.decisions:
            return f"rule: {_t(target.replace('_', ' '))}"
        return f"go to {number[target]}"

    agency = settings.agency.name if settings is not None else "no agency settings given"
    out = [
        "<!doctype html>",
        '<html lang="en">',
        '<meta charset="utf-8">',
        f"<title>{_t(meta.title)}: guide cards</title>",
        f"<style>{STYLE}</style>",
        "<body>",
        "<section>",
        f"<h1>{_t(meta.title)}</h1>",
        f"<p>Protocol {_t(meta.id)} {_t(meta.version)} · {_t(agency)}. Keep these cards by the "
        "console for when the computer is down. Ask the questions in this order; send as soon "
        "as the answers decide the route, and keep asking while units roll.</p>",
        "</section>",
    ]
    current = None
    for qid in (q for q in nodes if q in protocol.questions):
        question = protocol.questions[qid]
        if question.section != current:
            if current is not None:
                out.append("</table></section>")
            current = question.section
            out += [
                "<section>",
                f"<h2>{_t(SECTION_NAMES.get(current, current))}</h2>",
                "<table><tr><th></th><th>English</th><th>Español</th>"
                "<th class=to>Answers: where each goes</th></tr>",
            ]
        en, es = _both(question.text)
        if question.about_worker and question.for_worker and question.for_other:
            wen, wes = _both(question.for_worker)
            oen, oes = _both(question.for_other)
            en = f"To the worker: {wen}<br><span class=small>About the worker: {oen}</span>"
            other = f"<span class=small>Si llama por otra persona: {oes}</span>"
            es = f"A quien trabaja: {wes}<br>{other}"
            if question.for_escaped is not None:
                pen, pes = _both(question.for_escaped)
                en += f"<br><span class=small>To a worker who got away: {pen}</span>"
                es += f"<br><span class=small>A quien se escapó: {pes}</span>"
        if question.answers:
            to: dict[str, list[str]] = {}  # answers that go the same way on one line
            for a in question.answers:
                if a.next is not None:
                    to.setdefault(a.next, []).append(_t(local(a.label, "en")))
            goes = "<br>".join(
                f"{' / '.join(labels)} → {where(t)}" if len(to) > 1 else f"→ {where(t)}"
                for t, labels in to.items()
            )
        else:
            kind = "a number" if question.kind == "number" else "their words"
            goes = f"write down {kind} → {where(question.next)}" if question.next else ""
        out.append(
            f'<tr><td class="n">{number[qid]}</td><td>{en}</td><td class="es">{es}</td>'
            f"<td>{goes}</td></tr>"
        )
    out.append("</table></section>")

    english = Words(protocol, "en", numbers=number)
    spanish = Words(protocol, "es", numbers=number)
    out += [
        "<section>",
        "<h2>Routing rules: the first that holds wins (Q7 · P7: the answer to question 7)</h2>",
    ]
    for did, decision in protocol.decisions.items():
        name = "If the caller hangs up" if did == meta.hang_up else did.replace("_", " ")
        out.append(f"<p><b>{_t(name)}</b>: {_t(decision.why)}</p>")
        out.append("<table><tr><th>If</th><th>Si</th><th>Then</th></tr>")
        for rule in decision.rules:
            out.append(
                f"<tr><td>{_t(english.condition(rule.when))}</td>"
                f'<td class="es">{_t(spanish.condition(rule.when))}</td>'
                f'<td class="to">{where(rule.goto)}</td></tr>'
            )
        out.append("</table>")
    out.append("</section>")

    out.append('<div class="two">')  # the short sections side by side: no half-empty page
    if meta.settle_by:
        out += [
            '<section class="small">',
            "<h2>How soon each route is known</h2>",
            "<table><tr><th>Route</th><th>Settled by question, on every way through</th></tr>",
            *(
                f"<tr><td>{_t(protocol.outcomes[o].title)}</td><td>{n}</td></tr>"
                for o, n in meta.settle_by.items()
                if o in protocol.outcomes
            ),
            *(
                f"<tr><td>A call with: {_t(protocol.indicators[o].label)}</td><td>{n}</td></tr>"
                for o, n in meta.settle_by.items()
                if o in protocol.indicators
            ),
            "</table></section>",
        ]

    contacts = resolve_contacts(protocol, settings)

    def numbers(name: str) -> str:
        contact = contacts[name]
        if contact.configured:
            return " · ".join(f"{_t(k)} {_t(v)}" for k, v in contact.numbers)
        shown = '<span class="warn">NOT CONFIGURED</span>'
        if contact.if_not_set:
            shown += f"<br>instead: {_t(contact.if_not_set)}"
        return shown

    for outcome in protocol.outcomes.values():
        out += [
            "<section>",
            f"<h2>{_t(outcome.title)}</h2>",
            f"<p>{_t(outcome.summary)}</p>",
            "<table><tr><th>Call or transfer to</th><th>Numbers</th></tr>",
        ]
        for name in outcome.contacts:
            out.append(f"<tr><td>{_t(contacts[name].name)}</td><td>{numbers(name)}</td></tr>")
        out.append("</table>")
        out.append("<table><tr><th>Tell the caller</th><th>Dígale a la persona</th></tr>")
        en, es = _both(outcome.tell_caller)
        out.append(f'<tr><td>{en}</td><td class="es">{es}</td></tr>')
        if outcome.tell_texter is not None:
            en, es = _both(outcome.tell_texter)
            out.append(f'<tr><td><b>By text:</b> {en}</td><td class="es">{es}</td></tr>')
        for kind, words in outcome.instructions.items():
            en, es = _both(words)
            who = CALLER_KIND_WORDS[kind]
            out.append(f'<tr><td><b>{who}:</b> {en}</td><td class="es">{es}</td></tr>')
        if outcome.if_hung_up is not None:
            blanks = fill_in(outcome.if_hung_up, {}, "______")  # on paper: written in by hand
            out.append(f"<tr><td colspan=2><b>If the caller hung up:</b> {_t(blanks)}")
            out.append("</td></tr>")
        out.append(f"</table><p>Steps: {', '.join(map(str, outcome.steps))}</p></section>")

    if protocol.additions:
        allowed = settings.allows if settings is not None else frozenset()
        out += ['<section class="small">', "<h2>Whatever the route</h2><table>"]
        for addition in protocol.additions.values():
            found = ", ".join(protocol.indicators[i].label for i in addition.when)
            if addition.when_fact is not None:  # the question that fills it, by its number
                asks = [
                    q
                    for q, question in protocol.questions.items()
                    if question.fact == addition.when_fact
                ]
                answered = f"Q{number[asks[0]]} answered" if asks and asks[0] in number else ""
                found = found or answered or "a fact given"
            out.append(f"<tr><td>{_t(found)}</td><td>add {_t(addition.title)}")
            for name in addition.contacts:
                out.append(f"<br>{_t(contacts[name].name)}: {numbers(name)}")
            if addition.radio:
                out.append(f"<br>radio: {_t(addition.radio)}")
            said = addition.tell_caller
            if said is not None and (addition.tell_caller_if in allowed | {None}):
                en, es = _both(said)
                out.append(f'<br>tell the caller: {en}<br><span class="es">{es}</span>')
            out.append("</td></tr>")
        out.append("</table></section>")

    out += ['<section class="small">', "<h2>The steps</h2><table>"]
    for step in sorted(protocol.steps, key=lambda s: s.number):
        out.append(
            f'<tr><td class="n">{step.number}</td><td><b>{_t(step.title)}</b>: '
            f"{_t(step.text)}</td></tr>"
        )
    out += ["</table></section>", "</div>", "</body>", "</html>"]
    return "\n".join(out) + "\n"
