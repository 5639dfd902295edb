"""Export with a query, CSV safety, and the spreadsheet round trip through import-state."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from click.testing import CliRunner

from missionboard.cli import cli
from missionboard.export import COLUMNS, safe_cell, unescape_cell
from missionboard.store import Store
from tests.query_store import build_query_store


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_query_store(tmp_path_factory.mktemp("export") / "template.db")


@pytest.fixture
def env(tmp_path, template):
    db = tmp_path / "missions.db"
    shutil.copyfile(template, db)
    config = tmp_path / "config.toml"
    config.write_text(
        '[profile]\nskills = ["wordpress"]\n\n[hide]\nsales = "cat:marketing source:remotive"\n',
        encoding="utf-8",
    )
    return ["--config", str(config), "--db", str(db)], db, tmp_path


def read_csv(path, delimiter=","):
    text = path.read_text("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def test_export_query_gives_the_same_missions_as_the_search(env):
    from missionboard.query import search_ids

    args, db, tmp = env
    out = tmp / "wp.jsonl"
    result = run(
        *args, "export", "--query", "skill:wordpress OR shopify", "-f", "jsonl", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    exported = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    with Store(db) as store:
        ids = search_ids(store, "skill:wordpress OR shopify")
        expected = [
            store.execute("SELECT uid FROM missions WHERE id = ?", (i,)).fetchone()[0] for i in ids
        ]
    assert [r["uid"] for r in exported] == expected and len(expected) >= 4
    assert set(exported[0]) == set(COLUMNS)
    assert exported[0]["posted_at"].endswith("+00:00")  # ISO 8601, UTC


def test_export_leaves_out_hidden_and_hide_rules_unless_asked(env):
    args, db, tmp = env
    with Store(db) as store:
        store.set_state("codeur:481823", hidden=True)
    everything = run(*args, "export", "-f", "jsonl").stdout.splitlines()
    uids = {json.loads(line)["uid"] for line in everything}
    assert "codeur:481823" not in uids
    assert "remotive:2091075" not in uids  # a Remotive sales job: the [hide] rule
    assert "remotive:2091081" in uids
    hidden = {
        json.loads(line)["uid"]
        for line in run(*args, "export", "-q", "is:hidden", "-f", "jsonl").stdout.splitlines()
    }
    assert {"codeur:481823", "remotive:2091075", "remotive:2091072"} == hidden


def test_bad_query_is_one_line_and_exit_2(env):
    args, _, tmp = env
    result = run(*args, "export", "--query", "python skil:python", "-o", str(tmp / "x.csv"))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "missionboard: error: bad query 'python skil:python': "
        'position 8: unknown field "skil:" (did you mean "skill:"?)'
    )
    assert not (tmp / "x.csv").exists()


def test_formula_cells_are_neutralised_and_round_trip():
    for text in ['=HYPERLINK("http://x")', "+33 6", "-5", "@SUM(A1)", "\tx", "\rx", "'quoted"]:
        cell = safe_cell(text)
        assert cell.startswith("'")
        assert unescape_cell(cell) == text
    assert safe_cell("Développeur") == "Développeur"
    assert unescape_cell("it's") == "it's"


def test_csv_with_semicolons_and_bom_for_french_spreadsheets(env):
    args, db, tmp = env
    with Store(db) as store:
        store.set_state("codeur:481826", note="=1+1 ; à rappeler")
    out = tmp / "fr.csv"
    result = run(
        *args, "export", "-q", "source:codeur", "--delimiter", ";", "--bom", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = read_csv(out, ";")
    assert len(rows) == 35 and list(rows[0]) == COLUMNS
    note = next(r["note"] for r in rows if r["uid"] == "codeur:481826")
    assert note == "'=1+1 ; à rappeler"


def edit_csv(path, edits, delimiter=","):
    """Change cells the way a spreadsheet user would, keeping everything else byte for byte."""
    rows = read_csv(path, delimiter)
    for row in rows:
        for column, value in edits.get(row["uid"], {}).items():
            row[column] = value
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def test_round_trip_export_edit_import_export(env):
    args, db, tmp = env
    with Store(db) as store:
        store.set_state("codeur:481816", starred=True, note="ancienne note")
    first = tmp / "first.csv"
    assert run(*args, "export", "-o", str(first)).exit_code == 0
    edit_csv(
        first,
        {
            "codeur:481826": {"pipeline": "applied", "note": "envoyé le devis\nrelancer lundi"},
            "codeur:481816": {"note": "=appeler le client"},
            "remotive:2090903": {"pipeline": "Interested"},
            # Columns that are not the user's own are ignored, even when edited.
            "codeur:481819": {"title": "changed by mistake", "budget_max": "1"},
        },
    )
    result = run(*args, "import-state", str(first))
    assert result.exit_code == 0, result.output
    # 40 missions, less the two Remotive sales jobs the [hide] rule keeps out of the export.
    assert result.stdout.strip().startswith("38 rows read: 2 statuses and 2 notes changed")
    second = tmp / "second.csv"
    assert run(*args, "export", "-o", str(second)).exit_code == 0
    before = {r["uid"]: r for r in read_csv(tmp / "first.csv")}
    after = {r["uid"]: r for r in read_csv(second)}
    assert after["codeur:481826"]["pipeline"] == "applied"
    assert after["codeur:481826"]["note"] == "envoyé le devis\nrelancer lundi"
    assert after["codeur:481816"]["note"] == "'=appeler le client"  # still neutralised
    assert after["codeur:481816"]["starred"] == "true"  # untouched
    assert after["remotive:2090903"]["pipeline"] == "interested"
    assert after["codeur:481819"]["title"] != "changed by mistake"
    # Nothing else moved: every other cell of every row is identical.
    for uid, row in after.items():
        for column in COLUMNS:
            if (uid, column) in {
                ("codeur:481826", "pipeline"), ("codeur:481826", "note"),
                ("codeur:481816", "note"), ("remotive:2090903", "pipeline"),
                ("codeur:481819", "title"), ("codeur:481819", "budget_max"),
            }:  # fmt: skip
                continue
            assert row[column] == before[uid][column], (uid, column)
    # Importing the same file again changes nothing.
    again = run(*args, "import-state", str(first))
    assert "0 statuses and 0 notes changed, 38 rows unchanged" in again.stdout


def test_import_reports_unknown_uids_and_statuses_and_changes_nothing_else(env):
    args, db, tmp = env
    path = tmp / "edited.csv"
    # As LibreOffice saves it in a French locale: semicolons, Windows-1252.
    path.write_bytes(
        "uid;title;pipeline;note\r\n"
        "codeur:481826;x;gagné;très bien\r\n"
        "codeur:000000;y;applied;\r\n"
        "codeur:481816;z;won;\r\n".encode("cp1252")
    )
    result = run(*args, "import-state", str(path))
    assert result.exit_code == 1
    assert "3 rows read: 1 statuses and 1 notes changed" in result.stdout
    assert "line 3: no mission 'codeur:000000' in the store; row skipped" in result.stderr
    assert (
        "line 2: unknown status 'gagné' for codeur:481826 (expected new, interested, applied, won, lost"
        in result.stderr
    )
    with Store(db) as store:
        kept = store.get_state("codeur:481826")
        assert (str(kept.pipeline), kept.note) == ("new", "très bien")
        assert str(store.get_state("codeur:481816").pipeline) == "won"
        assert store.execute("SELECT count(*) FROM user_state").fetchone()[0] == 2


def test_import_dry_run_writes_nothing(env):
    args, db, tmp = env
    path = tmp / "edited.csv"
    path.write_text("uid,pipeline,note\ncodeur:481826,won,done\n", encoding="utf-8")
    result = run(*args, "import-state", "--dry-run", str(path))
    assert result.exit_code == 0
    assert result.stdout.startswith("dry run, nothing written: 1 rows read: 1 statuses and 1 notes")
    with Store(db) as store:
        assert store.execute("SELECT count(*) FROM user_state").fetchone()[0] == 0


@pytest.mark.parametrize(
    "content, message",
    [
        ("title,note\nx,y\n", "has no uid column"),
        ("uid,title\ncodeur:481826,x\n", "has neither a pipeline nor a note column"),
        ("", "is empty"),
    ],
)
def test_import_refuses_files_that_are_not_exports(env, content, message):
    args, _, tmp = env
    path = tmp / "other.csv"
    path.write_text(content, encoding="utf-8")
    result = run(*args, "import-state", str(path))
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output


def test_import_missing_file(env):
    args, _, tmp = env
    result = run(*args, "import-state", str(tmp / "nope.csv"))
    assert result.exit_code == 2 and "no such file" in result.stderr
