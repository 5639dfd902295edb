"""Category and contract from the source's own labels first, then the text."""

from __future__ import annotations

import re

from missionboard.model import Category, Contract
from missionboard.normalise.skills import fold, load_taxonomy

_CATEGORY_WORDS: list[tuple[Category, re.Pattern[str]]] = [
    (
        Category.ADMIN,
        re.compile(
            r"\b(secretari|secretaire|assistan|transcription|saisie|data entry|standard telephonique|permanence telephonique|virtual assistant)",
            re.IGNORECASE,
        ),
    ),
    (Category.TRANSLATION, re.compile(r"\b(tradu|translat|localis|localiz)", re.IGNORECASE)),
    (
        Category.WRITING,
        re.compile(
            r"\b(redact|redaction|copywrit|writer|writing|ecriture|contenu|content)", re.IGNORECASE
        ),
    ),
    (
        Category.DESIGN,
        re.compile(r"\b(graphi|design|logo|illustrat|ux|ui|maquette|figma)", re.IGNORECASE),
    ),
    (
        Category.MARKETING,
        re.compile(
            r"\b(marketing|seo|sea|community manag|reseaux sociaux|social media|growth|ads)\b",
            re.IGNORECASE,
        ),
    ),
    (
        Category.DATA,
        re.compile(r"\b(data|donnees|machine learning|analyst|bi|etl)\b", re.IGNORECASE),
    ),
    (
        Category.DEV,
        re.compile(
            r"\b(develop|developp|dev|programm|engineer|software|web|site|app|backend|frontend|full[- ]?stack|devops|e-commerce)",
            re.IGNORECASE,
        ),
    ),
]

_CONTRACT_WORDS: list[tuple[Contract, re.Pattern[str]]] = [
    (
        Contract.FREELANCE,
        re.compile(
            r"\b(freelance|freelancer|independant|contract|contractor|mission|portage|consultant|gig|part[_ -]?time contract)\b",
            re.IGNORECASE,
        ),
    ),
    (
        Contract.EMPLOYMENT,
        re.compile(
            r"\b(cdi|cdd|full[_ -]?time|part[_ -]?time|permanent|employee|salarie|internship|stage|alternance|apprentissage)\b",
            re.IGNORECASE,
        ),
    ),
]


def classify_category(
    source_categories: list[str],
    category_map: dict[str, str],
    skills: list[str],
    title: str,
    description: str,
) -> Category:
    """The source's category through the recipe's map, then the skills' categories, then words."""
    folded_map = {fold(k): v for k, v in category_map.items()}
    for label in source_categories:
        mapped = folded_map.get(fold(label).strip())
        if mapped:
            return Category(mapped)
    taxonomy = load_taxonomy()
    for slug in skills:
        skill = taxonomy.skills.get(slug)
        if skill and skill.category != "other":
            return Category(skill.category)
    text = fold(" ".join([*source_categories, title, description[:500]]))
    for category, pattern in _CATEGORY_WORDS:
        if pattern.search(text):
            return category
    return Category.OTHER


def classify_contract(field_value: str, default: str, title: str) -> Contract:
    """The source's contract field, then words in the title, then the recipe default."""
    for text in (field_value, title, default):
        if not text:
            continue
        if text in Contract.__members__.values():
            return Contract(text)
        folded = fold(text)
        for contract, pattern in _CONTRACT_WORDS:
            if pattern.search(folded):
                return contract
    return Contract.UNKNOWN
