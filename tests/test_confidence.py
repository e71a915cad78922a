"""Confidence on every extracted claim, with the signals behind it."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from events import codec
from events.extract import ArticleError, ArticleMeta, read_article
from events.extract.confidence import confidence, model
from timeline.cli import main

ASPECTS = ("side", "metric", "date", "claimant")
PHRASES = st.sampled_from([
    "Russia has lost 1,294 soldiers", "killing 12 Russian troops", "over 40% of the territory", "about 800 km²",
    "more than 100 settlements", "Syrskyi said", "as of Nov. 5", "overnight", "\n\n", "• 54 tanks;", "took 60 km2",
    "the enemy lost 340 servicemen", "according to the source", "in October", ". ", ", Kyiv said", "\n• 3 helicopters\n",
    "The total combat losses of the enemy are:\n", "tanks ‒ 9,352 (+5),\n", "personnel ‒ about 723,970 (+1,500) persons,\n",
])


@settings(max_examples=30, deadline=None)
@given(st.lists(PHRASES, min_size=1, max_size=25))
def test_every_extracted_claim_says_how_each_part_was_found_and_has_a_confidence(parts):
    try:
        got = read_article(" ".join(parts).encode(), "c.txt", ArticleMeta(published=dt.date(2024, 11, 20)))
    except ArticleError:
        return
    for c in got.claims:
        assert [s.split(":", 1)[0] for s in c.signals] == list(ASPECTS), c.signals
        p = confidence(c.rule, c.signals)
        assert p is not None and 0.0 <= p <= 1.0


def test_confidence_follows_the_fitted_weights():
    """A signal the model weighs higher gives a higher confidence, all else equal; a claim without signals has none."""
    weights = model()["weights"]
    ranked = sorted((w, s) for s, w in weights.items() if s.startswith("date:"))
    low, high = ranked[0][1], ranked[-1][1]
    base = ("side:subject", "metric:cue-before", "claimant:own-sentence")
    assert confidence("count", (*base, low)) < confidence("count", (*base, high))
    assert confidence("count", ()) is None


def test_signals_survive_the_log_and_older_events_without_them_still_read():
    got = read_article(b"Russia lost 40 tanks overnight, Kyiv said.", "c.txt", ArticleMeta(published=dt.date(2024, 11, 20)))
    ev = got.claims[0]
    assert codec.decode("ClaimReported", codec.encode(ev)) == ev
    payload = json.loads(codec.encode(ev))
    del payload["signals"]
    assert codec.decode("ClaimReported", payload).signals == ()


def test_claims_json_carries_confidence_and_signals(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("Ukraine's air force said it shot down 31 Russian drones overnight.\n", encoding="utf-8")
    log = str(tmp_path / "log.sqlite")
    assert CliRunner().invoke(main, ["--log", log, "ingest", str(story), "--published", "2024-11-21"]).exit_code == 0
    rows = json.loads(CliRunner().invoke(main, ["--log", log, "claims", "--format", "json"]).output)
    assert [(r["metric"], r["value"]) for r in rows] == [("losses.equipment.drones", 31)]
    assert 0.0 <= rows[0]["confidence"] <= 1.0
    assert {s.split(":", 1)[0] for s in rows[0]["signals"]} == set(ASPECTS)
