"""The floor for this stack: the bare Textual app that also reads a line of YAML with PyYAML and
validates it with a pydantic model, as any console built on Textual, pydantic and PyYAML must
(issue 28 names this floor). The console's launch is compared with it (and with the bare app
beside it, `minimal_app.py`)."""

from __future__ import annotations

import yaml
from minimal_app import MinimalApp
from pydantic import BaseModel, ConfigDict


class Line(BaseModel):
    """One model, validated once: what the console's protocol models cost at the least."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    text: str


if __name__ == "__main__":
    Line.model_validate(yaml.safe_load("text: minimal ready"))
    MinimalApp().run()
