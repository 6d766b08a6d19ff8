"""The command line: validate, decide, --version and --help, and their exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from trafficking_triage import __version__
from trafficking_triage.cli import main

DATA = Path(__file__).parent.parent / "data"


def test_validate_shipped_protocol_prints_a_summary_line_then_where_routes_settle(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["validate"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    # summary, heading, cases, scenarios, latest, and the three proofs under their heading
    assert len(out) == 1 + 1 + 22 + 24 + 1 + 4
    assert out[0].startswith("protocol.yaml: ok: ")
    assert "3 outcomes" in out[0] and "paths checked" in out[0] and "cases passed" in out[0]


def test_validate_minimal(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(DATA / "minimal.yaml")]) == 0
    assert (
        capsys.readouterr()
        .out.splitlines()[0]
        .endswith("ok: 2 questions, 1 decision, 2 outcomes, 4 paths checked, 2 cases passed")
    )


def test_validate_lists_every_problem_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(DATA / "broken" / "cycle.yaml")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 4
    assert err[-1] == "3 problems found"
    assert "[cycle]" in err[0]


def test_validate_a_directory_is_a_message_not_a_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["validate", str(DATA)]) == 1
    assert "is a directory, not a file [unreadable]" in capsys.readouterr().err


def test_decide_prints_route_why_indicators_and_checklist(
    capsys: pytest.CaptureFixture[str],
) -> None:
    answers = "{free_to_leave: no, location: Main St}"
    assert main(["decide", "--protocol", str(DATA / "minimal.yaml"), answers]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["route"]["outcome"] == "officer"
    assert out["route"]["because"] == "Coercion found."
    assert out["route"]["deciding"] == [
        {
            "question": "free_to_leave",
            "asked": "Can the worker leave?",
            "answer": "no",
            "said": "No",
        }
    ]
    assert [i["id"] for i in out["indicators"]] == ["not_free"]
    assert [s["status"] for s in out["checklist"]] == ["done", "to_do", "not_applicable"]
    assert out["facts"] == {"location": "Main St"}


def test_decide_reads_a_json_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"free_to_leave": "yes", "location": "Main St"}))
    assert main(["decide", "--protocol", str(DATA / "minimal.yaml"), str(answers)]) == 0
    assert json.loads(capsys.readouterr().out)["route"]["outcome"] == "hotline"


def test_decide_with_too_few_answers_says_what_is_needed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Not enough to settle the route (answers may stop once it has settled).
    assert main(["decide", "{location: Main St, can_speak_freely: yes}"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["route"] is None
    assert "no answer given for 'danger_now'" in captured.err


def test_decide_with_a_wrong_answer_suggests_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["decide", "--protocol", str(DATA / "minimal.yaml"), "{free_to_leave: nope}"]) == 1
    err = capsys.readouterr().err
    assert "the answer given for 'free_to_leave' is not one of its answers" in err
    assert "(did you mean 'no'?)" in err and "nope" not in err


def test_decide_escalate_at(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["decide", "--protocol", str(DATA / "minimal.yaml"), "--escalate-at", "location"]
    assert main([*args, "{free_to_leave: yes}"]) == 0
    route = json.loads(capsys.readouterr().out)["route"]
    assert route["outcome"] == "officer" and route["escalated"] is True


@pytest.mark.parametrize("command", [[], ["validate"], ["decide"]])
@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_every_command_has_version_and_help(
    command: list[str], flag: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        main([*command, flag])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert (__version__ in out) if flag == "--version" else ("usage:" in out)


def test_python_dash_m_runs_the_same_command() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "trafficking_triage", "--version"], capture_output=True, text=True
    )
    assert out.returncode == 0 and out.stdout.strip() == f"trafficking-triage {__version__}"


def test_the_console_refuses_a_broken_protocol_before_drawing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--protocol", str(DATA / "broken" / "cycle.yaml")]) == 1
    err = capsys.readouterr().err
    assert "[cycle]" in err and "Traceback" not in err


def test_validate_reports_a_scenario_that_misses_its_route(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = Path(__file__).resolve().parents[2] / "scenarios" / "wage_dispute.yaml"
    (tmp_path / "wrong.yaml").write_text(
        source.read_text().replace("route: hotline", "route: officer")
    )
    assert main(["validate", "--scenarios", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "expect.route: the scripted caller reaches 'hotline', not 'officer'" in err


def test_a_console_that_cannot_open_says_why_and_leaves_python_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A display language the protocol lacks stops the console before any screen; the
    collector the launch paused is running again."""
    import gc

    monkeypatch.setenv("TRAFFICKING_TRIAGE_AGENCY", str(tmp_path / "absent.yaml"))
    assert main(["--data-dir", str(tmp_path), "--lang", "fr"]) == 2
    assert "--lang fr: this protocol has en, es, es+en" in capsys.readouterr().err
    assert gc.isenabled()


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["records", "list", "--data-dir", "b"], "b"),
        (["--data-dir", "a", "records", "list"], "a"),
        (["--data-dir", "a", "records", "show", "ID", "--data-dir", "b"], "b"),
        (["train", "--data-dir", "b"], "b"),
        (["records", "list"], None),
        (["--data", "a"], "a"),  # an abbreviation, as argparse has always taken it
    ],
)
def test_the_data_directory_can_follow_the_command(argv: list[str], expected: str | None) -> None:
    from trafficking_triage.cli import build_parser

    data_dir = build_parser().parse_args(argv).data_dir
    assert data_dir == (Path(expected) if expected else None)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["records", "show", "ID", "--protocol", "b.yaml"], "b.yaml"),
        (["--protocol", "a.yaml", "records", "replay", "ID"], "a.yaml"),
        (["validate", "--protocol", "b.yaml"], "b.yaml"),
        (["--protocol", "a.yaml", "graph"], "a.yaml"),
        (["decide", "{}", "--protocol", "b.yaml"], "b.yaml"),
        (["--protocol", "a.yaml", "train", "--protocol", "b.yaml"], "b.yaml"),
        (["records", "export", "ID"], None),
    ],
)
def test_the_protocol_option_works_before_and_after_every_command(
    argv: list[str], expected: str | None
) -> None:
    from trafficking_triage.cli import build_parser

    protocol = build_parser().parse_args(argv).protocol
    assert protocol == (Path(expected) if expected else None)


