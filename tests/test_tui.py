"""The interface driven by Pilot: every key action, the search bar, views, screens, empty states.

Each test asserts on the store (what the user's action changed) and on the screen (what they see).
"""

from __future__ import annotations

import pytest

from missionboard.config import Config
from missionboard.model import Budget, BudgetKind, Mission
from missionboard.store import Store
from missionboard.tui.search import search_ids
from tests.configs import builtin_sources
from tests.httpserver import Route
from tests.tui_helpers import (
    NOW,
    RECORDED_AT,
    build_store,
    make_test_app,
    screen_text,
    settle,
)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "missions.db"
    build_store(path)
    return path


def current_uid(app) -> str:
    return app.main.current().uid


def shown_ids(app) -> list[int]:
    return list(app.main.mission_list.ids)


async def test_opens_on_the_newest_missions_with_the_detail_of_the_first(db):
    app = make_test_app(db)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "36 of 36 missions" in text
        # Newest first: the remoteok mission (11:30) is above every Codeur one of that morning.
        assert current_uid(app) == "remoteok:1"
        assert "Acme" in text and "Europe" in text and "evidence: Fully remote" in text
        assert "500-650€/d" in text


async def test_scraped_markup_and_escape_sequences_stay_text(db):
    app = make_test_app(db)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "[bold red]Urgent[/bold red]" in text
        assert "\x1b" not in text
        assert "[31mPython API" in text


async def test_read_star_hide_keys_change_the_store_and_the_marks(db):
    app = make_test_app(db)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        uid = current_uid(app)
        store = app.session.store
        assert not store.get_state(uid).read
        await pilot.press("r")
        assert store.get_state(uid).read
        await pilot.press("r")
        assert not store.get_state(uid).read
        await pilot.press("s")
        assert store.get_state(uid).starred
        await pilot.pause()
        assert "★ starred" in screen_text(app)
        first_line = app.main.mission_list.render_line(0).text
        assert first_line.lstrip().startswith("★")
        before = len(shown_ids(app))
        await pilot.press("h")
        await pilot.pause()
        assert store.get_state(uid).hidden
        assert len(shown_ids(app)) == before - 1
        assert current_uid(app) != uid
        # Hidden missions come back with is:hidden, and h unhides.
        await pilot.press("slash", *"is:hidden")
        await settle(app, pilot)
        assert current_uid(app) == uid
        await pilot.press("escape", "h")
        assert not store.get_state(uid).hidden


async def test_enter_opens_and_marks_read_next_and_previous_move(db):
    app = make_test_app(db)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        first = current_uid(app)
        await pilot.press("j")
        second = current_uid(app)
        assert second != first
        assert app.session.store.get(second).title.split()[0] in screen_text(app)
        await pilot.press("down", "k", "up")
        assert current_uid(app) == first
        await pilot.press("enter")
        assert app.session.store.get_state(first).read


async def test_narrow_terminal_shows_the_detail_in_place_of_the_list(db):
    app = make_test_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert "Competition" not in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "Competition" in text and "esc" in text
        await pilot.press("escape")
        await pilot.pause()
        assert "Competition" not in screen_text(app)


async def test_pipeline_note_and_snooze(db):
    app = make_test_app(db)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        uid = current_uid(app)
        store = app.session.store
        await pilot.press("p")
        await pilot.pause()
        assert "Pipeline status" in screen_text(app)
        await pilot.press("a")
        await pilot.pause()
        assert str(store.get_state(uid).pipeline) == "applied"
        assert "status: applied" in screen_text(app)
        await pilot.press("n", *"call Tuesday", "enter")
        await pilot.pause()
        assert store.get_state(uid).note == "call Tuesday"
        assert "call Tuesday" in screen_text(app)
        # Escape cancels without touching the note.
        await pilot.press("n", "x", "escape")
        assert store.get_state(uid).note == "call Tuesday"
        await pilot.press("z", "w")
        await pilot.pause()
        assert store.get_state(uid).snoozed_until.date().isoformat() == "2026-04-24"
        assert uid not in [app.main.rows.get(i).uid for i in shown_ids(app) if app.main.rows.get(i)]


async def test_open_in_browser_and_copy_link(db):
    opened: list[str] = []
    app = make_test_app(db, opener=opened.append)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        uid = current_uid(app)
        await pilot.press("o")
        assert opened == ["https://remoteok.com/remote-jobs/1"]
        assert app.session.store.get_state(uid).read
        await pilot.press("c")
        assert app.clipboard == "https://remoteok.com/remote-jobs/1"


