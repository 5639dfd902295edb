"""Skills: canonical slugs from a taxonomy data file, matched on word boundaries."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources


def fold(text: str) -> str:
    """Lower case without accents, for matching ("Télésecrétariat" -> "telesecretariat")."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True, slots=True)
class Skill:
    slug: str
    label: str
    category: str
    synonyms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Taxonomy:
    skills: dict[str, Skill]
    by_synonym: dict[str, str]
    pattern: re.Pattern[str]

    def match_tag(self, tag: str) -> str | None:
        return self.by_synonym.get(fold(tag).strip())

    def find_in_text(self, text: str) -> list[str]:
        found: dict[str, None] = {}
        for match in self.pattern.finditer(fold(text)):
            found.setdefault(self.by_synonym[match.group(1)])
        return list(found)


@cache
def load_taxonomy() -> Taxonomy:
    data = tomllib.loads(
        resources.files("missionboard.normalise")
        .joinpath("skills_taxonomy.toml")
        .read_text("utf-8")
    )
    skills: dict[str, Skill] = {}
    by_synonym: dict[str, str] = {}
    for slug, entry in data.items():
        synonyms = tuple(entry.get("synonyms", ())) or (slug,)
        skills[slug] = Skill(
            slug, entry.get("label", slug), entry.get("category", "other"), synonyms
        )
        for synonym in (*synonyms, slug, entry.get("label", slug)):
            by_synonym.setdefault(fold(synonym), slug)
    alternatives = sorted(by_synonym, key=len, reverse=True)
    # Word boundaries that treat + # . as part of a word, so "C" is not found in "C++" or "C#".
    pattern = re.compile(
        r"(?<![\w+#.])(" + "|".join(re.escape(a) for a in alternatives) + r")(?![\w+#]|\.\w)"
    )
    return Taxonomy(skills, by_synonym, pattern)


def extract_skills(tags: list[str], title: str, description: str) -> list[str]:
    """Canonical skill slugs: from the tags first, then the title and the description."""
    taxonomy = load_taxonomy()
    found: dict[str, None] = {}
    for tag in tags:
        slug = taxonomy.match_tag(tag)
        if slug:
            found.setdefault(slug)
        else:
            for slug in taxonomy.find_in_text(tag):
                found.setdefault(slug)
    for slug in taxonomy.find_in_text(f"{title}\n{description}"):
        found.setdefault(slug)
    return list(found)


def match_score(skills: list[str], profile: list[str]) -> float:
    """Share of the mission's skills that the freelancer has (0 to 1); 0 when either is empty."""
    if not skills or not profile:
        return 0.0
    taxonomy = load_taxonomy()
    mine = {taxonomy.match_tag(p) or fold(p) for p in profile}
    return sum(1 for s in skills if s in mine) / len(skills)
