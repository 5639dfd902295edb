"""Configs for tests: every built-in source the test does not configure is switched off.

Most built-in sources are on by default; a test that points one source at the local server must
not have the others try the real sites (the _no_internet guard in conftest would fail them).
"""

from __future__ import annotations

import re
from pathlib import Path

RECIPES = Path(__file__).resolve().parents[1] / "sources"


def builtin_sources() -> list[str]:
    return sorted(p.stem for p in RECIPES.glob("*.toml"))


def only_configured_sources(text: str) -> str:
    """``text`` plus ``[sources.NAME] enabled = false`` for each built-in source it leaves alone."""
    configured = set(re.findall(r"^\s*\[sources\.([\w-]+)\]", text, re.M))
    configured |= set(re.findall(r"^\s*recipe\s*=\s*\"([\w-]+)\"", text, re.M))
    off = [
        f"[sources.{name}]\nenabled = false\n"
        for name in builtin_sources()
        if name not in configured
    ]
    return text.rstrip("\n") + "\n\n" + "\n".join(off)
