"""`timeline graph` writes node-link JSON and DOT as the graph is drawn (timeline.formats.graph_stream), without a
networkx graph of the whole log: the text is the one timeline.formats.graph writes from the DiGraph, byte for byte.

The generated logs are those the read-model graph is held to the log's graph with (retractions, corrections,
replacements, reviews, dataset rows, misquoted claims), with claims entered by hand from a page, figures the
json module writes with an exponent, and metadata with control characters and non-ASCII text.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import multiprocessing
import tempfile
from collections.abc import Iterator
from typing import Any
from unittest.mock import patch

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from events.model import ArticleIngested
from timeline import Timeline
from timeline.cli import main
from timeline.formats import graph_stream
from timeline.formats.graph import export
from tests.builders import asserted, seed_like_log
from tests.test_provenance_properties import DATES
from tests.test_provenance_readmodel import logs

FIGURES = [7, 1234.5, 1e-05, 2.5e16, 0.25, 10**6]
# Figures the read tables give back as they were read (an integral float comes back an int, as in `asof`).
ROW_FIGURES = [7, 1234.5, 1e-05, 0.25, 10**6]
NAMES = ["Outlet", "Ukraïnska Pravda \u201cdaily\u201d", "bell\x07 \x1b[31mred", 'quote " and \\ backslash', "tab\tnew\nline"]


@st.composite
def entered(draw: st.DrawFn) -> list:
    """Claims entered by hand from pages, with figures and names that test the writers' escaping and numbers."""
    out = []
    for i in range(draw(st.integers(0, 3))):
        out.append(asserted("losses.personnel.killed", "RU", draw(st.sampled_from(FIGURES)),
                            url=f"https://example.org/{draw(st.sampled_from(NAMES))}/{i}",
                            as_of=draw(st.sampled_from(DATES)), quote=draw(st.sampled_from(NAMES))))
    if draw(st.booleans()):
        text = "Nothing but a title. " + draw(st.sampled_from(NAMES))
        from events.codec import article_id

        out.append(ArticleIngested(article_id(text.encode()), draw(st.sampled_from(NAMES)) + ".txt", text,
                                   draw(st.sampled_from(DATES)), "manifest", draw(st.sampled_from(NAMES)),
                                   draw(st.sampled_from(NAMES))))
    return out


def streamed(tl: Timeline, fmt: str, *basis) -> str:
    parts: list = []
    size = tl.write_graph(lambda p: parts.append(p if type(p) is str else bytes(p).decode()), fmt, *basis)
    text = "".join(parts)  # bytes (a view valid during the call): drawn by other processes
    g = tl.graph(*basis)
    assert size == {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}
    return text


@settings(max_examples=40, deadline=None)
@given(logs(), entered(), st.data())
def test_the_streamed_graph_is_the_text_of_the_networkx_graph(tmp_path_factory, events, more, data):
    path = tmp_path_factory.mktemp("stream") / "log.sqlite"
    with Timeline(path) as tl:
        tl.store.append(events + more)
        position = data.draw(st.integers(0, tl.head()), label="position")
        as_of = data.draw(st.sampled_from([None, *DATES, dt.date(2024, 12, 31)]), label="as of")
        known_at = data.draw(st.sampled_from([None, *DATES]), label="known at")
        for fmt in ("json", "dot"):
            assert streamed(tl, fmt, as_of, known_at, position) == export(tl.graph(as_of, known_at, position), fmt)


def test_an_empty_graph_is_written_as_networkx_writes_it(tmp_path):
    with Timeline(tmp_path / "log.sqlite") as tl:
        tl.store.append(seed_like_log())
        for fmt in ("json", "dot"):
            assert streamed(tl, fmt, "2024-11-23", None, 0) == export(tl.graph("2024-11-23", None, 0), fmt)
            assert '"nodes": []' in streamed(tl, "json", "2024-11-23", None, 0)


@pytest.mark.parametrize("workers", [False, True])
@pytest.mark.parametrize("fmt", ["json", "dot"])
def test_the_cli_writes_the_streamed_text_to_stdout_and_to_a_file(tmp_path, fmt, workers):
    log = tmp_path / "log.sqlite"
    with Timeline(log) as tl:
        tl.store.append(seed_like_log())
        want = export(tl.graph("2024-11-23"), fmt)
    with workers_for_any_log(4) if workers else contextlib.nullcontext([]) as taken:
        run = CliRunner().invoke(main, ["--log", str(log), "graph", "--asof", "2024-11-23", "--format", fmt])
        assert run.exit_code == 0 and run.stdout == want
        out = tmp_path / f"g.{fmt}"
        run = CliRunner().invoke(main, ["--log", str(log), "graph", "--asof", "2024-11-23", "--format", fmt,
                                        "-o", str(out)])
    assert run.exit_code == 0 and out.read_text(encoding="utf-8") == want
    assert run.stderr == f"timeline: wrote the graph (41 nodes, 40 edges) as {fmt} to {out}\n"
    assert bool(taken) == workers


