"""A bulleted list hangs from the sentence above it, whether or not that sentence ends in a colon."""

from __future__ import annotations

import datetime as dt

import pytest

from events.model import Period
from tests.builders import read_claims

PUB = dt.date(2025, 4, 9)  # a Wednesday
DAY = Period(dt.date(2025, 4, 8), PUB)


def claims(text: str, published: dt.date | None = PUB):
    return read_claims(text, published)


def rows(text: str) -> list[tuple]:
    return [(c.metric, c.party, c.value, c.period) for c in claims(text)]


EXPECT = [("losses.personnel", "RU", 980, DAY), ("losses.equipment.tanks", "RU", 6, DAY),
          ("losses.equipment.drones", "RU", 57, DAY)]


@pytest.mark.parametrize("lead", [
    "Over the past 24 hours Russian troops lost the following, Ukraine's General Staff said on Wednesday.",
    "According to Ukraine's General Staff, Russian troops lost over the past 24 hours",
    "Russian losses over the past day, as counted by Ukraine's General Staff",
])
@pytest.mark.parametrize("bullet", ["- ", "• ", "* "])
def test_items_under_a_lead_without_a_colon_take_its_cue_side_and_window(lead, bullet):
    text = (f"Ukraine war, day by day\n\n{lead}\n\n{bullet}980 soldiers\n{bullet}6 tanks\n{bullet}57 drones\n\n"
            "The figures could not be verified independently.\n")
    assert rows(text) == EXPECT


def test_a_short_title_above_a_list_is_no_lead():
    text = "Ukraine war, day by day\n\nKey figures\n\n- 980 soldiers\n- 6 tanks\n"
    assert claims(text) == []
