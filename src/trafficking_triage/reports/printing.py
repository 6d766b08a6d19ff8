"""A page printed to PDF by headless Chromium, where it is installed: the guide cards' PDF
is what a browser's "Save as PDF" gives, without anyone needing to know its flags. No
Textual; nothing is fetched (the page is self-contained and Chromium's own network
chatter is turned off)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

TIMEOUT = 120
"""Seconds a print may take before it is given up."""


def browser() -> str | None:
    """The first Chromium on the PATH, or None."""
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def print_pdf(page: str) -> bytes:
    """The HTML page printed to PDF (its own @page size and margins, no header or footer);
    a RuntimeError says why it could not be."""
    program = browser()
    if program is None:
        raise RuntimeError(
            "the PDF is printed by Chromium, which is not installed (Debian: apt install "
            "chromium); without it, write the HTML and print it from any browser"
        )
    with tempfile.TemporaryDirectory(prefix="trafficking-triage-print-") as folder:
        html = Path(folder) / "page.html"
        pdf = Path(folder) / "page.pdf"
        html.write_text(page, encoding="utf-8")
        flags = [
            "--headless",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            f"--user-data-dir={Path(folder) / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            flags.append("--no-sandbox")  # Chromium refuses to start as root with its sandbox
        # A session of its own: on a timeout, Chromium and every process it started end.
        running = subprocess.Popen(  # noqa: S603 (Chromium found on PATH, fed our own page)
            [program, *flags, html.as_uri()],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            _, errors = running.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired as error:
            os.killpg(running.pid, signal.SIGKILL)
            running.wait()
            raise RuntimeError(f"Chromium did not finish printing in {TIMEOUT} s") from error
        if not pdf.exists() or pdf.stat().st_size == 0:
            said = errors.decode(errors="replace").strip().splitlines()
            raise RuntimeError(
                "Chromium could not print the page" + (f": {said[-1]}" if said else "")
            )
        return pdf.read_bytes()
