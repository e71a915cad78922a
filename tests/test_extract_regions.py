"""Which place a figure is about when its sentence names none, and the place and speaker of a tally's lead.
Sentences written for these tests."""

from __future__ import annotations

import datetime as dt

from events.extract import ArticleMeta, read_article
from tests.builders import read_claims

PUB = dt.date(2024, 6, 12)


def claims(text: str):
    return read_claims(text, PUB)


def test_a_place_named_in_the_paragraphs_before_carries_to_a_figure_without_one():
    text = ("Fighting intensified around Vovchansk in the Kharkiv region this week.\n\n"
            "Russian units lost about 1,300 soldiers there, the brigade said.\n")
    assert [c.region for c in claims(text)] == ["Vovchansk"]


def test_a_total_for_the_whole_war_is_not_about_the_place_named_before():
    text = ("Fighting intensified around Vovchansk this week, the brigade said.\n\n"
            "Since the start of the full-scale invasion, Russia has lost about 505,000 soldiers, the General Staff "
            "said.\n")
    assert [c.region for c in claims(text)] == ["Ukraine"]


def test_a_country_named_as_a_place_does_not_carry_to_the_next_paragraph():
    text = ("About 3,000 North Korean soldiers were sent to Russia in October, South Korean officials said.\n\n"
            "Ukraine's army has about 880,000 troops, the defence minister said.\n")
    got = claims(text)
    assert [(c.value, c.region) for c in got] == [(3000, "Russia"), (880000, "Ukraine")]


def test_a_tally_takes_the_place_and_the_speaker_of_its_lead():
    text = ("Colonel Petro Hrytsenko, who led the defence of the town, said Russian losses in the Chasiv Yar sector "
            "between March 1 and May 31 came to:\n\n"
            "  • personnel – 9,120;\n  • tanks – 71;\n  • artillery systems – 103.\n")
    got = claims(text)
    assert {(c.region, c.claimant) for c in got} == {("Chasiv Yar", "Petro Hrytsenko")}
    assert {c.value for c in got} == {71, 103, 9120}


def test_a_place_the_lexicon_does_not_know_after_a_preposition_of_place():
    got = claims("Ukrainian drone crews killed about 60 Russian soldiers near Novoselivka Persha on Monday, the "
                 "brigade said.\n")
    assert [c.region for c in got] == ["Novoselivka Persha"]


def test_the_approaches_to_a_town_name_it_and_it_carries():
    text = ("The brigade holds the approaches to Bilytske, north of the city.\n\n"
            "Russian units lost 420 soldiers there last week, its press service said.\n")
    assert [c.region for c in claims(text)] == ["Bilytske"]


def test_a_share_of_a_countrys_territory_is_about_that_country_not_a_part_named_after_it():
    got = claims("Russia holds about 19% of Ukraine's territory, including Crimea and parts of the Donetsk region, "
                 "the analysts said.\n")
    assert [(c.value, c.region) for c in got] == [(19, "Ukraine")]


def test_a_place_in_a_later_clause_is_not_the_figures():
    got = claims("Minsk sent about 3,000 soldiers to Russia in May, when the governor said they would guard Kursk.\n")
    assert [c.region for c in got if c.value == 3000] == ["Russia"]


def test_places_named_in_an_including_clause_are_parts_not_the_place_counted():
    got = claims("Russia holds about 19% of Ukraine's internationally recognised territory, including the Crimean "
                 "peninsula and the parts of the Donbas it seized in 2014, the analysts said.\n")
    assert [c.region for c in got] == ["Ukraine"]


def test_a_target_for_a_sides_forces_with_no_place_named_is_in_its_own_country():
    from events.extract import ArticleMeta, read_article
    import datetime as dt

    def regions(text):
        ex = read_article((text + "\n").encode(), "t.txt", ArticleMeta(published=dt.date(2024, 6, 12)))
        return [(c.claim.metric, c.claim.party, c.claim.value, c.claim.region) for c in ex.claims]

    assert regions("Moscow will call up another 250,000 reservists this autumn, Russia's defence minister said.") == [
        ("troops.planned", "RU", 250000, "Russia")]
    assert regions("The Kremlin aims to have 500,000 troops in Ukraine by spring, Kyiv's spy chief said.") == [
        ("troops.planned", "RU", 500000, "Ukraine")]


def test_a_party_that_fought_on_one_front_is_placed_there_when_the_article_names_it():
    text = ("North Korean troops were sent to Russia's Kursk region last autumn.\n\n"
            "Pyongyang has never confirmed the deployment.\n\n"
            "Lawmakers in Seoul were briefed on Tuesday.\n\n"
            "About 1,400 North Korean soldiers have been killed, South Korea's spy agency said.\n")
    got = [c.claim for c in read_article(text.encode(), "t.txt", ArticleMeta(published=dt.date(2025, 3, 1))).claims]
    assert [(c.party, c.region) for c in got] == [("KP", "Kursk")], got


def test_the_front_is_not_assumed_when_the_article_does_not_name_it():
    text = "About 1,400 North Korean soldiers have been killed, South Korea's spy agency said.\n"
    got = [c.claim for c in read_article(text.encode(), "t.txt", ArticleMeta(published=dt.date(2025, 3, 1))).claims]
    assert [(c.party, c.region) for c in got] == [("KP", "Ukraine")], got
