"""Parse every source's recordings with its recipe, repeatedly, and print items per second.

Plain script: `python bench/sources_parse.py`. Parsing is the CPU part of a fetch; the network is not
measured here.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from missionboard.sources import load_recipes
from missionboard.sources.text import html_to_text

FIXTURES = Path(__file__).parents[1] / "tests" / "fixtures"
PLAN = {
    "codeur": ("rss", "codeur/projects_35.rss"),
    "codeur listing": ("listing", "codeur/projects_listing_2026-04-17_aibuilderX.html"),
    "remoteok": ("api", "remoteok/api_2026-08-03_lcarlini_4jobs.json"),
    "remotive": ("api", "remotive/api_remote-jobs_2026-08-03_lcarlini_5jobs.json"),
    "jobicy": ("api", "jobicy/api_v2_remote-jobs_2026-08-03_lcarlini_5jobs.json"),
    "himalayas": ("api", "himalayas/jobs_api_2026-07_ikevinxie_trimmed.json"),
    "workingnomads": ("api", "workingnomads/exposed_jobs_2026-07_ikevinxie_trimmed.json"),
    "arbeitnow": ("api", "arbeitnow/job-board-api_2026-08-03_lcarlini_5jobs.json"),
    "hackernews": ("whoishiring", "hackernews/algolia_whoishiring_2026-07_ikevinxie_trimmed.json"),
    "reddit_forhire": ("new", "reddit_forhire/forhire_new_json_2026-04-17_aibuilderX.json"),
    "weworkremotely": ("rss", "weworkremotely/remote-jobs_rss_2026-07_ikevinxie_4items.xml"),
    "upwork": ("rss", "upwork/topics_rss_android_2018-03-07_wbrawner.xml"),
    "freework": ("api", "freework/job_postings_documented_fields.json"),
}


def main() -> None:
    recipes = load_recipes().recipes
    now = datetime.now(UTC)
    print(f"{'source':<16}{'items':>6}{'ms/body':>10}{'items/s':>10}")
    for label, (endpoint, fixture) in PLAN.items():
        recipe = recipes[label.split()[0]]
        body = (FIXTURES / fixture).read_bytes()
        rounds = 0
        items = 0
        start = time.perf_counter()
        while time.perf_counter() - start < 0.5:
            html_to_text.cache_clear()  # each body is new in a real fetch: no warm cache
            items = len(recipe.parse(recipe.endpoints[endpoint], body, now))
            rounds += 1
        elapsed = time.perf_counter() - start
        per_body = elapsed / rounds * 1000
        print(f"{label:<16}{items:>6}{per_body:>10.2f}{items * rounds / elapsed:>10.0f}")


if __name__ == "__main__":
    main()
