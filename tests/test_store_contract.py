"""The storage contract (events.store.Store): every backend runs these tests unchanged.

A new backend joins by adding a factory to BACKENDS: the `make` fixture is
parametrised over it. What its read model answers is held by
tests/test_readmodel_contract.py.
"""

from __future__ import annotations

import itertools
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.codec import event_id
from events.digest import chain_hash
from events.model import ClaimRetracted
from events.sqlite_store import SQLiteStore
from events.store import MemoryStore, StoreError
from tests import pg
from tests.strategies import event_lists

_counter = itertools.count()
_tmp = Path(tempfile.mkdtemp(prefix="contract-"))


def memory_store():
    return MemoryStore()


def sqlite_store():
    return SQLiteStore(_tmp / f"log-{next(_counter)}.sqlite")


def postgres_store():
    from events.pg_store import PostgresStore

    return PostgresStore(pg.recycled_url())


BACKENDS = {"memory": memory_store, "sqlite": sqlite_store, "postgres": postgres_store}


@pytest.fixture(params=sorted(BACKENDS))
def make(request):
    opened = []

    if request.param == "postgres":
        pg.need_server()

    def factory():
        store = BACKENDS[request.param]()
        opened.append(store)
        return store

    yield factory
    for s in opened:
        s.close()


def distinct(events):
    seen, out = set(), []
    for e in events:
        if event_id(e) not in seen:
            seen.add(event_id(e))
            out.append(e)
    return out


def test_positions_are_gap_free_in_commit_order(make):
    store = make()
    a = [ClaimRetracted(f"c{i}", "r") for i in range(3)]
    b = [ClaimRetracted(f"d{i}", "r") for i in range(2)]
    store.append(a)
    store.append(b)
    rows = list(store.read())
    assert [r.position for r in rows] == [1, 2, 3, 4, 5]
    assert [r.event for r in rows] == a + b
    assert store.head() == 5


def test_read_a_range(make):
    store = make()
    store.append([ClaimRetracted(f"c{i}", "r") for i in range(6)])
    assert [r.position for r in store.read(2, 4)] == [2, 3, 4]
    assert [r.position for r in store.read(5)] == [5, 6]


def test_appending_a_present_id_appends_nothing_and_says_so(make):
    store = make()
    e = ClaimRetracted("c", "r")
    first = store.append([e])
    again = store.append([e])
    assert len(first.appended) == 1 and first.skipped == ()
    assert again.appended == () and again.skipped == (event_id(e),)
    assert store.head() == 1


def test_repeats_within_one_batch_are_stored_once(make):
    store = make()
    e = ClaimRetracted("c", "r")
    result = store.append([e, e, e])
    assert len(result.appended) == 1
    assert store.head() == 1


def test_contains(make):
    store = make()
    e = ClaimRetracted("c", "r")
    store.append([e])
    assert store.contains([event_id(e), "nope"]) == {event_id(e)}


def test_record_time_is_kept_when_given(make):
    store = make()
    store.append([ClaimRetracted("c", "r")], recorded_at=["2024-01-01T00:00:00.000000Z"])
    assert next(store.read()).recorded_at == "2024-01-01T00:00:00.000000Z"


def test_chain_links_each_row_to_the_previous(make):
    store = make()
    store.append([ClaimRetracted(f"c{i}", "r") for i in range(4)])
    rows = list(store.read())
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:]))
    report = store.verify()
    assert report.ok and report.count == 4 and report.head == rows[-1].hash


def test_empty_log_verifies(make):
    report = make().verify()
    assert report.ok and report.count == 0


fresh_stores = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # `make` opens new ones


@fresh_stores
@given(events=event_lists, split=st.integers(0, 12))
def test_appending_twice_leaves_the_log_as_once(make, events, split):
    once, twice = make(), make()
    once.append(events)
    twice.append(events[:split])
    twice.append(events[split:])
    twice.append(events)
    strip = lambda rows: [(r.position, r.id, r.type, r.payload) for r in rows]  # noqa: E731
    assert strip(once.read()) == strip(twice.read())
    assert [r.event for r in once.read()] == distinct(events)
    assert twice.verify().ok


@fresh_stores
@given(events=event_lists, earlier=st.sets(st.integers(0, 11)))
def test_a_batch_with_some_ids_present_appends_the_rest_in_order(make, events, earlier):
    store = make()
    first = [e for i, e in enumerate(events) if i in earlier]
    store.append(first)
    head = store.head()
    present = {event_id(e) for e in first}
    result = store.append(events)
    rest = [e for e in distinct(events) if event_id(e) not in present]
    assert [r.event for r in result.appended] == rest
    assert [r.position for r in result.appended] == list(range(head + 1, head + 1 + len(rest)))
    assert sorted(result.skipped) == sorted({event_id(e) for e in events} & present)
    assert store.verify().ok


