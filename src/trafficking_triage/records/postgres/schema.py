"""The center's tables: the migrations (the same versions as the embedded store's), and
the guard `store init` makes again each time (closed calls, other consoles' calls)."""

from __future__ import annotations

from ..sql import POSTGRES, listed_sql, tables

CALLS_CHECKED = """ALTER TABLE calls ADD CONSTRAINT calls_checked CHECK (
        id ~ '^[A-Za-z0-9_-]{1,64}$'
        AND status IN ('open', 'completed', 'interrupted', 'abandoned')
        AND (route IS NULL OR route ~ '^[a-z][a-z0-9_]{0,63}$')
        AND jsonb_typeof(context) = 'object'
        AND coalesce(console, '') !~ '[[:cntrl:]]'
        AND coalesce(dispatcher, '') !~ '[[:cntrl:]]'
        AND protocol_sha256 ~ '^[0-9a-f]{64}$'
    ) NOT VALID;"""
"""What a call's row must be (a row written before it is kept: NOT VALID); made by migration 2,
lifted and made again, the same, by migration 3."""

# Each migration takes the database from version N-1 to N, as the embedded store's do.
MIGRATIONS = [
    tables(POSTGRES),
    # 2: the database checks what it holds (so one bad row cannot stop a console), and a
    # lease says which console holds each open call: its role, its name, when it last said
    # so. A context that is not JSON is kept, as text, under "unreadable".
    f"""
    CREATE FUNCTION pg_temp.as_json(given text) RETURNS jsonb LANGUAGE plpgsql AS $$
    BEGIN
        RETURN CASE WHEN jsonb_typeof(given::jsonb) = 'object' THEN given::jsonb
               ELSE jsonb_build_object('unreadable', given) END;
    EXCEPTION WHEN others THEN
        RETURN jsonb_build_object('unreadable', given);
    END $$;
    ALTER TABLE calls ALTER COLUMN context DROP DEFAULT;
    ALTER TABLE calls ALTER COLUMN context TYPE jsonb USING pg_temp.as_json(context);
    ALTER TABLE calls ALTER COLUMN context SET DEFAULT '{{}}';
    ALTER TABLE calls ADD COLUMN holder TEXT, ADD COLUMN holder_console TEXT,
        ADD COLUMN renewed_at TIMESTAMPTZ;
    {CALLS_CHECKED}
    ALTER TABLE events ADD CONSTRAINT events_checked CHECK (
        seq >= 0 AND kind ~ '^[a-z_]{{1,40}}$'
    ) NOT VALID;
    CREATE INDEX calls_open ON calls(started_at) WHERE status = 'open';
    """,
    # 3: the incident number and the place on the call's row, and the start's index with
    # the id, as the embedded store's 3
    # (the guard, which keeps a closed call unchanged, is set aside for that alone, in the
    # same transaction: the owner runs the migrations).
    f"""
    CREATE FUNCTION pg_temp.read_json(given text) RETURNS jsonb LANGUAGE plpgsql AS $$
    BEGIN
        RETURN given::jsonb;
    EXCEPTION WHEN others THEN
        RETURN NULL;
    END $$;
    ALTER TABLE calls ADD COLUMN incident TEXT NOT NULL DEFAULT '',
        ADD COLUMN place TEXT NOT NULL DEFAULT '';
    DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'calls_guard') THEN
            ALTER TABLE calls DISABLE TRIGGER calls_guard;
        END IF;
    END $$;
    -- A row written before the check (kept, NOT VALID) would fail it as it is updated.
    ALTER TABLE calls DROP CONSTRAINT IF EXISTS calls_checked;
    UPDATE calls SET
        incident = {listed_sql(POSTGRES)[0]},
        place = {listed_sql(POSTGRES)[1]};
    DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'calls_guard') THEN
            ALTER TABLE calls ENABLE TRIGGER calls_guard;
        END IF;
    END $$;
    {CALLS_CHECKED}
    CREATE INDEX calls_incident ON calls(lower(incident));
    DROP INDEX calls_started;
    CREATE INDEX calls_started ON calls(started_at, id);
    DO $$
    DECLARE
        role_name text;
    BEGIN
        -- A role that may write a call's route writes these beside it (the README's grants
        -- name them too): a center's consoles go on recording once it is migrated.
        FOR role_name IN SELECT DISTINCT grantee FROM information_schema.column_privileges
            WHERE table_name = 'calls' AND column_name = 'route' AND privilege_type = 'UPDATE'
                AND grantee <> current_user AND grantee <> 'PUBLIC'
        LOOP
            EXECUTE format('GRANT UPDATE (incident, place) ON calls TO %I', role_name);
        END LOOP;
    END $$;
    """,  # noqa: S608 (our own SQL: sql.listed_sql, no value from outside)
    # 4: when the store took each event, as the embedded store's 4 (a role's INSERT on
    # events is the table's, so it takes the new column).
    """
    ALTER TABLE events ADD COLUMN saved_at TIMESTAMPTZ;
    """,
]


