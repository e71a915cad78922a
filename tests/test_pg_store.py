"""The PostgreSQL log: append-only in the database itself, roles, many writers, and one-line errors.

These run against a real server (tests/pg.py): the contract every backend
keeps is in test_store_contract.py.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from events.codec import event_id
from events.model import ClaimRetracted
from events.store import StoreError
from tests import pg

ROOT = Path(__file__).resolve().parent.parent

psycopg = pytest.importorskip("psycopg")


@pytest.fixture
def url():
    return pg.fresh_url()


@pytest.fixture
def store(url):
    from events.pg_store import PostgresStore

    s = PostgresStore(url)
    yield s
    s.close()


def _role(name: str, group: str | None, password: str) -> str:
    """A login role (unique to this run) in `group`; returns its name."""
    role = f"{name}_{os.getpid()}"
    conn = pg.admin()
    try:
        conn.execute(f'DROP ROLE IF EXISTS "{role}"')
        conn.execute(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{password}'" + (f' IN ROLE "{group}"' if group else ""))
    finally:
        conn.close()
    return role


def _as(url: str, role: str, password: str) -> str:
    """The same log's URL, logging in as another role."""
    return url.replace("postgresql://postgres@", f"postgresql://{quote(role)}:{quote(password, safe='')}@", 1)


def _local_cluster():
    cluster = pg.cluster()
    if cluster is None:
        pytest.skip("needs the tests' own cluster, where roles other than postgres must give a password")
    return cluster


@pytest.mark.parametrize("sql", [
    "UPDATE events SET payload = '{}'",
    "DELETE FROM events",
    "TRUNCATE events",
    "UPDATE log_head SET position = 0",
    "DELETE FROM log_head",
])
def test_the_database_refuses_to_rewrite_the_log_even_for_its_owner(store, sql):
    store.append([ClaimRetracted(f"c{i}", "r") for i in range(3)])
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        store.conn.execute(sql)
    assert store.verify().ok and store.head() == 3


def test_a_writer_appends_but_may_not_update_and_a_reader_may_not_append(url):
    from events.pg_store import PostgresStore, init_db

    _local_cluster()
    suffix = os.getpid()
    init_db(url, writer=f"tw_{suffix}", reader=f"tr_{suffix}")
    writer = _role("alice", f"tw_{suffix}", "w-secret")
    reader = _role("bob", f"tr_{suffix}", "r-secret")

    w = PostgresStore(_as(url, writer, "w-secret"))
    assert len(w.append([ClaimRetracted("c", "r")]).appended) == 1
    for sql in ("UPDATE events SET type = 'x'", "DELETE FROM events", "TRUNCATE events"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            w.conn.execute(sql)
    w.close()

    r = PostgresStore(_as(url, reader, "r-secret"))
    assert [row.type for row in r.read()] == ["ClaimRetracted"] and r.verify().ok
    with pytest.raises(StoreError, match="not allowed") as err:
        r.append([ClaimRetracted("d", "r")])
    assert "\n" not in str(err.value) and "r-secret" not in str(err.value)
    for sql in ("INSERT INTO events SELECT * FROM events", "UPDATE log_head SET position = 9"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            r.conn.execute(sql)
    assert r.head() == 1
    r.close()


def test_a_wrong_password_is_one_line_that_does_not_show_it(url):
    from events.pg_store import PostgresStore

    _local_cluster()
    role = _role("carol", None, "right-one")
    with pytest.raises(StoreError) as err:
        PostgresStore(_as(url, role, "wrong-pass-123"))
    text = str(err.value)
    assert "password authentication failed" in text and "wrong-pass-123" not in text and "\n" not in text


def test_an_unreachable_server_is_one_line():
    from events.pg_store import PostgresStore

    with pytest.raises(StoreError, match="cannot connect") as err:
        PostgresStore("postgresql://someone:hunter2@/db?host=/nonexistent-socket-dir&port=5999")
    assert "hunter2" not in str(err.value) and "\n" not in str(err.value)


def test_a_database_without_the_schema_is_refused(url):
    from events.pg_store import PostgresStore

    empty = pg.with_schema(pg.need_server(), pg.new_schema("empty"))
    with pytest.raises(StoreError, match="no timeline log here"):
        PostgresStore(empty)


def test_a_log_of_another_format_is_refused(url):
    from events.pg_store import PostgresStore

    conn = pg.admin()
    schema = url.rsplit("search_path%3D", 1)[1]
    conn.execute(f'UPDATE "{schema}".timeline_meta SET format = 99')
    conn.close()
    with pytest.raises(StoreError, match="format 99, this version reads format 2"):
        PostgresStore(url)


def test_without_the_extra_the_error_says_what_to_install(monkeypatch, url):
    from events.pg_store import PostgresStore

    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(StoreError, match=r"pip install 'timeline\[postgres\]'"):
        PostgresStore(url)


def test_redact_hides_passwords_in_urls_and_keyword_strings():
    from events.pg_store import display, redact

    assert redact("postgresql://u:p%40ss@h:5432/db failed") == "postgresql://u:***@h:5432/db failed"
    assert redact("host=h password=secret user=u") == "host=h password=*** user=u"
    shown = display("postgresql://u:secret@db.example:6543/tl?sslmode=require")
    assert shown == "postgresql://u@db.example:6543/tl" and "secret" not in shown


WRITER = textwrap.dedent("""
    import sys
    from events.model import ClaimRetracted
    from events.pg_store import PostgresStore
    url, name, n, batch = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    store = PostgresStore(url)
    for i in range(0, n, batch):
        # the shared events are the same in every writer: only one of them may append each
        store.append([ClaimRetracted(f"{name}-{j}", "r") for j in range(i, i + batch)]
                     + [ClaimRetracted(f"shared-{j}", "r") for j in range(i, i + batch)])
    store.close()
""")


def test_writers_in_many_processes_leave_no_gap_and_no_duplicate(store, url):
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, url, f"w{k}", "200", "10"], cwd=ROOT,
                              stderr=subprocess.PIPE, text=True) for k in range(4)]
    for p in procs:
        assert p.wait(timeout=120) == 0, p.stderr.read()
    rows = list(store.read())
    assert [r.position for r in rows] == list(range(1, len(rows) + 1))
    assert len({r.id for r in rows}) == len(rows) == 4 * 200 + 200
    assert store.verify().ok and store.head() == len(rows)


