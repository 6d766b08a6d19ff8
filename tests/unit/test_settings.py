"""Agency settings: the template, the checks and their messages, and how contacts fill in."""

from __future__ import annotations

from pathlib import Path

import pytest

from trafficking_triage.cli import main
from trafficking_triage.protocol import FileProblems, LoadedProtocol
from trafficking_triage.settings.loader import load_settings
from trafficking_triage.settings.resolve import missing_settings, resolve_contacts

AGENCY = Path(__file__).parent.parent / "data" / "agency"


def test_every_problem_of_a_broken_settings_file_is_listed() -> None:
    with pytest.raises(FileProblems) as caught:
        load_settings(AGENCY / "broken.yaml", "broken.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "broken.yaml:5:3: point_of_contact.nmae: unknown key 'nmae' (did you mean 'name'?)"
        " [unknown-key]",
        "broken.yaml:6:10: point_of_contact.phone: 'call the desk' is not a phone number: it has"
        " no digits [phone]",
        "broken.yaml:8:3: tip_line.name: missing required key 'name' [missing-key]",
        "broken.yaml:8:10: tip_line.phone: '555-01' is not a phone number in US (too short)"
        " [phone]",
    ]


@pytest.mark.parametrize(
    ("country", "phone"),
    [
        ("US", "555-0100"),  # a local number, dialled without its area code
        ("US", "(312) 555-0100"),
        ("US", "+1 312 555 0100"),
        ("US", "1-888-373-7888"),
        ("US", "1-800-222-TIPS"),  # vanity letters
        ("US", "711"),  # N11: relay for the deaf and hard of hearing
        ("US", "211"),
        ("US", "911"),
        ("US", "9-1-1"),
        ("US", "233733"),  # a text short code (the Hotline's)
        ("US", "1-800-222-tips"),
        ("US", "312/555-0100"),
        ("US", "555-0100 ext 12"),
        ("US", "+1 (312) 555-0100 x12"),
        ("US", "+52 55 5555 5555"),  # abroad, with its country code
        ("MX", "55 5555 5555"),
        ("CA", "(416) 555-0100"),
    ],
)
def test_phone_numbers_that_are_accepted(tmp_path: Path, country: str, phone: str) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(
        f'agency: {{name: A, country: {country}}}\nsupervisor: {{name: S, phone: "{phone}"}}\n'
    )
    assert load_settings(path).settings.supervisor is not None


