"""Edges of the log as users hit them: empty paths and files, where output goes, what a failure leaves."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from events.sqlite_store import SQLiteStore
from events.store import StoreError
from timeline.cli import main
from timeline.seeds import bundled_seeds


def run(*args: str, **kw):
    result = CliRunner().invoke(main, list(args), **kw)
    assert "Traceback" not in result.output + (result.stderr or "")
    return result


def one_line_error(result, *parts: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    for part in parts:
        assert part in lines[0]


@pytest.mark.parametrize("paths", [[""], ["  "], [str(bundled_seeds()), ""]])
def test_an_empty_path_is_an_error_and_ingests_nothing(tmp_path, paths):
    log = tmp_path / "log.sqlite"
    folder = tmp_path / "cwd"
    folder.mkdir()
    (folder / "article.txt").write_text("Russia lost 1,000 soldiers on 5 November 2024, Kyiv said.\n")
    old = os.getcwd()
    os.chdir(folder)  # an empty path must not mean this folder
    try:
        result = run("--log", str(log), "ingest", *paths)
    finally:
        os.chdir(old)
    one_line_error(result, "empty path")
    assert not log.exists()


def test_an_empty_file_is_not_a_log(tmp_path):
    log = tmp_path / "log.sqlite"
    log.write_bytes(b"")
    for args in (["verify"], ["log"], ["asof", "2024-11-23"], ["ingest", str(bundled_seeds())]):
        result = run("--log", str(log), *args)
        one_line_error(result, str(log), "not a timeline log (an empty file")
    assert log.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.sqlite"]


def test_an_empty_file_that_another_process_fills_is_opened(tmp_path):
    import threading

    log = tmp_path / "log.sqlite"
    log.write_bytes(b"")

    def fill() -> None:
        import sqlite3

        conn = sqlite3.connect(log)
        conn.execute("PRAGMA journal_mode = WAL")  # writes the first page, as a creating log does
        conn.close()

    timer = threading.Timer(0.2, fill)
    timer.start()
    try:
        store = SQLiteStore(log)
    finally:
        timer.join()
    assert store.head() == 0 and store.verify().ok
    store.close()


def test_an_empty_file_is_refused_by_the_store(tmp_path):
    log = tmp_path / "log.sqlite"
    log.write_bytes(b"")
    with pytest.raises(StoreError, match="an empty file"):
        SQLiteStore(log)


@pytest.fixture
def small_log(tmp_path) -> Path:
    log = tmp_path / "log.sqlite"
    assert run("--log", str(log), "ingest", str(bundled_seeds())).exit_code == 0
    return log


COMMANDS = {"export": ["export", "-o"], "graph": ["graph", "--asof", "2024-11-23", "-o"]}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_output_goes_to_regular_files_only(small_log, tmp_path, command):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    link = tmp_path / "link"
    link.symlink_to(victim)
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    targets = {fifo: "a FIFO", link: "a symbolic link", dangling: "a symbolic link"}
    if os.path.exists("/dev/null"):
        targets[Path("/dev/null")] = "a character device"
    for target, kind in targets.items():
        result = run("--log", str(small_log), *COMMANDS[command], str(target))
        one_line_error(result, str(target), f"is {kind}; output is written to regular files only")
    assert fifo.is_fifo() and link.is_symlink() and victim.read_text() == "keep me" and dangling.is_symlink()
    assert Path("/dev/null").is_char_device()
    assert not any(p.name.endswith(".part") for p in tmp_path.iterdir())


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_output_replaces_a_regular_file_whole(small_log, tmp_path, command):
    target = tmp_path / "out.txt"
    target.write_text("old")
    target.chmod(0o640)
    result = run("--log", str(small_log), *COMMANDS[command], str(target))
    assert result.exit_code == 0, result.stderr
    assert target.read_text() != "old" and len(target.read_text()) > 100
    assert (target.stat().st_mode & 0o777) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.sqlite", "out.txt"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_a_file_is_replaced_by_swapping_names_and_the_old_one_removed(tmp_path):
    from timeline.outfile import _swapped

    old, new = tmp_path / "out.json", tmp_path / ".out.json.part"
    old.write_text("old")
    kept = tmp_path / "link"
    os.link(old, kept)  # the old file itself, under a second name
    new.write_text("new")
    assert _swapped(str(new), old)
    assert old.read_text() == "new" and kept.read_text() == "old" and not new.exists()
    assert not _swapped(str(tmp_path / "absent.part"), tmp_path / "nothing-there")


def tamper(log: Path) -> int:
    """Change one claim's figure in place, as an edit behind the log's back would; returns its position."""
    import sqlite3

    conn = sqlite3.connect(log, isolation_level=None)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    position, payload = conn.execute(
        "SELECT position, payload FROM events WHERE type = 'ClaimReported' AND payload LIKE '%\"value\":133190%'"
    ).fetchone()
    conn.execute("UPDATE events SET payload = ? WHERE position = ?",
                 (payload.replace('"value":133190', '"value":999999'), position))
    conn.close()
    return position


def test_rebuild_refuses_a_broken_chain_and_keeps_the_read_models(small_log):
    before = run("--log", str(small_log), "asof", "2023-02-07", "--format", "json").output
    assert "133190" in before
    position = tamper(small_log)
    result = run("--log", str(small_log), "rebuild")
    one_line_error(result, f"fails verification at position {position}", "not rebuilt")
    assert run("--log", str(small_log), "asof", "2023-02-07", "--format", "json").output == before


def test_export_refuses_a_broken_chain_and_writes_nothing(small_log, tmp_path):
    position = tamper(small_log)
    result = run("--log", str(small_log), "export")
    one_line_error(result, f"fails verification at position {position}", "nothing was exported")
    assert result.stdout == ""
    out = tmp_path / "out.jsonl"
    result = run("--log", str(small_log), "export", "-o", str(out))
    one_line_error(result, f"fails verification at position {position}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.sqlite"]


def _log_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("new.sqlite"))


def test_a_failed_import_leaves_no_log_behind(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"not": "an event"}\n')
    result = run("--log", str(tmp_path / "new.sqlite"), "import", str(bad))
    one_line_error(result, "line 1: not an event row")
    assert _log_files(tmp_path) == []


def test_a_failed_first_ingest_leaves_no_log_behind(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "binary.txt").write_bytes(b"\xff\xfe\x00\x00\x00junk")
    result = run("--log", str(tmp_path / "new.sqlite"), "ingest", str(folder))
    assert result.exit_code == 2 and "binary.txt" in result.stderr
    assert _log_files(tmp_path) == []
    result = run("--log", str(tmp_path / "new.sqlite"), "import-tally", str(folder))
    assert result.exit_code == 2
    assert _log_files(tmp_path) == []


def test_a_failed_write_keeps_a_log_that_was_there(tmp_path):
    log = tmp_path / "new.sqlite"
    SQLiteStore(log).close()  # an empty log, made before
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{}\n")
    assert run("--log", str(log), "import", str(bad)).exit_code == 2
    assert log.exists() and SQLiteStore(log).head() == 0


def test_a_successful_ingest_keeps_its_new_log_even_with_some_errors(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "binary.txt").write_bytes(b"\xff\xfe\x00\x00\x00junk")
    (folder / "good.txt").write_text("Ukraine said on 5 November 2024 that Russia had lost 1,000 soldiers in Kursk.\n")
    result = run("--log", str(tmp_path / "new.sqlite"), "ingest", str(folder))
    assert result.exit_code == 2 and "1 articles new" in result.stdout
    assert SQLiteStore(tmp_path / "new.sqlite").head() >= 1


@pytest.mark.parametrize("position", ["²", "٣", "1²", "-1", "1e3", "x"])
def test_a_position_that_is_no_whole_number_is_named(small_log, position):
    result = run("--log", str(small_log), "asof", "2024-11-23", "--position", position)
    one_line_error(result, f"--position {position!r} is not a log position")


@pytest.mark.parametrize("opening, closing", [("[", "]"), ('{"a":', "}")])
def test_deeply_nested_jsonl_is_named(tmp_path, opening, closing):
    deep = tmp_path / "deep.jsonl"
    deep.write_text(opening * 100_000 + "1" + closing * 100_000 + "\n")
    result = run("--log", str(tmp_path / "new.sqlite"), "import", str(deep))
    one_line_error(result, "line 1: JSON nested too deeply")


@pytest.mark.shared
def test_a_tally_count_beyond_any_count_is_named(tmp_path):
    import shutil

    shared = Path(__file__).resolve().parents[2] / "shared" / "data" / "russia-losses"
    folder = tmp_path / "tally"
    shutil.copytree(shared, folder)
    path = folder / "russia_losses_personnel.json"
    rows = json.loads(path.read_text())
    rows[3]["personnel"] = 10**40
    path.write_text(json.dumps(rows))
    result = run("--log", str(tmp_path / "new.sqlite"), "import-tally", str(folder))
    one_line_error(result, "russia_losses_personnel.json: line 1, row 4: column 'personnel'", "is beyond any count")
    assert _log_files(tmp_path) == []


def test_a_figure_beyond_64_bits_is_stored_and_shown(tmp_path):
    from events.model import Claim, ClaimReported, Evidence
    from timeline import Timeline

    tl = Timeline(tmp_path / "new.sqlite")
    claim = Claim("losses.personnel.killed", "RU", 10**40, "persons", as_of=__import__("datetime").date(2024, 1, 1))
    tl.store.append([ClaimReported("ab" * 32, claim, Evidence("10^40 killed"), "test")])
    state = tl.asof("2024-01-02")
    assert [v.value for v in state.values] == [1e40]
    tl.close()


def _export(log: Path, tmp_path: Path) -> list[str]:
    out = tmp_path / "export.jsonl"
    assert run("--log", str(log), "export", "-o", str(out)).exit_code == 0
    return out.read_text().splitlines()


def test_an_export_ends_with_its_count_and_head(small_log, tmp_path):
    lines = _export(small_log, tmp_path)
    end = json.loads(lines[-1])
    verified = json.loads(run("--log", str(small_log), "verify", "--format", "json").output)
    assert end == {"export_end": {"events": verified["events"], "head": verified["head"]}}
    assert len(lines) == verified["events"] + 1


@pytest.mark.parametrize("cut, message", [
    (lambda ls: ls[:-1], "no end line after"),
    (lambda ls: ls[:-30], "no end line after"),
    (lambda ls: ls[:-2] + ls[-1:], "the end line counts"),
    (lambda ls: ls + ['{"position": 1}'], "a line after the export's end line"),
    (lambda ls: ls[:-1] + ['{"export_end": {"events": 3}}'], "a malformed end line"),
], ids=["end-line-cut", "tail-cut", "last-event-cut", "line-after-end", "malformed-end"])
def test_an_export_cut_short_or_added_to_is_refused_whole(small_log, tmp_path, cut, message):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(cut(_export(small_log, tmp_path))) + "\n")
    target = tmp_path / "target.sqlite"
    result = run("--log", str(target), "import", str(bad))
    one_line_error(result, message)
    assert not target.exists()


def test_an_export_without_end_line_imports_when_asked(small_log, tmp_path):
    old = tmp_path / "old.jsonl"
    lines = _export(small_log, tmp_path)
    old.write_text("\n".join(lines[:-1]) + "\n")
    target = tmp_path / "target.sqlite"
    result = run("--log", str(target), "import", "--no-end-line", str(old))
    assert result.exit_code == 0 and result.output == f"imported {len(lines) - 1} events (0 already present)\n"
    again = tmp_path / "again"
    again.mkdir()
    assert _export(target, again) == lines


def test_the_version_column_is_covered_by_the_hash(small_log, tmp_path):
    import sqlite3

    lines = _export(small_log, tmp_path)
    conn = sqlite3.connect(small_log, isolation_level=None)
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute("UPDATE events SET version = 2 WHERE position = 3")
    conn.close()
    result = run("--log", str(small_log), "verify")
    assert result.exit_code == 1 and result.stderr.startswith("verification failed at position 3: hash does not match")
    row = json.loads(lines[4])
    row["version"] = 7
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines[:4] + [json.dumps(row)] + lines[5:]) + "\n")
    one_line_error(run("--log", str(tmp_path / "t.sqlite"), "import", str(bad)), "line 5: broken hash chain at position 5")


def test_logs_written_before_the_version_was_hashed_still_verify(small_log):
    """A version-1 row is hashed as it always was: prev, type, id, time and payload, one per line."""
    import hashlib

    from events.sqlite_store import SQLiteStore

    store = SQLiteStore(small_log)
    rows = list(store.read())
    assert {r.version for r in rows} == {1}
    for r in rows:
        old = hashlib.sha256("\n".join((r.prev_hash, r.type, r.id, r.recorded_at, r.payload)).encode()).hexdigest()
        assert r.hash == old
    assert store.verify().ok