@st.composite
def drawn_from_rows(draw: st.DrawFn) -> list:
    """Claims that the streamed graph draws from their rows (timeline.claim_nodes) beside ones it enters whole:
    figures orjson and json write apart, quotes and names to escape, claims with and without a claimant, region,
    bounds or date, and articles whose metadata a person corrected."""
    from events.model import ArticleMetadataCorrected
    from tests.builders import claim_in, quoted_article

    out: list = []
    for i in range(draw(st.integers(1, 3))):
        quotes = draw(st.lists(st.sampled_from(NAMES + ["Killed: 12"]), min_size=2, max_size=8))
        art = quoted_article(f"r{i}.txt", " | ".join(quotes) + f" ({i})", draw(st.sampled_from([None, "2024-11-05"])),
                             draw(st.sampled_from([None, *NAMES])))
        out.append(art)
        for j, quote in enumerate(quotes):  # most of them older than their series' value: no value names them
            value = draw(st.one_of(st.sampled_from(ROW_FIGURES), st.integers(1, 10**6)))
            out.append(claim_in(art, quote, "losses.personnel.killed", "RU", draw(st.sampled_from([None, "Kursk"])),
                                value, as_of=draw(st.sampled_from([None, *(f"2024-10-{d:02}" for d in range(1, 29))])),
                                low=draw(st.sampled_from([None, 0.5e-5, 3])),
                                claimant=draw(st.sampled_from([None, "A"])),
                                qualifier=draw(st.sampled_from(["exact", "at_least"])),
                                occurrence=quotes[:j].count(quote)))
        if draw(st.booleans()):  # a claim entered by hand from the article, among those drawn from their rows
            out.insert(draw(st.integers(out.index(art) + 1, len(out))), asserted(
                "losses.personnel.killed", "RU", draw(st.sampled_from(ROW_FIGURES)), art=art,
                as_of=draw(st.sampled_from([None, dt.date(2024, 10, 9)])), quote=draw(st.sampled_from(NAMES))))
        if draw(st.booleans()):
            out.append(ArticleMetadataCorrected(art.article_id, "Ann Reviewer", f"2026-01-0{i + 1}T00:00:00Z",
                                                outlet=draw(st.sampled_from([None, "Corrected Outlet"])),
                                                published=draw(st.sampled_from([None, dt.date(2024, 11, 12)]))))
    return out


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
@settings(max_examples=40, deadline=None)
@given(logs(), drawn_from_rows(), st.data())
def test_the_claims_drawn_from_their_rows_are_the_claims_of_the_log(tmp_path_factory, backend, events, rows, data):
    from tests import pg
    from timeline.graph import build_graph

    log = tmp_path_factory.mktemp("rows") / "log.sqlite" if backend == "sqlite" else pg.recycled_url(read_models=True)
    with Timeline(log) as tl:
        tl.store.append(events + rows)
        position = data.draw(st.one_of(st.just(tl.head()), st.integers(0, tl.head())), label="position")
        as_of = data.draw(st.sampled_from([None, *DATES, dt.date(2024, 12, 31)]), label="as of")
        known_at = data.draw(st.sampled_from([None, *DATES]), label="known at")
        want = build_graph(tl.provenance(as_of or tl.graph(None, known_at, position).graph["as_of"], known_at,
                                         position))  # the graph of the log's events (timeline.provenance.ledger_of)
        for fmt in ("json", "dot"):
            assert streamed(tl, fmt, as_of, known_at, position) == export(want, fmt)


@settings(max_examples=40, deadline=None)
@given(logs(), drawn_from_rows())
def test_the_text_a_log_keeps_for_a_claim_is_the_text_the_graph_writes_for_it(tmp_path_factory, events, rows):
    """The SQLite read model keeps a claim's node-link JSON as it folds it (projections.node_text), for the
    graph's workers to read: it must be the claim's node as json.dumps writes it from the graph, for every claim
    read from an article's span with whole-number figures, and for no other claim. (Whose article's metadata was
    corrected follows it in the graph: the workers draw those claims anew.)"""
    from events.model import ArticleMetadataCorrected, ClaimReported

    path = tmp_path_factory.mktemp("kept") / "log.sqlite"
    with Timeline(path) as tl:
        tl.store.append(events + rows)
        kept = dict(tl.store.conn.execute(
            "SELECT 'claim:' || lower(hex(c.event)), n.json FROM claim_nodes n JOIN claims c USING (position)"))
        g = tl.graph()
    whole = {f"claim:{e.claim_id}" for e in events + rows if type(e) is ClaimReported
             and e.evidence.dataset is None and all(type(x) is int for x in (e.claim.value, e.claim.low or 0,
                                                                               e.claim.high or 0))}
    assert set(kept) == whole
    corrected = {e.article_id for e in events + rows if type(e) is ArticleMetadataCorrected}
    followed = {f"claim:{e.claim_id}" for e in events + rows if type(e) is ClaimReported
                and e.evidence.article_id in corrected}
    for node, text in kept.items():
        attrs = g.nodes[node] if node in g else {}
        if attrs and node not in followed and not attrs.get("retracted") and not attrs.get("rejected"):
            assert text == graph_stream._json_item({**attrs, "id": node})


