"""`Timeline.check` reads the read tables in one pass by series and date and reads whole only the claims a check
needs (timeline.checks.checks_at_scale); run_checks over the log's ledger is the reference.

The logs here add to those of tests/test_provenance_readmodel what that pass treats apart: running totals with
equal figures on one date (the claim a fall names is then chosen by id), several claimants of one total,
articles whose metadata is corrected (their claims follow the article), totals with and without their parts on
a date, and levels dated after their report.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from events.model import ArticleMetadataCorrected
from timeline import Timeline
from timeline.checks import run_checks
from timeline.provenance import assemble
from tests.builders import claim_in, quoted_article
from tests.test_provenance_properties import DATES
from tests.test_provenance_readmodel import logs

METRICS = ["losses.personnel.killed", "losses.personnel", "losses.personnel.wounded", "losses.personnel.captured"]


@st.composite
def totals(draw: st.DrawFn) -> list:
    """Articles of small figures (so that equal figures meet) about a few running totals and their parts, and
    counts over windows whose ends are the totals' dates."""
    events: list = []
    for i in range(draw(st.integers(1, 4))):
        specs = draw(st.lists(st.tuples(st.sampled_from(METRICS), st.integers(5, 6), st.sampled_from(DATES[:3]),
                                        st.sampled_from(["A", None]), st.sampled_from([None, *DATES[:2]])),
                               min_size=1, max_size=6))
        words = [f"figure {j} is {value}." for j, (_, value, *_) in enumerate(specs)]
        published = draw(st.sampled_from([None, "2024-11-03", "2024-11-30"]))
        art = quoted_article(f"t{i}.txt", f"Total {i}: " + " ".join(words), published, f"Outlet {i}")
        events.append(art)
        for j, (metric, value, day, claimant, since) in enumerate(specs):
            if since is not None and since < day:  # a count over a window from one total's date to another's
                events.append(claim_in(art, words[j], metric, "RU", "Kursk", value - 4,
                                       period=(since.isoformat(), day.isoformat()), claimant=claimant))
            else:
                events.append(claim_in(art, words[j], metric, "RU", "Kursk", value, as_of=day.isoformat(),
                                       claimant=claimant))
        if draw(st.integers(0, 3)) == 0:
            events.append(ArticleMetadataCorrected(
                art.article_id, "Ann Reviewer", f"2026-01-0{i + 1}T00:00:00Z",
                outlet=draw(st.sampled_from([None, "Corrected Outlet"])),
                published=draw(st.sampled_from([None, *DATES]))))
    return events


@settings(max_examples=60, deadline=None)
@given(totals(), logs(), st.data())
def test_the_check_at_scale_is_the_check_over_the_log(tmp_path_factory, events, more, data):
    path = tmp_path_factory.mktemp("scale") / "log.sqlite"
    with Timeline(path) as tl:
        tl.store.append(events + (more if data.draw(st.booleans(), label="more") else []))
        position = data.draw(st.integers(0, tl.head()), label="position")
        as_of = data.draw(st.sampled_from([None, *DATES, dt.date(2024, 12, 31)]), label="as of")
        known_at = data.draw(st.sampled_from([None, *DATES]), label="known at")
        from_model = tl.check(as_of, known_at, position)
        from_log = run_checks(assemble(tl.store.read(1, position), from_model.basis))
    assert from_model.to_data() == from_log.to_data()


def test_a_fall_between_equal_figures_names_the_claims_run_checks_names(tmp_path):
    events = []
    for i, (value, day) in enumerate([(6, "2024-11-01"), (6, "2024-11-01"), (5, "2024-11-05"), (5, "2024-11-05")]):
        art = quoted_article(f"t{i}.txt", f"Total {i}: figure is {value}.", "2024-11-30")
        events += [art, claim_in(art, f"figure is {value}.", "losses.personnel.killed", "RU", "Kursk", value,
                                 as_of=day, claimant="A")]
    with Timeline(tmp_path / "log.sqlite") as tl:
        tl.store.append(events)
        report = tl.check()
        reference = run_checks(assemble(tl.store.read(), report.basis))
    falls = [f for f in report.findings if f.check == "falling-total"]
    assert len(falls) == 1 and len(falls[0].claims) == 2
    assert report.to_data() == reference.to_data()


def test_check_and_the_streamed_graph_on_postgresql_are_those_of_the_log():
    from tests import pg
    from timeline.formats.graph import export
    from tests.builders import seed_like_log

    events = seed_like_log()
    for i, (value, day) in enumerate([(6, "2024-11-01"), (6, "2024-11-01"), (5, "2024-11-05"), (7, "2024-11-11")]):
        art = quoted_article(f"t{i}.txt", f"Total {i}: figure is {value}.", "2024-11-30")
        events += [art, claim_in(art, f"figure is {value}.", "losses.personnel.killed", "RU", "Kursk", value,
                                 as_of=day, claimant="A")]
    events.append(ArticleMetadataCorrected(events[-2].article_id, "Ann Reviewer", "2026-01-01T00:00:00Z",
                                           outlet="Corrected Outlet", published=dt.date(2024, 11, 12)))
    with Timeline(pg.recycled_url(read_models=True)) as tl:
        tl.store.append(events)
        for as_of, known_at in [(None, None), ("2024-11-23", "2024-11-11"), ("2024-11-05", None)]:
            report = tl.check(as_of, known_at)
            assert report.to_data() == run_checks(assemble(tl.store.read(), report.basis)).to_data()
            parts: list[str] = []
            tl.write_graph(parts.append, "json", as_of, known_at)
            assert "".join(parts) == export(tl.graph(as_of, known_at), "json")
        assert any(f.check == "falling-total" for f in tl.check().findings)


