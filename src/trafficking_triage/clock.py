"""The one clock rule for people: a time is shown in local time with its UTC offset, on the
screen, in `records` and in every export ("2026-11-30 14:05:09 -06:00"), so a time read in a
review meeting, a CAD remark or a spreadsheet is never taken for another zone's.

Records keep the instant in UTC (whatever the zone of the console that wrote it); only what a
person reads is local."""

from __future__ import annotations

from datetime import UTC, date, datetime, time


def _offset(at: datetime) -> str:
    sign_hours_minutes = at.strftime("%z")  # "-0600"
    return f"{sign_hours_minutes[:3]}:{sign_hours_minutes[3:5]}"


def stamp(at: datetime) -> str:
    """Day, time and offset: "2026-11-30 14:05:09 -06:00"."""
    here = at.astimezone()
    return f"{here:%Y-%m-%d %H:%M:%S} {_offset(here)}"


def time_of_day(at: datetime) -> str:
    """Time and offset: "14:05:09 -06:00"."""
    here = at.astimezone()
    return f"{here:%H:%M:%S} {_offset(here)}"


def iso(at: datetime) -> str:
    """For JSON: ISO 8601 in local time with its offset ("2026-11-30T14:05:09.120000-06:00")."""
    return at.astimezone().isoformat()


def day_start(day: date) -> datetime:
    """The moment a local day begins, as a UTC time (what a call's start is kept in)."""
    return datetime.combine(day, time()).astimezone().astimezone(UTC)


def local_day(at: datetime) -> date:
    """The local day a time falls on (what `records list --since/--until` compare)."""
    return at.astimezone().date()
