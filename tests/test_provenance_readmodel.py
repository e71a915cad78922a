"""`Timeline.check` and `Timeline.graph` read the read model; `run_checks` and `build_graph` over the log's
ledger are the reference: same reports, same graphs.

The generated logs carry what changes which claims a check sees: retractions,
corrections (adjustments and replacements), rejections and confirmations,
quotes that are not at their spans, claims from a dataset, and bases at any
(D, K, N).
"""

from __future__ import annotations

import datetime as dt

import pytest
from attrs import evolve
from hypothesis import given, settings
from hypothesis import strategies as st

from events.codec import claim_id
from events.model import ClaimCorrected, ClaimReported, ClaimRetracted, ClaimReviewed
from projections.state import Basis
from timeline import Timeline
from timeline.checks import run_checks
from timeline.formats.graph import to_node_link
from timeline.graph import build_graph
from timeline.provenance import Provenance, assemble, ledger_of
from tests.builders import dataset_claim
from tests.test_provenance_properties import DATES, article_groups


def _misquoted(ev: ClaimReported) -> ClaimReported:
    """The claim with a quote that is not the text at its span (a new claim: its id follows)."""
    evidence = evolve(ev.evidence, quote=ev.evidence.quote + " (sic)")
    return evolve(ev, claim_id=claim_id(ev.claim, evidence), evidence=evidence)


@st.composite
def logs(draw: st.DrawFn) -> list:
    events: list = []
    for group in draw(article_groups()):
        events.append(group[0])
        for ev in group[1:]:
            events.append(_misquoted(ev) if draw(st.integers(0, 5)) == 0 else ev)
    if draw(st.booleans()):
        events.append(dataset_claim("losses.personnel.killed", draw(st.integers(1, 50)), "2024-11-05", 1,
                                    unit="persons"))
    claims = [e for e in events if isinstance(e, ClaimReported)]
    for _ in range(draw(st.integers(0, 4))):
        target = draw(st.sampled_from(claims))
        kind = draw(st.sampled_from(["retract", "adjust", "replace", "reject", "confirm"]))
        if kind == "retract":
            events.append(ClaimRetracted(target.claim_id, "withdrawn"))
        elif kind == "adjust":
            events.append(ClaimCorrected(target.claim_id, "revised figure", adjustment=draw(st.integers(-9, 9))))
        elif kind == "replace":
            replacement = evolve(target.claim, value=draw(st.integers(1, 2000)))
            events.append(ClaimCorrected(target.claim_id, "misread", replacement=replacement,
                                         published=draw(st.sampled_from([None, *DATES]))))
        else:
            verdict = "rejected" if kind == "reject" else "confirmed"
            events.append(ClaimReviewed(target.claim_id, verdict, "Ann Reviewer", f"2026-01-0{len(events) % 9 + 1}T00:00:00Z"))
    return events


@settings(max_examples=40, deadline=None)
@given(logs(), st.data())
def test_check_from_the_read_model_is_the_check_over_the_log(tmp_path_factory, events, data):
    path = tmp_path_factory.mktemp("check") / "log.sqlite"
    with Timeline(path) as tl:
        tl.store.append(events)
        head = tl.head()
        position = data.draw(st.integers(0, head), label="position")
        as_of = data.draw(st.sampled_from([None, *DATES, dt.date(2024, 12, 31)]), label="as of")
        known_at = data.draw(st.sampled_from([None, *DATES]), label="known at")
        from_model = tl.check(as_of, known_at, position)
        basis = from_model.basis
        assert basis == Basis(basis.as_of, known_at, position)
        from_log = run_checks(assemble(tl.store.read(1, position), basis))
    assert from_model.to_data() == from_log.to_data()


def test_a_rejected_claim_leaves_the_checks_of_the_read_model_as_it_leaves_the_ledger(tmp_path):
    from tests.builders import claim_in, quoted_article as article

    art = article("a.txt", "Killed: 10. Wounded: 20. Total: 99.", "2024-11-05")
    killed = claim_in(art, "10", "losses.personnel.killed", "RU", "Kursk", 10, as_of="2024-11-05")
    wounded = claim_in(art, "20", "losses.personnel.wounded", "RU", "Kursk", 20, as_of="2024-11-05")
    total = claim_in(art, "99", "losses.personnel", "RU", "Kursk", 99, as_of="2024-11-05")
    with Timeline(tmp_path / "log.sqlite") as tl:
        tl.store.append([art, killed, wounded, total])
        before = tl.check("2024-11-05")
        tl.store.append([ClaimReviewed(total.claim_id, "rejected", "Ann Reviewer", "2026-01-01T00:00:00Z")])
        after = tl.check("2024-11-05")
        reference = run_checks(assemble(tl.store.read(), after.basis))
    assert any(total.claim_id in f.claims for f in before.findings)
    assert not any(total.claim_id in f.claims for f in after.findings)
    assert after.to_data() == reference.to_data()


