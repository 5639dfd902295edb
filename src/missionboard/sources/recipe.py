"""Recipes: one TOML file per marketplace says where its missions are and how to read them.

Built-in recipes ship in the wheel (the top-level ``sources/`` folder of the repository); recipes in
the user's config folder (``<config>/sources/*.toml``) are loaded too and override a built-in one of
the same name. ``[[feeds]]`` in the config become one-endpoint RSS recipes.
"""

from __future__ import annotations

import dataclasses
import difflib
import importlib
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus, urljoin, urlsplit, urlunsplit

from missionboard.model import RawMission, Remote
from missionboard.normalise import SourceDefaults
from missionboard.sources.fields import FieldSpec, RecipeError, compile_spec
from missionboard.sources.parsers import ITERATORS, next_page_urls

RAW_FIELDS = {f.name for f in dataclasses.fields(RawMission)} - {"source", "fetched_at", "extra"}
KINDS = set(ITERATORS)
RECIPE_KEYS = {
    "name", "title", "homepage", "base_url", "enabled", "language", "currency", "contract",
    "remote_prior", "min_interval", "category_map", "status_map", "endpoints", "hook", "terms",
    "description",
}  # fmt: skip
ENDPOINT_KEYS = {
    "kind",
    "path",
    "enabled",
    "items",
    "fields",
    "hook",
    "next",
    "max_pages",
    "params",
    "headers",
    "discover",
    "only",
    "skip",
}

Hook = Callable[[RawMission, dict[str, Any]], RawMission | None]
# A discover hook reads the body of an endpoint's own URL and returns the URLs that hold the missions
# (Hacker News: the list of "Who is hiring" stories -> the comments of the newest one).
Discover = Callable[[bytes, str], list[str]]


@dataclass(slots=True)
class Endpoint:
    name: str
    kind: str
    path: str
    enabled: bool = True
    items: str = ""
    fields: dict[str, FieldSpec] = field(default_factory=dict)
    hook: Hook | None = None
    next: str = ""
    max_pages: int = 1
    params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    discover: Discover | None = None
    # Pagination by query parameter: a cursor read at ``next`` or a counter raised by ``next_step``.
    next_param: str = ""
    next_step: int = 0
    # Item filters on mapped field values: keep an item only if every ``only`` pattern matches
    # (Reddit: hiring posts), drop it if any ``skip`` pattern matches (RemoteOK's legal notice).
    only: dict[str, re.Pattern[str]] = field(default_factory=dict)
    skip: dict[str, re.Pattern[str]] = field(default_factory=dict)

    def keeps(self, values: dict[str, Any]) -> bool:
        """Whether an item passes the endpoint's ``only`` and ``skip`` filters."""

        def text(name: str) -> str:
            value = values.get(name)
            if value is None:
                return ""
            return " ".join(map(str, value)) if isinstance(value, list) else str(value)

        if any(not pattern.search(text(name)) for name, pattern in self.only.items()):
            return False
        return not any(pattern.search(text(name)) for name, pattern in self.skip.items())


