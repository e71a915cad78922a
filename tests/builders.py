"""Events built by hand for tests: dated articles and claims, corrections, verdicts and claims entered by hand
(`article`, `claim`, ...), and articles with real text whose claims quote it at their spans (`quoted_article`,
`claim_in`, the issue's figures in `seed_like_log`), with the provenance a log of them gives."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

from events.codec import article_id, asserted_claim_id, claim_id, sha256
from events.model import (
    ArticleIngested,
    Claim,
    ClaimAsserted,
    ClaimCorrected,
    ClaimReported,
    ClaimReviewed,
    DatasetRow,
    Event,
    Evidence,
    Period,
    Source,
)
from events.store import MemoryStore
from projections.state import Basis
from timeline.provenance import Provenance, assemble

DAY0 = dt.date(2024, 11, 1)
_serial = itertools.count()


def serial() -> int:
    """A number not given before: a name or text of its own for each article built."""
    return next(_serial)


def day(n: int) -> dt.date:
    return DAY0 + dt.timedelta(days=n)


def article(file: str, published: dt.date | None, outlet: str | None = None, text: str | None = None) -> ArticleIngested:
    text = text if text is not None else f"article {file} #{next(_serial)}"
    return ArticleIngested(sha256(text), file, text, published, "manifest" if published else "unknown", outlet)


def claim(
    art: ArticleIngested | None,
    metric: str,
    party: str,
    value: int | float,
    *,
    region: str | None = "Kursk",
    qualifier: str = "exact",
    as_of: dt.date | None = None,
    period: tuple[dt.date | None, dt.date] | None = None,
    published: dt.date | None = None,
    unit: str = "persons",
    low: int | float | None = None,
    high: int | float | None = None,
    claimant: str | None = None,
    modality: str = "asserted",
    quote: str | None = None,
) -> ClaimReported:
    """A ClaimReported; `published` defaults to the article's publication date."""
    c = Claim(metric, party, value, unit, region, qualifier, low, high, as_of, None,
              None if period is None else Period(*period), claimant, art.outlet if art else None, modality)
    e = Evidence(quote or f"{value} {metric} #{next(_serial)}", art.article_id if art else None, (0, 1))
    return ClaimReported(claim_id(c, e), c, e, "test", published if published is not None or art is None else art.published)


def correction(target: ClaimReported | ClaimAsserted, reason: str, *, replacement_value: int | float | None = None,
               adjustment: int | float | None = None, published: dt.date | None = None,
               reviewer: str | None = None) -> ClaimCorrected:
    """A correction of `target`: a replacement with another value (same series and date), or an adjustment."""
    replacement = None
    if replacement_value is not None:
        c = target.claim
        replacement = Claim(c.metric, c.party, replacement_value, c.unit, c.region, c.qualifier, None, None, c.as_of,
                            c.since, c.period, c.claimant, c.outlet, c.modality)
    return ClaimCorrected(target.claim_id, reason, replacement, adjustment, published, reviewer)


def review(target: str, verdict: str, reviewer: str = "Ann Reviewer", note: str = "") -> ClaimReviewed:
    """A verdict on claim id `target`, at a time of its own so that repeating a verdict is a new event."""
    at = (dt.datetime(2025, 1, 1) + dt.timedelta(seconds=next(_serial))).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return ClaimReviewed(target, verdict, reviewer, at, note)


def asserted(metric: str, party: str, value: int | float, *, art: ArticleIngested | None = None,
             url: str | None = None, published: dt.date | None = None, region: str | None = "Kursk",
             as_of: dt.date | None = None, period: tuple[dt.date | None, dt.date] | None = None,
             qualifier: str = "exact", unit: str = "persons", modality: str = "asserted",
             reviewer: str = "Ann Reviewer", quote: str | None = None) -> ClaimAsserted:
    """A claim entered by hand, read in `art` (its publication date the report date) or at `url`."""
    c = Claim(metric, party, value, unit, region, qualifier, None, None, as_of, None,
              None if period is None else Period(*period), None, art.outlet if art else None, modality)
    if art is not None:
        source = Source(article_id=art.article_id, published=published if published is not None else art.published)
    else:
        source = Source(url=url or f"https://example.org/{next(_serial)}", outlet="Hand", published=published)
    return ClaimAsserted(asserted_claim_id(c, source, quote), c, source, reviewer, quote)


