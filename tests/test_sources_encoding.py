"""A UTF-8 feed with a stray Latin-1 byte keeps its accents (the real Codeur RSS, one byte spoiled).

feedparser, given bytes that are not valid UTF-8, reads the whole document as windows-1252, which
turns every valid accent into two characters. parsers.repair_utf8 reads only the bad bytes so.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from missionboard.sources.parsers import repair_utf8
from missionboard.sources.recipe import load_recipes

FIXTURES = Path(__file__).parent / "fixtures"
FETCHED = datetime(2026, 4, 17, 12, 0, tzinfo=UTC)


def parse_codeur_rss(body: bytes) -> tuple[list, list[str]]:
    recipe = load_recipes().recipes["codeur"]
    warnings: list[str] = []
    missions = recipe.parse(recipe.endpoints["rss"], body, FETCHED, warnings=warnings)
    return missions, warnings


def test_one_stray_byte_spoils_nothing_else():
    body = (FIXTURES / "codeur/codeur_one_item.rss").read_bytes()
    clean, clean_warnings = parse_codeur_rss(body)
    assert clean and not clean_warnings
    text = clean[0].title + clean[0].description
    assert "é" in text, "the recording has accents to spoil"
    # The first "é" of the body written as a Latin-1 byte, as a CMS pasting text might.
    spoiled, warnings = parse_codeur_rss(body.replace("é".encode(), b"\xe9", 1))
    assert warnings == ["1 byte of the feed was not UTF-8 (read as windows-1252)"]
    assert [(m.title, m.description, m.url) for m in spoiled] == [
        (m.title, m.description, m.url) for m in clean
    ]


def test_what_is_left_alone():
    latin1 = '<?xml version="1.0" encoding="ISO-8859-1"?><rss><t>crème</t></rss>'.encode("latin-1")
    assert repair_utf8(latin1) == (latin1, 0)  # declared otherwise: feedparser reads it right
    utf16 = '<?xml version="1.0"?><rss><t>crème</t></rss>'.encode("utf-16")
    assert repair_utf8(utf16) == (utf16, 0)
    valid = "<rss><t>crème brûlée</t></rss>".encode()
    assert repair_utf8(valid) == (valid, 0)
    # Undeclared (XML's default is UTF-8) and two stray bytes: both read as windows-1252.
    body, bad = repair_utf8(b"<rss><t>cr\xe8me \x80 " + "brûlée".encode() + b"</t></rss>")
    assert (body.decode(), bad) == ("<rss><t>crème € brûlée</t></rss>", 2)