@dataclass(slots=True)
class Recipe:
    name: str
    title: str
    base_url: str
    endpoints: dict[str, Endpoint]
    defaults: SourceDefaults = field(default_factory=SourceDefaults)
    homepage: str = ""
    enabled: bool = True
    min_interval: int = 600
    hook: Hook | None = None
    terms: str = ""
    origin: str = ""
    # The site's own base URL, kept when the config points base_url elsewhere (a mirror, a test
    # server), so absolute links found in responses are sent to the same place.
    canonical_base_url: str = ""
    # Search words from the config ([sources.NAME] query = "..."), for endpoints with {query}.
    query: str = ""

    def __post_init__(self) -> None:
        self.canonical_base_url = self.canonical_base_url or self.base_url

    def rebase(self, url: str) -> str:
        """A link on the site's own host, moved to the configured base_url (path and query kept)."""
        home = urlsplit(self.canonical_base_url)
        target = urlsplit(url)
        if self.base_url == self.canonical_base_url or target.netloc.lower() != home.netloc.lower():
            return url
        base = urlsplit(self.base_url)
        prefix = base.path.rstrip("/")
        path = target.path
        if home.path.rstrip("/") and path.startswith(home.path.rstrip("/")):
            path = path[len(home.path.rstrip("/")) :]
        return urlunsplit((base.scheme, base.netloc, prefix + path, target.query, ""))

    def url(self, endpoint: Endpoint) -> str:
        """The absolute URL of an endpoint (a path joined to base_url, or a full URL as is).

        ``{query}`` in the path takes the source's configured search words, URL-encoded.
        """
        path = endpoint.path.replace("{query}", quote_plus(self.query))
        if urlsplit(path).scheme:
            return path
        return urljoin(self.base_url.rstrip("/") + "/", path.lstrip("/"))

    def active_endpoints(self) -> list[Endpoint]:
        """Enabled endpoints; a search endpoint (``{query}`` in its path) only once a query is set."""
        return [
            e
            for e in self.endpoints.values()
            if e.enabled and (self.query or "{query}" not in e.path)
        ]

    def follow_ups(self, endpoint: Endpoint, body: bytes, url: str, page: int = 1) -> list[str]:
        """The URLs to fetch after ``url`` for this endpoint, parsed with the same fields.

        ``page`` is the 1-based number of the page ``body`` came from. With a ``discover`` hook, the
        endpoint's own URL (page 1) holds no missions: the hook names the URLs that do. Otherwise
        the ``next`` selector (HTML ``<link rel=next>``, a JSON path) gives the next page, up to
        ``max_pages``. The fetcher calls this after each body it downloads.
        """
        if endpoint.discover is not None and page == 1:
            return [self.rebase(urljoin(url, u)) for u in endpoint.discover(body, url)]
        if not (endpoint.next or endpoint.next_param) or page >= endpoint.max_pages:
            return []
        return [self.rebase(urljoin(url, u)) for u in next_page_urls(endpoint, body, url)]

    def parse(
        self,
        endpoint: Endpoint,
        body: bytes,
        fetched_at: datetime,
        url: str = "",
        warnings: list[str] | None = None,
    ) -> list[RawMission]:
        """Every mission in one response body; items without an id, url or title are skipped."""
        warnings = warnings if warnings is not None else []
        base = url or self.url(endpoint)
        missions: list[RawMission] = []
        skipped = 0
        posted_spec = endpoint.fields.get("posted_at")
        approx_dates = posted_spec is not None and posted_spec.type == "relative_age"
        for values in ITERATORS[endpoint.kind](endpoint, body, fetched_at, base, warnings):
            if not endpoint.keeps(values):
                continue
            raw = self._raw_from(values, fetched_at, base)
            if approx_dates and raw.posted_at is not None:
                raw.extra["posted_at_approx"] = True
            for hook in (endpoint.hook, self.hook):
                if raw is not None and hook is not None:
                    raw = hook(raw, values)
            if raw is None:
                continue
            if not (raw.native_id and raw.title and raw.url):
                skipped += 1
                continue
            missions.append(raw)
        if skipped:
            warnings.append(f"{skipped} item(s) without an id, a title or a link were skipped")
        return missions

    def _raw_from(self, values: dict[str, Any], fetched_at: datetime, base: str) -> RawMission:
        known = {k: v for k, v in values.items() if k in RAW_FIELDS and v is not None}
        extra = {k: v for k, v in values.items() if k not in RAW_FIELDS and v is not None}
        for key, value in extra.items():
            if isinstance(value, datetime):  # extras are stored as JSON
                extra[key] = value.isoformat()
        for key in ("tags", "categories"):
            if key in known and not isinstance(known[key], list):
                known[key] = [known[key]]
        for key in ("native_id", "url", "title", "description", "client", "budget_text", "location",
                    "contract_field", "status", "language", "remote_field"):  # fmt: skip
            if key in known and not isinstance(known[key], str):
                known[key] = str(known[key])
        if "url" in known:
            known["url"] = urljoin(base, known["url"])
        if not known.get("native_id") and known.get("url"):
            known["native_id"] = known["url"]
        known.setdefault("native_id", "")
        known.setdefault("url", "")
        known.setdefault("title", "")
        return RawMission(source=self.name, fetched_at=fetched_at, extra=extra, **known)


# --- loading -------------------------------------------------------------------------------------


_DURATION = re.compile(r"^\s*(\d+)\s*(s|m|h|d)?\s*$")