async def test_search_bar_filters_as_you_type_and_shows_errors(db):
    app = make_test_app(db)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        assert app.focused.id == "search"
        await pilot.press(*"python")
        await settle(app, pilot)
        uids = {
            app.session.store.execute("SELECT uid FROM missions WHERE id = ?", (i,)).fetchone()[0]
            for i in shown_ids(app)
        }
        assert uids == {"remoteok:1", "remotive:2"}
        assert "2 of 36 missions" in screen_text(app)
        await pilot.press(*":x")
        await settle(app, pilot)
        text = screen_text(app)
        assert "✗" in text and "python:x" in text
        # The list keeps the last good result while the search is wrong.
        assert len(shown_ids(app)) == 2
        for _ in range(len(":x")):
            await pilot.press("backspace")
        await settle(app, pilot)
        assert "✗" not in screen_text(app)
        await pilot.press("enter")
        assert app.focused is app.main.mission_list


async def test_nothing_matches_says_what_to_loosen(db):
    app = make_test_app(db)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"zzzyyyxxx")
        await settle(app, pilot)
        text = screen_text(app)
        assert "Nothing matches “zzzyyyxxx”" in text
        assert "Loosen the search" in text


async def test_empty_store_explains_how_to_fetch(tmp_path):
    app = make_test_app(tmp_path / "empty.db")
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "No missions yet." in text
        assert "missionboard fetch" in text


async def test_views_switch_and_show_unread_counts(db):
    app = make_test_app(db)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        assert "1 All 36" in screen_text(app)
        assert "2 py 2" in screen_text(app)
        await pilot.press("2")
        await settle(app, pilot)
        assert len(shown_ids(app)) == 2
        await pilot.press("enter")  # reads one: the counts follow
        await settle(app, pilot)
        assert "2 py 1" in screen_text(app)
        await pilot.press("v")  # py -> Starred
        await settle(app, pilot)
        assert shown_ids(app) == []
        assert "Press 1 for All" in screen_text(app)
        await pilot.press("v")  # back to All
        await settle(app, pilot)
        assert len(shown_ids(app)) == 36


async def test_sort_cycles_newest_budget_rate_match(db):
    app = make_test_app(db)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("S")
        await settle(app, pilot)
        assert "sort: budget" in screen_text(app)
        store = app.session.store
        top = store.execute(
            "SELECT budget_max FROM missions WHERE id = ?", (shown_ids(app)[0],)
        ).fetchone()[0]
        assert top == store.execute("SELECT max(budget_max) FROM missions").fetchone()[0]
        await pilot.press("S")
        await settle(app, pilot)
        assert "sort: daily rate" in screen_text(app)
        assert (
            current_uid(app) == "codeur:481820"
            or store.execute(
                "SELECT daily_rate FROM missions WHERE id = ?", (shown_ids(app)[0],)
            ).fetchone()[0]
            == store.execute("SELECT max(daily_rate) FROM missions").fetchone()[0]
        )
        await pilot.press("S")
        await settle(app, pilot)
        assert "sort: match" in screen_text(app)
        # Both python missions match the profile (python): they lead.
        assert {current_uid(app)} <= {"remoteok:1", "remotive:2"}


async def test_missions_written_by_another_process_are_offered_then_shown(db):
    app = make_test_app(db)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        with Store(db) as other:  # a cron fetch, in its own connection
            other.upsert(
                [
                    (
                        Mission(
                            uid="cron:1",
                            source="cron",
                            url="https://x.test/1",
                            title="Fresh from cron",
                            posted_at=NOW,
                            budget=Budget(BudgetKind.FIXED, None, 900, "EUR", "900 €"),
                        ),
                        None,
                    )
                ],
                RECORDED_AT,
            )
        app.main.check_for_new()
        await pilot.pause()
        assert "1 new: press R" in screen_text(app)
        assert len(shown_ids(app)) == 36
        await pilot.press("R")
        await settle(app, pilot)
        assert len(shown_ids(app)) == 37
        assert "Fresh from cron" in screen_text(app)
        assert "new: press R" not in screen_text(app)


async def test_fetch_from_the_interface_runs_in_a_worker(tmp_path, server, fixtures):
    server.routes["/projects.rss"] = Route.file(fixtures / "codeur/codeur_one_item.rss")
    others_off = {name: {"enabled": False} for name in builtin_sources() if name != "codeur"}
    config = Config(sources={"codeur": {"base_url": server.url}, **others_off})
    app = make_test_app(tmp_path / "fresh.db", config)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        assert "No missions yet." in screen_text(app)
        await pilot.press("F")
        await settle(app, pilot)
        assert "codeur: 1 new" in screen_text(app)
        assert "1 new: press R" in screen_text(app)
        await pilot.press("R")
        await settle(app, pilot)
        assert len(shown_ids(app)) == 1
        assert app.session.store.last_runs("codeur")[0]["status"] == "ok"


async def test_sources_stats_and_help_screens(db):
    app = make_test_app(db)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("H")
        await pilot.pause()
        text = screen_text(app)
        assert "Sources" in text and "codeur" in text and "1h ago" in text
        await pilot.press("escape", "T")
        await pilot.pause()
        text = screen_text(app)
        assert "Missions per day" in text and "Skills most in demand" in text
        assert "Fixed budgets by category" in text and "% remote" in text
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert "star or unstar" in text and "skill:python" in text
        await pilot.press("escape")
        await pilot.pause()
        assert "star or unstar" not in screen_text(app)


