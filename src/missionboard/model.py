"""The mission record: pure data, no I/O.

A source parser produces a :class:`RawMission` (what the site said, as close to its own words as
possible); the normaliser turns it into a :class:`Mission` (what missionboard understands). The raw
record is stored too, so a better normaliser can re-run over the whole store without fetching.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


class Remote(StrEnum):
    REMOTE = "remote"
    HYBRID = "hybrid"
    ONSITE = "onsite"
    UNKNOWN = "unknown"


class Category(StrEnum):
    DEV = "dev"
    DESIGN = "design"
    MARKETING = "marketing"
    WRITING = "writing"
    TRANSLATION = "translation"
    ADMIN = "admin"
    DATA = "data"
    OTHER = "other"


class Contract(StrEnum):
    FREELANCE = "freelance"
    EMPLOYMENT = "employment"
    UNKNOWN = "unknown"


class BudgetKind(StrEnum):
    FIXED = "fixed"
    DAILY = "daily"
    HOURLY = "hourly"
    MONTHLY = "monthly"
    YEARLY = "yearly"
    QUOTE = "quote"
    UNKNOWN = "unknown"


class Status(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    IN_PROGRESS = "in_progress"
    UNKNOWN = "unknown"


class Pipeline(StrEnum):
    NEW = "new"
    INTERESTED = "interested"
    APPLIED = "applied"
    WON = "won"
    LOST = "lost"


@dataclass(frozen=True, slots=True)
class Budget:
    kind: BudgetKind = BudgetKind.UNKNOWN
    min: float | None = None
    max: float | None = None
    currency: str | None = None
    raw: str = ""

    @classmethod
    def unknown(cls, raw: str = "") -> Budget:
        return cls(BudgetKind.UNKNOWN, None, None, None, raw)


@dataclass(slots=True)
class RawMission:
    """What one source said about one mission, before any interpretation.

    Every field a source provides lands here as text or numbers in the site's own terms; the
    normaliser decides what they mean. ``extra`` keeps anything else worth re-reading later.
    """

    source: str
    native_id: str
    url: str
    title: str
    description: str = ""
    client: str = ""
    posted_at: datetime | None = None
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    budget_text: str = ""
    salary_min: float | None = None
    salary_max: float | None = None
    salary_currency: str | None = None
    salary_period: str | None = None
    remote_field: str | None = None
    location: str = ""
    contract_field: str = ""
    status: str = ""
    offers: int | None = None
    views: int | None = None
    language: str = ""
    fetched_at: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def uid(self) -> str:
        return f"{self.source}:{self.native_id}"

    def to_json(self) -> dict[str, Any]:
        # A shallow copy field by field: dataclasses.asdict deep-copies and is several times slower.
        data = {f.name: getattr(self, f.name) for f in _RAW_FIELDS}
        data["tags"] = list(self.tags)
        data["categories"] = list(self.categories)
        data["extra"] = dict(self.extra)
        for key in ("posted_at", "fetched_at"):
            if data[key] is not None:
                data[key] = data[key].isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RawMission:
        known = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        for key in ("posted_at", "fetched_at"):
            if values.get(key):
                values[key] = datetime.fromisoformat(values[key])
        return cls(**values)


_RAW_FIELDS = dataclasses.fields(RawMission)


@dataclass(slots=True)
class Mission:
    """A normalised mission, as stored and shown."""

    uid: str
    source: str
    url: str
    title: str
    description: str = ""
    client: str = ""
    posted_at: datetime | None = None
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    category: Category = Category.OTHER
    skills: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    remote: Remote = Remote.UNKNOWN
    remote_evidence: str = ""
    remote_region: str = ""
    budget: Budget = field(default_factory=Budget)
    daily_rate: float | None = None
    contract: Contract = Contract.UNKNOWN
    status: Status = Status.UNKNOWN
    offers: int | None = None
    views: int | None = None
    language: str = ""


@dataclass(slots=True)
class UserState:
    """What the user said about a mission; no fetch, reparse or dedup ever changes it."""

    uid: str
    read: bool = False
    starred: bool = False
    hidden: bool = False
    pipeline: Pipeline = Pipeline.NEW
    note: str = ""
    snoozed_until: datetime | None = None


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def iso(dt: datetime | None) -> str | None:
    """ISO 8601 in UTC with an explicit offset, or None."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).replace(microsecond=0).isoformat()
