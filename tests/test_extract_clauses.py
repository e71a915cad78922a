"""Clause structure: ranges, plans governing their verb, and figures read from their roles. Sentences written
for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from events.extract import ArticleMeta, read_article
from tests.builders import read_claims

PUB = dt.date(2024, 6, 12)


def claims(text: str, published: dt.date | None = PUB):
    return read_claims(text, published)


@pytest.mark.parametrize("sentence,value,low,metric", [
    ("Analysts put Ukrainian losses at between 41,000 and 47,000 soldiers killed.", 47000, 41000,
     "losses.personnel.killed"),
    ("The agency estimated that 62,000 to 68,000 Russian soldiers had been killed.", 68000, 62000,
     "losses.personnel.killed"),
])
def test_a_range_is_one_claim_at_its_upper_end(sentence, value, low, metric):
    got = claims(sentence + "\n")
    assert [(c.metric, c.value, c.low, c.qualifier) for c in got] == [(metric, value, low, "up_to")]


@pytest.mark.parametrize("sentence", [
    "Russian units advanced by 400 to 600 metres a day near Pokrovsk.",
    "The front line moved 3 to 5 kilometres east over the week.",
    "The brigade's strength fell from 2,000 to 1,400 soldiers, its commander said.",
])
def test_a_rate_distance_or_change_is_not_a_range_claim(sentence):
    assert [c.value for c in claims(sentence + "\n") if c.low is not None and c.value != c.low] == []


@pytest.mark.parametrize("sentence,expect", [
    ("Minsk has about 9,000 troops near the border and plans to raise that number to 15,000, Kyiv's border "
     "service said.", [("troops.deployed", 9000), ("troops.planned", 15000)]),
    ("Moscow intends to have 420,000 soldiers in the occupied south by autumn, a Ukrainian officer said.",
     [("troops.planned", 420000)]),
    ("Russia will call up 150,000 conscripts this spring, the Kremlin said.", [("troops.planned", 150000)]),
])
def test_a_plan_governs_the_verb_it_opens(sentence, expect):
    assert [(c.metric, c.value) for c in claims(sentence + "\n")] == expect


@pytest.mark.parametrize("lead,note,metric", [
    ("Enemy losses near Siversk over the week, according to the corps:", "", "losses.personnel"),
    ("Russian troops liquidated near Siversk over the week, according to the corps:", "", "losses.personnel.killed"),
    ("Russian troops liquidated near Siversk over the week, according to the corps:", " (killed and wounded)",
     "losses.personnel"),
])
def test_a_tally_lines_personnel_counts_what_its_lead_counts(lead, note, metric):
    text = f"{lead}\n\npersonnel – 1,210{note};\ntanks – 14;\nartillery systems – 22.\n"
    got = claims(text)
    assert [(c.metric, c.value) for c in got][:2] == [(metric, 1210), ("losses.equipment.tanks", 14)]


def test_an_enumeration_shares_the_cue_and_side_after_its_last_item():
    got = claims("Over the past day, three tanks, five infantry fighting vehicles, a truck and two mortars of the "
                 "enemy were destroyed, the Russian Defence Ministry said.\n")
    assert [(c.metric, c.party, c.value) for c in got] == [
        ("losses.equipment.tanks", "UA", 3), ("losses.equipment.armored_vehicles", "UA", 5),
        ("losses.equipment.vehicles", "UA", 1), ("losses.equipment.artillery", "UA", 2)]
    assert all(c.period is not None for c in got)


def test_a_passive_loss_without_an_agent_is_the_enemy_of_the_speaker():
    got = claims("Since Monday, 14 tanks and 30 armoured vehicles were destroyed near Pokrovsk, Ukraine's General "
                 "Staff said.\n")
    assert [(c.party, c.value) for c in got] == [("RU", 14), ("RU", 30)]


def test_an_ordinal_between_an_enumeration_and_its_cue_is_no_figure():
    got = claims("According to the Russian ministry, nine tanks and four howitzers of Ukraine's 53rd Brigade were hit "
                 "near Siversk.\n")
    assert [(c.metric, c.party, c.value) for c in got] == [
        ("losses.equipment.tanks", "UA", 9), ("losses.equipment.artillery", "UA", 4)]


@pytest.mark.parametrize("phrase,metric", [
    ("2,210 battle tanks", "losses.equipment.tanks"),
    ("412 self-propelled howitzers", "losses.equipment.artillery"),
    ("96 towed artillery pieces", "losses.equipment.artillery"),
])
def test_a_modifier_between_figure_and_noun(phrase, metric):
    got = claims(f"Russia has lost {phrase} since the invasion, the analysts said.\n")
    assert [(c.metric, c.party) for c in got] == [(metric, "RU")]


def test_a_reference_mark_ends_a_sentence():
    text = ("Officials put Russian dead at 43,000 by mid-April 2024.[4] In February 2024, the ministry estimated "
            "Russian casualties at 355,000.[5]\n")
    got = claims(text)
    assert [(c.value, c.period.end if c.period else c.as_of) for c in got] == [
        (43000, dt.date(2024, 4, 20)), (355000, dt.date(2024, 2, 29))]


def test_n_of_them_counts_the_people_named_before():
    got = claims("Russia has lost about 41,000 soldiers near Avdiivka, with some 12,000 of them killed, Kyiv said.\n")
    assert [(c.metric, c.party, c.value) for c in got] == [
        ("losses.personnel", "RU", 41000), ("losses.personnel.killed", "RU", 12000)]


def test_n_of_them_after_equipment_is_not_people():
    got = claims("Russia launched 48 drones overnight, and 31 of them were killed by jamming, the air force said.\n")
    assert all(c.unit != "persons" for c in got)


@pytest.mark.parametrize("clause,span", [
    ("that Russian forces suffered over the past day", (dt.date(2024, 11, 13), dt.date(2024, 11, 14))),
    ("that the Russian army sustained in October", (dt.date(2024, 10, 1), dt.date(2024, 10, 31))),
])
def test_a_clause_that_says_who_suffered_the_figure_dates_it(clause, span):
    text = (f"Russia has lost 701,000 troops since the full-scale invasion, the General Staff said.\n\n"
            f"This number includes 1,270 casualties {clause}.\n")
    got = [c.claim for c in read_article(text.encode(), "t.txt", ArticleMeta(published=dt.date(2024, 11, 14))).claims]
    assert [(c.value, (c.period.start, c.period.end) if c.period else c.as_of) for c in got][1:] == [(1270, span)], got
