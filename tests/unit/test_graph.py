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
        assert f"  {node}" in out
    assert out.count(":::outcome") == len(protocol.outcomes)
