"""Merge the status and note columns of an exported CSV, edited in a spreadsheet, back into the store.

Only the user's pipeline status (the ``pipeline`` column: new, interested, applied, won, lost) and
``note`` are read, matched by ``uid``; every other column is ignored, and a row whose values did not
change is not written at all. Spreadsheets re-save CSV their own way, so the delimiter is sniffed from
the header, a byte order mark is accepted, and a file that is not UTF-8 is read as Windows-1252 (what
Excel writes in Western European locales).
"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass, field
from pathlib import Path

from missionboard.export import unescape_cell
from missionboard.model import Pipeline
from missionboard.store import Store

PIPELINE_VALUES = [str(p) for p in Pipeline]


class StateImportError(ValueError):
    """The file cannot be read as an export at all (no uid column, not CSV, unreadable)."""


@dataclass(slots=True)
class ImportReport:
    rows: int = 0
    changed_status: int = 0
    changed_note: int = 0
    unchanged: int = 0
    unmatched: list[tuple[int, str]] = field(default_factory=list)  # (line, uid)
    bad_status: list[tuple[int, str, str]] = field(default_factory=list)  # (line, uid, value)
    encoding: str = "utf-8"

    @property
    def updated(self) -> int:
        return self.changed_status + self.changed_note

    @property
    def ok(self) -> bool:
        return not self.unmatched and not self.bad_status

    def lines(self) -> list[str]:
        """What happened, one line each: the summary first, then every row not applied."""
        out = [
            f"{self.rows} rows read: {self.changed_status} statuses and {self.changed_note} notes "
            f"changed, {self.unchanged} rows unchanged"
        ]
        for line, uid in self.unmatched:
            out.append(f"line {line}: no mission {uid!r} in the store; row skipped")
        for line, uid, value in self.bad_status:
            close = difflib.get_close_matches(value.lower(), PIPELINE_VALUES, n=1, cutoff=0.6)
            hint = f'; did you mean "{close[0]}"?' if close else ""
            out.append(
                f"line {line}: unknown status {value!r} for {uid} "
                f"(expected {', '.join(PIPELINE_VALUES)}{hint}); status left as it was"
            )
        return out


def _decode(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "windows-1252"


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    header = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(header, delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def read_rows(path: str | Path) -> tuple[list[tuple[int, dict[str, str]]], str]:
    """The rows of an exported CSV as (line number, {column: value}) and the encoding used."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise StateImportError(f"cannot read {path}: {exc.strerror}") from None
    text, encoding = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise StateImportError(f"{path} is empty") from None
    except csv.Error as exc:
        raise StateImportError(f"{path} is not a readable CSV file: {exc}") from None
    if "uid" not in header:
        raise StateImportError(
            f"{path} has no uid column; import-state reads a file made by `missionboard export`"
        )
    if "pipeline" not in header and "note" not in header:
        raise StateImportError(
            f"{path} has neither a pipeline nor a note column: nothing to import"
        )
    rows = []
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            line = reader.line_num
            rows.append((line, dict(zip(header, record, strict=False))))
    except csv.Error as exc:
        raise StateImportError(f"{path}, line {reader.line_num}: not valid CSV: {exc}") from None
    return rows, encoding


def import_state(store: Store, path: str | Path, *, dry_run: bool = False) -> ImportReport:
    """Apply the edited status and note columns of ``path`` to the user state, by uid."""
    rows, encoding = read_rows(path)
    report = ImportReport(encoding=encoding)
    for line, row in rows:
        report.rows += 1
        uid = row.get("uid", "").strip()
        if (
            not uid
            or store.execute("SELECT 1 FROM missions WHERE uid = ?", (uid,)).fetchone() is None
        ):
            report.unmatched.append((line, uid or "(empty uid)"))
            continue
        state = store.get_state(uid)
        changes: dict[str, str] = {}
        if "pipeline" in row:
            value = unescape_cell(row["pipeline"]).strip()
            if value:  # an emptied cell means "leave it", not "reset"
                if value.lower() not in PIPELINE_VALUES:
                    report.bad_status.append((line, uid, value))
                elif value.lower() != str(state.pipeline):
                    changes["pipeline"] = value.lower()
        if "note" in row:
            note = unescape_cell(row["note"]).replace("\r\n", "\n")
            if note != state.note:
                changes["note"] = note
        if not changes:
            report.unchanged += not (report.bad_status and report.bad_status[-1][0] == line)
            continue
        report.changed_status += "pipeline" in changes
        report.changed_note += "note" in changes
        if not dry_run:
            store.set_state(uid, **changes)
    return report
