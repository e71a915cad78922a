"""Deployments and plans: "N of them" pointing back to the troops of the sentence before, plan verbs ("decided to
send", "would be sent"), new nouns for people sent ("construction workers", "another N troops"), and where
troops are ("in the combat zone", "at the front"). Sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from events.extract import ArticleMeta, read_article

PUB = dt.date(2024, 6, 12)


def got(text: str):
    ex = read_article((text + "\n").encode("utf-8"), "t.txt", ArticleMeta(published=PUB))
    return [(c.claim.metric, c.claim.party, c.claim.value) for c in ex.claims]


def test_n_of_them_opening_a_sentence_counts_the_troops_of_the_sentence_before():
    text = "Pyongyang decided to send 9,000 soldiers to Russia. About 4,000 of them had already been moved to the front, Seoul said."
    assert got(text) == [("troops.planned", "KP", 9000), ("troops.deployed", "KP", 4000)]


def test_n_of_them_does_not_reach_back_past_a_noun_of_its_own_sentence():
    text = "Pyongyang decided to send 9,000 soldiers to Russia. Of the 40 trucks, 12 of them had been moved to the border."
    assert ("troops.deployed", "KP", 12) not in got(text)


def test_has_before_an_adverb_and_a_participle_is_an_auxiliary_not_possession():
    text = "Kyiv said it had captured two North Korean soldiers in Kursk. At least one of them has since said he wishes to stay."
    assert got(text) == [("losses.personnel.captured", "KP", 2)]


@pytest.mark.parametrize("sentence,expect", [
    ("The North plans to send another 3,000 North Korean troops to Russia, Seoul said.", [("troops.planned", "KP", 3000)]),
    ("Moscow said 3,000 North Korean construction workers would be sent to the Kursk region.",
     [("troops.planned", "KP", 3000)]),
    ("Russia's call-up is complete and 60,000 of those mobilised are already in the combat zone, Kyiv said.",
     [("troops.deployed", "RU", 60000)]),
    ("Kyiv said 150,000 Russian reservists were serving at the front.", [("troops.deployed", "RU", 150000)]),
])
def test_plans_and_deployments_read_from_their_verbs(sentence, expect):
    assert got(sentence) == expect
