"""The decision tree drawn for slides: Mermaid, Graphviz dot (and SVG through Graphviz), or
plain text. No Textual.

Drawn left to right for a 16:9 slide, questions grouped by their section, decisions as
diamonds and outcomes drawn distinctly. Answers that lead to the same place are one arrow.
Labels are in words, in English or Spanish (`Words`): the questions numbered in the order a
call meets them, as they are read; the answers as offered; the rules' conditions naming the
questions by number. No label is ever cut: long ones are wrapped, and each format's special
characters escaped. `slides.py` cuts the same drawing into slides."""

from __future__ import annotations

import textwrap
from collections import defaultdict

from ..protocol import Protocol
from ..protocol.lint_graph import edges
from .words import Words

WRAP = 24
"""Characters a line of a label may hold before it wraps."""

SECTIONS = {
    "en": {
        "safety": "Safety first",
        "caller": "Who is calling",
        "screening": "Screening",
        "facts": "Facts for responders",
        "routing": "Routing",
        "decision": "Check the answers",
    },
    "es": {
        "safety": "Primero la seguridad",
        "caller": "Quién llama",
        "screening": "Preguntas de detección",
        "facts": "Datos para quienes responden",
        "routing": "A dónde va la llamada",
        "decision": "Revisar las respuestas",
    },
}
"""The drawing's headings (the protocol's sections, and routing) in each language."""


def _lines(text: str, wrap: int = WRAP) -> list[str]:
    return textwrap.wrap(text, wrap, break_long_words=False, break_on_hyphens=False) or [""]


def numbered(protocol: Protocol) -> dict[str, int]:
    """Each question's number: the order a call meets them, as on the guide cards."""
    questions = (node for node in order(protocol) if node in protocol.questions)
    return {question: number for number, question in enumerate(questions, 1)}


def words_for(protocol: Protocol, language: str = "en", ids: bool = False) -> Words:
    """The drawing's words: questions named by their number in rules."""
    return Words(protocol, language, ids, numbered(protocol))


def out_of(protocol: Protocol, question_id: str) -> list[tuple[str, list[str]]]:
    """(to, answers): one per distinct way out of a question, its answers that go the same way
    on one arrow (none named where all go the same way)."""
    question = protocol.questions[question_id]
    grouped: dict[str, list[str]] = defaultdict(list)
    for answer in question.answers:
        if answer.next is not None:
            grouped[answer.next].append(answer.id)
    if question.kind != "choice" and question.next is not None:
        grouped[question.next] = []
    if len(grouped) == 1:
        return [(target, []) for target in grouped]
    return list(grouped.items())


def arrows(protocol: Protocol, words: Words | None = None) -> list[tuple[str, str, str]]:
    """(from, to, label), one per distinct way out of each question or decision."""
    words = words or words_for(protocol)
    found: list[tuple[str, str, str]] = []
    for qid in protocol.questions:
        for target, answers in out_of(protocol, qid):
            found.append((qid, target, words.answers(qid, answers) if answers else ""))
    for did, decision in protocol.decisions.items():
        for rule in decision.rules:
            found.append((did, rule.goto, words.condition(rule.when)))
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


def node_text(protocol: Protocol, node: str, words: Words) -> str:
    """A node's label: an outcome's title; a question numbered, in words; a decision."""
    if node in protocol.outcomes:
        return node if words.ids else protocol.outcomes[node].title
    if node in protocol.decisions:
        if words.ids:
            return node
        letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[list(protocol.decisions).index(node) % 26]
        return f"{SECTIONS[words.language]['decision']} {letter}"
    return f"{words.numbers[node]}. {words.question(node)}" if not words.ids else node


# -- Mermaid --------------------------------------------------------------------------------
def _mermaid_text(text: str) -> str:
    """A label inside double quotes: quotes and the characters Mermaid reads as markup are
    written as entity codes; wrapped lines joined by <br/>."""
    codes = {'"': "#quot;", "|": "#124;", "<": "#lt;", ">": "#gt;", "#": "#35;"}
    lines = ["".join(codes.get(c, c) for c in line) for line in _lines(text)]
    return "<br/>".join(lines)


