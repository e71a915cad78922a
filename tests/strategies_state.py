"""Builders and hypothesis strategies for state tests: small vocabularies, so that claims collide.

Few metrics, parties, regions, values and dates make ties, runs of the same
figure, retractions and corrections common enough to exercise every rule.
"""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import strategies as st

from events.codec import asserted_claim_id, claim_id, sha256
from events.model import (
    ArticleIngested,
    Claim,
    ClaimAsserted,
    ClaimCorrected,
    ClaimReported,
    ClaimReviewed,
    Evidence,
    Period,
    Source,
)

DAY0 = dt.date(2024, 11, 1)
_serial = itertools.count()


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


METRICS = ["troops.deployed", "area.controlled", "losses.personnel"]
PARTIES = ["RU", "UA"]
REGIONS = ["Kursk", None]
VALUES = [100, 200, 300]
QUALIFIERS = ["exact", "about", "over"]
SPAN = 12  # days in which every date falls

small_days = st.integers(min_value=0, max_value=SPAN - 1).map(day)


@st.composite
def claim_specs(draw: st.DrawFn) -> dict:
    """The parts of a claim, to be bound to an article when it is drawn."""
    kind = draw(st.sampled_from(["level", "level", "window", "undated"]))
    spec = {
        "metric": draw(st.sampled_from(METRICS)),
        "party": draw(st.sampled_from(PARTIES)),
        "value": draw(st.sampled_from(VALUES)),
        "region": draw(st.sampled_from(REGIONS)),
        "qualifier": draw(st.sampled_from(QUALIFIERS)),
        "modality": draw(st.sampled_from(["asserted"] * 5 + ["denied"])),
    }
    if kind == "level":
        spec["as_of"] = draw(small_days)
    elif kind == "window":
        end = draw(small_days)
        spec["period"] = (end - dt.timedelta(days=draw(st.integers(0, 3))), end)
    return spec


@st.composite
def articles_with_claims(draw: st.DrawFn, max_claims: int = 4) -> tuple[ArticleIngested, list[ClaimReported]]:
    """An article and its claims, as one ingest would append them."""
    published = draw(st.one_of(st.none(), small_days, small_days, small_days))
    art = article(f"a{next(_serial)}.txt", published, draw(st.sampled_from(["Reuters", "KI", None])))
    claims = [claim(art, **spec) for spec in draw(st.lists(claim_specs(), max_size=max_claims))]
    return art, claims


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


@st.composite
def bases(draw: st.DrawFn, head: int) -> tuple[dt.date, dt.date | None, int]:
    """A random (D, K, N): dates a little beyond the span on both sides, K None for latest."""
    d = day(draw(st.integers(min_value=-2, max_value=SPAN + 1)))
    k = draw(st.one_of(st.none(), st.integers(min_value=-1, max_value=SPAN).map(day)))
    n = draw(st.integers(min_value=0, max_value=head))
    return d, k, n
