"""Budgets and salaries from free text: "Moins de 500 €", "200 à 500 €/jour", "$75k - $95k".

French writes thousands as "1 500 €" or "1.500 €" (and Codeur puts a no-break space in "1 000 €");
English as "$1,500". A group of exactly three digits after a separator is read as thousands, one or
two digits as decimals ("$15.00").
"""

from __future__ import annotations

import re

from missionboard.model import Budget, BudgetKind

_SPACES = re.compile(r"[\s\u00a0\u202f]+")

_CURRENCY_SIGNS = [
    ("€", "EUR"),
    ("eur", "EUR"),
    ("euro", "EUR"),
    ("euros", "EUR"),
    ("k€", "EUR"),
    ("us$", "USD"),
    ("usd", "USD"),
    ("ca$", "CAD"),
    ("c$", "CAD"),
    ("a$", "AUD"),
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
    r"(?<![\w.])(\d{1,3}(?:[ .,]\d{3})+|\d+)(?:[.,](\d{1,2}))?(?!\d)\s*([kK])?(?![a-zA-Z])"
)

_QUOTE = re.compile(
    r"\b(demande de devis|sur devis|à définir|a definir|negotiable|négociable|to be discussed)\b",
    re.IGNORECASE,
)
_DAILY = re.compile(
    r"(/\s*(jour|j|day|d)\b|\bpar jour\b|\bper day\b|\ba day\b|\btjm\b|\bdaily\b|\bday rate\b"
    r"|€/j\b)",
    re.IGNORECASE,
)
_HOURLY = re.compile(
    r"(/\s*(h|hr|hrs|hour|heure)\b|\bper (hour|hr)\b|\ban hour\b|\bpar heure\b|\bhourly\b"
    r"|\b\d+\s*€?\s*/?\s*h\b|\btaux horaire\b)",
    re.IGNORECASE,
)
_MONTHLY = re.compile(
    r"(/\s*(mois|month|mo)\b|\b(per|a|every|each) month\b|\bpar mois\b|\bmonthly\b|\bmensuel)",
    re.IGNORECASE,
)
_YEARLY = re.compile(
    r"(/\s*(an|year|yr|année)\b|\bper (year|annum)\b|\ba year\b|\bpar an\b|\bannual|\byearly\b"
    r"|\bbrut annuel\b|\b(k€|k\$)\s*/\s*an\b)",
    re.IGNORECASE,
)
_SALARY = re.compile(r"\b(salary|salaire|ote|compensation|rémunération annuelle)\b", re.IGNORECASE)
_LESS = re.compile(r"\b(moins de|less than|under|up to|jusqu'à|max(imum)?)\b", re.IGNORECASE)
_MORE = re.compile(
    r"(\bet plus\b|\bplus de\b|\bmore than\b|\bover\b|\bat least\b|\bà partir de\b|\bfrom\b"
    r"|\bstarting (at|from)\b|\+\s*$|\bmin(imum)?\b)",
    re.IGNORECASE,
)
# "$75k - $95k", "60-70K€": a k on the upper bound applies to a bare lower bound too.
_K_RANGE = re.compile(r"\d\s*[-–—à]\s*[$€£]?\s*\d+\s*[kK]")

_PERIODS = {
    "hour": BudgetKind.HOURLY,
    "hourly": BudgetKind.HOURLY,
    "per hour": BudgetKind.HOURLY,
    "day": BudgetKind.DAILY,
    "daily": BudgetKind.DAILY,
    "per day": BudgetKind.DAILY,
    "week": BudgetKind.UNKNOWN,
    "weekly": BudgetKind.UNKNOWN,
    "month": BudgetKind.MONTHLY,
    "monthly": BudgetKind.MONTHLY,
    "per month": BudgetKind.MONTHLY,
    "year": BudgetKind.YEARLY,
    "yearly": BudgetKind.YEARLY,
    "annual": BudgetKind.YEARLY,
    "annually": BudgetKind.YEARLY,
    "per year": BudgetKind.YEARLY,
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


_CURRENCY_TESTS = [
    (re.compile(rf"\b{re.escape(sign)}\b") if sign.isalpha() else sign, code)
    for sign, code in _CURRENCY_SIGNS
]


def detect_currency(text: str, default: str | None = None) -> str | None:
    """The ISO code of the first currency sign or name (in the table's order), else the default."""
    lowered = text.lower()
    for test, code in _CURRENCY_TESTS:
        if isinstance(test, str):
            if test in lowered:
                return code
        elif test.search(lowered):
            return code
    return default


def parse_budget(
    text: str | None, default_currency: str | None = None, salary: bool = False
) -> Budget:
    """Parse a budget or salary written by a human into kind, min, max, currency and raw text.

    ``salary`` says the text is a job's pay (a job board's salary field): without a period, a
    salary of 10 000 or more is yearly, and a smaller one has an unknown period rather than being
    taken for a fixed price.
    """
    raw = (text or "").strip()
    if not raw:
        return Budget.unknown()
    flat = _SPACES.sub(" ", raw)
    if _QUOTE.search(flat):
        return Budget(BudgetKind.QUOTE, None, None, detect_currency(flat, default_currency), raw)
    numbers = [_to_number(*m.groups()) for m in _NUMBER.finditer(flat)]
    if not numbers:
        return Budget.unknown(raw)
    if len(numbers) >= 2 and numbers[0] < 1000 <= numbers[1] and _K_RANGE.search(flat):
        numbers[0] *= 1000
    currency = detect_currency(flat, default_currency)
    salary = salary or bool(_SALARY.search(flat))
    lowest = min(numbers[:2])
    if _DAILY.search(flat):
        kind = BudgetKind.DAILY
    elif _HOURLY.search(flat):
        kind = BudgetKind.HOURLY
    elif _MONTHLY.search(flat):
        kind = BudgetKind.MONTHLY
    elif _YEARLY.search(flat) or (salary or re.search(r"\d\s*[kK]\b", flat)) and lowest >= 10000:
        kind = BudgetKind.YEARLY
    elif salary:
        kind = BudgetKind.UNKNOWN
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
        lowest = min(v for v in (low, high) if v)
        kind = BudgetKind.YEARLY if lowest >= 10000 else BudgetKind.UNKNOWN
    if not raw:
        raw = f"{_fmt(low)}-{_fmt(high)} {currency or ''} {period or ''}".strip()
    return Budget(kind, low, high, currency, raw)


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}" if value != int(value) else str(int(value))


