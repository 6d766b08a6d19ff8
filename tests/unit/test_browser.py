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
from trafficking_triage.records import SqliteStore

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
            store = SqliteStore(training, read_only=True)
            try:
                return list(store.rows(training=True))
            finally:
                store.close()

        # The console draws the picker a moment after the page: Enter (to pick the first
        # scenario) and the first answer, until a call is kept (from its first answer). Before
        # the picker is drawn the keys do nothing; an Enter on the answer field with nothing
        # typed is refused and recorded nowhere.
        deadline = time.monotonic() + 30
        while not calls() and time.monotonic() < deadline:
            press(Keys.ENTER)
            time.sleep(1.0)
            press("Bright Linen, building C", Keys.ENTER)
            time.sleep(1.0)
        [row] = calls()

        def answered() -> list[str]:
            store = SqliteStore(training, read_only=True)
            try:
                events = store.events(row.id)  # type: ignore[attr-defined]
            finally:
                store.close()
            return [e.value or "" for e in events if isinstance(e, QuestionAnswered)]

        assert wait_for(answered) == ["Bright Linen, building C"]
        store = SqliteStore(training, read_only=True)
        started = store.events(row.id)[0]  # type: ignore[attr-defined]
        store.close()
        assert isinstance(started, CallStarted) and started.training
        assert started.scenario == "anonymous_tipster"  # first in the list
    finally:
        browser.quit()


MERMAID = (
    Path(__file__).resolve().parents[2] / ".ci/mermaid/node_modules/mermaid/dist/mermaid.min.js"
)


@pytest.mark.skipif(
    not MERMAID.is_file(), reason="Mermaid's JavaScript is not installed (.ci/run installs it)"
)
def test_mermaid_itself_parses_the_drawings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Mermaid's own parser, in Chromium, takes the shipped protocol's drawing and one whose
    ids are words Mermaid keeps; and it refuses what the drawing once held (a bare `|` in an
    arrow's label), so the check can fail."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    from trafficking_triage.cli import main

    drawings = []
    assert main(["graph", "--format", "mermaid"]) == 0
    drawings.append(capsys.readouterr().out)
    minimal = (Path(__file__).parent.parent / "data" / "minimal.yaml").read_text()
    words = tmp_path / "words.yaml"
    words.write_text(minimal.replace("free_to_leave", "end").replace("route", "subgraph"))
    assert main(["graph", "--format", "mermaid", "--protocol", str(words)]) == 0
    drawings.append(capsys.readouterr().out)
    page = tmp_path / "page.html"
    page.write_text(
        f'<!doctype html><meta charset="utf-8"><script src="{MERMAID.as_uri()}"></script>'
    )
    options = Options()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu"):
        options.add_argument(argument)
    assert CHROMIUM is not None and DRIVER is not None
    options.binary_location = CHROMIUM
    browser = webdriver.Chrome(service=Service(DRIVER), options=options)
    parse = """
        const done = arguments[arguments.length - 1];
        mermaid.parse(arguments[0]).then(() => done("ok"), (e) => done(String(e.message)));
    """
    try:
        browser.get(page.as_uri())
        for drawing in drawings:
            assert browser.execute_async_script(parse, drawing) == "ok"
        refused = browser.execute_async_script(parse, "flowchart LR\n  a -->|x|y| b\n")
        assert refused.startswith("Parse error")
    finally:
        browser.quit()