def mermaid(protocol: Protocol, words: Words) -> str:
    lines = ["flowchart LR"]
    titles = SECTIONS[words.language]
    for group, nodes in _groups(protocol).items():
        if group in titles:
            lines.append(f'  subgraph s_{group}["{titles[group]}"]')
        for node in nodes:
            label = _mermaid_text(node_text(protocol, node, words))
            # Ids prefixed: a protocol's id may be a word Mermaid keeps (`end`) or a section's.
            if node in protocol.decisions:
                lines.append(f'    n_{node}{{"{label}"}}')
            elif node in protocol.outcomes:
                lines.append(f'    n_{node}(["{label}"]):::outcome')
            else:
                lines.append(f'    n_{node}["{label}"]')
        if group in titles:
            lines.append("  end")
    for source, target, label in arrows(protocol, words):
        text = f'|"{_mermaid_text(label)}"|' if label else ""
        lines.append(f"  n_{source} -->{text} n_{target}")
    lines.append("  classDef outcome stroke-width:4px")
    return "\n".join(lines) + "\n"


# -- Graphviz dot ---------------------------------------------------------------------------
def dot_text(text: str, wrap: int = WRAP) -> str:
    """A label inside double quotes, wrapped with dot's own line break."""
    lines = _lines(text, wrap)
    escaped = [line.replace("\\", "\\\\").replace('"', '\\"') for line in lines]
    return "\\n".join(escaped)


def dot(protocol: Protocol, words: Words) -> str:
    lines = [
        f'digraph "{dot_text(protocol.protocol.id)}" {{',
        "  rankdir=LR;",
        '  graph [ratio=0.5625, fontname="Helvetica", nodesep=0.25, ranksep=0.4];',
        '  node [shape=box, fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=9];',
    ]
    titles = SECTIONS[words.language]
    for group, nodes in _groups(protocol).items():
        indent = "  "
        if group in titles:
            lines.append(f"  subgraph cluster_{group} {{")
            lines.append(f'    label="{titles[group]}"; style=rounded;')
            indent = "    "
        for node in nodes:
            label = dot_text(node_text(protocol, node, words))
            # Ids quoted: a protocol's id may be a word dot keeps (`node`, `edge`, `graph`).
            shape = ""
            if node in protocol.decisions:
                shape = "shape=diamond, "
            elif node in protocol.outcomes:
                shape = "shape=doubleoctagon, style=bold, "
            lines.append(f'{indent}"{node}" [{shape}label="{label}"];')
        if group in titles:
            lines.append("  }")
    for source, target, label in arrows(protocol, words):
        suffix = f' [label="{dot_text(label)}"]' if label else ""
        lines.append(f'  "{source}" -> "{target}"{suffix};')
    lines.append("}")
    return "\n".join(lines) + "\n"


def text(protocol: Protocol, words: Words) -> str:
    out: dict[str, list[str]] = defaultdict(list)
    for source, target, label in arrows(protocol, words):
        if words.ids:
            out[source].append(f"{label or 'next'} -> {target}")
        else:
            goes = node_text(protocol, target, words).split(". ")[0]  # a question's number
            out[source].append(f"{label or '→'} → {goes}" if label else f"→ {goes}")
    lines = []
    for node in order(protocol):
        if node in protocol.outcomes:
            title = protocol.outcomes[node].title
            lines.append(f"[OUTCOME] {node}: {title}" if words.ids else f"[ROUTE] {title}")
            continue
        if words.ids:
            kind = "decision" if node in protocol.decisions else protocol.questions[node].kind
            lines.append(f"{node} ({kind})")
        else:
            lines.append(node_text(protocol, node, words))
        lines.extend(f"    {arrow}" for arrow in out[node])
    return "\n".join(lines) + "\n"


FORMATS = {"mermaid": mermaid, "dot": dot, "text": text}

DRAWN = ("svg", "png", "pdf")
"""The forms Graphviz draws."""


def render(drawing: str, form: str) -> bytes:
    """A dot drawing rendered by Graphviz as SVG, PNG or PDF; a RuntimeError says why it
    could not be."""
    import shutil
    import subprocess

    program = shutil.which("dot")
    if program is None:
        raise RuntimeError(
            f"--format {form} draws through Graphviz, and its `dot` command is not installed "
            "(Debian: apt install graphviz); --format dot gives the same drawing as text"
        )
    done = subprocess.run(  # noqa: S603 (Graphviz found on PATH, fed our own drawing)
        [program, f"-T{form}"], input=drawing.encode(), capture_output=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"Graphviz could not draw it: {done.stderr.decode(errors='replace')}")
    return done.stdout


def svg(protocol: Protocol, words: Words | None = None) -> str:
    """The whole drawing rendered by Graphviz as SVG."""
    return render(dot(protocol, words or words_for(protocol)), "svg").decode()
