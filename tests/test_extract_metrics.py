"""The vocabulary's newer metrics as the extractor reads them: ground taken over a window, settlements captured,
the missing, and the General Staff tally's equipment kinds named in running text."""

from __future__ import annotations

import datetime as dt

import pytest

from events.model import Period
from tests.builders import read_claims

PUB = dt.date(2025, 6, 14)


def claims(text: str):
    return read_claims(text, PUB)


def one(text: str):
    got = claims(text)
    assert len(got) == 1, got
    return got[0]


@pytest.mark.parametrize("text, party, value, period", [
    ("Russian units seized 512 square kilometres in April, the monitoring group said.", "RU", 512,
     Period(dt.date(2025, 4, 1), dt.date(2025, 4, 30))),
    ("Ukrainian troops freed 37 km2 near Kupiansk in the past week, the brigade said.", "UA", 37,
     Period(dt.date(2025, 6, 7), dt.date(2025, 6, 14))),
    ("Russian forces occupied 88 square kilometers in May, analysts said.", "RU", 88,
     Period(dt.date(2025, 5, 1), dt.date(2025, 5, 31))),
])
def test_area_taken_over_a_window_is_area_gained_by_the_taker(text, party, value, period):
    c = one(text)
    assert (c.metric, c.party, c.value, c.unit, c.period) == ("area.gained", party, value, "km2", period)


def test_area_retaken_is_gained_by_the_side_that_retook_it():
    c = one("Moscow said its troops had retaken 640 square kilometres of the Belgorod region.")
    assert (c.metric, c.party, c.value) == ("area.gained", "RU", 640)


def test_area_held_stays_a_level():
    c = one("Ukrainian forces now hold 930 square kilometres of the Kursk region, the commander said.")
    assert (c.metric, c.party, c.value, c.as_of) == ("area.controlled", "UA", 930, PUB)


@pytest.mark.parametrize("text, metric, party, value", [
    ("Russian troops captured 17 settlements in May, the monitoring group said.", "settlements.captured", "RU", 17),
    ("Kyiv said its forces had liberated 9 villages in the Kharkiv region since May 1.", "settlements.captured", "UA", 9),
    ("Ukrainian units held 43 settlements in the Kursk region, the commander said.", "settlements.controlled", "UA", 43),
])
def test_settlements_captured_apart_from_settlements_held(text, metric, party, value):
    c = one(text)
    assert (c.metric, c.party, c.value, c.unit) == (metric, party, value, "settlements")


@pytest.mark.parametrize("text, party, value", [
    ("Some 1,900 Ukrainian servicemen are listed as missing in action, the ombudsman said.", "UA", 1900),
    ("Moscow said 260 Russian soldiers were missing after the assault.", "RU", 260),
])
def test_the_missing_are_their_own_metric(text, party, value):
    c = one(text)
    assert (c.metric, c.party, c.value) == ("losses.personnel.missing", party, value)


@pytest.mark.parametrize("noun, metric", [
    ("helicopters", "losses.equipment.helicopters"),
    ("attack helicopters", "losses.equipment.helicopters"),
    ("warships", "losses.equipment.naval_ships"),
    ("air defense systems", "losses.equipment.air_defense"),
    ("air-defence systems", "losses.equipment.air_defense"),
    ("cruise missiles", "losses.equipment.cruise_missiles"),
    ("fuel tanks", "losses.equipment.fuel_tanks"),
    ("submarines", "losses.equipment.submarines"),
    ("units of special equipment", "losses.equipment.special"),
    ("fighter jets", "losses.equipment.aircraft"),
])
def test_the_tallys_equipment_kinds_in_running_text(noun, metric):
    c = one(f"Kyiv said Ukrainian forces destroyed 6 Russian {noun} over the weekend.")
    assert (c.metric, c.party, c.value, c.unit) == (metric, "RU", 6, "units")


def test_helicopters_and_aircraft_in_one_list_are_two_claims():
    got = {(c.metric, c.value) for c in claims("Russia has lost 310 aircraft and 325 helicopters, the General Staff said.")}
    assert got == {("losses.equipment.aircraft", 310), ("losses.equipment.helicopters", 325)}
