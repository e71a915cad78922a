"""Who speaks: relative clauses about the speaker, titles written two ways, statements referred back to.
Sentences written for these tests."""

from __future__ import annotations

import datetime as dt

from events.extract import ArticleMeta, read_article

PUB = dt.date(2024, 6, 12)


def claims(text: str):
    return [c.claim for c in read_article(text.encode("utf-8"), "t.txt", ArticleMeta(published=PUB)).claims]


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
