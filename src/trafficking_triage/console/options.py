"""What a console is opened with (`ConsoleOptions`, from the command line) and how it
opens (`open_session`): the protocol and settings checked, the scenarios loaded, then the
record store opened."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..engine.view import utc_now
from ..protocol.texts import display_modes
from ..records import RecordsError
from ..records.api import RecordsUnwritable
from ..records.base import StoreBase
from ..records.where import is_center, open_store, store_address

if TYPE_CHECKING:
    from ..protocol import LoadedProtocol
    from ..training.scenario import Scenario

from .records_link import _must_exist
from .session import CallSession
from .values import ConsoleError

CHECKED_PROTOCOL = "checked-protocol.json"
"""In the data directory: the protocol last checked in full (see protocol.loader); safe to
delete, it only saves the next console from reading the YAML and checking the graph."""


@dataclass(frozen=True)
class ConsoleOptions:
    """What a console is opened with: the command line's choices, resolved to files."""

    protocol: Path | None = None
    """The protocol file; None: the shipped one."""
    agency: Path | None = None
    """The agency settings file; None: no settings (every agency contact NOT CONFIGURED)."""
    data_dir: Path | None = None
    """Where call records are kept; None: nothing is recorded (previews, tests)."""
    data_dir_named: bool = False
    """The data directory was named (`--data-dir`, the environment): it is used, never made.
    Missing (a mistyped name, a share not mounted), the console opens NOT SAVED and says
    why, and writes the calls there once it exists."""
    store: str | None = None
    """The records' address (`postgresql://...` for a center's database); None: the data
    directory's own store. Training calls always stay in the data directory."""
    lang: str | None = None
    console: str | None = None
    dispatcher: str | None = None
    context: Mapping[str, str] = field(default_factory=dict)
    """What a CAD passed in: incident, location, callback."""
    training: bool = False
    scenario: str | None = None
    """A scenario id or file to play; None in training: pick one from the list."""
    scenarios: Path | None = None
    """The scenario folder; None: the one beside the protocol."""
    presenter: bool = False
    resume: bool = True
    """Offer an unfinished call left by a console that is gone (off for `serve`'s tabs)."""
    context_file: Path | None = None
    """The file the CAD writes each call's details to: read again as each new call starts
    (`context` is the first call's)."""
    text_calls: bool = False
    """The console takes text-to-911 (or TTY) sessions: each call is yes/no from its first
    question, with typed answers taken, and the routes' words for a texter."""
    clock: Callable[[], datetime] = utc_now
    blink: bool = True
    """The answer field's cursor blinks (off for pictures of the screen)."""


def open_session(options: ConsoleOptions) -> CallSession:
    """Check the protocol and settings, load the scenarios, then open the record store (so a
    bad file is reported before the data directory is touched). Raises FileProblems with
    every problem of a file, ConsoleError or RecordsError."""
    from ..protocol import load_protocol

    checked = options.data_dir / CHECKED_PROTOCOL if options.data_dir is not None else None
    loaded = load_protocol(options.protocol, checked=checked)
    displays = display_modes(loaded.protocol.protocol.languages)
    if options.lang is not None and options.lang not in displays:
        raise ConsoleError(f"--lang {options.lang}: this protocol has {', '.join(displays)}")
    settings = None
    settings_problems: list[str] = []
    if options.agency is not None:
        from ..settings.loader import load_settings_for_a_console

        # A console always opens: what is wrong in the file is left out and said on screen.
        settings, found = load_settings_for_a_console(options.agency)
        settings_problems = [str(problem) for problem in found]
    scenarios = _scenarios(options, loaded) if options.training else []
    rubric = None
    if options.training:
        from ..training.rubric import load_rubric

        rubric = load_rubric(_scenario_folder(options, loaded))
    store: StoreBase | None = None
    unwritable: RecordsUnwritable | None = None
    data_dir = None
    center = settings.settings.store if settings is not None else None
    address = None if options.training else store_address(options.store, center)
    if options.data_dir is not None:
        from ..records.where import records_dir

        data_dir = records_dir(options.data_dir, options.training)
        try:
            _must_exist(options.data_dir if options.data_dir_named else None)
            store = open_store(address, data_dir)
        except RecordsUnwritable as error:
            unwritable = error  # the console opens all the same: calls go on, unsaved
        except RecordsError as error:
            if not is_center(address):
                raise
            # A center's store set up wrong (its tables not made, a role that may only read,
            # no driver): calls still come in. The console opens, NOT SAVED, and says why.
            unwritable = RecordsUnwritable(str(error), str(error))
    session = CallSession(
        loaded,
        settings=settings,
        store=store,
        clock=options.clock,
        console=options.console,
        dispatcher=options.dispatcher,
        context=dict(options.context),
        language=options.lang,
        training=options.training,
        scenarios=scenarios,
        rubric=rubric,
        presenter=options.presenter,
        data_dir=data_dir,
        store_address=address,
        named_data_dir=options.data_dir if options.data_dir_named else None,
        resume=options.resume,
        text_calls=options.text_calls,
    )
    if unwritable is not None:
        session.records_trouble = unwritable.cause
    session.settings_problems = settings_problems
    if options.context_file is not None:
        from .cad import ContextFile, read_context_file

        try:
            taken: str | None = read_context_file(options.context_file)[1]
        except ConsoleError:
            taken = None
        session.context_file = ContextFile(options.context_file, taken)
    return session


def _scenarios(options: ConsoleOptions, loaded: LoadedProtocol) -> list[Scenario]:
    """The scenario asked for, else every scenario of the folder (all problems at once)."""
    from ..training.scenario import load_scenario, load_scenarios

    wanted = options.scenario
    if wanted is not None and Path(wanted).is_file():
        return [load_scenario(Path(wanted), loaded)]
    folder = _scenario_folder(options, loaded)
    found = load_scenarios(folder, loaded)
    if wanted is not None:
        chosen = [s for s in found if s.id == wanted]
        if not chosen:
            ids = ", ".join(s.id for s in found) or "none"
            raise ConsoleError(f"no scenario called '{wanted}' in {folder} (there are: {ids})")
        return chosen
    if not found:
        raise ConsoleError(f"no scenarios in {folder}")
    return found


def _scenario_folder(options: ConsoleOptions, loaded: LoadedProtocol) -> Path:
    """The folder the scenarios (and the debrief's rubric beside them) come from."""
    wanted = options.scenario
    if wanted is not None and Path(wanted).is_file():
        return Path(wanted).parent
    return options.scenarios or loaded.scenarios
