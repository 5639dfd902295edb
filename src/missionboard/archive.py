"""The raw archive: every response body fetched, gzip-compressed, with what reparse needs to ingest it
again offline (source, endpoint, URL, page, fetch time). Rotated by age and total size.

Layout: ``<archive>/<YYYY-MM-DD>/<HHMMSS.ffffff>_<source>_<endpoint>_p<page>_<digest>.gz``; each file
holds one JSON header line, then the body. Files are written under a temporary name and renamed,
so a fetch killed mid-write leaves no half file behind under a real name.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from missionboard.model import utc_now

SUFFIX = ".gz"


@dataclass(slots=True)
class ArchivedBody:
    path: Path
    source: str
    endpoint: str
    url: str
    page: int
    fetched_at: datetime
    body: bytes


class Archive:
    def __init__(self, folder: Path, max_days: int = 30, max_mb: int = 200):
        self.folder = Path(folder)
        self.max_days = max_days
        self.max_bytes = max_mb * 1024 * 1024

    def save(
        self, source: str, endpoint: str, url: str, page: int, fetched_at: datetime, body: bytes
    ) -> Path:
        """Keep one body; returns the file written."""
        day = self.folder / fetched_at.strftime("%Y-%m-%d")
        day.mkdir(parents=True, exist_ok=True)
        digest = hashlib.blake2b(url.encode() + body, digest_size=6).hexdigest()
        name = f"{fetched_at:%H%M%S.%f}_{source}_{endpoint}_p{page}_{digest}{SUFFIX}"
        header = {
            "source": source,
            "endpoint": endpoint,
            "url": url,
            "page": page,
            "fetched_at": fetched_at.isoformat(),
        }
        target = day / name
        temporary = day / f".{name}.{os.getpid()}.tmp"
        # Level 6: feeds compress 5-10x; higher levels cost CPU for little.
        with gzip.open(temporary, "wb", compresslevel=6) as out:
            out.write(json.dumps(header).encode() + b"\n")
            out.write(body)
        os.replace(temporary, target)
        return target

    def files(self) -> list[Path]:
        """Archived files, oldest first (the folder and file names sort by time)."""
        if not self.folder.is_dir():
            return []
        return sorted(
            p
            for p in self.folder.glob(f"*/*{SUFFIX}")
            if p.is_file() and not p.name.startswith(".")
        )

    @staticmethod
    def read(path: Path) -> ArchivedBody:
        """One archived body; raises ValueError (or OSError) if the file is not readable."""
        try:
            with gzip.open(path, "rb") as f:
                data = f.read()
        except (OSError, EOFError, zlib.error) as exc:
            raise ValueError(f"{path.name}: unreadable archive file ({exc})") from None
        header_line, _, body = data.partition(b"\n")
        try:
            header = json.loads(header_line)
            return ArchivedBody(
                path=path,
                source=header["source"],
                endpoint=header["endpoint"],
                url=header["url"],
                page=int(header.get("page", 1)),
                fetched_at=datetime.fromisoformat(header["fetched_at"]),
                body=body,
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path.name}: bad archive header ({exc})") from None

    def entries(self, sources: set[str] | None = None) -> Iterator[ArchivedBody | ValueError]:
        """Every archived body, oldest first; an unreadable file is yielded as its ValueError."""
        for path in self.files():
            try:
                entry = self.read(path)
            except ValueError as exc:
                yield exc
                continue
            if sources is None or entry.source in sources:
                yield entry

    def rotate(self, now: datetime | None = None) -> int:
        """Drop days older than ``max_days``, then the oldest files past ``max_mb``; returns how many
        files were removed."""
        if not self.folder.is_dir():
            return 0
        removed = 0
        cutoff = ((now or utc_now()) - timedelta(days=self.max_days)).strftime("%Y-%m-%d")
        for day in sorted(p for p in self.folder.iterdir() if p.is_dir()):
            if day.name < cutoff:
                removed += sum(1 for _ in day.glob(f"*{SUFFIX}"))
                shutil.rmtree(day, ignore_errors=True)
        # Leftovers of a killed writer are removed once they are clearly not being written.
        for stale in self.folder.glob("*/.*.tmp"):
            try:
                if (utc_now().timestamp() - stale.stat().st_mtime) > 3600:
                    stale.unlink()
            except OSError:
                pass
        files = self.files()
        sizes = {p: p.stat().st_size for p in files}
        total = sum(sizes.values())
        for path in files:
            if total <= self.max_bytes:
                break
            total -= sizes[path]
            path.unlink(missing_ok=True)
            removed += 1
        for day in self.folder.iterdir():
            if day.is_dir() and not any(day.iterdir()):
                day.rmdir()
        return removed
