"""Putting the agency's numbers into the protocol's contacts, for the outcome screen.

A contact the protocol marks as an agency setting gets its details from agency.yaml; when the
agency has not set them it stays unconfigured, and the screen says so. Nothing is invented."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ..protocol.models import Protocol
    from .models import AgencySettings

# Which section of agency.yaml fills which contact of the shipped protocol.
SECTION_FOR_CONTACT = {
    "poc": "point_of_contact",
    "tip_line": "tip_line",
    "supervisor": "supervisor",
    "ems": "medical",
    "child_protection": "child_protection",
}


class ResolvedContact(NamedTuple):
    name: str
    role: str
    numbers: tuple[tuple[str, str], ...]
    """(kind, value) pairs: phone, text, TTY, radio, web."""
    configured: bool
    if_not_set: str | None = None
    """What to do instead while it is not configured."""


def resolve_contacts(
    protocol: Protocol, settings: AgencySettings | None
) -> dict[str, ResolvedContact]:
    resolved = {}
    for contact_id, contact in protocol.contacts.items():
        numbers: list[tuple[str, str]] = [
            (kind, value)
            for kind, value in (
                ("phone", contact.phone),
                ("text", contact.text_line),
                ("TTY", contact.tty),
                ("web", contact.web),
            )
            if value
        ]
        name = contact.name
        if contact.agency_setting:
            section = SECTION_FOR_CONTACT.get(contact_id)
            found = getattr(settings, section, None) if settings and section else None
            if found is not None:
                if found.name != contact.name:
                    name = f"{contact.name}: {found.name}"
                for kind in ("phone", "radio", "web"):
                    value = getattr(found, kind, None)
                    if value:
                        numbers.append((kind, value))
        resolved[contact_id] = ResolvedContact(
            name=name,
            role=contact.role,
            numbers=tuple(numbers),
            configured=bool(numbers),
            if_not_set=contact.if_not_set,
        )
    return resolved


SHORT_NAMES = {
    "poc": "point of contact",
    "tip_line": "tip line",
    "child_protection": "child protection",
}


def missing_settings(protocol: Protocol, settings: AgencySettings | None) -> list[str]:
    """Short names of the agency contacts that are not set (for the start-of-call warning)."""
    contacts = resolve_contacts(protocol, settings)
    return [
        name
        for contact_id, name in SHORT_NAMES.items()
        if contact_id in contacts and not contacts[contact_id].configured
    ]
