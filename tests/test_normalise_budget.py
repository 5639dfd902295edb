"""Budgets: Codeur tiers, French and English amounts, salaries and an honest daily rate."""

from __future__ import annotations

import pytest

from missionboard.model import Budget, BudgetKind
from missionboard.normalise.budget import (
    budget_from_salary,
    budget_from_text,
    daily_rate,
    parse_budget,
)
from tests.normalise_helpers import normalised

F, D, H, M, Y, Q, U = (
    BudgetKind.FIXED,
    BudgetKind.DAILY,
    BudgetKind.HOURLY,
    BudgetKind.MONTHLY,
    BudgetKind.YEARLY,
    BudgetKind.QUOTE,
    BudgetKind.UNKNOWN,
)


@pytest.mark.parametrize(
    ("text", "kind", "low", "high", "currency"),
    [
        ("Moins de 500 €", F, None, 500, "EUR"),
        ("500 € à 1\u00a0000 €", F, 500, 1000, "EUR"),
        ("1\u00a0000\u00a0€ à 10\u00a0000 €", F, 1000, 10000, "EUR"),
        ("10\u00a0000 € et plus", F, 10000, None, "EUR"),
        ("Plus de 10 000 €", F, 10000, None, "EUR"),
        ("Demande de devis", Q, None, None, "EUR"),
        ("200 à 500 €/jour", D, 200, 500, "EUR"),
        ("TJM 450 €", D, 450, 450, "EUR"),
        ("450€/j", D, 450, 450, "EUR"),
        ("400 à 550 € HT par jour", D, 400, 550, "EUR"),
        ("Hourly Range: $15.00-$30.00", H, 15, 30, "USD"),
        ("$75k - $95k", Y, 75000, 95000, "USD"),
        ("60-70K€ / an", Y, 60000, 70000, "EUR"),
        ("45 – 55 k€/an", Y, 45000, 55000, "EUR"),
        ("De 40 000 € à 50 000 € par an", Y, 40000, 50000, "EUR"),
        ("€500", F, 500, 500, "EUR"),
        ("USD 3,000", F, 3000, 3000, "USD"),
        ("1.500 €", F, 1500, 1500, "EUR"),
        ("1 500 €", F, 1500, 1500, "EUR"),
        ("$18 - $22/hr", H, 18, 22, "USD"),
        ("$14/hr", H, 14, 14, "USD"),
        ("OTE $25k - $35k", Y, 25000, 35000, "USD"),
    ],
)
def test_parse_budget(text: str, kind: BudgetKind, low, high, currency: str) -> None:
    budget = parse_budget(text, "EUR")
    assert (budget.kind, budget.min, budget.max, budget.currency) == (kind, low, high, currency)
    assert budget.raw == text


def test_a_job_board_salary_without_period() -> None:
    assert parse_budget("$45,000 - $50,000", "USD", salary=True).kind is Y
    # "$3k - $10k" on a commission-only sales job: no period said, none guessed.
    assert parse_budget("$3k - $10k", "USD", salary=True).kind is U
    # A fixed-price project budget of the same size stays fixed.
    assert parse_budget("$15,000", "USD").kind is F


def test_salary_fields_with_a_period() -> None:
    assert budget_from_salary(122600.0, 204400.0, "USD", "yearly") == Budget(
        Y, 122600.0, 204400.0, "USD", "122600-204400 USD yearly"
    )
    assert budget_from_salary(50.0, 50.0, "USD", "hourly").kind is H
    assert budget_from_salary(0, 0, "USD", None).kind is U  # RemoteOK's 0 means unknown
    assert budget_from_salary(None, None, None, "annual").min is None


def test_pay_in_free_text_from_real_posts() -> None:
    assert normalised("hackernews:48843116").budget.max == 185500  # "Salary up to $185,500"
    reddit = normalised("reddit_forhire:1so4261")  # "... (Onsite) – $60/hr W2"
    assert (reddit.budget.kind, reddit.budget.min) == (H, 60)
    # A perk is not pay: "an individual growth budget of €1,500".
    assert normalised("arbeitnow:director-of-data-berlin-456700").budget.kind is U
    assert budget_from_text("We raised $50M", "Backed by $400B industry leaders").kind is U


def test_daily_rate_only_where_it_can_be_derived() -> None:
    assert daily_rate(parse_budget("200 à 500 €/jour")) == 350
    assert daily_rate(parse_budget("$15.00-$30.00 hourly")) == pytest.approx(22.5 * 7)
    assert daily_rate(parse_budget("60-70K€ / an")) == pytest.approx(65000 / 218)
    assert daily_rate(parse_budget("Moins de 500 €")) is None  # a total says nothing of a rate
    assert daily_rate(parse_budget("Demande de devis")) is None
    assert daily_rate(parse_budget("$3k - $10k", salary=True)) is None
