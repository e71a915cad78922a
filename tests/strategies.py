"""Hypothesis strategies for events: the one place later tests draw them from."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from events.codec import article_id, asserted_claim_id, claim_id
from events.model import (
    ArticleIngested,
    ArticleMetadataCorrected,
    Claim,
    ClaimAsserted,
    ClaimCorrected,
    ClaimReported,
    ClaimRetracted,
    ClaimReviewed,
    DatasetRow,
    Evidence,
    Period,
    Source,
)

METRICS = [
    "losses.personnel", "losses.personnel.killed", "losses.personnel.wounded", "losses.personnel.captured",
    "losses.equipment", "losses.equipment.tanks", "area.controlled", "area.lost.share", "troops.deployed",
    "troops.planned", "settlements.controlled",
]
PARTIES = ["RU", "UA", "KP"]
REGIONS = ["Kursk", "Ukraine", "Donetsk", "eastern front", None]
UNITS = ["persons", "units", "km2", "percent", "settlements"]

dates = st.dates(min_value=dt.date(2022, 1, 1), max_value=dt.date(2026, 12, 31))
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
numbers = st.one_of(
    st.integers(min_value=0, max_value=10**12),
    st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False),
)


@st.composite
def periods(draw: st.DrawFn) -> Period:
    end = draw(dates)
    start = draw(st.one_of(st.none(), st.dates(min_value=dt.date(2021, 1, 1), max_value=end)))
    return Period(start, end)


@st.composite
def claims(draw: st.DrawFn) -> Claim:
    value = draw(numbers)
    windowed = draw(st.booleans())
    return Claim(
        metric=draw(st.sampled_from(METRICS)),
        party=draw(st.sampled_from(PARTIES)),
        value=value,
        unit=draw(st.sampled_from(UNITS)),
        region=draw(st.sampled_from(REGIONS)),
        qualifier=draw(st.sampled_from(["exact", "about", "over", "under", "up_to", "nearly"])),
        low=draw(st.one_of(st.none(), numbers)),
        high=draw(st.one_of(st.none(), numbers)),
        as_of=None if windowed else draw(st.one_of(st.none(), dates)),
        since=draw(st.one_of(st.none(), dates)),
        period=draw(periods()) if windowed else None,
        claimant=draw(st.one_of(st.none(), text)),
        outlet=draw(st.one_of(st.none(), text)),
        modality=draw(st.sampled_from(["asserted", "planned", "denied"])),
    )


hashes = st.binary(min_size=1, max_size=16).map(article_id)


@st.composite
def evidence(draw: st.DrawFn) -> Evidence:
    if draw(st.booleans()):
        start = draw(st.integers(0, 10_000))
        return Evidence(quote=draw(text), article_id=draw(hashes), span=(start, start + draw(st.integers(0, 500))))
    row = DatasetRow(draw(text), draw(text), draw(text), draw(st.integers(0, 10_000)), draw(text))
    return Evidence(quote=draw(text), dataset=row)


@st.composite
def articles(draw: st.DrawFn) -> ArticleIngested:
    body = draw(st.text(max_size=200))
    return ArticleIngested(
        article_id=article_id(body.encode("utf-8", "surrogatepass")),
        file=draw(st.from_regex(r"[a-z0-9_]{1,12}\.txt", fullmatch=True)),
        text=body,
        published=draw(st.one_of(st.none(), dates)),
        published_origin=draw(st.sampled_from(["text", "manifest", "option", "inferred", "unknown"])),
        outlet=draw(st.one_of(st.none(), text)),
        title=draw(st.one_of(st.none(), text)),
        url=draw(st.one_of(st.none(), text)),
        boilerplate=tuple(draw(st.lists(st.tuples(st.integers(0, 100), st.integers(100, 200)), max_size=3))),
    )


@st.composite
def claims_reported(draw: st.DrawFn) -> ClaimReported:
    claim = draw(claims())
    ev = draw(evidence())
    return ClaimReported(claim_id(claim, ev), claim, ev, draw(st.sampled_from(["list-item", "tally", "qualified-count"])),
                         draw(st.one_of(st.none(), dates)))


retractions = st.builds(ClaimRetracted, claim_id=hashes, reason=text, reviewer=st.none() | text)
corrections = st.builds(
    ClaimCorrected, claim_id=hashes, reason=text, replacement=st.one_of(st.none(), claims()),
    adjustment=st.one_of(st.none(), st.integers(-1000, 1000)), published=st.one_of(st.none(), dates),
    reviewer=st.one_of(st.none(), text),
)
reviewers = st.sampled_from(["Ann Reviewer", "B. Checker", "ö-editor"])
instants = st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2026, 12, 31)).map(
    lambda t: t.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
reviews = st.builds(ClaimReviewed, claim_id=hashes, verdict=st.sampled_from(["confirmed", "rejected"]),
                    reviewer=reviewers, at=instants, note=text)


@st.composite
def claims_asserted(draw: st.DrawFn) -> ClaimAsserted:
    claim = draw(claims())
    if draw(st.booleans()):
        source = Source(article_id=draw(hashes), published=draw(st.one_of(st.none(), dates)))
    else:
        source = Source(url=draw(text), outlet=draw(text), published=draw(dates))
    quote = draw(st.one_of(st.none(), text))
    return ClaimAsserted(asserted_claim_id(claim, source, quote), claim, source, draw(reviewers), quote)


article_corrections = st.builds(
    ArticleMetadataCorrected, article_id=hashes, reviewer=reviewers, at=instants, note=text,
    outlet=st.one_of(st.none(), text), title=st.one_of(st.none(), text), url=st.one_of(st.none(), text),
    published=st.one_of(st.none(), dates))

any_event = st.one_of(articles(), claims_reported(), retractions, corrections, claims_asserted(), reviews,
                      article_corrections)
event_lists = st.lists(any_event, max_size=12)
