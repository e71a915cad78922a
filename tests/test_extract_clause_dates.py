"""The clause layer and the dates bound through it: a figure is dated by its own clause, then the clauses that
govern it, then the sentence, never by a neighbouring clause. Sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from events.extract.clauses import split
from tests.builders import read_claims

PUB = dt.date(2025, 3, 19)  # a Wednesday
SAT, SUN, MON, TUE = (dt.date(2025, 3, d) for d in (15, 16, 17, 18))


def claims(text: str, published: dt.date | None = PUB):
    return read_claims(text, published)


def dated(text: str) -> dict:
    return {c.value: c.as_of for c in claims(text + "\n")}


def kinds(sentence: str) -> list[tuple[str, str]]:
    """(kind, text) of each clause's segments, in order."""
    cl = split(sentence, 0, len(sentence))
    out = []
    for k, (s, c) in enumerate(cl.segments):
        e = cl.segments[k + 1][0] if k + 1 < len(cl.segments) else len(sentence)
        if sentence[s:e].strip(" ,;"):
            out.append((cl.clauses[c].kind, sentence[s:e].strip(" ,;")))
    return out


@pytest.mark.parametrize("sentence,expect", [
    ("Kyiv lost 80 soldiers near Siversk on Saturday, while Moscow lost 260 soldiers near Lyman on Monday.",
     [("main", "Kyiv lost 80 soldiers near Siversk on Saturday"),
      ("coordinate", "while Moscow lost 260 soldiers near Lyman on Monday.")]),
    ("The drone unit hit 9 Russian tanks on Saturday and its gunners destroyed 14 Russian howitzers on Monday.",
     [("main", "The drone unit hit 9 Russian tanks on Saturday"),
      ("coordinate", "and its gunners destroyed 14 Russian howitzers on Monday.")]),
    ("The regiment, which lost 70 soldiers on Monday, still holds 12 villages.",
     [("main", "The regiment"), ("relative", "which lost 70 soldiers on Monday"), ("main", "still holds 12 villages.")]),
    ("The governor told reporters on Monday that 300 soldiers had died.",
     [("main", "The governor told reporters on Monday"), ("reported", "that 300 soldiers had died.")]),
    ("Moscow (which said on Sunday that it had lost 40 tanks) sent 5,000 troops.",
     [("main", "Moscow"), ("parenthetical", "(which said on Sunday"), ("reported", "that it had lost 40 tanks)"),
      ("main", "sent 5,000 troops.")]),
    ("Russia has lost 9,000 soldiers since the assault began on March 3, the brigade said.",
     [("main", "Russia has lost 9,000 soldiers"), ("origin", "since the assault began on March 3"),
      ("attribution", "the brigade said.")]),
])
def test_a_sentence_splits_into_its_clauses(sentence, expect):
    assert kinds(sentence) == expect


def test_items_after_a_colon_are_governed_by_their_lead():
    s = "On Tuesday the navy listed its losses: 4 boats sunk; 11 drones downed."
    cl = split(s, 0, len(s))
    lead = cl.at(s.index("navy"))
    assert cl.governs(lead, cl.at(s.index("4 boats"))) and cl.governs(lead, cl.at(s.index("11 drones")))
    assert cl.at(s.index("4 boats")) != cl.at(s.index("11 drones"))


def test_a_coordinated_enumeration_without_a_subject_stays_one_clause():
    s = "The ministry said 40 tanks and 12 howitzers were hit on Monday."
    assert [k for k, _ in kinds(s)] == ["main"]


@pytest.mark.parametrize("text,expect", [
    # a neighbouring clause's day is not the figure's
    ("Kyiv lost 80 soldiers near Siversk on Saturday, while Moscow lost 260 soldiers near Lyman on Monday, the monitor "
     "said.", {80: SAT, 260: MON}),
    ("The drone unit hit 9 Russian tanks on Saturday and its gunners destroyed 14 Russian howitzers on Monday.",
     {9: SAT, 14: MON}),
    ("Moscow lost 260 soldiers near Lyman on Saturday, and Kyiv lost 80 soldiers near Siversk, the monitor said.",
     {260: SAT, 80: PUB}),
    # a day in a relative clause or a parenthesis dates that clause's figures only
    ("The regiment, which lost 70 Russian soldiers on Monday, now has 3,000 troops near Kreminna, the governor said.",
     {70: MON, 3000: PUB}),
    ("Russia has about 45,000 troops near Kupiansk, a town that was shelled on Sunday, Kyiv's army said.",
     {45000: PUB}),
    ("Ukraine's army (which said on Sunday it had lost 90 soldiers) still holds 230 square kilometres of Kursk, "
     "Moscow said.", {90: SUN, 230: PUB}),
    # the clause that governs a reported statement, or the attribution after it, dates it
    ("The governor told reporters on Monday that 300 Russian soldiers had been killed near Vuhledar.", {300: MON}),
    ("About 300 Russian soldiers were killed near Vuhledar, the governor said on Monday.", {300: MON}),
    # the figure's own clause first, its statement's date after
    ("The governor said on Tuesday that 300 Russian soldiers were killed near Vuhledar on Sunday.", {300: SUN}),
    # a time phrase opening the sentence holds for all its clauses
    ("On Monday, Moscow lost 260 soldiers near Lyman, and Kyiv lost 80 soldiers near Siversk.", {260: MON, 80: MON}),
])
def test_a_figure_is_dated_by_its_own_clause_then_the_governing_one(text, expect):
    assert dated(text) == expect


