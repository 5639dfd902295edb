"""Export missions (with the user's own state) as CSV or JSON Lines."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

# Column order of both formats; JSON Lines carries the same keys.
COLUMNS = [
    "uid", "source", "url", "title", "description", "client", "posted_at", "first_seen", "last_seen",
    "category", "skills", "tags", "remote", "remote_evidence", "remote_region", "budget_kind",
    "budget_min", "budget_max", "currency", "budget_raw", "daily_rate", "contract", "status", "offers",
    "views", "language", "read", "starred", "hidden", "pipeline", "note", "snoozed_until",
]  # fmt: skip

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def record(row: sqlite3.Row) -> dict[str, Any]:
    """One export record from a store row joined with user state."""
    data = {key: row[key] for key in COLUMNS if key not in {"skills", "tags"}}
    data["skills"] = row["skills"].split()
    data["tags"] = json.loads(row["tags"])
    for flag in ("read", "starred", "hidden"):
        data[flag] = bool(data[flag])
    data["pipeline"] = data["pipeline"] or "new"
    data["note"] = data["note"] or ""
    return data


def safe_cell(value: Any) -> str:
    """A CSV cell a spreadsheet will show as text, never run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    # A leading apostrophe is escaped too, so import-state can undo exactly what was added.
    if text.startswith(_FORMULA_START) or text.startswith("'"):
        return "'" + text
    return text


def unescape_cell(text: str) -> str:
    """Undo :func:`safe_cell`'s apostrophe (a spreadsheet may also have dropped it already)."""
    if len(text) > 1 and text[0] == "'" and text[1] in (*_FORMULA_START, "'"):
        return text[1:]
    return text


def write_csv(records: Iterable[dict[str, Any]], out: IO[str], delimiter: str = ",") -> int:
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    for rec in records:
        writer.writerow([safe_cell(rec[key]) for key in COLUMNS])
        count += 1
    return count


def write_jsonl(records: Iterable[dict[str, Any]], out: IO[str]) -> int:
    count = 0
    for rec in records:
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        count += 1
    return count


@contextmanager
def open_output(path: str | Path | None, bom: bool = False) -> Iterator[IO[str]]:
    """stdout, or a file written atomically (a temporary file renamed when complete)."""
    encoding = "utf-8-sig" if bom else "utf-8"
    if path is None or str(path) == "-":
        if bom:
            sys.stdout.write("\ufeff")
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            yield handle
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export(
    rows: Iterable[sqlite3.Row],
    fmt: str,
    path: str | Path | None = None,
    delimiter: str = ",",
    bom: bool = False,
) -> int:
    """Write rows in ``fmt`` ("csv" or "jsonl") to ``path`` (stdout when None); return the count."""
    records = (record(row) for row in rows)
    with open_output(path, bom=bom and fmt == "csv") as out:
        if fmt == "csv":
            return write_csv(records, out, delimiter)
        return write_jsonl(records, out)
