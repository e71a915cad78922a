"""Figures whose verb stands in the passive after them: who took the ground, and what befell the people counted."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.builders import read_claims

PUB = dt.date(2024, 10, 16)  # a Wednesday


def claims(text: str, published: dt.date | None = PUB):
    return read_claims((text + "\n"), published)


def got(text: str) -> list[tuple[str, str, float]]:
    return [(c.metric, c.party, c.value) for c in claims(text)]


@pytest.mark.parametrize("sentence,party,value", [
    ("Nineteen villages had been liberated in the Zaporizhzhia region since the start of the month, the Russian "
     "Defence Ministry said.", "RU", 19),
    ("Over the past fortnight 6 settlements were freed, Ukraine's General Staff reported.", "UA", 6),
    ("Some 140 square kilometres were cleared near Kupiansk in September, the Ukrainian military said.", "UA", 140),
])
def test_a_liberation_in_the_passive_without_agent_is_the_speakers_gain(sentence, party, value):
    [(metric, side, v)] = got(sentence)
    assert (side, v) == (party, value)
    assert metric in ("settlements.captured", "area.gained")


@pytest.mark.parametrize("sentence,party", [
    ("Four villages were retaken by Ukrainian units near Vovchansk last week, a Russian blogger conceded.", "UA"),
    ("Eleven settlements had been seized by Russian troops in the Donetsk region during September, the "
     "Ukrainian military said.", "RU"),
])
def test_a_gain_in_the_passive_is_the_agents(sentence, party):
    assert [(m, p) for m, p, v in got(sentence)] == [("settlements.captured", party)]


@pytest.mark.parametrize("sentence,party,value", [
    ("Nine villages were captured over the week, the Russian Defence Ministry said.", "RU", 9),
    ("The Ukrainian military said 5 settlements had been taken back near Kupiansk since Friday.", "UA", 5),
    ("More than 60 towns and villages had been liberated since the spring, Russia's defence minister said.", "RU", 60),
])
def test_a_side_reports_its_own_gains_in_the_passive(sentence, party, value):
    assert got(sentence) == [("settlements.captured", party, value)]


def test_area_and_settlements_in_one_passive_list_share_the_verb_and_taker():
    text = "Russia's defence minister said 2,900 square kilometres and 74 settlements were liberated in the spring."
    assert sorted(got(text)) == [("area.gained", "RU", 2900), ("settlements.captured", "RU", 74)]


def test_a_gain_in_the_passive_with_no_agent_and_no_side_names_no_taker():
    # a speaker who is no side, and no agent: either side may have taken them, so no claim rather than a guess
    assert got("Three villages were captured on Monday, a regional official said.") == []


@pytest.mark.parametrize("sentence,metric,party,value", [
    ("Around 7,300 Russian convicts sent to storm Avdiivka are thought to have died, a Western intelligence "
     "official said.", "losses.personnel.killed", "RU", 7300),
    ("About 900 North Korean soldiers deployed to the front are believed to have been killed or wounded, "
     "Seoul's spy agency said.", "losses.personnel", "KP", 900),
    ("More than 450 Ukrainian marines have died on the left bank since October, the Russian ministry claimed.",
     "losses.personnel.killed", "UA", 450),
])
def test_what_befell_people_after_a_reduced_relative_is_their_loss(sentence, metric, party, value):
    assert got(sentence) == [(metric, party, value)]


def test_people_sent_somewhere_with_no_fate_stay_no_loss():
    assert [m for m, p, v in got("Pyongyang has some 4,000 soldiers sent to the Kursk region, officials said.")] \
        == ["troops.deployed"]


def test_the_agent_after_a_list_in_the_passive_holds_for_every_item():
    text = ("Since early September, 54 howitzers, 23 tanks and 40 armoured vehicles were knocked out by Ukrainian "
            "drone crews near Kupiansk, the unit's commander said.")
    assert sorted(got(text)) == [("losses.equipment.armored_vehicles", "RU", 40),
                                 ("losses.equipment.artillery", "RU", 54), ("losses.equipment.tanks", "RU", 23)]


@pytest.mark.parametrize("sentence,metric,value", [
    ("Of the 9,000 North Korean troops sent to the Kursk region, about 1,600 are believed to have been killed or "
     "wounded, Seoul's lawmakers said.", "losses.personnel", 1600),
    ("Some 700 Russian paratroopers who were sent to hold the bridgehead are thought to have died, a Ukrainian "
     "officer said.", "losses.personnel.killed", 700),
])
def test_a_fate_believed_of_people_sent_somewhere_is_their_loss(sentence, metric, value):
    assert (metric, value) in [(m, v) for m, p, v in got(sentence)]
    assert not any(m == "troops.deployed" and v == value for m, p, v in got(sentence))
