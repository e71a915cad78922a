"""Headlines: read for a figure only they print (a brief's item may carry its figure in its headline alone),
never for a figure the text under them repeats. Articles written for these tests."""

from __future__ import annotations

import datetime as dt

from events.extract import ArticleMeta, read_article

PUB = dt.date(2023, 3, 7)


def read(text: str):
    return read_article(text.encode("utf-8"), "t.txt", ArticleMeta(published=PUB)).claims


BRIEFS = """WORLD DESK | BRIEFS

Tuesday's items

Kyiv says Russian death toll passes 152,000

Ukraine's General Staff on Tuesday raised its running count of Russian soldiers killed since the invasion.

The figure could not be verified. -- Desk

Power restored to three cities

Engineers restored electricity after a night of strikes, the energy ministry said. -- Desk
"""


def test_a_figure_printed_only_in_a_headline_is_read_from_it():
    got = read(BRIEFS)
    assert [(c.claim.metric, c.claim.party, c.claim.value) for c in got] == [
        ("losses.personnel.killed", "RU", 152000)]
    (c,) = got
    assert c.evidence.quote in "Kyiv says Russian death toll passes 152,000"


REPEATED = """Russia lost 640 soldiers near Avdiivka in a day, Kyiv says

Russian forces lost 640 soldiers near Avdiivka over the past 24 hours, Ukraine's military said on Tuesday.
"""


def test_a_headline_that_repeats_its_body_gives_the_figure_once_from_the_body():
    got = read(REPEATED)
    assert [c.claim.value for c in got] == [640]
    assert "over the past 24 hours" in REPEATED[got[0].evidence.span[0]:] and got[0].evidence.span[0] > 60


PARTLY = """Moscow claims 900 Ukrainian troops killed over past 3 days

The Russian defence ministry said on Tuesday that 900 Ukrainian servicemen had been killed near Bakhmut.
"""


def test_a_headline_figure_the_body_repeats_is_not_read_again_beside_one_it_does_not():
    got = read(PARTLY)
    assert [c.claim.value for c in got] == [900]
    assert got[0].evidence.span[0] > PARTLY.index("\n")  # from the body's sentence, not the headline


TEASERS = """Russian losses near Kupiansk rise, Kyiv says

Russian forces lost 520 soldiers near Kupiansk over the past day, Ukraine's General Staff said on Tuesday.

Read next
Moscow says 80 Ukrainian drones downed over Belgorod
Kyiv reports 4,100 Russian troops killed in a week
"""


def test_headlines_with_no_text_under_them_are_teasers_and_are_not_read():
    assert [c.claim.value for c in read(TEASERS)] == [520]
    lone = TEASERS.replace("Read next\n", "")  # without the marker: still a run of headlines with no text
    assert [c.claim.value for c in read(lone)] == [520]
