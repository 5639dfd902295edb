"""How a mission's fields read in a narrow column: ages, budgets, remote classes, marks."""

from __future__ import annotations

from datetime import datetime

# "$90k" but "90k€": each currency written where its readers expect it.
_PREFIX = {"USD": "$", "GBP": "£", "CAD": "C$", "AUD": "A$"}
_SUFFIX = {"EUR": "€", "CHF": " CHF"}
_PER = {"daily": "/d", "hourly": "/h", "monthly": "/mo", "yearly": "/y", "fixed": ""}
REMOTE_LABELS = {"remote": "remote", "hybrid": "hybrid", "onsite": "onsite", "unknown": "?"}
PIPELINE_MARKS = {"interested": "I", "applied": "A", "won": "W", "lost": "L"}


def format_age(posted: datetime | None, now: datetime) -> str:
    """A compact age: now, 5m, 3h, 2d, 6w, 4mo, 2y."""
    if posted is None:
        return "?"
    seconds = max(0, int((now - posted).total_seconds()))
    if seconds < 60:
        return "now"
    if seconds < 3600:
        return f"{max(1, seconds // 60)}m"
    if seconds < 86400:
        return f"{seconds // 3600}h"
    days = seconds // 86400
    if days < 14:
        return f"{days}d"
    if days < 60:
        return f"{days // 7}w"
    if days < 730:
        return f"{days // 30}mo"
    return f"{days // 365}y"


def _amount(value: float) -> str:
    if value >= 10000:
        return f"{value / 1000:.0f}k"
    if value >= 1000 and value % 1000:
        return f"{value / 1000:.1f}k"
    if value >= 1000:
        return f"{value / 1000:.0f}k"
    return f"{value:.0f}"


def format_budget(kind: str, low: float | None, high: float | None, currency: str | None) -> str:
    """500-1k€, ≤500€, ≥400€/d, quote, or empty when unknown."""
    if kind == "quote":
        return "quote"
    if kind == "unknown" or (low is None and high is None):
        return ""
    per = _PER.get(kind, "")
    prefix = _PREFIX.get(currency or "")
    if low is not None and high is not None and low != high:
        text = f"{_amount(low)}-{_amount(high)}"
    elif high is not None and low is None:
        text = f"≤{_amount(high)}"
    elif low is not None and high is None:
        text = f"≥{_amount(low)}"
    else:
        text = _amount(high if high is not None else low)  # type: ignore[arg-type]
    if prefix:
        return f"{prefix}{text}{per}"
    suffix = _SUFFIX.get(currency or "", f" {currency}" if currency else "")
    return f"{text}{suffix}{per}"


def match_bar(score: float, has_profile: bool) -> str:
    """Three cells showing the share of the mission's skills that are mine."""
    if not has_profile:
        return ""
    # Any skill in common shows: one of my skills among twenty is still worth a look.
    filled = max(1, round(score * 3)) if score > 0 else 0
    return "●" * filled + "·" * (3 - filled)
