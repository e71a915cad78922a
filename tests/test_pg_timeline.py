"""The whole timeline on a PostgreSQL log: the state machine, the commands, copying between backends.

Against a real server (tests/pg.py); skipped when there is none and
TIMELINE_PG_REQUIRED is not set.
"""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner
from hypothesis import settings

from events.store import StoreError
from projections import pg_readmodel
from tests import pg
from tests import test_state_cli as cli_cases
from tests.test_projections_props import StateMachine
from timeline.cli import main

pytest.importorskip("psycopg")


class PgStateMachine(StateMachine):
    """The state machine of test_projections_props on two PostgreSQL logs and their read models."""

    questions = pg_readmodel

    def open(self, name: str):
        from events.pg_store import PostgresStore

        pg.need_server()
        return PostgresStore(pg.recycled_url(read_models=True), projectors=pg_readmodel.projectors())

    def location(self, store) -> str:
        return store.url


PgStateMachine.TestCase.settings = settings(
    max_examples=min(settings.default.max_examples, 6), stateful_step_count=8, deadline=None
)
test_pg_state_machine = PgStateMachine.TestCase


def run(*args: str, env: dict | None = None):
    result = CliRunner().invoke(main, list(args), env=env)
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def url():
    return pg.recycled_url(read_models=True)


@pytest.fixture
def log(url):
    from events.pg_store import PostgresStore

    store = PostgresStore(url, projectors=pg_readmodel.projectors())
    store.append([cli_cases.A, cli_cases.KP_EARLY, cli_cases.KP_A, cli_cases.RU_A, cli_cases.AREA, cli_cases.KILLED])
    store.append([cli_cases.B, cli_cases.KP_B, cli_cases.RU_B, cli_cases.AREA_B])
    store.close()
    return url


def _sqlite(tmp_path):
    from events.sqlite_store import SQLiteStore
    from projections.readmodel import projectors

    path = tmp_path / "log.sqlite"
    store = SQLiteStore(path, projectors=projectors())
    store.append([cli_cases.A, cli_cases.KP_EARLY, cli_cases.KP_A, cli_cases.RU_A, cli_cases.AREA, cli_cases.KILLED])
    store.append([cli_cases.B, cli_cases.KP_B, cli_cases.RU_B, cli_cases.AREA_B])
    store.close()
    return path


QUESTIONS = [
    ["asof", "2024-01-09"],
    ["asof", "2024-01-09", "--format", "json"],
    ["asof", "2024-01-05", "--known-at", "2024-01-04", "--format", "csv"],
    ["asof", "2023-06-01"],
    ["asof", "2024-01-09", "--position", "4", "--format", "json"],
    ["diff", "2024-01-02", "2024-01-09", "--format", "json"],
    ["diff", "2024-01-09", "--known-at", "2024-01-04", "--known-at", "latest"],
    ["claims", "--format", "json"],
    ["log", "--format", "json"],
    ["check", "--asof", "2024-01-09", "--format", "json"],
    ["explain", "troops.deployed", "KP", "Kursk", "--asof", "2024-01-09", "--format", "json"],
    ["graph", "--asof", "2024-01-09", "--format", "json"],
]


@pytest.mark.parametrize("args", QUESTIONS, ids=lambda a: " ".join(a))
def test_every_question_gives_the_same_answer_as_on_sqlite(log, tmp_path, args):
    ours, theirs = run("--log", log, *args), run("--log", str(_sqlite(tmp_path)), *args)
    assert ours.exit_code == theirs.exit_code == 0, ours.output
    if args[0] == "log":  # record times differ, and so the hashes
        strip = lambda out: [{k: v for k, v in r.items() if k not in ("recorded_at", "hash")} for r in json.loads(out)]  # noqa: E731
        assert strip(ours.output) == strip(theirs.output)
    else:
        assert ours.output == theirs.output


def test_history_is_the_same_as_on_sqlite(log, tmp_path):
    from timeline import Timeline

    with Timeline(log) as ours, Timeline(_sqlite(tmp_path)) as theirs:
        assert ours.history("troops.deployed").to_data() == theirs.history("troops.deployed").to_data()


def test_the_log_is_chosen_by_timeline_log_too(log):
    assert run("asof", "2024-01-09", env={"TIMELINE_LOG": log}).output == run("--log", log, "asof", "2024-01-09").output


def test_retract_and_rebuild_on_postgresql(log):
    claims = json.loads(run("--log", log, "claims", "--format", "json").output)
    target = next(c for c in claims if c["party"] == "RU" and c["value"] == 59000)["id"]
    before = json.loads(run("--log", log, "asof", "2024-01-09", "--format", "json").output)
    assert run("--log", log, "retract", target[:10], "--reason", "misread").exit_code == 0
    again = run("--log", log, "retract", target[:10], "--reason", "misread")
    assert again.exit_code == 2 and "already retracted" in again.output
    after = run("--log", log, "asof", "2024-01-09", "--format", "json").output
    assert json.loads(after) != before
    assert run("--log", log, "rebuild").exit_code == 0
    assert run("--log", log, "asof", "2024-01-09", "--format", "json").output == after
    assert json.loads(run("--log", log, "asof", "2024-01-09", "--position", "10", "--format", "json").output) == before
    assert run("--log", log, "verify").exit_code == 0


