"""The decision tree on slides and the guide cards on paper, measured as they would be seen:
each slide rendered by Graphviz and fitted to 1920x1080, its smallest text in pixels; the
cards printed to PDF by Chromium and each page rasterized, its blank rows counted."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest

from trafficking_triage.cli import main
from trafficking_triage.protocol import LoadedProtocol
from trafficking_triage.protocol.texts import local

SVG = "{http://www.w3.org/2000/svg}"

needs_graphviz = pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz's dot is not installed (.ci/run installs it)"
)


def fitted_text_px(svg: str) -> tuple[float, str]:
    """The smallest text of a drawing fitted to a 1920x1080 slide, in pixels (its font size
    times the fit scale), and all its words."""
    root = ElementTree.fromstring(svg)
    width, height = (float(root.attrib[k].removesuffix("pt")) for k in ("width", "height"))
    scale = min(1920 / width, 1080 / height)
    texts = list(root.iter(f"{SVG}text"))
    smallest = min(float(t.attrib["font-size"]) for t in texts)
    return smallest * scale, " ".join(t.text or "" for t in texts)


@needs_graphviz
@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "es"])
def test_every_slide_is_readable_projected_and_in_words(
    language: str, shipped: LoadedProtocol, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Text at least 24 px on a 1920x1080 slide; every question on a slide in the language,
    numbered; every routing rule's way drawn; no protocol id anywhere."""
    protocol = shipped.protocol
    out = tmp_path / "slides"
    assert main(["graph", "--slides", str(out), "--lang", language]) == 0
    listed = capsys.readouterr().out.splitlines()
    files = sorted(out.glob("*.svg"))
    assert [line.split()[0] for line in listed] == [f.name for f in files]
    assert len(files) >= 5  # safety, who is calling, screening, facts, routing at least
    seen = ""
    for file in files:
        px, words = fitted_text_px(file.read_text())
        assert px >= 24, f"{file.name}: the smallest text is {px:.1f} px on a 1920x1080 slide"
        seen += " " + words
    seen = " ".join(seen.split())
    for number, question in enumerate((q for q in protocol.questions.values()), 1):
        first = local(question.text, language).split()[:2]
        assert " ".join(first) in seen, (number, first)
    ids = [*protocol.questions, *protocol.decisions, *protocol.indicators]
    assert not [i for i in ids if "_" in i and re.search(rf"\b{i}\b", seen)]
    route = "A dónde va la llamada" if language == "es" else "Routing"
    assert route in seen
    for outcome in protocol.outcomes.values():
        assert outcome.title.split()[0] in seen
    if language == "es":
        assert "alguna señal de fuerza, engaño o coacción" in seen


@needs_graphviz
@pytest.mark.slow
def test_the_whole_drawing_is_too_small_to_project_which_is_why_slides_exist(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The whole tree on one slide: its text is a few pixels (the slides' reason to be)."""
    assert main(["graph", "--format", "svg"]) == 0
    px, words = fitted_text_px(capsys.readouterr().out)
    assert px < 24
    assert "any sign of force, fraud or coercion" in " ".join(words.split())


@needs_graphviz
def test_slides_and_the_drawing_as_png_and_pdf(
    tmp_path: Path, capfdbinary: pytest.CaptureFixture[bytes]
) -> None:
    data = Path(__file__).parent.parent / "data" / "minimal.yaml"
    out = tmp_path / "png"
    assert main(["graph", "--slides", str(out), "--format", "png", "--protocol", str(data)]) == 0
    pictures = sorted(out.iterdir())
    assert pictures and all(p.read_bytes().startswith(b"\x89PNG") for p in pictures)
    assert all(p.stat().st_mode & 0o777 == 0o644 for p in pictures)
    # Again into the same folder: nothing written over, and said.
    before = [p.read_bytes() for p in pictures]
    assert main(["graph", "--slides", str(out), "--format", "png", "--protocol", str(data)]) == 1
    assert "is there already" in capfdbinary.readouterr().err.decode()
    assert [p.read_bytes() for p in pictures] == before
    pdf = tmp_path / "pdf"
    assert main(["graph", "--slides", str(pdf), "--format", "pdf", "--protocol", str(data)]) == 0
    assert all(p.read_bytes().startswith(b"%PDF") for p in pdf.iterdir())
    capfdbinary.readouterr()
    assert main(["graph", "--format", "pdf", "--protocol", str(data)]) == 0
    assert capfdbinary.readouterr().out.startswith(b"%PDF")


def test_slides_need_a_drawn_form(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", "--slides", str(tmp_path / "s"), "--format", "mermaid"]) == 2
    assert "laid out by Graphviz" in capsys.readouterr().err
    assert not (tmp_path / "s").exists()


def test_ids_for_editors_words_for_everyone_else(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", "--format", "text"]) == 0
    words = capsys.readouterr().out
    assert main(["graph", "--format", "text", "--ids"]) == 0
    ids = capsys.readouterr().out
    assert "caller_type = " in ids and "caller_type" not in words
    assert "Q9: “The worker told me (family, friend)” and any sign of force" in words
    assert main(["graph", "--format", "text", "--lang", "es"]) == 0
    assert "P9: “La persona me contó (familia, amistad)” y alguna señal de" in (
        capsys.readouterr().out
    )


# -- the guide cards on paper ----------------------------------------------------------------
def blank_share(pgm: bytes) -> float:
    """The share of a grey page's pixel rows that are all white (a binary PGM)."""
    magic, size, _, pixels = pgm.split(b"\n", 3)
    assert magic == b"P5"
    width, height = map(int, size.split())
    rows = (pixels[r * width : (r + 1) * width] for r in range(height))
    return sum(1 for row in rows if min(row) >= 250) / height


@pytest.mark.slow
def test_the_cards_print_to_six_pages_at_most_none_a_third_blank(tmp_path: Path) -> None:
    """`cards --pdf` as a trainer runs it; each page rasterized by pdftoppm."""
    from trafficking_triage.reports.printing import browser

    if browser() is None or shutil.which("pdftoppm") is None:
        pytest.skip("Chromium or poppler's pdftoppm is not installed (.ci/run installs both)")
    data = Path(__file__).parent.parent / "data"
    pdf = tmp_path / "cards.pdf"
    assert main(["cards", "--agency", str(data / "agency" / "good.yaml"), "--pdf", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run(["pdftoppm", "-gray", "-r", "20", str(pdf), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.pgm"))
    assert 1 <= len(pages) <= 6
    for page in pages:
        share = blank_share(page.read_bytes())
        assert share <= 1 / 3, f"{page.name} is {share:.0%} blank"
    # Never over a file that is there.
    assert main(["cards", "--pdf", str(pdf)]) == 1


def test_cards_pdf_without_chromium_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert main(["cards", "--pdf", str(tmp_path / "cards.pdf")]) == 1
    said = capsys.readouterr().err
    assert "Chromium, which is not installed" in said and "print it from any browser" in said
    assert not (tmp_path / "cards.pdf").exists()
