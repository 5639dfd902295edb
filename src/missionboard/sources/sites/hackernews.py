"""Hacker News "Who is hiring?": find the newest thread, then read each job post's first line.

Posts follow the thread's own convention, ``Company | Role | REMOTE (EU) | $120k-$150k | Full-time``,
in no fixed order: each part is recognised by what it looks like.
"""

from __future__ import annotations

import json
import re
from typing import Any

from missionboard.model import RawMission

_HIRING = re.compile(r"\bwho is hiring\b", re.I)
_REMOTE = re.compile(r"\b(remote|onsite|on-site|on site|hybrid|in[- ]office)\b", re.I)
_MONEY = re.compile(r"[$€£]\s?\d|\d\s?[kK]\b|\d+\s?(?:k|K)?\s?(?:€|EUR|USD|GBP)\b")
_CONTRACT = re.compile(
    r"\b(full[- ]?time|part[- ]?time|contract(?:or)?|freelance|intern(?:ship)?|permanent)\b", re.I
)
_VISA = re.compile(r"\bvisa\b", re.I)


def newest_thread(body: bytes, url: str) -> list[str]:
    """The comments URL of the newest "Ask HN: Who is hiring?" story in an Algolia stories search."""
    try:
        hits = json.loads(body).get("hits", [])
    except (ValueError, AttributeError):
        return []
    stories = [h for h in hits if isinstance(h, dict) and _HIRING.search(h.get("title") or "")]
    if not stories:
        return []
    newest = max(stories, key=lambda h: h.get("created_at_i") or 0)
    story_id = newest.get("story_id") or newest.get("objectID")
    return [f"/api/v1/search?tags=comment,story_{story_id}&hitsPerPage=1000"]


def split_first_line(line: str) -> dict[str, str]:
    """The parts of a post's first line: client, remote, budget, contract and location."""
    parts = [p.strip() for p in re.split(r"\s+\|\s+|\s*\|\s*", line) if p.strip()]
    found: dict[str, str] = {}
    if len(parts) < 2:
        return found
    found["client"] = parts[0]
    places = []
    for part in parts[1:]:
        if _MONEY.search(part) and "budget_text" not in found:
            found["budget_text"] = part
        elif _REMOTE.search(part) and "remote_field" not in found:
            found["remote_field"] = part
            # "Remote (EMEA)", "REMOTE (US)": the parentheses say the region.
            region = re.search(r"\(([^)]+)\)", part)
            if region:
                places.append(region.group(1))
        elif _CONTRACT.search(part) and "contract_field" not in found:
            found["contract_field"] = part
        elif _VISA.search(part):
            continue
        elif re.search(r"[A-Z][a-z]+,\s*[A-Z]", part) or re.fullmatch(r"[A-Z][\w .'-]{1,30}", part):
            places.append(part)
    # The role comes first after the company; a place is only taken from the later parts.
    if len(parts) > 2 and places and places[0] == parts[1]:
        places = places[1:]
    if places:
        found["location"] = "; ".join(places)
    return found


def read_first_line(raw: RawMission, values: dict[str, Any]) -> RawMission | None:
    """Keep top-level comments only and spread their first line over the mission's fields."""
    parent, story = values.get("parent_id"), values.get("story_id")
    if parent is None or story is None or str(parent) != str(story):
        return None
    for name, value in split_first_line(raw.title).items():
        if name == "client" or not getattr(raw, name):
            setattr(raw, name, value)
    raw.extra.pop("parent_id", None)
    return raw
