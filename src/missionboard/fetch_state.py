"""What fetch remembers between runs, beside the validators the Store already keeps.

Per URL: the RSS ``<ttl>`` and the ``Cache-Control: max-age`` the site sent (a floor on how often the
source is fetched) and a ``Retry-After`` deadline; per origin: the robots.txt body. Every write is
one short transaction on the caller's Store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from missionboard.model import iso, utc_now
from missionboard.store import Store

# A site asking for more than a day between fetches is ignored past one day: cron users expect news.
MAX_FRESHNESS = 86400


@dataclass(slots=True)
class UrlState:
    etag: str | None = None
    last_modified: str | None = None
    ttl: int | None = None
    max_age: int | None = None
    retry_after: datetime | None = None

    @property
    def freshness(self) -> int:
        """Seconds the site says its answer stays fresh (0 when it says nothing)."""
        return min(max(self.ttl or 0, self.max_age or 0), MAX_FRESHNESS)


def get_url_state(store: Store, url: str) -> UrlState:
    row = store.execute(
        "SELECT etag, last_modified, ttl, max_age, retry_after FROM http_cache WHERE url = ?",
        (url,),
    ).fetchone()
    if row is None:
        return UrlState()
    retry = datetime.fromisoformat(row["retry_after"]) if row["retry_after"] else None
    return UrlState(row["etag"], row["last_modified"], row["ttl"], row["max_age"], retry)


def save_response_meta(
    store: Store,
    url: str,
    etag: str | None,
    last_modified: str | None,
    *,
    max_age: int | None,
    ttl: int | None = None,
    body_seen: bool,
) -> None:
    """After a 200 (``body_seen``) or a 304: new validators replace old ones, Retry-After is cleared.

    A 304 carries no body, so the feed's ``<ttl>`` read from the last 200 is kept.
    """
    store.save_validators(url, etag, last_modified)
    with store.transaction() as conn:
        if body_seen:
            conn.execute(
                "UPDATE http_cache SET ttl = ?, max_age = ?, retry_after = NULL WHERE url = ?",
                (ttl, max_age, url),
            )
        else:
            conn.execute(
                "UPDATE http_cache SET max_age = ?, retry_after = NULL WHERE url = ?",
                (max_age, url),
            )


def save_retry_after(store: Store, url: str, when: datetime) -> None:
    """Remember that the site asked not to be asked again before ``when``."""
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO http_cache (url, checked_at, retry_after) VALUES (?, ?, ?) "
            "ON CONFLICT(url) DO UPDATE SET retry_after = excluded.retry_after",
            (url, iso(utc_now()), iso(when)),
        )


def last_run_started(store: Store, source: str) -> datetime | None:
    row = store.execute(
        "SELECT started_at FROM source_runs WHERE source = ? ORDER BY id DESC LIMIT 1", (source,)
    ).fetchone()
    return datetime.fromisoformat(row["started_at"]) if row else None


def get_robots(store: Store, origin: str, max_age: timedelta) -> tuple[int, str] | None:
    """The cached robots.txt (status, body) of an origin, if younger than ``max_age``."""
    row = store.execute(
        "SELECT status, body, fetched_at FROM robots_cache WHERE origin = ?", (origin,)
    ).fetchone()
    if row is None or utc_now() - datetime.fromisoformat(row["fetched_at"]) > max_age:
        return None
    return row["status"], row["body"]


def save_robots(store: Store, origin: str, status: int, body: str) -> None:
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO robots_cache (origin, status, body, fetched_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(origin) DO UPDATE SET status = excluded.status, body = excluded.body, "
            "fetched_at = excluded.fetched_at",
            (origin, status, body, iso(utc_now())),
        )
