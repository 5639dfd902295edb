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
from functools import cache, lru_cache
from importlib import resources

_LIGATURES = (("œ", "oe"), ("æ", "ae"), ("’", "'"), ("ß", "ss"), ("ø", "o"), ("ł", "l"))

# Tokens: runs of letters, digits and the + # . that names like C++, C#, Node.js and .NET carry.
# Everything else becomes a space through a byte table, and a dot ending a sentence is dropped;
# bytes.translate and str.split run in C, several times faster than a tokenising regex.
_KEEP = set(b"abcdefghijklmnopqrstuvwxyz0123456789.+#")
_TOKEN_TABLE = bytes(c if c in _KEEP else 0x20 for c in range(256))


def fold(text: str) -> str:
    """Lower case without accents, for matching ("Télésecrétariat" -> "telesecretariat")."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    # Decompose and keep ASCII, in C (str.translate with a dict is per-character Python work).
    # Every folded synonym of the taxonomy is ASCII, so nothing matchable is lost; the few
    # ligatures and quotes NFKD does not decompose are replaced first.
    for char, plain in _LIGATURES:
        if char in lowered:
            lowered = lowered.replace(char, plain)
    return unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore").decode("ascii")


def tokens(text: str) -> list[str]:
    """Folded word tokens of a text ("Node.js, C++ et C#." -> ["node.js", "c++", "et", "c#"])."""
    lowered = text.lower()
    if lowered.isascii():
        data = lowered.encode("ascii")
    else:
        if "’" in lowered:
            lowered = lowered.replace("’", "'")
        if "œ" in lowered:
            lowered = lowered.replace("œ", "oe")
        data = unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore")
    spaced = data.translate(_TOKEN_TABLE) + b" "
    return spaced.replace(b". ", b" ").decode("ascii").split()


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
    phrases: dict[str, list[tuple[str, str, str]]]  # first token -> [(" phrase ", second, slug)]
    word_set: frozenset[str]  # keys of ``words``, as a set: & with a set walks the smaller one
    phrase_starts: frozenset[str]
    # Case-sensitive patterns on the raw text, tried only when one of their trigger tokens is there.
    patterns: list[tuple[re.Pattern[str], str, frozenset[str]]]

    def match_tag(self, tag: str) -> str | None:
        """The skill a source's tag names, if the whole tag is a known name."""
        key = _phrase(tag)
        return self.by_synonym.get(key)

    def find_in_text(
        self, text: str, toks: list[str] | None = None, present: set[str] | None = None
    ) -> list[str]:
        """Skills named in free text, in order of first appearance.

        ``toks`` and ``present`` (``tokens(text)`` and its set) may be passed by a caller that
        already computed them for the same text.
        """
        if not text:
            return []
        if toks is None:
            toks = tokens(text)
        if present is None:
            present = set(toks)
        joined = " " + " ".join(toks) + " "
        hits: dict[str, int] = {}
        for word in present & self.word_set:
            slug = self.words[word]
            pos = joined.find(f" {word} ")
            if hits.get(slug, pos + 1) > pos:
                hits[slug] = pos
        matched: list[tuple[str, str]] = []
        # Phrases are looked up by their first two tokens, so a common first word ("data",
        # "web") does not cost a scan of the text per phrase it starts.
        for first in present & self.phrase_starts:
            for phrase, second, slug in self.phrases[first]:
                if second not in present:
                    continue
                pos = joined.find(phrase)
                if pos >= 0:
                    matched.append((phrase, slug))
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
        for pattern, slug, triggers in self.patterns:
            if slug in hits or (triggers and present.isdisjoint(triggers)):
                continue
            match = pattern.search(text)
            if match:
                hits[slug] = match.start()
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
    phrases: dict[str, list[tuple[str, str, str]]] = {}
    patterns: list[tuple[re.Pattern[str], str, frozenset[str]]] = []
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
                first, second = key.split(" ")[:2]
                phrase = (f" {key} ", second, slug)
                if phrase not in phrases.setdefault(first, []):
                    phrases[first].append(phrase)
            else:
                words.setdefault(key, slug)
        triggers = frozenset(t for name in tag_only for t in tokens(name))
        for pattern in entry.get("patterns", ()):
            patterns.append((re.compile(pattern), slug, triggers))
    return Taxonomy(
        skills, by_synonym, words, phrases, frozenset(words), frozenset(phrases), patterns
    )


@lru_cache(maxsize=65536)
def _tag_skills(tag: str) -> tuple[str, ...]:
    """The skills one source tag names; tags repeat across missions, so this is cached."""
    taxonomy = load_taxonomy()
    slug = taxonomy.match_tag(tag)
    if slug:
        return (slug,)
    return tuple(taxonomy.find_in_text(tag))


def extract_skills(
    tags: list[str],
    title: str,
    description: str,
    text_tokens: list[str] | None = None,
    text_present: set[str] | None = None,
) -> list[str]:
    """Canonical skill slugs: from the tags first, then the title and the description.

    ``text_tokens`` (and its set, ``text_present``) may pass ``tokens(f"{title}\n{description}")``
    when the caller has it.
    """
    taxonomy = load_taxonomy()
    found: dict[str, None] = {}
    for tag in tags:
        for slug in _tag_skills(tag):
            found.setdefault(slug)
    for slug in taxonomy.find_in_text(f"{title}\n{description}", text_tokens, text_present):
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
