"""Mutated protocol and settings files: a loaded result or the domain error, nothing else."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trafficking_triage.protocol import FileProblems
from trafficking_triage.protocol.loader import parse_protocol
from trafficking_triage.settings.loader import load_settings

DATA = Path(__file__).parent.parent / "data"
PROTOCOL = (DATA / "minimal.yaml").read_text()
SETTINGS = (DATA / "agency" / "good.yaml").read_text()

# Edits a person (or a bad copy and paste) makes: characters dropped, doubled or replaced by
# YAML's own punctuation, lines removed or repeated; and numbers longer than Python reads
# (4,300 digits), as a hostile file holds.
LONG_NUMBERS = ["9" * 5000, "-" + "1" * 4301, "0o" + "7" * 5000, "1_" * 3000 + "1"]
PUNCTUATION = st.sampled_from([*":-[]{}#&*!|>'\"%@`,? \t\n", "yes", "no", "~", "0", *LONG_NUMBERS])


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    chars = list(text)
    for _ in range(draw(st.integers(1, 6))):
        if not chars:
            break
        at = draw(st.integers(0, len(chars) - 1))
        action = draw(st.sampled_from(["drop", "double", "replace", "insert"]))
        if action == "drop":
            del chars[at]
        elif action == "double":
            chars.insert(at, chars[at])
        elif action == "replace":
            chars[at] = draw(PUNCTUATION)
        else:
            chars.insert(at, draw(PUNCTUATION))
    lines = "".join(chars).splitlines(keepends=True)
    valued = [i for i, line in enumerate(lines) if ": " in line]
    if valued and draw(st.integers(0, 3)) == 0:
        # A value replaced by a number too long to read.
        at = draw(st.sampled_from(valued))
        key = lines[at].split(": ", 1)[0]
        lines[at] = f"{key}: {draw(st.sampled_from(LONG_NUMBERS))}\n"
    if len(lines) > 0 and draw(st.booleans()):
        at = draw(st.integers(0, len(lines) - 1))
        if draw(st.booleans()):
            del lines[at]
        else:
            lines.insert(at, lines[at])
    return "".join(lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(PROTOCOL))
def test_a_mutated_protocol_loads_or_lists_its_problems(text: str) -> None:
    try:
        parse_protocol(text, "0" * 64, Path("mutated.yaml"), "mutated.yaml")
    except FileProblems as error:
        assert error.problems
        for problem in error.problems:
            assert problem.file == "mutated.yaml" and problem.line >= 0 and problem.message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=mutated(SETTINGS))
def test_a_mutated_settings_file_loads_or_lists_its_problems(tmp_path_factory, text: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("settings") / "agency.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_settings(path, "agency.yaml")
    except FileProblems as error:
        assert error.problems and all(p.message for p in error.problems)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_escape_as_another_exception(tmp_path_factory, raw: bytes) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("bytes") / "protocol.yaml"
    path.write_bytes(raw)
    from trafficking_triage.protocol import load_protocol

    try:
        load_protocol(path, "protocol.yaml")
    except FileProblems as error:
        assert error.problems
