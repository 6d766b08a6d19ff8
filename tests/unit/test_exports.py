"""Exports of one fixed call against golden files, and the records commands end to end.

The exports quote the protocol's questions: after an intended wording change, regenerate with
`UPDATE_GOLDEN=1 pytest tests/unit/test_exports.py` and read the diff before committing."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import known
from trafficking_triage.cli import main
from trafficking_triage.engine import Call
from trafficking_triage.protocol import LoadedProtocol
from trafficking_triage.records import CallRow, SqliteStore
from trafficking_triage.records.recorder import Recorder
from trafficking_triage.reports.export import as_json, markdown, narrative
from trafficking_triage.shown import safe

GOLDEN = Path(__file__).parent.parent / "data" / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


class Ticking:
    """A clock that moves 7 seconds a reading, so times in exports are fixed and distinct."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=7)
        return self.now


def fixed_call(loaded: LoadedProtocol, language: str = "en") -> Call:
    call = Call.start(
        loaded.protocol,
        "0" * 64,  # a fixed digest: the golden files should not change with every protocol edit
        clock=Ticking(),
        console="console-2",
        dispatcher="D-117",
        context={"incident": "26-031401"},
    )
    if language != "en":
        call.switch_language(language)
    for value in [
        "Roadside motel on Route 9 near exit 12 | room 14",
        "yes",  # can talk freely
        *["no", "no", "no", "no"],  # danger now, injured, weapons, anyone held
        "yes",  # a callback is safe
        "555-0142; if someone else answers, say it is the front desk",
        "witness_specific",
        "no",  # works there too
        "no",  # a minor
        *["unknown", "no", "no", "no", "no", "unknown"],  # free, ID, threats, harm, sex, debt
        *["no", "yes", "no", "yes", "yes"],  # job, speaks for, paid, housing, hours
        "Spanish",
        "yes",  # an interpreter
        "4",
        "Night manager, a man about 50",
        "Grey minivan, plate not seen",
        "no",  # stays anonymous: no
        "We stayed there two nights \x1b[31mand saw it\x1b[0m",
    ]:
        call.answer(value)
    call.tick(3)
    call.tick(5)
    call.note("Guest family; housekeeper works all night, paid in a room")
    call.close()
    return call


def fixed_row(call: Call) -> CallRow:
    started = call.state.started
    assert started is not None and call.state.closed is not None
    return CallRow(
        id="260314-K7QM",
        started_at=started.at,
        ended_at=call.state.closed.at,
        status="completed",
        route="tip_line",
        console="console-2",
        dispatcher="D-117",
        context=started.context,
        protocol_id=started.protocol_id,
        protocol_version=started.protocol_version,
        protocol_sha256="0" * 64,
        training=False,
    )


@pytest.mark.parametrize(
    ("render", "golden"),
    [(narrative, "narrative.txt"), (markdown, "markdown.md"), (as_json, "call.json")],
)
def test_export_matches_golden(render: object, golden: str, shipped: LoadedProtocol) -> None:
    call = fixed_call(shipped)
    text = render(fixed_row(call), call)  # type: ignore[operator]
    path = GOLDEN / golden
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_narrative_fits_a_cad_remarks_field_and_is_safe(shipped: LoadedProtocol) -> None:
    call = fixed_call(shipped)
    text = narrative(fixed_row(call), call)
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "\x1b" not in text and "\\x1b[31m" in text
    assert "Route: Anonymous tip line" in text


def test_safe_shows_control_characters() -> None:
    assert safe("a\x1b]0;title\x07b\nc") == "a\\x1b]0;title\\x07b / c"


def test_records_commands(
    tmp_path: Path, shipped: LoadedProtocol, capsys: pytest.CaptureFixture[str]
) -> None:
    store = SqliteStore(tmp_path)
    recorder = Recorder(store, Call.start(shipped.protocol, shipped.sha256))
    for value in ["Main St", "yes", "yes", "no", "no", "no"]:
        recorder.call.answer(value)
    recorder.call.end_questioning()  # danger now settled the officer route at question 3
    call_id = known(recorder.call_id)
    data = ["--data-dir", str(tmp_path), "records"]
    assert main([*data, "list"]) == 0
    out = capsys.readouterr().out
    assert known(call_id) in out and "officer" in out and "open" in out
    assert main([*data, "show", known(call_id).lower()]) == 0
    out = capsys.readouterr().out
    assert "Is anyone in danger right now? -> Yes" in out and "route: Officer" in out
    assert main([*data, "replay", known(call_id)]) == 0
    assert "same route: officer" in capsys.readouterr().out
    target = tmp_path / "out.json"
    assert main([*data, "export", known(call_id), "--format", "json", "--output", str(target)]) == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert json.loads(target.read_text())["events"][1]["value"] == "Main St"
    assert main([*data, "list", "--training"]) == 0
    assert "no training calls recorded" in capsys.readouterr().out


