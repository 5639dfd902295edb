"""Duplicates on real recorded missions: reposts by the same client, the same job on two sites."""

from __future__ import annotations

from dataclasses import replace

from missionboard.normalise.dedup import blocking_keys, classify_pair, dedup_key, find_duplicate
from tests.normalise_helpers import normalised, raw_missions


def test_same_codeur_client_posting_the_same_need_again_is_a_repost() -> None:
    # "Je recherche un developeur d'application mobile ... transporter des bagages" and
    # "Nous recherchons un développeur d'application mobile ... transport de bagages".
    match = classify_pair(normalised("codeur:481781"), normalised("codeur:481817"))
    assert match is not None
    assert (match.uid, match.kind) == ("codeur:481817", "repost")


def test_hacker_news_post_and_we_work_remotely_listing_are_the_same_job() -> None:
    hn = normalised("hackernews:48860201")  # "Qase | Developer Advocate | Technical Customer ..."
    wwr = [
        normalised("weworkremotely:qase-developer-advocate"),
        normalised("weworkremotely:qase-technical-customer-support-specialist"),
    ]
    for listing in wwr:
        match = classify_pair(hn, listing)
        assert match is not None and match.kind == "other_source"
    # The two WWR listings are two jobs of one client, not duplicates of each other.
    assert classify_pair(wwr[0], wwr[1]) is None


def test_same_title_different_text_is_not_a_duplicate() -> None:
    # Two "Recherche monteur vidéo" cards: YouTube scooter videos vs open-days promotion.
    assert classify_pair(normalised("codeur:481803"), normalised("codeur:481823")) is None


def test_one_clients_boilerplate_does_not_make_two_jobs_one() -> None:
    # Two Centene jobs on Jobicy share long benefits text but are different roles.
    assert classify_pair(normalised("jobicy:150168"), normalised("jobicy:150169")) is None


def test_no_false_groups_across_the_whole_labelled_set() -> None:
    missions = [normalised(uid) for uid in raw_missions()]
    found = set()
    for i, old in enumerate(missions):
        for new in missions[i + 1 :]:
            match = classify_pair(new, old)
            if match:
                found.add(frozenset((new.uid, old.uid)))
    assert found == {
        frozenset(("codeur:481781", "codeur:481817")),
        frozenset(("upwork:01e98edfdf8a851415", "upwork:01baa67a6d1b9c3e8f")),
        frozenset(("remotive:2091072", "remotive:2091048")),
        frozenset(("workingnomads:1712616", "workingnomads:1719508")),
        frozenset(("hackernews:48860201", "weworkremotely:qase-developer-advocate")),
        frozenset(
            ("hackernews:48860201", "weworkremotely:qase-technical-customer-support-specialist")
        ),
    }


def test_find_duplicate_picks_the_best_and_keys_are_stable() -> None:
    new = normalised("workingnomads:1712616")
    old = normalised("workingnomads:1719508")
    other = normalised("workingnomads:1713292")
    assert find_duplicate(new, [other, old]).uid == old.uid
    assert find_duplicate(new, [other]) is None
    # The same text seen again under a new id has the same fingerprint; another job has not.
    assert dedup_key(replace(new, uid="workingnomads:x")) == dedup_key(new)
    assert dedup_key(new) != dedup_key(other)
    assert set(blocking_keys(new)) & set(blocking_keys(old))
