"""When a figure holds: the date of the statement that reports it, not only the publication date.

Sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from events.model import Period
from tests.builders import read_claims

PUB = dt.date(2024, 6, 12)  # a Wednesday


def claims(text: str, published: dt.date | None = PUB):
    return read_claims(text, published)


def when(c):
    return c.as_of if c.period is None else (c.period.start, c.period.end)


@pytest.mark.parametrize("sentence,day", [
    ("Britain's defence ministry said in March that 350,000 Russian soldiers had been killed or wounded.",
     dt.date(2024, 3, 31)),
    ("The ministry put Russian losses at 350,000 soldiers, a senior official told Reuters on May 21.",
     dt.date(2024, 5, 21)),
    ("In February, Kyiv's military intelligence put the number of Russian troops in Ukraine at 470,000.",
     dt.date(2024, 2, 29)),
    ("On May 2, the governor said 2,300 Ukrainian soldiers had been taken prisoner since the invasion.",
     dt.date(2024, 5, 2)),
    ("The Russian Defence Ministry said on Monday that the enemy had lost 1,900 soldiers near Lyman since May.",
     dt.date(2024, 6, 10)),
    ("Kyiv's commander said last month that Russia had about 510,000 troops in Ukraine.", dt.date(2024, 5, 31)),
])
def test_a_statement_with_its_own_date_dates_its_figures(sentence, day):
    got = claims(sentence + "\n")
    assert len(got) == 1, got
    assert (got[0].period.end if got[0].period else got[0].as_of) == day


def test_a_time_phrase_later_in_a_long_clause_is_not_the_statement_date():
    got = claims("Ukraine pushed across the border into Belgorod in April, and Russian forces have taken back "
                 "about a third of the ground lost, the governor said.\n")
    assert [(c.metric, c.as_of) for c in got] == [("area.lost.share", PUB)]


def test_the_dateline_is_not_a_statement_date():
    got = claims("KYIV, June 10 - Russia has lost about 510,000 soldiers since the invasion, Ukraine's General Staff "
                 "said on Sunday.\n")
    assert [c.as_of for c in got] == [dt.date(2024, 6, 9)]


def test_a_statement_date_carries_to_the_rest_of_its_paragraph():
    text = ("In April, the defence minister said that 21,000 Ukrainian soldiers had been killed. In the same speech he "
            "said Russia had lost 160,000 soldiers killed.\n\nRussia has about 510,000 troops in Ukraine, the General "
            "Staff said.\n")
    got = claims(text)
    assert [(c.value, c.as_of) for c in got] == [(21000, dt.date(2024, 4, 30)), (160000, dt.date(2024, 4, 30)),
                                                   (510000, PUB)]


def test_a_month_window_bound_to_its_figure_keeps_its_own_month():
    got = claims("Russian troops lost 2,900 soldiers near Kharkiv in May, the Ukrainian General Staff said on Monday.\n")
    assert [when(c) for c in got] == [(dt.date(2024, 5, 1), dt.date(2024, 5, 31))]


def test_a_relative_window_ends_on_the_statement_date():
    got = claims("The Russian Defence Ministry said on Monday that the enemy had lost 420 soldiers over the past day.\n")
    assert [c.period for c in got] == [Period(dt.date(2024, 6, 9), dt.date(2024, 6, 10))]


@pytest.mark.parametrize("phrase,day", [
    ("as of late March 2024", dt.date(2024, 3, 31)),
    ("by mid-April 2024", dt.date(2024, 4, 20)),
    ("by early February", dt.date(2024, 2, 10)),
])
def test_part_of_a_month_dates_a_level(phrase, day):
    got = claims(f"Russian military deaths had reached about 64,000 {phrase}, the analysts said.\n")
    assert [c.as_of for c in got] == [day]


def test_in_early_month_is_its_first_third():
    got = claims("In early May, the general put Russian losses near Vovchansk at 3,600 soldiers.\n")
    assert [c.period.end if c.period else c.as_of for c in got] == [dt.date(2024, 5, 10)]


def test_a_time_phrase_before_when_dates_the_statement_it_introduces():
    got = claims("Moscow last gave a figure in March 2023, when the minister said 6,100 Russian soldiers had died.\n")
    assert [c.as_of for c in got] == [dt.date(2023, 3, 31)]


def test_a_month_of_last_year():
    got = claims("In May of last year, the Pentagon's chief told reporters that Russia had sustained 90,000 casualties.\n")
    assert [c.as_of for c in got] == [dt.date(2023, 5, 31)]


@pytest.mark.parametrize("sentence,start,end,region", [
    ("For comparison, the United States lost about 4,900 troops in Iraq between 2003 and 2011.",
     dt.date(2003, 1, 1), dt.date(2011, 12, 31), "Iraq"),
    ("About 14,000 Soviet soldiers were killed in Afghanistan (1979–1989).", dt.date(1979, 1, 1),
     dt.date(1989, 12, 31), "Afghanistan"),
])
def test_a_historical_comparison_keeps_its_years_and_place(sentence, start, end, region):
    got = claims(sentence + "\n")
    assert [(c.period.start, c.period.end, c.region) for c in got] == [(start, end, region)]


def test_a_statement_without_figures_dates_what_its_speaker_says_next():
    text = ("Ukraine's army chief Oleksandr Syrskyi said on Monday that his troops were holding their lines near "
            "Siversk. He said Russian losses there had passed 7,400 soldiers since March.\n")
    got = claims(text)
    assert [c.as_of for c in got] == [dt.date(2024, 6, 10)]


def test_a_statement_date_after_the_listener_and_on():
    got = claims("Russia has about 48,000 troops near Vovchansk, a Ukrainian commander told the BBC on May 30.\n")
    assert [c.as_of for c in got] == [dt.date(2024, 5, 30)]


def test_a_relative_window_at_the_head_counts_the_figures_and_keeps_the_statement_date():
    text = ("Russian forces have taken 210 square kilometres near Kharkiv, Gen. Pavel Orlov told a briefing on "
            "Monday.\n\nIn the previous three days alone, Orlov said, Ukrainian units had lost 1,700 soldiers "
            "there.\n")
    got = claims(text)
    assert [when(c) for c in got] == [dt.date(2024, 6, 10), (dt.date(2024, 6, 7), dt.date(2024, 6, 10))]


def test_a_date_inside_a_relative_clause_is_not_the_statements():
    got = claims("Gen. Pavel Orlov, who said on Sunday that the town had fallen, also claimed that Russia had lost "
                 "some 2,400 soldiers there.\n")
    assert [c.as_of for c in got] == [PUB]


def test_a_time_phrase_opening_a_clause_after_a_colon_dates_its_statement():
    got = claims("Western estimates were far higher: in April, British intelligence put Russia's dead at about "
                 "52,000.\n")
    assert [when(c) for c in got] in ([dt.date(2024, 4, 30)], [(dt.date(2024, 4, 1), dt.date(2024, 4, 30))])


@pytest.mark.parametrize("phrase,day", [
    ("The same day", dt.date(2024, 5, 20)),
    ("A day earlier", dt.date(2024, 5, 19)),
    ("Two days later", dt.date(2024, 5, 22)),
    ("The next day", dt.date(2024, 5, 21)),
])
def test_a_date_counted_from_the_statement_before(phrase, day):
    text = (f"The Russian Defence Ministry said on May 20 that its troops had taken a village near Lyman.\n\n"
            f"{phrase}, Ukraine's General Staff said Russia had lost 1,180 soldiers near Lyman over the past day.\n")
    got = claims(text)
    assert [c.period.end for c in got] == [day]


def test_another_speakers_own_statement_in_the_paragraph_is_not_dated_by_the_one_before():
    text = ("The minister said in March that Russia had lost 380,000 soldiers. Russia has about 600,000 "
            "troops in Ukraine, Ukraine's military intelligence says.\n")
    got = claims(text)
    assert [(c.value, c.as_of) for c in got] == [(380000, dt.date(2024, 3, 31)), (600000, PUB)]


def test_has_since_is_up_to_now_not_the_date_of_the_statement_before():
    text = ("Ukraine held about 1,300 square kilometres of the Kursk region on Aug. 20, the analysts said. Kyiv has "
            "since lost about 60% of that ground.\n")
    got = claims(text)
    assert [c.as_of for c in got if c.unit == "percent"] == [PUB]


def test_a_time_phrase_in_a_clause_of_its_own_after_the_figure_does_not_bind_it():
    got = claims("Kyiv has lost about 35% of the territory its troops took in March, a Ukrainian officer said.\n")
    assert [(c.metric, c.as_of, c.period) for c in got] == [("area.lost.share", PUB, None)]


def test_a_window_after_coordinated_figures_counts_each_of_them():
    got = claims("Russian units lost about 3,200 soldiers, counting the wounded, and 27 tanks around Toretsk in "
                 "April, the brigade said.\n")
    month = (dt.date(2024, 4, 1), dt.date(2024, 4, 30))
    assert [(c.value, when(c)) for c in got] == [(3200, month), (27, month)]


def test_a_date_in_the_speakers_own_phrase_dates_the_statement():
    got = claims("A study published on May 28 by the Royal United Services Institute estimates that Russia has lost "
                 "about 480,000 soldiers killed or wounded.\n")
    assert [c.as_of for c in got] == [dt.date(2024, 5, 28)]


def test_a_lone_one_before_the_time_phrase_is_not_the_first_figure():
    text = ("On May 30 the brigade said its drones had destroyed 14 Russian tanks. In one update this week, the "
            "brigade said Russian units had lost 230 soldiers over the previous day.\n")
    got = claims(text)
    assert [c.period.end for c in got if c.value == 230] == [PUB]


def test_over_the_month_is_the_month_named_before():
    text = ("The brigade published its results for April on Monday. Over the month, its drones destroyed 23 Russian "
            "tanks and 41 armoured vehicles.\n")
    april = (dt.date(2024, 4, 1), dt.date(2024, 4, 30))
    assert [when(c) for c in claims(text)] == [april, april]


def test_a_list_lead_counts_its_items_over_its_window():
    text = ("The brigade published its losses for May.\n\nRussian losses in the brigade's sector over the month, "
            "according to its press service:\n\n- 1,240 soldiers killed or wounded;\n- 19 tanks;\n- 33 armoured "
            "vehicles.\n")
    may = (dt.date(2024, 5, 1), dt.date(2024, 5, 31))
    assert [when(c) for c in claims(text)] == [may, may, may]


def test_an_operation_named_by_its_month_is_a_window():
    got = claims("Ukraine's May counterattack near Kharkiv killed about 1,900 Russian soldiers, the general said.\n")
    assert [when(c) for c in got] == [(dt.date(2024, 5, 1), dt.date(2024, 5, 31))]


def test_last_year_keeps_its_calendar_year_after_a_dated_statement():
    got = claims("Minsk, which Polish officials say moved about 4,500 soldiers to the border last year, admitted the "
                 "deployment only in May.\n")
    assert [when(c) for c in got] == [(dt.date(2023, 1, 1), dt.date(2023, 12, 31))]


def test_each_speakers_own_last_statement_dates_what_they_say_next():
    text = ("Gen. Pavel Orlov told a briefing on May 28 that Russia had lost 2,100 soldiers near Kharkiv.\n\n"
            "Ukraine's General Staff said on June 3 that Russian losses had passed 510,000.\n\n"
            "Russian units, Orlov said, had also lost 94 tanks there.\n")
    got = {c.value: c.as_of for c in claims(text)}
    assert got[94] == dt.date(2024, 5, 28)


def test_since_a_month_when_it_said_dates_that_statement():
    text = ("The Russian Defence Ministry said on Monday that the enemy had lost 1,200 soldiers.\n\n"
            "It has not updated its own death toll since March 2023, when it said 6,200 soldiers had been killed.\n")
    got = {c.value: c.as_of for c in claims(text)}
    assert got[6200] == dt.date(2023, 3, 1)


def test_a_time_phrase_after_as_x_said_dates_what_is_reported_not_the_statement():
    text = ("As the general pointed out, in March, it was confirmed that Russia planned an attack on Kharkiv. "
            "Russia has about 50,000 troops near the border, he said.\n")
    got = claims(text)
    assert [c.as_of for c in got] == [PUB]


def test_a_carried_speaker_does_not_take_a_date_for_later_paragraphs():
    text = ("Gen. Pavel Orlov said on June 3 that Russia had lost 2,300 soldiers near Vovchansk.\n\n"
            "As of late May, 41,000 Russian soldiers were deployed near Kharkiv.\n\n"
            "Russian units have lost 180 tanks there, Orlov said.\n")
    got = {c.value: c.as_of for c in claims(text)}
    assert got[180] == dt.date(2024, 6, 3)


def test_each_part_of_a_sentence_between_semicolons_keeps_its_own_date():
    got = claims("The brigade put Russian losses near Toretsk at 3,100 on Monday; by Friday, it said, that number had "
                 "climbed to 3,400.\n", published=dt.date(2024, 6, 14))
    assert [(c.value, c.as_of) for c in got] == [(3100, dt.date(2024, 6, 10)), (3400, dt.date(2024, 6, 14))]


def test_since_the_start_of_a_month_is_an_origin():
    got = claims("Since the beginning of April, Ukrainian drone units have destroyed 87 Russian tanks near Chasiv "
                 "Yar, their commander said.\n")
    assert [(c.since, c.as_of) for c in got] == [(dt.date(2024, 4, 1), PUB)]


@pytest.mark.parametrize("sentence,published,span", [
    ("Artillery crews of the 24th Brigade destroyed 31 Russian tanks last month, the brigade said.",
     dt.date(2024, 6, 12), (dt.date(2024, 5, 1), dt.date(2024, 5, 31))),
    ("Ukrainian forces lost 19 tanks near Chasiv Yar last month, the Russian ministry said.",
     dt.date(2025, 1, 3), (dt.date(2024, 12, 1), dt.date(2024, 12, 31))),
    ("Over the last month, air defence units shot down 40 Russian helicopters, the air force said.",
     dt.date(2024, 6, 12), (dt.date(2024, 5, 13), dt.date(2024, 6, 12))),
    ("Russia lost 2,900 soldiers near Avdiivka in the past month, the brigade said.",
     dt.date(2024, 3, 9), (dt.date(2024, 2, 8), dt.date(2024, 3, 9))),
])
def test_bare_last_month_is_the_calendar_month_before_and_the_last_month_is_thirty_days(sentence, published, span):
    got = claims(sentence + "\n", published)
    assert [when(c) for c in got] == [span], got


@pytest.mark.parametrize("phrase,published,span", [
    ("over the summer", dt.date(2024, 11, 20), (dt.date(2024, 6, 1), dt.date(2024, 8, 31))),
    ("during the winter", dt.date(2024, 2, 10), (dt.date(2023, 12, 1), dt.date(2024, 2, 10))),
    ("in the winter of 2022", dt.date(2024, 2, 10), (dt.date(2022, 12, 1), dt.date(2023, 2, 28))),
    ("last summer", dt.date(2024, 7, 15), (dt.date(2023, 6, 1), dt.date(2023, 8, 31))),
    ("last autumn", dt.date(2024, 3, 4), (dt.date(2023, 9, 1), dt.date(2023, 11, 30))),
    ("last winter", dt.date(2024, 7, 15), (dt.date(2023, 12, 1), dt.date(2024, 2, 29))),
    ("in the autumn", dt.date(2023, 10, 9), (dt.date(2023, 9, 1), dt.date(2023, 10, 9))),
])
def test_a_season_is_a_window_over_its_three_months(phrase, published, span):
    got = claims(f"Ukrainian forces destroyed 140 Russian tanks near Robotyne {phrase}, the brigade said.\n", published)
    assert [when(c) for c in got] == [span], got


def test_the_fall_of_a_town_is_no_season():
    got = claims("Since the fall of Avdiivka, Russian forces have lost 16,000 soldiers, the brigade said.\n",
                 dt.date(2024, 5, 2))
    assert [c.period for c in got] == [None], got


@pytest.mark.parametrize("phrase,day", [
    ("by the end of 2023", dt.date(2023, 12, 31)),
    ("by end of 2022", dt.date(2022, 12, 31)),
    ("at the end of last year", dt.date(2023, 12, 31)),
])
def test_the_end_of_a_year_dates_a_level_at_its_last_day(phrase, day):
    got = claims(f"Researchers counted 48,000 Russian soldiers killed {phrase}, the outlet said.\n")
    assert [when(c) for c in got] == [day], got


def test_since_the_end_of_a_year_starts_a_running_count():
    got = claims("Since the end of 2023, Russian forces have lost 2,100 tanks, the General Staff said.\n")
    assert [(c.since, c.as_of) for c in got] == [(dt.date(2023, 12, 31), PUB)], got


@pytest.mark.parametrize("sentence,expect", [
    # the month opens the sentence and a speech verb follows it: when the figure was given, not what it counts
    ("In April the Kremlin said Ukraine had lost 480,000 servicemen.", dt.date(2024, 4, 30)),
    ("In February, Western officials estimated Russia had lost 2,600 tanks.", dt.date(2024, 2, 29)),
    # a window that measures a span, or one the attribution only interrupts, still counts the figure
    ("Over the past week, the brigade said, Russian units lost 640 soldiers.", (dt.date(2024, 6, 5), PUB)),
    ("In May, the governor said, Russia lost 2,900 soldiers near Kharkiv.", (dt.date(2024, 5, 1), dt.date(2024, 5, 31))),
    # with the month after the figure, the figure is counted over it
    ("Russia lost 2,900 soldiers near Kharkiv in May, the governor said.", (dt.date(2024, 5, 1), dt.date(2024, 5, 31))),
])
def test_a_month_before_a_speech_verb_dates_the_statement_not_a_count(sentence, expect):
    [c] = claims(sentence + "\n")
    assert when(c) == expect


def test_now_after_a_window_makes_its_clause_a_level():
    text = ("Ukrainian commanders said their troops had advanced 12 square kilometres over the past week and now held 9 "
            "villages in the area.\n")
    got = {c.metric: when(c) for c in claims(text)}
    assert got == {"area.gained": (dt.date(2024, 6, 5), PUB), "settlements.controlled": PUB}


@pytest.mark.parametrize("phrase,published,span", [
    ("last February", dt.date(2024, 6, 12), (dt.date(2024, 2, 1), dt.date(2024, 2, 29))),
    ("last October", dt.date(2024, 6, 12), (dt.date(2023, 10, 1), dt.date(2023, 10, 31))),
    ("last June", dt.date(2024, 6, 12), (dt.date(2023, 6, 1), dt.date(2023, 6, 30))),
])
def test_last_and_a_month_is_the_latest_such_month_before_the_current_one(phrase, published, span):
    got = claims(f"Russian forces lost 9,300 soldiers around Vuhledar {phrase}, the brigade said.\n", published)
    assert [when(c) for c in got] == [span], got


def test_a_statement_made_last_and_a_month_is_dated_then():
    got = claims("The defence minister said last March that 1,900 Russian tanks had been destroyed.\n")
    assert [when(c) for c in got] == [dt.date(2024, 3, 31)], got


@pytest.mark.parametrize("part", ["early", "mid", "late"])
@pytest.mark.parametrize("published", [dt.date(2024, 6, 1), dt.date(2024, 6, 12), dt.date(2024, 6, 25)])
def test_a_part_of_the_month_of_publication_that_has_not_begun_is_last_years(part, published):
    """'In late June' in an article of June 12 is the late June that has been: a window never ends before it
    begins (it gave June 21 to June 12)."""
    from events.extract import ArticleMeta, read_article

    text = f"In {part} June, Russia lost 1,200 soldiers in Kursk, Kyiv said.\n"
    (c,) = [r.claim for r in read_article(text.encode(), "t.txt", ArticleMeta(published=published)).claims]
    assert c.period is not None and c.period.start <= c.period.end <= published
    begun = dt.date(2024, 6, {"early": 1, "mid": 11, "late": 21}[part]) <= published
    assert (c.period.start.year, c.period.start.month) == (2024 if begun else 2023, 6)
