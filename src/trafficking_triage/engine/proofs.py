"""What `validate` proves of every way through a protocol, as its `safety` section asks.

1. **A more alarming answer never gives a less protective route.** On a yes/no question that
   raises an indicator of an alarming kind (danger, force, a minor...), its answers are ordered
   from the plain one to "don't know" to the one that raises the indicator. Turning an answer
   one step up that order, with every later answer the same, never moves the call down the
   protocol's order of outcomes (officer, then tip line, then Hotline).
2. **The person on the line is a victim call**: on no way through does a caller named in
   `on_the_line`, who gave a plain sign that is not clearly negative, end anywhere but
   `on_the_line_route`.
3. **A known place and a credible sign are never the last route**: on no way through on which
   `known_place` was answered and a sign of a `credible` kind was found does the call end on
   the last outcome of the order.

Exact, like engine.reach, which they walk: the walk is remembered by what the rules can see,
and these proofs add what they need to see to it. (1) walks two calls side by side, the same
answers given to the questions both ask; a question only one of them can still ask (the
protocol's graph has no loop, so one that the other has passed in the protocol's order) takes
every answer on its own. Called by `validate`; a broken protocol gets a finding with an
example way through.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..protocol.problems import Finding
from .reach import NOTHING_SEEN, Clause, Reach, State, reach_for

if TYPE_CHECKING:
    from ..protocol.models import Protocol, Safety

Said = tuple[str, str]
"""A question, and what was said to it on a way through."""


def prove(protocol: Protocol) -> list[Finding]:
    """Every proof the protocol's `safety` section asks for; no section, no proof."""
    safety = protocol.safety
    if safety is None:
        return []
    return [*_more_alarming(protocol, safety), *_ways(protocol, safety)]


# -- 1. a more alarming answer --------------------------------------------------------------
def alarm_steps(protocol: Protocol, safety: Safety) -> dict[str, list[str]]:
    """For each question the first proof covers, its answers from least to most alarming."""
    found = {}
    for qid, question in protocol.questions.items():
        if not question.yes_no:
            continue
        raising = [
            key
            for key in ("yes", "no")
            if (name := question.answer(key).indicator) is not None
            and protocol.indicators[name].kind in safety.alarming
        ]
        if len(raising) != 1:
            continue
        plain = "no" if raising == ["yes"] else "yes"
        unknown = question.unknown_answer
        found[qid] = [plain, *([unknown] if unknown and unknown not in (plain, *raising) else [])]
        found[qid].append(raising[0])
    return found


def _more_alarming(protocol: Protocol, safety: Safety) -> list[Finding]:
    reach = reach_for(protocol)
    start = State(protocol.protocol.start, False, NOTHING_SEEN)
    reach.outcomes(start)
    rank = {name: index for index, name in enumerate(safety.order)}
    topo = _topological(protocol)
    steps = alarm_steps(protocol, safety)
    parents: dict[State, tuple[State, Said] | None] = {start: None}
    for state, child, said in _every_move(reach, start):
        parents.setdefault(child, (state, said))
    checked: set[tuple[State, State]] = set()
    findings = []
    for state in list(parents):
        order = steps.get(state.node)
        if order is None:
            continue
        for lower, higher in itertools.pairwise(order):
            pair = (_after(reach, state, lower), _after(reach, state, higher))
            broken = _worse(reach, pair, rank, topo, checked)
            if broken is None:
                continue
            before = _trail(parents, state)
            later, low_end, high_end = broken
            findings.append(
                Finding(
                    ("safety", "alarming"),
                    f"turning '{state.node}' from '{lower}' to '{higher}' can move the call "
                    f"from '{low_end}' down to '{high_end}': after {_words(before)}, "
                    f"then {_words(later) if later else 'nothing more'}",
                    "safety-alarm",
                    "a more alarming answer must never give a less protective route",
                )
            )
            return findings  # one example is enough to mend; the rest often follow from it
    return findings


def _after(reach: Reach, state: State, answer_id: str) -> State:
    """The state after answering `answer_id` at `state`'s question."""
    moves = reach.moves(state)
    assert not isinstance(moves, str)
    return next(child for child, _asked, said in moves if said == answer_id)


def _worse(
    reach: Reach,
    start: tuple[State, State],
    rank: dict[str, int],
    topo: dict[str, int],
    checked: set[tuple[State, State]],
) -> tuple[list[Said], str, str] | None:
    """Whether the more alarming call (second) can end less protected than the other with
    the same later answers: (the later answers, its route, the other's route) or None."""
    stack: list[tuple[tuple[State, State], list[Said]]] = [(start, [])]
    while stack:
        (low, high), trail = stack.pop()
        low, high = _through_decisions(reach, low), _through_decisions(reach, high)
        if (low, high) in checked:
            continue
        checked.add((low, high))
        outcomes = reach.protocol.outcomes
        if low.node in outcomes or high.node in outcomes:
            # One has ended: every way the other goes on must keep the order.
            ends_low = reach.outcomes(low)
            ends_high = reach.outcomes(high)
            worst_high = max(ends_high, key=lambda name: rank[name])
            best_low = min(ends_low, key=lambda name: rank[name])
            if rank[worst_high] > rank[best_low]:
                return trail, best_low, worst_high
            continue
        if low.node == high.node:
            low_moves, high_moves = reach.moves(low), reach.moves(high)
            assert not isinstance(low_moves, str) and not isinstance(high_moves, str)
            by_said = {said: child for child, _asked, said in high_moves}
            for child, _asked, said in low_moves:
                if said in by_said:
                    stack.append(((child, by_said[said]), [*trail, (low.node, said)]))
                else:  # offered to one call only (their modes differ): each on its own
                    stack += [
                        ((child, other), [*trail, (low.node, said)]) for other in by_said.values()
                    ]
            continue
        # Different questions: the one earlier in the protocol's order can never be asked of
        # the other call, so it takes every answer alone.
        first_low = topo[low.node] < topo[high.node]
        moving = low if first_low else high
        moves = reach.moves(moving)
        assert not isinstance(moves, str)
        for child, _asked, said in moves:
            pair = (child, high) if first_low else (low, child)
            stack.append((pair, [*trail, (moving.node, said)]))
    return None