def parse_duration(value: str | int, label: str) -> int:
    """Seconds from ``600``, ``"90s"``, ``"10m"``, ``"2h"`` or ``"1d"``."""
    if isinstance(value, int):
        return value
    match = _DURATION.match(str(value))
    if not match:
        raise RecipeError(
            f'{label}: a duration is like 600, "90s", "10m", "2h" or "1d", not {value!r}'
        )
    return int(match.group(1)) * {"s": 1, "m": 60, "h": 3600, "d": 86400, None: 1}[match.group(2)]


def _load_hook(spec: str, label: str) -> Hook:
    module_name, _, attr = spec.partition(":")
    try:
        module = importlib.import_module(module_name)
        hook = getattr(module, attr or "postprocess")
    except (ImportError, AttributeError) as exc:
        raise RecipeError(f"{label}: cannot load hook {spec!r}: {exc}") from None
    if not callable(hook):
        raise RecipeError(f"{label}: hook {spec!r} is not a function")
    return hook


def _pagination(value: Any, label: str) -> tuple[str, str, int]:
    """``next`` as (where, param, step): a selector/path string, or a table
    ``{ path = "data.after", param = "after" }`` (a cursor) or ``{ param = "page", step = 1 }``."""
    if isinstance(value, str):
        return value, "", 0
    if not isinstance(value, dict):
        raise RecipeError(f"{label}: a selector, a JSON path or a table, not {value!r}")
    unknown = set(value) - {"select", "path", "param", "step"}
    if unknown:
        raise RecipeError(f"{label}: unknown key(s) {', '.join(sorted(unknown))}")
    where = value.get("select") or value.get("path") or ""
    param = value.get("param", "")
    step = value.get("step", 0)
    if not param:
        raise RecipeError(f"{label}.param (the query parameter to set) is missing")
    if not where and not (isinstance(step, int) and step > 0):
        raise RecipeError(f"{label}: give a path to the next cursor or a step (a whole number > 0)")
    return where, param, int(step)


def _filters(value: Any, fields: dict[str, FieldSpec], label: str) -> dict[str, re.Pattern[str]]:
    if not isinstance(value, dict):
        raise RecipeError(f"{label} should be a table of field = regular expression")
    compiled = {}
    for name, pattern in value.items():
        if name not in fields:
            raise RecipeError(f"{label}.{name}: no field {name!r} in this endpoint's fields")
        try:
            compiled[name] = re.compile(str(pattern))
        except re.error as exc:
            raise RecipeError(f"{label}.{name}: bad regular expression: {exc}") from None
    return compiled


