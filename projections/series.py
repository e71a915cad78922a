"""Series, sections and the flat claim row that every projection path folds.

A series is (metric, party, region, shape): a level or running total (dated by
`as_of`) never competes with a count over a window (dated by its period end).
Both the SQLite read model and the reference fold reduce the log to these
rows, so the choice of a value (projections.choose) is one piece of code.
"""

from __future__ import annotations

import datetime as dt
from fnmatch import fnmatchcase
from functools import cache
from typing import NamedTuple, Union

from attrs import frozen

from events.vocabulary import metric_table

Number = Union[int, float]
SeriesKey = tuple[str, str, Union[str, None], str]

SECTIONS = metric_table().sections  # in the order `timeline asof` prints them (events/lexicons/metrics.json)


@cache
def section(metric: str, shape: str) -> str:
    """The section of `timeline asof` a series is printed under: the metric's entry in the vocabulary says."""
    return metric_table().section(metric, shape)


def series_order(key: SeriesKey) -> tuple:
    """Sections in reading order, then metric, party, region, shape."""
    metric, party, region, shape = key
    return (SECTIONS.index(section(metric, shape)), metric, party, region or "", shape)


def metric_matches(pattern: str, metric: str) -> bool:
    """`losses` matches losses and every losses.*; shell wildcards work too."""
    return metric == pattern or metric.startswith(pattern + ".") or fnmatchcase(metric, pattern)


@frozen
class Filters:
    """Which series a question is about; None means any."""

    metric: str | None = None
    party: str | None = None
    region: str | None = None

    def matches(self, metric: str, party: str, region: str | None) -> bool:
        if self.metric is not None and not metric_matches(self.metric, metric):
            return False
        if self.party is not None and party.casefold() != self.party.casefold():
            return False
        if self.region is not None and (region or "").casefold() != self.region.casefold():
            return False
        return True


class ClaimRow(NamedTuple):
    """One claim as the projections see it: its series, its three clocks, its figure and evidence.

    A named tuple with dates as day ordinals (`date.toordinal()`) rather than an
    attrs class with dates: `asof` builds one per row it reads, the read model
    stores dates as these integers, and they compare as the dates do.
    """

    metric: str
    party: str
    region: str | None
    shape: str
    claim_id: str
    position: int
    valid: int | None
    report: int | None
    value: Number
    low: Number | None
    high: Number | None
    qualifier: str
    unit: str
    claimant: str | None
    outlet: str | None
    modality: str
    article_id: str | None
    source: str | None  # the article's file name, or the dataset file of a dataset row
    as_of: int | None
    since: int | None
    period_start: int | None
    period_end: int | None
    rule: str | None

    @property
    def key(self) -> SeriesKey:
        return (self.metric, self.party, self.region, self.shape)

    @property
    def figure(self) -> tuple:
        """What makes two claims "the same figure": the number as printed and its unit.

        The qualifier is left out: "about 133,190" in the General Staff's tally
        and "133,190" in a wire story are one figure with two sources, not two
        figures competing. Among a figure's claims the tie rule still shows the
        tightest interval first.
        """
        return (self.value, self.unit)


def ordinal(d: dt.date | None) -> int | None:
    return None if d is None else d.toordinal()


def date_or_none(day: int | None) -> dt.date | None:
    return None if day is None else dt.date.fromordinal(day)


class _IsoDays(dict):
    """Day ordinal -> its ISO date text, each made once (the text of findings and graph nodes at scale)."""

    def __missing__(self, day: int) -> str:
        text = self[day] = dt.date.fromordinal(day).isoformat()
        return text


ISO_DAYS = _IsoDays()