@pytest.mark.parametrize("text", [
    "Russia has lost 950,000 soldiers since the full-scale invasion began on February 24, 2022, Kyiv said.",
    "Ukrainian forces have killed 21,000 Russian soldiers since the Kursk operation started on August 6, 2024, "
    "the commander said.",
    "Since Moscow launched its offensive on May 10, 2024, Russia has lost 38,000 soldiers near Kharkiv, Kyiv said.",
])
def test_a_date_in_a_clause_naming_the_origin_is_the_origin_not_the_report_date(text):
    got = claims(text + "\n")
    assert len(got) == 1 and got[0].as_of == PUB and got[0].since is not None and got[0].since < PUB


def test_a_relative_clause_saying_what_befell_the_counted_people_dates_them():
    got = claims("The United States lost about 2,400 American soldiers who died in Afghanistan between 2001 and 2021, "
                 "the Pentagon said.\n")
    assert [(c.period.start, c.period.end) for c in got] == [(dt.date(2001, 1, 1), dt.date(2021, 12, 31))]


def test_a_years_only_parenthesis_is_part_of_its_clause():
    got = claims("The United States lost about 36,000 service members in the Korean War (1950–1953), a historian said.\n")
    assert [(c.period.start, c.period.end) for c in got] == [(dt.date(1950, 1, 1), dt.date(1953, 12, 31))]


_WORDS = st.sampled_from(["which", "who", "that", "and", "since", "said", ",", ";", ":", "(", ")", " — ", "the",
                          "Russia", "lost", "began", "40", "soldiers", "on", "Monday", "while", "its", "units", "hit"])


@given(st.lists(_WORDS, max_size=60))
def test_every_position_lies_in_one_clause_whose_governors_are_earlier_clauses(words):
    s = " ".join(words)
    cl = split(s, 0, len(s))
    starts = [p for p, _ in cl.segments]
    assert starts == sorted(starts) and starts[0] == 0
    for pos in range(len(s)):
        chain = cl.chain(cl.at(pos))
        assert len(chain) == len(set(chain))  # no clause governs itself


def span(text: str, published: dt.date = PUB):
    got = claims(text + "\n", published)
    assert len(got) == 1, got
    c = got[0]
    return (c.period.start, c.period.end) if c.period else c.as_of


@pytest.mark.parametrize("text,expect", [
    ("Russian units lost 41,000 soldiers in the first four months of 2024, Kyiv said.",
     (dt.date(2024, 1, 1), dt.date(2024, 4, 30))),
    ("Russian units lost 88,000 soldiers in the second half of 2024, Kyiv said on Monday.",
     (dt.date(2024, 7, 1), dt.date(2024, 12, 31))),
    ("Russian units lost 52,000 soldiers in the first quarter of the year, Kyiv said.",
     (dt.date(2025, 1, 1), dt.date(2025, 3, 19))),  # not over yet: up to the publication
    ("Russian troops took 1,150 square kilometres in the fourth quarter, analysts said.",
     (dt.date(2024, 10, 1), dt.date(2024, 12, 31))),  # the latest fourth quarter begun by then
    ("Russian troops took 640 square kilometres in the last quarter of last year, analysts said.",
     (dt.date(2024, 10, 1), dt.date(2024, 12, 31))),
    ("Russia lost 23,000 soldiers between October and January, Kyiv said.",
     (dt.date(2024, 10, 1), dt.date(2025, 1, 31))),
    ("Russian troops took 780 square kilometres from August to November 2024, analysts said.",
     (dt.date(2024, 8, 1), dt.date(2024, 11, 30))),
    ("Russia lost 17,000 soldiers in January and February, Kyiv said.", (dt.date(2025, 1, 1), dt.date(2025, 2, 28))),
    ("Russia lost 30,000 soldiers in July–September 2024, Kyiv said.", (dt.date(2024, 7, 1), dt.date(2024, 9, 30))),
])
def test_windows_of_months_and_parts_of_a_year(text, expect):
    assert span(text) == expect


