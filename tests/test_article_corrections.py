"""Correcting an article's metadata later: an ArticleMetadataCorrected event, never an edit.

From the correction's position on, the article shows the corrected fields, and
its claims' report dates and outlets follow where they were the article's;
valid dates stay as recorded; a basis at an earlier position sees the old
metadata.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from click.testing import CliRunner

from events.model import ArticleMetadataCorrected
from projections.state import Basis
from projections.fold import fold
from timeline import Timeline
from timeline.cli import main
from tests.builders import article, claim

D = dt.date.fromisoformat
ENV = {"TIMELINE_REVIEWER": "Ann Analyst", "COLUMNS": "100"}


def run(*args: str, env: dict | None = None):
    result = CliRunner().invoke(main, list(args), env=ENV if env is None else env)
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def undated(tmp_path):
    """A log with one article ingested without its publication date (a manifest that was unusable) and one with
    it: its claims have no report date, so `--known-at` leaves them out."""
    art = article("wire.txt", None, outlet=None, text="RU lost 500 in Kursk on Nov 5; UA holds 800 km2.")
    dated = article("daily.txt", D("2024-11-06"), outlet="Daily", text="RU lost 450 in Kursk on Nov 5.")
    path = tmp_path / "log.sqlite"
    with Timeline(path) as tl:
        tl.store.append([art, claim(art, "losses.personnel", "RU", 500, as_of=D("2024-11-05")),
                         claim(art, "area.controlled", "UA", 800, as_of=D("2024-11-05"), unit="km2")])
        tl.store.append([dated, claim(dated, "losses.personnel", "RU", 450, as_of=D("2024-11-05"))])
    return path, art


def _values(tl, as_of, known_at=None, position=None):
    return {(v.metric, v.party): v.value for v in tl.asof(as_of, known_at, position).values}


def test_a_corrected_date_brings_the_claims_into_the_picture_known_by_it_from_its_position_on(undated):
    path, art = undated
    with Timeline(path) as tl:
        before = tl.head()
        assert _values(tl, "2024-11-30", "2024-11-10") == {("losses.personnel", "RU"): 450}
        r = tl.correct_article("wire.txt", published="2024-11-07", outlet="Wire Service", note="manifest fixed",
                               reviewer="Ann Analyst")
        assert r["changes"] == {"published": {"from": None, "to": "2024-11-07"},
                                "outlet": {"from": None, "to": "Wire Service"}}
        assert r["position"] == before + 1
        now = _values(tl, "2024-11-30", "2024-11-10")
        # the later report wins the tie at 2024-11-05: the wire's 500, reported on the 7th, over the daily's 450
        assert now == {("losses.personnel", "RU"): 500, ("area.controlled", "UA"): 800}
        assert _values(tl, "2024-11-30")[("losses.personnel", "RU")] == 500
        # the three clocks: at the position before the correction, the old metadata holds
        assert _values(tl, "2024-11-30", "2024-11-10", before) == {("losses.personnel", "RU"): 450}
        assert _values(tl, "2024-11-30", None, before)[("losses.personnel", "RU")] == 450
        # every path gives the reference fold's answer
        for known, n in (("2024-11-10", None), (None, None), ("2024-11-10", before), ("2024-11-06", None)):
            basis = Basis(D("2024-11-30"), None if known is None else D(known), before + 1 if n is None else n)
            assert tl.asof("2024-11-30", known, basis.position).to_data() == fold(tl.store.read(), basis).to_data()
        tl.index = "memory"
        assert _values(tl, "2024-11-30", "2024-11-10") == now


def test_claims_keep_their_valid_dates_and_follow_the_outlet_and_report_date(undated):
    path, art = undated
    with Timeline(path) as tl:
        tl.correct_article(art.article_id[:10], published="2024-11-07", outlet="Wire Service", reviewer="Ann")
        rows = [c for c in tl.claims(article="wire.txt")]
        assert {c["as_of"] for c in rows} == {"2024-11-05"}
        assert {c["outlet"] for c in rows} == {"Wire Service"}
        assert {c["published"] for c in rows} == {"2024-11-07"}
        tree = tl.explain("losses.personnel", "RU", "Kursk", as_of="2024-11-30")["values"][0]
        wire = [s for s in tree["supports"] + tree["competing"] if s["article"]["file"] == "wire.txt"][0]
        assert wire["article"]["outlet"] == "Wire Service"
        assert wire["article"]["published"] == "2024-11-07"


def test_the_graph_and_check_show_the_corrected_article(undated):
    path, art = undated
    with Timeline(path) as tl:
        competing = [f for f in tl.check("2024-11-30", "2024-11-10").findings if f.check == "competing"]
        assert competing == []  # the wire's claim, with no report date, is not known by the 10th
        tl.correct_article("wire.txt", published="2024-11-07", title="RU losses", reviewer="Ann")
        g = tl.graph("2024-11-30")
        node = g.nodes[f"article:{art.article_id}"]
        assert (node["published"], node["title"], node["published_origin"]) == ("2024-11-07", "RU losses", "corrected")
        from timeline.checks import run_checks
        from timeline.provenance import assemble

        report = tl.check("2024-11-30", "2024-11-10")
        assert report.to_data() == run_checks(assemble(tl.store.read(), report.basis)).to_data()
        assert [f.metric for f in report.findings if f.check == "competing"] == ["losses.personnel"]


def test_the_event_is_chained_verified_exported_imported_and_copied(undated, tmp_path):
    path, art = undated
    with Timeline(path) as tl:
        tl.correct_article("wire.txt", url="https://example.org/wire", reviewer="Ann", note="from the wire")
        assert tl.verify().ok
        out = io.StringIO()
        tl.export(out)
        text = out.getvalue()
    assert '"ArticleMetadataCorrected"' in text
    copy = tmp_path / "copy.sqlite"
    with Timeline(copy) as tl2:
        tl2.import_jsonl(io.StringIO(text))
        assert tl2.verify().ok
        events = [r.event for r in tl2.store.read() if r.type == "ArticleMetadataCorrected"]
        assert events == [e for e in events if isinstance(e, ArticleMetadataCorrected)]
        assert events[0].url == "https://example.org/wire" and events[0].reviewer == "Ann"
        assert tl2.article("wire.txt")["url"] == "https://example.org/wire"
    copied = tmp_path / "copied.sqlite"
    r = run("copy", "--from", str(path), "--to", str(copied))
    assert r.exit_code == 0, r.output
    with Timeline(copied) as tl3:
        assert tl3.article("wire.txt")["url"] == "https://example.org/wire"
        assert [r.hash for r in tl3.store.read()] == [r.hash for r in Timeline(path).store.read()]


def test_correct_article_from_the_command_line(undated):
    path, art = undated
    r = run("--log", str(path), "correct-article", "wire.txt", "--published", "2024-11-07", "--outlet", "Wire",
            "--note", "manifest fixed", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["changes"]["published"] == {"from": None, "to": "2024-11-07"}
    assert data["reviewer"] == "Ann Analyst" and data["note"] == "manifest fixed"
    r = run("--log", str(path), "correct-article", "wire.txt", "--title", "A title")
    assert r.exit_code == 0 and "title (none) -> A title" in r.stdout
    assert "Example:" in run("correct-article", "--help").stdout


@pytest.mark.parametrize("args, message", [
    (["nosuch.txt", "--outlet", "X"], "no article in the log has the id or file name 'nosuch.txt'"),
    (["wire.txt"], "nothing to correct: give an outlet, a title, a url or a published date (--outlet NAME,"
                   " --title TEXT, --url URL, --published YYYY-MM-DD)"),
    (["wire.txt", "--published", "2024-13-01"], "is not a valid date"),
    (["wire.txt", "--outlet", "  "], "--outlet is empty"),
])
def test_bad_input_is_one_line_exit_2_and_nothing_written(undated, args, message):
    path, _ = undated
    head = Timeline(path).head()
    r = run("--log", str(path), "correct-article", *args)
    assert r.exit_code == 2
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert Timeline(path).head() == head


def test_a_correction_needs_a_reviewer_and_a_change(undated):
    path, _ = undated
    head = Timeline(path).head()
    r = run("--log", str(path), "correct-article", "wire.txt", "--outlet", "X", env={"COLUMNS": "100"})
    assert r.exit_code == 2 and "who is reviewing?" in r.stderr and "TIMELINE_REVIEWER" in r.stderr
    assert run("--log", str(path), "correct-article", "daily.txt", "--outlet", "Daily").exit_code == 2
    assert Timeline(path).head() == head


def test_ingest_update_metadata_reads_a_fixed_manifest_again(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Russia has lost 20,842 personnel in Kursk as of Nov 5, Syrskyi said.\n")
    (folder / "b.txt").write_text("Ukraine controls about 800 square kilometres of Kursk, a source said.\n")
    (folder / "manifest.csv").write_text("file,published,outlet\na.txt,2024-11-05,Kyiv Wire\nb.txt,2024-11-23,\n")
    log = tmp_path / "log.sqlite"
    assert run("--log", str(log), "ingest", str(folder)).exit_code == 0
    (folder / "manifest.csv").write_text("file,published,outlet,title\na.txt,2024-11-06,Kyiv Wire,Losses\n"
                                         "b.txt,2024-11-23,Reuters,\n")
    again = run("--log", str(log), "ingest", str(folder))
    assert "2 already present" in again.stdout
    head = Timeline(log).head()
    r = run("--log", str(log), "ingest", str(folder), "--update-metadata", "--note", "manifest fixed",
            "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert {c["note"] for c in data["corrected"]} == {"manifest fixed"}
    changes = {c["file"]: c["changes"] for c in data["corrected"]}
    assert changes == {"a.txt": {"published": {"from": "2024-11-05", "to": "2024-11-06"},
                                 "title": {"from": None, "to": "Losses"}},
                       "b.txt": {"outlet": {"from": None, "to": "Reuters"}}}
    assert Timeline(log).head() == head + 2
    # read again, the same manifest corrects nothing more
    r = run("--log", str(log), "ingest", str(folder), "--update-metadata")
    assert r.exit_code == 0 and "0 articles corrected" in r.stdout
    assert Timeline(log).head() == head + 2


def test_update_metadata_refuses_a_broken_manifest_with_nothing_written(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Russia has lost 20,842 personnel in Kursk as of Nov 5.\n")
    (folder / "manifest.csv").write_text("file,published\na.txt,2024-11-05\n")
    log = tmp_path / "log.sqlite"
    run("--log", str(log), "ingest", str(folder))
    head = Timeline(log).head()
    (folder / "manifest.csv").write_text("file,published\na.txt,2024-11-31\n")
    r = run("--log", str(log), "ingest", str(folder), "--update-metadata")
    assert r.exit_code == 2 and len(r.stderr.strip().splitlines()) == 1
    assert Timeline(log).head() == head
