"""Edges of the log as users hit them: empty paths and files, where output goes, what a failure leaves."""

from __future__ import annotations

import json
import os
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