KILLED = textwrap.dedent("""
    import sys
    from events.model import ClaimRetracted
    from events.pg_store import PostgresStore
    store = PostgresStore(sys.argv[1])
    for a in range(10**6):
        # one "article" of 2,000 events per transaction
        store.append([ClaimRetracted(f"a{a}", "article")] + [ClaimRetracted(f"a{a}-{j}", "claim") for j in range(2000)])
        print(a, flush=True)
""")


def test_a_writer_killed_mid_transaction_leaves_whole_articles_only(store, url):
    proc = subprocess.Popen([sys.executable, "-c", KILLED, url], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    proc.stdout.readline()  # one article committed
    time.sleep(0.05)  # and the next one in flight
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    rows = list(store.read())
    assert len(rows) % 2001 == 0 and len(rows) >= 2001
    assert store.verify().ok
    # the next writer takes the head at once: the dead writer's lock went with its connection
    more = store.append([ClaimRetracted("after", "r")])
    assert more.appended[0].position == len(rows) + 1


def test_re_ingesting_what_another_writer_appended_appends_nothing(url):
    from events.pg_store import PostgresStore

    a, b = PostgresStore(url), PostgresStore(url)
    events = [ClaimRetracted(f"c{i}", "r") for i in range(5)]
    a.append(events[:3])
    result = b.append(events)
    assert [r.id for r in result.appended] == [event_id(e) for e in events[3:]]
    assert sorted(result.skipped) == sorted(event_id(e) for e in events[:3])
    a.close()
    b.close()


def test_bulk_rows_reach_the_server_as_they_were(url):
    """The COPY encoders (events in binary, claim rows in text) give back every value as sent."""
    from events.pg_store import binary_events, connect
    from events.store import link, pending
    from projections.pg_readmodel import text_rows

    conn = connect(url)
    try:
        conn.execute("CREATE TEMP TABLE t(a bigint, b numeric, c numeric, d text, q text)")
        quotes = ["None", None, "tab\there, \\N and \\ é\r\nNone\\", "\\."]  # the last column: any text
        rows = [[1, 0.1, None, "ab12"], [2, 2.5e20, -7.25, None], [3, 1 / 3, 10**40, "f" * 64], [4, -0.0, 0, None]]
        with conn.cursor().copy("COPY t FROM STDIN") as copy:
            copy.write(text_rows([r + [q] for r, q in zip(rows, quotes)]))
        back = [list(r) for r in conn.execute("SELECT a, b::float8, c, d, q FROM t ORDER BY a")]
        sent = [[1, 0.1, None, "ab12"], [2, 2.5e20, -7.25, None], [3, 1 / 3, 10**40, "f" * 64], [4, 0.0, 0, None]]
        assert back == [r + [q] for r, q in zip(sent, quotes)]
        with pytest.raises(ValueError, match="a tab, a newline or a backslash"):
            text_rows([[1, 2, 3, "a\tb", "q"]])
        with pytest.raises(ValueError, match="a tab, a newline or a backslash"):
            text_rows([[1, 2, 3, "a\\N", "q"]])
        conn.execute("CREATE TEMP TABLE e(position bigint, id bytea, type text, version integer, recorded_at text,"
                     " payload text, prev_hash bytea, hash bytea)")
        events = link(pending([ClaimRetracted("0" * 64, "tab\there, \\ and é\n")]), 41, "a" * 64)
        with conn.cursor().copy("COPY e FROM STDIN (FORMAT BINARY)") as copy:
            copy.write(binary_events(events))
        (r,) = events
        assert conn.execute("SELECT position, encode(id, 'hex'), type, version, recorded_at, payload,"
                            " encode(prev_hash, 'hex'), encode(hash, 'hex') FROM e").fetchall() == [
            (42, r.id, r.type, r.version, r.recorded_at, r.payload, "a" * 64, r.hash)]
    finally:
        conn.close()
