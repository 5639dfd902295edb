"""Codeur.com: the recipe on the real listing recording, the real one-item RSS excerpt and a full feed."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from missionboard.model import BudgetKind, Category, Status
from missionboard.normalise import normalise
from missionboard.sources import load_recipes

FETCHED = datetime(2026, 4, 17, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def codeur():
    return load_recipes().recipes["codeur"]


def parse(codeur, endpoint, path):
    warnings: list[str] = []
    raws = codeur.parse(codeur.endpoints[endpoint], path.read_bytes(), FETCHED, warnings=warnings)
    return raws, [normalise(raw, codeur.defaults) for raw in raws], warnings


def tier(budget):
    if budget.kind is BudgetKind.DAILY:
        return f"daily {budget.min:.0f}-{budget.max:.0f} {budget.currency}"
    return f"{budget.kind} {budget.min}-{budget.max} {budget.currency}"


def test_listing_has_35_complete_missions(codeur, fixtures):
    raws, missions, warnings = parse(
        codeur, "listing", fixtures / "codeur/projects_listing_2026-04-17_aibuilderX.html"
    )
    assert warnings == []
    assert len(missions) == 35
    assert len({m.uid for m in missions}) == 35
    for m in missions:
        assert m.uid.startswith("codeur:") and m.uid.split(":")[1].isdigit()
        assert m.url.startswith("https://www.codeur.com/projects/" + m.uid.split(":")[1])
        assert m.title and m.title == m.title.strip()
        assert m.budget.raw


def test_listing_budget_tiers_match_the_page(codeur, fixtures):
    _, missions, _ = parse(
        codeur, "listing", fixtures / "codeur/projects_listing_2026-04-17_aibuilderX.html"
    )
    counts = Counter(tier(m.budget) for m in missions)
    assert counts == {
        "fixed None-500.0 EUR": 16,
        "fixed 500.0-1000.0 EUR": 9,
        "fixed 1000.0-10000.0 EUR": 5,
        "fixed 10000.0-None EUR": 3,
        "daily 200-500 EUR": 2,
    }


def test_listing_status_competition_and_ages(codeur, fixtures):
    raws, missions, _ = parse(
        codeur, "listing", fixtures / "codeur/projects_listing_2026-04-17_aibuilderX.html"
    )
    assert Counter(m.status for m in missions) == {
        Status.OPEN: 32,
        Status.CLOSED: 2,
        Status.IN_PROGRESS: 1,
    }
    first = missions[0]
    assert first.title == "Rédacteur et dévéloppeur site web"
    assert (first.offers, first.views) == (9, 98)
    # "Il y a 9 minutes", resolved against the fetch time.
    assert first.posted_at == FETCHED - timedelta(minutes=9)
    assert all(m.posted_at is not None and m.posted_at <= FETCHED for m in missions)
    assert all(isinstance(m.offers, int) and isinstance(m.views, int) for m in missions)
    assert raws[0].tags == ["Création de site internet", "Rédaction"]
    # The excerpt keeps its line breaks and loses the HTML escaping.
    assert "d'une personne" in first.description


def test_one_item_rss_excerpt(codeur, fixtures):
    raws, missions, warnings = parse(codeur, "rss", fixtures / "codeur/codeur_one_item.rss")
    assert warnings == []
    (m,) = missions
    assert m.uid == "codeur:490541"
    assert m.url == "https://www.codeur.com/projects/490541-module-php-prestashop"
    assert m.title == "Développement d'un module PHP pour Prestashop"
    assert m.posted_at == datetime(2026, 9, 30, 9, 39, 8, tzinfo=UTC)
    assert (m.budget.kind, m.budget.min, m.budget.max, m.budget.currency) == (
        BudgetKind.FIXED,
        500,
        1000,
        "EUR",
    )
    assert raws[0].categories == ["PHP", "Prestashop", "Développement web"]
    assert m.category is Category.DEV
    assert {"php", "prestashop"} <= set(m.skills)
    # The budget line and the "Voir ce projet" link are not part of the description.
    assert m.description.startswith("Nous cherchons un développeur PHP")
    assert "Budget" not in m.description and "Voir ce projet" not in m.description


def test_full_feed_of_35(codeur, fixtures):
    _, rss, warnings = parse(codeur, "rss", fixtures / "codeur/projects_35.rss")
    _, listing, _ = parse(
        codeur, "listing", fixtures / "codeur/projects_listing_2026-04-17_aibuilderX.html"
    )
    assert warnings == []
    assert len(rss) == 35
    # The same missions, with the same uids and budgets, as the listing page they were built from.
    assert [m.uid for m in rss] == [m.uid for m in listing]
    assert [m.budget for m in rss] == [m.budget for m in listing]
    assert all(m.posted_at.tzinfo is not None for m in rss)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Moins de 500 €", (BudgetKind.FIXED, None, 500)),
        ("500 €\u00a0à 1\u00a0000 €", (BudgetKind.FIXED, 500, 1000)),
        ("1\u00a0000 € à 10\u00a0000 €", (BudgetKind.FIXED, 1000, 10000)),
        ("10\u00a0000 € et plus", (BudgetKind.FIXED, 10000, None)),
        ("Plus de 10\u00a0000 €", (BudgetKind.FIXED, 10000, None)),
        ("Demande de devis", (BudgetKind.QUOTE, None, None)),
        ("200 à 500 €/jour", (BudgetKind.DAILY, 200, 500)),
    ],
)
def test_codeur_budget_tiers(text, expected):
    from missionboard.normalise.budget import parse_budget

    budget = parse_budget(text, "EUR")
    assert (budget.kind, budget.min, budget.max) == expected
    assert budget.raw == text
