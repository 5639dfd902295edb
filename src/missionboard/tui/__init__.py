"""The terminal interface: the only part of missionboard that imports Textual.

Importing this package costs nothing; Textual is loaded when :func:`run_tui` is called.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from missionboard.config import Config, Paths


def run_tui(
    paths: Paths, config: Config, *, demo: bool = False, now: Callable[[], datetime] | None = None
) -> None:
    """Open the interface on the store at ``paths.db`` until the user quits."""
    from missionboard.tui.app import make_app

    make_app(paths, config, demo=demo, now=now).run()
