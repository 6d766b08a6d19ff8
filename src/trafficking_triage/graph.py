"""The decision tree drawn for slides: Mermaid, Graphviz dot, or plain text. No Textual.

Answers that lead to the same place are drawn as one arrow; decisions are diamonds and
outcomes are drawn distinctly; labels are short (ids, not whole questions)."""

from __future__ import annotations

from collections import defaultdict

from .protocol import Protocol
from .protocol.lint import edges
from .protocol.models import Condition


def _short(text: str, limit: int = 36) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def condition_label(when: Condition | None) -> str:
    if when is None:
        return "otherwise"
    parts = [f"{q}={'|'.join(ids)}" for q, ids in (when.answered or {}).items()]
    if when.any_indicator:
        parts.append("|".join(when.any_indicator))
    if when.any_indicator_kind:
        parts.append("|".join(when.any_indicator_kind))
    return _short(" & ".join(parts))


def arrows(protocol: Protocol) -> list[tuple[str, str, str]]:
    """(from, to, label), one per distinct way out of each question or decision."""
    found: list[tuple[str, str, str]] = []
    for qid, question in protocol.questions.items():
        grouped: dict[str, list[str]] = defaultdict(list)
        for answer in question.answers:
            if answer.next is not None:
                grouped[answer.next].append(answer.id)
        if question.kind != "choice" and question.next is not None:
            grouped[question.next] = []
        for target, ids in grouped.items():
            label = "" if len(grouped) == 1 else _short("/".join(ids))
            found.append((qid, target, label))
    for did, decision in protocol.decisions.items():
        for rule in decision.rules:
            found.append((did, rule.goto, condition_label(rule.when)))
    return found


def order(protocol: Protocol) -> list[str]:
    """Nodes in the order a call meets them (breadth first from the start)."""
    seen = [protocol.protocol.start]
    for node in seen:
        for edge in edges(protocol, node):
            if edge.target not in seen:
                seen.append(edge.target)
    return seen


def mermaid(protocol: Protocol) -> str:
    lines = ["flowchart TD"]
    for node in order(protocol):
        label = node.replace("_", " ")
        if node in protocol.decisions:
            lines.append(f'  {node}{{"{label}?"}}')
        elif node in protocol.outcomes:
            lines.append(f'  {node}(["{_short(protocol.outcomes[node].title)}"]):::outcome')
        else:
            lines.append(f'  {node}["{label}"]')
    for source, target, label in arrows(protocol):
        lines.append(f"  {source} -->|{label}| {target}" if label else f"  {source} --> {target}")
    lines.append("  classDef outcome stroke-width:4px")
    return "\n".join(lines) + "\n"


def dot(protocol: Protocol) -> str:
    lines = [f'digraph "{protocol.protocol.id}" {{', "  rankdir=TB;", "  node [shape=box];"]
    for node in order(protocol):
        label = node.replace("_", " ")
        if node in protocol.decisions:
            lines.append(f'  {node} [shape=diamond, label="{label}?"];')
        elif node in protocol.outcomes:
            title = _short(protocol.outcomes[node].title).replace('"', "'")
            lines.append(f'  {node} [shape=doubleoctagon, style=bold, label="{title}"];')
        else:
            lines.append(f'  {node} [label="{label}"];')
    for source, target, label in arrows(protocol):
        suffix = f' [label="{label}"]' if label else ""
        lines.append(f"  {source} -> {target}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def text(protocol: Protocol) -> str:
    out: dict[str, list[str]] = defaultdict(list)
    for source, target, label in arrows(protocol):
        out[source].append(f"{label or 'next'} -> {target}")
    lines = []
    for node in order(protocol):
        if node in protocol.outcomes:
            lines.append(f"[OUTCOME] {node}: {protocol.outcomes[node].title}")
            continue
        kind = "decision" if node in protocol.decisions else protocol.questions[node].kind
        lines.append(f"{node} ({kind})")
        lines.extend(f"    {arrow}" for arrow in out[node])
    return "\n".join(lines) + "\n"


FORMATS = {"mermaid": mermaid, "dot": dot, "text": text}
