"""Benchmark the search language on synthetic stores of 100k and 1M missions shaped like real ones.

    python bench/query.py                 # 100k and 1M (the stores are cached under bench/.cache)
    python bench/query.py --sizes 100000  # one size
    python bench/query.py --plans         # also print EXPLAIN QUERY PLAN of every query
    python bench/query.py --rebuild       # regenerate the stores

The missions are made from the words of the bundled Codeur recordings (French) and an English job
board vocabulary, with real proportions: short Codeur briefs (a few hundred characters) next to long
job-board descriptions (thousands), 0 to 5 skills, most remote fields unknown, a few percent of the
missions read, starred, hidden or in the pipeline. Each query is timed as the TUI runs it: the
first screenful (limit 200), the full id list (the virtual list over every match) and the count.
"""

from __future__ import annotations

import argparse
import random
import re
import sqlite3
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from missionboard.demo import build_demo_store  # noqa: E402
from missionboard.normalise.skills import load_taxonomy  # noqa: E402
from missionboard.query import compile_query, count, prepare_match, search_ids  # noqa: E402
from missionboard.store import Store, mission_row  # noqa: E402

CACHE = Path(__file__).resolve().parent / ".cache"
NOW = datetime(2026, 4, 17, 12, 0, tzinfo=UTC)
PROFILE = ["python", "wordpress", "react"]

QUERIES = [
    ("everything", ""),
    ("one word", "développeur"),
    ("prefix word", "wordp"),
    ("two words", "site vitrine"),
    ("phrase", '"application mobile"'),
    ("rare word", "oracle"),
    ("skill filter", "skill:python"),
    ("remote filter", "remote:remote"),
    ("word + remote", "developer remote:remote"),
    ("word + skill + budget", "site skill:wordpress budget>=500"),
    ("negation", "-skill:wordpress -remote:onsite"),
    ("word negation", "développeur -stage"),
    ("OR + parens", "(python OR django) -php"),
    ("cat + age", "cat:admin age<7d"),
    ("unread starred", "is:unread OR is:starred"),
    ("sort budget", "cat:dev sort:budget"),
    ("sort rate", "rate>=300 sort:rate"),
    ("sort match", "remote:remote,unknown sort:match"),
    ("word sort budget", "application sort:budget"),
    ("source + word", "source:remoteok engineer"),
]

SOURCES = [
    ("codeur", 0.45, "fr"),
    ("remoteok", 0.12, "en"),
    ("remotive", 0.1, "en"),
    ("jobicy", 0.06, "en"),
    ("himalayas", 0.07, "en"),
    ("hackernews", 0.08, "en"),
    ("reddit_forhire", 0.05, "en"),
    ("arbeitnow", 0.04, "en"),
    ("workingnomads", 0.03, "en"),
]


def _vocabulary() -> tuple[list[str], list[str]]:
    """French words (Codeur) and English words (the job boards) from the bundled recordings, in
    their real frequencies."""
    tmp = CACHE / "demo.db"
    CACHE.mkdir(parents=True, exist_ok=True)
    build_demo_store(tmp)
    words: dict[bool, list[str]] = {True: [], False: []}
    with Store(tmp) as store:
        for source, title, description in store.execute(
            "SELECT source, title, description FROM missions"
        ):
            words[source == "codeur"] += re.findall(r"\w+", f"{title} {description}".lower())
    return words[True], words[False]


def _text(rng: random.Random, words: list[str], length: int) -> str:
    out, size = [], 0
    while size < length:
        word = rng.choice(words)
        out.append(word)
        size += len(word) + 1
        if rng.random() < 0.06:
            out.append(".\n\n" if rng.random() < 0.3 else ".")
    return " ".join(out)


