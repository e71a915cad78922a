"""Extraction does work linear in the size of the text, on text built to defeat that.

Each example repeats a pathological piece (abbreviations, digits with commas, unclosed quotes and brackets, runs of
spaces, one endless line, ...) to a size n and to 4n and holds the work of reading the two articles to a linear
bound. Work is measured twice: as the number of function calls (exact and repeatable: a loop over earlier
sentences, spans or mentions shows here), and as CPU time compared between the two sizes only (a regular expression
that backtracks, or a slice taken again and again, does its extra work inside one call). Linear work grows about
four times from n to 4n, quadratic work sixteen times; the bounds sit well between, so load on the machine does not
decide the outcome. Speed itself is measured in bench/extract_linear.py, not here.
"""

from __future__ import annotations

import cProfile
import datetime as dt
import pstats
import time

from hypothesis import given, settings, strategies as st

from events.extract import ArticleError, ArticleMeta, read_article
from events.extract.lexicon import lexicon

META = ArticleMeta(published=dt.date(2024, 11, 20))
LEAD = "Russia lost 120 tanks in the Kursk region, the General Staff said.\n"

ABBREVIATIONS = st.sampled_from(["Gen. ", "Nov. 5, 2024 ", "U.S. ", "Mr. Smith said ", "A. ", "e.g. ", "No. 3 "])
DIGITS = st.builds(lambda n, sep: f"{n:,}".replace(",", sep) + " ", st.integers(1_000, 10**12),
                   st.sampled_from([",", ", ", " ", ".", ""]))
OPENERS = st.builds(lambda o, p: o + p, st.sampled_from(['"', "“", "(", "[", "‘"]),
                    st.sampled_from(["Russia lost 1,200 troops ", "the enemy lost ", "up to 40% of the territory ", ""]))
PHRASES = st.sampled_from([
    "Russian forces lost 1,200 troops near Kupiansk, the General Staff said, ", "in the past two weeks ",
    "killing 12 Russian troops ", "about 800 km² ", "more than 100 settlements ", "according to the source ",
    "the the source ", "tanks ‒ 9,352 (+5),\n", "• 54 tanks;\n", " * 5 tanks", "Kursk region. ", "(Photo: a/b",
    "Akıncı drones ", "since February 2022 ", "half of ", "twenty-five ", "1-2 ", "!", "...", ". ", "\n",
    "\n\nKyiv says 1,200 Russian troops killed\n\n", "\n\nBriefs\n\n",  # headings, in runs or with text under them
    # clauses: nested, coordinated, listed after a colon, each with a day of its own
    "(which lost 40 tanks on Monday ", ") ", "; 12 tanks on Sunday", ": 40 tanks lost; ", ", while Kyiv lost 9 tanks on Friday",
    ", who said on Monday that ", " since the war began on May 3, ",
])
SPACES = st.sampled_from([" " * 50, "\u00a0" * 20, "\t ", " \n "])
PIECES = st.lists(st.one_of(ABBREVIATIONS, DIGITS, OPENERS, PHRASES, SPACES), min_size=1, max_size=4).map("".join)

SIZE = 4_000  # characters of the smaller article; the larger one is four times as long


def _read(raw: bytes) -> None:
    try:
        read_article(raw, "p.txt", META)
    except ArticleError:
        pass


def _article(piece: str, size: int) -> bytes:
    return (LEAD + piece * max(1, size // len(piece))).encode("utf-8")


def _calls(raw: bytes) -> int:
    prof = cProfile.Profile()
    prof.runcall(_read, raw)
    return sum(s[1] for s in pstats.Stats(prof).stats.values())


def _cpu(raw: bytes) -> float:
    best = float("inf")
    for _ in range(3):
        t = time.process_time()
        _read(raw)
        best = min(best, time.process_time() - t)
    return best


@settings(max_examples=8, deadline=None)
@given(PIECES)
def test_extraction_work_is_linear_in_the_size_of_the_text(piece):
    lexicon()  # loaded once per process, not part of any article's work
    small, large = _article(piece, SIZE), _article(piece, 4 * SIZE)
    _read(small)  # patterns compiled on first use
    calls_small, calls_large = _calls(small), _calls(large)
    assert calls_large <= 5 * calls_small + 2_000, (piece, calls_small, calls_large)
    cpu_small, cpu_large = _cpu(small), _cpu(large)
    assert cpu_large <= 8 * cpu_small + 0.05, (piece, cpu_small, cpu_large)


def test_a_long_run_of_one_abbreviation_is_one_sentence_per_cut():
    """"Gen. Gen. ..." never ends a sentence; the splitter cuts it into bounded run-on pieces, reading it once."""
    from events.extract.sentences import MAX_SENTENCE, split_sentences

    text = "Gen. " * 2_000
    spans = split_sentences(text, 0, len(text))
    assert all(b - a <= MAX_SENTENCE for a, b in spans)
    assert len(spans) <= 2 * len(text) // MAX_SENTENCE + 1
    assert "".join(text[a:b] for a, b in spans).replace(" ", "") == text.replace(" ", "")


def test_sentence_ends_are_found_after_long_runs_of_terminators_and_brackets():
    from events.extract.sentences import split_sentences

    text = "Russia lost 5 tanks" + "!" * 1_000 + " Ukraine lost 2 tanks" + ")" * 1_000 + "x. Kyiv said 3."
    spans = split_sentences(text, 0, len(text))
    assert [text[a:b][:12] for a, b in spans] == ["Russia lost ", "Ukraine lost", "Kyiv said 3."]
