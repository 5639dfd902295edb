"""Remote suitability: fields first, FR/EN cues with negation, then the prior; unknown stays."""

from __future__ import annotations

import pytest

from missionboard.model import Remote
from missionboard.normalise.remote import classify_remote, classify_text
from tests.normalise_helpers import normalised


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Télétravail possible 2 jours par semaine", Remote.HYBRID),
        ("Mission 100 % à distance", Remote.REMOTE),
        ("Poste en full remote", Remote.REMOTE),
        ("Pas de télétravail, présentiel obligatoire", Remote.ONSITE),
        ("Mission en présentiel", Remote.ONSITE),
        ("Intervention sur site client", Remote.ONSITE),
        ("No remote: this role is in our Paris office", Remote.ONSITE),
        ("Organisation hybride", Remote.HYBRID),
        ("2 jours sur site, le reste en télétravail", Remote.HYBRID),
        ("Remote et présentiel (négociable pour le full remote)", Remote.HYBRID),
        ("Looking for a hybrid mobile app developer (iOS & Android)", Remote.UNKNOWN),
        ("A flexible approach with remote, hybrid, field or office work schedules", Remote.UNKNOWN),
        ("Bonjour, je cherche un logo pour ma boutique", Remote.UNKNOWN),
    ],
)
def test_cues_in_french_and_english(text: str, expected: Remote) -> None:
    assert classify_text(text).remote is expected


def test_explicit_field_wins_over_the_text() -> None:
    verdict = classify_remote("Pas de télétravail", "Paris", "Développeur React", "full remote")
    assert verdict.remote is Remote.ONSITE
    assert verdict.evidence == "field: Pas de télétravail"


def test_boolean_false_field_is_refined_by_a_hybrid_cue_in_the_real_arbeitnow_text() -> None:
    mission = normalised("arbeitnow:director-of-data-berlin-456700")
    assert mission.remote is Remote.HYBRID  # "hybrid role with office attendance required 4 days"
    assert mission.remote_evidence.startswith("field: false; text:")
    assert normalised("arbeitnow:technical-co-founder-cto-aureas-munich-353142").remote is (
        Remote.ONSITE
    )


def test_real_hacker_news_lines_give_class_evidence_and_region() -> None:
    wave = normalised("hackernews:48843116")  # "Wave | On-Premises SRE | Remote (EMEA) | ..."
    assert (wave.remote, wave.remote_region) == (Remote.REMOTE, "EMEA")
    assert wave.remote_evidence == 'title: "remote"'
    resort = normalised("hackernews:48868436")  # "ResortPass | ... | New York, NY | Onsite | ..."
    assert resort.remote is Remote.ONSITE


def test_codeur_cards_without_a_cue_stay_unknown_and_say_so() -> None:
    mission = normalised("codeur:481823")  # "Recherche monteur vidéo"
    assert mission.remote is Remote.UNKNOWN
    assert mission.remote_evidence == ""


def test_codeur_card_saying_a_distance_is_remote() -> None:
    mission = normalised("codeur:481792")  # "... possibilité de travail à distance"
    assert mission.remote is Remote.REMOTE
    assert "à distance" in mission.remote_evidence


def test_prior_applies_only_when_nothing_is_said() -> None:
    verdict = classify_remote(None, "", "Designer", "Logo work", Remote.REMOTE)
    assert (verdict.remote, verdict.evidence) == (Remote.REMOTE, "source default")
    field_based = normalised("jobicy:150169")  # on a remote board, but "Field-based in Kansas"
    assert field_based.remote is Remote.ONSITE


def test_region_restriction_from_location() -> None:
    verdict = classify_remote(None, "USA", "Nurse", "Position is remote.", Remote.REMOTE)
    assert (verdict.remote, verdict.region) == (Remote.REMOTE, "USA")
