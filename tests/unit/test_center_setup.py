"""A center in one command: `store setup` makes the tables and the roles with the README's
grants (again changes nothing), `store check` says whether a console can work and exits with
a code a script reads, and a named service spares everyone the full address."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from tests.conftest import known
from tests.postgres_server import Server
from tests.unit.test_center_store import start
from trafficking_triage.cli import main
from trafficking_triage.protocol import LoadedProtocol
from trafficking_triage.records.postgres.setup import CANNOT_CONNECT, MAY_NOT_WRITE, NO_TABLES
from trafficking_triage.records.recorder import Recorder
from trafficking_triage.records.where import open_store


def as_role(address: str, role: str) -> str:
    return address.replace("//triage@", f"//{role}@")


def test_setup_makes_the_roles_once_and_says_what_each_console_needs(
    postgres: Server, capsys: pytest.CaptureFixture[str], shipped: LoadedProtocol, tmp_path: Path
) -> None:
    address = postgres.database("setup_center")  # no tables yet
    for _ in range(2):  # a second run changes nothing, and fails on nothing
        assert main(["store", "setup", "--store", address, "--consoles", "north", "south"]) == 0
    out = capsys.readouterr().out
    assert "call tables and roles ready" in out
    assert "\\password triage_north; \\password triage_south; \\password triage_review" in out
    assert "localhost:5432:setup_center:triage_north:THE-PASSWORD" in out  # a socket's name
    assert "user=triage_south" in out and "trafficking-triage --console south" in out
    # A console's role takes and closes a call; the supervisor's reads and writes nothing.
    store = open_store(as_role(address, "triage_north"), tmp_path)
    call = start(shipped)
    recorder = Recorder(store, call)
    call.answer("Main St")
    call.close("completed")
    assert store.row(known(recorder.call_id)).status == "completed"
    store.close()
    with psycopg.connect(as_role(address, "triage_review")) as db:
        assert db.execute("SELECT count(*) FROM calls").fetchone() == (1,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            db.execute("DELETE FROM events")


def test_the_statements_for_psql_grant_what_setup_gives(
    postgres: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    """`store setup --sql`, run in psql by an administrator after `store init`, grants what
    `store setup` grants: the same privileges on the same tables and columns, role by role."""

    def privileges(address: str) -> set[tuple[str, ...]]:
        with psycopg.connect(address) as db:
            tables = db.execute(
                "SELECT grantee, table_name, privilege_type FROM"
                " information_schema.role_table_grants WHERE grantee LIKE 'triage_%'"
            ).fetchall()
            columns = db.execute(
                "SELECT grantee, column_name, privilege_type FROM"
                " information_schema.column_privileges WHERE grantee LIKE 'triage_%'"
                " AND privilege_type = 'UPDATE'"
            ).fetchall()
        return {tuple(map(str, row)) for row in [*tables, *columns]}

    by_setup = postgres.database("by_setup")
    assert main(["store", "setup", "--store", by_setup, "--consoles", "north"]) == 0
    by_psql = postgres.database("by_psql")
    assert main(["store", "init", "--store", by_psql]) == 0
    capsys.readouterr()
    assert main(["store", "setup", "--sql", "--store", by_psql, "--consoles", "north"]) == 0
    printed = capsys.readouterr().out
    with psycopg.connect(by_psql, autocommit=True) as db:
        for statement in printed.split(";\n"):
            if statement.strip(" ;\n"):
                db.execute(statement.strip().rstrip(";"))
    assert privileges(by_setup) == privileges(by_psql)
    assert ("triage_console", "place", "UPDATE") in privileges(by_setup)


def test_check_says_each_step_and_exits_with_a_code_a_script_reads(
    postgres: Server, center: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["store", "setup", "--store", center, "--consoles", "north"]) == 0
    capsys.readouterr()
    for role, code, said in (
        ("triage", 0, "ready for a console"),
        ("triage_north", 0, "triage_north (in triage_console)"),
        ("triage_review", MAY_NOT_WRITE, "write    NO"),
        ("nobody_at_all", CANNOT_CONNECT, "connect  NO"),
    ):
        assert main(["store", "check", "--store", as_role(center, role)]) == code, role
        out = capsys.readouterr().out
        assert said in out, (role, out)
    assert main(["store", "check", "--store", center]) == 0
    assert "schema   ok  4" in capsys.readouterr().out
    empty = postgres.database("nothing_made")
    assert main(["store", "check", "--store", empty]) == NO_TABLES
    assert "no call tables: the owner runs `store setup`" in capsys.readouterr().out
    with psycopg.connect(center) as db:  # the trial write was taken back
        assert db.execute("SELECT count(*) FROM calls").fetchone() == (0,)


def test_a_named_service_spares_the_full_address(
    postgres: Server,
    center: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """libpq's service file, as `store setup` prints it: the store is then
    `postgresql://?service=triage` on every machine, its role and host in the file."""
    assert main(["store", "setup", "--store", center, "--consoles", "north"]) == 0
    capsys.readouterr()
    name = psycopg.conninfo.conninfo_to_dict(center)["dbname"]
    services = tmp_path / "pg_service.conf"
    services.write_text(
        f"[triage]\nhost={postgres.socket}\nport=5432\ndbname={name}\nuser=triage_north\n"
    )
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    assert main(["store", "check", "--store", "postgresql://?service=triage"]) == 0
    assert "role     ok  triage_north" in capsys.readouterr().out
    monkeypatch.setenv("TRAFFICKING_TRIAGE_STORE", "postgresql://?service=triage")
    assert main(["records", "list"]) == 0
    assert capsys.readouterr().out == "no calls recorded\n"


def center_section() -> str:
    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    start = text.index("From nothing to three consoles on one database:")
    return text[start : text.index("A console's earlier calls come in with", start)]


def test_the_readmes_center_section_works_as_printed(
    postgres: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its commands in order, the database's address being the test server's: the owner's
    `store setup`, each machine's `store check` through the service file as `store setup`
    printed it, a console taking a call, the supervisor's `records list`. (Making the owner
    and the database, installing, and the passwords are the administrator's, in psql.)"""
    section = " ".join(center_section().split())  # the commands wrap across lines
    commands = re.findall(r"`(trafficking-triage [^`]+)`", section)
    setup = next(c for c in commands if " store setup " in c)
    check = next(c for c in commands if " store check " in c)
    listing = next(c for c in commands if " records list " in c)
    address = postgres.database("triage")
    owner_address = re.search(r"postgresql://triage_owner@dbhost/triage", setup)
    assert owner_address is not None and "--consoles north south east" in setup

    def run(command: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        words = shlex.split(command.replace("postgresql://triage_owner@dbhost/triage", address))
        program = [sys.executable, "-m", "trafficking_triage", *words[1:]]
        return subprocess.run(
            program, capture_output=True, text=True, env={**os.environ, **(env or {})}
        )

    made = run(setup)
    assert made.returncode == 0, made.stderr
    # Each machine's service, as printed: host, port, database and its role.
    printed = made.stdout
    for machine, role in (("console north", "triage_north"), ("the supervisor", "triage_review")):
        block = printed[printed.index(f"  {machine}:") :]
        lines = re.findall(r"^\s+(host|port|dbname|user)=(.*)$", block, flags=re.M)[:4]
        assert dict(lines)["user"] == role
        services = tmp_path / f"{role}.conf"
        services.write_text("[triage]\n" + "".join(f"{k}={v}\n" for k, v in lines))
        env = {"PGSERVICEFILE": str(services), "HOME": str(tmp_path)}
        checked = run(check, env)
        expected = 0 if role != "triage_review" else MAY_NOT_WRITE
        assert checked.returncode == expected, checked.stdout + checked.stderr
        if role == "triage_review":
            env["TRAFFICKING_TRIAGE_STORE"] = "postgresql://?service=triage"
            listed = run(listing, env)
            assert listed.returncode == 0, listed.stderr
            assert listed.stdout.strip() == "no calls recorded"


def test_migration_3_puts_back_the_same_check_it_lifts() -> None:
    """Migration 3 lifts the row check for its fill-in and adds it again: word for word."""
    from trafficking_triage.records.postgres.schema import MIGRATIONS

    def check(text: str) -> str:
        start = text.index("ADD CONSTRAINT calls_checked CHECK")
        return " ".join(text[start : text.index(") NOT VALID", start)].split())

    assert check(MIGRATIONS[2]) == check(MIGRATIONS[1])


def test_check_refuses_what_a_console_refuses(
    postgres: Server, center: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A password in the address, and a role granted before the row kept its incident and
    place: `store check` says so, as the console would as it opens."""
    assert main(["store", "setup", "--store", center, "--consoles", "north"]) == 0
    with_password = center.replace("//triage@", "//triage_north:hunter2@")
    assert main(["store", "check", "--store", with_password]) == CANNOT_CONNECT
    out = capsys.readouterr().out
    assert "holds a password" in out and "hunter2" not in out
    with psycopg.connect(center, autocommit=True) as db:
        db.execute(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'triage_old')"
            " THEN CREATE ROLE triage_old LOGIN; END IF; END $$"
        )
        db.execute("GRANT SELECT, INSERT ON calls, events TO triage_old")
        db.execute(
            "GRANT UPDATE (status, ended_at, route, holder, holder_console, renewed_at)"
            " ON calls TO triage_old"
        )
        db.execute("GRANT SELECT ON trafficking_triage_schema TO triage_old")
    assert main(["store", "check", "--store", as_role(center, "triage_old")]) == MAY_NOT_WRITE
    assert "grants   NO" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["console", "review", "North", "a b"])
def test_setup_refuses_a_console_name_that_is_not_one(
    postgres: Server, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    address = postgres.database(f"names_{abs(hash(name))}")
    assert main(["store", "setup", "--store", address, "--consoles", name]) == 1
    err = capsys.readouterr().err
    assert "console" in err and "Traceback" not in err


def test_the_migrations_have_the_text_every_kept_database_was_made_with() -> None:
    """A migration once run is never run again: its text is history. Each store's migrations
    are checked against their digests (the row checks are shared constants now)."""
    import hashlib

    from trafficking_triage.records.postgres.schema import MIGRATIONS as CENTER
    from trafficking_triage.records.sqlite_schema import MIGRATIONS as OWN

    digests = [hashlib.sha256(m.encode()).hexdigest()[:16] for m in [*OWN, *CENTER]]
    assert digests == DIGESTS


DIGESTS = [
    "d603a2cbeabcf156",  # the embedded store: 1, 2, 3, 4
    "5cbb62316a1827a3",
    "c0db26e7234fbe90",
    "c7880f884b227595",
    "bbcf5b61191aa0ef",  # the center's store: 1, 2, 3, 4
    "8c068b96af88e0a7",
    "a9c37443f7fa54ac",
    "c3e62fb1d02a50e5",
]