def recipe_from_dict(data: dict[str, Any], origin: str) -> Recipe:
    """Validate and build a recipe; every mistake names the file and the key."""
    unknown = set(data) - RECIPE_KEYS
    if unknown:
        raise RecipeError(f"{origin}: unknown key(s) {', '.join(sorted(unknown))}")
    name = data.get("name") or Path(origin).stem
    if not re.fullmatch(r"[a-z0-9_-]+", name):
        raise RecipeError(
            f"{origin}: name must be lower-case letters, digits, - or _, not {name!r}"
        )
    base_url = data.get("base_url", "")
    if not base_url:
        raise RecipeError(f"{origin}: base_url is missing")
    endpoints: dict[str, Endpoint] = {}
    for ep_name, ep in (data.get("endpoints") or {}).items():
        label = f"{origin}: endpoints.{ep_name}"
        if not isinstance(ep, dict):
            raise RecipeError(f"{label} should be a table")
        bad = set(ep) - ENDPOINT_KEYS
        if bad:
            raise RecipeError(f"{label}: unknown key(s) {', '.join(sorted(bad))}")
        kind = ep.get("kind", "")
        if kind not in KINDS:
            raise RecipeError(
                f"{label}.kind must be one of {', '.join(sorted(KINDS))}, not {kind!r}"
            )
        if "path" not in ep:
            raise RecipeError(f"{label}.path is missing")
        if kind == "html" and not ep.get("items"):
            raise RecipeError(f"{label}.items (the CSS selector of one mission) is missing")
        fields = {}
        for field_name, spec in (ep.get("fields") or {}).items():
            fields[field_name] = compile_spec(spec, f"{label}.fields.{field_name}")
        for required in ("title", "url"):
            if required not in fields:
                raise RecipeError(f"{label}.fields.{required} is missing")
        next_where, next_param, next_step = _pagination(ep.get("next", ""), f"{label}.next")
        endpoints[ep_name] = Endpoint(
            name=ep_name,
            kind=kind,
            path=ep["path"],
            enabled=bool(ep.get("enabled", True)),
            items=ep.get("items", ""),
            fields=fields,
            hook=_load_hook(ep["hook"], f"{label}.hook") if ep.get("hook") else None,
            next=next_where,
            next_param=next_param,
            next_step=next_step,
            only=_filters(ep.get("only", {}), fields, f"{label}.only"),
            skip=_filters(ep.get("skip", {}), fields, f"{label}.skip"),
            max_pages=int(ep.get("max_pages", 1)),
            params=dict(ep.get("params", {})),
            headers=dict(ep.get("headers", {})),
            discover=_load_hook(ep["discover"], f"{label}.discover")
            if ep.get("discover")
            else None,
        )
    if not endpoints:
        raise RecipeError(f"{origin}: no [endpoints.NAME] table")
    try:
        remote_prior = Remote(data.get("remote_prior", "unknown"))
    except ValueError:
        raise RecipeError(
            f"{origin}: remote_prior must be remote, hybrid, onsite or unknown"
        ) from None
    return Recipe(
        name=name,
        title=data.get("title", name),
        base_url=base_url,
        endpoints=endpoints,
        defaults=SourceDefaults(
            language=data.get("language", ""),
            currency=data.get("currency"),
            contract=data.get("contract", ""),
            remote_prior=remote_prior,
            category_map=dict(data.get("category_map", {})),
            status_map={k.lower(): v for k, v in data.get("status_map", {}).items()},
        ),
        homepage=data.get("homepage", base_url),
        enabled=bool(data.get("enabled", True)),
        min_interval=parse_duration(data.get("min_interval", 600), f"{origin}: min_interval"),
        hook=_load_hook(data["hook"], f"{origin}: hook") if data.get("hook") else None,
        terms=data.get("terms", ""),
        origin=origin,
    )


