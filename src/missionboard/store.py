"""The store: SQLite in WAL mode with a versioned schema, an FTS5 index and a user-state table.

Writes are short transactions so a TUI can read while a cron fetch writes. The ``user_state`` table is
keyed by uid and only ever written by the user's own actions: no fetch, reparse or dedup touches it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from missionboard.model import (
    Budget,
    BudgetKind,
    Category,
    Contract,
    Mission,
    Pipeline,
    RawMission,
    Remote,
    Status,
    UserState,
    iso,
    utc_now,
)
from missionboard.normalise.dedup import blocking_keys, find_duplicate


class StoreError(Exception):
    """A database problem worded for the user (not SQLite, locked, read-only, newer schema)."""


def skill_tests(slugs: Iterable[str], skills: str = "skills") -> list[str]:
    """One SQL test per slug: does the space-separated ``skills`` column hold it. The plain
    instr() first: most rows fail it without building the padded string."""
    return [
        "(instr({0}, '{1}') > 0 AND instr(' ' || {0} || ' ', ' {1} ') > 0)".format(
            skills, slug.replace("'", "''")
        )
        for slug in slugs
    ]


def match_share(slugs: Iterable[str], skills: str = "skills") -> str:
    """SQL for the share of a mission's skills found among ``slugs`` (skills not empty).

    The one formula behind sort:match: the query compiler's ORDER BY, the scores kept by
    Store.set_match_profile and, written over the match_profile table, the triggers below.
    """
    total = f"(length({skills}) - length(replace({skills}, ' ', '')) + 1)"
    return f"({' + '.join(skill_tests(slugs, skills))}) * 1.0 / {total}"


# The triggers' form of match_share: the profile is read from match_profile.
_SCORE_NEW_ROW = """INSERT INTO match_scores (id, share, posted)
        SELECT new.id, k * 1.0 / (length(new.skills) - length(replace(new.skills, ' ', '')) + 1),
            coalesce(new.posted_at, new.first_seen)
        FROM (SELECT count(*) AS k FROM match_profile
              WHERE instr(' ' || new.skills || ' ', ' ' || slug || ' ') > 0)
        WHERE k > 0;"""

# Each entry migrates the schema from version N to N+1. Never edit a released entry: append one.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE missions (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        url TEXT NOT NULL,
        title TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        client TEXT NOT NULL DEFAULT '',
        posted_at TEXT,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        category TEXT NOT NULL DEFAULT 'other',
        skills TEXT NOT NULL DEFAULT '',
        tags TEXT NOT NULL DEFAULT '[]',
        remote TEXT NOT NULL DEFAULT 'unknown',
        remote_evidence TEXT NOT NULL DEFAULT '',
        remote_region TEXT NOT NULL DEFAULT '',
        budget_kind TEXT NOT NULL DEFAULT 'unknown',
        budget_min REAL,
        budget_max REAL,
        currency TEXT,
        budget_raw TEXT NOT NULL DEFAULT '',
        daily_rate REAL,
        contract TEXT NOT NULL DEFAULT 'unknown',
        status TEXT NOT NULL DEFAULT 'unknown',
        offers INTEGER,
        views INTEGER,
        language TEXT NOT NULL DEFAULT '',
        content_hash TEXT NOT NULL,
        raw TEXT NOT NULL
    );
    CREATE INDEX missions_source ON missions(source);
    CREATE INDEX missions_posted ON missions(coalesce(posted_at, first_seen));
    CREATE INDEX missions_first_seen ON missions(first_seen);

    CREATE TABLE user_state (
        uid TEXT PRIMARY KEY,
        read INTEGER NOT NULL DEFAULT 0,
        starred INTEGER NOT NULL DEFAULT 0,
        hidden INTEGER NOT NULL DEFAULT 0,
        pipeline TEXT NOT NULL DEFAULT 'new',
        note TEXT NOT NULL DEFAULT '',
        snoozed_until TEXT,
        updated_at TEXT NOT NULL
    );

    CREATE VIRTUAL TABLE missions_fts USING fts5(
        title, description, client, skills,
        content='missions', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2',
        prefix='2 3'
    );
    CREATE TRIGGER missions_ai AFTER INSERT ON missions BEGIN
        INSERT INTO missions_fts(rowid, title, description, client, skills)
        VALUES (new.id, new.title, new.description, new.client, new.skills);
    END;
    CREATE TRIGGER missions_ad AFTER DELETE ON missions BEGIN
        INSERT INTO missions_fts(missions_fts, rowid, title, description, client, skills)
        VALUES ('delete', old.id, old.title, old.description, old.client, old.skills);
    END;
    CREATE TRIGGER missions_au AFTER UPDATE OF title, description, client, skills ON missions BEGIN
        INSERT INTO missions_fts(missions_fts, rowid, title, description, client, skills)
        VALUES ('delete', old.id, old.title, old.description, old.client, old.skills);
        INSERT INTO missions_fts(rowid, title, description, client, skills)
        VALUES (new.id, new.title, new.description, new.client, new.skills);
    END;

    CREATE TABLE source_runs (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL,
        error TEXT NOT NULL DEFAULT '',
        items INTEGER NOT NULL DEFAULT 0,
        new INTEGER NOT NULL DEFAULT 0,
        updated INTEGER NOT NULL DEFAULT 0,
        unchanged INTEGER NOT NULL DEFAULT 0,
        coverage TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX source_runs_source ON source_runs(source, id);

    CREATE TABLE http_cache (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        checked_at TEXT NOT NULL
    );
    """,
    # 2: duplicate groups. A mission belongs to the group of the first mission it duplicates
    # (group_uid); user state is keyed by the group, so it follows the group.
    """
    ALTER TABLE missions ADD COLUMN group_uid TEXT;
    ALTER TABLE missions ADD COLUMN dup_kind TEXT NOT NULL DEFAULT '';
    UPDATE missions SET group_uid = uid;
    CREATE INDEX missions_group ON missions(group_uid);
    CREATE TABLE dedup_keys (
        key TEXT NOT NULL,
        mission_id INTEGER NOT NULL REFERENCES missions(id) ON DELETE CASCADE
    );
    CREATE INDEX dedup_keys_key ON dedup_keys(key);
    CREATE INDEX dedup_keys_mission ON dedup_keys(mission_id);
    """,
    # 3: fetch politeness. Per URL: the RSS <ttl> and Cache-Control max-age (seconds, a floor on the
    # source's interval) and a server's Retry-After deadline; robots.txt bodies cached per origin.
    """
    ALTER TABLE http_cache ADD COLUMN ttl INTEGER;
    ALTER TABLE http_cache ADD COLUMN max_age INTEGER;
    ALTER TABLE http_cache ADD COLUMN retry_after TEXT;
    CREATE TABLE robots_cache (
        origin TEXT PRIMARY KEY,
        status INTEGER NOT NULL,
        body TEXT NOT NULL,
        fetched_at TEXT NOT NULL
    );
    """,
    # 4: covering indexes for the search language (missionboard.query), one per indexed sort order
    # (newest, budget, rate). Each holds every column a filter reads, so listing and filtering
    # never read the wide rows (the descriptions), and a first screenful stops after LIMIT rows.
    """
    CREATE INDEX IF NOT EXISTS missions_browse ON missions(
        coalesce(posted_at, first_seen), id, posted_at, first_seen, uid, group_uid, source,
        category, remote, contract, status, language, skills, budget_kind, budget_min, budget_max,
        daily_rate, offers, views
    );
    CREATE INDEX IF NOT EXISTS missions_by_budget ON missions(
        CASE WHEN budget_kind IN ('fixed', 'monthly', 'yearly')
            THEN coalesce(budget_max, budget_min) END,
        coalesce(posted_at, first_seen), id, posted_at, first_seen, uid, group_uid, source,
        category, remote, contract, status, language, skills, budget_kind, budget_min, budget_max,
        daily_rate, offers, views
    );
    CREATE INDEX IF NOT EXISTS missions_by_rate ON missions(
        daily_rate, coalesce(posted_at, first_seen), id, posted_at, first_seen, uid, group_uid,
        source, category, remote, contract, status, language, skills, budget_kind, budget_min,
        budget_max, offers, views
    );
    """,
    # 5: sort:match without reading every mission. For the profile in match_profile (the slugs of
    # [profile] skills, set by Store.set_match_profile), match_scores holds each mission's share of
    # skills found in the profile, in the order of the sort; missions sharing no skill have no row.
    # The triggers keep it current as missions come and go.
    f"""
    CREATE TABLE match_profile (slug TEXT PRIMARY KEY);
    CREATE TABLE match_scores (
        id INTEGER PRIMARY KEY,
        share REAL NOT NULL,
        posted TEXT NOT NULL
    );
    CREATE INDEX match_scores_order ON match_scores(share DESC, posted DESC, id DESC);
    CREATE TRIGGER missions_match_ai AFTER INSERT ON missions BEGIN
        {_SCORE_NEW_ROW}
    END;
    CREATE TRIGGER missions_match_au AFTER UPDATE OF skills, posted_at, first_seen ON missions BEGIN
        DELETE FROM match_scores WHERE id = old.id;
        {_SCORE_NEW_ROW}
    END;
    CREATE TRIGGER missions_match_ad AFTER DELETE ON missions BEGIN
        DELETE FROM match_scores WHERE id = old.id;
    END;
    """,
]