# Articles with real text, and claims with real spans into it.

D = dt.date.fromisoformat


def quoted_article(file: str, text: str, published: str | None, outlet: str | None = "Test Outlet") -> ArticleIngested:
    return ArticleIngested(article_id(text.encode("utf-8")), file, text, D(published) if published else None,
                           "manifest", outlet, f"title of {file}")


def claim_in(art: ArticleIngested, quote: str, metric: str, party: str, region: str | None, value: float,
             unit: str = "persons", *, as_of: str | None = None, period: tuple[str, str] | None = None,
             qualifier: str = "exact", low: float | None = None, high: float | None = None,
             claimant: str | None = "Claimant", modality: str = "asserted", occurrence: int = 0,
             rule: str = "test-rule") -> ClaimReported:
    """A claim whose evidence is the `occurrence`-th `quote` in the article's text."""
    start = -1
    for _ in range(occurrence + 1):
        start = art.text.index(quote, start + 1)
    c = Claim(metric=metric, party=party, value=value, unit=unit, region=region, qualifier=qualifier, low=low,
              high=high, as_of=D(as_of) if as_of else None,
              period=Period(D(period[0]), D(period[1])) if period else None,
              claimant=claimant, outlet=art.outlet, modality=modality)
    ev = Evidence(quote, art.article_id, (start, start + len(quote)))
    return ClaimReported(claim_id(c, ev), c, ev, rule, art.published)


def dataset_claim(metric: str, value: int, as_of: str, row: int, column: str = "col",
                  claimant: str = "Dataset Claimant", unit: str = "units") -> ClaimReported:
    c = Claim(metric=metric, party="RU", value=value, unit=unit, region="Ukraine", as_of=D(as_of),
              since=D("2022-02-24"), claimant=claimant)
    ev = Evidence(f"{column}: {value} ({as_of})", dataset=DatasetRow("https://example.org/repo", "0" * 40,
                                                                       "data.json", row, column))
    return ClaimReported(claim_id(c, ev), c, ev, "tally", D(as_of))


def provenance(events: Sequence[Event], as_of: str, known_at: str | None = None,
               position: int | None = None) -> Provenance:
    """The Provenance of a log built from `events`, by the reference fold."""
    store = MemoryStore()
    store.append(list(events))
    n = store.head() if position is None else position
    return assemble(store.read(), Basis(D(as_of), D(known_at) if known_at else None, n))


# The figures of the issue, in articles written for the tests.

KURSK_TEXT = (
    "As of November 5, the Russian army has suffered a loss of 20,842 individuals in the Kursk area, including "
    "7905 fatalities, 12,220 injuries and 717 captured individuals. Ukraine destroyed 1,101 units of equipment, "
    "including 54 tanks, 276 combat armored vehicles, 107 guns and mortars, 5 MLRS systems and 659 units of "
    "automotive equipment. The enemy has concentrated about 45,000 soldiers there."
)
REUTERS_TEXT = (
    "KYIV: Ukraine has lost over 40% of the territory it seized in August, a source said.\n"
    "\u201cAt most we controlled about 1,376 square kilometres, now of course this territory is smaller.\u201d\n"
    "\u201cNow we control approximately 800 square kilometers.\u201d Russia had deployed some 59,000 troops there."
)
KYIV_TEXT = "Russian forces have managed to reclaim around half of the territory initially lost."
TALLY_TEXT = "The military increased its running tally of Russian dead by 1,030 overnight to 133,190."

KURSK = quoted_article("kursk.txt", KURSK_TEXT, "2024-11-05", "Ukrainian site")
REUTERS = quoted_article("reuters.txt", REUTERS_TEXT, "2024-11-23", "Reuters")
KYIV = quoted_article("kyiv.txt", KYIV_TEXT, "2024-11-11", "The Kyiv Independent")
TALLY = quoted_article("tally.txt", TALLY_TEXT, "2023-02-07", "Reuters")

SYRSKYI = "Oleksandr Syrskyi"
SOURCE = "General Staff source"


