"""Who speaks: relative clauses about the speaker, titles written two ways, statements referred back to.
Sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from events.extract import ArticleMeta, read_article
from tests.builders import read_claims

PUB = dt.date(2024, 6, 12)


def claims(text: str):
    return read_claims(text, PUB)


def test_a_relative_clause_describes_the_speaker_it_follows():
    got = claims("Colonel Andriy Melnyk, who leads the Khortytsia group of forces, said Russia had lost 8,200 soldiers "
                 "near Bakhmut since May.\n")
    assert [c.claimant for c in got] == ["Andriy Melnyk"]


def test_a_title_written_short_and_long_is_one_person():
    text = ("Col. Gen. Pavel Orlov told a briefing that Russian units had taken 112 square kilometres near Avdiivka "
            "this week.\n\n\"Ukraine's forces have lost about 9,000 soldiers there since March,\" the general said.\n")
    assert {c.claimant for c in claims(text)} == {"Pavel Orlov"}


def test_the_same_statement_is_its_speakers():
    text = ("The Russian Defence Ministry said the enemy had lost 310 soldiers near Kupiansk over the past day. "
            "According to the same statement, 14 Ukrainian armoured vehicles were destroyed there.\n")
    got = claims(text)
    assert [(c.value, c.claimant, c.party) for c in got] == [
        (310, "Russian Defence Ministry", "UA"), (14, "Russian Defence Ministry", "UA")]


def test_a_quotation_closed_by_the_statement_reads_is_the_last_speakers():
    text = ("The Russian Defence Ministry reported heavy fighting near Siversk on Thursday.\n\n"
            "\"Over the week, the enemy has lost up to 1,900 soldiers and 17 tanks in this direction,\" the statement "
            "reads.\n")
    got = claims(text)
    assert [(c.value, c.party, c.claimant) for c in got] == [
        (1900, "UA", "Russian Defence Ministry"), (17, "UA", "Russian Defence Ministry")]


def test_specified_and_summarised_report_like_said():
    got = claims("Some 640 Ukrainian soldiers were killed near Vovchansk since Monday, the Russian Defence Ministry "
                 "specified.\n")
    assert [c.claimant for c in got] == ["Russian Defence Ministry"]


def test_an_acronym_names_the_body_it_stands_for():
    got = claims("Russian forces took 390 square kilometres in Donetsk in May, the ISW said.\n")
    assert [c.claimant for c in got] == ["Institute for the Study of War (ISW)"]


def test_an_article_defines_an_acronym_in_brackets():
    text = ("The Kyiv-based Centre for Defence Strategies (CDS) published its annual estimate on Monday.\n\n"
            "Russia had about 470,000 troops in Ukraine by the end of May, the CDS said.\n")
    got = claims(text)
    assert [c.claimant for c in got] == ["Centre for Defence Strategies (CDS)"]


def test_a_press_service_and_a_brigade_speak():
    text = ("The 93rd brigade said its drone pilots had killed 46 Russian soldiers near Toretsk on Tuesday.\n\n"
            "According to the brigade's press service, 12 Russian tanks were destroyed there this week.\n")
    got = claims(text)
    assert [c.claimant for c in got] == ["brigade", "press service"]


def test_a_four_word_name_with_two_titles_and_a_relative_clause_is_the_person():
    got = claims("Brigadier General Petro Hrytsenko, who commanded the Khortytsia group, said Russia had lost 4,300 "
                 "soldiers near Bakhmut in May.\n")
    assert [c.claimant for c in got] == ["Petro Hrytsenko"]


def test_a_subject_with_a_that_clause_speaks():
    got = claims("Files from the Pentagon that surfaced online in April put Russian losses at 190,000 soldiers.\n")
    assert [c.claimant for c in got] == ["Pentagon"]


def test_a_body_that_keeps_a_count_speaks_as_the_subject_even_after_an_aside():
    text = ("The monitoring project Oryx, which relies on photographs and videos, has documented 3,100 Russian "
            "armoured vehicles destroyed since the invasion.\n\nIn total, the project lists 12,400 pieces of Russian "
            "equipment lost.\n")
    assert [c.claimant for c in claims(text)] == ["Oryx", "Oryx"]


def test_words_of_a_body_defined_by_its_acronym_are_not_a_person():
    got = claims("A paper released on May 2 by the Royal United Services Institute (RUSI) estimates that Russia has "
                 "lost about 460,000 soldiers killed or wounded.\n")
    assert [(c.claimant, c.as_of) for c in got] == [("Royal United Services Institute (RUSI)", dt.date(2024, 5, 2))]


def test_a_unit_of_a_side_speaks_for_that_side():
    got = claims("The 3rd Corps of Ukraine's Ground Forces said 140 soldiers had been eliminated by its units near "
                 "Lyman on Tuesday.\n")
    assert [c.party for c in got] == ["RU"]


def test_the_report_refers_back_to_the_report_not_to_the_last_speaker():
    text = ("A study released on April 8 by the Kyiv School of Economics (KSE) estimates that Russia has lost about 3,100 "
            "tanks since the invasion.\n\nIn February, Britain's defence ministry put Russian losses at 350,000 "
            "soldiers.\n\nThe study puts Ukraine's losses at about 1,200 tanks.\n")
    got = {c.value: (c.claimant, c.as_of) for c in claims(text)}
    assert got[1200] == (got[3100][0], dt.date(2024, 4, 8))
    assert got[350000][0] == "Britain's defence ministry"


def test_a_body_named_like_a_person_is_not_one():
    got = claims("The 5th Separate Assault Brigade of Ukraine's Ground Forces said 95 soldiers had been killed by "
                 "its drone crews near Toretsk on Sunday.\n")
    assert [(c.party, c.claimant) for c in got] == [("RU", "Separate Assault Brigade")]


def test_a_title_in_apposition_describes_the_person_named_before_it():
    got = claims("In March, Adm. Tony Radakin, the chief of the Defence Staff, said that about 450,000 Russian "
                 "soldiers had been killed or wounded.\n")
    assert [c.claimant for c in got] == ["Tony Radakin"]


def test_words_before_a_body_known_by_an_acronym_stay_with_it():
    got = claims("Russia has lost about 590,000 soldiers since the invasion, the ISW said.\n\nSome 2,100 North Korean "
                 "soldiers have been killed or wounded, South Korea's NIS said on Friday.\n")
    assert [c.claimant for c in got] == ["Institute for the Study of War (ISW)",
                                         "South Korea's National Intelligence Service (NIS)"]


def test_two_bodies_that_keep_a_count_together_speak_together():
    got = claims("Mediazona and the BBC Russian Service have identified 61,200 Russian soldiers killed since the "
                 "invasion.\n")
    assert [c.claimant for c in got] == ["Mediazona and the BBC Russian Service"]


def test_estimates_cited_by_the_newspaper_keep_its_date():
    text = ("The Financial Times reported in May that Ukraine had lost about 45,000 soldiers killed. Western "
            "intelligence estimates cited by the newspaper put Russian deaths at around 120,000.\n")
    got = {c.value: (c.claimant, c.as_of) for c in claims(text)}
    assert got[120000] == ("Western intelligence", dt.date(2024, 5, 31))


def test_a_body_after_an_opening_phrase_that_keeps_a_count_speaks():
    got = claims("By the end of April, the Russian service of the BBC had identified 58,300 Russian soldiers killed "
                 "in the war by name.\n")
    assert [c.claimant for c in got] == ["BBC"]


def test_concluded_and_suggests_report_like_said():
    got = claims("An analysis of probate records by Mediazona suggests that about 145,000 Russian soldiers have been "
                 "killed.\n")
    assert [c.claimant for c in got] == ["Mediazona"]


def test_an_aside_closed_by_the_comma_before_the_verb_is_not_the_speaker():
    got = claims("The estimate by Mediazona, which draws on the National Probate Registry and court records, puts "
                 "the number of Russian soldiers killed at about 150,000.\n")
    assert [c.claimant for c in got] == ["Mediazona"]


def test_by_a_bodys_own_count_names_it_without_dating_its_statement():
    text = ("In May, by DeepState's own count, Russian troops seized about 450 square kilometres.\n\n"
            "Ukraine still holds about 30% of the Donetsk region, DeepState said.\n")
    got = claims(text)
    assert [(c.claimant, c.as_of) for c in got] == [("DeepState", None), ("DeepState", PUB)]


def test_a_body_named_again_without_its_side_keeps_the_side_it_was_named_with():
    text = ("Ukraine's General Staff said on Tuesday that its morning summary was late.\n\n"
            "The General Staff said 52 tanks and 140 artillery systems were destroyed over the past week.\n")
    got = [(c.claim.metric, c.claim.party, c.claim.value, c.claim.claimant)
           for c in read_article(text.encode(), "t.txt", ArticleMeta(published=dt.date(2024, 6, 12))).claims]
    assert got == [("losses.equipment.tanks", "RU", 52, "General Staff"),
                   ("losses.equipment.artillery", "RU", 140, "General Staff")]


def test_a_body_named_with_both_sides_gives_no_side_to_its_bare_name():
    text = ("Russia's Defence Ministry and Ukraine's Defence Ministry traded claims on Tuesday.\n\n"
            "The Defence Ministry said 52 tanks were destroyed over the past week.\n")
    got = [c.claim for c in read_article(text.encode(), "t.txt", ArticleMeta(published=dt.date(2024, 6, 12))).claims]
    assert got == []


def test_according_to_nobody_in_particular_leaves_the_speaker_to_a_later_verb():
    text = ("Maj. Gen. Taras Hrytsenko, who leads the eastern grouping, briefed reporters on Monday.\n\n"
            "\u201cAccording to our estimates, the enemy lost about 1,800 servicemen near Siversk this month,\u201d "
            "the general said.\n")
    assert [c.claimant for c in claims(text)] == ["Taras Hrytsenko"]


def test_according_to_a_bodys_data_or_figures_names_the_body():
    text = ("About 30% of the Kharkiv region is held by Russian forces, according to the ISW data.\n\n"
            "Russia lost 900 soldiers near Vovchansk last week, according to Ukrainian General Staff figures.\n")
    assert [c.claimant for c in claims(text)] == ["Institute for the Study of War (ISW)", "Ukrainian General Staff"]


def test_according_to_available_information_names_nobody():
    assert [c.claimant for c in claims("Russia lost 900 soldiers near Vovchansk last week, according to "
                                       "available information.\n")] == [None]


def test_a_source_described_after_the_word_source_is_named_so_and_the_same_source_is_it():
    text = ("Russia now holds about 900 square kilometres of the Sumy region, a senior source in Ukraine's military "
            "intelligence told Reuters on Monday. Kyiv had lost some 300 soldiers there in May, the same source said.\n")
    assert {c.claimant for c in claims(text)} == {"source in Ukraine's military intelligence"}


def test_the_analysts_refer_back_to_the_body_that_spoke_before():
    text = ("Oryx, which counts only losses it can see in photographs, has recorded 3,200 Russian tanks destroyed.\n\n"
            "For Ukraine, 900 tanks have been confirmed as lost, the analysts said.\n")
    assert [c.claimant for c in claims(text)] == ["Oryx", "Oryx"]


@pytest.mark.parametrize("sentence,who,party", [
    ("“Russia lost 340 soldiers at the bridgehead this week,” said Col. Taras Hnatenko, a Ukrainian brigade "
     "spokesman.", "Taras Hnatenko", "RU"),
    ("Kyiv's forces lost 210 servicemen near Siversk over the past day, said Russia's Defence Ministry.",
     "Russia's Defence Ministry", "UA"),
    ("“The enemy has lost 75 tanks since June,” wrote Oksana Bilyk, the spokeswoman of Ukraine's southern "
     "command.", "Oksana Bilyk", "RU"),
])
def test_a_speaker_named_after_the_verb_is_the_claimant(sentence, who, party):
    got = claims(sentence + "\n")
    assert [(c.claimant, c.party) for c in got] == [(who, party)], got


def test_a_verb_followed_by_a_time_is_not_inverted():
    got = claims("Russia lost 340 soldiers at the bridgehead, the brigade said on Monday.\n")
    assert [c.claimant for c in got] == ["brigade"], got


def test_a_side_and_a_group_of_officials_speak_even_in_a_relative_clause():
    text = "Russia has massed 50,000 troops near Kupiansk, a number that Ukrainian commanders say is growing.\n"
    assert [c.claimant for c in claims(text)] == ["Ukrainian commanders"]
    text = "Russian forces lost 700 soldiers near Chasiv Yar last week, Ukrainian defence officials said.\n"
    assert [c.claimant for c in claims(text)] == ["Ukrainian defence officials"]


def test_a_surname_alone_names_a_person_but_a_place_or_a_month_does_not():
    assert [c.claimant for c in claims("Russia keeps about 600,000 troops in Ukraine, Hrytsenko said.\n")] == ["Hrytsenko"]
    assert [c.claimant for c in claims("According to Hrytsenko, Russia lost 900 soldiers near Siversk.\n")] == ["Hrytsenko"]
    assert [c.claimant for c in claims("Russia lost 900 soldiers near Siversk, Pokrovsk said.\n")] == [None]


def test_the_ministry_after_another_speaker_is_the_articles_ministry_not_that_speaker():
    text = ("Russia's Defence Ministry said its forces had destroyed 14 Ukrainian tanks near Kupiansk.\n\n"
            "According to the project, at least 88,000 Russian soldiers have been identified by name.\n\n"
            "Russian forces have taken 240 square kilometres near Kurakhove this month, the ministry said.\n")
    assert [c.claimant for c in claims(text)][-1] != "project"


def test_the_ministry_after_the_ministry_is_the_same_speaker():
    text = ("Russia's Defence Ministry said its forces had destroyed 14 Ukrainian tanks near Kupiansk.\n\n"
            "Ukraine also lost 95 servicemen there, the ministry said.\n")
    assert [c.claimant for c in claims(text)] == ["Russia's Defence Ministry"] * 2


@pytest.mark.parametrize("sentence,who", [
    ("The monitoring group Oryx, relying on photographs and video, has recorded 3,100 Russian tanks destroyed.",
     "Oryx"),
    ("Mediazona and BBC News Russian, working with volunteers, have identified 61,200 Russian soldiers killed.",
     "Mediazona and BBC News Russian"),
    ("Mediazona has identified by name 61,200 Russian soldiers killed, according to an update to its database.",
     "Mediazona"),
])
def test_a_body_that_counts_is_the_claimant_past_an_aside_or_a_vague_according_to(sentence, who):
    assert [c.claimant for c in claims(sentence + "\n")] == [who]


@pytest.mark.parametrize("text,claimant,party", [
    # a reporting body that gives or releases figures speaks for the sentences after it: "the enemy" is read from it
    ("The Russian Defence Ministry released its weekly summary on Sunday. The enemy lost up to 2,100 servicemen in "
     "the Kharkiv direction over the week.\n", "Russian Defence Ministry", "UA"),
    ("Ukraine's General Staff issued its morning report. The enemy lost 1,070 soldiers over the past day.\n",
     "Ukraine's General Staff", "RU"),
    # a person described with a side who briefed reporters is the "he" who speaks next
    ("Russian Defence Ministry spokesman Pavel Kirsanov briefed reporters on Thursday. The enemy lost about 380 "
     "troops near Siversk over the past day, he said.\n", "Pavel Kirsanov", "UA"),
])
def test_a_speaker_named_in_the_sentence_before_speaks_for_the_next(text, claimant, party):
    assert [(c.claimant, c.party) for c in claims(text)] == [(claimant, party)]
