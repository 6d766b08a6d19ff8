"""Draw the console for the README: `python docs/screenshot.py` writes docs/console.svg.

Textual's own screenshot of a call under way, at 80x24 on a fixed clock, with an example
agency's settings, so the picture changes only when the console's look does (a test checks
that the picture in the repository is what this script draws now)."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
SVG = HERE / "console.svg"

AGENCY = """\
agency:
  name: Example County 911
point_of_contact:
  name: Det. A. Rivera, Special Victims Unit
  phone: "(312) 555-0100"
tip_line:
  name: Example County Crime Stoppers
  phone: 1-800-222-TIPS
child_protection:
  name: County child protective services
  phone: "(312) 555-0150"
"""

# What the dispatcher types, then the keys: a worker calling from a laundry's back room.
KEYS = [*"Bright Linen, building C", "enter", "2", "2", "2", "2", "2", "2", "1"]


def draw() -> str:
    """The console's picture, as SVG text."""
    from trafficking_triage.console import ConsoleOptions
    from trafficking_triage.tui.app import make_app

    async def run(agency: Path) -> str:
        options = ConsoleOptions(
            agency=agency,
            clock=lambda: datetime(2026, 3, 14, 9, 30, 42, tzinfo=UTC),
            blink=False,
            context={"incident": "26-0314-0117"},
        )
        app = make_app(options)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press(*KEYS)
            await pilot.pause()
            return app.export_screenshot(title="trafficking-triage")

    with tempfile.TemporaryDirectory() as folder:
        agency = Path(folder) / "agency.yaml"
        agency.write_text(AGENCY)
        agency.chmod(0o600)
        return asyncio.run(run(agency))


def main() -> int:
    SVG.write_text(draw(), encoding="utf-8")
    print(f"written: {SVG}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
