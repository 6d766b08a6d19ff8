"""Each deliberately broken protocol under tests/data/broken gets exactly its message."""

from __future__ import annotations

from pathlib import Path

import pytest

from trafficking_triage.engine import check_cases
from trafficking_triage.protocol import FileProblems, load_protocol

BROKEN = Path(__file__).parent.parent / "data" / "broken"


def problems_of(name: str) -> list[str]:
    try:
        loaded = load_protocol(BROKEN / name, name)
    except FileProblems as error:
        return [str(problem) for problem in error.problems]
    return [str(loaded.problem(f)) for f in check_cases(loaded.protocol)]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "unknown_key.yaml",
            [
                "unknown_key.yaml:57:5: questions.location.sorce: unknown key 'sorce'"
                " (did you mean 'source'?) [unknown-key]"
            ],
        ),
        (
            "null_key.yaml",
            [
                "null_key.yaml:52:3: questions.null: a key must be a word; YAML reads this one"
                " as null (write the key as a word, or quote it) [bad-key]"
            ],
        ),
        (
            "dangling_reference.yaml",
            [
                "dangling_reference.yaml:51:15: questions.free_to_leave.answers[1].next:"
                " no question, decision or outcome called 'locaton'"
                " (did you mean 'location'?) [dangling-reference]"
            ],
        ),
        (
            "cycle.yaml",
            [
                "cycle.yaml:59:11: questions.location.next: the call can go round in a loop:"
                " free_to_leave -> location -> free_to_leave"
                " (every way through must end at an outcome) [cycle]",
                "cycle.yaml:62:5: decisions.route: 'route' cannot be reached from the start"
                " ('free_to_leave') [unreachable]",
                "cycle.yaml:79:5: outcomes.hotline: 'hotline' cannot be reached from the start"
                " ('free_to_leave') [unreachable]",
            ],
        ),
        (
            "unreachable.yaml",
            [
                "unreachable.yaml:61:5: questions.callback: 'callback' cannot be reached"
                " from the start ('free_to_leave') [unreachable]"
            ],
        ),
        (
            "dead_end.yaml",
            [
                "dead_end.yaml:68:9: decisions.route.rules[1]: a call can match none of the"
                " rules of 'route' and stop there (end the rules with one that has no 'when')"
                " [dead-end]"
            ],
        ),
        (
            "duplicate_id.yaml",
            [
                "duplicate_id.yaml:60:3: questions.location: 'location' is defined twice"
                " (first defined at line 52) [duplicate-id]"
            ],
        ),
        (
            "yaml_syntax.yaml",
            [
                "yaml_syntax.yaml:56:8: did not find expected ',' or '}'"
                " (while parsing a flow mapping that began at line 55, column 11) [yaml-syntax]"
            ],
        ),
        (
            "python_tag.yaml",
            [
                "python_tag.yaml:56:10: the tag '!!python/object/apply:os.system' is not"
                " allowed: protocol files hold plain data only [unsafe-tag]"
            ],
        ),
        (
            "empty.yaml",
            [
                "empty.yaml:1:1: the file is empty"
                " (start from the shipped protocol.yaml) [empty-file]"
            ],
        ),
        (
            "wrong_type.yaml",
            [
                "wrong_type.yaml:17:13: steps[1].number:"
                " expected a whole number, got a list [wrong-type]"
            ],
        ),
        (
            "invalid_utf8.yaml",
            [
                "invalid_utf8.yaml:55:27: not valid UTF-8 text (byte 0xe9)"
                " (save the file as UTF-8) [encoding]"
            ],
        ),
        (
            "empty_text.yaml",
            ["empty_text.yaml:56:10: questions.location.why: text is empty [empty-text]"],
        ),
        (
            "empty_condition.yaml",
            [
                "empty_condition.yaml:65:36: decisions.route.rules[0].when.any_indicator_kind:"
                " 'any_indicator_kind' is empty, so it never holds [empty-condition]"
            ],
        ),
        (
            "hang_up.yaml",
            [
                "hang_up.yaml:10:12: protocol.hang_up: a caller who hangs up can be led to the"
                " question 'location' (the hang-up rule must lead only to decisions and"
                " outcomes) [hang-up]",
                "hang_up.yaml:67:24: decisions.hung_up.rules[0].when.given[0]: 'free_to_leave'"
                " is a choice question: 'given' is for typed answers (test a choice question's"
                " answers with 'answered') [misplaced-key]",
                "hang_up.yaml:97:10: safety.order: the order must name every outcome once"
                " (missing: hotline) [safety-order]",
            ],
        ),
        (
            "failing_case.yaml",
            [
                "failing_case.yaml:91:13: cases[1].expect: case 'Free' reaches 'hotline',"
                " not 'officer' (Nothing found.) [case-failed]"
            ],
        ),
    ],
)
def test_broken_protocol_gets_its_exact_message(name: str, expected: list[str]) -> None:
    assert problems_of(name) == expected


