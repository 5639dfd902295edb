"""Remote suitability: explicit fields first, then French and English cues with negation, then a prior.

Every verdict carries its evidence (the field, or the words that decided it) so the TUI can show
why a mission is called remote; ``unknown`` is returned, never guessed, when nothing says it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from missionboard.model import Remote
from missionboard.normalise.skills import tokens


@dataclass(frozen=True, slots=True)
class RemoteVerdict:
    remote: Remote
    evidence: str = ""
    region: str = ""


_FIELD_VALUES = {
    "true": Remote.REMOTE,
    "yes": Remote.REMOTE,
    "remote": Remote.REMOTE,
    "full": Remote.REMOTE,
    "full_remote": Remote.REMOTE,
    "fully remote": Remote.REMOTE,
    "télétravail": Remote.REMOTE,
    "teletravail": Remote.REMOTE,
    "télétravail complet": Remote.REMOTE,
    "anywhere in the world": Remote.REMOTE,
    "partial": Remote.HYBRID,
    "hybrid": Remote.HYBRID,
    "hybride": Remote.HYBRID,
    "télétravail partiel": Remote.HYBRID,
    "false": Remote.ONSITE,
    "no": Remote.ONSITE,
    "none": Remote.ONSITE,
    "onsite": Remote.ONSITE,
    "on-site": Remote.ONSITE,
    "on site": Remote.ONSITE,
    "présentiel": Remote.ONSITE,
    "sur site": Remote.ONSITE,
    "pas de télétravail": Remote.ONSITE,
}

# Boolean fields cannot say "hybrid": a ``remote: false`` only rules out fully remote work, so a
# hybrid cue in the text may still refine it.
_BOOLEAN_FALSE = {"false", "no", "0"}

_SPACE = r"[\s\u00a0\u202f]*"

# Lists of work modes ("remote, hybrid, field or office work schedules", "in-office or remote")
# describe a company's policy in general, not this mission: they are removed before cue matching.
# English only: a French "télétravail, présentiel" is a statement, not a list of policies.
_MODE = r"(?:remote|hybrid|on[- ]?site|in[- ]office|office|field)"
_ENUMERATION = re.compile(
    rf"\b(?:either\s+)?{_MODE}(?:\s*(?:,|/|\bor\b|\band\b|\bou\b)\s*{_MODE}\b)+"
)


@dataclass(frozen=True, slots=True)
class _Cue:
    """A cue pattern (lower case) and the folded words it needs: one word of each group."""

    remote: Remote
    pattern: re.Pattern[str]
    literals: tuple[str, ...]  # every match contains one of these
    needs: tuple[frozenset[str], ...]

    def search(self, text: str) -> re.Match[str] | None:
        """The first match, looking only around the literals in long texts (str.find is C)."""
        if len(text) < 400:
            return self.pattern.search(text)
        best = None
        for literal in self.literals:
            at = text.find(literal)
            while at >= 0:
                if best is not None and at > best.start() + 80:
                    break
                match = self.pattern.search(text, max(0, at - 80), at + 80)
                if match:
                    if best is None or match.start() < best.start():
                        best = match
                    break
                at = text.find(literal, at + 1)
        return best


def _cue(remote: Remote, literals: str, pattern: str, *groups: str) -> _Cue:
    return _Cue(
        remote,
        re.compile(pattern),
        tuple(literals.split("|")),
        tuple(frozenset(g.split()) for g in groups),
    )


_TT = r"t[ée]l[ée] ?travail"
_ONSITE_WORDS = "site onsite office bureau presentiel"

# Order matters: negations, then hybrid cues, then plain remote cues, then plain onsite ones.
# The word groups let a long description skip every pattern whose words are not all there.
_CUES: list[_Cue] = [
    _cue(
        Remote.ONSITE,
        "pas de|sans |travail|obligatoire|jours|terrain",
        rf"\b(pas de ({_TT}|remote)|sans {_TT}|{_TT} (non|pas) (possible|autoris[ée]|envisageable)"
        r"|pr[ée]sentiel obligatoire|5 jours sur site|commerciale? terrain)\b",
        "pas sans obligatoire jours terrain",
        "teletravail travail tele remote presentiel site terrain",
    ),
    _cue(
        Remote.ONSITE,
        "remote",
        r"\b(no remote|not remote|non[- ]remote|remote (is )?not (possible|available|an option))\b",
        "no not non",
        "remote",
    ),
    _cue(
        Remote.ONSITE,
        "100|only|day",
        r"\b(100 ?% (sur site|pr[ée]sentiel|on[- ]?site)|on[- ]?site only|in[- ]office only"
        r"|\d days? on[- ]?site)\b",
        "100 only day days",
        _ONSITE_WORDS,
    ),
    _cue(Remote.ONSITE, "field", r"\bfield[- ]based\b", "field", "based"),
    _cue(
        Remote.HYBRID,
        "hybrid",
        r"\bhybride?\b(?! (mobile|apps?|application|framework|way|cloud|cars?|vehicles?|events?))",
        "hybrid hybride",
    ),
    _cue(
        Remote.HYBRID,
        "jour",
        rf"\b\d+ (?:à \d+ )?jours? (par semaine )?(sur site|au bureau|en pr[ée]sentiel|de {_TT})\b",
        "jour jours",
        _ONSITE_WORDS + " teletravail travail",
    ),
    _cue(
        Remote.HYBRID,
        "travail",
        rf"\b{_TT}( possible| partiel)?( :)? (\d|un|une|deux|trois|quatre)( à \d)? jours?\b",
        "jour jours",
        "teletravail travail",
    ),
    _cue(
        Remote.HYBRID,
        "partiel|partial",
        rf"\b({_TT} partiel|partial(ly)? remote)\b",
        "partiel partial partially",
    ),
    _cue(
        Remote.HYBRID,
        "day",
        r"\b\d+(-\d+)? days? ((a|per) week )?(on[- ]?site|in (the )?office|at the office)\b",
        "day days",
        _ONSITE_WORDS,
    ),
    _cue(
        Remote.HYBRID,
        "sentiel",
        rf"\b(remote et pr[ée]sentiel|pr[ée]sentiel et (remote|{_TT})|{_TT} et pr[ée]sentiel)\b",
        "presentiel",
        "remote teletravail travail",
    ),
    _cue(Remote.HYBRID, "attendance", r"\boffice attendance\b", "attendance", "office"),
    _cue(
        Remote.REMOTE,
        "remot|distan|travail|home|wfh|anywhere|offshore",
        rf"\b(full[- ]?remote|fully remote|100 ?% (remote|[àa] distance|{_TT})"
        rf"|{_TT}( (possible|total|complet))?|[àa] distance"
        r"|remote(ly)?|work from home|from (the comfort of )?(your )?home|wfh"
        r"|from anywhere|anywhere in the world|work anywhere|distanciel|offshore)\b",
        "remote remotely distance teletravail travail home wfh anywhere distanciel offshore",
    ),
    _cue(
        Remote.ONSITE,
        "sentiel|sur site|on-site|onsite|on site|in-office|in office|in-person|in person|sur place",
        r"\b(pr[ée]sentiel|sur site|on[- ]?site|in[- ]office|in[- ]person role|sur place)\b",
        "presentiel site onsite office person place",
    ),
]

_REGION = re.compile(
    r"\b(USA?|U\.S\.|United States|North America|Northern America|Americas|LATAM|Europe|EU|EMEA"
    r"|UK|United Kingdom|Canada|France|Germany|APAC|Australia|Japan|Worldwide|Anywhere)"
    r"(?:\s+only)?\b",
)


def classify_field(value: object) -> Remote | None:
    """An explicit remote field ("full", True, "partial", "Remote") to a class, if it says one."""
    if value is None:
        return None
    text = " ".join(str(value).split()).lower()
    if not text:
        return None
    if text in _FIELD_VALUES:
        return _FIELD_VALUES[text]
    verdict = classify_text(text)
    return verdict.remote if verdict.remote is not Remote.UNKNOWN else None


def classify_text(text: str, present: set[str] | None = None) -> RemoteVerdict:
    """The first cue found in the text, with the words that decided it.

    ``present`` may pass a superset of the text's folded tokens (``skills.tokens``), to skip
    the patterns none of whose anchor words are there.
    """
    if not text:
        return RemoteVerdict(Remote.UNKNOWN)
    # Cues are lower case and matched without IGNORECASE, which is twice as fast on long texts.
    text = text.lower()
    if present is None:
        present = set(tokens(text))
    cleaned = False
    while True:
        for cue in _CUES:
            for group in cue.needs:
                if present.isdisjoint(group):
                    break
            else:
                match = cue.search(text)
                if match:
                    break
        else:
            return RemoteVerdict(Remote.UNKNOWN)
        window = text[max(0, match.start() - 40) : match.end() + 40]
        if cleaned or not _ENUMERATION.search(window):
            return RemoteVerdict(cue.remote, match.group(0))
        # The cue sits in a list of work modes: drop all such lists and look again.
        text = _ENUMERATION.sub(" ", text)
        cleaned = True


def find_region(*texts: str) -> str:
    """A region restriction ("USA", "Europe") named in a location or cue, or ""."""
    for text in texts:
        match = _REGION.search(text or "")
        if match:
            region = match.group(0)
            if region.lower() in {"worldwide", "anywhere"}:
                return ""
            return region
    return ""


def classify_remote(
    field_value: object,
    location: str,
    title: str,
    description: str,
    prior: Remote = Remote.UNKNOWN,
    present: set[str] | None = None,
) -> RemoteVerdict:
    """Explicit field, then location, title and description cues, then the source's prior.

    ``present`` may pass the folded token set of title and description (see ``classify_text``).
    """
    from_field = classify_field(field_value)
    if from_field is not None:
        if from_field is Remote.ONSITE and str(field_value).strip().lower() in _BOOLEAN_FALSE:
            for text in (title, description):
                hybrid = classify_text(text)
                if hybrid.remote is Remote.HYBRID:
                    return RemoteVerdict(
                        Remote.HYBRID,
                        f'field: {field_value}; text: "{hybrid.evidence}"',
                        find_region(location),
                    )
        return RemoteVerdict(from_field, f"field: {field_value}", find_region(location))
    for label, text in (("location", location), ("title", title), ("description", description)):
        if not text:
            continue
        verdict = classify_text(text, present if label != "location" else None)
        if verdict.remote is not Remote.UNKNOWN:
            around = _around(text, verdict.evidence)
            return RemoteVerdict(
                verdict.remote, f'{label}: "{verdict.evidence}"', find_region(location, around)
            )
    if prior is not Remote.UNKNOWN:
        return RemoteVerdict(prior, "source default", find_region(location))
    return RemoteVerdict(Remote.UNKNOWN, "", find_region(location))


def _around(text: str, evidence: str) -> str:
    """The words just after a cue, where a restriction usually stands ("Remote (EMEA)")."""
    at = text.lower().find(evidence)
    if at < 0:
        return ""
    return text[at : at + len(evidence) + 30]
