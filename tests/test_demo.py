from missionboard.demo import build_demo_store
from missionboard.store import Store


def test_demo_store_is_built_from_every_bundled_recording(tmp_path):
    report = build_demo_store(tmp_path / "demo.db")
    assert report.warnings == []
    with Store(tmp_path / "demo.db") as store:
        assert store.count() == report.missions
        assert store.count("codeur") == 35
        # Every source is in the demo, each with every mission of its recordings.
        expected = {
            "remoteok": 12, "remotive": 9, "jobicy": 9, "himalayas": 4, "workingnomads": 4,
            "arbeitnow": 5, "hackernews": 6, "reddit_forhire": 4, "weworkremotely": 4,
            "upwork": 30, "freework": 3,
        }  # fmt: skip
        assert {name: store.count(name) for name in expected} == expected
        assert report.missions == 35 + sum(expected.values())
        # The listing page's competition signals reached the same rows as the feed's exact dates.
        row = store.get("codeur:481826")
        assert row.offers == 9 and row.posted_at.isoformat() == "2026-04-17T09:51:00+00:00"
    # Building it again changes nothing.
    assert build_demo_store(tmp_path / "demo.db").missions == report.missions
