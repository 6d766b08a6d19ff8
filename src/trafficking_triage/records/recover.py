"""A call as one JSON document of its events: what ctrl+s writes when the records file cannot
be written (a full disk), and what `records` can read back later. Used by the session."""

from __future__ import annotations

import json

from ..engine import Call


def events_json(call: Call) -> str:
    """Every event of the call, with the protocol it was taken with. It holds everything said
    on the call: write it with `files.write_private`."""
    started = call.state.started
    body = {
        "protocol": {
            "id": started.protocol_id if started else None,
            "version": started.protocol_version if started else None,
            "sha256": started.protocol_sha256 if started else None,
        },
        "events": [json.loads(event.model_dump_json()) for event in call.events],
    }
    return json.dumps(body, indent=2, ensure_ascii=False)
