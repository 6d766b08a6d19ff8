"""The decision tree cut into slides: one drawing per part of the call (safety first, who is
calling, screening, facts, routing), each readable when projected. No Textual.

A part that would not fit a 1920x1080 slide with its smallest text at `SMALLEST_PX` is cut in
two, in the order a call meets its questions, until every slide does (Graphviz lays each out,
and the drawing's own size says). A routing rule is drawn as a flowchart draws "the first
that holds wins": one box per rule, "yes" to where it goes, "no" to the next rule. An arrow
to something on another slide ends at a small note naming it ("→ 12", or the part)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.etree import ElementTree

from ..protocol.texts import local
from .graph import SECTIONS, dot_text, node_text, numbered, order, out_of, render
from .words import Words

if TYPE_CHECKING:
    from ..protocol import Protocol

SLIDE = (1920, 1080)
"""The slide the drawing is fitted to, in pixels."""

SMALLEST_PX = 24
"""The smallest text on a fitted slide: read from the back of a classroom."""

FONT = 28
"""The drawing's text size, in the drawing's own points (a fitted slide may shrink it)."""

WRAP = 26

IF_WORDS = {"en": "If", "es": "Si"}
SLIDE_WORDS = {"en": "slide", "es": "diapositiva"}
NEXT_RULE = {"en": "the next rule", "es": "la regla siguiente"}
GOES_ON = {"en": "continued", "es": "continúa"}
HUNG_UP = {"en": "If the caller hangs up", "es": "Si la persona cuelga"}
OF_WORDS = {"en": "of", "es": "de"}

Item = tuple[str, int]
"""A question (id, -1), or a routing rule (the decision's id, the rule's index)."""


@dataclass(frozen=True)
class Slide:
    name: str
    """The file's name without its extension (`03-screening-2`)."""
    title: str
    drawing: str
    """Graphviz dot."""


def _entry(protocol: Protocol, node: str) -> Item | str:
    """Where an arrow to `node` lands: a question; a decision's first rule that has a
    condition; else (a decision of one rule) where that rule goes; an outcome."""
    if node in protocol.decisions:
        rules = protocol.decisions[node].rules
        for index, rule in enumerate(rules):
            if rule.when is not None:
                return (node, index)
        return _entry(protocol, rules[-1].goto)
    if node in protocol.questions:
        return (node, -1)
    return node  # an outcome: drawn on every slide that leads to it


def parts(protocol: Protocol) -> list[tuple[str, list[Item]]]:
    """The call's parts in the order a call meets them, each with its questions and rules:
    a decision that can give a route belongs to routing, any other to the part of the first
    question that leads to it."""
    nodes = order(protocol)
    section_of: dict[str, str] = {}
    for node in nodes:
        if node in protocol.questions:
            section_of[node] = protocol.questions[node].section
    for node in nodes:
        if node not in protocol.decisions:
            continue
        rules = protocol.decisions[node].rules
        if any(rule.goto in protocol.outcomes for rule in rules):
            section_of[node] = "routing"
            continue
        before = [q for q in nodes if q in protocol.questions and _leads_to(protocol, q, node)]
        section_of[node] = section_of[before[0]] if before else "routing"
    found: dict[str, list[Item]] = {}
    for node in nodes:
        if node in protocol.questions:
            found.setdefault(section_of[node], []).append((node, -1))
        elif node in protocol.decisions:
            rules = protocol.decisions[node].rules
            items = [(node, i) for i, rule in enumerate(rules) if rule.when is not None]
            found.setdefault(section_of[node], []).extend(items)
    routing = found.pop("routing", [])
    hang_up = protocol.protocol.hang_up  # the rule for a call cut short: after the others
    routing.sort(key=lambda item: item[0] == hang_up)
    listed = list(found.items())
    return [*listed, ("routing", routing)] if routing else listed


def _leads_to(protocol: Protocol, question: str, node: str) -> bool:
    q = protocol.questions[question]
    return q.next == node or any(answer.next == node for answer in q.answers)


def _node(item: Item) -> str:
    return item[0] if item[1] < 0 else f"{item[0]}__{item[1]}"