@pytest.mark.parametrize("text", [
    "Russia lost 61,000 soldiers in the first six months of the war, Kyiv said.",  # counted from another start
    "Russia lost 37,000 soldiers in the last six months, Kyiv said.",  # up to now, not July to December
])
def test_parts_of_something_else_are_not_parts_of_a_year(text):
    got = span(text)
    assert got == PUB or got[1] == PUB


def test_since_a_weekday_is_counted_up_to_the_report():
    got = claims("Since Saturday, Ukrainian drones have hit 26 Russian tanks near Pokrovsk, the General Staff said.\n")
    assert [(c.since, c.as_of) for c in got] == [(SAT, PUB)]


def test_a_statement_dated_by_since_a_month_when_keeps_that_month():
    got = claims("Kyiv has not published its own toll since November, when it put it at 2,300 killed.\n")
    assert [(c.as_of, c.since) for c in got] == [(dt.date(2024, 11, 1), None)]


def test_since_a_month_alone_starts_a_running_total_up_to_the_report():
    got = claims("Russia has lost 31,000 soldiers near Pokrovsk since February, Kyiv said.\n")
    assert [(c.as_of, c.since) for c in got] == [(PUB, dt.date(2025, 2, 1))]


def test_the_window_of_a_part_is_not_the_window_of_the_whole():
    got = claims("In January, the agency put the number of Russian soldiers killed since the invasion at about 150,000, "
                 "nearly 70,000 of them in 2024 alone.\n")
    whole = [c for c in got if c.value == 150000]
    assert [(c.period, c.as_of) for c in whole] == [(None, dt.date(2025, 1, 31))]


def test_a_look_back_in_the_past_perfect_does_not_date_the_speakers_later_statements():
    text = ("Ukraine's military intelligence told lawmakers on Tuesday that about 3,000 Russian soldiers had been "
            "killed near Kupiansk.\n\nIn December, Ukraine's military intelligence had estimated that 1,100 Russian "
            "soldiers had died there.\n\nRussia plans to send another 9,000 troops to the Kupiansk area, Ukraine's "
            "military intelligence said.\n")
    got = {c.value: c.as_of for c in claims(text)}
    assert got == {3000: TUE, 1100: dt.date(2024, 12, 31), 9000: TUE}  # the speaker's last statement of the day


@pytest.mark.parametrize("text,expect", [
    # a statement dated by a season, a part of a year, a time ago or its document's month
    ("Last spring, British intelligence estimated that Russia had 610,000 troops in Ukraine.", dt.date(2024, 5, 31)),
    ("In the summer of 2023, British intelligence estimated that Russia had 420,000 troops in Ukraine.",
     dt.date(2023, 8, 31)),
    ("Last winter, British intelligence estimated that Russia had 560,000 troops in Ukraine.", dt.date(2024, 2, 29)),
    ("In early 2024, British intelligence estimated that Russia had 470,000 troops in Ukraine.", dt.date(2024, 4, 30)),
    ("In mid-2023, British intelligence estimated that Russia had 410,000 troops in Ukraine.", dt.date(2023, 8, 31)),
    ("Two months ago, British intelligence estimated that Russia had 600,000 troops in Ukraine.", dt.date(2025, 1, 18)),
    ("Three weeks ago, British intelligence estimated that Russia had 600,000 troops in Ukraine.", dt.date(2025, 2, 26)),
    ("A January assessment by British intelligence put Russia's troops in Ukraine at 600,000.", dt.date(2025, 1, 31)),
    ("In its February update, British intelligence put Russia's troops in Ukraine at 600,000.", dt.date(2025, 2, 28)),
])
def test_statements_dated_by_seasons_parts_of_years_and_documents(text, expect):
    assert span(text) == expect


def test_a_season_counts_a_window():
    assert span("Russian troops took 1,900 square kilometres in the autumn of 2024, analysts said.") == (
        dt.date(2024, 9, 1), dt.date(2024, 11, 30))


@pytest.mark.parametrize("lead", ["Data as of 03.02.2025:", "Russian losses, February 2025:"])
def test_a_list_lead_dated_by_a_numeric_date_or_a_bare_month_hands_it_to_its_items(lead):
    got = claims(f"Kyiv reported new figures.\n\n{lead}\n• 1,300 Russian soldiers killed\n• 35 Russian tanks destroyed\n")
    assert len(got) == 2
    for c in got:
        day = c.as_of if c.period is None else c.period.end
        assert dt.date(2025, 2, 1) <= day <= dt.date(2025, 2, 28)


