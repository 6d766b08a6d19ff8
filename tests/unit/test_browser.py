"""`serve` in a real browser: headless Chromium (the distribution's package, driven through
its chromedriver) opens the training page, the scenario picker takes Enter, and an answer
typed in the browser lands in the training records."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from trafficking_triage.engine.events import CallStarted, QuestionAnswered
from trafficking_triage.records import RecordStore

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None,
    reason="Chromium and its chromedriver are not installed here (.ci/run installs Debian's "
    "chromium and chromium-driver)",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    port = free_port()
    command = [sys.executable, "-m", "trafficking_triage", "--data-dir", str(tmp_path)]
    server = subprocess.Popen(
        [*command, "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert server.stdout is not None
    assert "serving training on" in server.stdout.readline()
    try:
        yield f"http://127.0.0.1:{port}/", tmp_path / "training"
    finally:
        server.terminate()
        server.wait(10)


def wait_for(found: object, seconds: float = 30.0) -> object:
    """Poll `found()` until it gives something (the console starts in its own process)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = found()  # type: ignore[operator]
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError("nothing came in time")


def test_the_picker_renders_in_chromium_and_a_typed_answer_lands(
    served: tuple[str, Path],
) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    url, training = served
    options = Options()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1200,900"):
        options.add_argument(argument)
    assert CHROMIUM is not None and DRIVER is not None
    options.binary_location = CHROMIUM
    browser = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        browser.get(url)
        assert browser.title == "trafficking-triage training"
        screens = wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, ".xterm-screen"))
        screens[0].click()  # type: ignore[index]  # the terminal takes the keys, as a person's

        def press(*keys: str) -> None:
            ActionChains(browser).send_keys(*keys).perform()

        def calls() -> list[object]:
            if not (training / "calls.sqlite3").is_file():
                return []
            store = RecordStore(training, read_only=True)
            try:
                return list(store.rows(training=True))
            finally:
                store.close()

        # The console draws the picker a moment after the page: Enter until a call starts.
        deadline = time.monotonic() + 30
        while not calls() and time.monotonic() < deadline:
            press(Keys.ENTER)
            time.sleep(1.0)
        [row] = calls()  # the first scenario, picked
        press("Bright Linen, building C", Keys.ENTER)

        def answered() -> list[str]:
            store = RecordStore(training, read_only=True)
            try:
                events = store.events(row.id)  # type: ignore[attr-defined]
            finally:
                store.close()
            return [e.value or "" for e in events if isinstance(e, QuestionAnswered)]

        assert wait_for(answered) == ["Bright Linen, building C"]
        store = RecordStore(training, read_only=True)
        started = store.events(row.id)[0]  # type: ignore[attr-defined]
        store.close()
        assert isinstance(started, CallStarted) and started.training
        assert started.scenario == "anonymous_tipster"  # first in the list
    finally:
        browser.quit()
