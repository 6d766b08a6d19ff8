"""The shape of agency.yaml: strict models, so a misspelt key is an error, never ignored."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo
from pydantic_core import PydanticCustomError

from ..protocol.models import Text

DEFAULT_COUNTRY = "US"

# A number is written with digits, letters (vanity numbers), spaces and + ( ) . / -, and may
# end with an extension ("ext 12", "x12"); a short code is one word once its separators are
# gone (711, 9-1-1, TIP411).
_NUMBER = re.compile(r"^\+?[0-9A-Za-z ()./-]+?(\s*(ext\.?|x)\s*\d{1,6})?$")
_EXTENSION = re.compile(r"\s*(ext\.?|x)\s*\d{1,6}$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[ ()./-]+")
_WRITTEN = "digits, letters for a vanity number, spaces, + ( ) . / - and an extension (ext 12)"


def phone_problem(value: str, country: str) -> str | None:
    """Why `value` is not a number a dispatcher in `country` can dial, or None. Accepted: a
    number valid in that country's numbering plan (or abroad, written with + and valid
    there), a local number dialled without its area code, a short code of the country (N11
    numbers such as 211, 311, 711 and 911; text short codes), vanity letters in any of them
    (1-800-222-TIPS), and an extension. Every refusal says why."""
    import phonenumbers
    from phonenumbers import shortnumberinfo

    if not _NUMBER.match(value):
        return f"'{value}' is not a phone number (write it with {_WRITTEN})"
    if not any(ch.isdigit() for ch in value):
        return f"'{value}' is not a phone number: it has no digits"
    if re.search(r"([A-Za-z])\1\1", value):
        return f"'{value}' is not a phone number: it looks like a placeholder"
    main = _EXTENSION.sub("", value)  # the extension is dialled after the number
    digits = phonenumbers.convert_alpha_characters_in_number(main.upper())
    try:
        number = phonenumbers.parse(digits, country)
    except phonenumbers.NumberParseException as error:
        why = {
            phonenumbers.NumberParseException.INVALID_COUNTRY_CODE: "no such country code",
            phonenumbers.NumberParseException.TOO_LONG: "too long",
        }.get(error.error_type, "too short")
        return f"'{value}' is not a phone number ({why})"
    groups = [group for group in _SEPARATORS.split(main.upper()) if group]
    word = "".join(groups)
    one_word = len(groups) == 1 or all(len(group) == 1 for group in groups)  # 711, 9-1-1
    if not main.startswith("+") and one_word and re.fullmatch(r"[0-9A-Z]{1,6}", word):
        if shortnumberinfo.is_valid_short_number_for_region(number, country):
            return None
        return f"'{value}' is not a short code in {country}"
    if phonenumbers.is_valid_number(number):
        return None
    reason = phonenumbers.is_possible_number_with_reason(number)
    local = str(number.national_number)
    if (
        reason == phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY
        and not main.startswith("+")  # written with its country code, it must be whole
        and (number.country_code != 1 or local[0] not in "01")  # no exchange starts 0 or 1
    ):
        return None  # dialled within the area, without its area code
    why = {
        phonenumbers.ValidationResult.TOO_SHORT: "too short",
        phonenumbers.ValidationResult.TOO_LONG: "too long",
        phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: "no such country code",
    }.get(reason, "no such number")
    return f"'{value}' is not a phone number in {country} ({why})"


def _phone(value: str, info: ValidationInfo) -> str:
    country = (info.context or {}).get("country", DEFAULT_COUNTRY)
    problem = phone_problem(value, country)
    if problem is not None:
        raise PydanticCustomError("phone", problem)
    return value


Phone = Annotated[str, AfterValidator(_phone)]


def _country(value: str) -> str:
    import phonenumbers

    value = value.upper()
    if value not in phonenumbers.SUPPORTED_REGIONS:
        raise PydanticCustomError(
            "country",
            "'{value}' is not a country code (two capital letters, ISO 3166: US, CA, MX)",
            {"value": value},
        )
    return value


Country = Annotated[str, AfterValidator(_country)]


def _store(value: str) -> str:
    from ..records.where import address_problem

    problem = address_problem(value)
    if problem is not None:
        raise PydanticCustomError("store", "{problem}", {"problem": problem})
    return value


RADIO_PLACEHOLDERS = (
    "location",
    "incident",
    "callback",
    "weapons",
    "controller_nearby",
    "people",
    "minors",
    "language",
    "interpreter",
    "suspects",
    "vehicles",
)
"""What a radio alert may name in braces, filled in from what the caller said (the facts of
the shipped protocol) and what the CAD passed in (incident)."""


def _radio_alert(value: str) -> str:
    from ..protocol.texts import placeholders

    try:
        named = placeholders(value)
    except ValueError as error:
        raise PydanticCustomError("placeholder", str(error)) from None
    for name in named:
        if name not in RADIO_PLACEHOLDERS:
            raise PydanticCustomError(
                "placeholder",
                "no placeholder called '{name}' (these can be filled in: {known})",
                {"name": name, "known": ", ".join(RADIO_PLACEHOLDERS)},
            )
    return value


RadioAlert = Annotated[Text, AfterValidator(_radio_alert)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _domain(value: str) -> str:
    if not re.fullmatch(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}", value):
        raise ValueError("a domain name, as the agency's own (psap.example-county.gov)")
    return value


class Agency(Strict):
    name: Text
    country: Country = DEFAULT_COUNTRY
    """Where the agency is: its phone numbers are checked against this country's numbering."""
    domain: Annotated[str, AfterValidator(_domain)] | None = None
    """The agency's domain name: its id in the incident data it exports (NENA's EIDO)."""


class Person(Strict):
    """Someone to notify: the trafficking point of contact, the supervisor."""

    name: Text
    phone: Phone | None = None
    radio: Text | None = None
    """A radio channel or unit to reach them on."""


class TipLine(Strict):
    name: Text
    phone: Phone | None = None
    web: Text | None = None


class Resource(Strict):
    """A local service shown on the reference and outcome screens."""

    name: Text
    phone: Phone | None = None
    web: Text | None = None
    note: Text | None = None


class AgencySettings(Strict):
    agency: Agency
    point_of_contact: Person | None = None
    tip_line: TipLine | None = None
    supervisor: Person | None = None
    medical: Person | None = None
    """How medical help (EMS) is requested for someone hurt."""
    child_protection: Person | None = None
    """Who is told when a minor is involved: child protective services, a youth unit."""
    first_aid: bool = False
    """Whether dispatchers may read the protocol's first-aid words to a caller with someone
    hurt (many centers allow only a medical dispatch protocol's instructions)."""

    @property
    def allows(self) -> frozenset[str]:
        """What the protocol's additions may need the agency to allow (`allowed_if`)."""
        return frozenset({"first_aid"}) if self.first_aid else frozenset()

    radio_alerts: list[RadioAlert] = Field(default_factory=list)
    """The wording of radio alerts; the RADIO_PLACEHOLDERS in braces are filled in from the
    call."""
    resources: list[Resource] = Field(default_factory=list)
    store: Annotated[Text, AfterValidator(_store)] | None = None
    """Where the center keeps its call records: a PostgreSQL address (postgresql://HOST/DB or
    service=NAME, never with a password), else each console's own data directory."""
