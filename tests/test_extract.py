"""Behaviour of the claim extractor: units of the grammar, bad input, and properties over any text."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from events.extract import ArticleError, ArticleMeta, read_article
from events.extract.boilerplate import classify, ranges
from events.extract.dates import latest_weekday, resolve, find_dates, time_mentions
from events.extract.numbers import figures, interval
from events.extract.sentences import blocks, split_sentences
from tests.builders import read_claims

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
PUB = dt.date(2024, 11, 20)  # a Wednesday


def claims(text: str, published: dt.date | None = PUB):
    return read_claims(text, published)


def one(text: str, published: dt.date | None = PUB):
    got = claims(text, published)
    assert len(got) == 1, got
    return got[0]


def key(c):
    return (c.metric, c.party, c.value, c.unit, c.region, c.qualifier, c.as_of, c.period, c.since, c.claimant)


# --- figures and qualifiers -------------------------------------------------------------------

@pytest.mark.parametrize("text,value", [
    ("1,294", 1294), ("7905", 7905), ("1.5 million", 1_500_000), ("22.2 thousand", 22_200),
    ("three", 3), ("a hundred", 100), ("twenty-five", 25), ("a dozen", 12),
    ("half a million", 500_000), ("a quarter of a million", 250_000), ("a million", 1_000_000),
    ("1.5m", 1_500_000), ("700 000", 700_000), ("700\u00a0000", 700_000), ("2bn", 2_000_000_000),
])
def test_figures_read_as_printed(text, value):
    f = figures(text + " soldiers", 0, len(text) + 9)
    assert [x.value for x in f] == [value]


def test_metres_are_not_millions():
    assert claims("Russian troops advanced 500m in the Kursk region, analysts said.\n") == []
    assert [c.value for c in claims("Russia has lost 1.2m Russian soldiers, Kyiv said.\n")] == [1_200_000]


def test_fractions_are_shares_and_ranges_keep_both_ends():
    s = "a fifth of Ukraine and half of the territory, 200-300 troops"
    f = figures(s, 0, len(s))
    assert [(x.value, x.fraction) for x in f] == [(20, True), (50, True), (300, False)]
    assert (f[2].low, f[2].high, f[2].qualifier) == (200, 300, "up_to")


def test_dates_times_and_model_names_are_not_figures():
    s = "On Nov. 14, 2023 at 6:51 PM the F-16 flew 2-1/2 years after the 5th"
    assert [s[x.start:x.end] for x in figures(s, 0, len(s))] == ["14", "2023"]  # dates are dropped by the grammar


def test_figures_past_exact_float_integers_are_noise():
    s = "Russia has lost 1,294 soldiers 99999999999999999999999 and 1 - 99999999999999999999999"
    assert [x.value for x in figures(s, 0, len(s))] == [1294]


@pytest.mark.parametrize("phrase,qual,low,high", [
    ("over 100 troops", "over", 100, None), ("more than 100 troops", "over", 100, None),
    ("at least 100 troops", "over", 100, None), ("up to 100 troops", "up_to", None, 100),
    ("at most 100 troops", "up_to", None, 100), ("about 100 troops", "about", 90, 110),
    ("around 100 troops", "about", 90, 110), ("approximately 100 troops", "about", 90, 110),
    ("some 100 troops", "about", 90, 110), ("roughly 100 troops", "about", 90, 110),
    ("nearly 100 troops", "nearly", 90, 100), ("almost 100 troops", "nearly", 90, 100),
    ("fewer than 100 troops", "under", None, 100), ("100 troops", "exact", 100, 100),
    ("100+ troops", "over", 100, None), ("100-plus troops", "over", 100, None),
])
def test_qualifier_interval_table(phrase, qual, low, high):
    c = one(f"Russia has deployed {phrase} in the Kursk region, the General Staff said.")
    assert (c.qualifier, c.low, c.high) == (qual, low, high)
    assert interval(qual, 100) == (low, high)


@pytest.mark.parametrize("verb", ["exceeded", "surpassed", "topped"])
def test_a_verb_of_passing_a_figure_is_over(verb):
    c = one(f"Russia's losses in Ukraine have {verb} 700,000, the General Staff said.\n")
    assert (c.metric, c.qualifier, c.value) == ("losses.personnel", "over", 700000)


def test_one_qualifier_covers_two_coordinated_figures():
    got = claims("Russian forces have lost over 4,000 soldiers and 500 pieces of equipment, the commander said.")
    assert [(c.metric, c.value, c.qualifier) for c in got] == [
        ("losses.personnel", 4000, "over"), ("losses.equipment", 500, "over")]


# --- units -------------------------------------------------------------------------------------

@pytest.mark.parametrize("unit", ["km2", "km²", "square kilometers", "square kilometres", "sq km"])
def test_area_spellings_are_one_claim(unit):
    base = one("Ukrainian troops control 1,294 square kilometers in the Kursk region, the army chief said.")
    c = one(f"Ukrainian troops control 1294 {unit} in the Kursk region, the army chief said.")
    assert (c.metric, c.party, c.value, c.unit, c.as_of) == (base.metric, base.party, base.value, base.unit, base.as_of)
    assert (c.metric, c.party, c.value, c.unit) == ("area.controlled", "UA", 1294, "km2")


def test_bracketed_conversion_is_the_same_claim():
    got = claims("“Now we control approximately 800 square kilometers (309 square miles),” a Ukrainian military source said.")
    assert [(c.value, c.unit) for c in got] == [(800, "km2")]


@pytest.mark.parametrize("noun,metric", [
    ("tanks", "losses.equipment.tanks"), ("armored vehicles", "losses.equipment.armored_vehicles"),
    ("guns and mortars", "losses.equipment.artillery"), ("artillery systems", "losses.equipment.artillery"),
    ("MLRS", "losses.equipment.mlrs"), ("units of automotive equipment", "losses.equipment.vehicles"),
    ("helicopters", "losses.equipment.helicopters"), ("UAVs", "losses.equipment.drones"),
    ("pieces of equipment", "losses.equipment"),
])
def test_equipment_kinds(noun, metric):
    c = one(f"Ukrainian forces destroyed 12 {noun} near Pokrovsk on Monday, the General Staff said.")
    assert (c.metric, c.party, c.unit, c.region, c.as_of) == (metric, "RU", "units", "Pokrovsk", dt.date(2024, 11, 18))


def test_percent_share_of_territory():
    c = one("Russia occupies about 18% of Ukraine's territory.")
    assert (c.metric, c.party, c.value, c.unit, c.qualifier) == ("area.controlled.share", "RU", 18, "percent", "about")


# --- dates ---------------------------------------------------------------------------------------

def test_weekday_is_latest_on_or_before_publication():
    assert latest_weekday(1, PUB) == dt.date(2024, 11, 19)
    assert latest_weekday(2, PUB) == PUB
    c = one("Russia lost 1,200 troops on Tuesday, the General Staff said.")
    assert c.as_of == dt.date(2024, 11, 19)


def test_month_day_without_year_is_nearest_to_publication():
    (m,) = find_dates("as of Dec. 28", 0, 13)
    assert resolve(m, dt.date(2025, 1, 3)) == dt.date(2024, 12, 28)
    assert resolve(m, dt.date(2024, 12, 30)) == dt.date(2024, 12, 28)
    assert resolve(m, None) is None


def test_past_two_weeks_is_a_period():
    c = one("Russian forces lost over 4,000 soldiers over the past 2 weeks, the commander said.")
    assert c.as_of is None and (c.period.start, c.period.end) == (dt.date(2024, 11, 6), PUB)


def test_overnight_count_and_running_total():
    got = claims("The Ukrainian military increased its tally of Russian dead by 1,030 overnight to 133,190.")
    assert [(c.value, c.shape, c.claimant) for c in got] == [(1030, "window", "Ukrainian military"),
                                                             (133190, "level", "Ukrainian military")]
    assert got[0].period.start == dt.date(2024, 11, 19)


def test_since_origin_is_kept():
    c = one("Russia has lost 700,000 troops since the start of the full-scale invasion, the General Staff said.")
    assert (c.since, c.as_of, c.claimant) == (dt.date(2022, 2, 24), PUB, "General Staff")


def test_unknown_publication_keeps_relative_dates_unknown():
    c = one("Russia lost 1,200 troops over the past day, the General Staff said.", published=None)
    assert c.as_of is None and c.period is None


def test_time_mentions_kinds():
    s = "as of Nov. 5, overnight, now, since Oct. 1"
    kinds = [t.kind for t in time_mentions(s, 0, len(s), PUB, PUB)]
    assert kinds == ["as_of", "window", "now", "since"]


@pytest.mark.parametrize("text, as_of, period", [
    ("Russia lost 150,000 soldiers in 2024 alone, officials said.", None, (dt.date(2024, 1, 1), PUB)),
    ("In 2023, Russia lost 2,000 tanks, Oryx said.", None, (dt.date(2023, 1, 1), dt.date(2023, 12, 31))),
    ("Russia lost 300 tanks in February 2024, Oryx said.", None, (dt.date(2024, 2, 1), dt.date(2024, 2, 29))),
    ("By February 2024, Russia had lost 300 tanks, Oryx said.", dt.date(2024, 2, 29), None),
    ("By the end of October, North Korea had sent 11,000 troops to Russia, officials said.", dt.date(2024, 10, 31), None),
    ("Russia had 50,000 troops in Kursk as of December, officials said.", dt.date(2023, 12, 31), None),
    ("Russia lost 250,000 soldiers last year, Kyiv said.", None, (dt.date(2023, 1, 1), dt.date(2023, 12, 31))),
    ("Russia lost 430,000 soldiers over the past year, Kyiv said.", None, (PUB - dt.timedelta(days=365), PUB)),
    ("A year ago, Ukraine held 1,300 square kilometres of the Kursk region.", PUB - dt.timedelta(days=365), None),
    ("Russia lost 1,200 soldiers yesterday, Kyiv said.", PUB - dt.timedelta(days=1), None),
    ("Russia lost 40 drones last night, the air force said.", None, (PUB - dt.timedelta(days=1), PUB)),
])
def test_years_and_months_give_windows_and_dates(text, as_of, period):
    c = one(text + "\n")
    assert c.as_of == as_of
    assert (None if c.period is None else (c.period.start, c.period.end)) == period


def test_a_sentence_opening_with_by_and_a_date_is_not_a_byline():
    got = claims("By Tom Balmforth\n\nBy March 2024, Russia had lost 3,000 tanks, Oryx said.\n")
    assert [(c.value, c.as_of) for c in got] == [(3000, dt.date(2024, 3, 31))]


# --- sentences and boilerplate -----------------------------------------------------------------------

def test_sentence_splitting_knows_abbreviations():
    s = "Gen. Syrskyi spoke on Nov. 14 with U.S. officials. Then he left. It ended."
    assert [s[a:b] for a, b in split_sentences(s, 0, len(s))] == [
        "Gen. Syrskyi spoke on Nov. 14 with U.S. officials.", "Then he left.", "It ended."]


def test_list_items_are_items_with_their_lead():
    t = "Russia lost 100 soldiers, including:\n\n  • 40 killed;\n  * 60 wounded.\n- 3 captured\n1. 7 tanks\n"
    bl = blocks(t, classify(t))
    assert [b.item for b in bl] == [False, True, True, True, True]
    assert all(b.lead == 0 for b in bl[1:])


def test_boilerplate_lines_and_trailing_feed():
    t = ("Skip to content\nSubscribe\n\nRussia has lost 1,000 soldiers near Bakhmut in the past day, "
         "the General Staff said on Monday in its daily update.\n\nNews Feed\n\nRussia lost 99,999 tanks.\n"
         "Цей сайт використовує Cookies.\n")
    lines = classify(t)
    roles = [ln.role for ln in lines if ln.role != "blank"]
    assert roles == ["boiler", "boiler", "body", "boiler", "boiler", "boiler"]
    assert ranges(lines)[0] == (0, len("Skip to content\nSubscribe"))
    assert [c.value for c in claims(t)] == [1000]


def test_caption_and_teaser_are_boilerplate():
    t = ("Title of the piece\n\nUkraine says Russia lost 500 soldiers near Avdiivka on Monday, the army reported.\n"
         "Soldiers fire at positions on Nov. 3, 2023. (Photo by Someone/AFP via Getty Images)\n\n"
         "Other story headline\nThe figure surpasses the previous record of 1,770 soldiers lost.\n")
    roles = [ln.role for ln in classify(t) if ln.role != "blank"]
    assert roles == ["heading", "body", "boiler", "boiler", "boiler"]


def test_publication_date_from_byline_not_sidebar():
    t = ("Headline here\n\nby A Reporter November 14, 2023 6:51 PM\n\n"
         "Russia has lost 4,000 soldiers on the eastern front, the commander said on Nov. 14.\n\n"
         "Свіжі дописи\n\nSunday March 9th, 2025\n")
    art = read_article(t.encode(), "t.txt", ArticleMeta()).article
    assert (art.published, art.published_origin) == (dt.date(2023, 11, 14), "text")


def test_publication_inferred_from_body_dates():
    t = ("On August 6, 2024, the operation began in the Kursk region of Russia.\n\n"
         "As of November 5th, Russia has lost 20,842 soldiers in the Kursk area, Syrskyi said.\n\n"
         "Related news\n\nSunday March 9th, 2025\n")
    r = read_article(t.encode(), "t.txt", ArticleMeta())
    assert (r.article.published, r.article.published_origin) == (dt.date(2024, 11, 5), "inferred")
    assert r.claims[0].claim.as_of == dt.date(2024, 11, 5)


def test_no_dates_anywhere_is_unknown():
    art = read_article(b"Russia lost many soldiers, officials said.", "t.txt", ArticleMeta()).article
    assert (art.published, art.published_origin) == (None, "unknown")


# --- context and attribution ------------------------------------------------------------------------

def test_list_inherits_lead_party_region_date_and_claimant():
    t = ("As of November 5th, the Russian army has suffered a loss of 20,842 individuals in the Kursk area, "
         "Commander-in-Chief Oleksandr Syrskyi said, including:\n\n  • 7905 fatalities;\n  • 12,220 injuries;\n")
    got = claims(t, dt.date(2024, 11, 6))
    assert [(c.metric, c.party, c.region, c.as_of, c.claimant) for c in got[1:]] == [
        ("losses.personnel.killed", "RU", "Kursk", dt.date(2024, 11, 5), "Oleksandr Syrskyi"),
        ("losses.personnel.wounded", "RU", "Kursk", dt.date(2024, 11, 5), "Oleksandr Syrskyi")]


def test_attribution_from_next_paragraph_and_title_reference():
    t = ("During the operation in the Kursk region, the Russian army suffered a loss of over 20,000 personnel.\n\n"
         "The Commander-in-Chief of Ukraine's armed forces, Oleksandr Syrskyi, wrote that on Facebook.\n\n"
         "\"The enemy has concentrated about 45,000 soldiers there.\n\n"
         "They are trying to attract forces from North Korea,\" the Commander-in-Chief said.\n")
    got = claims(t)
    assert [(c.value, c.claimant, c.party) for c in got] == [(20000, "Oleksandr Syrskyi", "RU"),
                                                            (45000, "Oleksandr Syrskyi", "RU")]


def test_source_is_named_by_its_most_specific_mention():
    t = ("Ukraine has lost over 40% of the territory in Russia's Kursk region, a senior Ukrainian military source said.\n\n"
         "The Ukrainian General Staff source said about 11,000 North Korean troops had arrived in the Kursk region.\n")
    got = claims(t)
    assert {c.claimant for c in got} == {"Ukrainian General Staff source"}
    assert [(c.metric, c.party) for c in got] == [("area.lost.share", "UA"), ("troops.deployed", "KP")]


def test_a_trailing_title_is_named_by_its_own_clause():
    c = one("Ukraine holds about 800 square kilometres of the Kursk region, down sharply since August, "
            "a senior Ukrainian commander told reporters.\n")
    assert (c.metric, c.party, c.value, c.claimant) == ("area.controlled", "UA", 800, "senior Ukrainian commander")


@pytest.mark.parametrize("noun", ["Russian invaders", "occupiers", "Russians"])
def test_a_side_that_is_also_the_counted_noun(noun):
    c = one(f"Ukrainian forces killed 120 {noun} near Kupiansk, the military said.\n")
    assert (c.metric, c.party, c.value) == ("losses.personnel.killed", "RU", 120)


def test_its_forces_are_the_speakers_side():
    c = one("Russia's defence ministry said its forces had taken control of 10 settlements in the Donetsk region.\n")
    assert (c.metric, c.party, c.value, c.region) == ("settlements.captured", "RU", 10, "Donetsk")


@pytest.mark.parametrize("text", [
    "Russia launched 73 drones overnight, of which 59 were shot down, Ukraine's air force said.",
    "Russia launched 73 drones at Ukraine overnight, 59 of which were shot down, the air force said.",
])
def test_drones_launched_are_not_lost_and_those_shot_down_are(text):
    c = one(text + "\n", published=dt.date(2024, 12, 9))
    assert (c.metric, c.party, c.value) == ("losses.equipment.drones", "RU", 59)


def test_a_place_owning_the_territory_is_the_region():
    got = claims("Ukraine holds about 800 square kilometres of the Kursk region.\n\n"
                 "Russia now occupies about 18% of Ukraine's territory.\n")
    assert [(c.metric, c.party, c.region) for c in got] == [("area.controlled", "UA", "Kursk"),
                                                           ("area.controlled.share", "RU", "Ukraine")]


@pytest.mark.parametrize("text, metric, claimant", [
    ("About 1,000 North Korean soldiers have been killed or wounded in Kursk, a U.S. official said.",
     "losses.personnel", "U.S. official"),
    ("The Kremlin has deployed up to 12,000 North Korean troops, South Korea's spy agency said.",
     "troops.deployed", "South Korea's spy agency"),
    ("Russia has lost more than 3,500 tanks since February 2022, according to the Oryx open-source project.",
     "losses.equipment.tanks", "Oryx"),
    ("Officials estimate that around 40,000 Russian troops are massed near Kursk.", "troops.deployed", "Officials"),
    ("Russia has deployed two million troops to the front, Kyiv said.", "troops.deployed", "Kyiv"),
    ("North Korea could send up to 100,000 troops to Russia, Seoul said.", "troops.planned", "Seoul"),
    ("Russia is expected to deploy 50,000 more troops to Kursk, officials said.", "troops.planned", "officials"),
])
def test_trailing_and_leading_attributions(text, metric, claimant):
    c = one(text + "\n")
    assert (c.metric, c.claimant) == (metric, claimant)


def test_a_daily_general_staff_report():
    got = claims(
        "Russia has lost 723,970 troops in Ukraine since the beginning of its full-scale invasion on Feb. 24, 2022, "
        "the General Staff of Ukraine's Armed Forces reported on Nov. 18.\n\n"
        "This number includes 1,500 casualties Russian forces suffered over the past day.\n\n"
        "According to the report, Russia has also lost 9,352 tanks and 369 airplanes.\n",
        published=dt.date(2024, 11, 18))
    staff = "General Staff of Ukraine's Armed Forces"
    assert [(c.metric, c.party, c.value, c.as_of, c.since, c.claimant) for c in got] == [
        ("losses.personnel", "RU", 723970, dt.date(2024, 11, 18), dt.date(2022, 2, 24), staff),
        ("losses.personnel", "RU", 1500, None, None, staff),
        ("losses.equipment.tanks", "RU", 9352, dt.date(2024, 11, 18), None, staff),
        ("losses.equipment.aircraft", "RU", 369, dt.date(2024, 11, 18), None, staff),
    ]
    assert (got[1].period.start, got[1].period.end) == (dt.date(2024, 11, 17), dt.date(2024, 11, 18))


def test_a_range_of_days_is_a_window():
    c = one("Russian forces advanced roughly 235 square kilometers during the week of November 11-17, analysts said.\n")
    assert (c.period.start, c.period.end, c.claimant) == (dt.date(2024, 11, 11), dt.date(2024, 11, 17), "analysts")


def test_a_claimant_carries_to_the_next_paragraph_only():
    got = claims("Nearly 600,000 Russian soldiers have been killed or injured since the start of the war, "
                 "according to UK defence intelligence.\n\n"
                 "Ukraine's forces hold around 500 sq km of Russian territory in Kursk.\n\n"
                 "Russia controls roughly 112,000 square kilometres of Ukrainian land.\n")
    assert [(c.metric, c.region, c.claimant) for c in got] == [
        ("losses.personnel", "Ukraine", "UK defence intelligence"),
        ("area.controlled", "Kursk", "UK defence intelligence"),
        ("area.controlled", "Ukraine", None),
    ]


def test_since_a_month_and_year():
    c = one("Moscow has lost at least 50 aircraft since February 2022, officials said.\n")
    assert (c.since, c.qualifier, c.value) == (dt.date(2022, 2, 1), "over", 50)


def test_unattributed_and_outlets_kept_apart():
    t = ("It should be added that, according to available information, the contingent of the DPRK, numbering up to "
         "12,000 people, is training in the Eastern Military District.\n\n"
         "As the Financial Times reported on October 30, Russia has transferred about 3,000 troops from North Korea to the Kursk region.\n")
    r = read_article(t.encode(), "t.txt", ArticleMeta(published=PUB, outlet="Some Outlet"))
    got = [c.claim for c in r.claims]
    assert [(c.party, c.value, c.claimant, c.outlet, c.region) for c in got] == [
        ("KP", 12000, None, "Some Outlet", "Eastern Military District"),
        ("KP", 3000, "Financial Times", "Some Outlet", "Kursk")]
    assert got[1].as_of == dt.date(2024, 10, 30)


@pytest.mark.parametrize("sentence,expect", [
    ("Ukraine's forces shot down 45 of 60 drones overnight, the air force said.",
     ("losses.equipment.drones", "RU", 45, "air force")),
    ("Russian troops captured 3 villages in the Donetsk region over the past week, the ISW said.",
     ("settlements.captured", "RU", 3, "Institute for the Study of War (ISW)")),
    ("Moscow has deployed around 50,000 troops in the Kursk region, Zelenskiy said in his nightly address.",
     ("troops.deployed", "RU", 50000, "Volodymyr Zelenskiy")),
    ("The Russian Defense Ministry claimed its forces had killed up to 400 Ukrainian servicemen.",
     ("losses.personnel.killed", "UA", 400, "Russian Defense Ministry")),
    ("Russia plans to increase its forces in Ukraine to 700,000, Budanov told reporters.",
     ("troops.planned", "RU", 700000, "Kyrylo Budanov")),
    ("North Korea has sent more than 10,000 soldiers to Russia, the Pentagon said on Oct. 28.",
     ("troops.deployed", "KP", 10000, "Pentagon")),
])
def test_wire_style_sentences(sentence, expect):
    c = one(sentence)
    assert (c.metric, c.party, c.value, c.claimant) == expect


@pytest.mark.parametrize("sentence", [
    "The city had a pre-war population of 70,000 people and lies 30 km from the front line.",
    "Russian forces advanced 200-300 meters a day near Pokrovsk, firing thousands of shells.",
    "One of the targets was an arms depot about 110 km (70 miles) inside Russia.",
    "A Russian missile strike on Dnipro killed at least 12 civilians, officials said.",
    "The contingent includes three generals from the General Staff.",
    "Moscow hurls tens of thousands of soldiers into assaults, as it did in 2022.",
])
def test_non_claims(sentence):
    assert claims(sentence) == []


def test_headline_repeating_a_body_figure_is_emitted_once():
    t = ("Russia has lost over 4,000 soldiers on eastern front\n\n"
         "Russian forces have lost over 4,000 soldiers on the eastern front, the commander said.\n")
    got = read_article(t.encode(), "t.txt", ArticleMeta(published=PUB)).claims
    assert len(got) == 1 and got[0].evidence.span[0] > t.index("\n")


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_general_staff_tally_printed_as_label_lines(newline):
    text = ("The total combat losses of the enemy from February 24, 2022 to November 18, 2024 are approximately:\n\n"
            "personnel ‒ about 723,970 (+1,500) persons,\ntanks ‒ 9,352 (+5),\nair defense means ‒ 997 (+0),\n"
            "helicopters ‒ 329 (+0),\n\nThis was reported by the General Staff of the Armed Forces of Ukraine.\n")
    raw = text.replace("\n", newline).encode()
    got = read_article(raw, "t.txt", ArticleMeta(published=dt.date(2024, 11, 18))).claims
    day = (dt.date(2024, 11, 17), dt.date(2024, 11, 18))
    assert [(c.claim.metric, c.claim.value, c.claim.qualifier, c.claim.as_of, c.claim.since,
             c.claim.period and (c.claim.period.start, c.claim.period.end), c.evidence.quote) for c in got] == [
        ("losses.personnel", 723970, "about", dt.date(2024, 11, 18), dt.date(2022, 2, 24), None,
         "personnel ‒ about 723,970"),
        ("losses.personnel", 1500, "exact", None, None, day, "+1,500"),
        ("losses.equipment.tanks", 9352, "exact", dt.date(2024, 11, 18), dt.date(2022, 2, 24), None, "tanks ‒ 9,352"),
        ("losses.equipment.tanks", 5, "exact", None, None, day, "+5"),
        ("losses.equipment.helicopters", 329, "exact", dt.date(2024, 11, 18), dt.date(2022, 2, 24), None,
         "helicopters ‒ 329"),
    ]
    assert {(c.claim.party, c.claim.claimant) for c in got} == {("RU", "General Staff of the Armed Forces of Ukraine")}


@pytest.mark.parametrize("people", ["military personnel", "servicemen", "persons"])
def test_a_tally_line_may_name_its_people_after_the_figure_and_its_lead_may_date_in_digits(people):
    text = ("The total combat losses of the enemy from 24.02.2022 to 03.03.2025 are approximately:\n\n"
            f"personnel \u2012 about 868,200 (+1,230) {people};\ntanks \u2012 10,210 (+7);\nhelicopters \u2012 331 (+0);\n")
    got = read_article(text.encode(), "t.txt", ArticleMeta(published=dt.date(2025, 3, 4))).claims
    assert [(c.claim.metric, c.claim.value, c.claim.as_of or c.claim.period.end) for c in got] == [
        ("losses.personnel", 868200, dt.date(2025, 3, 3)), ("losses.personnel", 1230, dt.date(2025, 3, 3)),
        ("losses.equipment.tanks", 10210, dt.date(2025, 3, 3)), ("losses.equipment.tanks", 7, dt.date(2025, 3, 3)),
        ("losses.equipment.helicopters", 331, dt.date(2025, 3, 3))]


def test_label_lines_without_a_loss_lead_are_not_a_tally():
    text = "Figures for the region, as published by the statistics office:\n\ntanks ‒ 12,\nfarms ‒ 300,\nschools ‒ 40,\n"
    assert claims(text) == []


# --- bad input ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw,reason", [
    (b"", "empty"), (b"  \n\t\n", "empty"), (b"\x00\x01\x02binary\x00", "binary"),
    (bytes(range(256)) * 4, "binary"), (b"Subscribe\n* indicates required\n", "no readable"),
])
def test_bad_input_raises_one_line_article_error(raw, reason):
    with pytest.raises(ArticleError) as err:
        read_article(raw, "bad.txt", ArticleMeta())
    msg = str(err.value)
    assert msg.startswith("bad.txt: ") and reason in msg and "\n" not in msg


def test_non_utf8_falls_back_to_cp1252_with_a_warning():
    raw = "Russia lost 1,200 soldiers near Bakhmut on Monday, the General Staff said \u2013 officials.".encode("cp1252")
    r = read_article(raw, "w.txt", ArticleMeta(published=PUB))
    assert r.article.encoding == "cp1252" and "\u2013" in r.article.text
    assert any("cp1252" in w for w in r.warnings) and [c.claim.value for c in r.claims] == [1200]


def test_bom_is_stripped():
    r = read_article("\ufeffRussia lost 1,200 soldiers, the General Staff said.".encode("utf-8"), "b.txt", ArticleMeta(published=PUB))
    assert r.article.text.startswith("Russia") and r.article.encoding == "utf-8-sig"


# --- properties ---------------------------------------------------------------------------------------

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
PHRASES = st.sampled_from([
    "Russia has lost 1,294 soldiers", "killing 12 Russian troops", "over 40% of the territory", "about 800 km²",
    "more than 100 settlements", "Syrskyi said", "as of Nov. 5", "overnight", "\n\n", "• 54 tanks;", "(531 square miles)",
    "Subscribe", "“", "”", ". ", "the Kursk region", "according to the source", "99999999999999999999999",
    "The total combat losses of the enemy are:\n", "tanks ‒ 9,352 (+5),\n", "personnel ‒ about 723,970 (+1,500) persons,\n",
    "November 11-17", "in 2024", "by February 2024", "last year", "of which 59 were shot down", "By March 2024,",
    ", Kyiv said", "since February 2022", "killed or wounded", "its forces",
])


def _check(raw: bytes, pub=PUB):
    try:
        r = read_article(raw, "p.txt", ArticleMeta(published=pub))
    except ArticleError as err:
        assert "\n" not in str(err)
        return None
    for c in r.claims:
        assert c.evidence.quote == r.article.text[c.evidence.span[0]:c.evidence.span[1]]
        assert str(c.claim.value).replace(".", "") in c.evidence.quote.replace(",", "").replace(".", "") or c.claim.unit == "percent"
        assert c.claim.region is not None
    return r


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=400))
def test_any_unicode_text_reads_or_raises_article_error(s):
    _check(s.encode("utf-8", "surrogatepass"))


@settings(max_examples=40, deadline=None)
@given(st.lists(PHRASES, max_size=30), st.sampled_from([PUB, None]))
def test_phrase_soup_keeps_quotes_exact_and_is_deterministic(parts, pub):
    raw = " ".join(parts).encode()
    a, b = _check(raw, pub), _check(raw, pub)
    assert (a is None) == (b is None)
    if a is not None:
        assert a.claims == b.claims and a.article == b.article


@settings(max_examples=10, deadline=None)
@given(st.binary(min_size=1, max_size=2000))
def test_any_bytes_read_or_raise_article_error(raw):
    _check(raw)


def test_megabyte_of_noise_without_sentence_breaks():
    import random
    rnd = random.Random(7)
    words = ["Russia", "lost", "1,294", "soldiers", "km2", "over", "the", "Kursk", "region", "said", "and", "12"]
    raw = " ".join(rnd.choice(words) for _ in range(180_000)).encode()[:1_000_000]
    _check(raw)


BOILER = st.lists(st.sampled_from([
    "Subscribe", "* indicates required", "Skip to content", "Read more", "News Feed", "MORE NEWS", "Editors' Picks",
    "This audio is created with AI assistance", "Enter your email to subscribe", "Цей сайт використовує Cookies.",
    "Comments are closed.", "Advertisement",
]), min_size=1, max_size=6)


def _shape(r):
    return sorted(key(c.claim) + (c.evidence.quote, c.rule) for c in r.claims)


@pytest.mark.skipif(not SEEDS, reason="seeds not present")
@settings(max_examples=15, deadline=None)
@given(st.sampled_from(SEEDS) if SEEDS else st.nothing(), BOILER, BOILER)
def test_boilerplate_around_an_article_changes_nothing(path, before, after):
    raw = path.read_bytes()
    meta = ArticleMeta(published=dt.date(2024, 11, 20))
    base = read_article(raw, path.name, meta)
    assert base.claims
    padded = ("\n".join(before) + "\n\n").encode() + raw + ("\n\n" + "\n".join(after) + "\n").encode()
    got = read_article(padded, path.name, meta)
    assert _shape(got) == _shape(base)


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(["1,294", "1294"]), st.sampled_from(["km2", "km²", "square kilometers", "sq km"]),
       st.sampled_from(["about ", "over ", ""]))
def test_number_and_unit_spellings_give_the_same_claim(number, unit, qual):
    c = one(f"Ukrainian forces control {qual}{number} {unit} in the Kursk region, the General Staff said on Nov. 5.")
    assert (c.metric, c.party, c.value, c.unit, c.as_of, c.region) == (
        "area.controlled", "UA", 1294, "km2", dt.date(2024, 11, 5), "Kursk")


def test_each_article_is_independent_of_others():
    a = read_article(SEEDS[0].read_bytes(), SEEDS[0].name, ArticleMeta(published=PUB)) if SEEDS else None
    if a is None:
        pytest.skip("seeds not present")
    for p in SEEDS[1:]:
        read_article(p.read_bytes(), p.name, ArticleMeta())
    assert read_article(SEEDS[0].read_bytes(), SEEDS[0].name, ArticleMeta(published=PUB)) == a


# --- the seeds against the answer key ---------------------------------------------------------------------

@pytest.mark.shared
def test_seed_f1(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    from score_seeds import seed_claims

    out = tmp_path / "claims.json"
    out.write_text(json.dumps(seed_claims(ROOT / "seeds")), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(SHARED / "bin" / "score-claims"), str(SHARED / "gold" / "seeds.yaml"),
                           str(out), "--min-f1", "0.95"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    acc = proc.stdout.split("attribute accuracy over matched claims: ")[1].splitlines()[0]
    scores = dict((k, float(v)) for k, v in (p.split() for p in acc.split(", ")))
    assert scores["qualifier"] >= 0.9 and scores["region"] >= 0.9 and scores["claimant"] >= 0.9, acc
