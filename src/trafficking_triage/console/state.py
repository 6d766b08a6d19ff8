"""The state one console's session keeps (made in `CallSession.__init__`, where each is said),
declared once for the parts of the session that read it: the link to the records
(records_link.py), unfinished calls (unfinished.py) and outputs (outputs.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..engine import Call
    from ..protocol import LoadedProtocol, Protocol
    from ..records.base import StoreBase
    from ..records.recorder import Recorder
    from ..records.worker import StoreWorker
    from ..settings.loader import LoadedSettings
    from ..settings.resolve import ResolvedContact
    from ..training.rubric import Rubric
    from ..training.scenario import Scenario
    from .values import Notice


class SessionState:
    loaded: LoadedProtocol
    protocol: Protocol
    settings: LoadedSettings | None
    contacts: dict[str, ResolvedContact]
    missing_settings: list[str]
    store: StoreBase | None
    _worker: StoreWorker | None
    _pinged: float
    data_dir: Path | None
    store_address: str | None
    named_data_dir: Path | None
    clock: Callable[[], datetime]
    console: str | None
    dispatcher: str | None
    context: dict[str, str]
    languages: list[str]
    language: str
    scenarios: list[Scenario]
    rubric: Rubric | None
    offers_unfinished: bool
    training: bool
    scenario: Scenario | None
    text_calls: bool
    presenter: bool
    call: Call | None
    to_record: bool
    in_records: bool
    recorder: Recorder | None
    _quiet: bool
    waiting_recorders: list[Recorder]
    waiting_calls: list[Call]
    records_trouble: str | None
    on_change: Callable[[], object]
    on_notice: Callable[[Notice], None]

    def call_open(self) -> bool:
        return self.call is not None and self.call.state.closed is None
