"""Remote suitability: explicit fields first, then French and English cues with negation, then a prior."""

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
    "partial": Remote.HYBRID,
    "hybrid": Remote.HYBRID,
    "hybride": Remote.HYBRID,
    "false": Remote.ONSITE,
    "no": Remote.ONSITE,
    "none": Remote.ONSITE,
    "onsite": Remote.ONSITE,
    "on-site": Remote.ONSITE,
    "on site": Remote.ONSITE,
    "présentiel": Remote.ONSITE,
    "sur site": Remote.ONSITE,
}

# Order matters: negations and hybrid cues are tried before the plain remote cues they contain.
_CUES: list[tuple[Remote, re.Pattern[str]]] = [
    (
        Remote.ONSITE,
        re.compile(
            r"\b(pas de (télé ?travail|teletravail|remote)|sans télétravail|télétravail (non|pas) (possible|autorisé)"
            r"|no remote|not remote|non[- ]remote|remote not (possible|available)|présentiel obligatoire"
            r"|100 ?% (sur site|présentiel)|on[- ]site only|onsite only|in[- ]office only)\b",
            re.IGNORECASE,
        ),
    ),
    (
        Remote.HYBRID,
        re.compile(
            r"\b(hybride?|\d+ jours? (par semaine )?(sur site|au bureau|en présentiel|de télétravail)"
            r"|télétravail partiel|partial(ly)? remote|\d+ days? (a week )?(on[- ]site|in (the )?office)"
            r"|remote[- ]first hybrid)\b",
            re.IGNORECASE,
        ),
    ),
    (
        Remote.REMOTE,
        re.compile(
            r"(\b(full[- ]?remote|fully remote|100 ?% (remote|à distance|télétravail)|télétravail (possible|total|complet)?"
            r"|teletravail|à distance|a distance|remote|work from home|wfh|anywhere|distanciel)\b)",
            re.IGNORECASE,
        ),
    ),
    (
        Remote.ONSITE,
        re.compile(r"\b(présentiel|sur site|on[- ]site|onsite|in[- ]office|in office)\b", re.IGNORECASE),
    ),
]

_REGION = re.compile(
    r"\b(USA?|US|United States|Europe|EU|EMEA|UK|Canada|LATAM|France|Germany|Worldwide|Anywhere|Americas|APAC)"
    r"(?:\s+only)?\b",
)


def classify_field(value: object) -> Remote | None:
    """An explicit remote field ("full", True, "partial", "Remote") to a class, if it says one."""
    if value is None:
        return None
    text = str(value).strip().lower()
    if not text:
        return None
    if text in _FIELD_VALUES:
        return _FIELD_VALUES[text]
    verdict = classify_text(text)
    return verdict.remote if verdict.remote is not Remote.UNKNOWN else None


def classify_text(text: str) -> RemoteVerdict:
    """The first cue found in the text, with the words that decided it."""
    for remote, pattern in _CUES:
        match = pattern.search(text)
        if match:
            return RemoteVerdict(remote, match.group(0))
    return RemoteVerdict(Remote.UNKNOWN)


def find_region(text: str) -> str:
    match = _REGION.search(text or "")
    if not match:
        return ""
    region = match.group(0)
    if region.lower() in {"worldwide", "anywhere"}:
        return ""
    return region


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
        return RemoteVerdict(from_field, f"field: {field_value}", find_region(location))
    for label, text in (("location", location), ("title", title), ("description", description)):
        if not text:
            continue
        verdict = classify_text(text)
        if verdict.remote is not Remote.UNKNOWN:
            return RemoteVerdict(
                verdict.remote, f'{label}: "{verdict.evidence}"', find_region(location)
            )
    if prior is not Remote.UNKNOWN:
        return RemoteVerdict(prior, "source default", find_region(location))
    return RemoteVerdict(Remote.UNKNOWN, "", find_region(location))
