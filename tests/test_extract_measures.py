"""Figures that complete a measure ("the death toll stood at N", "put the number of X killed at N", "when it stood at
N", "the real number was N") and figures whose participle follows them. Sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from events.extract import ArticleMeta, read_article
from tests.builders import read_claims

PUB = dt.date(2024, 6, 12)


def claims(text: str, published: dt.date | None = PUB):
    return read_claims(text, published)


def got(text: str):
    return [(c.metric, c.party, c.value) for c in claims(text + "\n")]


@pytest.mark.parametrize("sentence,expect", [
    ("Kyiv has not updated its own death toll since April, when it stood at 9,200.",
     [("losses.personnel.killed", "UA", 9200)]),
    ("The Kremlin has not published its count of the dead since May, when it put it at 3,100.",
     [("losses.personnel.killed", "RU", 3100)]),
    ("British intelligence put the number of Russian soldiers killed since the invasion began at about 112,000.",
     [("losses.personnel.killed", "RU", 112000)]),
    ("The researchers put the number of Russian men killed by the end of 2024 within a range of 80,000 to 96,000.",
     [("losses.personnel.killed", "RU", 96000)]),
    ("According to the monitors, Russia's military losses in the war in the east reached 702,000 on Monday.",
     [("losses.personnel", "RU", 702000)]),
    ("The ministry put the number of Ukrainian troops killed at 2,870 and the number of wounded at 6,100.",
     [("losses.personnel.killed", "UA", 2870), ("losses.personnel.wounded", "UA", 6100)]),
])
def test_a_figure_completing_a_measure_counts_what_the_measure_names(sentence, expect):
    assert got(sentence) == expect


def test_a_measure_that_restates_takes_the_metric_and_side_of_the_claim_before_it():
    text = ("Russia lost 40,000 soldiers killed in the battle for the city, Kyiv said.\n\nIndependent researchers "
            "concluded in June that the real number was about 90,000.")
    assert got(text) == [("losses.personnel.killed", "RU", 40000), ("losses.personnel.killed", "RU", 90000)]


def test_the_bare_measure_put_at_a_figure_restates_the_claim_before_it():
    text = ("In May, the army chief said 6,400 Ukrainian soldiers had been killed. In July, an adviser to the "
            "president put the number at 7,000 to 8,000.")
    assert got(text) == [("losses.personnel.killed", "UA", 6400), ("losses.personnel.killed", "UA", 8000)]


@pytest.mark.parametrize("sentence", [
    "The combined toll for the two armies is nearing half a million, officials said.",
    "The new central figure is roughly one and a half times the first estimate.",
    "The number of volunteers at the centre was 300 on Monday.",
])
def test_a_measure_that_neither_names_nor_restates_a_count_gives_nothing(sentence):
    text = "Russia lost 40,000 soldiers killed in the battle for the city, Kyiv said.\n\n" + sentence
    assert got(text) == [("losses.personnel.killed", "RU", 40000)]


def test_a_casualty_noun_after_including_is_not_the_head_of_the_measure():
    text = "Kyiv said Russia's losses including the wounded come to 520,000."
    assert got(text) == [("losses.personnel", "RU", 520000)]


@pytest.mark.parametrize("sentence,expect", [
    ("The Russian ministry said 2,140 Russian servicemen had been killed and 5,310 had been wounded.",
     [("losses.personnel.killed", "RU", 2140), ("losses.personnel.wounded", "RU", 5310)]),
    ("A leaked memo put Ukrainian casualties at between 110,000 and 125,000, of whom 19,000 to 23,000 were "
     "killed in action.", [("losses.personnel", "UA", 125000), ("losses.personnel.killed", "UA", 23000)]),
])
def test_a_participle_after_a_bare_figure_names_its_metric(sentence, expect):
    assert got(sentence) == expect


def test_letters_glued_to_a_figure_make_a_calibre_not_a_count():
    assert got("Russian forces destroyed a 155mm M777 howitzer near Vuhledar, the ministry in Moscow said.") == []


@pytest.mark.parametrize("sentence,expect", [
    ("In 2023, Putin ordered the number of Russian servicemen raised to 1.15 million.",
     [("troops.planned", "RU", 1150000)]),
    ("The decree had set the number of Russian servicemen at 1.2 million.", [("troops.planned", "RU", 1200000)]),
    ("Kyiv said the number of Russian soldiers in the Kursk region was about 50,000.",
     [("troops.deployed", "RU", 50000)]),
])
def test_the_number_of_people_is_a_strength_and_a_plan_when_it_is_set_or_raised(sentence, expect):
    assert got(sentence) == expect


@pytest.mark.parametrize("text,expect", [
    ("How many Russian soldiers have died? Roughly 38,000, by the count of the BBC.",
     [("losses.personnel.killed", "RU", 38000)]),
    ("How many Ukrainian soldiers were wounded? About 90,000, officials say.",
     [("losses.personnel.wounded", "UA", 90000)]),
    ("How long will the war last? Perhaps 3 more years.", []),
])
def test_a_bare_figure_answering_a_question_counts_what_the_question_asks(text, expect):
    assert got(text) == expect


@pytest.mark.parametrize("second", [
    "In March, that figure stood at 41,000.",
    "Two months earlier, this number was 41,000.",
])
def test_that_figure_refers_back_to_the_claim_before(second):
    text = f"Ukraine's General Staff said 47,500 Russian soldiers had been killed near Avdiivka. {second}"
    assert got(text) == [("losses.personnel.killed", "RU", 47500), ("losses.personnel.killed", "RU", 41000)]


def test_that_figure_of_something_else_is_no_claim():
    assert got("Ukraine's General Staff said 47,500 Russian soldiers had been killed near Avdiivka. That figure of "
               "refugees was 41,000.") == [("losses.personnel.killed", "RU", 47500)]


def test_a_measure_completed_by_casualties_with_no_side_is_the_toll_before_it():
    text = ("Russian units have lost almost 12,000 soldiers around Toretsk since spring, the brigade said. To be exact, "
            "the figure stands at 11,940 killed and wounded.\n")
    got = read_article(text.encode("utf-8"), "t.txt", ArticleMeta(published=dt.date(2024, 6, 12))).claims
    assert [(c.claim.metric, c.claim.party, c.claim.value) for c in got] == [
        ("losses.personnel", "RU", 12000), ("losses.personnel", "RU", 11940)]


@pytest.mark.parametrize("second,expect", [
    ("A Western estimate is higher, at 95,000.", ("losses.personnel.killed", "RU", 95000)),
    ("Moscow's own count is far lower, at 20,000.", ("losses.personnel.killed", "RU", 20000)),
    ("Other estimates were even higher, at 110,000.", ("losses.personnel.killed", "RU", 110000)),
    ("Kyiv puts the figure higher, at 100,000.", ("losses.personnel.killed", "RU", 100000)),
])
def test_an_estimate_set_beside_the_one_before_restates_its_count(second, expect):
    text = "Russia has lost about 80,000 soldiers killed in the war, Kyiv says. " + second
    assert got(text) == [("losses.personnel.killed", "RU", 80000), expect]


@pytest.mark.parametrize("second", [
    "Kyiv puts it at 12,000.",
    "Kyiv puts the figure at 12,000.",
    "Ukrainian intelligence puts their number at 12,000.",
    "Ukrainian intelligence estimates there are 12,000.",
])
def test_an_estimator_named_before_its_estimate_verb_is_not_the_side_counted(second):
    text = "About 9,000 North Korean soldiers are fighting in the border region, Seoul said. " + second
    assert got(text) == [("troops.deployed", "KP", 9000), ("troops.deployed", "KP", 12000)]


def test_putting_the_figure_at_in_the_same_sentence_restates_the_figure_before_it():
    text = "Russia has lost 200,000 troops, Kyiv says, with Western officials putting the figure at around 150,000."
    assert got(text) == [("losses.personnel", "RU", 200000), ("losses.personnel", "RU", 150000)]


@pytest.mark.parametrize("text,expect", [
    ("Kyiv says 28,000 of its soldiers have been killed, while Russia has lost some 160,000.",
     [("losses.personnel.killed", "UA", 28000), ("losses.personnel.killed", "RU", 160000)]),
    ("Ukrainian forces lost 300 soldiers near the town in May. Russian forces, the commander said, lost about 2,000.",
     [("losses.personnel", "UA", 300), ("losses.personnel", "RU", 2000)]),
    ("Seoul says 3,000 North Korean troops are in the region; Ukraine says Pyongyang has already lost 1,100.",
     [("troops.deployed", "KP", 3000), ("losses.personnel", "KP", 1100)]),
])
def test_a_bare_figure_after_a_loss_verb_counts_what_the_figure_before_counted(text, expect):
    assert got(text) == expect


def test_a_bare_figure_after_a_verb_of_counting_restates_the_paragraphs_count():
    text = ("The commander said on Monday that Russia had massed about 60,000 troops near the city. When he toured "
            "the front in late May, he counted roughly 45,000.")
    found = claims(text + "\n")
    assert [(c.metric, c.party, c.value) for c in found] == [("troops.deployed", "RU", 60000),
                                                            ("troops.deployed", "RU", 45000)]
    assert (found[1].as_of.year, found[1].as_of.month) == (2024, 5)  # the fronted clause dates the count


@pytest.mark.parametrize("text", [
    "Russia lost 40 tanks in the battle. Analysts have counted 35.",
    "The Pentagon estimates 120,000 dollars were spent.",
    "The number of volunteers at the centre was higher, at 300, on Monday.",
])
def test_a_bare_figure_after_an_estimate_with_nothing_of_persons_before_it_counts_units_or_nothing(text):
    got_ = got(text)
    assert all(m.startswith("losses.equipment") for m, p, v in got_)


@pytest.mark.parametrize("second,value", [
    ("The true figure could be closer to 150,000.", 150000),
    ("The real number may well be nearer 120,000.", 120000),
    ("The figure is probably 110,000.", 110000),
])
def test_a_hedged_measure_restates_the_count_before_it(second, value):
    text = "Russia has lost about 90,000 soldiers killed, Kyiv says. " + second
    assert got(text) == [("losses.personnel.killed", "RU", 90000), ("losses.personnel.killed", "RU", value)]


def test_a_hedged_measure_of_something_else_is_no_claim():
    text = "Russia has lost about 90,000 soldiers killed, Kyiv says. The number of volunteers could be closer to 300."
    assert got(text) == [("losses.personnel.killed", "RU", 90000)]
