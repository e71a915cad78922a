"""An article's metadata as of a log position, and what of it the claims read from the article follow.

ArticleIngested records the outlet, title, url and publication date an
article was read with; an ArticleMetadataCorrected event later in the log
sets some of them again, from its position on (a basis at an earlier
position sees the metadata as it was: the three clocks hold). Each correction
sets the fields it gives; the others stay as the last one left them.

What the claims of a corrected article follow, and what they keep:

- their report date, when it was the article's publication date as ingested
  (the report time of a claim is the publication date of the article that
  carries it, so a corrected date moves it, and with it `--known-at` and the
  "later report" tie rule);
- their outlet, when it was the article's outlet as ingested;
- never their valid dates: a date the extractor resolved against the old
  publication date ("yesterday") is part of what the claim says, recorded in
  its own event; a new fact about the article does not rewrite it. Such a
  claim is corrected as any claim is (`timeline review`, ClaimCorrected).

The fold (projections.fold), the provenance ledger and both read models apply
these rules through `follow`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from attrs import evolve, frozen

from projections.series import ClaimRow

FIELDS = ("outlet", "title", "url", "published")


@frozen
class ArticleMeta:
    """An article's metadata at a position (published as a date), with what it was ingested with."""

    outlet: str | None
    title: str | None
    url: str | None
    published: dt.date | None
    published_origin: str | None
    ingested_outlet: str | None
    ingested_published: dt.date | None

    @property
    def report(self) -> int | None:
        return None if self.published is None else self.published.toordinal()

    def changed(self) -> bool:
        return self.outlet != self.ingested_outlet or self.published != self.ingested_published


def meta_at(ingested: dict[Any, dict[str, Any]], corrections: Iterable[tuple[int, Any, dict[str, Any]]],
            position: int) -> dict[Any, ArticleMeta]:
    """The metadata of each article corrected by `position`: `ingested` holds each article's fields as read
    (outlet, title, url, published as a date, published_origin), `corrections` (position, article, fields set)
    in log order. Articles not in `ingested` (not in the log, or not yet) are left out."""
    out: dict[Any, ArticleMeta] = {}
    for p, article, fields in corrections:
        if p > position or article not in ingested:
            continue
        base = ingested[article]
        m = out.get(article) or ArticleMeta(base.get("outlet"), base.get("title"), base.get("url"), base.get("published"),
                                            base.get("published_origin"), base.get("outlet"), base.get("published"))
        given = {k: v for k, v in fields.items() if k in FIELDS and v is not None}
        if "published" in given:
            given["published_origin"] = "corrected"
        out[article] = evolve(m, **given)
    return out


def follow(row: ClaimRow, meta: ArticleMeta | None) -> ClaimRow:
    """A claim row of an article as of its corrected metadata: the report date and outlet it took from the
    article follow the article's; everything else, valid dates included, as recorded."""
    if meta is None:
        return row
    report, outlet = row.report, row.outlet
    ingested = None if meta.ingested_published is None else meta.ingested_published.toordinal()
    if report == ingested:
        report = meta.report
    if outlet == meta.ingested_outlet:
        outlet = meta.outlet
    if report == row.report and outlet == row.outlet:
        return row
    return row._replace(report=report, outlet=outlet)


def to_date(value: Any) -> dt.date | None:
    """A date from an ISO string, a date, or None."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def followed_values(rows: Iterable[tuple[int, ClaimRow, int | None]], basis: Any, standing: Any) -> tuple[dict, int]:
    """The value of each series among `rows` (series id, claim row as followed, retiring position), chosen as
    projections.fold chooses, and how many admitted rows have no valid date: what a read model answers for the
    series whose claims follow a corrected article, where its tables hold the report dates as recorded."""
    from projections.choose import choose

    series: dict[int, list[ClaimRow]] = {}
    undated = 0
    day = basis.as_of.toordinal()
    for sid, row, retired in rows:
        if not basis.admits(row, retired) or not standing.admits(row.claim_id, basis.reviewed):
            continue
        if row.valid is None:
            undated += 1
        elif row.valid <= day:
            series.setdefault(sid, []).append(row)
    values = {}
    for sid, rs in series.items():
        rs.sort(key=lambda r: r.valid, reverse=True)
        value = choose(rs, basis, standing.reviewed)
        if value is not None:
            values[sid] = value
    return values, undated