def test_replay_names_a_changed_protocol(
    tmp_path: Path, shipped: LoadedProtocol, capsys: pytest.CaptureFixture[str]
) -> None:
    store = SqliteStore(tmp_path)
    recorder = Recorder(store, Call.start(shipped.protocol, shipped.sha256))
    other = Path(__file__).parent.parent / "data" / "minimal.yaml"
    args = ["--data-dir", str(tmp_path), "records", "replay", known(recorder.call_id)]
    assert main([*args, "--protocol", str(other)]) == 1
    err = capsys.readouterr().err
    assert "was taken with protocol labor-trafficking-dispatch 3.0.0" in err
    assert "Not replayed" in err


def test_an_unknown_id_is_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    SqliteStore(tmp_path).close()
    assert main(["--data-dir", str(tmp_path), "records", "show", "260101-AAAA"]) == 1
    assert "no call record with id 260101-AAAA" in capsys.readouterr().err


def test_reading_a_data_directory_that_holds_no_records_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mistyped = tmp_path / "calsl"
    assert main(["--data-dir", str(mistyped), "records", "list"]) == 1
    err = capsys.readouterr().err
    assert f"the data directory {mistyped} does not exist (check the name)" in err
    assert not mistyped.exists()
    mistyped.mkdir()
    assert main(["--data-dir", str(mistyped), "records", "list"]) == 1
    assert f"no call records in {mistyped} (no calls.sqlite3 there)" in capsys.readouterr().err
    assert list(mistyped.iterdir()) == []


