"""The floor for this stack: the bare Textual app that also imports pydantic and defines one
model, as any console built on Textual and pydantic must. The console's launch is compared with
it (and with the bare app beside it, `minimal_app.py`)."""

from __future__ import annotations

from minimal_app import MinimalApp
from pydantic import BaseModel, ConfigDict


class Line(BaseModel):
    """One model, validated once: what the console's protocol models cost at the least."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    text: str


if __name__ == "__main__":
    Line.model_validate({"text": "minimal ready"})
    MinimalApp().run()