# Joining user state through the group makes a mark on one copy show on all of them.
STATE_JOIN = "LEFT JOIN user_state AS s ON s.uid = coalesce(m.group_uid, m.uid)"
# How many stored missions sharing a blocking key are compared with a new one, at most.
DEDUP_CANDIDATES = 200

SCHEMA_VERSION = len(MIGRATIONS)

# Fields that, when they change, make an upsert count as "updated".
_HASHED = (
    "url", "title", "description", "client", "posted_at", "category", "skills", "tags", "remote",
    "remote_evidence", "remote_region", "budget_kind", "budget_min", "budget_max", "currency",
    "budget_raw", "contract", "status", "offers", "views", "language",
)  # fmt: skip


@dataclass(slots=True)
class UpsertResult:
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def merge(self, other: UpsertResult) -> None:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged


def mission_row(mission: Mission, raw: RawMission | None) -> dict[str, Any]:
    """The column values of a mission (without the timestamps the store owns)."""
    row = {
        "uid": mission.uid,
        "source": mission.source,
        "url": mission.url,
        "title": mission.title,
        "description": mission.description,
        "client": mission.client,
        "posted_at": iso(mission.posted_at),
        "category": str(mission.category),
        "skills": " ".join(mission.skills),
        "tags": json.dumps(mission.tags, ensure_ascii=False),
        "remote": str(mission.remote),
        "remote_evidence": mission.remote_evidence,
        "remote_region": mission.remote_region,
        "budget_kind": str(mission.budget.kind),
        "budget_min": mission.budget.min,
        "budget_max": mission.budget.max,
        "currency": mission.budget.currency,
        "budget_raw": mission.budget.raw,
        "daily_rate": mission.daily_rate,
        "contract": str(mission.contract),
        "status": str(mission.status),
        "offers": mission.offers,
        "views": mission.views,
        "language": mission.language,
        "raw": json.dumps(raw.to_json() if raw else {}, ensure_ascii=False),
    }
    digest = hashlib.blake2b(digest_size=12)
    for key in _HASHED:
        digest.update(repr(row[key]).encode("utf-8"))
        digest.update(b"\x1f")
    row["content_hash"] = digest.hexdigest()
    return row


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def row_to_mission(row: sqlite3.Row) -> Mission:
    """A Mission from a ``missions`` row."""
    return Mission(
        uid=row["uid"],
        source=row["source"],
        url=row["url"],
        title=row["title"],
        description=row["description"],
        client=row["client"],
        posted_at=_dt(row["posted_at"]),
        first_seen=_dt(row["first_seen"]),
        last_seen=_dt(row["last_seen"]),
        category=Category(row["category"]),
        skills=row["skills"].split(),
        tags=json.loads(row["tags"]),
        remote=Remote(row["remote"]),
        remote_evidence=row["remote_evidence"],
        remote_region=row["remote_region"],
        budget=Budget(
            BudgetKind(row["budget_kind"]),
            row["budget_min"],
            row["budget_max"],
            row["currency"],
            row["budget_raw"],
        ),
        daily_rate=row["daily_rate"],
        contract=Contract(row["contract"]),
        status=Status(row["status"]),
        offers=row["offers"],
        views=row["views"],
        language=row["language"],
    )


