"""The read model's contract: every backend answers the ReadModel questions as the reference fold does.

A backend joins by adding an opener to BACKENDS (a function that returns a
fresh timeline.backends.Backend); every test here then runs on it.
"""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.model import ClaimReported, ClaimRetracted
from projections.state import Basis
from projections.fold import fold
from projections.series import Filters
from tests.builders import correction
from tests.strategies_state import articles_with_claims, bases
from tests import pg
from timeline.backends import Backend, open_backend

_counter = itertools.count()
_tmp = Path(tempfile.mkdtemp(prefix="readmodel-"))


def sqlite_sql() -> Backend:
    return open_backend(_tmp / f"log-{next(_counter)}.sqlite", index="sql")


def sqlite_memory() -> Backend:
    return open_backend(_tmp / f"log-{next(_counter)}.sqlite", index="memory")


def postgres_sql() -> Backend:
    return open_backend(pg.recycled_url(read_models=True), index="sql")


def postgres_memory() -> Backend:
    return open_backend(pg.recycled_url(read_models=True), index="memory")


BACKENDS = {"sqlite-sql": sqlite_sql, "sqlite-memory": sqlite_memory, "postgres-sql": postgres_sql,
            "postgres-memory": postgres_memory}


@pytest.fixture(params=sorted(BACKENDS))
def make(request):
    opened = []
    if request.param.startswith("postgres"):
        pg.need_server()

    def factory() -> Backend:
        backend = BACKENDS[request.param]()
        opened.append(backend)
        return backend

    yield factory
    for b in opened:
        b.close()


logs = st.lists(articles_with_claims(), min_size=1, max_size=5)


def fill(backend: Backend, batches, data) -> list:
    """Append the articles, then retract one claim and correct another when there are claims."""
    for art, claims in batches:
        backend.store.append([art, *claims])
    claims = [c for _, cs in batches for c in cs]
    if claims:
        backend.store.append([ClaimRetracted(data.draw(st.sampled_from(claims)).claim_id, "misread")])
        target = data.draw(st.sampled_from(claims))
        backend.store.append([correction(target, "revised", replacement_value=target.claim.value + 1)])
    return claims


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=logs, data=st.data())
def test_states_are_the_reference_folds(make, batches, data):
    backend = make()
    fill(backend, batches, data)
    events = list(backend.store.read())
    rm = backend.read_model
    for _ in range(3):
        d, k, n = data.draw(bases(backend.store.head()))
        with rm.snapshot():
            assert rm.head() == backend.store.head()
            state = fold(events, Basis(d, k, n))
            assert rm.state(Basis(d, k, n)) == state
            assert rm.chosen(Basis(d, k, n)) == {v.key: v.claims[0] for v in state.values}


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=logs, data=st.data())
def test_lookups_name_what_the_log_holds(make, batches, data):
    backend = make()
    claims = fill(backend, batches, data)
    rm = backend.read_model
    known = rm.known_values()
    assert set(known["metric"]) == {c.claim.metric for c in claims}
    assert set(known["party"]) == {c.claim.party for c in claims}
    assert set(known["region"]) == {c.claim.region for c in claims if c.claim.region}
    retracted = {e.event.claim_id: e.position for e in backend.store.read() if e.type == "ClaimRetracted"}
    for c in claims:
        assert c.claim_id in rm.claim_ids(c.claim_id[:8], limit=50)
        assert rm.claim_ids(c.claim_id, position=0) == []
        got = rm.retraction(c.claim_id)
        assert (got[0] if got else None) == retracted.get(c.claim_id)
    rows = rm.series_claims(Filters())
    reported = {c.claim_id for c in claims}
    assert reported <= {row.claim_id for row, _ in rows}
    notes = rm.amendments(reported)
    assert [n[1] for n in notes] == sorted(n[1] for n in notes)
    assert {n[0] for n in notes} == set(retracted) | {e.event.claim_id for e in backend.store.read()
                                                       if e.type == "ClaimCorrected"}


def test_a_bulk_append_answers_as_the_reference_fold(make):
    """Above the bulk threshold rows are copied in (COPY on PostgreSQL): the answers are still the fold's,
    and the same batch again appends nothing (the copy meets the unique index and falls back)."""
    from bench.synth import generate

    events = [ev for batch, _ in generate(1_500, 40, seed=3) for ev in batch]
    backend = make()
    backend.store.append(events)
    again = backend.store.append(events)
    assert again.appended == () and len(again.skipped) == len(events)
    recorded = list(backend.store.read())
    assert len(recorded) == len(events) and backend.store.verify().ok
    rm = backend.read_model
    dates = sorted({ev.claim.as_of for ev in events if isinstance(ev, ClaimReported)})
    for d in (dates[0], dates[len(dates) // 2], dates[-1]):
        basis = Basis(d, None, backend.store.head())
        with rm.snapshot():
            assert rm.state(basis) == fold(recorded, basis)
