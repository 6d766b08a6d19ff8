"""The printable guide cards: generated from the protocol and the agency settings, checked
against a golden file, every question there in both languages, and every text escaped."""

from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path

import pytest

from trafficking_triage.cli import main
from trafficking_triage.protocol import LoadedProtocol
from trafficking_triage.protocol.texts import local
from trafficking_triage.reports.cards import cards
from trafficking_triage.settings.loader import load_settings

DATA = Path(__file__).parent.parent / "data"
GOLDEN = DATA / "golden" / "cards.html"


class Text(HTMLParser):
    """The page's text, and whether every tag opened was closed (tables, sections)."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self.open: list[str] = []

    PAIRED = frozenset({"section", "table", "tr", "td", "th", "p", "b", "span", "h1", "h2"})

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in self.PAIRED:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.PAIRED:
            assert self.open and self.open[-1] == tag, (tag, self.open[-3:])
            self.open.pop()

    def handle_data(self, data: str) -> None:
        self.words.append(data)


def test_the_cards_match_the_golden_file(shipped: LoadedProtocol) -> None:
    settings = load_settings(DATA / "agency" / "good.yaml").settings
    page = cards(shipped.protocol, settings)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(page, encoding="utf-8")
    assert page == GOLDEN.read_text(encoding="utf-8")


def test_the_help_an_injury_or_a_minor_brings_has_its_numbers(shipped: LoadedProtocol) -> None:
    settings = load_settings(DATA / "agency" / "good.yaml").settings  # first_aid: true
    page = cards(shipped.protocol, settings)
    assert "(312) 555-0150" in page  # child protection, set
    assert "radio Fire dispatch" in page  # medical help, set
    assert "press firmly on the wound" in page  # the agency allows first-aid words
    bare = cards(shipped.protocol, None)
    assert "instead: Request EMS through your CAD" in bare
    assert "press firmly on the wound" not in bare  # not allowed unless the agency says so


def test_every_question_is_on_the_cards_in_both_languages(shipped: LoadedProtocol) -> None:
    parsed = Text()
    parsed.feed(cards(shipped.protocol, None))
    assert parsed.open == []  # every table, row and section closed
    text = " ".join(" ".join(parsed.words).split())
    for question in shipped.protocol.questions.values():
        forms = [question.for_worker, question.for_other] if question.about_worker else []
        for words in [*(f for f in forms if f), question.text][:2]:
            for language in ("en", "es"):
                assert " ".join(local(words, language).split()) in text
    for outcome in shipped.protocol.outcomes.values():
        assert outcome.title in text
    assert "NOT CONFIGURED instead: The Hotline takes tips too" in text  # no settings given
    assert text.count("go to ") > 20


def test_cards_escape_what_the_files_hold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    agency = tmp_path / "agency.yaml"
    agency.write_text('agency:\n  name: "<script>alert(1)</script> & Co"\n')
    assert main(["cards", "--agency", str(agency)]) == 0
    page = capsys.readouterr().out
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page