def load_recipe_file(path: Path | Any, origin: str | None = None) -> Recipe:
    origin = origin or str(path)
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RecipeError(f"{origin}: not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RecipeError(f"{origin}: cannot read: {exc}") from None
    try:
        return recipe_from_dict(data, origin)
    except RecipeError:
        raise
    except (TypeError, ValueError, AttributeError) as exc:
        # A value of the wrong type (a number where a table belongs...): still name the file.
        raise RecipeError(f"{origin}: {exc}") from None


def builtin_recipe_files() -> list[Any]:
    """The recipe files shipped with missionboard (in the wheel, or in the source tree)."""
    packaged = resources.files("missionboard").joinpath("_recipes")
    if packaged.is_dir():
        folder: Any = packaged
    else:
        folder = Path(__file__).resolve().parents[3] / "sources"
    return sorted((f for f in folder.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)


def feed_recipe(feed: dict[str, Any], index: int) -> Recipe:
    """A one-endpoint RSS/Atom recipe for a ``[[feeds]]`` entry of the config."""
    url = feed["url"]
    parts = urlsplit(url)
    name = (
        feed.get("name")
        or re.sub(r"[^a-z0-9]+", "-", parts.netloc.lower()).strip("-")
        or f"feed-{index + 1}"
    )
    fields = {
        "native_id": FieldSpec(where="id"),
        "url": FieldSpec(where="link"),
        "title": FieldSpec(where="title"),
        "description": compile_spec({"key": "summary", "type": "html"}, name),
        "posted_at": FieldSpec(where="published", type="date"),
        "tags": FieldSpec(where="tags", all=True),
        "client": FieldSpec(where="author"),
    }
    category = feed.get("category", "")
    hook = None
    if category:
        # The feed's own category is the "source category" of each of its items.
        def hook(raw: RawMission, values: dict[str, Any]) -> RawMission:
            raw.categories.append(category)
            return raw

    return Recipe(
        name=name,
        title=feed.get("name") or parts.netloc,
        base_url=f"{parts.scheme}://{parts.netloc}",
        endpoints={"feed": Endpoint(name="feed", kind="rss", path=url, fields=fields)},
        defaults=SourceDefaults(
            language=feed.get("language", ""),
            currency=feed.get("currency"),
            contract=feed.get("contract", ""),
            remote_prior=Remote(feed.get("remote", "unknown")),
            category_map={category: category} if category else {},
        ),
        homepage=f"{parts.scheme}://{parts.netloc}",
        hook=hook,
        enabled=bool(feed.get("enabled", True)),
        min_interval=parse_duration(feed.get("min_interval", 600), f"feed {name}: min_interval"),
        origin="config [[feeds]]",
    )


@dataclass(slots=True)
class RecipeSet:
    recipes: dict[str, Recipe]
    errors: list[str]


def load_recipes(
    overrides: dict[str, dict[str, Any]] | None = None,
    feeds: Iterable[dict[str, Any]] = (),
    user_dir: Path | None = None,
) -> RecipeSet:
    """Built-in recipes, then the user's, then feeds; config overrides applied. Errors are collected."""
    recipes: dict[str, Recipe] = {}
    errors: list[str] = []
    files: list[tuple[Any, str]] = [(f, f"sources/{f.name}") for f in builtin_recipe_files()]
    if user_dir and user_dir.is_dir():
        files += [(f, str(f)) for f in sorted(user_dir.glob("*.toml"))]
    for file, origin in files:
        try:
            recipe = load_recipe_file(file, origin)
        except RecipeError as exc:
            errors.append(str(exc))
            continue
        recipes[recipe.name] = recipe
    for index, feed in enumerate(feeds):
        if feed.get("recipe"):
            error = add_feed_to_recipe(recipes, feed, index)
            if error:
                errors.append(error)
            continue
        try:
            recipe = feed_recipe(feed, index)
        except (RecipeError, ValueError) as exc:
            errors.append(f"config [[feeds]] #{index + 1}: {exc}")
            continue
        recipes[recipe.name] = recipe
    for name, override in (overrides or {}).items():
        recipe = recipes.get(name)
        if recipe is None:
            errors.append(f"config [sources.{name}]: no source is called {name!r}")
            continue
        try:
            apply_override(recipe, override, f"config [sources.{name}]")
        except RecipeError as exc:
            errors.append(str(exc))
    return RecipeSet(recipes, errors)


def add_feed_to_recipe(recipes: dict[str, Recipe], feed: dict[str, Any], index: int) -> str:
    """``[[feeds]] recipe = "codeur"``: read another feed URL with that recipe's RSS mapping.

    The feed becomes one more endpoint of the recipe (same source name, so the same uids as the
    recipe's own feed: a Codeur category feed and the main feed never make duplicates), and the
    recipe is switched on, since asking for a feed is asking for the source. Returns an error or "".
    """
    label = f"config [[feeds]] #{index + 1}"
    recipe = recipes.get(feed["recipe"])
    if recipe is None:
        close = difflib.get_close_matches(feed["recipe"], list(recipes), n=1)
        hint = (
            f" (did you mean {close[0]!r}?)" if close else f"; known: {', '.join(sorted(recipes))}"
        )
        return f"{label}: no recipe is called {feed['recipe']!r}{hint}"
    template = next((e for e in recipe.endpoints.values() if e.kind in {"rss", "atom"}), None)
    if template is None:
        return (
            f"{label}: the recipe {recipe.name!r} has no rss or atom endpoint to read a feed with"
        )
    name = feed.get("name") or f"feed-{index + 1}"
    recipe.endpoints[name] = dataclasses.replace(
        template, name=name, path=feed["url"], enabled=bool(feed.get("enabled", True)),
        next="", next_param="", next_step=0, max_pages=1,
    )  # fmt: skip
    recipe.enabled = True
    return ""


def apply_override(recipe: Recipe, override: dict[str, Any], label: str) -> None:
    if "enabled" in override:
        recipe.enabled = bool(override["enabled"])
    if override.get("base_url"):
        recipe.base_url = override["base_url"]
    if override.get("query"):
        recipe.query = str(override["query"])
    if "min_interval" in override:
        recipe.min_interval = parse_duration(override["min_interval"], f"{label} min_interval")
    if "endpoints" in override:
        wanted = list(override["endpoints"])
        unknown = [e for e in wanted if e not in recipe.endpoints]
        if unknown:
            known = ", ".join(recipe.endpoints)
            raise RecipeError(
                f"{label}: unknown endpoint(s) {', '.join(unknown)}; {recipe.name} has {known}"
            )
        for endpoint in recipe.endpoints.values():
            endpoint.enabled = endpoint.name in wanted