def row_to_state(uid: str, row: sqlite3.Row | None) -> UserState:
    if row is None:
        return UserState(uid)
    return UserState(
        uid=uid,
        read=bool(row["read"]),
        starred=bool(row["starred"]),
        hidden=bool(row["hidden"]),
        pipeline=Pipeline(row["pipeline"]),
        note=row["note"],
        snoozed_until=_dt(row["snoozed_until"]),
    )


_STATE_FIELDS = {"read", "starred", "hidden", "pipeline", "note", "snoozed_until"}


class Store:
    """One connection to the mission database. Not shared between threads."""

    def __init__(self, path: str | Path, *, timeout: float = 5.0, check_same_thread: bool = True):
        self.path = Path(path)
        if str(path) != ":memory:":
            if self.path.is_dir():
                raise StoreError(f"{self.path} is a folder, not a database file")
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = sqlite3.connect(
                str(path),
                timeout=timeout,
                isolation_level=None,
                check_same_thread=check_same_thread,
            )
            self.conn.row_factory = sqlite3.Row
            self._setup()
        except sqlite3.DatabaseError as exc:
            raise self._explain(exc) from None

    def _explain(self, exc: sqlite3.Error) -> StoreError:
        text = str(exc)
        if "file is not a database" in text or "malformed" in text:
            return StoreError(
                f"{self.path} is not a missionboard database ({text}); "
                "point --db or MISSIONBOARD_DB at another file, it was left untouched"
            )
        if "locked" in text or "busy" in text:
            return StoreError(
                f"the database {self.path} is busy (another missionboard is writing); try again in a moment"
            )
        if "readonly" in text or "unable to open" in text:
            return StoreError(f"cannot write the database {self.path}: {text}")
        return StoreError(f"database error in {self.path}: {text}")

    def _setup(self) -> None:
        self.conn.execute("PRAGMA busy_timeout = 5000")
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer missionboard (schema {version}); upgrade missionboard"
            )
        if str(self.path) != ":memory:":
            self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.conn.execute("PRAGMA foreign_keys = ON")
        if version < SCHEMA_VERSION:
            self._migrate(version)

    def _migrate(self, version: int) -> None:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read under the write lock: another process may have migrated meanwhile.
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            for number in range(version, SCHEMA_VERSION):
                for statement in _split_sql(MIGRATIONS[number]):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {number + 1}")
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- generic helpers -----------------------------------------------------------------------

    def execute(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Cursor:
        try:
            return self.conn.execute(sql, tuple(params))
        except sqlite3.OperationalError as exc:
            raise self._explain(exc) from None

    def transaction(self) -> _Transaction:
        """A short write transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``)."""
        return _Transaction(self)

    # --- missions -------------------------------------------------------------------------------

    def upsert(
        self, items: Iterable[tuple[Mission, RawMission | None]], seen_at: datetime | None = None
    ) -> UpsertResult:
        """Insert new missions, update changed ones; keep first_seen, move last_seen.

        The CPU work (rows, hashes, duplicate search) is done before the write lock is taken, so
        the transaction itself is a few indexed writes: a TUI or another process waits little.
        """
        now = iso(seen_at or utc_now())
        result = UpsertResult()
        prepared = [(mission, mission_row(mission, raw)) for mission, raw in items]
        stored = self._stored_hashes([row["uid"] for _, row in prepared])
        groups = self._find_groups([m for m, row in prepared if row["uid"] not in stored])
        with self.transaction():
            for mission, row in prepared:
                existing = self.conn.execute(
                    "SELECT id, content_hash FROM missions WHERE uid = ?", (row["uid"],)
                ).fetchone()
                if existing is None:
                    row.update(first_seen=now, last_seen=now, updated_at=now)
                    columns = ", ".join(row)
                    marks = ", ".join(f":{k}" for k in row)
                    cursor = self.conn.execute(
                        f"INSERT INTO missions ({columns}) VALUES ({marks})", row
                    )
                    # A mission another process stored meanwhile was not searched: its own group.
                    keys, group_uid, kind = groups.get(mission.uid, ([], mission.uid, ""))
                    self._join_group(cursor.lastrowid, keys, group_uid, kind)
                    result.new.append(row["uid"])
                elif existing["content_hash"] == row["content_hash"]:
                    self.conn.execute(
                        "UPDATE missions SET last_seen = ?, raw = ? WHERE id = ?",
                        (now, row["raw"], existing["id"]),
                    )
                    result.unchanged.append(row["uid"])
                else:
                    row.update(last_seen=now, updated_at=now)
                    sets = ", ".join(f"{k} = :{k}" for k in row if k != "uid")
                    self.conn.execute(f"UPDATE missions SET {sets} WHERE uid = :uid", row)
                    result.updated.append(row["uid"])
        return result

    def _stored_hashes(self, uids: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for start in range(0, len(uids), 500):
            chunk = uids[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            for row in self.execute(
                f"SELECT uid, content_hash FROM missions WHERE uid IN ({marks})", chunk
            ):
                found[row["uid"]] = row["content_hash"]
        return found

    def update_normalised(self, items: Iterable[tuple[Mission, RawMission]]) -> list[str]:
        """Replace the derived columns of stored missions (first_seen and last_seen stay)."""
        changed = []
        with self.transaction():
            for mission, raw in items:
                row = mission_row(mission, raw)
                stored = self.conn.execute(
                    "SELECT content_hash FROM missions WHERE uid = ?", (row["uid"],)
                ).fetchone()
                if stored is None or stored["content_hash"] == row["content_hash"]:
                    continue
                sets = ", ".join(f"{k} = :{k}" for k in row if k != "uid")
                self.conn.execute(f"UPDATE missions SET {sets} WHERE uid = :uid", row)
                changed.append(row["uid"])
        return changed

    def _find_groups(self, missions: list[Mission]) -> dict[str, tuple[list[str], str, str]]:
        """For each new mission: its blocking keys, the group it joins and why (normalise.dedup).

        Candidates are stored missions sharing a key, and the earlier missions of the same batch.
        """
        groups: dict[str, tuple[list[str], str, str]] = {}
        batch: dict[str, list[tuple[Mission, str]]] = {}
        for mission in missions:
            keys = blocking_keys(mission)
            group_uid, kind = mission.uid, ""
            if keys:
                candidates: dict[str, tuple[Mission, str]] = {}
                for key in keys:
                    for other, other_group in batch.get(key, ()):
                        candidates[other.uid] = (other, other_group)
                marks = ", ".join("?" * len(keys))
                for row in self.execute(
                    "SELECT m.uid, m.source, m.url, m.title, m.description, m.client, m.group_uid "
                    f"FROM missions AS m WHERE m.id IN (SELECT DISTINCT mission_id "
                    f"FROM dedup_keys WHERE key IN ({marks}) ORDER BY mission_id DESC LIMIT ?)",
                    (*keys, DEDUP_CANDIDATES),
                ):
                    other = Mission(
                        uid=row["uid"],
                        source=row["source"],
                        url=row["url"],
                        title=row["title"],
                        description=row["description"],
                        client=row["client"],
                    )
                    candidates[other.uid] = (other, row["group_uid"] or row["uid"])
                match = find_duplicate(mission, (c for c, _ in candidates.values()))
                if match is not None:
                    group_uid, kind = candidates[match.uid][1], match.kind
                for key in keys:
                    batch.setdefault(key, []).append((mission, group_uid))
            groups[mission.uid] = (keys, group_uid, kind)
        return groups

    def _join_group(self, mission_id: int, keys: list[str], group_uid: str, kind: str) -> None:
        self.conn.executemany(
            "INSERT INTO dedup_keys (key, mission_id) VALUES (?, ?)",
            ((key, mission_id) for key in keys),
        )
        self.conn.execute(
            "UPDATE missions SET group_uid = ?, dup_kind = ? WHERE id = ?",
            (group_uid, kind, mission_id),
        )

    def group_members(self, uid: str) -> list[sqlite3.Row]:
        """The other missions of a mission's duplicate group (uid, source, dup_kind, url)."""
        return list(
            self.execute(
                "SELECT uid, source, dup_kind, url, first_seen FROM missions "
                "WHERE group_uid = (SELECT group_uid FROM missions WHERE uid = ?) AND uid != ? "
                "ORDER BY id",
                (uid, uid),
            )
        )

    def get(self, uid: str) -> Mission | None:
        row = self.execute("SELECT * FROM missions WHERE uid = ?", (uid,)).fetchone()
        return row_to_mission(row) if row else None

    def get_raw(self, uid: str) -> RawMission | None:
        row = self.execute("SELECT raw FROM missions WHERE uid = ?", (uid,)).fetchone()
        if not row:
            return None
        data = json.loads(row["raw"])
        return RawMission.from_json(data) if data else None

    # --- match scores (sort:match) ---------------------------------------------------------------

    def match_profile(self) -> list[str]:
        """The skill slugs ``match_scores`` is kept for, sorted; [] when none."""
        return [r[0] for r in self.execute("SELECT slug FROM match_profile ORDER BY slug")]

    def set_match_profile(self, slugs: Iterable[str]) -> bool:
        """Keep ``match_scores`` for these skill slugs (the profile's); True when recomputed.

        Only a changed profile costs anything: one pass over the covering index (about a second
        per million missions). Searches fall back to computing the share per mission meanwhile.
        """
        wanted = sorted(set(slugs))
        if self.match_profile() == wanted:
            return False
        try:
            with self.transaction():
                self.conn.execute("DELETE FROM match_profile")
                self.conn.execute("DELETE FROM match_scores")
                self.conn.executemany(
                    "INSERT INTO match_profile (slug) VALUES (?)", [(s,) for s in wanted]
                )
                if wanted:
                    # Only missions sharing a skill: "any test" before the share is computed.
                    self.conn.execute(
                        "INSERT INTO match_scores (id, share, posted) SELECT id, "
                        f"{match_share(wanted)}, coalesce(posted_at, first_seen) FROM missions "
                        f"WHERE {' OR '.join(skill_tests(wanted))}"
                    )
        except sqlite3.OperationalError as exc:  # a read-only file, a full disk
            raise self._explain(exc) from None
        return True

    def count(self, source: str | None = None) -> int:
        if source:
            return self.execute(
                "SELECT count(*) FROM missions WHERE source = ?", (source,)
            ).fetchone()[0]
        return self.execute("SELECT count(*) FROM missions").fetchone()[0]

    def count_groups(self) -> int:
        """How many missions once duplicates are grouped (each group counts once)."""
        return self.execute(
            "SELECT count(*) FROM missions WHERE group_uid IS NULL OR group_uid = uid"
        ).fetchone()[0]

    def iter_rows(
        self, where: str = "", params: Iterable[Any] = (), order_by: str = ""
    ) -> Iterator[sqlite3.Row]:
        """Missions joined with their user state, one row each, optionally filtered and sorted."""
        sql = (
            "SELECT m.*, s.read, s.starred, s.hidden, s.pipeline, s.note, s.snoozed_until "
            f"FROM missions AS m {STATE_JOIN}"
        )
        if where:
            sql += f" WHERE {where}"
        sql += f" ORDER BY {order_by or 'coalesce(m.posted_at, m.first_seen) DESC, m.id DESC'}"
        yield from self.execute(sql, params)

    # --- user state ------------------------------------------------------------------------------

    def state_key(self, uid: str) -> str:
        """The uid user state is kept under: the mission's group (itself when it has none)."""
        row = self.execute("SELECT group_uid FROM missions WHERE uid = ?", (uid,)).fetchone()
        return row["group_uid"] if row and row["group_uid"] else uid

    def get_state(self, uid: str) -> UserState:
        row = self.execute(
            "SELECT * FROM user_state WHERE uid = ?", (self.state_key(uid),)
        ).fetchone()
        return row_to_state(uid, row)

    def set_state(self, uid: str, **changes: Any) -> UserState:
        """Change the user's own marks on a mission (read, starred, hidden, pipeline, note, snooze)."""
        unknown = set(changes) - _STATE_FIELDS
        if unknown:
            raise ValueError(f"unknown user state field(s): {', '.join(sorted(unknown))}")
        if "pipeline" in changes:
            changes["pipeline"] = str(Pipeline(changes["pipeline"]))
        if "snoozed_until" in changes:
            changes["snoozed_until"] = iso(changes["snoozed_until"])
        for flag in ("read", "starred", "hidden"):
            if flag in changes:
                changes[flag] = int(bool(changes[flag]))
        now = iso(utc_now())
        key = self.state_key(uid)
        with self.transaction():
            self.conn.execute(
                "INSERT INTO user_state (uid, updated_at) VALUES (?, ?) ON CONFLICT(uid) DO NOTHING",
                (key, now),
            )
            if changes:
                sets = ", ".join(f"{k} = :{k}" for k in changes)
                self.conn.execute(
                    f"UPDATE user_state SET {sets}, updated_at = :updated_at WHERE uid = :uid",
                    {**changes, "uid": key, "updated_at": now},
                )
        return self.get_state(uid)

    # --- fetch bookkeeping ----------------------------------------------------------------------

    def get_validators(self, url: str) -> tuple[str | None, str | None]:
        row = self.execute(
            "SELECT etag, last_modified FROM http_cache WHERE url = ?", (url,)
        ).fetchone()
        return (row["etag"], row["last_modified"]) if row else (None, None)

    def save_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Remember the newest ETag / Last-Modified of a URL (sent on a 200 or a 304)."""
        with self.transaction():
            self.conn.execute(
                "INSERT INTO http_cache (url, etag, last_modified, checked_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(url) DO UPDATE SET etag = coalesce(excluded.etag, etag), "
                "last_modified = coalesce(excluded.last_modified, last_modified), "
                "checked_at = excluded.checked_at",
                (url, etag, last_modified, iso(utc_now())),
            )

    def record_run(
        self,
        source: str,
        started_at: datetime,
        status: str,
        error: str = "",
        items: int = 0,
        result: UpsertResult | None = None,
        coverage: dict[str, float] | None = None,
    ) -> None:
        """Keep one line of history per source per fetch, for `missionboard sources`."""
        result = result or UpsertResult()
        with self.transaction():
            self.conn.execute(
                "INSERT INTO source_runs (source, started_at, finished_at, status, error, items, new, "
                "updated, unchanged, coverage) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    source,
                    iso(started_at),
                    iso(utc_now()),
                    status,
                    error,
                    items,
                    len(result.new),
                    len(result.updated),
                    len(result.unchanged),
                    json.dumps(coverage or {}),
                ),
            )

    def last_runs(self, source: str, limit: int = 10) -> list[sqlite3.Row]:
        return list(
            self.execute(
                "SELECT * FROM source_runs WHERE source = ? ORDER BY id DESC LIMIT ?",
                (source, limit),
            )
        )


class _Transaction:
    def __init__(self, store: Store):
        self.store = store

    def __enter__(self) -> sqlite3.Connection:
        try:
            self.store.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise self.store._explain(exc) from None
        return self.store.conn

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            try:
                self.store.conn.execute("COMMIT")
            except sqlite3.OperationalError as error:
                self.store.conn.execute("ROLLBACK")
                raise self.store._explain(error) from None
        else:
            self.store.conn.execute("ROLLBACK")


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    current: list[str] = []
    for line in script.strip().splitlines():
        current.append(line)
        joined = "\n".join(current).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            statements.append(joined)
            current = []
    if "\n".join(current).strip():
        statements.append("\n".join(current).strip())
    return statements
