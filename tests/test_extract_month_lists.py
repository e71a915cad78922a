"""Gains listed by month under a lead ("January - 427 km2, 14 settlements; February - ..."): each item a count over
its month, its metric read from its unit, its side from the lead. Sentences written for these tests."""

from __future__ import annotations

import datetime as dt

from events.extract import ArticleMeta, read_article

PUB = dt.date(2024, 5, 20)


def got(text: str, published: dt.date = PUB):
    ex = read_article((text + "\n").encode("utf-8"), "t.txt", ArticleMeta(published=published))
    return [(c.claim.metric, c.claim.party, c.claim.value, str(c.claim.period.start), str(c.claim.period.end),
             c.claim.claimant) for c in ex.claims]


def test_each_month_line_under_a_lead_of_gains_counts_over_its_month():
    text = ("Ukrainian units retook the following ground in 2023, according to the Black Bird Group:\n"
            "June - 110 km2, 6 villages;\n"
            "July - 95 km2, 4 villages;\n"
            "August - 58 km2, 2 villages.")
    assert got(text) == [
        ("area.gained", "UA", 110, "2023-06-01", "2023-06-30", "Black Bird Group"),
        ("settlements.captured", "UA", 6, "2023-06-01", "2023-06-30", "Black Bird Group"),
        ("area.gained", "UA", 95, "2023-07-01", "2023-07-31", "Black Bird Group"),
        ("settlements.captured", "UA", 4, "2023-07-01", "2023-07-31", "Black Bird Group"),
        ("area.gained", "UA", 58, "2023-08-01", "2023-08-31", "Black Bird Group"),
        ("settlements.captured", "UA", 2, "2023-08-01", "2023-08-31", "Black Bird Group"),
    ]


def test_months_in_one_sentence_read_alike_and_take_their_latest_year_up_to_publication():
    text = ("Monthly Russian advances: March - 301 square kilometres and 11 settlements; "
            "April - 244 square kilometres and 8 settlements; May - 160 square kilometres and 5 settlements, the analysts said.")
    assert got(text) == [
        ("area.gained", "RU", 301, "2024-03-01", "2024-03-31", "analysts"),
        ("settlements.captured", "RU", 11, "2024-03-01", "2024-03-31", "analysts"),
        ("area.gained", "RU", 244, "2024-04-01", "2024-04-30", "analysts"),
        ("settlements.captured", "RU", 8, "2024-04-01", "2024-04-30", "analysts"),
        ("area.gained", "RU", 160, "2024-05-01", "2024-05-20", "analysts"),  # the month under way: up to the report
        ("settlements.captured", "RU", 5, "2024-05-01", "2024-05-20", "analysts"),
    ]


def test_months_under_a_lead_that_names_no_gain_give_nothing():
    text = ("Russian recruitment offices signed these contracts last year:\n"
            "January - 31,000;\n"
            "February - 28,500;\n"
            "March - 30,200.")
    assert got(text) == []


def test_a_single_month_is_no_list():
    text = "Russian forces captured ground again. In the analysts' count: April - 244 km2."
    assert [m for m, *_ in got(text) if m.startswith("area")] == []