def build(path: Path, size: int, seed: int = 7) -> None:
    """Write ``size`` synthetic missions (and some user state) into a new store at ``path``."""
    from missionboard.model import Budget, BudgetKind, Category, Contract, Mission, Remote, Status

    rng = random.Random(seed)
    fr_words, en_words = _vocabulary()
    skills = list(load_taxonomy().skills)
    path.unlink(missing_ok=True)
    store = Store(path)
    store.execute("PRAGMA synchronous = OFF")
    names, weights = [s[0] for s in SOURCES], [s[1] for s in SOURCES]
    remote_values = [Remote.UNKNOWN, Remote.REMOTE, Remote.HYBRID, Remote.ONSITE]
    kinds = [
        (BudgetKind.FIXED, 0.45),
        (BudgetKind.QUOTE, 0.1),
        (BudgetKind.UNKNOWN, 0.2),
        (BudgetKind.DAILY, 0.1),
        (BudgetKind.HOURLY, 0.05),
        (BudgetKind.YEARLY, 0.1),
    ]
    columns: list[str] | None = None
    batch: list[tuple] = []
    started = time.perf_counter()
    for n in range(size):
        source = rng.choices(names, weights)[0]
        french = source == "codeur"
        words = fr_words if french else en_words
        length = (
            int(rng.uniform(150, 600)) if french else int(min(20000, rng.lognormvariate(7.8, 0.7)))
        )
        kind = rng.choices([k for k, _ in kinds], [w for _, w in kinds])[0]
        low = high = None
        rate = None
        if kind == BudgetKind.FIXED:
            low, high = rng.choice([(None, 500), (500, 1000), (1000, 10000), (10000, None)])
        elif kind == BudgetKind.DAILY:
            low, high = rng.choice([(200, 500), (300, 450), (400, 600)])
            rate = (low + high) / 2
        elif kind == BudgetKind.HOURLY:
            low = rng.randint(15, 120)
            high, rate = low + 20, (low + 10) * 7
        elif kind == BudgetKind.YEARLY:
            low = rng.randint(40, 120) * 1000
            high = low + 20000
        posted = NOW - timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60) * (n / size) ** 0.5)
        mission = Mission(
            uid=f"{source}:{n}",
            source=source,
            url=f"https://example.org/{source}/{n}",
            title=_text(rng, words, rng.randint(20, 70)).replace("\n", " ").strip(" ."),
            description=_text(rng, words, length),
            client=""
            if french
            else rng.choice(["Acme", "Stripe", "Lemon.io", "Workada", "Outsite"]),
            posted_at=posted,
            category=rng.choice(list(Category)),
            skills=rng.sample(
                skills, rng.choice([0, 0, 1, 1, 1, 2, 2, 3, 4, 5][: len(skills) + 1])
            ),
            tags=[],
            remote=rng.choices(remote_values, [0.6, 0.25, 0.05, 0.1])[0],
            budget=Budget(kind, low, high, "EUR" if french else "USD", ""),
            daily_rate=rate,
            contract=Contract.FREELANCE if french else rng.choice(list(Contract)),
            status=Status.OPEN if rng.random() < 0.9 else Status.CLOSED,
            offers=rng.randint(0, 80) if french else None,
            views=rng.randint(0, 900) if french else None,
            language="fr" if french else "en",
        )
        row = mission_row(mission, None)
        row.update(
            first_seen=row["posted_at"],
            last_seen=row["posted_at"],
            updated_at=row["posted_at"],
            group_uid=row["uid"],  # each mission its own duplicate group, as after a fetch
        )
        if columns is None:
            columns = list(row)
        batch.append(tuple(row[c] for c in columns))
        if len(batch) == 5000 or n == size - 1:
            with store.transaction():
                store.conn.executemany(
                    f"INSERT INTO missions ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                    batch,
                )
            batch.clear()
            print(
                f"\r  {n + 1:>9,} missions ({time.perf_counter() - started:.0f} s)",
                end="",
                flush=True,
            )
    print()
    state = []
    for n in rng.sample(range(size), size // 20):
        uid = f"{rng.choices(names, weights)[0]}:{n}"
        state.append(
            (
                uid,
                int(rng.random() < 0.8),
                int(rng.random() < 0.1),
                int(rng.random() < 0.2),
                rng.choice(["new", "new", "interested", "applied", "lost"]),
                NOW.isoformat(),
            )
        )
    with store.transaction():
        store.conn.executemany(
            "INSERT OR IGNORE INTO user_state (uid, read, starred, hidden, pipeline, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            state,
        )
    store.close()


def _time(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _p95(times: list[float]) -> float:
    return sorted(times)[max(0, int(round(0.95 * len(times))) - 1)]


def run(path: Path, size: int, repeat: int, plans: bool) -> None:
    store = Store(path)
    kwargs = {"now": NOW, "profile_skills": PROFILE}
    print(
        f"\n{size:,} missions ({path.stat().st_size / 1e6:.0f} MB), {repeat} runs each, times in ms"
    )
    # What the TUI and `missionboard fetch` do when the profile changed (sort:match reads these).
    store.set_match_profile([])
    started = time.perf_counter()
    prepare_match(store, PROFILE)
    scored = store.execute("SELECT count(*) FROM match_scores").fetchone()[0]
    print(
        f"match scores for the profile {PROFILE}: {scored:,} missions scored in "
        f"{time.perf_counter() - started:.2f} s (once per profile change)"
    )
    print(
        f"{'query':<24} {'hits':>8} | {'first 200':>9} {'p95':>7} | {'all ids':>8} {'p95':>7} | {'count':>7} {'p95':>7}"
    )
    firsts, alls = [], []
    for label, text in QUERIES:
        compiled = compile_query(text, **kwargs)
        hits = count(store, compiled)
        search_ids(store, compiled, limit=200)  # warm the cache
        first = _time(lambda c=compiled: search_ids(store, c, limit=200), repeat)
        full = _time(lambda c=compiled: search_ids(store, c), max(3, repeat // 4))
        counted = _time(lambda c=compiled: count(store, c), max(3, repeat // 4))
        firsts += first
        alls += full
        print(
            f"{label:<24} {hits:>8,} | {statistics.median(first):>9.1f} {_p95(first):>7.1f} | "
            f"{statistics.median(full):>8.1f} {_p95(full):>7.1f} | {statistics.median(counted):>7.1f} {_p95(counted):>7.1f}"
        )
        if plans:
            # The plans of the statements the first screenful really ran (after search_ids chose
            # to walk an index or to drive by the MATCH, and read the match scores).
            ran: list[tuple[str, list]] = []
            execute = store.execute

            def recording(sql, params=(), ran=ran, execute=execute):
                if sql.startswith("SELECT m.id"):
                    ran.append((sql, list(params)))
                return execute(sql, params)

            store.execute = recording  # type: ignore[method-assign]
            search_ids(store, compiled, limit=200)
            store.execute = execute  # type: ignore[method-assign]
            for sql, params in ran:
                for row in store.execute(f"EXPLAIN QUERY PLAN {sql}", params):
                    print(f"{'':<26}{row[3]}")
    print(
        f"{'all queries':<24} {'':>8} | {statistics.median(firsts):>9.1f} {_p95(firsts):>7.1f} | "
        f"{statistics.median(alls):>8.1f} {_p95(alls):>7.1f} |"
    )
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--plans", action="store_true")
    args = parser.parse_args()
    print(f"sqlite {sqlite3.sqlite_version}")
    for size in (int(s) for s in args.sizes.split(",")):
        path = CACHE / f"missions_{size}.db"
        if args.rebuild or not path.exists():
            print(f"building {path} ...")
            build(path, size)
        else:
            Store(path).close()  # apply any new migration to a cached store
        run(path, size, args.repeat, args.plans)


if __name__ == "__main__":
    main()
