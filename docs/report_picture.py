"""Draw the QA report for the README: `python docs/report_picture.py` writes
docs/qa-report.png, the top of `records report`'s page for the month of calls the tests make
(tests/unit/test_qa_report.py), as headless Chromium shows it, local time as UTC."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PNG = HERE / "qa-report.png"
sys.path.insert(0, str(HERE.parent))


def main() -> int:
    os.environ["TZ"] = "UTC"
    time.tzset()
    from tests.unit.test_qa_report import month, stored
    from trafficking_triage.cli import main as run
    from trafficking_triage.protocol import load_protocol
    from trafficking_triage.records import SqliteStore
    from trafficking_triage.reports.printing import browser

    program = browser()
    if program is None:
        print("Chromium is not installed: no picture", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        data, page = Path(folder) / "data", Path(folder) / "report.html"
        os.environ["XDG_CONFIG_HOME"] = str(Path(folder) / "config")  # no agency's settings
        store = SqliteStore(data)
        stored(store, month(load_protocol()))
        store.close()
        when = ["--since", "2026-11-01", "--until", "2026-11-30", "--html", str(page)]
        run(["--data-dir", str(data), "records", "report", *when])
        flags = [
            "--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--hide-scrollbars",
            f"--user-data-dir={Path(folder) / 'profile'}", "--window-size=900,1250",
            f"--screenshot={PNG}",
        ]  # fmt: skip
        if os.geteuid() == 0:
            flags.append("--no-sandbox")
        subprocess.run([program, *flags, page.as_uri()], capture_output=True, check=True)  # noqa: S603
    print(f"written: {PNG}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