def test_calls_taken_with_a_protocol_written_before_the_new_call_rules_still_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A protocol from before "don't know" on every question and a yes/no form on every choice
    question is refused for new calls, but the calls taken with it are shown and replayed."""
    from trafficking_triage.protocol import FileProblems, load_protocol

    text = (Path(__file__).parent.parent.parent / "protocol.yaml").read_text()
    start = text.index("    if_unknown: other\n")
    end = text.index('      "no": other\n', start) + len('      "no": other\n')
    old = tmp_path / "old.yaml"
    old.write_text(text[:start] + text[end:])
    with pytest.raises(FileProblems) as refused:
        load_protocol(old)
    assert {p.rule for p in refused.value.problems} == {"no-unknown", "closed-form"}
    loaded = load_protocol(old, for_records=True)
    store = SqliteStore(tmp_path / "data")
    recorder = Recorder(store, Call.start(loaded.protocol, loaded.sha256))
    for value in ["Main St", "yes", "yes"]:
        recorder.call.answer(value)
    args = ["--data-dir", str(tmp_path / "data"), "records"]
    assert main([*args, "show", known(recorder.call_id), "--protocol", str(old)]) == 0
    assert "Is anyone in danger right now? -> Yes" in capsys.readouterr().out
    assert main([*args, "replay", known(recorder.call_id), "--protocol", str(old)]) == 0


@pytest.mark.parametrize(
    ("form", "golden"),
    [("text", "review.txt"), ("markdown", "review.md"), ("json", "review.json")],
)
def test_a_qa_review_of_a_real_call_matches_golden(
    form: str, golden: str, shipped: LoadedProtocol
) -> None:
    from trafficking_triage.reports import review
    from trafficking_triage.training.debrief import debrief

    call = fixed_call(shipped)
    found = review.review(fixed_row(call), call, debrief(None, call), None)
    text = (
        review.as_json(found)
        if form == "json"
        else review.as_text(found, markdown=form == "markdown")
    )
    path = GOLDEN / golden
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")
    assert "\x1b" not in text  # what the caller said is shown safe


def test_a_qa_review_gives_what_to_tell_the_caller_as_read_out_then_in_english(
    shipped: LoadedProtocol,
) -> None:
    from trafficking_triage.reports import review
    from trafficking_triage.training.debrief import debrief

    call = fixed_call(shipped)
    english = review.review(fixed_row(call), call, debrief(None, call), None)["told_the_caller"]
    call = fixed_call(shipped, language="es")  # the screen in Spanish
    found = review.review(fixed_row(call), call, debrief(None, call), None)
    tip_line = shipped.protocol.outcomes["tip_line"]
    texts = [*tip_line.instructions.values(), tip_line.tell_caller]
    spanish = next(text["es"] for text in texts if text["en"] == english)
    assert found["told_the_caller"] == f"{spanish}\n{english}"
    text = review.as_text(found)
    assert f"  {spanish}\n  {english}\n" in text


def test_records_review_scores_a_training_call_as_the_debrief_did(
    tmp_path: Path, shipped: LoadedProtocol, capsys: pytest.CaptureFixture[str]
) -> None:
    from trafficking_triage.console import ConsoleOptions, open_session
    from trafficking_triage.training.debrief import debrief

    session = open_session(
        ConsoleOptions(data_dir=tmp_path, training=True, scenario="hotel_housekeeper")
    )
    session.start()
    assert session.scenario is not None
    replies = session.scenario.caller.replies
    while (call := session.call) is not None and call.state.prompt is not None:
        question = call.state.prompt.question
        answer = "unknown" if question == "weapons" else replies[question].answer  # not as said
        assert session.answer(str(answer)) is None
    assert session.recorder is not None
    call_id = known(session.recorder.call_id)
    assert session.toggle_step(3) is None
    assert session.close_call() is None
    assert session.call is not None
    shown = debrief(session.scenario, session.call, session.rubric)
    session.end_console()
    args = ["records", "review", call_id, "--training", "--data-dir", str(tmp_path)]
    assert main([*args, "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["call"]["scenario"] == "hotel_housekeeper"
    assert found["score"]["points"] == shown.score and found["score"]["out_of"] == 100
    assert [line["label"] for line in found["score"]["lines"]] == [x.label for x in shown.lines]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert '"Does anyone there have a weapon?": the caller said No, recorded Don\'t know' in text
    assert f"Score {shown.score} / 100" in text


def test_records_review_names_the_protocol_a_call_needs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = SqliteStore(tmp_path)
    call = Call.start(load_protocol_for_test().protocol, "f" * 64)
    recorder = Recorder(store, call)
    call.answer("Main St")
    recorder.release()
    store.close()
    assert main(["records", "review", known(recorder.call_id), "--data-dir", str(tmp_path)]) == 1
    error = capsys.readouterr().err
    assert "records review:" in error and "sha256 " + "f" * 64 in error and "--protocol" in error


def load_protocol_for_test() -> LoadedProtocol:
    from trafficking_triage.protocol import load_protocol

    return load_protocol()


def test_records_review_says_when_a_record_goes_on_past_what_replays(
    tmp_path: Path, shipped: LoadedProtocol, capsys: pytest.CaptureFixture[str]
) -> None:
    from trafficking_triage.engine.events import NoteAdded, StepTicked

    store = SqliteStore(tmp_path)
    call = Call.start(shipped.protocol, shipped.sha256, dispatcher="D\u009b31m-7\u202e")
    recorder = Recorder(store, call)
    call.answer("Main St")
    call.close("abandoned")
    recorder.release()
    later = call.clock()
    store.db.execute("DROP TRIGGER no_event_after_close")  # as a file of version 1.0 could be
    store.append(known(recorder.call_id), StepTicked(at=later, step=2))  # after the close
    store.append(known(recorder.call_id), NoteAdded(at=later, text="written after the close"))
    store.close()
    args = ["records", "review", known(recorder.call_id), "--data-dir", str(tmp_path)]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert (
        text.startswith("QA REVIEW") and "\nANOMALY: the record goes on past what replays" in text
    )
    assert main([*args, "--format", "json"]) == 0
    shown = capsys.readouterr().out
    assert "\u009b" not in shown and "\u202e" not in shown  # as escapes only
    found = json.loads(shown)
    assert found["anomaly"] and found["call"]["dispatcher"] == "D\u009b31m-7\u202e"
    assert main(["records", "list", "--json", "--data-dir", str(tmp_path)]) == 0
    listed = capsys.readouterr().out
    assert "\u009b" not in listed and json.loads(listed)["calls"][0]["dispatcher"].startswith("D")


def test_calls_taken_with_protocol_2_still_show_replay_and_review(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """After the upgrade to protocol 3, a record taken with protocol 2.0.0 finds the file it
    was taken with (shipped inside the program) by its digest, with no --protocol, and
    replays to the route it had then: danger now ended the questions after the safety ones."""
    from trafficking_triage.paths import earlier_protocol_paths
    from trafficking_triage.protocol import load_protocol

    (earlier,) = earlier_protocol_paths()
    old = load_protocol(earlier, for_records=True)
    assert old.protocol.protocol.version == "2.0.0"
    store = SqliteStore(tmp_path)
    recorder = Recorder(store, Call.start(old.protocol, old.sha256))
    for value in ["Main St", "English", "yes", "no", "no", "no"]:  # the language second
        recorder.call.answer(value)
    assert recorder.call.state.route is not None  # reached at once, as protocol 2 did
    recorder.call.close()
    recorder.release()
    store.close()
    data = ["--data-dir", str(tmp_path), "records"]
    assert main([*data, "show", known(recorder.call_id)]) == 0
    out = capsys.readouterr().out
    assert "What language are you most comfortable speaking? -> English" in out
    assert main([*data, "replay", known(recorder.call_id)]) == 0
    assert "same route: officer" in capsys.readouterr().out
    assert main([*data, "review", known(recorder.call_id), "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["call"]["protocol"] == "labor-trafficking-dispatch 2.0.0"
    assert found["route"]["title"].startswith("Officer to the scene")


def test_review_shows_the_questions_as_read_and_the_answers_going_back_dropped(
    tmp_path: Path, shipped: LoadedProtocol, capsys: pytest.CaptureFixture[str]
) -> None:
    store = SqliteStore(tmp_path)
    call = Call.start(shipped.protocol, shipped.sha256)
    recorder = Recorder(store, call)
    for value in ["Main St", "yes", "no", "no"]:
        call.answer(value)
    call.back("can_speak_freely")  # the answers to danger and injury fall away
    call.answer("no")
    recorder.release()
    store.close()
    assert main(["--data-dir", str(tmp_path), "records", "review", known(recorder.call_id)]) == 0
    text = capsys.readouterr().out
    assert "2. Can you talk freely right now, without anyone listening? -> No" in text
    assert "back to: Can you talk freely right now, without anyone listening?" in text
    assert "dropped: Is anyone in danger right now? -> No" in text
    assert "dropped: Is anyone hurt or in need of a doctor? -> No" in text
    assert "danger_now" not in text and "can_speak_freely" not in text  # no ids


def test_records_list_shows_and_filters_by_incident_and_place_and_writes_csv(
    tmp_path: Path, shipped: LoadedProtocol, capsys: pytest.CaptureFixture[str]
) -> None:
    import csv
    import io

    store = SqliteStore(tmp_path)
    first = Call.start(shipped.protocol, shipped.sha256, context={"incident": "INC-1"})
    Recorder(store, first)
    first.answer("Sunrise Motel, room 14")
    second = Call.start(shipped.protocol, shipped.sha256)
    Recorder(store, second)
    second.answer("=HYPERLINK(1) farm road")  # typed as said: a spreadsheet must not run it
    second.give_details({"incident": "INC-2"})
    store.close()
    data = ["--data-dir", str(tmp_path), "records", "list"]
    assert main(data) == 0
    out = capsys.readouterr().out
    assert "INCIDENT" in out and "INC-1" in out and "Sunrise Motel, room 14" in out
    assert main([*data, "--incident", "inc-2"]) == 0
    out = capsys.readouterr().out
    assert "INC-2" in out and "INC-1" not in out
    assert main([*data, "--where", "sunrise"]) == 0
    out = capsys.readouterr().out
    assert "INC-1" in out and "INC-2" not in out
    assert main([*data, "--csv"]) == 0
    found = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["incident"] for r in found} == {"INC-1", "INC-2"}
    assert "'=HYPERLINK(1) farm road" in {r["location"] for r in found}
    assert main([*data, "--json"]) == 0
    assert '"incident": "INC-1"' in capsys.readouterr().out
