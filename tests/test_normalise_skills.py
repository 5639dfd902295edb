"""Skills: taxonomy matching on word boundaries, on real recorded texts and the admin vocabulary."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from missionboard.normalise.skills import extract_skills, fold, load_taxonomy, match_score, tokens
from tests.normalise_helpers import normalised, raw


def test_taxonomy_is_a_data_file_of_at_least_200_skills_with_known_categories() -> None:
    text = resources.files("missionboard.normalise").joinpath("skills_taxonomy.toml").read_text()
    data = tomllib.loads(text)
    assert len(data) >= 200
    allowed = {"dev", "design", "marketing", "writing", "translation", "admin", "data", "other"}
    assert {entry["category"] for entry in data.values()} <= allowed
    for slug in (
        "wordpress",
        "prestashop",
        "shopify",
        "telesecretariat",
        "phone-answering",
        "appointment-booking",
        "transcription",
        "data-entry",
        "bookkeeping",
        "seo",
    ):
        assert slug in data


def test_every_synonym_folds_to_ascii_tokens() -> None:
    # The matcher compares ASCII tokens; a synonym that folds to nothing could never match.
    for skill in load_taxonomy().skills.values():
        for synonym in skill.synonyms:
            assert tokens(synonym), (skill.slug, synonym)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Nous utilisons Google Analytics et Google Ads", "go"),
        ("We care about R&D and C-level reporting. C'est une mission en Java.", "c"),
        ("We care about R&D and our roadmap", "r"),
        ("Strong JavaScript and TypeScript skills", "java"),
        ("Empowering people to excel at what they do", "excel"),
        ("Ability to translate business objectives into plans", "translation"),
    ],
)
def test_short_or_common_names_are_not_found_inside_other_words(text: str, absent: str) -> None:
    assert absent not in extract_skills([], "", text)


def test_ambiguous_names_are_found_where_they_mean_the_skill() -> None:
    found = extract_skills(
        ["Go"], "Backend engineer", "Python, Go, Rust and C/C++; stats in Python, R and SQL."
    )
    assert {"go", "python", "rust", "c", "cpp", "r", "sql"} <= set(found)


def test_go_is_not_in_google_on_a_real_codeur_brief() -> None:
    # Codeur 481806 asks for Google Ads training; "Go" must not appear.
    mission = normalised("codeur:481806")
    assert "Google Ads" in mission.tags
    assert "sea" in mission.skills
    assert "go" not in mission.skills


def test_tags_first_then_title_and_description_on_a_real_codeur_card() -> None:
    mission = normalised("codeur:481777")  # WordPress (Elementor) site for a security company
    assert mission.skills[:3] == ["wordpress", "website-creation", "web-design"]
    assert "elementor" in mission.skills


def test_react_native_is_not_also_react_unless_react_is_named_alone() -> None:
    assert "react" not in normalised("upwork:01439e7f7105bc60f2").skills
    both = extract_skills([], "Développeur React et React Native", "")
    assert both == ["react", "react-native"]


def test_upwork_skill_lists_map_to_canonical_slugs() -> None:
    mission = normalised("upwork:014eb72027eb4e628f")
    assert raw("upwork:014eb72027eb4e628f").tags == [
        "Django",
        "MySQL Programming",
        "Node.js",
        "Python",
    ]
    assert {"django", "mysql", "nodejs", "python", "rest-api"} <= set(mission.skills)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Recherche télésecrétaire : télésecrétariat pour cabinet médical", "telesecretariat"),
        ("Secrétariat à distance pour artisan", "telesecretariat"),
        ("Permanence téléphonique et prise de rendez-vous", "phone-answering"),
        ("Permanence téléphonique et prise de rendez-vous", "appointment-booking"),
        ("Retranscription d'entretiens audio", "transcription"),
        ("Transcription audio de podcasts", "transcription"),
        ("Saisie de données dans Excel", "data-entry"),
        ("Aide comptable : saisie comptable et rapprochement bancaire", "bookkeeping"),
        ("Remote secretary for a small law firm", "telesecretariat"),
        ("Virtual assistant for inbox and calendar management", "virtual-assistant"),
    ],
)
def test_secretarial_and_admin_vocabulary(text: str, slug: str) -> None:
    assert slug in extract_skills([], "", text)


def test_fold_removes_accents_and_case() -> None:
    assert fold("Télésecrétariat À Distance") == "telesecretariat a distance"
    assert tokens("Node.js, C++ et C#. L’équipe .NET") == [
        "node.js",
        "c++",
        "et",
        "c#",
        "l",
        "equipe",
        ".net",
    ]


def test_match_score_uses_synonyms_from_the_profile() -> None:
    skills = ["wordpress", "php", "seo", "css"]
    assert match_score(skills, ["WordPress", "référencement naturel"]) == 0.5
    assert match_score(skills, []) == 0.0
    assert match_score([], ["php"]) == 0.0