def _drawing(
    protocol: Protocol,
    words: Words,
    title: str,
    items: list[Item],
    part_of: dict[Item, str],
    slide_of: dict[Item, int],
) -> str:
    language = words.language
    lines = [
        "digraph slide {",
        "  rankdir=LR;",
        f'  graph [fontname="Helvetica", fontsize={FONT + 6}, labelloc=t, '
        f'label="{dot_text(title, 80)}", nodesep=0.3, ranksep=0.5, pad=0.2];',
        f'  node [shape=box, style=rounded, fontname="Helvetica", fontsize={FONT}, margin=0.15];',
        f'  edge [fontname="Helvetica", fontsize={FONT}];',
    ]
    here = set(items)
    notes: dict[str, str] = {}

    def to(target: str) -> str:
        """The node an arrow to `target` ends at on this slide (drawn if need be)."""
        entry = _entry(protocol, target)
        if isinstance(entry, str):
            if entry not in notes:
                title = node_text(protocol, entry, words)
                notes[entry] = f'  "{entry}" [style="rounded,bold", peripheries=2, ' + (
                    f'label="{dot_text(title, WRAP)}"];'
                )
            return entry
        if entry in here:
            return _node(entry)
        name = f"to__{_node(entry)}"
        if name not in notes:
            if entry[1] < 0:
                said = f"→ {words.numbers.get(entry[0], entry[0])}" if not words.ids else entry[0]
            else:
                said = f"→ {node_text(protocol, entry[0], words)}"
            if entry in slide_of:
                said += f" ({SLIDE_WORDS[language]} {slide_of[entry]})"
            notes[name] = f'  "{name}" [shape=plaintext, label="{dot_text(said, WRAP)}"];'
        return name

    yes = "yes" if words.ids else local(protocol.protocol.yes_label, language)
    no = "no" if words.ids else local(protocol.protocol.no_label, language)
    edges: list[str] = []
    for item in items:
        node, index = item
        if index < 0:
            label = node_text(protocol, node, words)
            lines.append(f'  "{node}" [label="{dot_text(label, WRAP)}"];')
            for target, answers in out_of(protocol, node):
                mark = "• " if len(answers) > 1 else ""  # each answer its own, however wrapped
                said = "\\n".join(dot_text(mark + words.answer(node, a), 20) for a in answers)
                text = f' [label="{said}"]' if said else ""
                edges.append(f'  "{node}" -> "{to(target)}"{text};')
            continue
        rules = protocol.decisions[node].rules
        rule = rules[index]
        first = min(i for i, r in enumerate(rules) if r.when is not None)
        earlier = [i for i in range(first, index) if rules[i].when is not None]
        if index == first or (node, earlier[-1]) not in here:
            # Where the decision starts on this slide: its name, as arrows to it say.
            name = node_text(protocol, node, words)
            if node == protocol.protocol.hang_up and not words.ids:
                name = HUNG_UP[language]
            if index != first:
                name += f" ({GOES_ON[language]})"
            lines.append(
                f'  "start__{node}" [shape=plaintext, fontname="Helvetica-Bold", '
                f'label="{dot_text(name + ":", WRAP)}"];'
            )
            edges.append(f'  "start__{node}" -> "{_node(item)}";')
        said = f"{IF_WORDS[language]} {words.condition(rule.when)}" if not words.ids else ""
        label = said or f"{node} {index + 1}: {words.condition(rule.when)}"
        lines.append(f'  "{_node(item)}" [shape=box, style="", label="{dot_text(label, WRAP)}"];')
        edges.append(f'  "{_node(item)}" -> "{to(rule.goto)}" [label="{yes}"];')
        following = [i for i in range(index + 1, len(rules)) if rules[i].when is not None]
        after = _node((node, following[0])) if following else None
        if after is not None and (node, following[0]) in here:
            edges.append(f'  "{_node(item)}" -> "{after}" [label="{no}"];')
        elif after is not None:
            note = to_rule(item, following[0], notes, words, slide_of)
            edges.append(f'  "{_node(item)}" -> "{note}" [label="{no}"];')
        else:
            edges.append(f'  "{_node(item)}" -> "{to(rules[-1].goto)}" [label="{no}"];')
    return "\n".join([*lines, *notes.values(), *edges, "}"]) + "\n"


def to_rule(
    item: Item, index: int, notes: dict[str, str], words: Words, slide_of: dict[Item, int]
) -> str:
    """A note for the next rule of a decision cut across slides."""
    name = f"to__{item[0]}__{index}"
    said = f"→ {NEXT_RULE[words.language]}" if not words.ids else f"→ {item[0]} {index + 1}"
    if (item[0], index) in slide_of:
        said += f" ({SLIDE_WORDS[words.language]} {slide_of[(item[0], index)]})"
    notes.setdefault(name, f'  "{name}" [shape=plaintext, label="{said}"];')
    return name


def smallest_px(svg: str) -> float:
    """The smallest text of an SVG drawing, in pixels, once fitted to the slide."""
    root = ElementTree.fromstring(svg)  # noqa: S314 (Graphviz's own drawing of our own dot)
    width, height = (float(re.sub(r"[a-z]+$", "", root.attrib[k])) for k in ("width", "height"))
    scale = min(SLIDE[0] / width, SLIDE[1] / height)
    sizes = [
        float(text.attrib["font-size"])
        for text in root.iter("{http://www.w3.org/2000/svg}text")
        if "font-size" in text.attrib
    ]
    return min(sizes, default=FONT) * scale


def slides(protocol: Protocol, language: str = "en", ids: bool = False) -> list[Slide]:
    """The slides, each laid out by Graphviz to check it fits (a RuntimeError where Graphviz
    cannot be run)."""
    words = Words(protocol, language, ids, numbered(protocol))
    cut = parts(protocol)
    part_of = {item: part for part, items in cut for item in items}
    made: list[tuple[str, list[Item]]] = []

    every = {item: 99 for _, items in cut for item in items}  # notes as long as they get

    def fits(part: str, items: list[Item]) -> bool:
        title = f"{SECTIONS[language].get(part, part)} (9 {OF_WORDS[language]} 9)"
        drawing = _drawing(protocol, words, title, items, part_of, every)
        return smallest_px(render(drawing, "svg").decode()) >= SMALLEST_PX

    for part, items in cut:
        rest = items
        while rest:
            # The most of what is left, in call order, that one slide holds (at least one).
            low, high = 1, len(rest)
            while low < high:
                middle = (low + high + 1) // 2
                low, high = (middle, high) if fits(part, rest[:middle]) else (low, middle - 1)
            made.append((part, rest[:low]))
            rest = rest[low:]
    slide_of = {item: number for number, (_, items) in enumerate(made, 1) for item in items}
    out = []
    for number, (part, items) in enumerate(made, 1):
        pieces = [i for p, i in made if p == part]
        title = SECTIONS[language].get(part, part)
        name = f"{number:02d}-{part}"
        if len(pieces) > 1:
            which = pieces.index(items) + 1
            title += f" ({which} {OF_WORDS[language]} {len(pieces)})"
            name += f"-{which}"
        drawing = _drawing(protocol, words, title, items, part_of, slide_of)
        out.append(Slide(name, title, drawing))
    return out
