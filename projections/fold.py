"""The reference fold: the state at a basis from the whole log, in plain Python.

It is deliberately naive (it decodes every event and keeps everything in
memory) so that the SQLite read model can be checked against it. Rules it
shares with the read model:

- a claim enters the picture at its log position, and leaves it at the first
  position that retracts it or supersedes it (a ClaimCorrected carrying a
  replacement), whichever order those events come in;
- a replacement is a claim of its own, identified by the correction's event
  id, appended at the correction's position; its report date is the
  correction's `published`, else the target's, and it keeps the target's
  evidence when the target is already in the log;
- an adjustment-only correction is recorded and shown with the value of the
  claim it adjusts, but does not change that value;
- claims with no valid date (no as_of and no period) are kept and counted,
  never placed in a state; `denied` claims never enter a state either;
- an article's metadata corrected (ArticleMetadataCorrected) moves the
  report date and outlet its claims took from it, from the correction's
  position on; never their valid dates (projections.metadata);
- a claim a person entered (ClaimAsserted) is a claim like a reported one,
  with rule `asserted`, its source's publication date as report date, and
  its source the article's file, else the URL; reviews decide as
  projections.review says.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from attrs import evolve, field, frozen

from events.codec import decode
from events.envelope import Recorded
from events.model import (
    ASSERTED_RULE,
    ArticleIngested,
    ArticleMetadataCorrected,
    Claim,
    ClaimAsserted,
    ClaimCorrected,
    ClaimReported,
    ClaimRetracted,
    ClaimReviewed,
)
from projections.state import Adjustment, Basis, State, Value, ordered
from projections.choose import choose
from projections.metadata import ArticleMeta, follow, meta_at
from projections.review import standing
from projections.series import ClaimRow, Filters, SeriesKey, ordinal


def row_of(ev: ClaimReported | ClaimAsserted, position: int, files: dict[str, str]) -> ClaimRow:
    """A decoded ClaimReported (or ClaimAsserted) as a projection row."""
    if isinstance(ev, ClaimAsserted):
        s = ev.source
        source = (files.get(s.article_id) if s.article_id else None) or s.url
        return _row(ev.claim, ev.claim_id, position, s.published, s.article_id, source, ASSERTED_RULE)
    e = ev.evidence
    source = files.get(e.article_id) if e.article_id else None
    if source is None and e.dataset is not None:
        source = e.dataset.file
    return _row(ev.claim, ev.claim_id, position, ev.published, e.article_id, source, ev.rule)


def _row(c: Claim, claim_id: str, position: int, published: Any, article_id: str | None, source: str | None,
         rule: str) -> ClaimRow:
    return ClaimRow(
        claim_id=claim_id, position=position, metric=c.metric, party=c.party, region=c.region,
        shape=c.shape, valid=ordinal(c.valid), report=ordinal(published), value=c.value, low=c.low, high=c.high,
        qualifier=c.qualifier, unit=c.unit, claimant=c.claimant, outlet=c.outlet, modality=c.modality,
        article_id=article_id, source=source, as_of=ordinal(c.as_of), since=ordinal(c.since),
        period_start=ordinal(c.period.start) if c.period else None, period_end=ordinal(c.period.end) if c.period else None,
        rule=rule,
    )


def replacement_row(ev: ClaimCorrected, correction_id: str, position: int, target: ClaimRow | None) -> ClaimRow:
    """The claim a correction puts in place of its target."""
    assert ev.replacement is not None
    c = ev.replacement
    return ClaimRow(
        claim_id=correction_id, position=position, metric=c.metric, party=c.party, region=c.region,
        shape=c.shape, valid=ordinal(c.valid),
        report=ordinal(ev.published) if ev.published is not None else (target.report if target else None),
        value=c.value, low=c.low, high=c.high, qualifier=c.qualifier, unit=c.unit, claimant=c.claimant,
        outlet=c.outlet, modality=c.modality, article_id=target.article_id if target else None,
        source=target.source if target else None, as_of=ordinal(c.as_of), since=ordinal(c.since),
        period_start=ordinal(c.period.start) if c.period else None, period_end=ordinal(c.period.end) if c.period else None,
        rule=f"correction of {ev.claim_id}",
    )


@frozen
class Walk:
    """What a pass over the log in position order gives: every claim row and the rules that retire them.

    `rows` holds every claim (reported, entered by a person, or a correction's
    replacement) in log order; `retired` the first position that retracts or
    supersedes each; `adjustments` every adjustment-only correction by its
    target; `marks` the review marks (position, claim id, verdict);
    `replaces` the target of each replacement. Provenance reads the same walk
    (timeline.provenance.ledger_of), so there is one set of these rules.
    """

    rows: dict[str, ClaimRow]
    retired: dict[str, int]
    adjustments: dict[str, list[Adjustment]]
    marks: list[tuple[int, str, str]]
    replaces: dict[str, str]
    articles: dict[str, dict[str, Any]] = field(factory=dict)  # each article's metadata as ingested
    corrections: tuple[tuple[int, str, dict[str, Any]], ...] = ()  # (position, article id, fields set)

    def meta_at(self, position: int) -> dict[str, ArticleMeta]:
        """The metadata of each article corrected by `position`."""
        return meta_at(self.articles, self.corrections, position) if self.corrections else {}

    def rows_at(self, position: int) -> dict[str, ClaimRow]:
        """Every claim row as of `position`: report dates and outlets follow the articles' corrected metadata."""
        meta = self.meta_at(position)
        if not meta:
            return self.rows
        return {k: follow(r, meta.get(r.article_id)) if r.article_id in meta else r for k, r in self.rows.items()}


