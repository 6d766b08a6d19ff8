"""The saved first question: used only for the very files it was made from, never trusted
when damaged, private, and found by the console only when it may open on it."""

from __future__ import annotations

import argparse
import hashlib
import json
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from trafficking_triage import first_view
from trafficking_triage.cli import _opening, build_parser
from trafficking_triage.engine import Call
from trafficking_triage.first_view import (
    FILE_NAME,
    FirstView,
    read_first_view,
    save_first_view,
    view_key,
)
from trafficking_triage.protocol import LoadedProtocol
from trafficking_triage.records import RecordStore
from trafficking_triage.settings.resolve import missing_settings

ROOT = Path(__file__).resolve().parents[2]


def first_of(loaded: LoadedProtocol) -> FirstView:
    call = Call.start(loaded.protocol, loaded.sha256)
    return FirstView.of(call, missing_settings(loaded.protocol, None))


def test_a_saved_view_reads_back_the_same(tmp_path: Path, shipped: LoadedProtocol) -> None:
    view = first_of(shipped)
    save_first_view(tmp_path, "k", view)
    assert read_first_view(tmp_path, "k") == view
    assert view.prompt.question == shipped.protocol.protocol.start
    assert [item.status for item in view.checklist][:2] == ["in_progress", "waiting"]


def test_the_saved_view_is_private(tmp_path: Path, shipped: LoadedProtocol) -> None:
    save_first_view(tmp_path, "k", first_of(shipped))
    assert stat.S_IMODE((tmp_path / FILE_NAME).stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [FILE_NAME]  # no partial file left behind


def test_another_key_finds_nothing(tmp_path: Path, shipped: LoadedProtocol) -> None:
    save_first_view(tmp_path, "k", first_of(shipped))
    assert read_first_view(tmp_path, "other") is None


def test_the_key_names_protocol_settings_and_program(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = {view_key("p", None), view_key("p2", None), view_key("p", "s")}
    monkeypatch.setattr(first_view, "__version__", "9.9.9")
    keys.add(view_key("p", None))
    assert len(keys) == 4


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # cut short
        lambda text: "\x00\xff not json",
        lambda text: json.dumps({"key": "k"}),
        lambda text: json.dumps({"key": "k", "view": []}),
        lambda text: text.replace('"kind": "text"', '"kind": "essay"'),
        lambda text: text.replace('"languages": ["en", "es"]', '"languages": []'),
        lambda text: text.replace('"section": "safety"', '"section": 7'),
        lambda text: text.replace('"choices": []', '"choices": [{"id": 1}]'),
        lambda text: json.dumps(["k"]),
    ],
)
def test_a_damaged_view_is_not_used(
    tmp_path: Path, shipped: LoadedProtocol, damage: Callable[[str], str]
) -> None:
    save_first_view(tmp_path, "k", first_of(shipped))
    path = tmp_path / FILE_NAME
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    assert read_first_view(tmp_path, "k") is None


def test_a_view_that_cannot_be_saved_costs_nothing(tmp_path: Path, shipped: LoadedProtocol) -> None:
    missing = tmp_path / "gone"
    save_first_view(missing, "k", first_of(shipped))  # no error
    assert not missing.exists()


# -- when the console opens on it ---------------------------------------------------------------
AGENCY = Path(__file__).resolve().parents[1] / "data" / "agency" / "good.yaml"


@pytest.fixture(autouse=True)
def no_agency_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No settings file unless a test names one (whatever this machine's user has)."""
    monkeypatch.setenv("TRAFFICKING_TRIAGE_AGENCY", str(tmp_path / "absent-agency.yaml"))


def seeded(tmp_path: Path, shipped: LoadedProtocol, agency: Path | None = None) -> RecordStore:
    """A data directory as an earlier console leaves it: the first question saved under the
    key of the shipped protocol and these settings."""
    settings_sha = hashlib.sha256(agency.read_bytes()).hexdigest() if agency else None
    store = RecordStore(tmp_path / "data")
    save_first_view(store.directory, view_key(shipped.sha256, settings_sha), first_of(shipped))
    return store


def console_args(store: RecordStore, *extra: str) -> argparse.Namespace:
    return build_parser().parse_args(["--data-dir", str(store.directory), *extra])


def test_the_console_opens_on_the_saved_question(tmp_path: Path, shipped: LoadedProtocol) -> None:
    store = seeded(tmp_path, shipped)
    opening = _opening(console_args(store), store)
    assert opening is not None
    assert opening.view == first_of(shipped)
    loaded, settings = opening.load()
    assert loaded.sha256 == shipped.sha256 and settings is None


def test_nothing_saved_means_a_full_check(tmp_path: Path) -> None:
    store = RecordStore(tmp_path / "data")
    assert _opening(console_args(store), store) is None


def test_an_edited_protocol_is_checked_in_full(tmp_path: Path, shipped: LoadedProtocol) -> None:
    store = seeded(tmp_path, shipped)
    edited = tmp_path / "protocol.yaml"
    edited.write_bytes(shipped.path.read_bytes() + b"\n# edited\n")
    assert _opening(console_args(store, "--protocol", str(edited)), store) is None


def test_settings_are_part_of_the_key(tmp_path: Path, shipped: LoadedProtocol) -> None:
    store = seeded(tmp_path, shipped)  # saved without settings: not for these settings
    assert _opening(console_args(store, "--agency", str(AGENCY)), store) is None
    store = seeded(tmp_path, shipped, agency=AGENCY)
    opening = _opening(console_args(store, "--agency", str(AGENCY)), store)
    assert opening is not None
    _loaded, settings = opening.load()
    assert settings is not None and settings.path == AGENCY


def test_an_unfinished_call_is_offered_first(tmp_path: Path, shipped: LoadedProtocol) -> None:
    from tests.tui.test_records_in_console import crashed_call

    crashed_call(tmp_path / "data")
    store = seeded(tmp_path, shipped)
    assert _opening(console_args(store), store) is None


@pytest.mark.parametrize(("lang", "opens"), [("es", True), ("es+en", True), ("fr", False)])
def test_the_display_language_must_exist(
    tmp_path: Path, shipped: LoadedProtocol, lang: str, opens: bool
) -> None:
    store = seeded(tmp_path, shipped)
    assert (_opening(console_args(store, "--lang", lang), store) is not None) is opens


def test_the_opening_path_loads_no_pydantic() -> None:
    """The point of the saved view: Textual and the first screen, without the checks' libraries."""
    code = (
        "import sys\n"
        "import trafficking_triage.cli, trafficking_triage.first_view, trafficking_triage.records\n"
        "import trafficking_triage.tui.app\n"
        "from trafficking_triage.protocol import ProtocolError\n"
        "print(sorted(m for m in ('pydantic', 'yaml') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "[]"