def test_every_option_and_argument_has_help() -> None:
    import argparse

    from trafficking_triage.cli import build_parser

    missing = []

    def walk(parser: argparse.ArgumentParser, where: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, f"{where} {name}")
            elif not action.help:
                missing.append(f"{where}: {action.dest}")

    walk(build_parser(), "trafficking-triage")
    assert missing == []


def test_agency_validate_checks_a_settings_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "agency.yaml"
    assert main(["agency", "init", str(good)]) == 0
    capsys.readouterr()
    assert main(["agency", "validate", str(good)]) == 0
    assert capsys.readouterr().out.startswith(f"settings {good} ok (not set yet")
    bad = tmp_path / "bad.yaml"
    bad.write_text("point_of_contact:\n  phone: 12\n  nmae: x\n")
    assert main(["agency", "validate", str(bad)]) == 1
    assert f"{bad}:" in capsys.readouterr().err


def test_the_cad_context_can_come_from_the_environment_or_a_private_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Flags show in the process list to every user; the environment and an owner-only file
    do not. Later sources win: the environment, the file, then the flags."""
    from trafficking_triage.cli import build_parser
    from trafficking_triage.cli.console_cmds import _cad_context

    monkeypatch.setenv("TRAFFICKING_TRIAGE_CONTEXT", '{"location": "12 Main St", "incident": 7}')
    context = tmp_path / "call.yaml"
    context.write_text("callback: 555-0100\nincident: '8'\n")
    context.chmod(0o600)
    args = build_parser().parse_args(["--context-file", str(context), "--console", "C3"])
    assert _cad_context(args) == {
        "location": "12 Main St",
        "incident": "8",
        "callback": "555-0100",
        "console": "C3",
    }


@pytest.mark.parametrize(
    ("env", "mode", "said"),
    [
        ('{"place": "x"}', 0o600, "unknown keys place"),
        ('{"location": [1, 2]}', 0o600, "location must be text or a number"),
        ("[1, 2]", 0o600, "not a mapping"),
        ("{}", 0o644, "can be read by other users"),
    ],
)
def test_a_cad_context_that_cannot_be_used_is_a_message_that_repeats_no_value(
    env: str,
    mode: int,
    said: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("TRAFFICKING_TRIAGE_CONTEXT", env)
    context = tmp_path / "call.yaml"
    context.write_text("location: Secret Lane 4\n")
    context.chmod(mode)
    assert main(["--data-dir", str(tmp_path / "d"), "--context-file", str(context)]) == 2
    err = capsys.readouterr().err
    assert said in err and "Secret" not in err and "Traceback" not in err


def test_cad_context_values_stay_as_the_cad_wrote_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trafficking_triage.cli import build_parser
    from trafficking_triage.cli.console_cmds import _cad_context

    monkeypatch.setenv(
        "TRAFFICKING_TRIAGE_CONTEXT", "{callback: +15551234567, incident: 0123, location: 12:30}"
    )
    assert _cad_context(build_parser().parse_args([])) == {
        "callback": "+15551234567",
        "incident": "0123",
        "location": "12:30",
    }


def test_the_readme_table_says_where_every_case_and_scenario_settles(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import re

    assert main(["validate"]) == 0
    printed = re.findall(
        r"^  (case|scenario) '?(.*?)'?: (\w+), settled at question (\d+) of (\d+)$",
        capsys.readouterr().out,
        re.MULTILINE,
    )
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (case|scenario) \| (.*?) \| (\w+) \| (\d+) \| (\d+) \|$", readme, re.M)
    assert printed and rows == printed


def test_decide_help_gives_an_example_that_works(capsys: pytest.CaptureFixture[str]) -> None:
    import json
    import re

    with pytest.raises(SystemExit):
        main(["decide", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    example = re.search(r"'(\{[^']*\})'", shown)
    assert example is not None
    assert main(["decide", example.group(1)]) == 0
    decided = json.loads(capsys.readouterr().out)
    assert decided["route"]["outcome"] == "officer"


@pytest.mark.parametrize("how", ["flag", "environment"])
def test_serve_refuses_a_data_directory_that_is_not_there(
    how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typo = tmp_path / "recrods"
    argv = ["--data-dir", str(typo)] if how == "flag" else []
    if how == "environment":
        monkeypatch.setenv("TRAFFICKING_TRIAGE_DATA", str(typo))
    assert main(["serve", *argv]) == 2
    err = capsys.readouterr().err
    assert "no such directory; check the name, or make it first" in err
    assert f"mkdir -m 700 {typo}" in err
    assert not typo.exists()
    (tmp_path / "a-file").write_text("")
    assert main(["serve", "--data-dir", str(tmp_path / "a-file")]) == 2
    assert "is not a directory" in capsys.readouterr().err


@pytest.mark.parametrize("training", [False, True])
def test_a_console_on_a_named_data_directory_that_is_not_there_says_not_saved(
    tmp_path: Path, training: bool
) -> None:
    """A mistyped name, or a share not mounted yet: the console opens (a dispatcher still
    takes the call), says NOT SAVED and why, never makes the directory, and writes the call
    there in full once it exists."""
    from trafficking_triage.console import ConsoleOptions, open_session
    from trafficking_triage.records import SqliteStore

    missing = tmp_path / "share" / "records"
    options = ConsoleOptions(
        data_dir=missing, data_dir_named=True, training=training, scenario="hotel_housekeeper"
    )
    session = open_session(options)
    assert session.records_trouble == (
        f"the data directory {missing} does not exist (check the name, or make it)"
    )
    assert "NOT SAVED: the data directory" in session.trouble_notice().message
    call = session.start()
    session.answer("Main St")
    assert not missing.exists() and session.unsaved_events() == 2
    missing.mkdir(parents=True, mode=0o700)  # mounted, or made by the IT person
    session.answer("yes")
    assert session.records_trouble is None and session.unsaved_events() == 0
    folder = missing / "training" if training else missing
    [row] = SqliteStore(folder).rows(training=training)
    assert len(SqliteStore(folder).events(row.id)) == len(call.events)
    session.end_console()


def test_agency_init_then_agency_validate_with_no_file_check_the_same_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("TRAFFICKING_TRIAGE_AGENCY", raising=False)
    assert main(["agency", "validate"]) == 1  # nothing there yet: said, not a traceback
    assert "agency.yaml; write one with `trafficking-triage agency init`" in (
        capsys.readouterr().err
    )
    assert main(["agency", "init"]) == 0
    written = tmp_path / "config" / "trafficking-triage" / "agency.yaml"
    assert f"written to {written}" in capsys.readouterr().out
    assert main(["agency", "validate"]) == 0
    assert capsys.readouterr().out.startswith(f"settings {written} ok")


def test_protocol_export_writes_the_shipped_files_once_and_they_validate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "ours"
    assert main(["protocol", "export", str(target)]) == 0
    out = capsys.readouterr().out
    assert f"validate {target / 'protocol.yaml'}" in out
    from trafficking_triage.paths import default_protocol_path

    shipped = default_protocol_path()
    assert (target / "protocol.yaml").read_bytes() == shipped.read_bytes()
    names = sorted(p.name for p in (shipped.parent / "scenarios").glob("*.yaml"))
    assert sorted(p.name for p in (target / "scenarios").iterdir()) == names
    assert "rubric.yaml" in names
    assert main(["validate", str(target / "protocol.yaml")]) == 0  # scenarios beside it too
    assert "24 scenarios reach their routes" in capsys.readouterr().out
    # Edited files are never replaced by a second export, nor written through a link.
    (target / "protocol.yaml").write_text("edited")
    assert main(["protocol", "export", str(target)]) == 1
    assert "nothing written" in capsys.readouterr().err
    assert (target / "protocol.yaml").read_text() == "edited"
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / "protocol.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    assert main(["protocol", "export", str(linked)]) == 1
    assert not (tmp_path / "elsewhere.yaml").exists()


def test_bash_completion_completes_commands_actions_and_options(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["completion", "bash"]) == 0
    script = tmp_path / "complete.bash"
    script.write_text(capsys.readouterr().out)

    def complete(*words: str) -> list[str]:
        line = " ".join(words)
        shell = (
            f"source {script}; COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; "
            '_shtab_trafficking_triage; printf "%s\\n" "${COMPREPLY[@]}"'
        )
        done = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, check=True)
        return done.stdout.split()

    assert complete("trafficking-triage", "rec") == ["records"]
    assert complete("trafficking-triage", "records", "re") == ["replay", "review", "report"]
    assert complete("trafficking-triage", "records", "list", "--sta") == ["--status"]
    assert complete("trafficking-triage", "protocol", "") == ["export"]
    for shell, said in (
        ("zsh", "#compdef trafficking-triage"),
        ("tcsh", "'n/records/(list show export import replay review report)/'"),
    ):
        assert main(["completion", shell]) == 0
        assert said in capsys.readouterr().out


def test_the_cads_console_and_the_lists_filter_are_separate_fields() -> None:
    """`--console A records list` kept A as this console's name only by luck of argparse's
    defaults before: the list's own --console (and --dispatcher) filter fields of their own."""
    from trafficking_triage.cli import parse_args

    named = parse_args(["--console", "A", "--dispatcher", "D1", "records", "list"])
    assert (named.console, named.dispatcher, named.taken_at, named.taken_by) == (
        "A",
        "D1",
        None,
        None,
    )
    both = parse_args(["--console", "A", "records", "list", "--console", "B", "--dispatcher", "D2"])
    assert (both.console, both.taken_at, both.taken_by) == ("A", "B", "D2")


def test_every_command_runs_by_the_function_its_parser_names() -> None:
    from trafficking_triage.cli import parse_args

    for argv in (
        [],
        ["validate"],
        ["decide", "{}"],
        ["train"],
        ["serve"],
        ["graph"],
        ["cards"],
        ["protocol", "export", "x"],
        ["completion", "bash"],
        ["store", "init"],
        ["agency", "validate"],
        ["records", "list"],
    ):
        assert callable(parse_args(argv).run), argv
