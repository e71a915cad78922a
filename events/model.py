"""The event model: what was reported, as immutable values.

Events are the only source of truth. They are frozen so that nothing that has
been appended can be changed by accident in memory either.
"""

from __future__ import annotations

import datetime as dt
from typing import Union

from attrs import field, frozen
from attrs.validators import in_

Number = Union[int, float]

QUALIFIERS = ("exact", "about", "over", "under", "up_to", "nearly")
MODALITIES = ("asserted", "planned", "denied")
DATE_ORIGINS = ("text", "manifest", "option", "inferred", "unknown", "corrected")
VERDICTS = ("confirmed", "rejected")
ASSERTED_RULE = "asserted"  # the rule an asserted claim shows where an extracted one names its extraction rule


@frozen
class Period:
    """A window a count was made over; both ends inclusive."""

    start: dt.date | None
    end: dt.date


@frozen
class DatasetRow:
    """Evidence that comes from a row of a published dataset, not an article."""

    repository: str
    commit: str
    file: str
    row: int
    column: str


@frozen
class Evidence:
    """Where a claim was read: an article span, or a dataset row."""

    quote: str
    article_id: str | None = None
    span: tuple[int, int] | None = None
    dataset: DatasetRow | None = None


@frozen
class Claim:
    """One reported figure: who said what number about what, valid when."""

    metric: str
    party: str
    value: Number
    unit: str
    region: str | None = None
    qualifier: str = "exact"
    low: Number | None = None
    high: Number | None = None
    as_of: dt.date | None = None
    since: dt.date | None = None
    period: Period | None = None
    claimant: str | None = None
    outlet: str | None = None
    modality: str = "asserted"

    @property
    def shape(self) -> str:
        """`window` for counts over a period, `level` for levels and running totals."""
        return "window" if self.period is not None else "level"

    @property
    def valid(self) -> dt.date | None:
        """The valid time: the as-of date, or the end of the period."""
        return self.period.end if self.period is not None else self.as_of


@frozen
class ArticleIngested:
    """An article as read: its exact text and what we know of its publication."""

    article_id: str
    file: str
    text: str
    published: dt.date | None
    published_origin: str
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    boilerplate: tuple[tuple[int, int], ...] = ()
    encoding: str = "utf-8"


@frozen
class ClaimReported:
    """A claim and the evidence it was extracted from."""

    claim_id: str
    claim: Claim
    evidence: Evidence
    rule: str
    published: dt.date | None = None
    signals: tuple[str, ...] = ()  # how the extractor found side, metric, date and claimant: what confidence rests on


@frozen
class ClaimRetracted:
    """An analyst's or a source's withdrawal of a claim; the claim stays in the log. `reviewer`: who withdrew it,
    when a person did (a retraction made before it was recorded names no one, and reads as it did)."""

    claim_id: str
    reason: str
    reviewer: str | None = None


@frozen
class ClaimCorrected:
    """A correction to a claim: a new event, never an edit of the old one."""

    claim_id: str
    reason: str
    replacement: Claim | None = None
    adjustment: Number | None = None
    published: dt.date | None = None
    reviewer: str | None = None  # the person who made it; None for a source's own correction or a dataset's


@frozen
class Source:
    """Where a person read a claim they enter by hand: an ingested article, or a page named by URL and outlet."""

    article_id: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: dt.date | None = None


@frozen
class ClaimAsserted:
    """A claim entered by a person, with its source: a claim like any other, with rule `asserted`."""

    claim_id: str
    claim: Claim
    source: Source
    reviewer: str
    quote: str | None = None


@frozen
class ClaimReviewed:
    """A person's verdict on a claim; the claim's own event is never touched, the last verdict is the word.

    `at` (UTC, ISO 8601) is part of the event so that a verdict given again
    after another (rejected, confirmed, rejected) is a new event, not a repeat.
    """

    claim_id: str
    verdict: str = field(validator=in_(VERDICTS))
    reviewer: str
    at: str
    note: str = ""


ARTICLE_FIELDS = ("outlet", "title", "url", "published")  # what ArticleMetadataCorrected can set


@frozen
class ArticleMetadataCorrected:
    """A person's correction of an article's metadata (a manifest that was wrong, or missing when it was read).

    The ArticleIngested event is never touched: from this event's position on,
    the article's outlet, title, url and publication date are the ones given
    here (None: as before). The claims read from the article keep the dates
    they were read with; what follows the article is only what was copied from
    its metadata: their report date and outlet (docs/review.md). `at`
    (UTC, ISO 8601) makes a correction made again after another a new event.
    """

    article_id: str
    reviewer: str
    at: str
    note: str = ""
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None

    def changes(self) -> dict[str, Any]:
        """The fields this correction sets, by name."""
        return {f: getattr(self, f) for f in ARTICLE_FIELDS if getattr(self, f) is not None}


Event = Union[ArticleIngested, ClaimReported, ClaimRetracted, ClaimCorrected, ClaimAsserted, ClaimReviewed,
              ArticleMetadataCorrected]

EVENT_TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (ArticleIngested, ClaimReported, ClaimRetracted, ClaimCorrected, ClaimAsserted, ClaimReviewed,
                ArticleMetadataCorrected)
}

SCHEMA_VERSION = 1