async def test_keys_are_remapped_from_the_config(db):
    config = Config(tui={"keys": {"star": "x"}})
    app = make_test_app(db, config)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        uid = current_uid(app)
        await pilot.press("x")
        assert app.session.store.get_state(uid).starred
        await pilot.press("s")  # no longer star
        assert app.session.store.get_state(uid).starred
        assert " x  Star" in screen_text(app)


async def test_ctrl_q_quits(db):
    app = make_test_app(db)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_a_duplicate_on_another_site_is_named_and_shares_marks(db):
    with Store(db) as store:
        original = store.get("remotive:2")
        copy = Mission(
            uid="himalayas:9",
            source="himalayas",
            url="https://himalayas.app/jobs/9",
            title=original.title,
            description=original.description,
            client=original.client,
            posted_at=original.posted_at,
            skills=original.skills,
            remote=original.remote,
        )
        store.upsert([(copy, None)], RECORDED_AT)
        assert store.group_members("himalayas:9"), "the store did not group the copy"
    app = make_test_app(db)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"django", "enter")
        await settle(app, pilot)
        # One row for the group (DESIGN: grouped, not deleted), "+1" in its source column, and
        # the detail names the other site.
        assert len(shown_ids(app)) == 1 and current_uid(app) == "remotive:2"
        line = app.main.mission_list.render_line(0).text
        assert "remot… +1" in line and line.count("Django developer") == 1
        assert "Also on" in screen_text(app) and "himalayas.app/jobs/9" in screen_text(app)
        await pilot.press("s")
        await pilot.pause()
        # The mark is on the group: both copies have it.
        assert app.session.store.get_state("remotive:2").starred
        assert app.session.store.get_state("himalayas:9").starred
        assert app.main.mission_list.render_line(0).text.lstrip().startswith("★")
        # A search only the copy matches shows the copy, with the same mark.
        await pilot.press("escape", "slash", "ctrl+u", *"source:himalayas", "enter")
        await settle(app, pilot)
        assert [current_uid(app)] == ["himalayas:9"]
        assert app.main.mission_list.render_line(0).text.lstrip().startswith("★")


async def test_a_repost_is_one_row_and_counts_once(db):
    app = make_test_app(db)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        store = app.session.store
        assert store.count() == 37 and store.count_groups() == 36
        by_id = dict(store.execute("SELECT id, uid FROM missions").fetchall())
        shown = [by_id[i] for i in shown_ids(app)]
        # Codeur 481781 is a repost of 481817: the newer one stands for both.
        assert "codeur:481817" in shown and "codeur:481781" not in shown
        assert "36 of 36 missions" in screen_text(app) and "1 All 36" in screen_text(app)
        everything = search_ids(store, "", now=NOW)
        assert len(everything) == 37 and set(shown) < {by_id[i] for i in everything}


async def test_a_one_letter_word_waits_for_the_next_letter_or_enter(db):
    app = make_test_app(db)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"python")
        await settle(app, pilot)
        assert len(shown_ids(app)) == 2
        await pilot.press("space", "d")
        await settle(app, pilot)
        assert len(shown_ids(app)) == 2  # "d" alone is not searched yet
        await pilot.press("j")
        await settle(app, pilot)
        assert [current_uid(app)] == ["remotive:2"] and len(shown_ids(app)) == 1
        await pilot.press("backspace")
        await settle(app, pilot)
        assert len(shown_ids(app)) == 2
        await pilot.press("enter")  # enter searches what is there, "d" included
        await settle(app, pilot)
        expected = search_ids(app.session.store, "python d", now=NOW)
        assert shown_ids(app) == expected


async def test_a_large_store_shows_a_first_screenful_then_the_whole_result(db, monkeypatch):
    from missionboard.tui.screens import main as main_screen

    monkeypatch.setattr(main_screen, "FIRST_PAGE_FROM", 0)
    app = make_test_app(db)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        assert len(shown_ids(app)) == 36 and "36 of 36" in screen_text(app)
        await pilot.press("slash", *"site")
        await settle(app, pilot)
        assert shown_ids(app) == search_ids(app.session.store, "site", now=NOW)


async def test_default_view_and_sort_come_from_the_config_and_mistakes_are_named(db):
    config = Config(views={"py": "python"}, tui={"default_view": "py", "default_sort": "budget"})
    app = make_test_app(db, config)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        assert len(shown_ids(app)) == 2 and "sort: budget" in screen_text(app)
    config = Config(tui={"default_view": "nope", "default_sort": "cheapest"})
    app = make_test_app(db, config)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        messages = [n.message for n in app._notifications]
        assert any("no view called 'nope'" in m for m in messages)
        assert any("'cheapest' is not one of" in m for m in messages)
        assert len(shown_ids(app)) == 36
