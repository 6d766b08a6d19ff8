"""A generated protocol of any size: a chain of yes/no questions, each "yes" a sign, then one
decision and two outcomes. For the tests and benchmarks of large protocols (a protocol of
10,000 questions must load, validate and open the console)."""

from __future__ import annotations

HEAD = """protocol:
  id: generated
  version: "1"
  title: Generated protocol
  languages: [en]
  start: q0
  danger_outcome: officer
sources:
  s:
    title: Generated
steps:
  - {number: 1, title: Screen, text: Ask., source: s}
  - {number: 2, title: Officer, text: Send., source: s}
contacts: {}
indicators:
  flag: {label: Flag, kind: coercion, description: A flag., source: s}
questions:
"""

QUESTION = """  q{i}:
    section: screening
    text: {{en: Question number {i}?}}
    why: Generated question {i}.
    source: s
    answers:
      - id: yes
        label: {{en: "Yes"}}
        indicator: flag
        next: {next}
      - id: no
        label: {{en: "No"}}
        next: {next}
      - id: unknown
        label: {{en: "Don't know"}}
        next: {next}
"""

TAIL = """decisions:
  route:
    why: Flags mean an officer.
    source: s
    rules:
      - {when: {any_indicator: [flag]}, goto: officer, because: Flag found.}
      - {goto: other, because: Nothing found.}
outcomes:
  officer:
    {title: Officer, summary: Send., contacts: [], steps: [1, 2],
     tell_caller: {en: Help.}, source: s}
  other:
    {title: Other, summary: Refer., contacts: [], steps: [1], tell_caller: {en: Call.}, source: s}
"""


def generate(size: int) -> str:
    parts = [HEAD]
    for i in range(size):
        parts.append(QUESTION.format(i=i, next=f"q{i + 1}" if i + 1 < size else "route"))
    parts.append(TAIL)
    return "".join(parts)