@pytest.mark.parametrize(
    ("country", "phone", "said"),
    [
        ("US", "555-01", "is not a phone number in US (too short)"),
        ("US", "12", "is not a short code in US"),
        ("US", "(555) 010-0100", "is not a phone number in US (no such number)"),
        ("US", "1-800-222-TIPS-NOW", "is not a phone number in US (too long)"),
        ("US", "call the desk", "is not a phone number: it has no digits"),
        ("US", "NONE", "is not a phone number: it has no digits"),
        ("US", "555-XXXX", "is not a phone number: it looks like a placeholder"),
        ("US", "000-0000", "is not a phone number in US (no such number)"),
        ("US", "+1 555 0100", "is not a phone number in US (no such number)"),
        ("US", "+999 1234", "is not a phone number (no such country code)"),
        (
            "US",
            "555#0100",
            "is not a phone number (write it with digits, letters for a vanity"
            " number, spaces, + ( ) . / - and an extension (ext 12))",
        ),
        ("MX", "711", "is not a short code in MX"),
    ],
)
def test_phone_numbers_that_are_refused_say_why(
    tmp_path: Path, country: str, phone: str, said: str
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(
        f'agency: {{name: A, country: {country}}}\nsupervisor: {{name: S, phone: "{phone}"}}\n'
    )
    with pytest.raises(FileProblems) as error:
        load_settings(path)
    [problem] = error.value.problems
    assert problem.message == f"'{phone}' {said}"
    assert (problem.line, problem.path) == (2, "supervisor.phone")


def test_a_country_that_is_not_one_is_said_and_numbers_are_checked_as_us(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text('agency: {name: A, country: USA}\nsupervisor: {name: S, phone: "555-01"}\n')
    with pytest.raises(FileProblems) as error:
        load_settings(path)
    said = [p.message for p in error.value.problems]
    path.write_text('agency: {name: A, country: ca}\nsupervisor: {name: S, phone: "711"}\n')
    assert load_settings(path).settings.agency.country == "CA"  # read as written in capitals
    assert said == [
        "'USA' is not a country code (two capital letters, ISO 3166: US, CA, MX)",
        "'555-01' is not a phone number in US (too short)",
    ]


def test_contacts_fill_in_from_settings_and_never_invent(shipped: LoadedProtocol) -> None:
    settings = load_settings(AGENCY / "good.yaml").settings
    contacts = resolve_contacts(shipped.protocol, settings)
    assert contacts["poc"].configured and ("phone", "(312) 555-0100") in contacts["poc"].numbers
    assert contacts["tip_line"].configured
    assert not contacts["supervisor"].configured
    assert contacts["hotline"].numbers[0] == ("phone", "1-888-373-7888")
    bare = resolve_contacts(shipped.protocol, None)
    assert not bare["poc"].configured and not bare["tip_line"].configured
    # What to do instead is said: the Hotline takes tips when no tip line is set.
    assert (
        bare["tip_line"].if_not_set is not None and "1-888-373-7888" in bare["tip_line"].if_not_set
    )
    assert contacts["child_protection"].configured and contacts["ems"].configured
    assert missing_settings(shipped.protocol, None) == [
        "point of contact",
        "tip line",
        "child protection",
    ]
    assert missing_settings(shipped.protocol, settings) == []


def test_agency_init_writes_a_template_that_validates_and_configures_nothing(
    tmp_path: Path, shipped: LoadedProtocol, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "agency.yaml"
    assert main(["agency", "init", str(target)]) == 0
    assert (target.stat().st_mode & 0o777) == 0o600
    assert main(["agency", "init", str(target)]) == 1  # never overwrites without --force
    assert main(["validate", "--agency", str(target)]) == 0
    # ...and says what it leaves for dispatchers to see as NOT CONFIGURED.
    unset = "(not set yet, shown as NOT CONFIGURED: point of contact, tip line, child protection)"
    assert f", settings {target} ok {unset}\n" in capsys.readouterr().out
    assert main(["agency", "validate", str(target)]) == 0
    assert capsys.readouterr().out == f"settings {target} ok {unset}\n"
    # Until an agency fills it in, nothing shows as configured: no number is made up.
    assert missing_settings(shipped.protocol, load_settings(target).settings) == [
        "point of contact",
        "tip line",
        "child protection",
    ]


def test_validate_agency_reports_problems_with_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--agency", str(AGENCY / "broken.yaml")]) == 1
    assert "unknown key 'nmae'" in capsys.readouterr().err


def test_every_caller_text_has_english_and_spanish(shipped: LoadedProtocol) -> None:
    from trafficking_triage.protocol.lint import Linter

    assert shipped.protocol.protocol.languages == ["en", "es"]
    for path, text in Linter(shipped.protocol).caller_texts():
        assert set(text) == {"en", "es"}, path
        assert (text["es"].strip() and text["es"] != text["en"]) or text["en"] == "No", path


def test_a_radio_alert_names_only_placeholders_that_can_be_filled_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "agency.yaml"
    path.write_text(
        "agency:\n  name: Test PD\n"
        "radio_alerts:\n"
        '  - "Trafficking at {location}, {weapon} seen"\n'
        '  - "Stray } brace"\n'
        '  - "Fine: {location}, incident {incident}, {{braces}}"\n'
    )
    assert main(["agency", "validate", str(path)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{path}:4:5: radio_alerts[0]: no placeholder called 'weapon' (these can be filled in:"
        " location, incident, callback, weapons, controller_nearby, people, minors, language,"
        " interpreter, suspects, vehicles) [placeholder]",
        f"{path}:5:5: radio_alerts[1]: a brace that opens no placeholder (write {{{{ or }}}} for"
        " a brace) [placeholder]",
        "2 problems found",
    ]


async def test_radio_alerts_are_filled_in_from_what_the_caller_said(tmp_path: Path) -> None:
    from textual.widgets import Static

    from tests.tui.conftest import build_app

    path = tmp_path / "agency.yaml"
    path.write_text(
        "agency:\n  name: Test PD\n"
        "radio_alerts:\n"
        '  - "At {location}, weapons: {weapons}, people: {people} {{CAD}}"\n'
    )
    app = build_app(agency=path, context={"incident": "26-7"})
    async with app.run_test(size=(100, 30)) as pilot:
        # Can talk freely; no danger; no one hurt; a weapon: yes.
        await pilot.press(*"Motel 6", "enter", "y", "n", "n", "y")
        await pilot.pause()
        panel = str(app.screen.query_one("#settled", Static).render())
        assert "RADIO At Motel 6, weapons: yes, people: (not known) {CAD}" in panel
        await pilot.press("f9")  # ...then the caller cannot talk freely: yes/no only
        await pilot.pause()
        assert app.session.call is not None and app.session.call.yes_no_only()
        panel = str(app.screen.query_one("#settled", Static).render())
        assert "caller cannot talk: do not call back" in panel


def test_a_null_key_with_repeated_keys_under_it_is_listed_not_a_traceback(tmp_path: Path) -> None:
    """Found by the mutated-file test: an anchor with no key name, then a key given twice."""
    path = tmp_path / "agency.yaml"
    path.write_text("&y:\n  name: Example County 911\n  name: Det. A. Rivera\n")
    with pytest.raises(FileProblems) as caught:
        load_settings(path, "agency.yaml")
    said = [str(p) for p in caught.value.problems]
    assert "agency.yaml:3:3: null.name: 'name' is defined twice (first defined at line 2)" in (
        " ".join(said)
    ), said


@pytest.mark.parametrize(
    ("line", "said"),
    [
        (
            "  ~: x\n",
            "agency.yaml:3:3: agency.null: a key must be a word; YAML reads this one as null",
        ),
        (
            "  3: x\n",
            "agency.yaml:3:3: agency[3]: a key must be a word; YAML reads this one as the number 3",
        ),
        (
            "  true: x\n",
            "agency.yaml:3:3: agency.true: a key must be a word; YAML reads this one as true",
        ),
    ],
)
def test_a_key_yaml_reads_as_no_word_is_named_with_its_line(
    tmp_path: Path, line: str, said: str
) -> None:
    path = tmp_path / "agency.yaml"
    path.write_text("agency:\n  name: Example County 911\n" + line)
    with pytest.raises(FileProblems) as caught:
        load_settings(path, "agency.yaml")
    assert [str(p) for p in caught.value.problems] == [
        said + " (write the key as a word, or quote it) [bad-key]"
    ]


@pytest.mark.parametrize(
    ("store", "said"),
    [
        ("postgresql://triage_console:hunter2@dbhost/triage", "holds a password"),
        ("mysql://dbhost/triage", "neither sqlite:///DIR nor postgresql://"),
        ("sqlite://records", "names no directory"),
        ("postgresql://triage_console@dbhost/triage?sslmode=verify-full", None),
        ("service=center", None),
        ("sqlite:///srv/triage", None),
    ],
)
def test_the_store_named_in_the_settings_is_checked_as_a_console_would(
    tmp_path: Path, store: str, said: str | None
) -> None:
    path = tmp_path / "agency.yaml"
    path.write_text(f'agency:\n  name: Example County 911\nstore: "{store}"\n')
    if said is None:
        assert load_settings(path, "agency.yaml").settings.store == store
        return
    with pytest.raises(FileProblems) as caught:
        load_settings(path, "agency.yaml")
    [problem] = [str(p) for p in caught.value.problems]
    assert problem.startswith("agency.yaml:3:8: store: ") and said in problem
    assert "hunter2" not in problem


def test_without_the_driver_a_center_store_still_validates_and_a_password_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A console installed without the PostgreSQL driver still opens (NOT SAVED, saying to
    install it): its settings are not refused for naming the center."""
    import sys

    monkeypatch.setitem(sys.modules, "psycopg", None)
    monkeypatch.setitem(sys.modules, "psycopg.conninfo", None)
    path = tmp_path / "agency.yaml"
    path.write_text('agency:\n  name: Example County 911\nstore: "service=center"\n')
    assert load_settings(path, "agency.yaml").settings.store == "service=center"
    path.write_text('agency:\n  name: Example County 911\nstore: "postgresql://u:pw@h/db"\n')
    with pytest.raises(FileProblems, match="holds a password"):
        load_settings(path, "agency.yaml")
    from trafficking_triage.console import ConsoleOptions, open_session

    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    opened = open_session(ConsoleOptions(data_dir=data, store="service=center"))
    assert opened.records_trouble is not None and "needs its driver" in opened.records_trouble


def test_agency_init_asks_in_a_terminal_checks_each_number_and_writes_a_file_that_validates(
    tmp_path: Path,
) -> None:
    from trafficking_triage.settings.asking import asked_settings
    from trafficking_triage.settings.loader import load_settings

    answers = iter(
        [
            "",  # the agency's name must be given: asked again
            "Example County 911",
            "XX",  # not a country: asked again
            "us",
            "Det. A. Rivera",
            "555-01",  # too short: said, asked again
            "(312) 555-0100",
            "",  # no tip line: left out, NOT CONFIGURED
            "County child protective services",
            "(312) 555-0150",
            "Fire/EMS dispatch",
            "Fire dispatch",  # a radio channel
        ]
    )
    said: list[str] = []
    text = asked_settings(lambda _prompt: next(answers), said.append)
    assert any("not a country code" in line for line in said)
    assert any("too short" in line for line in said)
    path = tmp_path / "agency.yaml"
    path.write_text(text)
    path.chmod(0o600)
    settings = load_settings(path).settings  # validates
    assert settings.agency.name == "Example County 911" and settings.agency.country == "US"
    assert settings.point_of_contact is not None
    assert settings.point_of_contact.phone == "(312) 555-0100"
    assert settings.tip_line is None  # left out: still commented in the file
    assert "# tip_line:" in text and "#   name: Your area's Crime Stoppers" in text
    assert settings.medical is not None and settings.medical.radio == "Fire dispatch"
    assert "# The person your agency names for human trafficking cases" in text  # comments kept