def test_position_of_finds_every_event_and_nothing_else(make):
    store = make()
    rows = store.append([ClaimRetracted(f"c{i}", "r") for i in range(4)]).appended
    for r in rows:
        assert store.position_of(r.id) == r.position
    assert store.position_of("0" * 64) is None
    assert store.rebuild() == store.head()


def test_a_snapshot_sees_one_log(make):
    store = make()
    store.append([ClaimRetracted("c0", "r")])
    with store.snapshot():
        assert store.head() == 1


# -- a log altered behind the store's back (triggers dropped or skipped) -----------------------------------------


def tamper(store, *statements):
    """Run (sql, params) pairs on the store's log as its owner, the append-only triggers out of the way."""
    if isinstance(store, MemoryStore):
        pytest.skip("the memory store keeps no head apart from its rows")
    if isinstance(store, SQLiteStore):
        conn = sqlite3.connect(store.path, isolation_level=None)
        try:
            for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
                conn.execute(f"DROP TRIGGER {name}")
            with conn:
                for sql, params in statements:
                    conn.execute(sql, params)
        finally:
            conn.close()
        return
    with store.conn.transaction():
        store.conn.execute("SET LOCAL session_replication_role = replica")
        for sql, params in statements:
            store.conn.execute(sql.replace("?", "%s"), params)


def reopen(store, **options):
    if isinstance(store, SQLiteStore):
        return SQLiteStore(store.path, **options)
    from events.pg_store import PostgresStore

    return PostgresStore(store.url, **options)


def three(make):
    store = make()
    store.append([ClaimRetracted(f"c{i}", "r") for i in range(3)])
    return store


def refused_on_open_and_append(store, problem):
    """A log whose head is not its last event: appends and opening are refused, a walk finds `problem`."""
    rows = list(store.read())
    with pytest.raises(StoreError, match="nothing was written"):
        store.append([ClaimRetracted("new", "r")])
    assert list(store.read()) == rows
    with pytest.raises(StoreError, match="not a usable timeline log"):
        reopen(store)
    bare = reopen(store, check_head=False)
    try:
        report = bare.verify()
        assert not report.ok and report.problem.message == problem.message
    finally:
        bare.close()


def test_a_head_whose_hash_is_not_the_last_events_fails_verification(make):
    store = three(make)
    tamper(store, ("UPDATE log_head SET hash = ?", ("00",)))
    report = store.verify()
    assert not report.ok and report.problem.position == 3 and "hash" in report.problem.message
    refused_on_open_and_append(store, report.problem)


def test_events_rewritten_and_chained_again_fail_on_the_head(make):
    store = three(make)
    rows = list(store.read())
    payload = rows[1].payload.replace('"r"', '"x"')
    assert payload != rows[1].payload
    second = chain_hash(rows[0].hash, rows[1].type, rows[1].id, rows[1].recorded_at, payload, rows[1].version)
    third = chain_hash(second, rows[2].type, rows[2].id, rows[2].recorded_at, rows[2].payload, rows[2].version)
    tamper(store, ("UPDATE events SET payload = ?, hash = ? WHERE position = 2", (payload, bytes.fromhex(second))),
           ("UPDATE events SET prev_hash = ?, hash = ? WHERE position = 3", (bytes.fromhex(second), bytes.fromhex(third))))
    report = store.verify()
    assert not report.ok and report.problem.position == 3
    refused_on_open_and_append(store, report.problem)


def test_a_removed_last_event_fails_verification(make):
    store = three(make)
    tamper(store, ("DELETE FROM events WHERE position = ?", (3,)))
    report = store.verify()
    assert not report.ok and report.problem.position == 3 and "removed" in report.problem.message
    refused_on_open_and_append(store, report.problem)


def test_events_past_the_head_fail_verification(make):
    store = three(make)
    second = list(store.read())[1].hash
    tamper(store, ("UPDATE log_head SET position = 2, hash = ?", (second,)))
    report = store.verify()
    assert not report.ok and report.problem.position == 3 and "past the head" in report.problem.message
    refused_on_open_and_append(store, report.problem)


def test_a_missing_head_is_a_one_line_error(make):
    store = three(make)
    tamper(store, ("DELETE FROM log_head", ()))
    for use in (store.verify, store.head, lambda: store.append([ClaimRetracted("new", "r")]), lambda: reopen(store),
                lambda: reopen(store, check_head=False).verify()):
        with pytest.raises(StoreError, match="not a usable timeline log \\(its head, the row of log_head, is missing\\)"):
            use()
    assert len(list(store.read(1, 3))) == 3
