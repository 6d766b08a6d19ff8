"""The embedded store's tables, one migration per schema version (the center's store has the
same versions: postgres/schema.py)."""

import sqlite3
from pathlib import Path

from .api import RecordsDamaged, RecordsError
from .sql import SQLITE, listed_sql, tables

CLOSED_STAYS = """CREATE TRIGGER closed_stays BEFORE UPDATE ON calls
    WHEN OLD.status <> 'open'
    BEGIN SELECT RAISE(ABORT, 'the call is closed: it is not changed'); END;"""
OPEN_CHECKED = """CREATE TRIGGER open_checked BEFORE UPDATE ON calls
    WHEN NEW.status NOT IN ('open', 'completed', 'interrupted', 'abandoned')
        OR (NEW.route IS NOT NULL AND (NEW.route = '' OR NEW.route GLOB '*[^a-z0-9_]*'))
    BEGIN SELECT RAISE(ABORT, 'a call row this program would not write'); END;"""
"""The checks of a call's row as it changes: made by migration 2, lifted and made again,
the same, by migration 3."""

# Each migration takes the database from version N-1 to N; index 0 builds version 1.
MIGRATIONS = [
    tables(SQLITE),
    # 2: the file checks what it is given, as the center's database does: a call's row as
    # this program writes it, a closed call never changed, no event after a close. (One
    # console writes its own file; these stop a program's mistake, and damage read back is
    # still shown as it is.)
    f"""
    CREATE TRIGGER calls_checked BEFORE INSERT ON calls
    WHEN NOT (
        json_valid(NEW.context) AND json_type(NEW.context) = 'object'
        AND NEW.status = 'open' AND length(NEW.id) BETWEEN 1 AND 64
        AND NEW.id NOT GLOB '*[^A-Za-z0-9_-]*'
    )
    BEGIN SELECT RAISE(ABORT, 'a call row this program would not write'); END;
    {CLOSED_STAYS}
    {OPEN_CHECKED}
    CREATE TRIGGER no_event_after_close BEFORE INSERT ON events
    WHEN (SELECT status FROM calls WHERE id = NEW.call_id) IS NOT 'open'
    BEGIN SELECT RAISE(ABORT, 'the call is closed: no event is added after its close'); END;
    CREATE INDEX calls_open ON calls(started_at) WHERE status = 'open';
    """,  # noqa: S608 (our own SQL, no value from outside)
    # 3: what `records list` shows and finds calls by, kept on the call's row (the events
    # were read for every call listed): the incident number and the place as they stand
    # (see base.Listing), filled in for the calls already kept. The trigger that keeps a
    # closed call unchanged, and the one that checks a row as it changes, are lifted for that
    # alone, in the same transaction (a row written by hand before them is read as it is,
    # and stops no migration). The start's
    # index takes the id too: the newest calls are read from it in order, with no sort.
    f"""
    ALTER TABLE calls ADD COLUMN incident TEXT NOT NULL DEFAULT '';
    ALTER TABLE calls ADD COLUMN place TEXT NOT NULL DEFAULT '';
    DROP TRIGGER IF EXISTS closed_stays;
    DROP TRIGGER IF EXISTS open_checked;
    UPDATE calls SET
        incident = {listed_sql(SQLITE)[0]},
        place = {listed_sql(SQLITE)[1]};
    {CLOSED_STAYS}
    {OPEN_CHECKED}
    CREATE INDEX calls_incident ON calls(lower(incident));
    DROP INDEX calls_started;
    CREATE INDEX calls_started ON calls(started_at, id);
    """,  # noqa: S608 (our own SQL: sql.listed_sql, no value from outside)
    # 4: when the store took each event, so a QA report can tell the periods a console said
    # NOT SAVED (an event taken later than it happened). Not known for the events before.
    """
    ALTER TABLE events ADD COLUMN saved_at TEXT;
    """,
]


SCHEMA_VERSION = len(MIGRATIONS)
"""The schema of this program's records, the same number in both stores."""


def refuse_foreign_or_newer(db: sqlite3.Connection, path: Path, read_only: bool) -> None:
    """Before anything is written: a file this program must not touch stays untouched."""
    # One statement, so one snapshot: another console may be making the tables right now.
    version, tables = db.execute(
        "SELECT user_version, (SELECT count(*) FROM sqlite_master) FROM pragma_user_version"
    ).fetchone()
    if version > SCHEMA_VERSION:
        raise RecordsDamaged(
            f"the call records in {path} were written by a newer version of this "
            f"program (schema {version}; this one knows {SCHEMA_VERSION}). The file was "
            "left untouched: use the newer program."
        )
    # An empty new file reads as version 0; anything at version 0 with tables is foreign.
    if version == 0 and tables:
        raise RecordsDamaged(
            f"{path} is an SQLite database, but not one of call records. It was left untouched."
        )
    if read_only and 0 < version < SCHEMA_VERSION:
        # A command that only reads never changes the file, so it cannot bring it up.
        raise RecordsError(
            f"the call records in {path} are of schema {version}, written by an "
            f"earlier version of this program; this one reads schema {SCHEMA_VERSION}. "
            "Start a console on this data directory once (it brings them up to date, "
            "keeping every call), then run this again."
        )


def migrate(db: sqlite3.Connection) -> None:
    """Inside a write transaction: every migration from the file's version to this
    program's, then the version itself."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version >= len(MIGRATIONS):
        return
    for number in range(version, len(MIGRATIONS)):
        statement = ""
        for part in MIGRATIONS[number].split(";"):
            statement += part + ";"
            if sqlite3.complete_statement(statement):  # a trigger holds ";" too
                if statement.strip(" \n;"):
                    db.execute(statement)
                statement = ""
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")
