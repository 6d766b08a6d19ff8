"""The saved first question: used only for the very files it was made from, never trusted
when damaged, private, and found by the console only when it may open on it."""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from trafficking_triage import first_view
from trafficking_triage.cli import _opening, build_parser, main
from trafficking_triage.engine import Call
from trafficking_triage.first_view import (
    FILE_NAME,
    FirstView,
    Opening,
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


def test_the_key_names_protocol_settings_and_program() -> None:
    keys = {view_key("p", None), view_key("p2", None), view_key("p", "s"), view_key("p", None, "x")}
    assert len(keys) == 4
    assert view_key("p", None) == view_key("p", None, first_view.program_fingerprint())


def test_the_program_fingerprint_follows_the_code(tmp_path: Path) -> None:
    """A copy of the package with one module changed, its version number left alone, gets
    another fingerprint: code changes without a new version in every checkout."""
    import shutil

    package = Path(first_view.__file__).parent
    copy = tmp_path / "trafficking_triage"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from trafficking_triage.first_view import program_fingerprint;"
        "print(program_fingerprint())"
    )

    def fingerprint() -> str:
        run = subprocess.run(
            [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True
        )
        return run.stdout.strip()

    before = fingerprint()
    assert before == fingerprint()
    engine = copy / "engine" / "call.py"
    engine.write_text(engine.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert fingerprint() != before
    # An editor's lock file (a dangling link named like a module) is not a module.
    (copy / "tui" / ".#app.py").symlink_to(tmp_path / "nowhere")
    assert fingerprint() not in {"None", ""}
    # A module that cannot be read: no fingerprint, so no saved question is trusted.
    (copy / "tui" / "vanished.py").symlink_to(tmp_path / "nowhere")
    assert fingerprint() == "None"


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
        lambda text: text.replace('"status": "waiting"', '"status": "bogus"'),
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


def opening_for(args: argparse.Namespace) -> Opening | None:
    return _opening(args, args.data_dir)


def test_the_console_opens_on_the_saved_question(tmp_path: Path, shipped: LoadedProtocol) -> None:
    store = seeded(tmp_path, shipped)
    opening = opening_for(console_args(store))
    assert opening is not None
    assert opening.view == first_of(shipped)
    loaded, settings = opening.load()
    assert loaded.sha256 == shipped.sha256 and settings is None


def test_nothing_saved_means_a_full_check(tmp_path: Path) -> None:
    store = RecordStore(tmp_path / "data")
    assert opening_for(console_args(store)) is None


def test_an_edited_protocol_is_checked_in_full(tmp_path: Path, shipped: LoadedProtocol) -> None:
    store = seeded(tmp_path, shipped)
    edited = tmp_path / "protocol.yaml"
    edited.write_bytes(shipped.path.read_bytes() + b"\n# edited\n")
    assert opening_for(console_args(store, "--protocol", str(edited))) is None


def test_settings_are_part_of_the_key(tmp_path: Path, shipped: LoadedProtocol) -> None:
    store = seeded(tmp_path, shipped)  # saved without settings: not for these settings
    assert opening_for(console_args(store, "--agency", str(AGENCY))) is None
    store = seeded(tmp_path, shipped, agency=AGENCY)
    opening = opening_for(console_args(store, "--agency", str(AGENCY)))
    assert opening is not None
    _loaded, settings = opening.load()
    assert settings is not None and settings.path == AGENCY


class Built:
    """Stands in for the console: what `run_console` built it with, and a run that ends."""

    def __init__(self) -> None:
        self.options: dict[str, object] = {}

    def __call__(self, **options: object) -> Built:
        self.options = options
        return self

    def run(self) -> int:
        return 0


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> Built:
    console = Built()
    monkeypatch.setattr("trafficking_triage.tui.app.make_app", console)
    return console


def test_the_command_opens_on_the_saved_question(
    tmp_path: Path, shipped: LoadedProtocol, built: Built
) -> None:
    store = seeded(tmp_path, shipped)
    assert main(["--data-dir", str(store.directory), "--location", "Main St"]) == 0
    assert isinstance(built.options["opening"], Opening)
    assert "loaded" not in built.options
    assert built.options["context"] == {"location": "Main St"}
    assert built.options["collector_paused"] is True
    assert gc.isenabled()


def test_an_unfinished_call_is_offered_first(
    tmp_path: Path, shipped: LoadedProtocol, built: Built
) -> None:
    from tests.tui.test_records_in_console import crashed_call

    crashed_call(tmp_path / "data")
    store = seeded(tmp_path, shipped)
    assert main(["--data-dir", str(store.directory)]) == 0
    assert "opening" not in built.options  # the full check, then the resume screen
    assert built.options["loaded"] is not None


def test_a_broken_protocol_is_reported_before_the_data_directory_is_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], built: Built
) -> None:
    broken = tmp_path / "protocol.yaml"
    broken.write_text("protocol: [\n", encoding="utf-8")
    data = tmp_path / "not-yet"
    assert main(["--data-dir", str(data), "--protocol", str(broken)]) == 1
    assert "protocol.yaml:" in capsys.readouterr().err
    assert not data.exists()
    assert built.options == {}


@pytest.mark.parametrize(("lang", "opens"), [("es", True), ("es+en", True), ("fr", False)])
def test_the_display_language_must_exist(
    tmp_path: Path, shipped: LoadedProtocol, lang: str, opens: bool
) -> None:
    store = seeded(tmp_path, shipped)
    assert (opening_for(console_args(store, "--lang", lang)) is not None) is opens


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
