"""The history of a series: every claim in valid-time order, and the value chosen at each date.

`asof` answers one date; a history answers every date at once, so that a
table, a chart or a page can show how a figure moved, where claimants
disagreed and what was withdrawn. It is a pure function of the claim rows
the read model already keeps (projections.series.ClaimRow), their retirement
positions and the retractions and corrections recorded against them: the
value at each date is computed by projections.choose, the rule `asof` uses,
so a history never disagrees with the state of any of its dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from itertools import groupby
from typing import Any

from attrs import frozen

from projections.state import Basis, Value
from projections.choose import choose
from projections.review import Standing
from projections.series import ClaimRow, Number, SeriesKey, date_or_none, series_order


@frozen
class Amendment:
    """A retraction or a correction recorded against a claim, at a log position."""

    claim_id: str
    position: int
    kind: str  # retraction | correction
    reason: str
    adjustment: Number | None = None
    replacement: str | None = None  # the claim id a correction puts in the target's place

    def to_data(self) -> dict[str, Any]:
        return {"kind": self.kind, "position": self.position, "reason": self.reason,
                "adjustment": self.adjustment, "replacement": self.replacement}


@frozen
class HistoryRow:
    """One claim of a series as a history shows it.

    `chosen`: its figure is the value `asof` gives at its valid date.
    `competing`: the claims of the same date that carry another figure.
    `lost_by`: for an admitted claim that was not chosen, the tie rule that
    put the chosen figure ahead of it. `status`: active, retracted, rejected (by a reviewer),
    corrected (replaced by `replaced_by`) or denied (never in a state).
    """

    metric: str
    party: str
    region: str | None
    shape: str
    claim_id: str
    position: int
    valid: dt.date | None
    period_start: dt.date | None
    value: Number
    low: Number | None
    high: Number | None
    qualifier: str
    unit: str
    claimant: str | None
    outlet: str | None
    report: dt.date | None
    source: str | None
    article_id: str | None
    rule: str | None
    chosen: bool
    competing: tuple[str, ...]
    lost_by: str | None
    status: str
    replaces: str | None
    replaced_by: str | None
    amendments: tuple[Amendment, ...]

    @property
    def key(self) -> SeriesKey:
        return (self.metric, self.party, self.region, self.shape)

    def to_data(self) -> dict[str, Any]:
        return {
            "metric": self.metric, "party": self.party, "region": self.region, "shape": self.shape,
            "claim": self.claim_id, "position": self.position,
            "valid": _iso(self.valid), "period_start": _iso(self.period_start),
            "value": self.value, "low": self.low, "high": self.high, "qualifier": self.qualifier, "unit": self.unit,
            "claimant": self.claimant, "outlet": self.outlet, "report": _iso(self.report), "source": self.source,
            "article_id": self.article_id, "rule": self.rule, "chosen": self.chosen,
            "competing": list(self.competing), "lost_by": self.lost_by, "status": self.status,
            "replaces": self.replaces, "replaced_by": self.replaced_by,
            "amendments": [a.to_data() for a in self.amendments],
        }


@frozen
class Step:
    """The chosen value of a series from `start`, a date with claims, until the next such date `end`
    (exclusive; None: to the end of the history).

    `claim_id` is the claim `asof` shows at `start`; `claims` starts with the claims of that date that carry
    the figure (`asof` also counts, as supports, an unbroken run of the figure before it).
    """

    metric: str
    party: str
    region: str | None
    shape: str
    start: dt.date
    end: dt.date | None
    value: Number
    low: Number | None
    high: Number | None
    qualifier: str
    unit: str
    claim_id: str
    claims: tuple[str, ...]
    rule: str

    @property
    def key(self) -> SeriesKey:
        return (self.metric, self.party, self.region, self.shape)

    def to_data(self) -> dict[str, Any]:
        return {
            "metric": self.metric, "party": self.party, "region": self.region, "shape": self.shape,
            "start": self.start.isoformat(), "end": _iso(self.end), "value": self.value, "low": self.low,
            "high": self.high, "qualifier": self.qualifier, "unit": self.unit, "claim": self.claim_id,
            "claims": list(self.claims), "rule": self.rule,
        }


@frozen
class History:
    """The claims and chosen-value steps of one or more series, at one basis (K and N; D is the range's end)."""

    basis: Basis
    start: dt.date | None
    end: dt.date | None
    rows: tuple[HistoryRow, ...]
    steps: tuple[Step, ...]
    undated: int = 0

    @property
    def series(self) -> tuple[SeriesKey, ...]:
        return tuple(dict.fromkeys([r.key for r in self.rows] + [s.key for s in self.steps]))

    def to_data(self) -> dict[str, Any]:
        known = self.basis.to_data()
        return {
            "basis": {k: v for k, v in known.items() if k != "as_of"},  # known at, position, reviewed (when so)
            "from": _iso(self.start), "to": _iso(self.end),
            "series": [{"metric": m, "party": p, "region": r, "shape": s} for m, p, r, s in self.series],
            "claims": [r.to_data() for r in self.rows],
            "steps": [s.to_data() for s in self.steps],
            "undated": self.undated,
        }

    def to_pandas(self) -> Any:
        """The claims as a pandas DataFrame (pandas is optional: ImportError names it when missing)."""
        import pandas as pd

        frame = pd.DataFrame(flat_rows(self), columns=list(FLAT_COLUMNS))
        for column in ("valid", "period_start", "report"):
            frame[column] = pd.to_datetime(frame[column])
        return frame

    def steps_to_pandas(self) -> Any:
        """The chosen-value steps as a pandas DataFrame (start and end as datetimes; end NaT: still held)."""
        import pandas as pd

        frame = pd.DataFrame([s.to_data() for s in self.steps],
                             columns=["metric", "party", "region", "shape", "start", "end", "value", "low", "high",
                                      "qualifier", "unit", "claim", "claims", "rule"])
        for column in ("start", "end"):
            frame[column] = pd.to_datetime(frame[column])
        return frame


FLAT_COLUMNS = ("metric", "party", "region", "shape", "valid", "period_start", "value", "low", "high", "qualifier",
                "unit", "claimant", "outlet", "report", "source", "claim", "chosen", "competing", "lost_by",
                "status", "replaces", "replaced_by", "position", "rule")


def flat_rows(h: History) -> list[dict[str, Any]]:
    """One flat dict per claim (dates as dates, lists joined): for CSV, Parquet and data frames."""
    out = []
    for r in h.rows:
        out.append({
            "metric": r.metric, "party": r.party, "region": r.region, "shape": r.shape, "valid": r.valid,
            "period_start": r.period_start, "value": r.value, "low": r.low, "high": r.high,
            "qualifier": r.qualifier, "unit": r.unit, "claimant": r.claimant, "outlet": r.outlet,
            "report": r.report, "source": r.source, "claim": r.claim_id, "chosen": r.chosen,
            "competing": ";".join(r.competing), "lost_by": r.lost_by, "status": r.status,
            "replaces": r.replaces, "replaced_by": r.replaced_by, "position": r.position, "rule": r.rule,
        })
    return out


def _iso(d: dt.date | None) -> str | None:
    return None if d is None else d.isoformat()


def history(claims: Iterable[tuple[ClaimRow, int | None]], amendments: Iterable[Amendment], basis: Basis,
            start: dt.date | None = None, end: dt.date | None = None, reviews: Standing = Standing()) -> History:
    """The history of the series the claims belong to, as known at `basis` (its known_at and position).

    `claims`: each claim row with the log position that retires it (None:
    never; 0: a denied claim). Claims appended after the basis position or
    reported after its known_at are not part of it; retired ones are listed
    with their status. Rows and steps are cut to valid dates in
    [start, end]; the values at those dates still see every earlier claim.
    `reviews`: the review standing at the basis position (projections.review).
    """
    by_claim: dict[str, list[Amendment]] = {}
    for a in amendments:
        if a.position <= basis.position:
            by_claim.setdefault(a.claim_id, []).append(a)
    known = None if basis.known_at is None else basis.known_at.toordinal()
    series: dict[SeriesKey, list[tuple[ClaimRow, int | None]]] = {}
    undated = 0
    for row, retired in claims:
        if row.position > basis.position or (known is not None and (row.report is None or row.report > known)):
            continue
        if row.valid is None:
            undated += 1
            continue
        series.setdefault(row.key, []).append((row, retired))
    lo = None if start is None else start.toordinal()
    hi = None if end is None else end.toordinal()
    rows: list[HistoryRow] = []
    steps: list[Step] = []
    for key in sorted(series, key=series_order):
        r, s = _one_series(series[key], by_claim, basis, lo, hi, reviews)
        rows += r
        steps += s
    return History(basis, start, end, tuple(rows), tuple(steps), undated)


def _one_series(claims: list[tuple[ClaimRow, int | None]], amendments: Mapping[str, list[Amendment]], basis: Basis,
                lo: int | None, hi: int | None, reviews: Standing = Standing()
                ) -> tuple[list[HistoryRow], list[Step]]:
    def admits(row: ClaimRow, retired: int | None) -> bool:
        return basis.admits(row, retired) and reviews.admits(row.claim_id, basis.reviewed)

    claims.sort(key=lambda c: (c[0].valid, c[0].claim_id))
    admitted = [row for row, retired in claims if admits(row, retired)]
    newest_first = admitted[::-1]
    # The value at each date with admitted claims. A date whose claims carry one figure is chosen from them
    # alone: earlier dates only add supports to it (its run back in time), never change which claim is shown,
    # and reading the run at every date of a figure that holds for months would cost the run's length each day.
    values: dict[int, Value] = {}
    where = 0
    for day, top in groupby(newest_first, key=lambda r: r.valid):
        top = list(top)
        rows = top if len({r.figure for r in top}) == 1 else newest_first[where:]
        v = choose(rows, _at(basis, day), reviews.reviewed)
        if v is not None:
            values[day] = v
        where += len(top)
    replaced_by = {a.claim_id: a.replacement for rows in amendments.values() for a in rows if a.replacement}
    out_rows: list[HistoryRow] = []
    for day, group in groupby(claims, key=lambda c: c[0].valid):
        if (lo is not None and day < lo) or (hi is not None and day > hi):
            continue
        group = list(group)
        v = values.get(day)
        live = [row for row, retired in group if admits(row, retired)]
        chosen_ids = set(v.claims) if v is not None else set()
        winners = [r for r in live if r.claim_id in chosen_ids]
        for row, retired in group:
            admitted_now = admits(row, retired)
            status = "rejected" if row.claim_id in reviews.rejected else _status(row, retired, basis, replaced_by)
            chosen = admitted_now and row.claim_id in chosen_ids
            competing = tuple(r.claim_id for r in live if r.figure != row.figure) if admitted_now else ()
            lost_by = None
            if admitted_now and not chosen and winners:
                lost_by = _lost_by(winners, [r for r in live if r.figure == row.figure],
                                   newest_first, day, basis, reviews)
            out_rows.append(HistoryRow(
                row.metric, row.party, row.region, row.shape, row.claim_id, row.position, date_or_none(row.valid),
                date_or_none(row.period_start), row.value, row.low, row.high, row.qualifier, row.unit,
                row.claimant, row.outlet, date_or_none(row.report), row.source, row.article_id, row.rule, chosen,
                competing, lost_by, status, _replaces(row), replaced_by.get(row.claim_id) if status == "corrected" else None,
                tuple(amendments.get(row.claim_id, ()))))
    return out_rows, _steps(values, lo, hi)


def _at(basis: Basis, day: int) -> Basis:
    return Basis(dt.date.fromordinal(day), basis.known_at, basis.position, basis.reviewed)


def _status(row: ClaimRow, retired: int | None, basis: Basis, replaced_by: Mapping[str, str | None]) -> str:
    if row.modality == "denied":
        return "denied"
    if retired is not None and retired <= basis.position:
        return "corrected" if row.claim_id in replaced_by else "retracted"
    return "active"


def _replaces(row: ClaimRow) -> str | None:
    rule = row.rule or ""
    return rule.removeprefix("correction of ") if rule.startswith("correction of ") else None


def _lost_by(winners: list[ClaimRow], losers: list[ClaimRow], newest_first: list[ClaimRow], day: int,
             basis: Basis, reviews: Standing = Standing()) -> str:
    """The tie rule that separates the chosen figure from this one: choose() run on the two figures alone
    (with the earlier dates, which may extend the chosen figure's run of supports)."""
    earlier = [r for r in newest_first if r.valid < day]
    v = choose(sorted(winners + losers, key=lambda r: r.claim_id) + earlier, _at(basis, day), reviews.reviewed)
    assert v is not None
    return v.rule


def _steps(values: Mapping[int, Value], lo: int | None, hi: int | None) -> list[Step]:
    """One step per date with admitted claims, held until the next such date."""
    days = sorted(values)
    out = []
    for i, day in enumerate(days):
        end = days[i + 1] if i + 1 < len(days) else None
        if (hi is not None and day > hi) or (lo is not None and end is not None and end <= lo):
            continue
        v = values[day]
        out.append(Step(v.metric, v.party, v.region, v.shape, dt.date.fromordinal(day), date_or_none(end), v.value,
                        v.low, v.high, v.qualifier, v.unit, v.claims[0], tuple(c for c in v.claims), v.rule))
    return out


def merge(histories: Iterable[History]) -> History:
    """Several histories at one basis as one (a series named twice is shown once)."""
    hs = list(histories)
    if not hs:
        raise ValueError("merge needs at least one history")
    seen: set[SeriesKey] = set()
    rows: list[HistoryRow] = []
    steps: list[Step] = []
    for h in hs:
        fresh = [k for k in h.series if k not in seen]
        seen.update(fresh)
        rows += [r for r in h.rows if r.key in fresh]
        steps += [s for s in h.steps if s.key in fresh]
    first = hs[0]
    return History(first.basis, first.start, first.end, tuple(rows), tuple(steps), sum(h.undated for h in hs))


def value_at(h: History, key: SeriesKey, day: dt.date) -> Step | None:
    """The step that holds the chosen value of a series at `day`, if any."""
    for s in h.steps:
        if s.key == key and s.start <= day and (s.end is None or day < s.end):
            return s
    return None


def groups(h: History) -> dict[SeriesKey, tuple[list[HistoryRow], list[Step]]]:
    """Rows and steps by series, in the history's order."""
    out: dict[SeriesKey, tuple[list[HistoryRow], list[Step]]] = {k: ([], []) for k in h.series}
    for r in h.rows:
        out[r.key][0].append(r)
    for s in h.steps:
        out[s.key][1].append(s)
    return out


__all__ = ["Amendment", "History", "HistoryRow", "Step", "history", "flat_rows", "groups", "merge", "value_at",
           "FLAT_COLUMNS"]