def test_ingest_seeds_into_postgresql_then_again_appends_nothing(url):
    from timeline.seeds import bundled_seeds

    first = json.loads(run("--log", url, "ingest", str(bundled_seeds()), "--format", "json").output)
    again = json.loads(run("--log", url, "ingest", str(bundled_seeds()), "--format", "json").output)
    assert first["articles_new"] == 5 and first["claims_appended"] > 0
    assert again["articles_new"] == 0 and again["articles_present"] == 5 and again["claims_appended"] == 0


def test_copy_both_ways_keeps_every_hash(tmp_path):
    source = _sqlite(tmp_path)
    target = pg.recycled_url(read_models=True)
    there = run("copy", "--from", str(source), "--to", target, "--format", "json")
    assert there.exit_code == 0, there.output
    back = tmp_path / "back.sqlite"
    assert run("copy", "--from", target, "--to", str(back)).exit_code == 0
    hashes = [json.loads(run("--log", str(p), "verify", "--format", "json").output)["head"] for p in (source, target, back)]
    assert len(set(hashes)) == 1 and json.loads(there.output)["head"] == hashes[0]
    rows = [json.loads(run("--log", str(p), "export").output.splitlines()[-1]) for p in (source, back)]
    assert rows[0] == rows[1]
    assert run("--log", target, "asof", "2024-01-09").output == run("--log", str(source), "asof", "2024-01-09").output
    # into a log that holds something else: refused, nothing written
    other = tmp_path / "other.sqlite"
    run("--log", str(other), "ingest", str(tmp_path / "nothing-here"))
    refused = run("copy", "--from", target, "--to", str(tmp_path / "back.sqlite"))
    assert refused.exit_code == 0 and "copied 0 of" in refused.output  # already a whole copy
    seeds = run("copy", "--from", str(_seeded(tmp_path)), "--to", target)
    assert seeds.exit_code == 2 and "not empty and not a copy" in seeds.output


def _seeded(tmp_path):
    from timeline.seeds import bundled_seeds

    path = tmp_path / "seeds.sqlite"
    run("--log", str(path), "ingest", str(bundled_seeds()))
    return path


def test_init_db_creates_the_log_and_its_roles_once(tmp_path):
    base = pg.with_schema(pg.need_server(), pg.new_schema("init"))
    suffix = os.getpid()
    first = run("--log", base, "init-db", "--writer", f"w_{suffix}", "--reader", f"r_{suffix}", "--format", "json")
    assert first.exit_code == 0, first.output
    assert any("created the log" in line for line in json.loads(first.output)["done"])
    again = json.loads(run("--log", base, "init-db", "--writer", f"w_{suffix}", "--reader", f"r_{suffix}",
                           "--format", "json").output)["done"]
    assert not any("created the log" in line for line in again)
    assert run("--log", base, "verify").output.startswith("verified 0 events")


@pytest.mark.parametrize("log_url, message", [
    ("postgresql://u:s3cret-pw@/db?host=/nonexistent-dir&port=5999", "cannot connect"),
    ("postgresql://u:s3cret-pw@host:notaport/db", "not a PostgreSQL URL: postgresql://u:***@host:notaport/db"),
    ("postgresql://u:s3cret-pw@[bad/db", "not a PostgreSQL URL: postgresql://u:***@[bad/db"),
])
def test_bad_servers_are_one_line_and_exit_2(log_url, message):
    result = run("--log", log_url, "asof", "2024-01-09")
    assert result.exit_code == 2 and message in result.output
    assert "s3cret-pw" not in result.output and len(result.output.strip().splitlines()) == 1


def test_a_database_without_the_log_is_one_line_and_exit_2():
    empty = pg.with_schema(pg.need_server(), pg.new_schema("empty"))
    result = run("--log", empty, "ingest", "seeds")
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert "create one with `timeline --log URL init-db`" in result.output  # the command as it is typed
    assert run("--log", empty, "init-db").exit_code == 0 and run("--log", empty, "ingest", "seeds").exit_code == 0


