"""Shared by the TUI tests: a fixed store built through the real parsers, a fixed clock, screen text."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from missionboard.config import Config, resolve_paths
from missionboard.ingest import ingest_body
from missionboard.model import Budget, BudgetKind, Mission, Remote
from missionboard.sources.recipe import load_recipes
from missionboard.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
RECORDED_AT = datetime(2026, 4, 17, 12, 0, tzinfo=UTC)
NOW = datetime(2026, 4, 17, 14, 0, tzinfo=UTC)

# A title a hostile page could send: markup and an escape sequence must stay text.
HOSTILE_TITLE = "[bold red]Urgent[/bold red] \x1b[31mPython API\x1b[0m remote"


def extra_missions() -> list[Mission]:
    """Missions shaped like other sources' (remote, python, daily rates), for search and sort."""
    return [
        Mission(
            uid="remoteok:1",
            source="remoteok",
            url="https://remoteok.com/remote-jobs/1",
            title=HOSTILE_TITLE,
            description="Build a Python API with FastAPI. Fully remote, Europe only.",
            client="Acme",
            posted_at=datetime(2026, 4, 17, 11, 30, tzinfo=UTC),
            skills=["python", "fastapi"],
            remote=Remote.REMOTE,
            remote_evidence="Fully remote",
            remote_region="Europe",
            budget=Budget(BudgetKind.DAILY, 500, 650, "EUR", "500-650 €/day"),
            daily_rate=575,
        ),
        Mission(
            uid="remotive:2",
            source="remotive",
            url="https://remotive.com/job/2",
            title="Django developer for a booking site",
            description="Python and Django, remote from France.",
            client="Réserv'Eau",
            posted_at=datetime(2026, 4, 16, 9, 0, tzinfo=UTC),
            skills=["python", "django"],
            remote=Remote.REMOTE,
            remote_evidence="remote",
            budget=Budget(BudgetKind.FIXED, None, 8000, "EUR", "8 000 €"),
        ),
    ]


def build_store(db: Path) -> None:
    """The Codeur recordings through the real recipe, two more missions, and a recorded fetch."""
    recipes = load_recipes().recipes
    codeur = recipes["codeur"]
    with Store(db) as store:
        ingest_body(
            store,
            codeur,
            codeur.endpoints["rss"],
            (FIXTURES / "codeur/projects_35.rss").read_bytes(),
            RECORDED_AT,
            codeur.url(codeur.endpoints["rss"]),
        )
        store.upsert([(m, None) for m in extra_missions()], RECORDED_AT)
        store.execute(
            "INSERT INTO source_runs (source, started_at, finished_at, status, error, items, new) "
            "VALUES ('codeur', '2026-04-17T12:00:00+00:00', '2026-04-17T12:00:05+00:00', 'ok', '', 35, 35)"
        )


def make_test_app(db: Path, config: Config | None = None, **kwargs):
    from missionboard.tui.app import make_app

    config = config or Config(profile_skills=["Python", "WordPress"], views={"py": "python"})
    kwargs.setdefault("poll_seconds", None)
    return make_app(resolve_paths(None, db), config, now=lambda: NOW, **kwargs)


def screen_text(app) -> str:
    """What the terminal shows, as plain text lines."""
    update = app.screen._compositor.render_full_update(simplify=True)
    lines = []
    for row in update.strips:
        lines.append("".join(segment.text for strip in row for segment in strip).rstrip())
    return "\n".join(lines)


async def settle(app, pilot) -> None:
    """Wait for searches and counts in workers, then for the repaint."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
