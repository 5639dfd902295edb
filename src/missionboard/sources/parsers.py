"""Parsers for the three endpoint kinds: RSS/Atom (feedparser), JSON and HTML (bs4 + lxml).

Each takes the bytes of one response and yields one dict of fields per item, following the
endpoint's field mappings; the engine turns those into RawMission records.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

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


_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding=["']([A-Za-z0-9._-]+)["']""")


def _cp1252_for_bad_bytes(error: UnicodeDecodeError) -> tuple[str, int]:
    bad = error.object[error.start : error.end]
    return bad.decode("cp1252", errors="replace"), error.end


codecs.register_error("missionboard-cp1252", _cp1252_for_bad_bytes)


def repair_utf8(body: bytes) -> tuple[bytes, int]:
    """A UTF-8 feed with stray bytes that are not UTF-8 (a CMS pasting Latin-1 into it), repaired.

    feedparser would read the whole document as windows-1252 instead, turning every valid accent
    into two characters ("crème" -> "crÃ¨me"). Here only the bad bytes are read as windows-1252
    (where they almost always come from), the rest stays UTF-8. Returns the body and how many bad
    bytes were read so; a document declaring another encoding, or valid, is left alone.
    """
    if body.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return body, 0  # UTF-16 or UTF-32, by its byte order mark
    declared = _XML_ENCODING.match(body[:200])
    if declared and declared.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
        return body, 0
    try:
        body.decode("utf-8")
        return body, 0
    except UnicodeDecodeError:
        pass
    bad = len(body) - len(body.decode("utf-8", errors="ignore").encode("utf-8"))
    return body.decode("utf-8", errors="missionboard-cp1252").encode("utf-8"), bad


def parse_feed(body: bytes, warnings: list[str] | None = None) -> feedparser.FeedParserDict:
    """feedparser over bytes; a feed with no items and a parse error is an error, not an empty feed."""
    body, bad = repair_utf8(body)
    if bad and warnings is not None:
        what = "1 byte of the feed was" if bad == 1 else f"{bad} bytes of the feed were"
        warnings.append(f"{what} not UTF-8 (read as windows-1252)")
    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    if parsed.bozo and not parsed.entries:
        reason = getattr(parsed.get("bozo_exception"), "getMessage", None)
        message = reason() if callable(reason) else str(parsed.get("bozo_exception", "unreadable"))
        raise ParseError(f"not a readable RSS/Atom feed: {message}")
    return parsed


def iter_rss(
    endpoint: Endpoint, body: bytes, fetched_at: datetime, base_url: str, warnings: list[str]
) -> Iterator[dict[str, Any]]:
    parsed = parse_feed(body, warnings)
    if parsed.bozo:
        reason = re.sub(
            r"^<unknown>:(\d+):(\d+):", r"line \1, column \2:", str(parsed.get("bozo_exception"))
        )
        warnings.append(f"feed is malformed ({reason}); only the items that could be read are kept")
    for entry in parsed.entries:
        yield {
            name: _constant(spec, _rss_value(entry, spec.where))
            if spec.const is not None
            else convert(_rss_value(entry, spec.where), spec, fetched_at, base_url)
            for name, spec in endpoint.fields.items()
        }


def _constant(spec: FieldSpec, found: list[Any]) -> Any:
    """A ``const`` field; with a ``path``/``select``/``key`` too, only where that one has a value
    (Free-Work: the period "daily" only where there is a day rate)."""
    if not spec.where:
        return spec.const
    return spec.const if any(v not in (None, "", [], 0) for v in found) else None


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


def json_items(data: Any, items_path: str) -> list[Any]:
    """The items at ``items_path``; ``"hydra:member|."`` tries each path in turn (an API that
    answers a wrapped object or a bare array depending on the Accept header)."""
    for path in items_path.split("|"):
        found = json_path(data, path.strip())
        if path.strip() in {"", "."}:
            # "." means "the body is the array"; a lone object is not a list of items.
            found = found[0] if found and isinstance(found[0], list) else []
        if found:
            return found
    return []


def iter_json(
    endpoint: Endpoint, body: bytes, fetched_at: datetime, base_url: str, warnings: list[str]
) -> Iterator[dict[str, Any]]:
    data = load_json(body)
    items = json_items(data, endpoint.items)
    for item in items:
        if not isinstance(item, dict):
            continue
        yield {
            name: _json_field(item, spec, fetched_at, base_url)
            for name, spec in endpoint.fields.items()
        }


def _json_field(item: dict[str, Any], spec: FieldSpec, fetched_at: datetime, base_url: str) -> Any:
    if spec.const is not None:
        return _constant(spec, json_path(item, spec.where) if spec.where else [])
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
        found = [t.get_text(strip=True) for t in node.select(spec.where)] if spec.where else []
        return _constant(spec, found)
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


def count_items(endpoint: Endpoint, body: bytes) -> int:
    """How many items a body holds, without reading their fields (to stop paginating)."""
    if endpoint.kind == "html":
        return len(BeautifulSoup(body, "lxml").select(endpoint.items))
    if endpoint.kind == "json":
        return len(json_items(load_json(body), endpoint.items))
    return len(parse_feed(body).entries)


def with_param(url: str, name: str, value: str) -> str:
    """``url`` with the query parameter ``name`` set to ``value`` (the others kept in order)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    query.append((name, value))
    return urlunsplit(parts._replace(query=urlencode(query)))


def next_page_urls(endpoint: Endpoint, body: bytes, url: str = "") -> list[str]:
    """The next page's URL from an endpoint's ``next`` spec.

    ``next`` is a CSS selector (HTML ``<link rel=next>``) or a JSON path to a URL; with
    ``next_param`` the value found (a cursor such as Reddit's ``after``) goes into that query
    parameter; with ``next_step`` and no ``next`` the parameter is a counter (``page`` or
    ``offset``) raised by the step, until a page comes back empty.
    """
    if endpoint.next_param and not endpoint.next:
        if not endpoint.next_step or count_items(endpoint, body) == 0:
            return []
        current = dict(parse_qsl(urlsplit(url).query)).get(endpoint.next_param)
        start = 1 if endpoint.next_param == "page" else 0
        number = int(current) if current and current.lstrip("-").isdigit() else start
        return [with_param(url, endpoint.next_param, str(number + endpoint.next_step))]
    if endpoint.next_param:
        values = json_path(load_json(body), endpoint.next) if endpoint.kind == "json" else []
        return [
            with_param(url, endpoint.next_param, str(v)) for v in values if v not in (None, "")
        ][:1]
    if endpoint.kind == "html":
        soup = BeautifulSoup(body, "lxml")
        node = soup.select_one(endpoint.next)
        href = node.get("href") if node is not None else None
        return [href] if href else []
    if endpoint.kind == "json":
        values = json_path(load_json(body), endpoint.next)
        return [v for v in values if isinstance(v, str) and v]
    return []