def walk(events: Iterable[tuple[int, str, Any]]) -> Walk:
    """One pass over decoded events (position, event id, event), in position order."""
    events = list(events)
    files = {ev.article_id: ev.file for _, _, ev in events if isinstance(ev, ArticleIngested)}
    rows: dict[str, ClaimRow] = {}
    retired: dict[str, int] = {}
    adjustments: dict[str, list[Adjustment]] = {}
    marks: list[tuple[int, str, str]] = []
    replaces: dict[str, str] = {}
    articles: dict[str, dict[str, Any]] = {}
    corrections: list[tuple[int, str, dict[str, Any]]] = []
    for position, event_id, ev in events:
        if isinstance(ev, ArticleIngested):
            articles.setdefault(ev.article_id, {"outlet": ev.outlet, "title": ev.title, "url": ev.url,
                                                "published": ev.published, "published_origin": ev.published_origin})
        elif isinstance(ev, ArticleMetadataCorrected):
            corrections.append((position, ev.article_id, ev.changes()))
        elif isinstance(ev, ClaimReported):
            rows.setdefault(ev.claim_id, row_of(ev, position, files))
        elif isinstance(ev, ClaimAsserted):
            if ev.claim_id not in rows:
                rows[ev.claim_id] = row_of(ev, position, files)
                marks.append((position, ev.claim_id, "asserted"))
        elif isinstance(ev, ClaimReviewed):
            marks.append((position, ev.claim_id, ev.verdict))
        elif isinstance(ev, ClaimRetracted):
            retired[ev.claim_id] = min(retired.get(ev.claim_id, position), position)
        elif isinstance(ev, ClaimCorrected):
            if ev.replacement is not None:
                target = rows.get(ev.claim_id)  # only claims earlier in the log
                if event_id not in rows:
                    rows[event_id] = replacement_row(ev, event_id, position, target)
                    replaces[event_id] = ev.claim_id
                    if ev.reviewer is not None:
                        marks.append((position, event_id, "corrected"))
                retired[ev.claim_id] = min(retired.get(ev.claim_id, position), position)
            else:
                adjustments.setdefault(ev.claim_id, []).append(Adjustment(event_id, position, ev.adjustment, ev.reason))
    return Walk(rows, retired, adjustments, marks, replaces, articles, tuple(corrections))


def fold(log: Iterable[Recorded], basis: Basis, filters: Filters = Filters()) -> State:
    """The state at `basis` from every event of the log (events past the basis position are ignored)."""
    w = walk((r.position, r.id, decode(r.type, r.payload)) for r in log)
    rows, retired, marks = w.rows_at(basis.position), w.retired, w.marks
    adjustments = {k: [a for a in adj if a.position <= basis.position] for k, adj in w.adjustments.items()}
    reviews = standing(marks, basis.position)
    series: dict[SeriesKey, list[ClaimRow]] = {}
    undated = 0
    for row in rows.values():
        if not filters.matches(row.metric, row.party, row.region) or not basis.admits(row, retired.get(row.claim_id)):
            continue
        if not reviews.admits(row.claim_id, basis.reviewed):
            continue
        if row.valid is None:
            undated += 1
        elif row.valid <= basis.as_of.toordinal():
            series.setdefault(row.key, []).append(row)
    values: list[Value] = []
    for rs in series.values():
        rs.sort(key=lambda r: r.valid, reverse=True)
        value = choose(rs, basis, reviews.reviewed)
        if value is not None:
            adj = adjustments.get(value.claims[0])
            values.append(evolve(value, adjustments=tuple(adj)) if adj else value)
    return State(basis, ordered(values), undated)
