"""Dates: absolute ones to aware UTC, relative French and English ages against the fetch time."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

_UNITS = {
    "seconde": timedelta(seconds=1),
    "second": timedelta(seconds=1),
    "sec": timedelta(seconds=1),
    "minute": timedelta(minutes=1),
    "min": timedelta(minutes=1),
    "heure": timedelta(hours=1),
    "hour": timedelta(hours=1),
    "h": timedelta(hours=1),
    "jour": timedelta(days=1),
    "day": timedelta(days=1),
    "j": timedelta(days=1),
    "semaine": timedelta(weeks=1),
    "week": timedelta(weeks=1),
    "mois": timedelta(days=30),
    "month": timedelta(days=30),
    "an": timedelta(days=365),
    "année": timedelta(days=365),
    "year": timedelta(days=365),
}

_RELATIVE = re.compile(
    r"(?:il y a|ago|posted)?\s*(?P<n>\d+|un|une|a|an)\s*(?P<unit>[a-zéû]+)\b(?:\s*ago)?",
    re.IGNORECASE,
)
_WORD_NUMBERS = {"un": 1, "une": 1, "a": 1, "an": 1}


def to_utc(dt: datetime) -> datetime:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def parse_relative_age(text: str | None, now: datetime) -> datetime | None:
    """'Il y a 9 minutes' or '3 hours ago' resolved against ``now`` (aware)."""
    if not text:
        return None
    flat = " ".join(text.split()).lower()
    if flat in {"à l'instant", "a l'instant", "just now", "maintenant", "now"}:
        return to_utc(now)
    if flat in {"hier", "yesterday"}:
        return to_utc(now) - timedelta(days=1)
    match = _RELATIVE.search(flat)
    if not match:
        return None
    raw_n = match.group("n")
    n = _WORD_NUMBERS.get(raw_n) if not raw_n.isdigit() else int(raw_n)
    unit = match.group("unit")
    step = _UNITS.get(unit) or _UNITS.get(unit.rstrip("s"))
    if n is None or step is None:
        return None
    return to_utc(now) - n * step


def parse_date(value: object) -> datetime | None:
    """An aware UTC datetime from an ISO string, an RFC 822 date or epoch seconds."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return to_utc(value)
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        seconds = float(value)
        if seconds > 1e11:  # milliseconds
            seconds /= 1000
        return datetime.fromtimestamp(seconds, UTC)
    text = str(value).strip()
    try:
        return to_utc(datetime.fromisoformat(text))
    except ValueError:
        pass
    try:
        return to_utc(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        return None
