"""What a command pays before its own work once it reads the protocol into its models, as the
design has it: a floor for `decide`, `validate` and `records show`, measured as a process by
run_all.py beside `python -c 'import yaml, pydantic'`.

    python benchmarks/model_floor.py            one pydantic model, defined and validated
    python benchmarks/model_floor.py FILE.json  the protocol's models, the protocol in FILE
                                                (as the loader reads it) validated; no YAML
                                                read, no check of the graph, no walk
"""

from __future__ import annotations

import json
import sys

import yaml  # noqa: F401  (every command that reads a protocol has it)
from pydantic import BaseModel


class Line(BaseModel):
    text: str


if __name__ == "__main__":
    if len(sys.argv) == 1:
        Line.model_validate({"text": "one model"})
    else:
        from trafficking_triage.protocol.models import Protocol

        with open(sys.argv[1], encoding="utf-8") as handle:
            Protocol.model_validate(json.load(handle))
