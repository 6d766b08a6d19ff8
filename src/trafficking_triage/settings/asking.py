"""`agency init` in a terminal: the questions an agency's IT person answers (agency, country,
point of contact, tip line, child protection, medical help), each number checked as it is
typed, and the commented template written with those sections filled in. Anything not
answered stays commented out, shown to dispatchers as NOT CONFIGURED."""

from __future__ import annotations

import json
from collections.abc import Callable

from .template import TEMPLATE

Ask = Callable[[str], str]

SECTIONS = (
    # (section, what it is, the kind of its number)
    ("point_of_contact", "The trafficking point of contact (a person or unit)", "phone"),
    ("tip_line", "The anonymous tip line (such as your Crime Stoppers)", "phone"),
    ("child_protection", "Child protection, for anyone under 18", "phone"),
    ("medical", "Medical help (EMS): how it is requested", "radio"),
)


def _country(ask: Ask, say: Callable[[str], None]) -> str:
    import phonenumbers

    while True:
        given = ask("Country, two letters (ISO 3166) [US]: ").strip().upper() or "US"
        if given in phonenumbers.SUPPORTED_REGIONS:
            return given
        say(f"  '{given}' is not a country code: two capital letters, such as US, CA, MX.")


def _number(ask: Ask, say: Callable[[str], None], prompt: str, country: str) -> str:
    from .models import phone_problem

    while True:
        given = ask(prompt).strip()
        if not given:
            return ""
        problem = phone_problem(given, country)
        if problem is None:
            return given
        say(f"  {problem}. Type it again, or Enter to leave it out.")


def asked_settings(ask: Ask, say: Callable[[str], None]) -> str:
    """The settings file's text from the answers (YAML, commented as the template is)."""
    say("Agency settings: Enter leaves a section out (it shows as NOT CONFIGURED).")
    name = ""
    while not name:
        name = ask("Agency name: ").strip()
    country = _country(ask, say)
    filled: dict[str, dict[str, str]] = {}
    for section, what, kind in SECTIONS:
        say(f"\n{what}")
        who = ask("  name (Enter to leave out): ").strip()
        if not who:
            continue
        entry = {"name": who}
        if kind == "phone":
            number = _number(ask, say, "  phone: ", country)
        else:
            number = ask("  radio channel or unit (Enter for none): ").strip()
            if not number:
                number = _number(ask, say, "  or phone: ", country)
                kind = "phone"
        if number:
            entry[kind] = number
        filled[section] = entry
    return fill_template(name, country, filled)


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a YAML double-quoted scalar


def fill_template(name: str, country: str, filled: dict[str, dict[str, str]]) -> str:
    """The template with the agency, and each section answered, written out (uncommented);
    the rest of the template as it is."""
    text = TEMPLATE.replace(
        "agency:\n  name: Name of your agency\n",
        f"agency:\n  name: {_quoted(name)}\n",
        1,
    ).replace("  country: US\n", f"  country: {country}\n", 1)
    for section, entry in filled.items():
        commented = f"# {section}:\n"
        at = text.index(commented)
        end = at + len(commented)
        while text.startswith("#   ", end):  # its example lines
            end = text.index("\n", end) + 1
        lines = [f"{section}:"] + [f"  {key}: {_quoted(value)}" for key, value in entry.items()]
        text = text[:at] + "\n".join(lines) + "\n" + text[end:]
    return text
