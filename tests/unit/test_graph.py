"""The decision tree for slides, for a small protocol, against golden files."""

from __future__ import annotations

from pathlib import Path

import pytest

from trafficking_triage.cli import main

DATA = Path(__file__).parent.parent / "data"


@pytest.mark.parametrize("form", ["mermaid", "dot", "text"])
def test_graph_matches_golden(form: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", "--format", form, "--protocol", str(DATA / "minimal.yaml")]) == 0
    assert capsys.readouterr().out == (DATA / "golden" / f"graph_minimal.{form}").read_text()


def test_graph_of_the_shipped_protocol_draws_every_node(capsys: pytest.CaptureFixture[str]) -> None:
    from trafficking_triage.protocol import load_protocol

    assert main(["graph"]) == 0
    out = capsys.readouterr().out
    protocol = load_protocol().protocol
    for node in [*protocol.questions, *protocol.decisions, *protocol.outcomes]:
        assert f"  n_{node}" in out
    assert out.count(":::outcome") == len(protocol.outcomes)


def test_the_dot_drawing_renders_landscape_with_no_label_cut(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Through Graphviz itself: the shipped protocol's drawing parses, is wider than tall (a
    16:9 slide), and holds every outcome's whole title and every condition unshortened."""
    import re
    import shutil
    from xml.etree import ElementTree

    from trafficking_triage.protocol import load_protocol

    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed on this machine (.ci/run installs it)")
    assert main(["graph", "--format", "svg"]) == 0
    drawing = capsys.readouterr().out
    root = ElementTree.fromstring(drawing)
    width, height = (float(root.attrib[k].removesuffix("pt")) for k in ("width", "height"))
    assert width > height
    words = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "…" not in words
    protocol = load_protocol().protocol
    for outcome in protocol.outcomes.values():
        for word in outcome.title.split():
            assert word in words
    assert re.search(r"any sign of force, fraud or\s+coercion", words)


def test_the_mermaid_drawing_is_well_formed(capsys: pytest.CaptureFixture[str]) -> None:
    """Every line is one Mermaid statement of the kinds written: quoted labels with no bare
    quote or pipe inside, subgraphs closed, arrows between declared nodes."""
    import re

    assert main(["graph", "--format", "mermaid"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "flowchart LR"
    label = r'"[^"|]*"'
    node = re.compile(rf"^    (n_\w+)(\[{label}\]|\{{{label}\}}|\(\[{label}\]\):::outcome)$")
    arrow = re.compile(rf"^  (n_\w+) -->(\|{label}\|)? (n_\w+)$")
    declared, opened = set(), 0
    for line in lines[1:]:
        if line.startswith("  subgraph "):
            assert re.match(rf"^  subgraph s_\w+\[{label}\]$", line), line
            opened += 1
        elif line == "  end":
            opened -= 1
        elif (found := node.match(line)) is not None:
            declared.add(found.group(1))
        elif (found := arrow.match(line)) is not None:
            assert {found.group(1), found.group(3)} <= declared, line
        else:
            assert line == "  classDef outcome stroke-width:4px", line
    assert opened == 0


def test_node_ids_that_are_words_the_formats_keep_still_draw(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A question called `node` and a decision called `end`: dot and Mermaid keep those words."""
    import shutil
    import subprocess

    text = (DATA / "minimal.yaml").read_text()
    for old, new in (("free_to_leave", "node"), ("route", "end")):
        text = text.replace(old, new)
    path = tmp_path / "words.yaml"
    path.write_text(text)
    assert main(["graph", "--format", "dot", "--protocol", str(path)]) == 0
    drawn = capsys.readouterr().out
    assert '"node" -> "location"' in drawn
    if shutil.which("dot") is not None:
        done = subprocess.run(["dot", "-Tsvg"], input=drawn, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    assert main(["graph", "--format", "mermaid", "--protocol", str(path)]) == 0
    assert "  n_location --> n_end" in capsys.readouterr().out