@given(st.one_of(st.text(), st.sampled_from(NAMES), st.integers(), st.floats(), st.booleans()))
def test_dot_quote_writes_what_the_full_escaping_writes(value):
    from timeline.formats.graph import _dot_quote, dot_quote

    assert dot_quote(value) == _dot_quote(value)


@contextlib.contextmanager
def workers_for_any_log(span: int, slot: int = 1 << 20) -> Iterator[list[int]]:
    """Graphs of any size drawn by two worker processes, `span` log positions at a time, each range's text in
    `slot` bytes of shared memory (a file past them); yields the ranges the parent took back (the positions each
    started after), so that a test can tell the workers drew them."""
    from timeline import claim_runs

    taken: list[int] = []
    real = claim_runs._taken

    def counted(after: int, future: Any) -> tuple[int, list]:
        taken.append(after)
        return real(after, future)

    with (patch.object(claim_runs, "MIN_POSITIONS", 0), patch.object(claim_runs, "SPAN", span),
          patch.object(claim_runs, "SLOT", slot),
          patch.object(claim_runs, "cores", lambda: 2), patch.object(claim_runs, "_taken", counted)):
        yield taken


@settings(max_examples=30, deadline=None)
@given(logs(), drawn_from_rows(), entered(), st.integers(1, 9), st.sampled_from([1 << 20, 700, 1]), st.data())
def test_claims_drawn_by_worker_processes_are_the_text_of_the_networkx_graph(tmp_path_factory, events, rows, more,
                                                                             span, slot, data):
    path = tmp_path_factory.mktemp("workers") / "log.sqlite"
    with Timeline(path) as tl:
        tl.store.append(events + rows + more)
        position = data.draw(st.one_of(st.just(tl.head()), st.integers(0, tl.head())), label="position")
        as_of = data.draw(st.sampled_from([None, *DATES, dt.date(2024, 12, 31)]), label="as of")
        known_at = data.draw(st.sampled_from([None, *DATES]), label="known at")
        for fmt in ("json", "dot"):
            want = export(tl.graph(as_of, known_at, position), fmt)
            with workers_for_any_log(span, slot) as taken:
                got = streamed(tl, fmt, as_of, known_at, position)
            assert got == want
            assert taken == sorted(set(taken)) and len(taken) >= -(-position // span), "workers drew every range"
            assert not multiprocessing.active_children()


def older_claims(n: int) -> list:
    """An article of `n` figures of one series on as many days: all but the last drawn from their rows."""
    from tests.builders import claim_in, quoted_article

    quotes = [f"Killed: {1000 + i}." for i in range(n)]
    art = quoted_article("many.txt", " ".join(quotes), "2024-11-05")
    return [art, *(claim_in(art, q, "losses.personnel.killed", "RU", None, 1000 + i,
                            as_of=(dt.date(2024, 9, 1) + dt.timedelta(days=i)).isoformat())
                   for i, q in enumerate(quotes))]


def test_the_workers_end_and_their_files_go_when_the_writer_fails(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    tempfile.tempdir = None  # read TMPDIR again
    try:
        with Timeline(tmp_path / "log.sqlite") as tl:
            tl.store.append(older_claims(40))

            calls = itertools.count()

            def fail(text: Any) -> None:
                if next(calls) == 3:  # while ranges are still being drawn
                    raise OSError("disk full")

            # Every chunk written at once; a slot of one byte: every range's text in a file.
            with workers_for_any_log(1, slot=1) as taken, patch.object(graph_stream, "_CHUNK", 1), \
                    pytest.raises(OSError, match="disk full"):
                tl.write_graph(fail, "json", "2024-11-23")
            assert len(taken) < tl.head(), "the writer failed before the last range was taken"
            assert taken, "the workers drew the graph"
            assert not multiprocessing.active_children()
            assert not list((tmp_path / "tmp").iterdir())
    finally:
        tempfile.tempdir = None
