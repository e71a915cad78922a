"""The vocabulary as data: what a metric is lives in events/lexicons/metrics.json, and is whole there.

Adding a metric is one entry in that file's "vocabulary" and, if it needs one, a case below.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest

from events.vocabulary import MetricTable, metric_table, vocabulary
from projections.derive import COMPONENTS, PARTIAL_COMPONENTS
from projections.series import SECTIONS, section
from timeline.review import checked_claim

LEXICONS = Path(__file__).resolve().parents[1] / "events" / "lexicons"
DATA = json.loads((LEXICONS / "metrics.json").read_text(encoding="utf-8"))
TABLE = metric_table()
METRICS = sorted(TABLE.metrics)


def test_the_table_is_the_lexicon_file():
    assert list(TABLE.metrics) == list(DATA["vocabulary"])
    assert SECTIONS == tuple(DATA["sections"])
    assert vocabulary().units == {m: e["unit"] for m, e in DATA["vocabulary"].items()}


@pytest.mark.parametrize("metric", METRICS)
def test_every_metric_is_whole(metric):
    m = TABLE.metrics[metric]
    assert m.section in SECTIONS and m.window_section in SECTIONS
    assert section(metric, "level") == m.section and section(metric, "window") == m.window_section
    for part in m.components:
        assert part in TABLE.metrics and TABLE.metrics[part].unit == m.unit, part
    if m.open_components is not None:
        parts = [p for p in TABLE.metrics if p.startswith(m.open_components)]
        assert parts and all(TABLE.metrics[p].unit == m.unit for p in parts)
    cue_kinds = set(json.loads((LEXICONS / "cues.json").read_text(encoding="utf-8"))) - {"_doc"}
    assert set(m.person_cues) <= cue_kinds
    assert not m.person_cues or m.unit == "persons"
    claim = checked_claim(metric=metric, party="RU", value=1, as_of=dt.date(2024, 11, 1))
    assert claim.unit == m.unit  # a claim entered by hand with this metric is taken, in its unit


def test_a_cue_counts_persons_as_one_metric_only():
    cues = [c for m in TABLE.metrics.values() for c in m.person_cues]
    assert len(cues) == len(set(cues)) == len(TABLE.person_cues())


def test_what_derived_values_and_checks_read_comes_from_the_table():
    assert COMPONENTS == {m: tuple(e["components"]) for m, e in DATA["vocabulary"].items()
                          if isinstance(e.get("components"), list)}
    assert PARTIAL_COMPONENTS == {m: e["components"].removesuffix("*") for m, e in DATA["vocabulary"].items()
                                  if isinstance(e.get("components"), str)}
    assert TABLE.running_total("losses.equipment.tanks") and not TABLE.running_total("area.controlled")


def test_a_new_metric_is_one_entry():
    data = copy.deepcopy(DATA)
    data["vocabulary"]["losses.equipment.trains"] = {"unit": "units"}
    data["vocabulary"]["troops.withdrawn"] = {"unit": "persons", "person_cues": ["withdraw"]}
    data["vocabulary"]["strikes.launched"] = {"unit": "strikes"}
    table = MetricTable.from_data(data)
    trains = table.metrics["losses.equipment.trains"]
    assert (trains.section, trains.window_section, trains.running_total) == (
        "Cumulative claimed losses", "Counts reported over periods", True)  # from its family
    assert "losses.equipment.trains".startswith(table.open_components()["losses.equipment"])
    assert table.person_cues()["withdraw"] == "troops.withdrawn"
    assert table.section("troops.withdrawn", "window") == "Troops deployed"
    assert (table.section("strikes.launched", "level"), table.section("strikes.launched", "window")) == (
        "Other reported levels", "Counts reported over periods")  # a new family: the defaults
    assert not table.running_total("strikes.launched")


@pytest.mark.parametrize("metric, shape, expected", [
    ("losses.equipment.trains", "level", "Cumulative claimed losses"),
    ("area.unknown", "window", "Area held"),
    ("strikes.launched", "level", "Other reported levels"),
])
def test_a_metric_outside_the_vocabulary_is_placed_by_its_family(metric, shape, expected):
    assert metric not in TABLE.metrics
    assert section(metric, shape) == expected
