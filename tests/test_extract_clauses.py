"""Clause structure: ranges, plans governing their verb, and figures read from their roles. Sentences written
for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from events.extract import ArticleMeta, read_article

PUB = dt.date(2024, 6, 12)


def claims(text: str, published: dt.date | None = PUB):
    return [c.claim for c in read_article(text.encode("utf-8"), "t.txt", ArticleMeta(published=published)).claims]


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
