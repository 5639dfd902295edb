"""Field mappings: how a recipe says where each field of a mission is in a site's item.

A field spec is either a string (a CSS selector for HTML, a dotted path for JSON, an entry key for
RSS/Atom) or a table::

    { select = "span[title=Budget]", attr = "href", regex = "(\\d+)", all = true,
      split = ",", type = "int|float|date|relative_age|text|html|bool", drop = ["^Voir ce.*"],
      const = "value", absolute = true, format = "https://example.org/item/{}", default = "Worldwide" }

``format`` builds a value from what was found (an id becomes a link); ``default`` stands in when
nothing was found (Himalayas: an empty region list means "worldwide").

``select`` (HTML), ``path`` (JSON) and ``key`` (RSS) are interchangeable names for "where".
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

from missionboard.normalise.dates import parse_date, parse_relative_age
from missionboard.sources.text import clean_line, clean_text, html_to_text


class RecipeError(Exception):
    """A mistake in a recipe file, named with its file and key."""


TYPES = {"text", "html", "int", "float", "date", "relative_age", "bool", "list", "raw"}
SPEC_KEYS = {
    "select",
    "path",
    "key",
    "attr",
    "regex",
    "all",
    "split",
    "type",
    "drop",
    "const",
    "absolute",
    "join",
    "format",
    "default",
}


@dataclass(frozen=True, slots=True)
class FieldSpec:
    where: str = ""
    attr: str = ""
    regex: re.Pattern[str] | None = None
    all: bool = False
    split: str = ""
    type: str = "text"
    drop: tuple[re.Pattern[str], ...] = ()
    const: Any = None
    absolute: bool = False
    join: str = ""
    format: str = ""
    default: Any = None


def compile_spec(value: Any, where_label: str) -> FieldSpec:
    """Check and compile one field spec; raise RecipeError naming ``where_label`` on a mistake."""
    if isinstance(value, str):
        return FieldSpec(where=value)
    if not isinstance(value, dict):
        raise RecipeError(f"{where_label}: a field is a string or a table, not {value!r}")
    unknown = set(value) - SPEC_KEYS
    if unknown:
        raise RecipeError(f"{where_label}: unknown field option(s) {', '.join(sorted(unknown))}")
    fmt = value.get("format", "")
    if fmt and "{}" not in fmt:
        raise RecipeError(f"{where_label}: format must hold {{}} where the value goes, not {fmt!r}")
    kind = value.get("type", "text")
    if kind not in TYPES:
        raise RecipeError(
            f"{where_label}: type must be one of {', '.join(sorted(TYPES))}, not {kind!r}"
        )
    try:
        regex = re.compile(value["regex"], re.S) if value.get("regex") else None
        drop = tuple(re.compile(p, re.M) for p in value.get("drop", ()))
    except re.error as exc:
        raise RecipeError(f"{where_label}: bad regular expression: {exc}") from None
    return FieldSpec(
        where=value.get("select") or value.get("path") or value.get("key") or "",
        attr=value.get("attr", ""),
        regex=regex,
        all=bool(value.get("all", False)),
        split=value.get("split", ""),
        type=kind,
        drop=drop,
        const=value.get("const"),
        absolute=bool(value.get("absolute", False)),
        join=value.get("join", ""),
        format=fmt,
        default=value.get("default"),
    )


_INT = re.compile(r"-?\d[\d\u00a0\u202f ,.]*")


def _to_int(text: str) -> int | None:
    match = _INT.search(text)
    if not match:
        return None
    digits = re.sub(r"[^\d-]", "", match.group(0))
    return int(digits) if digits not in {"", "-"} else None


def convert(values: list[Any], spec: FieldSpec, fetched_at: datetime, base_url: str) -> Any:
    """Apply regex, split, drop and type to the raw values found for a field."""
    out: list[Any] = []
    for value in values:
        if value is None:
            continue
        if spec.type == "raw":
            out.append(value)
            continue
        if isinstance(value, bool | int | float) and spec.type not in {"text", "html"}:
            out.append(value)
            continue
        text = str(value)
        if spec.type == "html":
            text = html_to_text(text)
        if spec.drop:
            for pattern in spec.drop:
                text = pattern.sub("", text)
            text = re.sub(r"\n{3,}", "\n\n", text).strip()
        if spec.regex is not None:
            match = spec.regex.search(text)
            if not match:
                continue
            text = match.group(1) if match.groups() else match.group(0)
        parts = (
            [p for p in (s.strip() for s in text.split(spec.split)) if p] if spec.split else [text]
        )
        out.extend(parts)
    match spec.type:
        case "int":
            out = [v if isinstance(v, int) else _to_int(str(v)) for v in out]
        case "float":
            converted = []
            for v in out:
                try:
                    converted.append(float(str(v).replace(",", ".").strip()))
                except ValueError:
                    converted.append(None)
            out = converted
        case "date":
            out = [parse_date(v) for v in out]
        case "relative_age":
            out = [parse_relative_age(str(v), fetched_at) for v in out]
        case "bool":
            out = [
                v if isinstance(v, bool) else str(v).strip().lower() in {"1", "true", "yes", "oui"}
                for v in out
            ]
        case "text" | "list":
            out = [
                clean_line(v) if "\n" not in str(v) else clean_text(html.unescape(str(v)))
                for v in out
            ]
        case "html":
            pass
    if spec.format:
        out = [spec.format.replace("{}", str(v)) for v in out if v is not None and v != ""]
    if spec.absolute:
        out = [urljoin(base_url, str(v)) for v in out]
    out = [v for v in out if v is not None and v != ""]
    if not out and spec.default is not None:
        out = list(spec.default) if isinstance(spec.default, list) else [spec.default]
    if spec.all or spec.split or spec.type == "list":
        return out
    if spec.join:
        return spec.join.join(str(v) for v in out)
    return out[0] if out else None