def test_missing_language_names_every_text() -> None:
    problems = problems_of("missing_language.yaml")
    assert len(problems) == 8
    assert (
        "missing_language.yaml:40:11: questions.free_to_leave.text: no text in es"
        " [missing-language]"
    ) in problems
    assert any("outcomes.hotline.tell_caller: no text in es" in p for p in problems)
    assert any("'yes_label' must be given" in p for p in problems)


def test_every_broken_fixture_is_covered() -> None:
    """A new fixture without an expected message would test nothing."""
    source = "".join(test.read_text() for test in Path(__file__).parent.glob("test_*.py"))
    for path in BROKEN.glob("*.yaml"):
        assert f'"{path.name}"' in source, path.name


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("does_not_exist.yaml", "does_not_exist.yaml:0:0: no such file [unreadable]"),
        (".", ".:0:0: is a directory, not a file [unreadable]"),
    ],
)
def test_unreadable_files(name: str, message: str) -> None:
    with pytest.raises(FileProblems) as caught:
        load_protocol(BROKEN / name, name)
    assert [str(p) for p in caught.value.problems] == [message]


def test_brackets_nested_thousands_deep_are_refused_not_crashing(tmp_path: Path) -> None:
    """PyYAML's C parser can crash the whole process on such a file."""
    path = tmp_path / "deep.yaml"
    path.write_text("protocol: " + "[" * 50000 + "]" * 50000 + "\n")
    with pytest.raises(FileProblems) as caught:
        load_protocol(path, "deep.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "deep.yaml:1:1: brackets nested too deeply to be a protocol [yaml-syntax]"
    ]


def test_a_duplicate_key_beside_a_self_referring_alias_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "alias.yaml"
    path.write_text("protocol: {id: a, id: b}\nloop: &x [*x]\n")
    with pytest.raises(FileProblems) as caught:
        load_protocol(path, "alias.yaml")
    assert (
        "alias.yaml:1:19: protocol.id: 'id' is defined twice (first defined at line 1)"
        " [duplicate-id]"
    ) in [str(p) for p in caught.value.problems]


def test_a_nul_byte_is_placed_on_its_line(tmp_path: Path) -> None:
    path = tmp_path / "nul.yaml"
    path.write_bytes(b"protocol:\n  id: x\n  title: a\x00b\n")
    with pytest.raises(FileProblems) as caught:
        load_protocol(path, "nul.yaml")
    assert str(caught.value.problems[0]).startswith("nul.yaml:3:11: a character YAML does not")


def test_a_broken_settle_by_promise_gets_its_exact_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The promise is proved over every way through by `validate` (the console's own load
    does not pay for it)."""
    from trafficking_triage.cli import main

    assert main(["validate", str(BROKEN / "settle_late.yaml")]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{BROKEN / 'settle_late.yaml'}:11:24: protocol.settle_by.officer: a call can settle on"
        " 'officer' only at question 5, later than question 4 as promised (ask the questions"
        " that decide this route earlier) [settle-late]",
        f"{BROKEN / 'settle_late.yaml'}:11:49: protocol.settle_by.nowhere: no outcome or"
        " indicator called 'nowhere' [dangling-reference]",
        "2 problems found",
    ]


def test_validate_says_where_each_case_and_scenario_settled(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from trafficking_triage.cli import main

    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert (
        "  case 'Someone in danger at a farm labor camp, followed to the end of the questions':"
        " officer, settled at question 3 of 23"
    ) in out
    assert (
        "  case 'The caller hangs up at the fifth question': officer, settled at question 4 of 4"
    ) in out
    assert "  scenario whispering_victim: officer, settled at question 11 of 23" in out
    assert (
        "latest question at which each route settles, over every way through:"
        " officer 20 (promised by 20), tip_line 19 (promised by 20), hotline 20 (promised by 20),"
        " immediate_danger 3 (promised by 3), someone_injured 4 (promised by 4),"
        " weapons_present 5 (promised by 5), held_now 6 (promised by 6)"
    ) in out
    assert out.rstrip().endswith(
        "  a known place (location) with a sign of force, fraud, coercion never ends on hotline"
    )
