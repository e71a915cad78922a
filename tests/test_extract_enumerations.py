"""Enumerations of counted nouns, list leads and the tally's equipment kinds. Sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from events.extract import ArticleMeta, read_article
from events.model import Period
from tests.builders import read_claims

PUB = dt.date(2024, 6, 12)


def claims(text: str, published: dt.date | None = PUB):
    return read_claims(text, published)


def test_an_item_with_coordinated_nouns_does_not_break_the_list():
    text = ("Since the start of the invasion, 310 aircraft, 12,400 tanks and other armoured vehicles, 905 multiple "
            "rocket launchers, 14,020 field guns and mortars and 21,300 trucks, vans and jeeps have been destroyed, "
            "the Russian Defence Ministry said.\n")
    got = [(c.metric, c.value, c.party) for c in claims(text)]
    assert got == [("losses.equipment.aircraft", 310, "UA"), ("losses.equipment.tanks", 12400, "UA"),
                   ("losses.equipment.mlrs", 905, "UA"), ("losses.equipment.artillery", 14020, "UA"),
                   ("losses.equipment.vehicles", 21300, "UA")]


def test_as_well_as_and_an_owner_after_the_last_item_keep_the_list_and_its_cue():
    text = ("“So far 58 helicopters, 140 anti-aircraft missile systems, as well as 2,010 units of special "
            "vehicles of the Ukrainian armed forces have been destroyed,” the spokesman said.\n")
    got = [(c.metric, c.value, c.party) for c in claims(text)]
    assert got == [("losses.equipment.helicopters", 58, "UA"), ("losses.equipment.air_defense", 140, "UA"),
                   ("losses.equipment.vehicles", 2010, "UA")]


def test_model_names_stand_between_a_figure_and_its_noun():
    text = ("Air defence units shot down 7 Kalibr cruise missiles and 31 Geran-2 drones overnight, Ukraine's "
            "air force said. Ukrainian gunners destroyed two 2S19 howitzers near Lyman, their commander said.\n")
    got = [(c.metric, c.value) for c in claims(text)]
    assert got == [("losses.equipment.cruise_missiles", 7), ("losses.equipment.drones", 31),
                   ("losses.equipment.artillery", 2)]


def test_a_digit_glued_to_a_capital_is_a_model_name_not_a_figure():
    got = claims("Ukrainian gunners destroyed a 9K33 launcher and two 2S3 howitzers near Kreminna, the brigade said.\n")
    assert [(c.metric, c.value) for c in got] == [("losses.equipment.artillery", 2)]


def test_a_lead_that_only_names_its_list_takes_what_the_sentence_before_it_counts():
    text = ("The monitoring group counts 3,900 pieces of Russian equipment confirmed as destroyed. The main types "
            "as of Monday:\n\n- 420 main battle tanks\n- 615 infantry fighting vehicles\n- 88 self-propelled "
            "howitzers\n- 31 helicopters\n")
    got = [(c.metric, c.value, c.party) for c in claims(text)]
    assert got == [("losses.equipment", 3900, "RU"), ("losses.equipment.tanks", 420, "RU"),
                   ("losses.equipment.armored_vehicles", 615, "RU"), ("losses.equipment.artillery", 88, "RU"),
                   ("losses.equipment.helicopters", 31, "RU")]


def test_a_lead_naming_nothing_lost_gives_its_items_nothing():
    text = "The brigade received new equipment this spring. The main types:\n\n- 14 tanks\n- 30 trucks\n"
    assert claims(text) == []


@pytest.mark.parametrize("text", [
    "Russia has lost 8,400 (+12) tanks and 612,300 (+1,150) personnel since the invasion, the General Staff said.\n",
    "Russia has lost 8,400 tanks (+12) and 612,300 personnel (+1,150) since the invasion, the General Staff said.\n",
    "Russia has lost 8,400 [+12] tanks and 612,300 [+1,150] personnel since the invasion, the General Staff said.\n",
    "Enemy losses since the invasion, according to the General Staff:\n\n- 8,400 (+12) tanks;\n"
    "- 612,300 (+1,150) personnel.\n",
])
def test_a_days_increment_beside_a_total_is_a_count_over_that_day(text):
    pub = dt.date(2025, 3, 4)
    got = [c.claim for c in read_article(text.encode(), "t.txt", ArticleMeta(published=pub)).claims]
    day = Period(dt.date(2025, 3, 3), pub)
    assert sorted((c.metric, c.value, c.as_of, c.period) for c in got) == sorted([
        ("losses.equipment.tanks", 8400, pub, None), ("losses.equipment.tanks", 12, None, day),
        ("losses.personnel", 612300, pub, None), ("losses.personnel", 1150, None, day)]), got


def test_a_tally_line_takes_its_increment_in_square_brackets():
    text = ("The combat losses of the enemy from February 24, 2022 to March 4, 2025 are approximately:\n"
            "tanks - 8,400 [+12],\nartillery systems - 20,100 [+31],\nmultiple rocket launchers - 1,020 [+2].\n")
    got = [c.claim for c in read_article(text.encode(), "t.txt", ArticleMeta(published=dt.date(2025, 3, 4))).claims]
    assert sorted((c.metric, c.value) for c in got) == [
        ("losses.equipment.artillery", 31), ("losses.equipment.artillery", 20100), ("losses.equipment.mlrs", 2),
        ("losses.equipment.mlrs", 1020), ("losses.equipment.tanks", 12), ("losses.equipment.tanks", 8400)], got


def test_a_tally_lead_between_two_dates_counts_its_lines_over_them_once():
    text = ("Gen. Petro Kolos said on Monday that Russian losses near Toretsk between Jan. 5, 2024, and March 1, 2024, "
            "amounted to:\n\n- personnel - 9,400;\n- tanks - 61;\n- artillery systems - 118.\n")
    got = [c.claim for c in read_article(text.encode(), "t.txt", ArticleMeta(published=dt.date(2024, 3, 20))).claims]
    span = Period(dt.date(2024, 1, 5), dt.date(2024, 3, 1))
    assert sorted((c.metric, c.value, c.period) for c in got) == [
        ("losses.equipment.artillery", 118, span), ("losses.equipment.tanks", 61, span),
        ("losses.personnel", 9400, span)], got


def test_a_tally_lead_since_a_day_without_a_year_runs_from_the_last_such_day():
    text = ("Russian losses in the Kursk operation since Aug. 6, according to Ukraine's General Staff:\n\n"
            "- killed - 9,400;\n- wounded - 12,100;\n- captured - 640.\n")
    got = [c.claim for c in read_article(text.encode(), "t.txt", ArticleMeta(published=dt.date(2025, 3, 20))).claims]
    assert {c.since for c in got} == {dt.date(2024, 8, 6)} and len(got) == 3, got


@pytest.mark.parametrize("text,expect", [
    ("Russian units seized 240 square kilometres in April and 310 in May, the monitoring group DeepState said.\n",
     [("area.gained", 240, Period(dt.date(2024, 4, 1), dt.date(2024, 4, 30))),
      ("area.gained", 310, Period(dt.date(2024, 5, 1), dt.date(2024, 5, 31)))]),
    ("Ukraine's air force said it had downed 61 drones over the past day and 420 over the past week.\n",
     [("losses.equipment.drones", 61, Period(dt.date(2024, 6, 11), PUB)),
      ("losses.equipment.drones", 420, Period(dt.date(2024, 6, 5), PUB))]),
])
def test_a_bare_figure_with_its_own_window_repeats_the_noun_before_it(text, expect):
    assert [(c.metric, c.value, c.period) for c in claims(text)] == expect


def test_a_bare_figure_after_a_place_is_no_repeat():
    # "and 80 near Kupiansk": no window of its own right after it, so nothing says what it counts
    assert [c.value for c in claims("Russia lost 120 tanks near Avdiivka and 80 near Kupiansk in May.\n")] == [120]


# a single piece of equipment in a daily list: its singular noun, after "a"/"an", in a sentence with no number word
@pytest.mark.parametrize("text,expect", [
    ("The enemy lost up to 380 troops, an infantry fighting vehicle and a self-propelled howitzer near Lyman, the "
     "Russian Defense Ministry said.\n",
     [("losses.personnel", 380), ("losses.equipment.armored_vehicles", 1), ("losses.equipment.artillery", 1)]),
    ("Ukrainian gunners destroyed 12 Russian tanks, an armored personnel carrier and a multiple rocket launcher "
     "near Toretsk, the brigade said.\n",
     [("losses.equipment.tanks", 12), ("losses.equipment.armored_vehicles", 1), ("losses.equipment.mlrs", 1)]),
])
def test_a_single_item_named_in_the_singular_counts_one(text, expect):
    assert [(c.metric, c.value) for c in claims(text)] == expect


def test_an_article_before_a_noun_outside_a_list_is_no_figure():
    text = "A Ukrainian drone hit a tank near Lyman on Monday, and 40 Russian soldiers were killed, the brigade said.\n"
    assert [(c.metric, c.value) for c in claims(text)] == [("losses.personnel.killed", 40)]
