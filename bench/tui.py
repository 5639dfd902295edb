"""Benchmark the mission list on 100k and 1M synthetic missions shaped like the real ones.

    python bench/tui.py                    # 100k and 1M (the stores are cached in bench/.cache)
    python bench/tui.py --sizes 100000     # only 100k

Prints, for the Line-API list and, at 100k, a DataTable-based list in the same run: time to first
paint, median and p95 time from a search keystroke to the repainted list, time to scroll a page and
peak memory (each measured in a fresh process). Targets at 100k: first paint < 1 s, keystroke p95
< 50 ms, memory < 300 MB; at 1M the list stays usable (p95 < 200 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent
CACHE = ROOT / ".cache"
NOW = datetime(2026, 4, 17, 14, 0, tzinfo=UTC)
KEYSTROKES = ["python", " remote", "\b" * 7, "\b" * 6, "wordpress", "\b" * 9, "data", "\b" * 4]
TERMINAL = (200, 60)

SOURCES = [("codeur", 40), ("remoteok", 15), ("remotive", 10), ("hackernews", 10),
           ("himalayas", 8), ("freework", 10), ("jobicy", 4), ("arbeitnow", 3)]  # fmt: skip
ROLES = ["Développeur", "Developer", "Intégrateur", "Designer", "Rédacteur", "Assistante",
         "Consultant", "Data engineer", "Chef de projet", "Community manager", "Traducteur",
         "Secrétaire", "Engineer", "Freelance", "Expert"]  # fmt: skip
TOPICS = ["site vitrine", "application mobile", "API", "boutique en ligne", "refonte", "SEO",
          "tableau de bord", "migration", "logo", "newsletter", "CRM", "automatisation",
          "transcription audio", "backend", "frontend", "scraping", "chatbot", "ERP"]  # fmt: skip
WORDS = (
    "nous recherchons un profil expérimenté pour accompagner notre équipe sur un projet "
    "ambitieux we are looking for an experienced freelancer to join our team remote "
    "télétravail possible mission longue durée deadline budget flexible startup agence "
    "client final cahier des charges disponible rapidement maintenance évolutive"
).split()
REMOTES = [("remote", 45), ("unknown", 35), ("hybrid", 12), ("onsite", 8)]
CATEGORIES = ["dev", "design", "marketing", "writing", "translation", "admin", "data", "other"]


def synthetic_missions(count: int, seed: int = 7):
    """Missions with the mix of sources, skills, budgets and remote classes seen in recordings."""
    from missionboard.model import Budget, BudgetKind, Category, Mission, Remote
    from missionboard.normalise.skills import load_taxonomy

    rng = random.Random(seed)
    slugs = list(load_taxonomy().skills) or ["python"]
    sources = [s for s, w in SOURCES for _ in range(w)]
    remotes = [r for r, w in REMOTES for _ in range(w)]
    for number in range(count):
        source = rng.choice(sources)
        skills = rng.sample(slugs, k=min(len(slugs), rng.randint(0, 4)))
        title = f"{rng.choice(ROLES)} {' '.join(skills[:2])} – {rng.choice(TOPICS)}".replace(
            "  ", " "
        )
        description = " ".join(rng.choices(WORDS, k=rng.randint(30, 90)))
        kind = rng.choice(["fixed", "fixed", "daily", "yearly", "quote", "unknown", "hourly"])
        low = high = None
        if kind == "fixed":
            high = rng.choice([500, 1000, 10000, 2500])
            low = rng.choice([None, high / 2])
        elif kind == "daily":
            low, high = rng.choice([(300, 450), (400, 600), (500, 700)])
        elif kind == "yearly":
            low, high = rng.choice([(45000, 60000), (75000, 95000)])
        elif kind == "hourly":
            low, high = 40.0, 80.0
        budget = Budget(
            BudgetKind(kind), low, high, "EUR" if source in {"codeur", "freework"} else "USD", ""
        )
        daily = (low + high) / 2 if kind == "daily" and low and high else None
        yield Mission(
            uid=f"{source}:{number}",
            source=source,
            url=f"https://{source}.example/{number}",
            title=title,
            description=description,
            client=rng.choice(["", "Acme", "Studio Nord", "Cabinet Martin", "Globex"]),
            posted_at=NOW - timedelta(minutes=rng.randint(1, 180 * 24 * 60)),
            category=Category(rng.choice(CATEGORIES)),
            skills=skills,
            remote=Remote(rng.choice(remotes)),
            budget=budget,
            daily_rate=daily,
        )


def build(count: int) -> Path:
    """The cached synthetic store of ``count`` missions (built once, in bulk)."""
    from missionboard.model import iso
    from missionboard.store import Store, mission_row

    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"missions_{count}.db"
    if path.exists():
        return path
    started = time.perf_counter()
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    seen = iso(NOW)
    with Store(tmp) as store:
        batch = []
        columns = None
        for mission in synthetic_missions(count):
            row = mission_row(mission, None)
            row.update(first_seen=seen, last_seen=seen, updated_at=seen)
            columns = columns or list(row)
            batch.append(tuple(row[c] for c in columns))
            if len(batch) == 20000:
                _insert(store, columns, batch)
                batch = []
        if batch:
            _insert(store, columns, batch)
        # Some of the user's own marks, as after weeks of triage.
        with store.transaction() as conn:
            conn.execute(
                "INSERT INTO user_state (uid, read, starred, updated_at) "
                "SELECT uid, 1, id % 50 = 0, ? FROM missions WHERE id % 7 = 0",
                (seen,),
            )
    tmp.rename(path)
    print(f"built {count:,} missions in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return path


def _insert(store, columns, batch) -> None:
    marks = ", ".join("?" * len(columns))
    with store.transaction() as conn:
        conn.executemany(f"INSERT INTO missions ({', '.join(columns)}) VALUES ({marks})", batch)


# --- the measured side (one fresh process per list kind and size) -------------------------------


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _keys_for(text: str) -> list[str]:
    return ["backspace" if ch == "\b" else ("space" if ch == " " else ch) for ch in text]


async def measure_virtual(db: Path) -> dict:
    from missionboard.config import Config, resolve_paths
    from missionboard.tui.app import make_app

    started = time.perf_counter()
    config = Config(profile_skills=["python", "react", "wordpress"])
    app = make_app(resolve_paths(None, db), config, now=lambda: NOW, poll_seconds=None)
    painted: dict[int, float] = {}
    main = app.main
    show_results = main.show_results

    def timed(ids, generation, complete):
        # The moment the list has the results and its visible lines are rendered.
        show_results(ids, generation, complete)
        _paint(main.mission_list)
        painted.setdefault(generation, time.perf_counter())

    main.show_results = timed
    async with app.run_test(size=TERMINAL) as pilot:
        listing = main.mission_list
        # First paint: missions in the list, the list laid out, its visible lines rendered.
        while not (listing.ids and listing.size.height):
            await pilot.pause(0.001)
        _paint(listing)
        first_paint = time.perf_counter() - started
        await app.workers.wait_for_complete()
        await pilot.press("slash")
        timings = []
        for chunk in KEYSTROKES:
            for key in _keys_for(chunk):
                t0 = time.perf_counter()
                await pilot.press(key)
                await app.workers.wait_for_complete()
                await pilot.pause()
                if main.generation in painted and painted[main.generation] >= t0:
                    timings.append(painted[main.generation] - t0)
                    if os.environ.get("BENCH_VERBOSE"):
                        value = main.search_input.value
                        print(f"{value!r:>22} {timings[-1] * 1000:6.0f} ms", file=sys.stderr)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        pages = []
        for _ in range(30):
            t0 = time.perf_counter()
            listing.action_page_down()
            _paint(listing)
            pages.append(time.perf_counter() - t0)
        total = len(listing.ids)
    return _result("Line-API list", first_paint, timings, pages, total)


def _paint(widget) -> None:
    """Render every visible line of a widget (what the compositor does on refresh)."""
    for y in range(widget.size.height):
        widget.render_line(y)


async def measure_datatable(db: Path) -> dict:
    """The same store in a DataTable: all rows added up front, re-added on each search."""
    from textual.app import App
    from textual.widgets import DataTable, Input

    from missionboard.store import Store
    from missionboard.tui import search
    from missionboard.tui.formatting import format_age, format_budget

    store = Store(db)
    sql = (
        "SELECT m.id, coalesce(m.posted_at, m.first_seen), m.source, m.title, m.budget_kind, "
        "m.budget_min, m.budget_max, m.currency, m.remote FROM missions AS m"
    )

    def rows_for(ids):
        wanted = set(ids)
        out = []
        for r in store.execute(sql):
            if r[0] in wanted:
                out.append((format_age(datetime.fromisoformat(r[1]), NOW), r[2], r[3],
                            format_budget(r[4], r[5], r[6], r[7]), r[8]))  # fmt: skip
        return out

    class TableApp(App):
        def compose(self):
            yield Input(id="search")
            yield DataTable(id="table")

        def on_mount(self):
            table = self.query_one(DataTable)
            table.add_columns("age", "source", "title", "budget", "remote")
            table.add_rows(rows_for(search.search_ids(store, "", now=NOW)))

        def on_input_changed(self, event):
            table = self.query_one(DataTable)
            table.clear()
            try:
                table.add_rows(rows_for(search.search_ids(store, event.value, now=NOW)))
            except search.QueryError:
                pass

    started = time.perf_counter()
    app = TableApp()
    async with app.run_test(size=TERMINAL) as pilot:
        table = app.query_one(DataTable)
        while not table.row_count:
            await pilot.pause()
        await pilot.pause()
        _paint(table)
        first_paint = time.perf_counter() - started
        app.query_one(Input).focus()
        timings = []
        for key in _keys_for("python" + "\b" * 6):
            t0 = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            _paint(table)
            timings.append(time.perf_counter() - t0)
        table.focus()
        pages = []
        for _ in range(10):
            t0 = time.perf_counter()
            table.action_page_down()
            await pilot.pause()
            _paint(table)
            pages.append(time.perf_counter() - t0)
        total = table.row_count
    return _result("DataTable list", first_paint, timings, pages, total)


def _result(name, first_paint, timings, pages, total) -> dict:
    timings = sorted(timings)
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return {
        "name": name,
        "first_paint_s": first_paint,
        "keystroke_median_ms": statistics.median(timings) * 1000,
        "keystroke_p95_ms": p95 * 1000,
        "keystrokes": len(timings),
        "page_scroll_ms": statistics.median(pages) * 1000,
        "peak_mb": _peak_mb(),
        "rows": total,
    }


def child(kind: str, db: Path) -> None:
    measure = measure_virtual if kind == "virtual" else measure_datatable
    print(json.dumps(asyncio.run(measure(db))))


def run_child(kind: str, db: Path) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(db)], capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"{kind} on {db.name} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--no-datatable", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    print(f"{'missions':>9}  {'list':<15} {'first paint':>11} {'key p50':>8} {'key p95':>8} "
          f"{'page':>8} {'peak mem':>9}")  # fmt: skip
    for size in (int(s) for s in args.sizes.split(",")):
        db = build(size)
        kinds = ["virtual"] + (["datatable"] if size <= 100_000 and not args.no_datatable else [])
        for kind in kinds:
            r = run_child(kind, db)
            print(
                f"{size:>9,}  {r['name']:<15} {r['first_paint_s']:>9.2f} s "
                f"{r['keystroke_median_ms']:>5.0f} ms {r['keystroke_p95_ms']:>5.0f} ms "
                f"{r['page_scroll_ms']:>5.1f} ms {r['peak_mb']:>6.0f} MB",
                flush=True,
            )


if __name__ == "__main__":
    main()
