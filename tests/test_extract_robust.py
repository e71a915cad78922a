"""Real-world text that once stopped the extractor: odd case mappings, the calendar's ends, a defect in one article."""

from __future__ import annotations

import datetime as dt

import pytest

import events.extract as extract
from events.extract import ArticleError, ArticleMeta, read_article
from events.extract.pool import read_many
from timeline import Timeline
from tests.builders import read_claims

PUB = dt.date(2024, 11, 20)


def claims(text: str, pub: dt.date | None = PUB):
    return read_claims(text, pub)


@pytest.mark.parametrize("odd", ["Akıncı", "İHA", "Kſ", "\u212aamikaze", "Straße"])
def test_a_word_whose_case_mapping_changes_length_does_not_stop_the_sentence(odd):
    """Lower-casing "İ" gives two characters and "\u212a" (Kelvin) folds to "k": the prefilters must not trip on them."""
    got = claims(f"{odd} units destroyed 14 Russian tanks in the past week and 3 more in 2024, Kyiv said.")
    assert ("losses.equipment.tanks", "RU", 14) in [(c.metric, c.party, c.value) for c in got]


# Sentences whose figures are read through vocabularies (cues, months, weekdays, seasons, qualifiers, fractions,
# dozens, windows, relative dates), with every letter that a case-insensitive pattern matches to a non-ASCII one
# swapped for it: "loſt", "KİLLED", "kılled", "\u212aamikaze".
LOOKUPS = [
    "Russia has lost 20,842 soldiers in Kursk since the start of the full-scale invasion, the ministry said.",
    "In early spring, Kyiv said, more than half a dozen tanks were destroyed over the past two weeks.",
    "On Tuesday the General Staff reported nearly 1,500 killed and wounded in the last 24 hours.",
    "Three days earlier, about two-thirds of the 11,000 troops were deployed to Kursk, officials said in mid-March.",
    "Ukraine lost up to 40 square kilometres in late summer, a week before the offensive, analysts said.",
    "Since February 24, 2022, Russia has lost several dozen aircraft and over 9,000 armoured vehicles.",
]
_SWAPS = {"s": "\u017f", "i": "\u0131", "I": "\u0130", "k": "\u212a", "K": "\u212a"}


@pytest.mark.parametrize("sentence", LOOKUPS)
@pytest.mark.parametrize("letter", sorted(_SWAPS))
def test_letters_a_regex_matches_case_insensitively_are_looked_up_as_it_matched_them(sentence, letter):
    odd = sentence.replace(letter, _SWAPS[letter])
    read = read_article(odd.encode("utf-8"), "t.txt", ArticleMeta(published=PUB))  # no KeyError on the way
    text = read.article.text
    assert all(text[slice(*c.evidence.span)] == c.evidence.quote for c in read.claims)


EDGES = [dt.date.min, dt.date(1, 1, 6), dt.date(1, 2, 1), dt.date(9999, 12, 1), dt.date.max]
PHRASES = ["in the past two weeks", "yesterday", "last year", "a year ago", "on Monday", "in December",
           "by the end of January", "this year", "overnight", "since the start of the full-scale invasion",
           "last month", "November 11-17", "in early January"]


@pytest.mark.parametrize("pub", EDGES)
@pytest.mark.parametrize("phrase", PHRASES)
def test_dates_at_the_ends_of_the_calendar_are_clamped_not_a_crash(pub, phrase):
    for c in claims(f"Russian forces lost 1,200 soldiers {phrase}, the General Staff said.", pub):
        if c.period is not None:
            assert c.period.start is None or dt.date.min <= c.period.start <= c.period.end <= dt.date.max


def test_a_defect_met_on_one_article_names_it_and_the_folder_goes_on(tmp_path, monkeypatch):
    real = extract.sentence_claims

    def failing(text, a, b, **kw):
        if "Pokrovsk" in text[a:b]:
            raise TypeError("a defect")
        return real(text, a, b, **kw)

    monkeypatch.setattr(extract, "sentence_claims", failing)
    with pytest.raises(ArticleError, match=r"^bad\.txt: cannot be read \(internal error, TypeError: a defect\)$"):
        read_article(b"Russia lost 40 tanks near Pokrovsk, Kyiv said.", "bad.txt", ArticleMeta(published=PUB))
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Russia lost 30 tanks near Kupiansk, Kyiv said.", encoding="utf-8")
    (folder / "b.txt").write_text("Russia lost 40 tanks near Pokrovsk, Kyiv said.", encoding="utf-8")
    (folder / "c.txt").write_text("Russia lost 50 tanks near Kurakhove, Kyiv said.", encoding="utf-8")
    with Timeline(tmp_path / "log.sqlite") as tl:
        report = tl.ingest([folder], published=None, workers=1)
    assert [(f.file, f.status) for f in report.files] == [("a.txt", "new"), ("b.txt", "error"), ("c.txt", "new")]
    assert "TypeError" in report.errors[0].message


def test_many_articles_are_drawn_from_the_folder_as_workers_free_up():
    """A folder is never read into memory at once: when the first result comes, most files are not yet read."""
    pulled = 0

    def jobs():
        nonlocal pulled
        for i in range(400):
            pulled += 1
            yield f"Russia lost {i + 1} tanks, Kyiv said.".encode(), f"a{i}.txt", ArticleMeta(published=PUB)

    results = read_many(jobs(), workers=2)
    first = next(results)
    assert first.claims[0].claim.value == 1 and pulled < 200
    assert [r.claims[0].claim.value for r in results] == list(range(2, 401))


def test_a_section_title_over_a_long_paragraph_is_not_a_teaser():
    text = ("Russia's losses mount\n\nKey findings\nA study published this week estimates that Russia has lost about "
            "470,000 soldiers killed or wounded since the invasion. The authors say the pace of losses has risen "
            "since the autumn, when Russian units began daily assaults on the eastern front with small groups of "
            "infantry.\n\nMethods\nThe figures combine official estimates with open-source counts.\n")
    got = read_article(text.encode(), "t.txt", ArticleMeta(published=dt.date(2024, 6, 12))).claims
    assert [c.claim.value for c in got] == [470000]
