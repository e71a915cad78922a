"""Shares and areas held in prepositional and passive control phrases ("remains under Russian occupation", "in the
hands of", "held by the invaders"), and appositions that restate an area. Sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from events.extract import ArticleMeta, read_article

PUB = dt.date(2024, 6, 12)


def got(text: str):
    ex = read_article((text + "\n").encode("utf-8"), "t.txt", ArticleMeta(published=PUB))
    return [(c.claim.metric, c.claim.party, c.claim.value, c.claim.region) for c in ex.claims]


@pytest.mark.parametrize("sentence,expect", [
    ("About 27% of the Kherson region remains under Russian occupation, the regional governor said.",
     ("area.controlled.share", "RU", 27, "Kherson")),
    ("Almost 70 per cent of our region is held by the invaders, the Luhansk governor said.",
     ("area.controlled.share", "RU", 70, "Luhansk")),
    ("Around 60% of Vuhledar is in the hands of Russian troops, a Ukrainian officer said.",
     ("area.controlled.share", "RU", 60, "Vuhledar")),
    ("About a fifth of Ukraine remains in Russian hands, analysts said.",
     ("area.controlled.share", "RU", 20, "Ukraine")),
    ("Some 40% of the Donetsk region is now controlled by Russian forces or contested, analysts said.",
     ("area.controlled.share", "RU", 40, "Donetsk")),
    ("About 900 square kilometres of Russian territory in the Kursk region were under Ukrainian control, Kyiv said.",
     ("area.controlled", "UA", 900, "Kursk")),
])
def test_the_holder_is_named_in_the_control_phrase_after_the_area(sentence, expect):
    assert got(sentence) == [expect]


def test_an_apposition_restating_an_area_does_not_hide_its_holder():
    text = "Some 110,000 square kilometers of Ukraine, about 18% of its territory, is under Russian occupation."
    assert got(text) == [("area.controlled", "RU", 110000, "Ukraine"), ("area.controlled.share", "RU", 18, "Ukraine")]


@pytest.mark.parametrize("sentence", [
    "About 27% of the Kherson region's residents have left, the regional governor said.",
    "Some 40% of the Donetsk region was under water after the dam broke, officials said.",
])
def test_a_share_with_no_control_phrase_is_not_an_area_claim(sentence):
    assert got(sentence) == []


def test_an_area_a_foothold_covered_is_held_and_at_its_peak_the_peak():
    text = "At its peak, the Ukrainian foothold covered about 1,100 square kilometres (425 square miles), analysts said."
    assert got(text) == [("area.controlled.peak", "UA", 1100, "Ukraine")]


@pytest.mark.parametrize("sentence,expect", [
    ("Ukrainian forces retook about 350 hectares near Robotyne, the brigade said.",
     [("area.gained", "UA", 3.5, "Robotyne")]),
    ("Russian forces seized 165 square miles in the month, analysts said.", [("area.gained", "RU", 427, "Ukraine")]),
    ("Russian forces have retaken about 80 square miles (207 square kilometers) this week, Moscow said.",
     [("area.gained", "RU", 207, "Ukraine")]),
])
def test_hectares_and_square_miles_alone_are_converted_to_km2_and_a_printed_km2_wins(sentence, expect):
    assert got(sentence) == expect


def test_hectares_with_no_control_or_gain_verb_are_not_an_area_claim():
    assert got("The farm near Robotyne has 350 hectares of wheat.") == []
    assert got("Farmers near Robotyne sowed 350 hectares of wheat this spring.") == []


def test_a_km2_figure_in_brackets_after_square_miles_keeps_the_printed_qualifier():
    ex = read_article("Russian forces have retaken about 80 square miles (207 square kilometers) this week, Moscow said.\n"
                      .encode("utf-8"), "t.txt", ArticleMeta(published=PUB))
    assert [(c.claim.value, c.claim.qualifier) for c in ex.claims] == [(207, "about")]
