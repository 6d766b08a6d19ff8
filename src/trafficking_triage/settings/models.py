"""The shape of agency.yaml: strict models, so a misspelt key is an error, never ignored."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from ..protocol.models import Text

# Digits, spaces and ( ) . - with an optional leading +, or a vanity number such as
# 1-800-222-TIPS; at least three digits either way (711 is a real number).
_PHONE = re.compile(r"^\+?[0-9A-Z(][0-9A-Z ().-]{1,24}$")


def _phone(value: str) -> str:
    if not _PHONE.match(value) or sum(ch.isdigit() for ch in value) < 3:
        raise PydanticCustomError(
            "phone_shape",
            "'{value}' does not look like a phone number",
            {"value": value},
        )
    return value


Phone = Annotated[str, AfterValidator(_phone)]

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
    import string

    try:
        named = [field for _, field, _, _ in string.Formatter().parse(value) if field is not None]
    except ValueError:
        raise PydanticCustomError(
            "placeholder", "a brace that opens no placeholder (write {{ or }} for a brace)"
        ) from None
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


class Agency(Strict):
    name: Text


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
    radio_alerts: list[RadioAlert] = Field(default_factory=list)
    """The wording of radio alerts; the RADIO_PLACEHOLDERS in braces are filled in from the
    call."""
    resources: list[Resource] = Field(default_factory=list)
