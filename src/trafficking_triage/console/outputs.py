"""The call written out for people from the console: saved whole to a file of the
dispatcher's choosing (when the records cannot be written), and its narrative for the CAD."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..files import own_directory, write_private
from ..records.api import RecordsError, cause_of

if TYPE_CHECKING:
    pass

from .records_link import RecordsLink
from .values import Copied, Notice, Refusal


class Outputs(RecordsLink):
    """The call written out for people: the whole call saved to another file (ctrl+s), the
    narrative copied for the CAD."""

    def save_suggestion(self) -> Path:
        """Where ctrl+s proposes to save the call: a name of its own for each call."""
        call_id = self.recorder.call_id if self.recorder is not None else None
        if call_id is None and self.call is not None and self.call.state.started is not None:
            call_id = f"unsaved-{self.call.state.started.at.astimezone():%Y%m%d-%H%M%S}"
        return Path.home() / f"call-{call_id or 'unsaved'}.json"

    def save_elsewhere(self, path: Path) -> Refusal | Notice:
        """Every event of the call, as JSON, to a new owner-only file (never over another)."""
        from ..reports.export import as_json

        call = self.call
        if call is None:
            return Refusal("There is no call to save.", title="Not saved")
        try:
            call_id = self.recorder.call_id if self.recorder is not None else None
            write_private(path, as_json(None, call, call_id=call_id))
        except FileExistsError:
            return Refusal(
                f"{path} exists already; nothing was written. Choose another name.",
                title="Not saved",
                severity="error",
            )
        except OSError as error:
            return Refusal(
                f"Could not write {path}: {error.strerror or error}",
                title="Not saved",
                severity="error",
            )
        return Notice(
            f"The whole call was saved to {path}. Once the records can be written, "
            f"`trafficking-triage records import {path}` brings it in.",
            "Saved",
        )

    def narrative(self) -> Copied | Refusal:
        """The call as plain text for the CAD remarks, saved to a private file under the
        records: the text (for the clipboard) and what to tell the dispatcher."""
        from ..reports.export import narrative

        call, recorder, store = self.call, self.recorder, self.store
        if call is None or recorder is None or store is None or self.data_dir is None:
            return Refusal("This call is not being recorded: nothing to copy.", title="Narrative")
        call_id = recorder.call_id
        if call_id is None:
            return Refusal(
                "This call is not in the records yet: nothing to copy.", title="Narrative"
            )
        try:
            row = self._ask(lambda store: store.row(call_id))
        except RecordsError as error:
            why = f"Could not read the call's record: {cause_of(error)}."
            return Refusal(why, title="Narrative")
        text = narrative(row, call)
        folder = self.data_dir / "exports"
        path = folder / f"{call_id}.txt"
        try:
            own_directory(folder)
            write_private(path, text, replace=True)
        except OSError as error:
            return Refusal(
                f"Could not write the narrative: {error.strerror or error}",
                title="Narrative",
                severity="error",
            )
        return Copied(text, Notice(f"Copied to the clipboard and saved to {path}", "Narrative"))
