"""Fuzzing `ingest` with random mixes of war-report phrases, digits, punctuation and unicode.

Whatever the text and the publication date (the calendar's ends included), ingest never raises: an article is
read or refused with a one-line message naming it, the others of the folder are read all the same, and every
claim's quote is the article's text at its span. That the work stays linear in the size of the text is held by
tests/test_extract_linear.py on inputs built for it.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import given, settings, strategies as st

from timeline import Timeline

PHRASES = [
    "Russia has lost 1,294 soldiers", "killing 12 Russian troops", "over 40% of the territory", "about 800 km²",
    "more than 100 settlements", "Syrskyi said", "as of Nov. 5", "overnight", "in the past two weeks",
    "since the start of the full-scale invasion", "the enemy lost 340 servicemen", "Akıncı drones", "İzmir",
    "Gen. ", "U.S. ", "tanks ‒ 9,352 (+5),\n", "• 54 tanks;\n", "(531 square miles)", "according to the source",
    "last year", "a year ago", "in December", "by the end of October", "on Monday", "November 11-17", "yesterday",
    "The total combat losses of the enemy from February 24, 2022 to November 18, 2024 are approximately:\n",
    "half a million", "twenty-five", "2,000+ tanks", "1.5m soldiers", "700 000", "killed, wounded or captured",
    "in the last 24 hours", "half a dozen", "in early spring", "two-thirds of", "three days earlier", "on Tuesday",
]
PUNCTUATION = st.sampled_from(list(".,;:!?…()[]{}\"'“”‘’«»-–—‒/\\*•·%+#@&") + ["\n", "\n\n", " ", "\t", "\r\n"])
DIGITS = st.one_of(st.integers(0, 10**15).map(str), st.integers(0, 10**9).map("{:,}".format),
                   st.floats(0, 1e7, allow_nan=False).map(str))
UNICODE = st.text(st.characters(blacklist_categories=("Cs",)), max_size=8)
ODD_CASE = st.sampled_from(["İ", "ı", "ſ", "K", "ß", "ﬁ", "Σ", "ς", "\u0130\u0307", "ǅ"])
# A phrase with a letter swapped for one a case-insensitive pattern matches to it ("loſt", "KİLLED", "hourſ").
SWAPS = {"s": "\u017f", "i": "\u0131", "I": "\u0130", "k": "\u212a", "K": "\u212a"}
SWAPPED = st.tuples(st.sampled_from(PHRASES), st.sampled_from(sorted(SWAPS))).map(lambda t: t[0].replace(t[1], SWAPS[t[1]]))
PIECE = st.one_of(st.sampled_from(PHRASES), SWAPPED, PUNCTUATION, DIGITS, UNICODE, ODD_CASE)
ARTICLE = st.lists(st.one_of(PIECE, PIECE.map(lambda p: p + " ")), min_size=1, max_size=40).map("".join)
PUBLISHED = st.one_of(st.dates(), st.sampled_from([dt.date.min, dt.date.max, dt.date(1, 1, 6), dt.date(9999, 12, 1)]))


@settings(max_examples=25, deadline=None)
@given(st.lists(ARTICLE, min_size=1, max_size=3), PUBLISHED)
def test_ingest_never_raises_and_quotes_are_the_text_at_their_spans(texts, published):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        names = [f"a{i}.txt" for i in range(len(texts))]
        for name, body in zip(names, texts):
            (folder / name).write_bytes(body.encode("utf-8", "surrogatepass"))
        (folder / "manifest.csv").write_text(
            "file,published\n" + "".join(f"{n},{published.isoformat()}\n" for n in names), encoding="utf-8")
        with Timeline(Path(tmp) / "log.sqlite") as tl:
            report = tl.ingest([folder], workers=1)
            assert sorted(f.file for f in report.files) == names  # every file has its outcome, none is lost
            for f in report.errors:
                assert f.message and "\n" not in f.message and "internal error" not in f.message, f
            texts_by_file = {}
            for row in tl.store.read():
                if row.type == "ArticleIngested":
                    texts_by_file[row.event.article_id] = row.event.text
            for row in tl.store.read():
                if row.type == "ClaimReported":
                    ev = row.event.evidence
                    assert ev.quote == texts_by_file[ev.article_id][ev.span[0]:ev.span[1]]
