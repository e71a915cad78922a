"""What a figure counts: a part of a stock ("14 of its 31 tanks"), a figure in quotation marks, a ratio that is no
count, and tally labels with a slash. Sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from events.extract import ArticleMeta, read_article

PUB = dt.date(2024, 6, 12)


def got(text: str):
    ex = read_article((text + "\n").encode("utf-8"), "t.txt", ArticleMeta(published=PUB))
    return [(c.claim.metric, c.claim.party, c.claim.value) for c in ex.claims]


@pytest.mark.parametrize("sentence,expect", [
    ("Ukrainian forces have lost 14 of their 31 Abrams tanks, the analysts said.",
     ("losses.equipment.tanks", "UA", 14)),
    ("Russia lost 9 out of 12 Ka-52 helicopters near Kyiv, Ukrainian officials said.",
     ("losses.equipment.helicopters", "RU", 9)),
    ("Ukraine has lost three of its ten Leopard tanks, analysts said.", ("losses.equipment.tanks", "UA", 3)),
])
def test_a_part_of_a_stock_counts_the_part_not_the_stock(sentence, expect):
    assert got(sentence) == [expect]


@pytest.mark.parametrize("sentence,expect", [
    ('Zelensky said "over 43,000" Ukrainian soldiers had been killed since the invasion began.',
     ("losses.personnel.killed", "UA", 43000, "over")),
    ("The ministry said “about 2,100” Russian soldiers had been captured since the summer.",
     ("losses.personnel.captured", "RU", 2100, "about")),
])
def test_a_figure_in_quotation_marks_is_read_with_its_noun_and_qualifier(sentence, expect):
    ex = read_article((sentence + "\n").encode("utf-8"), "t.txt", ArticleMeta(published=PUB))
    assert [(c.claim.metric, c.claim.party, c.claim.value, c.claim.qualifier) for c in ex.claims] == [expect]


@pytest.mark.parametrize("sentence", [
    "One in five Russian soldiers has been wounded at least once, the ministry said.",
    "Officials say 1 in every 10 Ukrainian soldiers sent to the front was killed.",
    "Roughly two in three Russian tanks lost were destroyed by drones, analysts said.",
])
def test_a_ratio_is_not_a_count(sentence):
    assert got(sentence) == []


@pytest.mark.parametrize("label", ["warships/boats", "warships / boats", "Warships/Boats"])
def test_a_tally_label_with_a_slash_names_its_kind(label):
    text = ("Russian losses since the invasion, according to Ukraine's General Staff:\n"
            f"tanks - 9,100;\n{label} - 28;\nhelicopters - 330.")
    assert got(text) == [("losses.equipment.tanks", "RU", 9100), ("losses.equipment.naval_ships", "RU", 28),
                         ("losses.equipment.helicopters", "RU", 330)]


def test_the_body_reporting_a_tally_is_not_the_side_that_lost():
    text = ("The toll of Russian losses to date, as published by Ukraine's Defence Ministry:\n"
            "personnel - 700,000;\ntanks - 9,100;\nartillery systems - 19,000.")
    assert {p for m, p, v in got(text)} == {"RU"}


@pytest.mark.parametrize("sentence,expect", [
    ("The failed river crossing cost Ukraine about 900 troops, the Russian Defence Ministry claimed.",
     [("losses.personnel", "UA", 900)]),
    ("The battle for the ridge has cost the Russians 3,400 dead, Ukrainian commanders said.",
     [("losses.personnel.killed", "RU", 3400)]),
    ("Moscow said the raid had cost the Ukrainian army 35 armoured vehicles.",
     [("losses.equipment.armored_vehicles", "UA", 35)]),
])
def test_a_loss_that_cost_a_side_is_that_sides_loss(sentence, expect):
    assert got(sentence) == expect


def test_what_something_costs_in_money_is_no_claim():
    assert got("The new drone programme cost Kyiv 2 billion dollars, officials said.") == []


@pytest.mark.parametrize("sentence,expect", [
    ("Russian gunners hit three Leopard 2 tanks and two Bradley fighting vehicles near Orikhiv, Moscow said.",
     [("losses.equipment.tanks", "UA", 3), ("losses.equipment.armored_vehicles", "UA", 2)]),
    ("Ukrainian crews destroyed two Russian Tor launchers, a Ka-52 helicopter and four Su-34 fighter-bombers, "
     "the air force said.",
     [("losses.equipment.helicopters", "RU", 1), ("losses.equipment.aircraft", "RU", 4)]),
    ("Kyiv has lost 2 Challenger 2 tanks, British officials said.", [("losses.equipment.tanks", "UA", 2)]),
])
def test_a_model_name_between_a_figure_and_its_noun_is_no_figure(sentence, expect):
    assert got(sentence) == expect


def dated(text: str):
    ex = read_article((text + "\n").encode("utf-8"), "t.txt", ArticleMeta(published=PUB))
    return [(c.claim.metric, c.claim.party, c.claim.value, str(c.claim.as_of) if c.claim.as_of else
             f"{c.claim.period.start}..{c.claim.period.end}") for c in ex.claims]


@pytest.mark.parametrize("sentence,expect", [
    ("Moscow now keeps about 600,000 troops in Ukraine, up from 470,000 a year earlier, Kyiv's spy chief said.",
     [("troops.deployed", "RU", 600000, "2024-06-12"), ("troops.deployed", "RU", 470000, "2023-06-13")]),
    ("Ukrainian air defences shot down 84 Russian drones overnight, compared with 61 the previous night, "
     "the air force said.",
     [("losses.equipment.drones", "RU", 84, "2024-06-11..2024-06-12"),
      ("losses.equipment.drones", "RU", 61, "2024-06-10..2024-06-11")]),
    ("Russian forces seized 480 square kilometres in May, up from 310 in April, the analysts said.",
     [("area.gained", "RU", 480, "2024-05-01..2024-05-31"), ("area.gained", "RU", 310, "2024-04-01..2024-04-30")]),
    ("Over the past day Russia lost 1,380 servicemen, down from 1,510 a day earlier, Ukraine's General Staff said.",
     [("losses.personnel", "RU", 1380, "2024-06-11..2024-06-12"), ("losses.personnel", "RU", 1510, "2024-06-10..2024-06-11")]),
])
def test_an_earlier_figure_compared_with_the_current_one_keeps_its_own_date(sentence, expect):
    assert dated(sentence) == expect


def test_an_earlier_figure_with_no_time_of_its_own_is_left_out():
    assert dated("Russia keeps about 600,000 troops in Ukraine, up from 470,000, Kyiv's spy chief said.") == [
        ("troops.deployed", "RU", 600000, "2024-06-12")]


@pytest.mark.parametrize("sentence", [
    "Some 800,000 Russians have left the country since the call-up began, researchers estimate.",
    "Around 4,500 Ukrainian soldiers have deserted since the spring, prosecutors said.",
    "Moscow signed contracts with 380,000 new soldiers over the year, a Russian official said.",
    "More than 150,000 men have joined the army under contract since January, the Kremlin said.",
    "The average age of the Russian soldiers killed near the town is 37, the researchers found.",
    "About 9,000 Ukrainians fled abroad in the first weeks of the call-up, border guards said.",
])
def test_people_who_left_signed_up_or_deserted_and_ages_are_no_claims(sentence):
    assert got(sentence) == []


def test_a_refusal_holds_only_in_its_own_clause():
    text = ("Moscow recruited thousands of volunteers over the summer, but it lost 2,100 soldiers near Pokrovsk, "
            "Ukraine's General Staff said.")
    assert got(text) == [("losses.personnel", "RU", 2100)]


@pytest.mark.parametrize("sentence,expect", [
    ("Ukrainian troops regained control of 3.1 square kilometres near Kupiansk over the past day, the brigade said.",
     [("area.gained", "UA", 3.1)]),
    ("Russian units restored control of 6 settlements in the Kursk region this week, Moscow said.",
     [("settlements.captured", "RU", 6)]),
    ("Air defences brought down 35 Russian drones overnight, Ukraine's air force said.",
     [("losses.equipment.drones", "RU", 35)]),
])
def test_regaining_control_is_a_gain_and_bringing_down_a_loss(sentence, expect):
    assert got(sentence) == expect


def test_tally_lines_under_a_lead_with_a_window_count_over_it_and_under_totals_stay_totals():
    text = ("Russian losses over the past day, according to Ukraine's General Staff:\n"
            "tanks - 14;\nartillery systems - 31;\nhelicopters - 1.")
    assert dated(text) == [("losses.equipment.tanks", "RU", 14, "2024-06-11..2024-06-12"),
                           ("losses.equipment.artillery", "RU", 31, "2024-06-11..2024-06-12"),
                           ("losses.equipment.helicopters", "RU", 1, "2024-06-11..2024-06-12")]
    text = ("Total Russian losses since the invasion, according to Ukraine's General Staff:\n"
            "tanks - 9,100;\nartillery systems - 19,500;\nhelicopters - 330.")
    assert dated(text) == [("losses.equipment.tanks", "RU", 9100, "2024-06-12"),
                           ("losses.equipment.artillery", "RU", 19500, "2024-06-12"),
                           ("losses.equipment.helicopters", "RU", 330, "2024-06-12")]


def test_total_casualties_are_losses():
    text = "Kyiv estimates that Russian forces have suffered about 41,000 total casualties near Avdiivka since October.\n"
    assert got(text) == [("losses.personnel", "RU", 41000)]


def test_a_figure_in_brackets_converts_only_the_figure_right_before_it():
    text = ("Ukrainian troops retook 12 villages and about 40 square miles (104 square kilometres) near Robotyne in "
            "June, the brigade said.\n")
    assert sorted(got(text)) == [("area.gained", "UA", 104), ("settlements.captured", "UA", 12)]


def test_a_share_compared_against_one_at_a_date_is_a_level_at_that_date():
    text = ("Nearly 30% of the Zaporizhzhia region is now held by Russian troops, the governor said, against 22% at "
            "the end of 2022.\n")
    ex = read_article(text.encode("utf-8"), "t.txt", ArticleMeta(published=PUB))
    shares = sorted((c.claim.value, c.claim.as_of) for c in ex.claims if c.claim.metric == "area.controlled.share")
    assert shares == [(22, dt.date(2022, 12, 31)), (30, PUB)]


def test_an_increment_printed_with_spaces_between_thousands_and_a_hyphenated_launcher():
    text = ("Russian forces have lost 611 200 (+1 340) soldiers and 1,240 (+2) multiple-launch rocket systems since the "
            "invasion, Ukraine's General Staff said.\n")
    ex = read_article(text.encode("utf-8"), "t.txt", ArticleMeta(published=PUB))
    assert [(c.claim.metric, c.claim.value, c.rule) for c in ex.claims] == [
        ("losses.personnel", 611200, "count"), ("losses.personnel", 1340, "increment"),
        ("losses.equipment.mlrs", 1240, "count"), ("losses.equipment.mlrs", 2, "increment")]


@pytest.mark.parametrize("ratio", ["seven to one", "7:1", "7 to 1"])
def test_a_ratio_to_one_is_no_item_of_the_list_before_it(ratio):
    text = (f"Since May, Russia has lost over 900 tanks and about 2,100 armoured vehicles near Avdiivka, a loss ratio "
            f"of {ratio}, Ukraine's General Staff said.")
    assert got(text) == [("losses.equipment.tanks", "RU", 900), ("losses.equipment.armored_vehicles", "RU", 2100)]


@pytest.mark.parametrize("sentence", [
    "For every Ukrainian soldier killed near Avdiivka, Russia loses about eight, the brigade commander said.",
    "For every one of our tanks, the enemy has lost roughly four, Kyiv's army chief claimed.",
])
def test_for_every_sets_a_ratio_not_a_count(sentence):
    assert got(sentence) == []


@pytest.mark.parametrize("space", [" ", "\u00a0", "\u2007", "\u2009", "\u202f"])
def test_digits_grouped_by_any_kind_of_space_are_one_figure(space):
    """Typesetting groups thousands with a thin or narrow no-break space as often as with a plain one."""
    assert got(f"Kyiv says Russia has lost 20{space}842 soldiers near Pokrovsk since August.") == [
        ("losses.personnel", "RU", 20842)]


@pytest.mark.parametrize("text,value", [("1.2 trillion roubles", 1.2e12), ("two trillion rounds", 2 * 10**12),
                                        ("3 billion dollars", 3 * 10**9)])
def test_a_trillion_is_a_scale_word_like_a_billion(text, value):
    from events.extract.numbers import figures

    assert [f.value for f in figures(text, 0, len(text))] == [value]
