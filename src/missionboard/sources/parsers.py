"""Parsers for the three endpoint kinds: RSS/Atom (feedparser), JSON and HTML (bs4 + lxml).

Each takes the bytes of one response and yields one dict of fields per item, following the
endpoint's field mappings; the engine turns those into RawMission records.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

import feedparser
from bs4 import BeautifulSoup

from missionboard.sources.fields import FieldSpec, convert

if TYPE_CHECKING:
    from missionboard.sources.recipe import Endpoint


class ParseError(Exception):
    """A response that could not be read at all (as opposed to a bad item, which is skipped)."""


# --- RSS / Atom ----------------------------------------------------------------------------------


def _rss_value(entry: Any, key: str) -> list[Any]:
    if key == "tags":
        return [t.get("term") for t in entry.get("tags", []) if t.get("term")]
    if key == "content":
        return [c.get("value") for c in entry.get("content", [])]
    value = entry.get(key)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def parse_feed(body: bytes) -> feedparser.FeedParserDict:
    """feedparser over bytes; a feed with no items and a parse error is an error, not an empty feed."""
    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    if parsed.bozo and not parsed.entries:
        reason = getattr(parsed.get("bozo_exception"), "getMessage", None)
        message = reason() if callable(reason) else str(parsed.get("bozo_exception", "unreadable"))
        raise ParseError(f"not a readable RSS/Atom feed: {message}")
    return parsed


def iter_rss(
    endpoint: Endpoint, body: bytes, fetched_at: datetime, base_url: str, warnings: list[str]
) -> Iterator[dict[str, Any]]:
    parsed = parse_feed(body)
    if parsed.bozo:
        warnings.append(
            f"feed is malformed ({parsed.get('bozo_exception')}); kept the {len(parsed.entries)} items that could be read"
        )
    for entry in parsed.entries:
        yield {
            name: convert(_rss_value(entry, spec.where), spec, fetched_at, base_url)
            if not spec.const
            else spec.const
            for name, spec in endpoint.fields.items()
        }


# --- JSON ----------------------------------------------------------------------------------------


def json_path(data: Any, path: str) -> list[Any]:
    """Values at a dotted path: ``jobs``, ``data.children``, ``location.city``, ``tags.*.name``."""
    current = [data]
    if not path or path == ".":
        return current
    for part in path.split("."):
        following: list[Any] = []
        for node in current:
            if part == "*" and isinstance(node, list):
                following.extend(node)
            elif isinstance(node, dict) and part in node:
                following.append(node[part])
            elif isinstance(node, list) and part.lstrip("-").isdigit():
                index = int(part)
                if -len(node) <= index < len(node):
                    following.append(node[index])
        current = following
    flat: list[Any] = []
    for value in current:
        if isinstance(value, list):
            flat.extend(value)
        else:
            flat.append(value)
    return flat


def load_json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParseError(f"not valid JSON: {exc}") from None


def iter_json(
    endpoint: Endpoint, body: bytes, fetched_at: datetime, base_url: str, warnings: list[str]
) -> Iterator[dict[str, Any]]:
    data = load_json(body)
    items = json_path(data, endpoint.items)
    for item in items:
        if not isinstance(item, dict):
            continue
        yield {
            name: _json_field(item, spec, fetched_at, base_url)
            for name, spec in endpoint.fields.items()
        }


def _json_field(item: dict[str, Any], spec: FieldSpec, fetched_at: datetime, base_url: str) -> Any:
    if spec.const is not None:
        return spec.const
    return convert(json_path(item, spec.where), spec, fetched_at, base_url)


# --- HTML ----------------------------------------------------------------------------------------


def iter_html(
    endpoint: Endpoint, body: bytes, fetched_at: datetime, base_url: str, warnings: list[str]
) -> Iterator[dict[str, Any]]:
    soup = BeautifulSoup(body, "lxml")
    for node in soup.select(endpoint.items):
        yield {
            name: _html_field(node, spec, fetched_at, base_url)
            for name, spec in endpoint.fields.items()
        }


def _html_field(node: Any, spec: FieldSpec, fetched_at: datetime, base_url: str) -> Any:
    if spec.const is not None:
        return spec.const
    targets = node.select(spec.where) if spec.where else [node]
    if not spec.all and targets:
        targets = targets[:1]
    values: list[Any] = []
    for target in targets:
        if spec.attr:
            values.append(target.get(spec.attr))
        elif spec.type == "html":
            values.append(target.decode_contents())
        else:
            values.append(
                target.get_text(" ", strip=True) if not spec.drop else target.get_text("\n")
            )
    return convert(values, spec, fetched_at, base_url)


ITERATORS = {"rss": iter_rss, "atom": iter_rss, "json": iter_json, "html": iter_html}


def next_page_urls(endpoint: Endpoint, body: bytes) -> list[str]:
    """The next page's URL from an endpoint's ``next`` spec: a CSS selector (HTML) or a JSON path."""
    if endpoint.kind == "html":
        soup = BeautifulSoup(body, "lxml")
        node = soup.select_one(endpoint.next)
        href = node.get("href") if node is not None else None
        return [href] if href else []
    if endpoint.kind == "json":
        values = json_path(load_json(body), endpoint.next)
        return [v for v in values if isinstance(v, str) and v]
    return []
