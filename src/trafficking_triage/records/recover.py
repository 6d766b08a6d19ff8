"""Saving a call somewhere else when its records file cannot be written (a full disk)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..engine import Call


def write_events(path: Path, call: Call) -> None:
    """Every event of the call as JSON, in a file only its owner can read.

    `records` can read the events back later; the file holds everything said on the call."""
    started = call.state.started
    body = {
        "protocol": {
            "id": started.protocol_id if started else None,
            "version": started.protocol_version if started else None,
            "sha256": started.protocol_sha256 if started else None,
        },
        "events": [json.loads(event.model_dump_json()) for event in call.events],
    }
    descriptor = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(body, handle, indent=2, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, 0o600)
