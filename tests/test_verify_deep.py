"""`verify --deep`: the read models beside the log are held to a fresh fold of its events, table by table."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from projections.readmodel import TABLES
from timeline.cli import main
from timeline.seeds import bundled_seeds


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output + (result.stderr or "")
    return result


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """The seeds, and one retraction, so that every kind of read-model row is there."""
    log = tmp_path_factory.mktemp("deep") / "log.sqlite"
    assert run("--log", str(log), "ingest", str(bundled_seeds())).exit_code == 0
    claim = json.loads(run("--log", str(log), "claims", "--format", "json").output)[0]["id"]
    assert run("--log", str(log), "retract", claim, "--reason", "a test").exit_code == 0
    return log


@pytest.fixture
def log(pristine, tmp_path) -> Path:
    copy = tmp_path / "log.sqlite"
    copy.write_bytes(pristine.read_bytes())
    return copy


def test_a_log_as_appended_passes_deep(log):
    result = run("--log", str(log), "verify", "--deep")
    assert result.exit_code == 0
    assert result.output.startswith("verified ") and "the read models equal a fold of the events" in result.output
    data = json.loads(run("--log", str(log), "verify", "--deep", "--format", "json").output)
    assert data["ok"] and data["read_models"]["ok"] and data["read_models"]["differences"] == []
    assert set(data["read_models"]["tables"]) == set(TABLES)


def _tables_with_rows(log: Path) -> list[str]:
    conn = sqlite3.connect(log)
    out = [t for t in TABLES if conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]]
    conn.close()
    return out


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_changed_read_model_cell_is_named_by_its_table(pristine, tmp_path_factory, data):
    log = tmp_path_factory.mktemp("flip") / "log.sqlite"
    log.write_bytes(pristine.read_bytes())
    table = data.draw(st.sampled_from(_tables_with_rows(log)), label="table")
    conn = sqlite3.connect(log, isolation_level=None)
    columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
    rowids = [r[0] for r in conn.execute(f"SELECT rowid FROM {table}")]
    rowid = data.draw(st.sampled_from(rowids), label="row")
    column = data.draw(st.sampled_from(columns), label="column")
    old = conn.execute(f"SELECT {column} FROM {table} WHERE rowid = ?", (rowid,)).fetchone()[0]
    new = data.draw(st.one_of(st.integers(-5, 10**6), st.text(min_size=1, max_size=5)).filter(lambda v: v != old),
                    label="new")
    before = sorted(map(repr, conn.execute(f"SELECT * FROM {table}")))
    try:
        conn.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (new, rowid))
    except sqlite3.IntegrityError:
        pass  # a key taken by another row: nothing changed
    changed = sorted(map(repr, conn.execute(f"SELECT * FROM {table}"))) != before
    conn.close()
    assert run("--log", str(log), "verify").exit_code == 0  # the chain is whole either way
    result = run("--log", str(log), "verify", "--deep")
    if changed:
        assert result.exit_code == 1
        assert f"read model check failed: table {table} differs from a fold of the events" in result.stderr
        assert run("--log", str(log), "rebuild").exit_code == 0
        assert run("--log", str(log), "verify", "--deep").exit_code == 0
    else:
        assert result.exit_code == 0


def test_a_removed_row_is_named(log):
    conn = sqlite3.connect(log, isolation_level=None)
    conn.execute("DELETE FROM claims WHERE position = (SELECT max(position) FROM claims)")
    conn.close()
    data = json.loads(run("--log", str(log), "verify", "--deep", "--format", "json").output)
    assert not data["ok"]
    [d] = data["read_models"]["differences"]
    assert d["table"] == "claims" and d["missing"] == 1 and d["extra"] == 0


def test_deep_on_a_broken_chain_reports_the_chain(log):
    conn = sqlite3.connect(log, isolation_level=None)
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute("UPDATE events SET recorded_at = '2000-01-01T00:00:00.000000Z' WHERE position = 2")
    conn.close()
    result = run("--log", str(log), "verify", "--deep")
    assert result.exit_code == 1 and result.stderr.startswith("verification failed at position 2")