# Money in free text (Hacker News titles, Reddit posts): an amount with a currency sign, an optional
# second bound, an optional period. "$50M" and "$400B" (funding, market sizes) are not pay.
_CUR = r"(?:US\$|CA\$|\$|€|£|USD|EUR|GBP)"
_AMT = r"\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_ONE = rf"(?:{_CUR}\s?\\?(?:{_AMT})\s?[kK]?|(?:{_AMT})\s?[kK]?\s?{_CUR})"
_MONEY = re.compile(
    rf"{_ONE}(?:\s*(?:-|–|—|~|to|à)\s*(?:\\?{_ONE}|(?:{_AMT})\s?[kK]?))?"
    r"(?![\w])(?!\s?(?:[mMbB]\b|million|billion|bn))"
    r"(?:\s*(?:/|per|an?|every|par)\s*(?:hour|hr|h|heure|day|jour|j|month|mo|mois|year|yr|an|annum"
    r"|week)\b)?"
)
_PAY_WORDS = re.compile(
    r"\b(rate|pay|paid|salary|compensation|budget|tjm|taux|tarif|rémunération|earn|earnings|"
    r"wage|stipend|ote)\b",
    re.IGNORECASE,
)
# Budgets that are perks, not pay: "an individual growth budget of €1,500".
_PERK = re.compile(
    r"\b(growth|learning|training|education|equipment|home[- ]office|wellness|development|"
    r"conference|travel)\s+(budget|allowance|stipend)\b",
    re.IGNORECASE,
)
_SIGN = re.compile(r"[$€£]|USD|EUR|GBP")
_MONEY_SIGNS = ("$", "€", "£", "USD", "EUR", "GBP")
_HAS_PERIOD = re.compile(r"(/|per|an?|every|par)\s*\w+$")


def budget_from_text(title: str, description: str, default_currency: str | None = None) -> Budget:
    """Pay stated in free text, for sources without a budget field; unknown when none is.

    The title wins (a Hacker News "Company | Role | $160k–$180k" line, a Reddit "[Hiring] … $15/hr");
    in the description only an amount with a period or next to a pay word counts, so funding
    rounds and prices mentioned in passing are not taken for a budget.
    """
    for text, strict in ((title, False), (description, True)):
        if not text or not any(sign in text for sign in _MONEY_SIGNS):
            continue
        # Only the neighbourhood of each currency sign is searched: long descriptions stay cheap.
        for sign in _SIGN.finditer(text):
            lo = max(0, sign.start() - 24)
            match = _MONEY.search(text, lo, sign.end() + 40)
            if match is None or match.start() > sign.start():
                continue
            before = text[max(0, match.start() - 40) : match.start()]
            before = re.split(r"[|\n•–—()]", before)[-1]
            if _PERK.search(before):
                continue
            if strict and not (_HAS_PERIOD.search(match.group(0)) or _PAY_WORDS.search(before)):
                continue
            snippet = (before + match.group(0)).replace("\\", "").replace("*", "")
            budget = parse_budget(snippet, default_currency)
            if budget.kind is not BudgetKind.UNKNOWN or budget.min or budget.max:
                return Budget(budget.kind, budget.min, budget.max, budget.currency, snippet.strip())
    return Budget.unknown()


# Working days and hours used for an honest daily-rate equivalent (French freelance conventions).
_DAYS_PER_MONTH = 20
_DAYS_PER_YEAR = 218
_HOURS_PER_DAY = 7


def daily_rate(budget: Budget) -> float | None:
    """A daily-rate equivalent for sorting, only where the budget is a rate or a salary.

    Fixed prices, quotes and budgets of unknown period have none: a project total says nothing
    about the rate without its duration.
    """
    if budget.min is None and budget.max is None:
        return None
    if budget.min is None:
        value = budget.max
    elif budget.max is None:
        value = budget.min
    else:
        value = (budget.min + budget.max) / 2
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