def test_the_pass_of_check_reads_the_walk_index_in_its_order_without_a_sort_or_a_table_row(tmp_path):
    """At a million claims, sorting the claims and reading their table rows were half of `check`'s time: the
    walk index holds what the pass reads, in the pass's order."""
    from tests.builders import seed_like_log

    with Timeline(tmp_path / "log.sqlite") as tl:
        tl.store.append(seed_like_log())
        ran: list[str] = []
        tl.store.conn.set_trace_callback(ran.append)
        tl.check()
        tl.store.conn.set_trace_callback(None)
        passes = [sql for sql in ran if sql.endswith("ORDER BY c.series_id, c.valid")]
        assert len(passes) == 2  # the series of counts over a window (few: they read the start too), the others
        plans = [" / ".join(row[3] for row in tl.store.conn.execute("EXPLAIN QUERY PLAN " + sql)) for sql in passes]
        assert not any("TEMP B-TREE" in plan for plan in plans), plans
        assert "COVERING INDEX claims_walk" in plans[1], plans[1]


def _older_walk_index(path) -> None:
    """The walk index as a read model of the previous version made it."""
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("DROP INDEX claims_walk")
    conn.execute("CREATE INDEX claims_walk ON claims(series_id, valid, retired, report)")
    conn.commit()
    conn.close()


def test_a_log_with_the_walk_index_of_an_older_version_gains_this_one_at_open(tmp_path):
    from projections.readmodel import WALK, walk_columns
    from tests.builders import seed_like_log

    path = tmp_path / "log.sqlite"
    with Timeline(path) as tl:
        tl.store.append(seed_like_log())
        before = tl.check().to_data()
    _older_walk_index(path)
    with Timeline(path) as tl:
        assert walk_columns(tl.store.conn) == WALK
        assert tl.check().to_data() == before


def test_an_older_walk_index_that_cannot_be_remade_gives_the_same_rows_in_the_same_order(tmp_path):
    import sqlite3

    from projections.readmodel import checked_rows
    from tests.builders import seed_like_log
    from timeline.checks import window_series

    path = tmp_path / "log.sqlite"
    with Timeline(path) as tl:
        tl.store.append(seed_like_log())
        basis = tl.check().basis

    def rows() -> list:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)  # read only: no upgrade
        try:
            return list(checked_rows(conn, basis, window_series)[2])
        finally:
            conn.close()

    now = rows()
    _older_walk_index(path)
    assert rows() == now and now


def test_postgresql_reads_again_only_the_quotes_not_at_their_spans_and_init_db_fills_them_in_an_older_log(tmp_path):
    """The PostgreSQL read model keeps quote_checks as SQLite's does (check then reads no other payload); one made
    before that table gets it, filled, when its owner runs init-db, and check gives the same answer either way."""
    from events.pg_store import init_db
    from projections.pg_readmodel import projectors
    from tests import pg
    from tests.builders import seed_like_log
    from tests.test_provenance_readmodel import _misquoted

    events = seed_like_log()
    art = quoted_article("late.txt", "Total: figure is 9. Later: figure is 4.", "2024-11-30")
    first, second = (claim_in(art, f"figure is {v}.", "losses.personnel.killed", "RU", "Kursk", v, as_of=day,
                              claimant="A") for v, day in [(9, "2024-11-01"), (4, "2024-11-05")])
    events += [second, art, _misquoted(first)]  # a claim appended before its article, and a misquote
    with Timeline(tmp_path / "log.sqlite") as lite:
        lite.store.append(events[:-2])
        lite.store.append(events[-2:])
        expected = {p for (p,) in lite.store.conn.execute("SELECT position FROM quote_checks")}
        assert not lite.audit().differences  # a fold in one batch marks the claim appended before its article too
    url = pg.fresh_url(projectors())
    with Timeline(url) as tl:
        tl.store.append(events[:-2])
        tl.store.append(events[-2:])

        def marked() -> set[int]:
            return {p for (p,) in tl.store.conn.execute("SELECT position FROM quote_checks").fetchall()}

        assert marked() == expected and len(expected) == 2
        report = tl.check()
        assert report.to_data() == run_checks(assemble(tl.store.read(), report.basis)).to_data()
        assert sum(f.check == "quote" for f in report.findings) == 1  # the misquote; the other was read again, fine
        with tl.store.conn.transaction():
            tl.store.conn.execute("DROP TABLE quote_checks")  # as a read model made before it
        assert tl.check().to_data() == report.to_data() and not tl.audit().differences
        init_db(url, writer=None, reader=None, projectors=projectors())
        assert marked() == expected and tl.check().to_data() == report.to_data() and not tl.audit().differences


def test_postgresql_sends_the_graphed_rows_in_chunks_from_a_server_side_cursor():
    """A million graphed claims held at once in the client took 500 MB more than the rows read a chunk at a time."""
    from tests import pg
    from tests.builders import seed_like_log

    with Timeline(pg.recycled_url(read_models=True)) as tl:
        tl.store.append(seed_like_log())
        rm = tl.read_model
        with rm.snapshot():
            g = rm.graph_rows(tl.head(), None, dt.date(2024, 11, 30).toordinal())
            assert g.rows.name and g.rows.itersize > 1  # a named cursor: FETCH by chunks
            rows = list(g.rows)
        claims = [n for n, kind in tl.graph("2024-11-30").nodes(data="kind") if kind == "claim"]
        assert sorted(f"claim:{r[1].hex()}" for r in rows) == sorted(claims)
