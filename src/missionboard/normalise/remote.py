"""Remote suitability: explicit fields first, then French and English cues with negation, then a prior.

Every verdict carries its evidence (the field, or the words that decided it) so the TUI can show
why a mission is called remote; ``unknown`` is returned, never guessed, when nothing says it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from missionboard.model import Remote


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
_MODE = r"(?:remote|hybrid|on[- ]?site|in[- ]office|office|field|t[ée]l[ée]travail|pr[ée]sentiel|hybride)"
_ENUMERATION = re.compile(
    rf"\b(?:either\s+)?{_MODE}(?:\s*(?:,|/|\bor\b|\band\b|\bou\b)\s*{_MODE}\b)+", re.IGNORECASE
)

# Order matters: negations and hybrid cues are tried before the plain remote cues they contain.
_CUES: list[tuple[Remote, re.Pattern[str]]] = [
    (
        Remote.ONSITE,
        re.compile(
            r"\b(pas de (t[ée]l[ée] ?travail|remote)|sans t[ée]l[ée]travail"
            r"|t[ée]l[ée]travail (non|pas) (possible|autoris[ée]|envisageable)"
            r"|no remote|not remote|non[- ]remote|remote (is )?not (possible|available|an option)"
            r"|pr[ée]sentiel obligatoire|100 ?% (sur site|pr[ée]sentiel|on[- ]?site)"
            r"|on[- ]?site only|in[- ]office only|\d days? on[- ]?site|5 jours sur site"
            r"|field[- ]based|commercial(e)? terrain)\b",
            re.IGNORECASE,
        ),
    ),
    (
        Remote.HYBRID,
        re.compile(
            r"\b(hybride?(?! (mobile|apps?|application|framework|way|cloud|cars?|vehicles?|events?))"
            r"|\d+ (?:à \d+ )?jours? (par semaine )?(sur site|au bureau|en pr[ée]sentiel|de t[ée]l[ée]travail)"
            r"|t[ée]l[ée]travail partiel|partial(ly)? remote|\d+(-\d+)? days? (a|per) week (on[- ]?site|in (the )?office)"
            r"|\d+(-\d+)? days? (on[- ]?site|in (the )?office|at the office)"
            r"|remote et pr[ée]sentiel|pr[ée]sentiel et (remote|t[ée]l[ée]travail)"
            r"|t[ée]l[ée]travail et pr[ée]sentiel|office attendance)\b",
            re.IGNORECASE,
        ),
    ),
    (
        Remote.REMOTE,
        re.compile(
            r"(\b(full[- ]?remote|fully remote|100 ?% (remote|[àa] distance|t[ée]l[ée]travail)"
            r"|t[ée]l[ée] ?travail( (possible|total|complet))?|[àa] distance"
            r"|remote(ly)?|work from home|from (the comfort of )?(your )?home|wfh"
            r"|from anywhere|anywhere in the world|work anywhere|distanciel|offshore)\b)",
            re.IGNORECASE,
        ),
    ),
    (
        Remote.ONSITE,
        re.compile(
            r"\b(pr[ée]sentiel|sur site|on[- ]?site|in[- ]office|in[- ]person role|sur place)\b",
            re.IGNORECASE,
        ),
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


def classify_text(text: str) -> RemoteVerdict:
    """The first cue found in the text, with the words that decided it."""
    if not text:
        return RemoteVerdict(Remote.UNKNOWN)
    text = _ENUMERATION.sub(" ", text)
    for remote, pattern in _CUES:
        match = pattern.search(text)
        if match:
            return RemoteVerdict(remote, match.group(0))
    return RemoteVerdict(Remote.UNKNOWN)


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
) -> RemoteVerdict:
    """Explicit field, then location, title and description cues, then the source's prior."""
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
        verdict = classify_text(text)
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
    at = text.find(evidence)
    if at < 0:
        return ""
    return text[at : at + len(evidence) + 30]
