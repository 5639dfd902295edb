"""The core never imports Textual: `missionboard fetch` from cron must not pay for the TUI."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import missionboard

CORE = sorted(
    name
    for _, name, _ in pkgutil.walk_packages(missionboard.__path__, "missionboard.")
    if not name.startswith("missionboard.tui") and name != "missionboard.__main__"
)


def test_core_modules_are_found():
    assert {
        "missionboard.cli",
        "missionboard.fetch",
        "missionboard.store",
        "missionboard.export",
    } <= set(CORE)


def test_importing_the_core_does_not_import_textual():
    code = (
        "import importlib, sys\n"
        f"for name in {CORE!r}:\n"
        "    importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(leaked))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_fetch_help_does_not_import_textual():
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from missionboard.cli import cli\n"
        "r = CliRunner().invoke(cli, ['fetch', '--help'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print('textual' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
