"""The normaliser held to the hand-labelled set drawn from the real recordings."""

from __future__ import annotations

from collections import Counter

from tests.normalise_helpers import evaluate, load_cases


def test_labelled_set_covers_both_languages_and_every_source() -> None:
    cases = load_cases()
    sources = Counter(case.raw.source for case in cases)
    assert len(cases) >= 130
    assert len(sources) == 14
    assert sum(1 for c in cases if c.raw.language == "fr") >= 35
    assert any(c.raw.source == "codeur" for c in cases)


def test_targets_on_the_labelled_set() -> None:
    report = evaluate(load_cases())
    assert report.budget_rate >= 0.97, "\n".join(f for f in report.failures if "budget" in f)
    assert report.stated_accuracy >= 0.95, "\n".join(f for f in report.failures if "remote" in f)
    assert report.skills_f1 >= 0.9
