"""The core and the screen-free commands never import Textual.

Run in a fresh interpreter each time, since this test process may have imported Textual for
other tests already."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = [
    "trafficking_triage.protocol",
    "trafficking_triage.engine",
    "trafficking_triage.engine.summary",
    "trafficking_triage.cli",
    "trafficking_triage.records",
    "trafficking_triage.reports.export",
    "trafficking_triage.records_cli",
    "trafficking_triage.settings",
    "trafficking_triage.reports.graph",
    "trafficking_triage.training.scenario",
    "trafficking_triage.training.debrief",
    "trafficking_triage.console",
    "trafficking_triage.files",
]


def test_the_core_does_not_import_textual() -> None:
    """Every core module imported in one fresh interpreter: Textual is not among them."""
    code = f"import sys, {', '.join(CORE)}; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


COMMANDS = [
    ["validate"],
    ["decide", "{location: x}"],
    ["--version"],
    ["records", "list"],
    ["graph"],
]


def test_screen_free_commands_do_not_import_textual(tmp_path: Path) -> None:
    """The commands run one after another in one fresh interpreter; none imports Textual."""
    runs = [["--data-dir", str(tmp_path), *a] if a[0] == "records" else a for a in COMMANDS]
    code = (
        "import contextlib, io, sys\n"
        "from trafficking_triage.cli import main\n"
        f"for args in {runs!r}:\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        try:\n            main(args)\n        except SystemExit:\n            pass\n"
        "print('textual' in sys.modules, file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stderr.strip().splitlines()[-1] == "False"


def test_no_screen_module_imports_a_command_line_module() -> None:
    """The console's screens take what they need from the session, never from the commands."""
    tui = Path(__file__).resolve().parents[2] / "src" / "trafficking_triage" / "tui"
    offenders = []
    for module in sorted(tui.rglob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module is not None:
                names = {node.module.split(".")[-1], *(alias.name for alias in node.names)}
                if names & {"cli", "records_cli"}:
                    offenders.append(f"{module.name}:{node.lineno}")
    assert offenders == []


def test_the_version_and_the_list_never_define_the_models(tmp_path: Path) -> None:
    """`--version` and `records list` (what a script or a supervisor runs most) read no
    protocol and no event: the pydantic models they would define cost three times the rest
    of their start (measured in BENCHMARKS.md)."""
    from trafficking_triage.records import SqliteStore

    SqliteStore(tmp_path).close()
    for args in (["--version"], ["--data-dir", str(tmp_path), "records", "list"]):
        code = (
            "import contextlib, io, sys\n"
            "from trafficking_triage.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n"
            f"        main({args!r})\n"
            "    except SystemExit:\n"
            "        pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('trafficking_triage.')"
            " and (m.endswith('.models') or m.endswith('.events'))), file=sys.stderr)"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert out.stderr.strip().splitlines()[-1] == "[]", (args, out.stderr)
