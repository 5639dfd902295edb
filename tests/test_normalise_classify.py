"""Category and contract from the source's own words first, then the text."""

from __future__ import annotations

import pytest

from missionboard.model import Category, Contract
from missionboard.normalise.classify import classify_category, classify_contract
from tests.normalise_helpers import normalised


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("CDI", Contract.EMPLOYMENT),
        ("full_time", Contract.EMPLOYMENT),
        ("Full-Time", Contract.EMPLOYMENT),
        ("Contract", Contract.FREELANCE),
        ("Indépendant", Contract.FREELANCE),
        ("freelance", Contract.FREELANCE),
        ("mission", Contract.FREELANCE),
        ("", Contract.UNKNOWN),
    ],
)
def test_contract_field(field: str, expected: Contract) -> None:
    assert classify_contract(field, "", "") is expected


def test_contract_from_title_then_default() -> None:
    assert classify_contract("", "", "Senior Software Engineer (Contract)") is Contract.FREELANCE
    assert classify_contract("", "freelance", "Logo") is Contract.FREELANCE


def test_category_from_source_map_then_skills() -> None:
    assert classify_category(["Customer Support"], {"customer support": "admin"}, [], "", "") is (
        Category.ADMIN
    )
    assert classify_category([], {}, ["telesecretariat"], "", "") is Category.ADMIN
    assert classify_category([], {}, [], "Traduction d'un site en anglais", "") is (
        Category.TRANSLATION
    )


def test_real_codeur_cards_get_their_category() -> None:
    assert normalised("codeur:481815").category is Category.DESIGN  # logo, carte de visite
    assert normalised("codeur:481812").category is Category.MARKETING  # community manager
    assert normalised("codeur:481777").category is Category.DEV  # WordPress site