def _through_decisions(reach: Reach, state: State) -> State:
    while state.node in reach.protocol.decisions:
        moves = reach.moves(state)
        assert not isinstance(moves, str)
        state = moves[0][0]
    return state


def _topological(protocol: Protocol) -> dict[str, int]:
    """Each question and decision's place in an order in which every way goes forward."""
    from ..protocol.lint_graph import edges

    order: list[str] = []
    done: set[str] = set()
    hang_up = protocol.protocol.hang_up
    for root in [protocol.protocol.start, *([hang_up] if hang_up is not None else [])]:
        stack: list[tuple[str, Iterator[str]]] = [(root, (e.target for e in edges(protocol, root)))]
        done.add(root)
        while stack:
            node, out = stack[-1]
            target = next(out, None)
            if target is None:
                stack.pop()
                order.append(node)
            elif target not in done:
                done.add(target)
                stack.append((target, (e.target for e in edges(protocol, target))))
    return {node: index for index, node in enumerate(reversed(order))}


# -- 2 and 3. the ways through ----------------------------------------------------------------
def _ways(protocol: Protocol, safety: Safety) -> list[Finding]:
    """The two path checks, over every way through."""
    from ..protocol.lint import plain_answer

    on_line: list[Clause] = [
        ("answered", qid, frozenset(ids))
        for entry in safety.on_the_line
        for qid, ids in entry.items()
    ]
    signs: list[Clause] = []
    for qid in safety.plain_signs:
        plain = plain_answer(protocol, qid)
        others = {a.id for a in protocol.questions[qid].answers} - {plain}
        signs.append(("answered", qid, frozenset(others)))
    place: list[Clause] = [("given", safety.known_place, frozenset())] if safety.known_place else []
    credible: list[Clause] = [("kind", "", frozenset(safety.credible))] if safety.credible else []
    reach = Reach(protocol, watch=[*on_line, *signs, *place, *credible])
    start = State(protocol.protocol.start, False, NOTHING_SEEN)
    parents: dict[State, tuple[State, Said] | None] = {start: None}
    for state, child, said in _every_move(reach, start):
        parents.setdefault(child, (state, said))
    last = safety.order[-1]
    findings: list[Finding] = []
    victim_done = place_done = False
    for state in parents:
        if state.node not in protocol.outcomes:
            continue
        seen = state.seen
        if (
            not victim_done
            and safety.on_the_line_route is not None
            and state.node != safety.on_the_line_route
            and any(c in seen for c in on_line)
            and any(c in seen for c in signs)
        ):
            victim_done = True
            findings.append(
                Finding(
                    ("safety", "on_the_line_route"),
                    f"a caller on the line who gave a plain sign that is not clearly negative "
                    f"ends on '{state.node}', not '{safety.on_the_line_route}': "
                    f"{_words(_trail(parents, state))}",
                    "safety-victim",
                    "route such a caller as a victim call",
                )
            )
        if (
            not place_done
            and state.node == last
            and place
            and credible
            and place[0] in seen
            and credible[0] in seen
        ):
            place_done = True
            findings.append(
                Finding(
                    ("safety", "known_place"),
                    f"a known place with a sign of {', '.join(safety.credible)} ends on "
                    f"'{last}': {_words(_trail(parents, state))}",
                    "safety-tip",
                    "a known place and a sign of force, fraud or coercion is at least a "
                    "credible tip",
                )
            )
    return findings


def _every_move(reach: Reach, start: State) -> Iterator[tuple[State, State, Said]]:
    """Every move between the states reachable from `start`, each state's moves once, first
    reached first (so the first parent of a state lies on a shortest way to it)."""
    seen = {start}
    queue = [start]
    for state in queue:
        moves = reach.moves(state)
        if isinstance(moves, str):
            continue
        for child, asked, said in moves:
            yield state, child, (state.node, said if asked else "")
            if child not in seen:
                seen.add(child)
                queue.append(child)


def _trail(parents: dict[State, tuple[State, Said] | None], state: State) -> list[Said]:
    trail: list[Said] = []
    step = parents.get(state)
    while step is not None:
        state, said = step
        if said[1]:
            trail.append(said)
        step = parents.get(state)
    return trail[::-1]


def _words(trail: list[Said]) -> str:
    return ", ".join(f"{question}: {said}" for question, said in trail) or "the first question"
