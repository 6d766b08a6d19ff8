"""Input that once printed a Python traceback: each gets a clear message, names where, and
never repeats what a caller said."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest

from trafficking_triage.cli import main

SHIPPED = Path(__file__).resolve().parents[2]
HUGE = "9" * 5000


def no_traceback(capsys: pytest.CaptureFixture[str]) -> str:
    said = capsys.readouterr()
    assert "Traceback" not in said.err + said.out
    return said.err


@pytest.mark.parametrize("command", ["validate", "graph", "decide"])
def test_a_number_of_five_thousand_digits_in_a_protocol(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    protocol = tmp_path / "protocol.yaml"
    text = (SHIPPED / "protocol.yaml").read_text()
    protocol.write_text(text.replace("screening_step: 1", f"screening_step: {HUGE}", 1))
    assert f"screening_step: {HUGE}" in protocol.read_text()
    args = {
        "validate": ["validate", str(protocol)],
        "graph": ["graph", "--protocol", str(protocol)],
        "decide": ["decide", "{location: x}", "--protocol", str(protocol)],
    }[command]
    assert main(args) == 1
    assert "a number too long to read (more than 40 characters) [yaml-syntax]" in no_traceback(
        capsys
    )


def test_a_number_of_five_thousand_digits_in_settings_and_scenarios(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    agency = tmp_path / "agency.yaml"
    agency.write_text(f"point_of_contact:\n  name: POC\n  phone: {HUGE}\n")
    assert main(["agency", "validate", str(agency)]) == 1
    assert f"{agency}:3:10: a number too long to read" in no_traceback(capsys)
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    shutil.copy(SHIPPED / "scenarios" / "wage_dispute.yaml", scenarios / "wage_dispute.yaml")
    path = scenarios / "wage_dispute.yaml"
    path.write_text(
        path.read_text().replace("time_target_seconds:", f"time_target_seconds: {HUGE} #")
    )
    assert main(["validate", "--scenarios", str(scenarios)]) == 1
    assert "a number too long to read" in no_traceback(capsys)


def test_decide_with_a_long_inline_map_never_echoes_it(capsys: pytest.CaptureFixture[str]) -> None:
    place = "Z" * 5000
    assert main(["decide", f"{{location: {place}, danger_now: 'yes'}}"]) in {0, 1}
    said = capsys.readouterr()
    assert "Traceback" not in said.err and place not in said.err


@pytest.mark.parametrize(("value", "what"), [("null", "nothing"), ("[1, 2]", "list")])
def test_decide_refuses_an_answer_that_is_not_text_or_a_number(
    value: str, what: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["decide", f"{{location: {value}}}"]) == 2
    err = no_traceback(capsys)
    assert f"the answer to 'location' must be text or a number, not {what}" in err


def test_an_unclosed_bracket_names_where_it_began(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.yaml"
    text = (SHIPPED / "protocol.yaml").read_text()
    broken.write_text(text.replace("languages: [en, es]", "languages: [en, es", 1))
    assert main(["validate", str(broken)]) == 1
    assert "(while parsing a flow sequence that began at line 17, column 14)" in no_traceback(
        capsys
    )


@pytest.mark.parametrize("where", ["missing/agency.yaml", "folder", "link"])
def test_agency_init_into_a_place_it_cannot_write(
    where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "victim.yaml")
    target = tmp_path / where
    code = main(["agency", "init", str(target), "--force"])
    err = no_traceback(capsys)
    if where.startswith("missing"):
        assert code == 0  # its folder is made, owner-only
        assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    else:
        assert code == 1 and err.startswith(f"agency init: cannot write {target}")
    assert not (tmp_path / "victim.yaml").exists()


def test_settings_others_can_change_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    agency = tmp_path / "agency.yaml"
    assert main(["agency", "init", str(agency)]) == 0
    agency.chmod(0o666)
    assert main(["agency", "validate", str(agency)]) == 1
    assert "other users can change this file (mode 666)" in no_traceback(capsys)
    assert stat.S_IMODE(agency.stat().st_mode) == 0o666  # left as it is