def graph_over_the_log(tl: Timeline, graph) -> dict:
    """The graph build_graph draws from the ledger of the log's events, at the basis `graph` was drawn at."""
    prov = tl.provenance(graph.graph["as_of"], graph.graph["known_at"], graph.graph["position"])
    return to_node_link(build_graph(Provenance(prov.basis, prov.state, prov.derived,
                                               ledger_of(tl.store.read(1, prov.basis.position)))))


@settings(max_examples=40, deadline=None)
@given(logs(), st.data())
def test_graph_from_the_read_model_is_the_graph_of_the_log(tmp_path_factory, events, data):
    path = tmp_path_factory.mktemp("graph") / "log.sqlite"
    with Timeline(path) as tl:
        tl.store.append(events)
        position = data.draw(st.integers(0, tl.head()), label="position")
        as_of = data.draw(st.sampled_from([None, *DATES, dt.date(2024, 12, 31)]), label="as of")
        known_at = data.draw(st.sampled_from([None, *DATES]), label="known at")
        g = tl.graph(as_of, known_at, position)
        assert to_node_link(g) == graph_over_the_log(tl, g)


def _older(conn, version: int, name: str) -> None:
    """Make the read model one of the version before the evidence's quote and span were kept in `claims`."""
    for view in ("claim_list", "current_claims"):
        conn.execute(f"DROP VIEW IF EXISTS {view}")
    for column in ("quote", "span_start", "span_end"):
        conn.execute(f"ALTER TABLE claims DROP COLUMN {column}")
    conn.execute("UPDATE state_meta SET version = %d" % (version - 1))
    conn.execute(f"UPDATE projection_state SET name = 'state.v{version - 1}' WHERE name = '{name}'")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_read_model_without_the_quote_columns_is_folded_again_and_graphs_the_same(tmp_path, backend):
    """The claims table keeps each claim's quote and span for the graph (any text: tabs, newlines, backslashes,
    `None`, `\\N`; more than PostgreSQL's read model inserts in one statement, so it copies them in); a read
    model of the version before is folded again on opening (on PostgreSQL, after its owner's init-db), and
    the graph is the same."""
    from events.pg_store import init_db
    from projections.pg_readmodel import SMALL, projectors
    from projections.readmodel import NAME, VERSION
    from tests import pg
    from tests.builders import article, asserted, claim, correction, seed_like_log

    art = article("odd.txt", dt.date(2024, 11, 5), "Outlet")
    odd = ["tab\there", "new\nline\r\n", "back\\slash \\N", "None", "\\.", "Ukraïnska \u201cdaily\u201d"]
    many = [claim(art, "losses.personnel.killed", "RU", i, as_of=dt.date(2024, 11, 5), region=f"R{i % 7}",
                  quote=f"{odd[i % len(odd)]} {i}") for i in range(SMALL + 10)]
    hand = asserted("losses.personnel.wounded", "RU", 5, url="https://example.org/a", as_of=dt.date(2024, 11, 5),
                    quote="entered\tby hand")
    events = [*seed_like_log(), art, *many, hand,
              dataset_claim("losses.personnel.killed", 12, "2024-11-05", 1, unit="persons"),
              correction(many[3], "misread", replacement_value=99)]
    log = tmp_path / "log.sqlite" if backend == "sqlite" else pg.fresh_url(projectors())
    with Timeline(log) as tl:
        tl.store.append(events)
        want = to_node_link(tl.graph())
        assert want == graph_over_the_log(tl, tl.graph())
        conn = tl.store.conn
        if backend == "sqlite":
            _older(conn, VERSION, NAME)
        else:
            with conn.transaction():
                _older(conn, VERSION, NAME)
    if backend == "postgresql":
        init_db(log, writer=None, reader=None, projectors=projectors())
    with Timeline(log) as tl:
        assert to_node_link(tl.graph()) == want and not tl.audit().differences
        quotes = dict(tl.store.conn.execute("SELECT position, quote FROM claims WHERE quote IS NOT NULL").fetchall())
        assert sorted(quotes.values()) == sorted([e.evidence.quote for e in events if isinstance(e, ClaimReported)])
        nul = claim(art, "losses.personnel.killed", "UA", 3, as_of=dt.date(2024, 11, 6), quote="a\x00b")
        tl.store.append([nul])  # PostgreSQL's text cannot hold it: kept NULL there, the payload holds it
        assert not tl.audit().differences
