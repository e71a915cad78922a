"""Breakdowns by place under a lead that names what is counted, and lists of the dead counted by their names.
Sentences written for these tests."""

from __future__ import annotations

import datetime as dt

from events.extract import ArticleMeta, read_article

PUB = dt.date(2025, 5, 10)


def got(text: str):
    ex = read_article((text + "\n").encode("utf-8"), "t.txt", ArticleMeta(published=PUB))
    return [(c.claim.metric, c.claim.party, c.claim.value, c.claim.region, str(c.claim.as_of)) for c in ex.claims]


def test_each_line_of_a_breakdown_by_place_is_the_leads_metric_in_that_place():
    text = ("The register of Russian war dead, which volunteers began in 2022, held 98,000 names as of May 3. The "
            "regions with the most confirmed deaths were:\n\nDagestan – 3,100\nBuryatia – 2,950\nVolgograd region – "
            "2,400\n\nOfficers make up 6% of the list.")
    assert got(text) == [
        ("losses.personnel.killed", "RU", 98000, "Ukraine", "2025-05-03"),
        ("losses.personnel.killed", "RU", 3100, "Dagestan", "2025-05-03"),
        ("losses.personnel.killed", "RU", 2950, "Buryatia", "2025-05-03"),
        ("losses.personnel.killed", "RU", 2400, "Volgograd", "2025-05-03"),
    ]


def test_lines_under_a_lead_that_counts_no_casualties_are_not_a_breakdown():
    text = ("Russian regions paid very different signing bonuses this year. The largest, in thousands of roubles, "
            "were:\n\nDagestan – 3,100\nBuryatia – 2,950\nVolgograd region – 2,400")
    assert got(text) == []


def test_a_breakdown_whose_labels_are_not_places_is_left_alone():
    text = ("The register of Russian war dead listed these causes of deaths:\n\nartillery fire – 3,100\ndrone strikes "
            "– 2,950\nmines – 2,400")
    assert [v for m, p, v, r, d in got(text) if v in (3100, 2950, 2400)] == []


def test_names_count_the_dead_only_on_a_list_of_the_dead():
    assert got("Russia has lost 150,000 soldiers killed, Kyiv said.\n\nThe list of the dead, compiled by "
               "volunteers, contained 40,100 names this week.") == [
        ("losses.personnel.killed", "RU", 150000, "Ukraine", "2025-05-10"),
        ("losses.personnel.killed", "RU", 40100, "Ukraine", "2025-05-10")]
    assert got("The petition, started by Russian students, gathered 12,000 names in a week.") == []
