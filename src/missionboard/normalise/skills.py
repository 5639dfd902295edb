"""Skills: canonical slugs from a taxonomy data file, matched on word boundaries.

Text is folded (lower case, no accents) and cut into word tokens once; single-word synonyms are
found by a set intersection and multi-word ones by a substring test on the space-joined tokens,
so the cost grows with the length of the text, not with the size of the taxonomy. Tokens keep
``+``, ``#`` and inner dots, so "C" is not "C++", "Java" is not "JavaScript" and "Go" is not
"Google"; the few names that are also ordinary words ("Go", "C", "R", "Swift") match in tags, or in
free text only through the case-sensitive patterns the taxonomy gives them.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

# Precomputed accent folding for the Latin letters French and English texts use; str.translate
# runs in C, which matters on 100k long descriptions. Other characters go through NFKD in fold().
_FOLD_TABLE = str.maketrans(
    {
        **{c: "a" for c in "àáâãäå"},
        **{c: "e" for c in "èéêë"},
        **{c: "i" for c in "ìíîï"},
        **{c: "o" for c in "òóôõö"},
        **{c: "u" for c in "ùúûü"},
        "ç": "c",
        "ñ": "n",
        "ÿ": "y",
        "œ": "oe",
        "æ": "ae",
        "’": "'",
        "\u00a0": " ",
    }
)
_ASCII_OR_FOLDABLE = re.compile(r"[^\x00-\x7f]")

# A token: word characters, then + or # (C++, C#), with inner dots (node.js, asp.net) or a
# leading dot (.net). Apostrophes, slashes and hyphens split tokens ("d'une", "iOS/Android").
_TOKEN = re.compile(r"\.?[^\W_][\w]*[+#]*(?:\.[^\W_][\w]*[+#]*)*")


def fold(text: str) -> str:
    """Lower case without accents, for matching ("Télésecrétariat" -> "telesecretariat")."""
    lowered = text.lower().translate(_FOLD_TABLE)
    if _ASCII_OR_FOLDABLE.search(lowered) is None:
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokens(text: str) -> list[str]:
    """Folded word tokens of a text."""
    return _TOKEN.findall(fold(text))


def _phrase(text: str) -> str:
    return " ".join(tokens(text))


@dataclass(frozen=True, slots=True)
class Skill:
    slug: str
    label: str
    category: str
    synonyms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Taxonomy:
    skills: dict[str, Skill]
    by_synonym: dict[str, str]  # any folded synonym or tag name -> slug (tags)
    words: dict[str, str]  # one-token synonyms allowed in free text -> slug
    phrases: dict[str, list[tuple[str, str]]]  # first token -> [(" phrase ", slug)]
    patterns: list[tuple[re.Pattern[str], str]]  # case-sensitive patterns on the raw text

    def match_tag(self, tag: str) -> str | None:
        """The skill a source's tag names, if the whole tag is a known name."""
        key = _phrase(tag)
        return self.by_synonym.get(key)

    def find_in_text(self, text: str) -> list[str]:
        """Skills named in free text, in order of first appearance."""
        if not text:
            return []
        toks = tokens(text)
        present = set(toks)
        hits: dict[str, int] = {}
        joined = ""
        for word in present.intersection(self.words):
            slug = self.words[word]
            pos = toks.index(word)
            if hits.get(slug, pos + 1) > pos:
                hits[slug] = pos
        starts = present.intersection(self.phrases)
        matched: list[tuple[str, str]] = []
        if starts:
            joined = " " + " ".join(toks) + " "
            for first in starts:
                for phrase, slug in self.phrases[first]:
                    at = joined.find(phrase)
                    if at >= 0:
                        matched.append((phrase, slug))
                        pos = joined.count(" ", 0, at)
                        if hits.get(slug, pos + 1) > pos:
                            hits[slug] = pos
        # A word seen only inside another skill's phrase is not a skill of its own:
        # "React Native" is not also "React", "AI trainer" is not "trainer".
        for phrase, phrase_slug in matched:
            for word in phrase.split():
                slug = self.words.get(word)
                if slug is None or slug == phrase_slug or slug not in hits:
                    continue
                inside = sum(joined.count(p) for p, s in matched if s != slug and f" {word} " in p)
                if toks.count(word) <= inside:
                    del hits[slug]
        for pattern, slug in self.patterns:
            if slug in hits:
                continue
            match = pattern.search(text)
            if match:
                hits[slug] = len(_TOKEN.findall(fold(text[: match.start()])))
        return sorted(hits, key=hits.__getitem__)


@cache
def load_taxonomy() -> Taxonomy:
    """The taxonomy shipped with missionboard (``skills_taxonomy.toml``), loaded once."""
    data = tomllib.loads(
        resources.files("missionboard.normalise")
        .joinpath("skills_taxonomy.toml")
        .read_text("utf-8")
    )
    return build_taxonomy(data)


def build_taxonomy(data: dict) -> Taxonomy:
    """A taxonomy from its parsed TOML (one table per skill)."""
    skills: dict[str, Skill] = {}
    by_synonym: dict[str, str] = {}
    words: dict[str, str] = {}
    phrases: dict[str, list[tuple[str, str]]] = {}
    patterns: list[tuple[re.Pattern[str], str]] = []
    for slug, entry in data.items():
        text_synonyms = tuple(entry.get("synonyms", ()))
        tag_only = tuple(entry.get("tag_only", ()))
        label = entry.get("label", slug)
        skills[slug] = Skill(slug, label, entry.get("category", "other"), text_synonyms + tag_only)
        for name in (*text_synonyms, *tag_only, slug, label):
            key = _phrase(name)
            if key:
                by_synonym.setdefault(key, slug)
        for name in text_synonyms:
            key = _phrase(name)
            if not key:
                continue
            if " " in key:
                first = key.split(" ", 1)[0]
                phrases.setdefault(first, []).append((f" {key} ", slug))
            else:
                words.setdefault(key, slug)
        for pattern in entry.get("patterns", ()):
            patterns.append((re.compile(pattern), slug))
    return Taxonomy(skills, by_synonym, words, phrases, patterns)


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
    """Share of the mission's skills that the freelancer has (0 to 1); 0 when either is empty.

    Profile entries may be slugs or any synonym ("ReactJS", "télésecrétariat").
    """
    if not skills or not profile:
        return 0.0
    taxonomy = load_taxonomy()
    mine = {taxonomy.match_tag(p) or fold(p).strip() for p in profile}
    return sum(1 for s in skills if s in mine) / len(skills)
