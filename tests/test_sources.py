"""events.sources: one reader signature for everything that becomes events, so a new dataset is one module."""

from __future__ import annotations

import inspect
import io
import sys
import textwrap
from pathlib import Path

import pytest

from events.sources import READERS, Batch, SourceError, reader
from timeline import Timeline, TimelineError

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.mark.parametrize("name", sorted(READERS))
def test_every_reader_has_the_one_signature(name):
    params = inspect.signature(reader(name)).parameters
    first = next(iter(params.values()))
    assert first.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert params["seen"].kind is inspect.Parameter.KEYWORD_ONLY
    assert all(p.kind in (p.KEYWORD_ONLY, p.VAR_KEYWORD) for p in list(params.values())[1:])


def test_an_unknown_source_is_named():
    with pytest.raises(SourceError, match="no source called 'nope' \\(sources: articles, tally, jsonl\\)"):
        reader("nope")


def test_articles_read_as_batches_are_what_ingest_appends(tmp_path):
    with Timeline(tmp_path / "a.sqlite") as tl:
        report = tl.ingest([SEEDS])
        logged = [r.id for r in tl.events()]
    batches = list(reader("articles")([SEEDS], seen=lambda ids: set(), workers=1))
    assert [b.name for b in batches] == [f.file for f in report.files]
    assert all(b.problem is None and b.of == len(batches) for b in batches)
    read_ids = [e.article_id if i == 0 else e.claim_id for b in batches for i, e in enumerate(b.events)]
    assert read_ids == logged
    again = list(reader("articles")([SEEDS], seen=lambda ids: set(ids), workers=1))
    assert all(b.present and not b.events for b in again)  # what the log holds is not read again


def test_a_source_that_cannot_be_read_appends_nothing(tmp_path):
    log = tmp_path / "x.sqlite"
    with Timeline(log) as tl:
        with pytest.raises(TimelineError, match="not a tally file"):
            tl.import_from("tally", tmp_path / "losses.txt")
        with pytest.raises(TimelineError, match="no end line"):
            tl.import_from("jsonl", io.StringIO(""), name="empty.jsonl")
    assert not log.exists()  # a failed first write leaves no log behind


def test_a_new_dataset_is_one_module(tmp_path, monkeypatch):
    """A reader of a made-up CSV of daily counts, written here as a new dataset's module would be."""
    (tmp_path / "counts_source.py").write_text(textwrap.dedent('''
        import csv, datetime as dt
        from events.codec import claim_id
        from events.model import Claim, ClaimReported, Evidence, DatasetRow
        from events.sources import Batch

        def read(path, *, seen):
            events = []
            with open(path, encoding="utf-8") as f:
                for n, row in enumerate(csv.DictReader(f), 1):
                    day = dt.date.fromisoformat(row["date"])
                    claim = Claim("losses.equipment.tanks", "RU", int(row["tanks"]), "units", as_of=day)
                    evidence = Evidence(row["tanks"], dataset=DatasetRow("example/counts", "0" * 40, "counts.csv",
                                                                         n, "tanks"))
                    events.append(ClaimReported(claim_id(claim, evidence), claim, evidence, "counts", day))
            yield Batch("counts.csv", tuple(events), of=1)
    '''))
    (tmp_path / "counts.csv").write_text("date,tanks\n2024-11-01,9000\n2024-11-02,9004\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(READERS, "counts", "counts_source")
    with Timeline(tmp_path / "log.sqlite") as tl:
        assert tl.import_from("counts", tmp_path / "counts.csv").appended == 2
        assert tl.import_from("counts", tmp_path / "counts.csv").appended == 0  # the same rows are the same events
        assert tl.asof("2024-11-03").values[0].value == 9004
    sys.modules.pop("counts_source", None)


def test_a_batch_is_plain_data():
    b = Batch("x", problem="cannot read")
    assert (b.events, b.present, b.warnings, b.of) == ((), False, (), None)