LEASE_GRACE = 60
"""Seconds a console's hold on a call outlasts its last word (its store check, every 3 s):
longer than a server's restart and a console's reconnect, so a console whose connection broke
takes its calls back before any other console is offered them. A console that died lets go
of its calls after it (sooner to the same console started again)."""


# Made again by every `store init` (not a migration: nothing to keep in it). What the roles
# may do is the owner's grant; this holds for every role:
# - a call closed stays closed, every column of it, and no event is added after its close;
# - an open call is changed, and its events added, only by the role that holds it (which
#   takes it by changing its row: a call held by another role only once that role has not
#   renewed its hold for LEASE_GRACE seconds). Each console signs in as a role of its own.
# The lease's times are the server's own clock.
GUARD = """
CREATE OR REPLACE FUNCTION trafficking_triage_calls_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'open' THEN
            RAISE EXCEPTION 'a call is written open, then closed'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        NEW.holder := current_user;
        NEW.renewed_at := now();
        RETURN NEW;
    END IF;
    IF OLD.status <> 'open' THEN
        RAISE EXCEPTION 'call % is closed: it is not changed', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD.holder IS DISTINCT FROM current_user AND OLD.holder IS NOT NULL
        AND OLD.renewed_at > now() - interval 'GRACE seconds' THEN
        RAISE EXCEPTION 'call % is held by another console', OLD.id USING ERRCODE = 'TT001';
    END IF;
    IF NEW.holder IS NULL AND OLD.holder IS NOT DISTINCT FROM current_user THEN
        NEW.holder_console := NULL;  -- let go of by its holder
        NEW.renewed_at := NULL;
        RETURN NEW;
    END IF;
    NEW.holder := current_user;
    NEW.renewed_at := now();
    RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION trafficking_triage_events_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    found_status text;
    found_holder text;
BEGIN
    SELECT status, holder INTO found_status, found_holder FROM calls
        WHERE id = NEW.call_id FOR SHARE;
    IF found_status IS DISTINCT FROM 'open' THEN
        RAISE EXCEPTION 'call % is closed: no event is added after its close', NEW.call_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF found_holder IS DISTINCT FROM current_user THEN
        RAISE EXCEPTION 'call % is held by another console', NEW.call_id USING ERRCODE = 'TT001';
    END IF;
    RETURN NEW;
END $$;
DROP FUNCTION IF EXISTS trafficking_triage_closed_stays() CASCADE;
DROP TRIGGER IF EXISTS calls_guard ON calls;
CREATE TRIGGER calls_guard BEFORE INSERT OR UPDATE ON calls
    FOR EACH ROW EXECUTE FUNCTION trafficking_triage_calls_guard();
DROP TRIGGER IF EXISTS events_guard ON events;
CREATE TRIGGER events_guard BEFORE INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION trafficking_triage_events_guard();
""".replace("GRACE", str(LEASE_GRACE))


_VERSION_TABLE = "trafficking_triage_schema"


_MIGRATION_LOCK = 0x7472_6961_6765  # one key: consoles starting together migrate once
