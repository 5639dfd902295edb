"""Normalisation: a RawMission from a source becomes a Mission missionboard understands.

Pure functions only; ``normalise`` is what ingest, reparse, demo and tests all call.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from missionboard.model import Budget, BudgetKind, Contract, Mission, RawMission, Remote, Status
from missionboard.normalise.budget import (
    budget_from_salary,
    budget_from_text,
    daily_rate,
    parse_budget,
)
from missionboard.normalise.classify import classify_category, classify_contract
from missionboard.normalise.remote import classify_remote
from missionboard.normalise.skills import extract_skills, tokens

__all__ = ["SourceDefaults", "normalise", "normalise_budget"]


@dataclass(frozen=True, slots=True)
class SourceDefaults:
    """What a recipe says about all of its missions unless a mission says otherwise."""

    language: str = ""
    currency: str | None = None
    contract: str = ""
    remote_prior: Remote = Remote.UNKNOWN
    category_map: dict[str, str] = field(default_factory=dict)
    status_map: dict[str, str] = field(default_factory=dict)


_STATUS_WORDS = {
    "ouvert": Status.OPEN,
    "open": Status.OPEN,
    "fermé": Status.CLOSED,
    "ferme": Status.CLOSED,
    "closed": Status.CLOSED,
    "en cours": Status.IN_PROGRESS,
    "in progress": Status.IN_PROGRESS,
}


def classify_status(text: str, status_map: dict[str, str] | None = None) -> Status:
    key = " ".join(text.split()).lower()
    if status_map and key in status_map:
        return Status(status_map[key])
    return _STATUS_WORDS.get(key, Status.UNKNOWN)


def normalise_budget(
    raw: RawMission, defaults: SourceDefaults, contract: Contract = Contract.UNKNOWN
) -> Budget:
    """The budget field, else the salary fields, else pay stated in the title or description."""
    if raw.budget_text:
        return parse_budget(
            raw.budget_text, defaults.currency, salary=contract is Contract.EMPLOYMENT
        )
    budget = budget_from_salary(
        raw.salary_min,
        raw.salary_max,
        raw.salary_currency or defaults.currency,
        raw.salary_period,
    )
    if budget.kind is BudgetKind.UNKNOWN and budget.min is None and budget.max is None:
        return budget_from_text(raw.title, raw.description, defaults.currency)
    return budget


def normalise(raw: RawMission, defaults: SourceDefaults | None = None) -> Mission:
    """Interpret one raw record: skills, remote, budget, category, contract, status."""
    defaults = defaults or SourceDefaults()
    contract = classify_contract(raw.contract_field, defaults.contract, raw.title)
    budget = normalise_budget(raw, defaults, contract)
    # One tokenisation of the text serves the skills and gates the remote cue patterns.
    text_tokens = tokens(f"{raw.title}\n{raw.description}")
    present = set(text_tokens)
    skills = extract_skills(raw.tags, raw.title, raw.description, text_tokens, present)
    verdict = classify_remote(
        raw.remote_field,
        raw.location,
        raw.title,
        raw.description,
        defaults.remote_prior,
        present=present,
    )
    return Mission(
        uid=raw.uid,
        source=raw.source,
        url=raw.url,
        title=raw.title,
        description=raw.description,
        client=raw.client,
        posted_at=raw.posted_at,
        category=classify_category(
            raw.categories, defaults.category_map, skills, raw.title, raw.description
        ),
        skills=skills,
        tags=list(raw.tags),
        remote=verdict.remote,
        remote_evidence=verdict.evidence,
        remote_region=verdict.region,
        budget=budget,
        daily_rate=daily_rate(budget),
        contract=contract,
        status=classify_status(raw.status, defaults.status_map),
        offers=raw.offers,
        views=raw.views,
        language=raw.language or defaults.language,
    )
