"""The decision tree drawn for slides: Mermaid, Graphviz dot (and SVG through Graphviz), or
plain text. No Textual.

Drawn left to right for a 16:9 slide, questions grouped by their section, decisions as
diamonds and outcomes drawn distinctly. Answers that lead to the same place are one arrow.
No label is ever cut: long ones are wrapped, and each format's special characters escaped."""

from __future__ import annotations

import textwrap
from collections import defaultdict

from ..protocol import Protocol
from ..protocol.lint import edges
from ..protocol.models import Condition

WRAP = 24
"""Characters a line of a label may hold before it wraps."""

SECTIONS = {
    "safety": "Safety first",
    "caller": "Who is calling",
    "screening": "Screening",
    "facts": "Facts for responders",
}


def _lines(text: str) -> list[str]:
    return textwrap.wrap(text, WRAP, break_long_words=False, break_on_hyphens=False) or [""]


def condition_label(when: Condition | None) -> str:
    if when is None:
        return "otherwise"
    parts = [f"{q} = {' or '.join(ids)}" for q, ids in (when.answered or {}).items()]
    parts += [f"{q} given" for q in when.given or []]
    if when.any_indicator:
        parts.append("found: " + " or ".join(when.any_indicator))
    if when.any_indicator_kind:
        parts.append("any sign of " + " or ".join(when.any_indicator_kind))
    return " and ".join(parts)


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
            label = "" if len(grouped) == 1 else " or ".join(ids)
            found.append((qid, target, label))
    for did, decision in protocol.decisions.items():
        for rule in decision.rules:
            found.append((did, rule.goto, condition_label(rule.when)))
    return found


def order(protocol: Protocol) -> list[str]:
    """Nodes in the order a call meets them (breadth first from the start, then from the
    hang-up rule, which any question can lead to)."""
    hang_up = protocol.protocol.hang_up
    seen = [protocol.protocol.start, *([hang_up] if hang_up in protocol.decisions else [])]
    for node in seen:
        for edge in edges(protocol, node):
            if edge.target not in seen:
                seen.append(edge.target)
    return seen


def _groups(protocol: Protocol) -> dict[str, list[str]]:
    """Each question section's nodes in call order; decisions and outcomes on their own."""
    groups: dict[str, list[str]] = defaultdict(list)
    for node in order(protocol):
        if node in protocol.questions:
            groups[protocol.questions[node].section].append(node)
        else:
            groups["decisions" if node in protocol.decisions else "outcomes"].append(node)
    return groups


def _node_text(protocol: Protocol, node: str) -> str:
    if node in protocol.outcomes:
        return protocol.outcomes[node].title
    return node.replace("_", " ") + ("?" if node in protocol.decisions else "")


# -- Mermaid --------------------------------------------------------------------------------
def _mermaid_text(text: str) -> str:
    """A label inside double quotes: quotes and the characters Mermaid reads as markup are
    written as entity codes; wrapped lines joined by <br/>."""
    codes = {'"': "#quot;", "|": "#124;", "<": "#lt;", ">": "#gt;", "#": "#35;"}
    lines = ["".join(codes.get(c, c) for c in line) for line in _lines(text)]
    return "<br/>".join(lines)


def mermaid(protocol: Protocol) -> str:
    lines = ["flowchart LR"]
    for group, nodes in _groups(protocol).items():
        if group in SECTIONS:
            lines.append(f'  subgraph s_{group}["{SECTIONS[group]}"]')
        for node in nodes:
            label = _mermaid_text(_node_text(protocol, node))
            # Ids prefixed: a protocol's id may be a word Mermaid keeps (`end`) or a section's.
            if node in protocol.decisions:
                lines.append(f'    n_{node}{{"{label}"}}')
            elif node in protocol.outcomes:
                lines.append(f'    n_{node}(["{label}"]):::outcome')
            else:
                lines.append(f'    n_{node}["{label}"]')
        if group in SECTIONS:
            lines.append("  end")
    for source, target, label in arrows(protocol):
        text = f'|"{_mermaid_text(label)}"|' if label else ""
        lines.append(f"  n_{source} -->{text} n_{target}")
    lines.append("  classDef outcome stroke-width:4px")
    return "\n".join(lines) + "\n"


# -- Graphviz dot ---------------------------------------------------------------------------
def _dot_text(text: str) -> str:
    """A label inside double quotes, wrapped with dot's own line break."""
    escaped = [line.replace("\\", "\\\\").replace('"', '\\"') for line in _lines(text)]
    return "\\n".join(escaped)


def dot(protocol: Protocol) -> str:
    lines = [
        f'digraph "{_dot_text(protocol.protocol.id)}" {{',
        "  rankdir=LR;",
        '  graph [ratio=0.5625, fontname="Helvetica", nodesep=0.25, ranksep=0.4];',
        '  node [shape=box, fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=9];',
    ]
    for group, nodes in _groups(protocol).items():
        indent = "  "
        if group in SECTIONS:
            lines.append(f"  subgraph cluster_{group} {{")
            lines.append(f'    label="{SECTIONS[group]}"; style=rounded;')
            indent = "    "
        for node in nodes:
            label = _dot_text(_node_text(protocol, node))
            # Ids quoted: a protocol's id may be a word dot keeps (`node`, `edge`, `graph`).
            shape = ""
            if node in protocol.decisions:
                shape = "shape=diamond, "
            elif node in protocol.outcomes:
                shape = "shape=doubleoctagon, style=bold, "
            lines.append(f'{indent}"{node}" [{shape}label="{label}"];')
        if group in SECTIONS:
            lines.append("  }")
    for source, target, label in arrows(protocol):
        suffix = f' [label="{_dot_text(label)}"]' if label else ""
        lines.append(f'  "{source}" -> "{target}"{suffix};')
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


def svg(protocol: Protocol) -> str:
    """The dot drawing rendered by Graphviz; a RuntimeError says why it could not be."""
    import shutil
    import subprocess

    program = shutil.which("dot")
    if program is None:
        raise RuntimeError(
            "--format svg draws through Graphviz, and its `dot` command is not installed "
            "(Debian: apt install graphviz); --format dot gives the same drawing as text"
        )
    done = subprocess.run(  # noqa: S603 (Graphviz found on PATH, fed our own drawing)
        [program, "-Tsvg"], input=dot(protocol), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"Graphviz could not draw it: {done.stderr.strip()}")
    return done.stdout
