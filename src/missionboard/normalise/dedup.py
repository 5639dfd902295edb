"""Duplicates: the same mission on several sources, or the same client posting the same text again.

Pure functions over normalised :class:`~missionboard.model.Mission` records; nothing is deleted
here, a duplicate only names the group it belongs to.

How the store is meant to call this, on every insert of a mission it has not seen before:

1. ``keys = blocking_keys(mission)`` and keep them in an indexed column (or side table) of the
   mission row; they are cheap, coarse buckets (same client, same title words).
2. Fetch the already stored missions sharing any of those keys, newest first, bounded in number
   and in age (say 200 rows, 90 days), and call ``find_duplicate(mission, candidates)``.
3. If it returns a :class:`DuplicateMatch`, give the new mission the group of ``match.uid``
   (the group id is the uid of the group's first mission) and show ``match.kind``:
   ``"other_source"`` as "also on <source>", ``"repost"`` as "posted again". Otherwise the mission
   starts its own group.
4. User state (read, starred, hidden, pipeline, note) is read and written through the group id,
   so it follows the group; the rows themselves stay, each with its own uid.

``dedup_key`` is an exact fingerprint (normalised title, client and the start of the text) for the
cheapest case: the identical text seen again. Re-running the normaliser over the store re-runs
this too, since everything is derived from the stored raw records.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from missionboard.model import Mission
from missionboard.normalise.skills import tokens

# Words that say nothing about which mission it is (FR and EN), dropped before comparing.
_STOPWORDS = frozenset(
    """
    a an and are as at be by de des du d en et for from h f m w in is it la le les l un une of on
    or our pour par sur the to we with you your nous vous je j ai est qui que dans avec ce cet cette
    au aux se sa son ses il elle ils this that will can are who what looking recherche recherchons
    cherche cherchons hiring hire job mission remote full time d/f/m m/f/d m/w/d f/h h/f
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_BRACKETS = re.compile(r"\[[^\]]*\]|\((?:f/h|h/f|m/f/d|m/w/d|d/f/m|w/m/d)\)", re.IGNORECASE)
# French and English inflect the ends of words; five letters keep the stem ("développeur",
# "developeur", "développement" -> "devel"; "transporter", "transport" -> "trans").
_STEM = 5

DuplicateKind = Literal["other_source", "repost"]


@dataclass(frozen=True, slots=True)
class DuplicateMatch:
    uid: str  # the existing mission the new one duplicates
    kind: DuplicateKind  # "other_source": also on another site; "repost": posted again
    score: float  # text similarity, 0 to 1


@lru_cache(maxsize=4096)
def _words(text: str) -> frozenset[str]:
    """Stemmed content words of a text (memoised: a stored mission is compared with many new ones)."""
    return frozenset(
        t[:_STEM]
        for t in tokens(_BRACKETS.sub(" ", text))
        if t not in _STOPWORDS and not t.isdigit() and len(t) > 1
    )


@lru_cache(maxsize=4096)
def normalise_client(client: str) -> str:
    """A client name for comparison: folded, without legal forms ("Qase Inc." -> "qase")."""
    words = [
        t
        for t in tokens(client)
        if t not in {"inc", "inc.", "ltd", "llc", "gmbh", "sas", "sarl", "sa", "corp"}
    ]
    return " ".join(words)


def title_words(mission: Mission) -> frozenset[str]:
    return _words(mission.title)


def text_words(mission: Mission) -> frozenset[str]:
    return _words(f"{mission.title}\n{mission.description}")


def dedup_key(mission: Mission) -> str:
    """An exact fingerprint: client, title words and the first words of the description."""
    start = " ".join(t[:_STEM] for t in tokens(mission.description)[:40] if t not in _STOPWORDS)
    material = "|".join(
        [normalise_client(mission.client), " ".join(sorted(title_words(mission))), start]
    )
    return hashlib.sha1(material.encode("utf-8")).hexdigest()[:20]


def blocking_keys(mission: Mission) -> list[str]:
    """Coarse buckets to fetch candidate duplicates with: the client, and each title word pair."""
    keys = []
    client = normalise_client(mission.client)
    if client:
        keys.append(f"c:{client}")
    words = sorted(title_words(mission))
    keys.extend(f"t:{a} {b}" for i, a in enumerate(words) for b in words[i + 1 :])
    if len(words) == 1:
        keys.append(f"t:{words[0]}")
    return keys


def similarity(a: set[str], b: set[str]) -> float:
    """How much of the shorter text the longer one contains (overlap coefficient), 0 to 1.

    Below six words a text is too short for containment to mean anything, and the Jaccard
    index is used instead.
    """
    if not a or not b:
        return 0.0
    common = len(a & b)
    if min(len(a), len(b)) < 6:
        return common / len(a | b)
    return common / min(len(a), len(b))


def title_similarity(a: set[str], b: set[str]) -> float:
    """Like ``similarity``, but a title of two words or more contained in the other counts fully.

    A Hacker News line "Qase | Developer Advocate | Technical Customer Support Specialist"
    names both roles another site lists separately.
    """
    if len(a) >= 2 and len(b) >= 2 and (a <= b or b <= a):
        return 1.0
    return similarity(a, b)


def _same_client(a: Mission, b: Mission) -> bool | None:
    """True or False when both name a client, None when either does not."""
    ca, cb = normalise_client(a.client), normalise_client(b.client)
    if not ca or not cb:
        return None
    return ca == cb or ca in cb or cb in ca


def classify_pair(new: Mission, old: Mission) -> DuplicateMatch | None:
    """Whether ``new`` is ``old`` seen again (on another source, or posted again), or None."""
    return _classify(new, old, title_words(new), text_words(new))


def _classify(
    new: Mission, old: Mission, new_title: frozenset[str], new_text: frozenset[str]
) -> DuplicateMatch | None:
    if new.uid == old.uid:
        return None
    client = _same_client(new, old)
    if client is False:
        return None
    # The title is compared first: it is short, and most rules need it before the whole text.
    title = title_similarity(new_title, title_words(old))
    if new.source == old.source:
        # A repost: the same text again. A named client's other jobs share its boilerplate, so
        # the title must agree too; with no client named, the text must say it alone.
        if client and title < 0.5:
            return None
        text = similarity(new_text, text_words(old))
        if client and text >= 0.8 or client is None and text >= 0.9:
            return DuplicateMatch(old.uid, "repost", round(text, 3))
        return None
    # The same mission on another site: same client and the same role in the title, or, when a
    # site does not name the client, the same title and much the same text.
    if client and title >= 0.75:
        return DuplicateMatch(
            old.uid, "other_source", round(max(title, similarity(new_text, text_words(old))), 3)
        )
    if client is None and title >= 0.8:
        text = similarity(new_text, text_words(old))
        if text >= 0.6:
            return DuplicateMatch(old.uid, "other_source", round(text, 3))
    return None


def find_duplicate(new: Mission, candidates: Iterable[Mission]) -> DuplicateMatch | None:
    """The best duplicate of ``new`` among stored ``candidates``, or None (see module docstring)."""
    best: DuplicateMatch | None = None
    new_title, new_text = title_words(new), text_words(new)
    for old in candidates:
        match = _classify(new, old, new_title, new_text)
        if match and (best is None or match.score > best.score):
            best = match
    return best
