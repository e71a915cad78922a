"""Numbers that set the scene are not claims: rates ("an average of N a day", "N a month"), and the first figure of
"N to M <unit>" when M counts a distance or another non-claim unit. Sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from events.extract import ArticleMeta, read_article

PUB = dt.date(2024, 6, 12)


def got(text: str):
    ex = read_article((text + "\n").encode("utf-8"), "t.txt", ArticleMeta(published=PUB))
    return [(c.claim.metric, c.claim.value) for c in ex.claims]


@pytest.mark.parametrize("sentence", [
    "Russian troops have been pushing forward by 200 to 300 metres a day near Kurakhove.",
    "Ukrainian units fell back 2 or 3 kilometres west of the town, the brigade said.",
    "The ministry said Russia loses an average of 1,150 soldiers killed or wounded every day.",
    "Russia is losing more than 900 soldiers killed or wounded on an average day, London said.",
    "Bonuses bring in 20,000 to 30,000 Russian recruits a month, officials said.",
    "Russian forces lose about 40 tanks per week near Pokrovsk, Kyiv said.",
])
def test_a_rate_or_a_distance_is_not_a_claim(sentence):
    assert got(sentence) == []


@pytest.mark.parametrize("sentence,expect", [
    ("Russia lost 1,030 soldiers in a single day, Kyiv said.", [("losses.personnel", 1030)]),
    ("Russian forces lost 1,200 soldiers over the past day, the General Staff said.", [("losses.personnel", 1200)]),
    ("Ukraine says Russia lost 40 to 50 tanks near Pokrovsk this week.", [("losses.equipment.tanks", 50)]),
])
def test_a_count_over_a_day_or_a_range_of_counted_things_still_is(sentence, expect):
    assert got(sentence) == expect


@pytest.mark.parametrize("sentence", [
    "At least 23 people were killed and 61 injured in the strike on Monday, the military said.",
    "The missile attack killed 14 people and wounded 50 others, Ukraine's military said.",
])
def test_people_killed_in_a_strike_are_no_sides_losses(sentence):
    lead = "Russia fired 70 cruise missiles at Ukrainian cities overnight, the general staff said.\n\n"
    assert got(lead + sentence) == []
