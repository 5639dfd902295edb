"""Turning scraped HTML and text into plain, safe text."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from bs4 import BeautifulSoup

_BLOCKS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "section", "article", "blockquote", "pre", "hr", "dd", "dt",
}  # fmt: skip

# C0 and C1 control characters except tab and newline, and the escape character in particular:
# scraped text is data and must never reach a terminal as a control sequence.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_INLINE_SPACE = re.compile(r"[ \t\u00a0\u2009\u202f]+")


def clean_text(text: str) -> str:
    """Strip control characters, collapse spaces, keep paragraph breaks."""
    text = _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [_INLINE_SPACE.sub(" ", line).strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def unescape(text: str) -> str:
    """HTML entities decoded, twice if needed: some feeds escape twice ("IOS &amp;amp; Android")."""
    once = html.unescape(text)
    return html.unescape(once) if once != text and re.search(r"&#?\w+;", once) else once


def clean_line(text: str) -> str:
    """One line of plain text: a title, a client name, a tag."""
    return " ".join(clean_text(unescape(text or "")).split())


# What must never reach a terminal, a notification or a log line from scraped text: C0/C1 controls
# (ESC starts terminal sequences), zero-width and bidirectional overrides (they reorder what is shown).
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def one_line(text: str | None) -> str:
    """Scraped text as one inert line for display: no controls, no line breaks."""
    return " ".join(_UNSAFE.sub(" ", text or "").split())


def safe_block(text: str | None) -> str:
    """Scraped text as inert paragraphs for display: line breaks kept, other controls dropped."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _UNSAFE.sub("", text)


@lru_cache(maxsize=512)
def html_to_text(markup: str) -> str:
    """Plain text from an HTML fragment, paragraphs kept as blank-line-separated blocks.

    Cached: a recipe often reads several fields (budget, categories, description) from the same
    description, and each conversion is a full HTML parse.
    """
    if not markup:
        return ""
    if "<" not in markup:
        return clean_text(html.unescape(markup))
    soup = BeautifulSoup(markup, "lxml")
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    for tag in soup.find_all(_BLOCKS):
        if tag.name == "br":
            tag.replace_with("\n")
        else:
            tag.insert_before("\n\n")
            tag.insert_after("\n\n")
    text = soup.get_text()
    text = re.sub(r"\n[ \t\u00a0]*\n\s*", "\n\n", text)
    return clean_text(text)
