"""SVG snapshots of the main screens on a fixed store and a fixed clock.

Regenerate after an intended change with `pytest tests/test_tui_snapshots.py --snapshot-update`
and look at the report before committing.
"""

from __future__ import annotations

import pytest

from tests.tui_helpers import build_store, make_test_app


@pytest.fixture
def app(tmp_path):
    db = tmp_path / "missions.db"
    build_store(db)
    return make_test_app(db)


async def _settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_list_with_detail(app, snap_compare):
    async def run_before(pilot):
        await _settle(pilot)
        await pilot.press("j", "s")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=(160, 40), run_before=run_before)


def test_list_narrow_with_search(app, snap_compare):
    async def run_before(pilot):
        await _settle(pilot)
        await pilot.press("slash", *"python", "enter", "enter")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_help(app, snap_compare):
    async def run_before(pilot):
        await _settle(pilot)
        await pilot.press("question_mark")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=(120, 45), run_before=run_before)


def test_sources(app, snap_compare):
    async def run_before(pilot):
        await _settle(pilot)
        await pilot.press("H")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=(120, 30), run_before=run_before)


def test_stats(app, snap_compare):
    async def run_before(pilot):
        await _settle(pilot)
        await pilot.press("T")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=(120, 45), run_before=run_before)
