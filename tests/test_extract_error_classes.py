"""Classes of docs/error-classes.md that had no test on sentences of their own: new sentences written for these
tests, none taken from the examples the classes were described with."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.builders import read_claims

PUB = dt.date(2024, 6, 12)


def claims(text: str, published: dt.date | None = PUB):
    return read_claims((text + "\n"), published)


def got(text: str) -> list[tuple[str, str, float]]:
    return [(c.metric, c.party, c.value) for c in claims(text)]


# C3: a country named only as the place of the fighting is not the side that lost.
def test_c3_a_country_named_as_the_place_is_not_the_party():
    text = ("Ukrainian sabotage groups operating in Russia's Bryansk region lost 45 servicemen over the past week, "
            "the Russian Defence Ministry said.")
    assert got(text) == [("losses.personnel", "UA", 45)]


# C4: loss verbs after the noun ("eliminated", a list of three) are losses, not a troop count.
@pytest.mark.parametrize("sentence,party", [
    ("Around 8,700 Russian troops have been eliminated near Pokrovsk since August, the Ukrainian army chief said.",
     "RU"),
    ("Close to 3,300 Ukrainian soldiers were killed, injured or captured around Kreminna last month, Moscow said.",
     "UA"),
])
def test_c4_loss_verbs_after_the_noun_are_losses(sentence, party):
    assert [(m, p) for m, p, v in got(sentence)] == [("losses.personnel", party)]


# C6: a list of casualty verbs before the figure is their sum, not the nearest verb.
@pytest.mark.parametrize("sentence,party,value", [
    ("Ukrainian artillery crews killed or injured some 60 Russian soldiers near Robotyne on Sunday, the brigade "
     "reported.", "RU", 60),
    ("Russian brigades killed, wounded or captured 5,800 Ukrainian servicemen around Avdiivka since March, the "
     "ministry in Moscow claimed.", "UA", 5800),
])
def test_c6_a_verb_list_before_the_figure_is_their_sum(sentence, party, value):
    assert got(sentence) == [("losses.personnel", party, value)]


# C10: a share held, named by a passive or prepositional control phrase after it.
@pytest.mark.parametrize("sentence,value", [
    ("Roughly 45% of the Zaporizhzhia region is under Russian occupation, its governor said.", 45),
    ("Nearly 80 per cent of Chasiv Yar is held by the occupiers, a Ukrainian battalion commander said.", 80),
])
def test_c10_a_share_in_a_control_phrase_is_held_by_the_side_it_names(sentence, value):
    assert got(sentence) == [("area.controlled.share", "RU", value)]


# C11: an attribution inside a relative clause between the side and its verb.
@pytest.mark.parametrize("sentence,party,value,claimant", [
    ("The offensive is supported by Belarus, which Lithuanian intelligence estimates has gathered about 6,000 "
     "soldiers near its southern border.", "BY", 6000, "Lithuanian intelligence"),
    ("Pyongyang, which South Korean officials say has dispatched roughly 12,500 soldiers to Russia, has not "
     "confirmed the deployment.", "KP", 12500, "South Korean officials"),
])
def test_c11_an_attribution_in_a_relative_clause_names_the_claimant(sentence, party, value, claimant):
    assert [(c.metric, c.party, c.value, c.claimant) for c in claims(sentence)] == [
        ("troops.deployed", party, value, claimant)]


# C15: spelled-out small numbers, "a" as one item, in a daily report.
def test_c15_number_words_and_a_single_item_in_an_enumeration():
    text = ("Overnight, a tank, two pickup trucks and five mortars of the enemy were destroyed near Huliaipole, "
            "Ukraine's General Staff said.")
    assert got(text) == [("losses.equipment.tanks", "RU", 1), ("losses.equipment.vehicles", "RU", 2),
                         ("losses.equipment.artillery", "RU", 5)]


# C16: unusual nouns for people and for equipment.
@pytest.mark.parametrize("noun", ["servicepeople", "personnel", "fighters"])
def test_c16_unusual_nouns_for_people(noun):
    assert got(f"Ukraine's General Staff said Russia lost 480 {noun} near Kupiansk over the past day.") == [
        ("losses.personnel", "RU", 480)]


def test_c16_bayonets_are_troops():
    assert got("Russia has massed 30,000 bayonets near Zaporizhzhia, Kyiv said.") == [
        ("troops.deployed", "RU", 30000)]


@pytest.mark.parametrize("noun,metric", [
    ("units of special automotive equipment", "losses.equipment.vehicles"),
    ("self-propelled howitzers", "losses.equipment.artillery"),
    ("air defence systems", "losses.equipment.air_defense"),
    ("guns and mortars", "losses.equipment.artillery"),
])
def test_c16_unusual_nouns_for_equipment(noun, metric):
    assert got(f"Ukrainian forces destroyed 7 Russian {noun} near Lyman on Friday, the brigade said.") == [
        (metric, "RU", 7)]


# C18: a level worded as a running total; a plan worded as growth.
def test_c18_bringing_a_share_to_a_figure_is_a_level():
    text = ("Russian forces took 120 square kilometres this month, bringing the share of Ukraine they hold to "
            "19.1%, analysts said.")
    shares = [(c.metric, c.party, c.value, c.as_of) for c in claims(text) if c.unit == "percent"]
    assert shares == [("area.controlled.share", "RU", 19.1, PUB)]


def test_c18_growing_ranks_to_a_figure_is_a_plan():
    text = "The Kremlin wants to grow its ranks to 1.4 million soldiers by 2026, Ukrainian intelligence said."
    assert got(text) == [("troops.planned", "RU", 1400000)]


# C20: a rate is not a count.
@pytest.mark.parametrize("sentence", [
    "Russian forces were losing an average of 1,300 soldiers killed or wounded in December, the British ministry said.",
    "Ukraine's General Staff says the enemy now loses around 1,500 servicemen a day.",
])
def test_c20_a_rate_is_no_claim(sentence):
    assert got(sentence) == []


# C4: "destroyed" with people as its object is a loss, not a troop count.
@pytest.mark.parametrize("sentence,party", [
    ("Over the past day Ukrainian defenders destroyed 980 Russian troops and 11 tanks, the General Staff said.", "RU"),
    ("Russian artillery destroyed up to 140 Ukrainian soldiers near Kreminna on Monday, the ministry in Moscow said.",
     "UA"),
])
def test_c4_people_destroyed_are_losses(sentence, party):
    assert got(sentence)[0][:2] == ("losses.personnel", party)


# C9: two label lines under a colon lead are a tally too (three or more are one whatever their lead).
@pytest.mark.parametrize("dash", ["–", "—", "-"])
def test_c9_two_tally_lines_under_a_colon_lead(dash):
    text = (f"Brigade report\n\nRussian losses around Siversk since April 2, as counted by the brigade:\n"
            f"personnel {dash} 2,240 (killed and wounded);\ntanks {dash} 19.")
    assert got(text) == [("losses.personnel", "RU", 2240), ("losses.equipment.tanks", "RU", 19)]


def test_c9_two_dashed_lines_without_a_colon_lead_are_no_tally():
    text = "Brigade report\n\nThe brigade held its ground around Siversk this spring.\npersonnel – 2,240\ntanks – 19"
    assert got(text) == []
