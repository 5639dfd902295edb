"""Fetch: download each enabled source's endpoints and ingest them, one source's failure never
stopping the others. Conditional GET (ETag / Last-Modified) makes an unchanged feed cost one 304.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import httpx

from missionboard import USER_AGENT
from missionboard.config import FetchSettings
from missionboard.health import combine_coverage
from missionboard.ingest import ingest_body
from missionboard.model import utc_now
from missionboard.sources.parsers import ParseError
from missionboard.sources.recipe import Recipe
from missionboard.store import Store, StoreError, UpsertResult


class FetchError(Exception):
    """One endpoint could not be fetched; the message says why in a few words."""


@dataclass(slots=True)
class SourceReport:
    name: str
    status: str = "ok"  # ok, error
    items: int = 0
    result: UpsertResult = field(default_factory=UpsertResult)
    not_modified: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def line(self) -> str:
        """One line for the end-of-fetch summary."""
        counts = (
            f"{len(self.result.new)} new, {len(self.result.updated)} updated, "
            f"{len(self.result.unchanged)} unchanged"
        )
        if self.not_modified:
            counts += f", {self.not_modified} not modified"
        if self.errors:
            return f"{self.name}: error: {'; '.join(self.errors)} ({counts})"
        warning = f" (warning: {'; '.join(self.warnings)})" if self.warnings else ""
        return f"{self.name}: {counts}{warning}"


def _describe(exc: Exception) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect ({exc})" if str(exc) else "cannot connect"
    if isinstance(exc, httpx.TooManyRedirects):
        return "too many redirects"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the server broke the connection ({exc})"
    if isinstance(exc, httpx.HTTPError):
        return f"{type(exc).__name__}: {exc}"
    return str(exc)


def download(client: httpx.Client, store: Store, url: str, settings: FetchSettings) -> bytes | None:
    """GET a URL with the saved validators; None on 304. Raises FetchError on any failure."""
    etag, last_modified = store.get_validators(url)
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        with client.stream("GET", url, headers=headers) as response:
            if response.status_code == 304:
                store.save_validators(
                    url, response.headers.get("etag"), response.headers.get("last-modified")
                )
                return None
            if response.status_code != 200:
                raise FetchError(f"HTTP {response.status_code} from {url}")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > settings.max_bytes:
                    raise FetchError(
                        f"response larger than {settings.max_bytes // 1024 // 1024} MB, dropped"
                    )
                chunks.append(chunk)
            body = b"".join(chunks)
            validators = (response.headers.get("etag"), response.headers.get("last-modified"))
    except httpx.HTTPError as exc:
        raise FetchError(_describe(exc)) from None
    # Validators are saved only after the body was read whole, so a truncated body is fetched again.
    store.save_validators(url, *validators)
    return body


def fetch_source(
    client: httpx.Client, store: Store, recipe: Recipe, settings: FetchSettings
) -> SourceReport:
    report = SourceReport(recipe.name)
    started = utc_now()
    coverages: list[tuple[int, dict[str, float]]] = []
    for endpoint in recipe.active_endpoints():
        queue = [(recipe.url(endpoint), 1)]
        while queue:
            url, page = queue.pop(0)
            try:
                body = download(client, store, url, settings)
                if body is None:
                    report.not_modified += 1
                    continue
                if not (endpoint.discover and page == 1):
                    ingested = ingest_body(store, recipe, endpoint, body, utc_now(), url)
                    report.items += ingested.items
                    report.result.merge(ingested.result)
                    report.warnings += ingested.warnings
                    coverages.append((ingested.items, ingested.coverage))
                queue += [(u, page + 1) for u in recipe.follow_ups(endpoint, body, url, page)]
            except (FetchError, ParseError) as exc:
                report.errors.append(f"{endpoint.name}: {exc}")
    report.status = "ok" if report.ok else "error"
    store.record_run(
        recipe.name, started, report.status, "; ".join(report.errors), report.items, report.result,
        coverage=combine_coverage(coverages),
    )  # fmt: skip
    return report


def fetch_all(
    store: Store,
    recipes: list[Recipe],
    settings: FetchSettings,
    *,
    transport: httpx.BaseTransport | None = None,
    now: datetime | None = None,
) -> list[SourceReport]:
    """Fetch every given recipe in turn; a source that fails is reported and the others go on."""
    timeout = httpx.Timeout(settings.timeout, connect=min(10.0, settings.timeout))
    headers = {"User-Agent": settings.user_agent or USER_AGENT, "Accept-Encoding": "gzip, deflate"}
    reports = []
    with httpx.Client(
        timeout=timeout,
        headers=headers,
        follow_redirects=True,
        max_redirects=5,
        transport=transport,
    ) as client:
        for recipe in recipes:
            try:
                reports.append(fetch_source(client, store, recipe, settings))
            except StoreError:
                raise
            except Exception as exc:  # noqa: BLE001 - one broken source must never stop the others
                report = SourceReport(
                    recipe.name, status="error", errors=[f"unexpected error: {exc!r}"]
                )
                reports.append(report)
    return reports
