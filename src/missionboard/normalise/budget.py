"""Budgets and salaries from free text: "Moins de 500 €", "200 à 500 €/jour", "$75k - $95k"."""

from __future__ import annotations

import re

from missionboard.model import Budget, BudgetKind

_SPACES = re.compile(r"[\s\u00a0\u202f]+")

_CURRENCY_SIGNS = [
    ("€", "EUR"),
    ("eur", "EUR"),
    ("euros", "EUR"),
    ("us$", "USD"),
    ("usd", "USD"),
    ("$", "USD"),
    ("£", "GBP"),
    ("gbp", "GBP"),
    ("chf", "CHF"),
    ("cad", "CAD"),
    ("aud", "AUD"),
    ("inr", "INR"),
    ("₹", "INR"),
]

# A number with optional thousands groups (space, nbsp, dot or comma) and optional decimals,
# optionally followed by k/K for thousands.
_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+|\d+)(?:[.,](\d{1,2}))?(?!\d)\s*([kK])?(?![a-zA-Z])"
)

_QUOTE = re.compile(
    r"\b(demande de devis|sur devis|à définir|a definir|negotiable|négociable)\b", re.IGNORECASE
)
_DAILY = re.compile(
    r"(/\s*(jour|j|day|d)\b|\bpar jour\b|\bper day\b|\btjm\b|\bdaily\b|\bday rate\b)", re.IGNORECASE
)
_HOURLY = re.compile(
    r"(/\s*(h|hr|hour|heure)\b|\bper hour\b|\bpar heure\b|\bhourly\b|\b/hr\b)", re.IGNORECASE
)
_MONTHLY = re.compile(r"(/\s*(mois|month|mo)\b|\bper month\b|\bpar mois\b|\bmonthly\b)", re.IGNORECASE)
_YEARLY = re.compile(
    r"(/\s*(an|year|yr|année)\b|\bper (year|annum)\b|\bpar an\b|\bannual|\byearly\b|\bbrut annuel\b)",
    re.IGNORECASE,
)
_LESS = re.compile(r"\b(moins de|less than|under|up to|jusqu'à|max(imum)?)\b", re.IGNORECASE)
_MORE = re.compile(
    r"(\bet plus\b|\bplus de\b|\bmore than\b|\bover\b|\bat least\b|\bà partir de\b|\bfrom\b|\+\s*$|\bmin(imum)?\b)",
    re.IGNORECASE,
)

_PERIODS = {
    "hour": BudgetKind.HOURLY,
    "hourly": BudgetKind.HOURLY,
    "day": BudgetKind.DAILY,
    "daily": BudgetKind.DAILY,
    "week": BudgetKind.UNKNOWN,
    "month": BudgetKind.MONTHLY,
    "monthly": BudgetKind.MONTHLY,
    "year": BudgetKind.YEARLY,
    "yearly": BudgetKind.YEARLY,
    "annual": BudgetKind.YEARLY,
    "fixed": BudgetKind.FIXED,
}


def _to_number(whole: str, decimals: str | None, k: str | None) -> float:
    digits = re.sub(r"[ \u00a0\u202f.,]", "", whole)
    value = float(digits)
    if decimals:
        value += float("0." + decimals)
    if k:
        value *= 1000
    return value


def detect_currency(text: str, default: str | None = None) -> str | None:
    lowered = text.lower()
    for sign, code in _CURRENCY_SIGNS:
        if sign.isalpha():
            if re.search(rf"\b{re.escape(sign)}\b", lowered):
                return code
        elif sign in lowered:
            return code
    return default


def parse_budget(text: str | None, default_currency: str | None = None) -> Budget:
    """Parse a budget or salary written by a human into kind, min, max, currency and raw text."""
    raw = (text or "").strip()
    if not raw:
        return Budget.unknown()
    flat = _SPACES.sub(" ", raw)
    if _QUOTE.search(flat):
        return Budget(BudgetKind.QUOTE, None, None, detect_currency(flat, default_currency), raw)
    numbers = [_to_number(*m.groups()) for m in _NUMBER.finditer(flat)]
    if not numbers:
        return Budget.unknown(raw)
    # "$75k - $95k": a k on either bound applies to a bare other bound too ("60-70K€").
    if (
        len(numbers) >= 2
        and numbers[0] < 1000 <= numbers[1]
        and re.search(r"\d\s*[-–à]\s*\d+\s*[kK]", flat)
    ):
        numbers[0] *= 1000
    currency = detect_currency(flat, default_currency)
    if _DAILY.search(flat):
        kind = BudgetKind.DAILY
    elif _HOURLY.search(flat):
        kind = BudgetKind.HOURLY
    elif _MONTHLY.search(flat):
        kind = BudgetKind.MONTHLY
    elif _YEARLY.search(flat) or re.search(r"\d\s*[kK]\b", flat) and max(numbers) >= 10000:
        kind = BudgetKind.YEARLY
    else:
        kind = BudgetKind.FIXED
    if len(numbers) >= 2:
        low, high = sorted(numbers[:2])
        return Budget(kind, low, high, currency, raw)
    value = numbers[0]
    if _LESS.search(flat):
        return Budget(kind, None, value, currency, raw)
    if _MORE.search(flat):
        return Budget(kind, value, None, currency, raw)
    return Budget(kind, value, value, currency, raw)


def budget_from_salary(
    low: float | None,
    high: float | None,
    currency: str | None,
    period: str | None,
    raw: str = "",
) -> Budget:
    """A budget from numeric salary fields; 0 or None means unknown."""
    low = low or None
    high = high or None
    if low is None and high is None:
        return Budget.unknown(raw)
    kind = _PERIODS.get((period or "").strip().lower(), BudgetKind.UNKNOWN)
    if kind is BudgetKind.UNKNOWN and not period:
        # Job boards quote salaries per year unless they say otherwise.
        kind = (
            BudgetKind.YEARLY if max(v for v in (low, high) if v) >= 10000 else BudgetKind.UNKNOWN
        )
    if not raw:
        raw = f"{low or ''}-{high or ''} {currency or ''} {period or ''}".strip()
    return Budget(kind, low, high, currency, raw)


# Working days and hours used for an honest daily-rate equivalent (French freelance conventions).
_DAYS_PER_MONTH = 20
_DAYS_PER_YEAR = 218
_HOURS_PER_DAY = 7


def daily_rate(budget: Budget) -> float | None:
    """A daily-rate equivalent for sorting, only where the budget is a rate or a salary."""
    value = (
        budget.min
        if budget.max is None
        else budget.max
        if budget.min is None
        else (budget.min + budget.max) / 2
    )
    if value is None:
        return None
    match budget.kind:
        case BudgetKind.DAILY:
            return value
        case BudgetKind.HOURLY:
            return value * _HOURS_PER_DAY
        case BudgetKind.MONTHLY:
            return value / _DAYS_PER_MONTH
        case BudgetKind.YEARLY:
            return value / _DAYS_PER_YEAR
    return None
