"""The README's picture of the console is what `docs/screenshot.py` draws now."""

from __future__ import annotations

import importlib.util
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_the_readme_picture_is_the_console_as_it_looks_now() -> None:
    spec = importlib.util.spec_from_file_location("screenshot", DOCS / "screenshot.py")
    assert spec is not None and spec.loader is not None
    screenshot = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(screenshot)
    drawn = screenshot.draw()
    assert "WHO&#160;IS&#160;CALLING" in drawn and "26-0314-0117" in drawn
    assert drawn == (DOCS / "console.svg").read_text(encoding="utf-8"), (
        "the console's look changed: run `python docs/screenshot.py` and commit docs/console.svg"
    )
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    assert "](docs/console.svg)" in readme
