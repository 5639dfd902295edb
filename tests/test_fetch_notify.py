"""The notify command run for an alert's new missions: no shell, inert text, failures one line."""

from __future__ import annotations

import json
import shlex
import sys

from missionboard.notify import run_notify_command

MISSIONS = [
    ("Développeur React \x1b[31mURGENT\x1b[0m; rm -rf ~", "https://example.org/m/1"),
    ("Assistante $(whoami)", "https://example.org/m/2"),
]


def test_notify_command_gets_summary_body_and_json_without_a_shell(tmp_path):
    out = tmp_path / "out.json"
    script = tmp_path / "notify.py"
    script.write_text(
        "import json, os, sys\n"
        f"open({str(out)!r}, 'w').write(json.dumps({{'argv': sys.argv[1:], "
        "'stdin': sys.stdin.read(), 'alert': os.environ['MISSIONBOARD_ALERT']}))\n",
        encoding="utf-8",
    )
    command = f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"
    assert run_notify_command(command, "React remote", MISSIONS) == ""
    seen = json.loads(out.read_text(encoding="utf-8"))
    summary, body = seen["argv"]
    assert summary == "missionboard: React remote (2 new)"
    assert "\x1b" not in body and "Assistante $(whoami)\nhttps://example.org/m/2" in body
    assert json.loads(seen["stdin"])["missions"][1] == {
        "title": "Assistante $(whoami)",
        "url": "https://example.org/m/2",
    }
    assert seen["alert"] == "React remote"


def test_notify_failures_are_one_line():
    assert run_notify_command("no-such-notifier-here", "a", MISSIONS).startswith(
        "notify_command not found"
    )
    failing = f"{shlex.quote(sys.executable)} -c 'import sys; sys.exit(\"boom\")'"
    assert run_notify_command(failing, "a", MISSIONS) == "notify_command exited with 1: boom"
    assert run_notify_command("", "a", MISSIONS) == ""