def kursk_claims(total: bool = True) -> list[ClaimReported]:
    a, on = KURSK, "2024-11-05"
    out = [
        claim_in(a, "7905 fatalities", "losses.personnel.killed", "RU", "Kursk", 7905, as_of=on, claimant=SYRSKYI),
        claim_in(a, "12,220 injuries", "losses.personnel.wounded", "RU", "Kursk", 12220, as_of=on, claimant=SYRSKYI),
        claim_in(a, "717 captured", "losses.personnel.captured", "RU", "Kursk", 717, as_of=on, claimant=SYRSKYI),
        claim_in(a, "1,101 units", "losses.equipment", "RU", "Kursk", 1101, "units", as_of=on, claimant=SYRSKYI),
        claim_in(a, "54 tanks", "losses.equipment.tanks", "RU", "Kursk", 54, "units", as_of=on, claimant=SYRSKYI),
        claim_in(a, "276 combat", "losses.equipment.armored_vehicles", "RU", "Kursk", 276, "units", as_of=on,
                 claimant=SYRSKYI),
        claim_in(a, "107 guns", "losses.equipment.artillery", "RU", "Kursk", 107, "units", as_of=on, claimant=SYRSKYI),
        claim_in(a, "5 MLRS", "losses.equipment.mlrs", "RU", "Kursk", 5, "units", as_of=on, claimant=SYRSKYI),
        claim_in(a, "659 units", "losses.equipment.vehicles", "RU", "Kursk", 659, "units", as_of=on, claimant=SYRSKYI),
        claim_in(a, "about 45,000 soldiers", "troops.deployed", "RU", "Kursk", 45000, as_of=on, qualifier="about",
                 low=40500, high=49500, claimant=SYRSKYI),
    ]
    if total:
        out.insert(0, claim_in(a, "20,842 individuals", "losses.personnel", "RU", "Kursk", 20842, as_of=on,
                               claimant=SYRSKYI))
    return out


def reuters_claims() -> list[ClaimReported]:
    a, on = REUTERS, "2024-11-23"
    return [
        claim_in(a, "over 40% of the territory", "area.lost.share", "UA", "Kursk", 40, "percent", as_of=on,
                 qualifier="over", low=40, claimant=SOURCE),
        claim_in(a, "about 1,376 square kilometres", "area.controlled.peak", "UA", "Kursk", 1376, "km2", as_of=on,
                 qualifier="about", low=1238, high=1514, claimant=SOURCE),
        claim_in(a, "approximately 800 square kilometers", "area.controlled", "UA", "Kursk", 800, "km2", as_of=on,
                 qualifier="about", low=720, high=880, claimant=SOURCE),
        claim_in(a, "some 59,000 troops", "troops.deployed", "RU", "Kursk", 59000, as_of=on, qualifier="about",
                 low=53100, high=64900, claimant=SOURCE),
    ]


def kyiv_claims() -> list[ClaimReported]:
    return [claim_in(KYIV, "around half of the territory", "area.lost.share", "UA", "Kursk", 50, "percent",
                     as_of="2024-11-11", qualifier="about", low=45, high=55, claimant=None)]


def tally_claims() -> list[ClaimReported]:
    a = TALLY
    return [
        claim_in(a, "133,190", "losses.personnel.killed", "RU", "Ukraine", 133190, as_of="2023-02-07",
                 claimant="Ukrainian military"),
        claim_in(a, "1,030 overnight", "losses.personnel.killed", "RU", "Ukraine", 1030,
                 period=("2023-02-06", "2023-02-07"), claimant="Ukrainian military"),
    ]


def seed_like_log() -> list[Event]:
    """The issue's figures: Kursk losses, Reuters areas, the Kyiv share, the daily count."""
    return [KURSK, *kursk_claims(), REUTERS, *reuters_claims(), KYIV, *kyiv_claims(), TALLY, *tally_claims()]


def read_claims(text: str, published: dt.date | None, outlet: str | None = None) -> list:
    """The claims the extractor reads in `text`, an article with these details and no manifest row."""
    from events.extract import ArticleMeta, read_article

    meta = ArticleMeta(published=published, outlet=outlet)
    return [c.claim for c in read_article(text.encode("utf-8"), "t.txt", meta).claims]