@pytest.mark.parametrize("text,expect", [
    ("Russia lost 26,000 soldiers in the three months to January, British intelligence said.",
     (dt.date(2024, 11, 1), dt.date(2025, 1, 31))),
    ("Russian troops took 900 square kilometres in the two months to the end of February, analysts said.",
     (dt.date(2025, 1, 1), dt.date(2025, 2, 28))),
    ("Russia lost 44,000 soldiers in the 12 months through September 2024, British intelligence said.",
     (dt.date(2023, 10, 1), dt.date(2024, 9, 30))),
    ("Russia lost 7,000 soldiers in the four weeks to February 20, Kyiv said.",
     (dt.date(2025, 1, 23), dt.date(2025, 2, 20))),
    ("At the beginning of February, Russia had 6,000 troops near Kupiansk, the governor said.", dt.date(2025, 2, 10)),
])
def test_windows_that_end_at_a_named_month_and_parts_of_a_month(text, expect):
    assert span(text) == expect


@pytest.mark.parametrize("text", [
    "The death toll among Russian soldiers since the full-scale invasion in February 2022 stood at 160,000, the "
    "report said.",
    "Russia has lost 160,000 soldiers since its full-scale invasion in February 2022, the report said.",
])
def test_the_month_of_an_origin_is_the_origins_not_a_window(text):
    got = claims(text + "\n")
    assert [(c.period, c.as_of, c.since) for c in got] == [(None, PUB, dt.date(2022, 2, 24))]


def test_a_statement_published_with_its_date_dates_the_list_that_follows():
    got = claims("The General Staff published new figures in February.\n\nRussian losses included:\n"
                 "• 1,400 soldiers killed\n• 38 tanks destroyed\n")
    assert [c.as_of for c in got] == [dt.date(2025, 2, 28)] * 2


@pytest.mark.parametrize("text,when", [
    ("The navy said on Tuesday that Russia had lost: 900 soldiers; 14 tanks; 22 artillery systems.", TUE),
    ("The navy said on Tuesday that Russian losses over the past day were: 900 soldiers; 14 tanks; 22 artillery "
     "systems.", (MON, TUE)),
    ("Russian losses over the past day, according to the navy's Tuesday update: 900 soldiers, 14 tanks and 22 "
     "artillery systems.", (MON, TUE)),
])
def test_items_of_a_list_after_a_colon_take_their_leads_cue_date_and_window(text, when):
    got = claims(text + "\n")
    assert sorted(c.metric for c in got) == ["losses.equipment.artillery", "losses.equipment.tanks", "losses.personnel"]
    assert {(c.period.start, c.period.end) if c.period else c.as_of for c in got} == {when}
    assert {c.party for c in got} == {"RU"}


def test_a_speaker_keeps_the_date_of_their_latest_statement_not_of_a_look_back_told_later():
    text = ("Ukraine's military intelligence told lawmakers on Tuesday that about 3,000 Russian soldiers had been "
            "killed near Kupiansk.\n\nIn December, Ukraine's military intelligence estimated that 1,100 Russian "
            "soldiers had died there.\n\nRussia plans to send another 9,000 troops to the Kupiansk area, Ukraine's "
            "military intelligence said.\n")
    got = {c.value: c.as_of for c in claims(text)}
    assert got == {3000: TUE, 1100: dt.date(2024, 12, 31), 9000: TUE}


def test_tally_lines_under_a_lead_naming_a_window_count_over_it():
    text = ("A brigade near Pokrovsk has published its results for February. Enemy losses in its area over the month, "
            "according to its press service:\n\n• personnel — 1,650 (killed and wounded);\n• tanks — 19;\n"
            "• artillery systems — 33.\n")
    got = [c for c in claims(text) if c.metric in ("losses.personnel", "losses.equipment.tanks")]
    assert sorted((c.metric, c.value) for c in got) == [("losses.equipment.tanks", 19), ("losses.personnel", 1650)]
    assert {(c.period.start, c.period.end) for c in got} == {(dt.date(2025, 2, 1), dt.date(2025, 2, 28))}


def test_tally_lines_under_a_running_total_lead_stay_levels():
    text = ("Russian losses since the start of the full-scale invasion, according to Ukraine's General Staff:\n\n• personnel — 450,000;\n• tanks — 8,900;\n• artillery systems — 13,100.\n")
    got = claims(text)
    assert got and all(c.period is None and c.as_of == PUB for c in got)
