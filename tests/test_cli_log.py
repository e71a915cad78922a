"""The log commands as a user runs them: exact output, exit codes, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import given, settings

from events.model import ClaimRetracted
from events.sqlite_store import SQLiteStore
from tests.strategies import event_lists
from timeline.cli import main


def run(*args: str, env: dict | None = None):
    result = CliRunner().invoke(main, list(args), env=env)
    assert "Traceback" not in (result.output + (result.stderr or ""))
    return result


@pytest.fixture
def log(tmp_path) -> Path:
    path = tmp_path / "log.sqlite"
    store = SQLiteStore(path)
    store.append([ClaimRetracted("aaaa", "first"), ClaimRetracted("bbbb", "second")])
    store.close()
    return path


def test_verify_counts_the_events(log):
    result = run("--log", str(log), "verify")
    assert result.exit_code == 0
    assert result.output.startswith("verified 2 events (head ")


def test_verify_json(log):
    data = json.loads(run("--log", str(log), "verify", "--format", "json").output)
    assert data["ok"] is True and data["events"] == 2 and data["problem"] is None


def test_verify_names_the_first_bad_position(log):
    import sqlite3

    conn = sqlite3.connect(log, isolation_level=None)
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute("UPDATE events SET payload = replace(payload, 'second', 'SECOND') WHERE position = 2")
    conn.close()
    result = run("--log", str(log), "verify")
    assert result.exit_code == 1
    assert result.stderr.startswith("verification failed at position 2: hash does not match")


def test_a_head_altered_fails_verify_and_the_next_write_is_refused(log):
    import sqlite3

    conn = sqlite3.connect(log, isolation_level=None)
    conn.execute("UPDATE log_head SET hash = '00'")
    conn.close()
    for args in (["verify"], ["verify", "--deep"]):
        result = run("--log", str(log), *args)
        assert result.exit_code == 1
        assert result.stderr.startswith("verification failed at position 2: the log head's hash does not match")
    before = log.read_bytes()
    for args in (["retract", "aaaa", "--reason", "r"], ["asof", "2024-11-23"], ["export"], ["rebuild"]):
        result = run("--log", str(log), *args)
        assert result.exit_code == 2, args
        assert result.stderr.startswith(f"Error: {log}: ") and "the log head's hash" in result.stderr
        assert len(result.stderr.splitlines()) == 1
    assert log.read_bytes() == before


def test_a_middle_event_removed_is_one_line_for_every_command(tmp_path):
    import sqlite3

    from timeline.seeds import bundled_seeds

    log = tmp_path / "log.sqlite"
    assert run("--log", str(log), "ingest", str(bundled_seeds())).exit_code == 0
    conn = sqlite3.connect(log, isolation_level=None)
    conn.execute("DROP TRIGGER events_no_delete")
    conn.execute("DELETE FROM events WHERE position = 10")
    conn.close()
    for args in (["asof", "2024-11-23"], ["graph"], ["report", "-o", str(tmp_path / "rep")], ["export"], ["rebuild"]):
        result = run("--log", str(log), *args)
        assert result.exit_code == 2, args
        assert result.stderr.startswith(f"Error: {log}: the log fails verification at position 10 (position 10"
                                        " expected, found 11"), args
        assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "rep").exists()
    assert run("--log", str(log), "verify").exit_code == 1


def test_log_table_and_json(log):
    result = run("--log", str(log), "log")
    lines = result.output.splitlines()
    assert lines[0].split() == ["POS", "TYPE", "ID", "SUMMARY"]
    assert lines[1].split()[:2] == ["1", "ClaimRetracted"] and lines[1].endswith("retracts aaaa: first")
    data = json.loads(run("--log", str(log), "log", "--format", "json").output)
    assert [d["position"] for d in data] == [1, 2]
    assert set(data[0]) == {"position", "type", "id", "recorded_at", "summary"}


def test_export_then_import_into_a_new_log_is_identical(log, tmp_path):
    exported = tmp_path / "log.jsonl"
    assert run("--log", str(log), "export", "-o", str(exported)).exit_code == 0
    copy = tmp_path / "copy.sqlite"
    result = run("--log", str(copy), "import", str(exported))
    assert result.exit_code == 0 and result.output == "imported 2 events (0 already present)\n"
    again = run("--log", str(copy), "import", str(exported))
    assert again.output == "imported 0 events (2 already present)\n"
    assert run("--log", str(copy), "export").output == exported.read_text()


@settings(max_examples=15, deadline=None)
@given(events=event_lists)
def test_export_import_round_trip(tmp_path_factory, events):
    from timeline import Timeline
    import io

    d = tmp_path_factory.mktemp("rt")
    a = Timeline(d / "a.sqlite")
    a.store.append(events)
    out = io.StringIO()
    a.export(out)
    b = Timeline(d / "b.sqlite")
    b.import_jsonl(io.StringIO(out.getvalue()))
    again = io.StringIO()
    b.export(again)
    assert again.getvalue() == out.getvalue()
    assert b.verify().ok


def _with(line: str, **fields: str) -> str:
    data = json.loads(line)
    data.update(fields)
    return json.dumps(data)


def lines_of(log: Path, tmp_path: Path) -> list[str]:
    exported = tmp_path / "good.jsonl"
    run("--log", str(log), "export", "-o", str(exported))
    return exported.read_text().splitlines()


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda ls: [ls[0], _with(ls[1], prev_hash="0" * 64)], "line 2: broken hash chain at position 2"),
        (lambda ls: [ls[0], ls[1].replace('"second"', '"other"')], "line 2: id "),
        (lambda ls: [ls[0], ls[1][:-5]], "line 2: not JSON"),
        (lambda ls: [ls[0], ls[1].replace('"ClaimRetracted"', '"ClaimVanished"')], "line 2: unknown event type 'ClaimVanished'"),
        (lambda ls: [ls[1]], "line 1: broken hash chain at position 1"),
    ],
    ids=["broken-chain", "id-not-of-payload", "malformed-line", "unknown-type", "missing-first"],
)
def test_a_bad_import_is_rejected_whole(log, tmp_path, damage, message):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(damage(lines_of(log, tmp_path))) + "\n")
    target = tmp_path / "target.sqlite"
    SQLiteStore(target).close()
    result = run("--log", str(target), "import", str(bad))
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    store = SQLiteStore(target)
    assert store.head() == 0


def test_not_sqlite_log_is_one_line_and_untouched(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a database")
    result = run("--log", str(path), "log")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {path}: not a timeline log (not an SQLite database)\n"
    assert path.read_text() == "not a database"


def test_truncated_log_is_one_line(tmp_path):
    path = tmp_path / "log.sqlite"
    store = SQLiteStore(path)
    store.append([ClaimRetracted(f"c{i}", "x" * 3000) for i in range(30)])
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    path.write_bytes(path.read_bytes()[:5000])
    result = run("--log", str(path), "verify")
    assert result.exit_code == 2 and "truncated SQLite database" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_unwritable_location_is_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("--log", str(blocker / "log.sqlite"), "import", str(blocker))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: cannot create the log at ")


def test_a_missing_explicit_log_is_not_created_by_a_read(tmp_path):
    path = tmp_path / "nope.sqlite"
    result = run("--log", str(path), "log")
    assert result.exit_code == 2 and "no such log" in result.stderr
    assert not path.exists()


def test_log_path_from_the_environment(log):
    result = run("verify", env={"TIMELINE_LOG": str(log)})
    assert result.output.startswith("verified 2 events")


@pytest.mark.parametrize(
    "args, message",
    [
        (["log", "--format", "xml"], "Error: Invalid value for '--format': 'xml' is not one of 'table', 'json'. (see `timeline log --help`)\n"),
        (["bogus"], "Error: No such command 'bogus'. (see `timeline --help`)\n"),
        (["import"], "Error: Missing argument 'FILE'. (see `timeline import --help`)\n"),
    ],
)
def test_usage_errors_are_one_line(log, args, message):
    result = run("--log", str(log), *args)
    assert result.exit_code == 2
    assert result.stderr == message


def test_a_log_of_another_format_is_refused_with_advice(tmp_path):
    import sqlite3

    path = tmp_path / "old.sqlite"
    SQLiteStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    result = run("--log", str(path), "log")
    assert result.exit_code == 2
    assert "a timeline log in format 1, this version reads format 2" in result.stderr


def test_every_command_has_an_example_in_its_help():
    ctx = click.Context(main)
    names = main.list_commands(ctx)
    assert {"asof", "ingest", "review", "copy"} <= set(names)
    for name in names:
        command = main.get_command(ctx, name)
        assert command is not None and command.name == name, name
        assert "Example:" in (command.help or ""), name


SEEDS = Path(__file__).resolve().parent.parent / "seeds"
WRITERS = (["export", "-o"], ["graph", "-o"], ["history", "troops.deployed", "-o"], ["review", "--export"])


@pytest.fixture
def seeded(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    assert run("--log", "timeline.sqlite", "ingest", str(SEEDS)).exit_code == 0
    return tmp_path / "timeline.sqlite"


@pytest.mark.parametrize("writer", WRITERS, ids=lambda w: w[0])
def test_no_output_is_written_over_the_log_or_its_journals(seeded, writer):
    (seeded.parent / "sub").mkdir()
    (seeded.parent / "other.sqlite").hardlink_to(seeded)
    before = seeded.read_bytes()
    targets = {"timeline.sqlite": "the log timeline.sqlite",
               "sub/../timeline.sqlite": "the log timeline.sqlite",
               str(seeded): "the log timeline.sqlite",
               "other.sqlite": "the log timeline.sqlite",
               "timeline.sqlite-wal": "the -wal file timeline.sqlite-wal of the log timeline.sqlite",
               "timeline.sqlite-shm": "the -shm file timeline.sqlite-shm of the log timeline.sqlite",
               "timeline.sqlite-journal": "the -journal file timeline.sqlite-journal of the log timeline.sqlite",
               "timeline.sqlite.review.json":
                   "the .review.json file timeline.sqlite.review.json of the log timeline.sqlite"}
    for target, what in targets.items():
        result = run("--log", "timeline.sqlite", *writer, target)
        assert (result.exit_code, result.stdout) == (2, ""), target
        assert result.stderr == f"Error: {target}: is {what}; give another file for the output\n"
    assert seeded.read_bytes() == before
    assert sorted(p.name for p in seeded.parent.iterdir()) == ["other.sqlite", "sub", "timeline.sqlite"]
    assert run("--log", "timeline.sqlite", "verify").exit_code == 0


def test_the_default_log_is_not_written_over_when_it_is_built(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for args in (["export", "-o", "timeline.sqlite"], ["graph", "-o", "timeline.sqlite"]):
        result = run(*args, env={"TIMELINE_LOG": None})
        assert result.exit_code == 2
        assert result.stderr.splitlines()[-1] == ("Error: timeline.sqlite: is the log timeline.sqlite; "
                                                  "give another file for the output")
        assert run("verify", env={"TIMELINE_LOG": None}).exit_code == 0


def test_report_refuses_the_folder_of_the_log(seeded):
    result = run("--log", "timeline.sqlite", "report", "-o", ".")
    assert (result.exit_code, result.stderr) == (2, "Error: .: holds the log timeline.sqlite; "
                                                    "give another folder for the report\n")


def test_a_repeated_line_is_named_as_an_editor_numbers_it(tmp_path):
    source = tmp_path / "source.sqlite"
    store = SQLiteStore(source)
    store.append([ClaimRetracted(f"{i:04x}", f"reason {i}") for i in range(8)])
    store.close()
    lines = lines_of(source, tmp_path)
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines[:5] + lines[4:]) + "\n")  # line 6 is line 5 again
    result = run("--log", str(tmp_path / "target.sqlite"), "import", str(bad))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {bad}: line 6: a repeat of line 5 (the event at position 5 twice)\n"
    swapped = tmp_path / "swapped.jsonl"
    swapped.write_text("\n".join(lines[:4] + [lines[5], lines[4]] + lines[6:]) + "\n")
    result = run("--log", str(tmp_path / "target.sqlite"), "import", str(swapped))
    assert result.stderr == (f"Error: {swapped}: line 5: broken hash chain at position 5: position 5 expected,"
                             " found 6: a row is missing or out of order\n")


@pytest.mark.parametrize("args", [["export"], ["graph"], ["graph", "--format", "dot"], ["log"], ["claims"],
                                  ["asof", "2024-11-23"], ["history", "troops.deployed"]], ids=" ".join)
def test_a_closed_pipe_ends_a_command_quietly(seeded, args):
    """`timeline export | head`: the reader has what it wanted; no error, exit 0, as head expects."""
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run([sys.executable, "-c", "from timeline.cli import main; main()", "--log", str(seeded),
                               *args], stdout=write, stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (0, "")


def test_a_name_with_a_newline_or_an_escape_keeps_an_error_on_one_line(seeded):
    """A file name is anyone's text: its control characters are shown escaped, as Python writes them."""
    cases = [
        (["--log", "timeline.sqlite", "export", "-o", "no\ndir/x.jsonl"],
         "no\\ndir/x.jsonl: folder no\\ndir does not exist"),
        (["--log", "a\nb.sqlite", "log"],
         "a\\nb.sqlite: no such log (create one with `timeline ingest` or `timeline import`)"),
        (["--log", "timeline.sqlite", "import", "missing\n\tfile.txt"],
         "Invalid value for 'FILE': 'missing\\n\\tfile.txt': No such file or directory (see `timeline import --help`)"),
        (["--log", "timeline.sqlite", "report", "-o", "r\x1b[31m\u202ex/y"],
         f"r\\x1b[31m\\u202ex/y: folder {seeded.parent}/r\\x1b[31m\\u202ex does not exist"),
    ]
    for args, message in cases:
        result = run(*args)
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == f"Error: {message}\n"
    result = run("--log", "timeline.sqlite", "export", "-o", "out\n.jsonl")
    assert (result.exit_code, result.stderr) == (0, "timeline: exported 42 events to out\\n.jsonl\n")
