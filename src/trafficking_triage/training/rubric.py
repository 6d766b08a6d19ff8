"""The weights of the training debrief, as data: an agency weighs its own in `rubric.yaml`
beside its scenarios; without one, these defaults."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..protocol.loader import validated
from ..protocol.problems import FileProblems
from ..protocol.yamlfile import parse_yaml, read_text, refuse_shared

RUBRIC_FILE = "rubric.yaml"

Points = int


class Rubric(BaseModel):
    """Points out of 100 for each part of a training call."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    route: Points = Field(default=40, ge=0, le=100)
    """The call reached the route the scenario expects."""
    indicators: Points = Field(default=20, ge=0, le=100)
    """The share of the expected indicators found."""
    safety_first: Points = Field(default=10, ge=0, le=100)
    """No safety question came after the screening had begun."""
    as_said: Points = Field(default=10, ge=0, le=100)
    """The share of choice answers recorded as the caller gave them."""
    steps: Points = Field(default=10, ge=0, le=100)
    """The share of the route's steps ticked."""
    time_to_route: Points = Field(default=5, ge=0, le=100)
    """The route settled within the scenario's time target (only when it is the right one)."""
    time_to_dispatch: Points = Field(default=5, ge=0, le=100)
    """The settled route acted on (a step of it ticked) within the time target."""

    @model_validator(mode="after")
    def _out_of_100(self) -> Rubric:
        total = sum(self.model_dump().values())
        if total != 100:
            raise ValueError(f"the points add up to {total}, not 100")
        return self


def load_rubric(folder: Path) -> Rubric:
    """`rubric.yaml` in the scenario folder, else the defaults; a FileProblems names every
    problem with its line."""
    path = folder / RUBRIC_FILE
    if not path.is_file():
        return Rubric()
    name = str(path)
    refuse_shared(path, name, "anyone could change how trainees are scored", "shared-file")
    text, _ = read_text(path, name)
    data, positions, problems = parse_yaml(text, name)
    if problems:
        raise FileProblems(problems)
    return validated(Rubric, data or {}, positions, name)
