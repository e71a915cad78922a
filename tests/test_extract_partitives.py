"""A part of a whole named before it: "Of the 60 drones launched, 41 were shot down", "43 of the missiles"."""

from __future__ import annotations

import datetime as dt

import pytest

from events.model import Period
from tests.builders import read_claims

PUB = dt.date(2025, 2, 19)  # a Wednesday


def claims(text: str, published: dt.date | None = PUB):
    return read_claims((text + "\n"), published)


def got(text: str) -> list[tuple[str, str, float]]:
    return [(c.metric, c.party, c.value) for c in claims(text)]


@pytest.mark.parametrize("sentence,metric,value", [
    ("Of the 140 attack drones Russia sent over Ukraine, 119 were downed, the Ukrainian air force reported.",
     "losses.equipment.drones", 119),
    ("Of the 22 Russian tanks that joined the assault, 17 were destroyed, the brigade said.",
     "losses.equipment.tanks", 17),
])
def test_a_fronted_partitive_counts_what_the_whole_counted(sentence, metric, value):
    # the whole (a launch, a column that attacked) is no claim; the part that was destroyed is
    assert got(sentence) == [(metric, "RU", value)]


def test_a_fronted_partitive_takes_the_wholes_window():
    [c] = claims("Of the 95 drones Russia fired overnight, 66 were intercepted, Kyiv said.")
    assert (c.metric, c.value) == ("losses.equipment.drones", 66)
    assert c.period == Period(dt.date(2025, 2, 18), PUB)


def test_the_part_of_a_kind_named_before_is_that_kind():
    text = ("Russia fired 70 drones and 11 cruise missiles at the grid on Tuesday; 58 of the drones and 9 of the "
            "missiles were shot down by Ukrainian air defences.")
    assert sorted(got(text)) == [("losses.equipment.cruise_missiles", "RU", 9), ("losses.equipment.drones", "RU", 58)]


def test_the_part_of_a_word_named_nowhere_before_is_no_claim():
    assert got("Ukrainian gunners hit 14 of the missiles over the city on Tuesday.") == []


def test_n_of_them_is_a_part_of_the_people_before_it_and_on_their_side():
    text = ("Ukraine's defence intelligence put the number of Russian soldiers killed since the invasion at about "
            "190,000, some 70,000 of them in 2024 alone.")
    assert got(text) == [("losses.personnel.killed", "RU", 190000), ("losses.personnel.killed", "RU", 70000)]


def test_n_of_them_after_equipment_counts_that_kind_over_its_window():
    text = "The Ukrainian air force said it had downed 57 Russian drones overnight, 19 of them over the Sumy region."
    day = Period(dt.date(2025, 2, 18), PUB)
    assert [(c.metric, c.party, c.value, c.period) for c in claims(text)] == [
        ("losses.equipment.drones", "RU", 57, day), ("losses.equipment.drones", "RU", 19, day)]


def test_n_of_them_after_people_shares_their_window():
    text = "Russian units lost 1,340 soldiers over the past day, 520 of them killed, the Ukrainian army said."
    got_ = [(c.metric, c.value, c.period) for c in claims(text)]
    day = Period(dt.date(2025, 2, 18), PUB)
    assert got_ == [("losses.personnel", 1340, day), ("losses.personnel.killed", 520, day)]
