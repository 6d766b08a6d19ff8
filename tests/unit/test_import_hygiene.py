"""The core and the screen-free commands never import Textual.

Run in a fresh interpreter each time, since this test process may have imported Textual for
other tests already."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE = [
    "trafficking_triage.protocol",
    "trafficking_triage.engine",
    "trafficking_triage.engine.summary",
    "trafficking_triage.cli",
    "trafficking_triage.records",
    "trafficking_triage.records.export",
    "trafficking_triage.records_cli",
    "trafficking_triage.settings",
    "trafficking_triage.graph",
    "trafficking_triage.training.scenario",
]


@pytest.mark.parametrize("module", CORE)
def test_module_does_not_import_textual(module: str) -> None:
    code = f"import sys, {module}; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    "args",
    [["validate"], ["decide", "{location: x}"], ["--version"], ["records", "list"], ["graph"]],
)
def test_screen_free_commands_do_not_import_textual(args: list[str], tmp_path: object) -> None:
    args = ["--data-dir", str(tmp_path), *args] if args[0] == "records" else args
    code = (
        "import sys\n"
        "from trafficking_triage.cli import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        "print('textual' in sys.modules, file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stderr.strip().splitlines()[-1] == "False"
