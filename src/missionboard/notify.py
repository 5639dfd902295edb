"""Alert notifications: run the user's ``notify_command`` with the new missions of one alert.

The command is split like a shell would (``notify-send -u low``) but never run through a shell, so a
scraped title cannot inject anything. It receives two arguments, a summary and a body (one line per
mission: title, then link), which suits ``notify-send SUMMARY BODY``; scripts also get the missions
as JSON on standard input and the alert's name in ``$MISSIONBOARD_ALERT``.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess

from missionboard.sources.text import one_line

NOTIFY_TIMEOUT = 30.0


def run_notify_command(command: str, alert_name: str, missions: list[tuple[str, str]]) -> str:
    """Run ``command`` for one alert's new missions; '' on success, else why it failed."""
    if not command.strip() or not missions:
        return ""
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        return f"notify_command is not a valid command line ({exc})"
    summary = f"missionboard: {one_line(alert_name)} ({len(missions)} new)"
    body = "\n".join(f"{one_line(title)}\n{one_line(url)}" for title, url in missions)
    payload = json.dumps(
        {"alert": alert_name, "missions": [{"title": t, "url": u} for t, u in missions]},
        ensure_ascii=False,
    )
    try:
        done = subprocess.run(
            [*argv, summary, body],
            input=payload.encode("utf-8"),
            env={**os.environ, "MISSIONBOARD_ALERT": alert_name},
            capture_output=True,
            timeout=NOTIFY_TIMEOUT,
            check=False,
        )
    except FileNotFoundError:
        return f"notify_command not found: {argv[0]}"
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"notify_command failed: {exc}"
    if done.returncode != 0:
        error = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return f"notify_command exited with {done.returncode}" + (f": {error[-1]}" if error else "")
    return ""
