"""Alert notifications: run the user's ``notify_command`` with the new missions of one alert.

The command is split like a shell would (``notify-send -u low``) but never run through a shell, so a
scraped title cannot inject anything. It receives two arguments, a summary and a body (one line per
mission: title, then link), which suits ``notify-send SUMMARY BODY``; scripts also get the missions
as JSON on standard input and the alert's name in ``$MISSIONBOARD_ALERT``.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess

NOTIFY_TIMEOUT = 30.0
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def plain(text: str) -> str:
    """Scraped text made inert for a terminal or a notification: no control or bidi characters."""
    return _CONTROL.sub("", text.replace("\n", " ").replace("\t", " ")).strip()


def alert_lines(alert_name: str, missions: list[tuple[str, str]]) -> list[str]:
    """What ``fetch`` prints for one alert: a heading, then one mission per line."""
    lines = [f"alert {plain(alert_name)}: {len(missions)} new"]
    lines += [f"  {plain(title)}  {plain(url)}" for title, url in missions]
    return lines


def run_notify_command(command: str, alert_name: str, missions: list[tuple[str, str]]) -> str:
    """Run ``command`` for one alert's new missions; '' on success, else why it failed."""
    if not command.strip() or not missions:
        return ""
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        return f"notify_command is not a valid command line ({exc})"
    summary = f"missionboard: {plain(alert_name)} ({len(missions)} new)"
    body = "\n".join(f"{plain(title)}\n{plain(url)}" for title, url in missions)
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