def test_a_reader_cannot_ingest(log, tmp_path):
    from events.pg_store import init_db

    if pg.cluster() is None:
        pytest.skip("needs the tests' own cluster")
    suffix = os.getpid()
    init_db(log, writer=f"lw_{suffix}", reader=f"lr_{suffix}")
    conn = pg.admin()
    conn.execute(f'DROP ROLE IF EXISTS "dana_{suffix}"')
    conn.execute(f"CREATE ROLE \"dana_{suffix}\" LOGIN PASSWORD 'pw-dana' IN ROLE \"lr_{suffix}\"")
    conn.close()
    as_reader = log.replace("postgresql://postgres@", f"postgresql://dana_{suffix}:pw-dana@", 1)
    before = run("--log", log, "verify", "--format", "json").output
    assert run("--log", as_reader, "asof", "2024-01-09").exit_code == 0
    from timeline.seeds import bundled_seeds

    result = run("--log", as_reader, "ingest", str(bundled_seeds()))
    assert result.exit_code == 2 and "not allowed" in result.output and "pw-dana" not in result.output
    assert run("--log", log, "verify", "--format", "json").output == before


def test_help_names_postgresql_and_shows_no_password():
    result = run("--log", "postgresql://u:pw-in-help@/db", "--help", env={"TIMELINE_LOG": "postgresql://u:pw-env@/db"})
    assert "postgresql://" in result.output and "pw-in-help" not in result.output and "pw-env" not in result.output


def test_store_errors_name_the_server_without_the_password():
    from events.pg_store import PostgresStore

    with pytest.raises(StoreError) as err:
        PostgresStore("postgresql://x:topsecret@/db?host=/nonexistent&port=1")
    assert "topsecret" not in str(err.value)


def test_init_db_on_a_file_and_copy_from_a_missing_log_are_one_line(tmp_path):
    on_file = run("--log", str(tmp_path / "x.sqlite"), "init-db")
    assert on_file.exit_code == 2 and "needs a PostgreSQL log" in on_file.output
    missing = run("copy", "--from", str(tmp_path / "none.sqlite"), "--to", str(tmp_path / "y.sqlite"))
    assert missing.exit_code == 2 and "no such log" in missing.output and not (tmp_path / "y.sqlite").exists()


def test_a_rebuilt_read_model_is_the_one_the_appends_kept_row_for_row():
    from timeline import Timeline

    url = pg.fresh_url(pg_readmodel.projectors())
    from timeline.seeds import bundled_seeds

    def tables(conn):
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in pg_readmodel.TABLES}

    with Timeline(url) as tl:
        tl.ingest([bundled_seeds()], workers=1)
        claims = tl.claims()
        tl.retract(claims[3]["id"], "misread")
        kept = tables(tl.store.conn)
        tl.rebuild()
        assert tables(tl.store.conn) == kept and kept["claims"] and kept["retractions"]


def _sql(url: str, *statements: str) -> None:
    conn = pg.admin()
    try:
        schema = url.rsplit("search_path%3D", 1)[1]
        for stmt in statements:
            conn.execute(stmt.format(s=f'"{schema}"'))
    finally:
        conn.close()


def test_verify_deep_holds_the_postgresql_read_models_to_a_fold(url):
    from timeline.seeds import bundled_seeds

    # A sequence advanced by nothing, as by a writer that lost a race and rolled back: ids with a gap mean the same.
    _sql(url, "SELECT nextval(pg_get_serial_sequence('{s}.series', 'series_id'))")
    assert run("--log", url, "ingest", str(bundled_seeds())).exit_code == 0
    claim = json.loads(run("--log", url, "claims", "--format", "json").output)[0]["id"]
    assert run("--log", url, "retract", claim, "--reason", "a test").exit_code == 0
    result = run("--log", url, "verify", "--deep")
    assert result.exit_code == 0 and "the read models equal a fold of the events" in result.output
    _sql(url, "UPDATE {s}.claims SET value = value + 1 WHERE position = (SELECT max(position) FROM {s}.claims)")
    data = json.loads(run("--log", url, "verify", "--deep", "--format", "json").output)
    assert not data["ok"]
    [d] = data["read_models"]["differences"]
    assert (d["table"], d["missing"], d["extra"]) == ("claims", 1, 1)
    assert run("--log", url, "rebuild").exit_code == 0
    assert run("--log", url, "verify", "--deep").exit_code == 0
    _sql(url, "DELETE FROM {s}.retractions")
    result = run("--log", url, "verify", "--deep")
    assert result.exit_code == 1 and "table retractions differs from a fold of the events" in result.stderr


def test_rebuild_refuses_a_tampered_postgresql_log_and_keeps_the_read_models(log):
    """As on SQLite: the log is verified as the read models are folded again, and a break rolls the fold back."""
    before = run("--log", log, "asof", "2024-11-23", "--format", "json").output
    assert "59000" in before
    _sql(log, "SET session_replication_role = replica",
         "UPDATE {s}.events SET payload = replace(payload, '59000', '99999') WHERE type = 'ClaimReported'"
         " AND payload LIKE '%59000%'")
    result = run("--log", log, "rebuild")
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert "the log fails verification at position" in result.output and "the read models were not rebuilt" in result.output
    assert run("--log", log, "asof", "2024-11-23", "--format", "json").output == before
