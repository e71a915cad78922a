"""Choosing a series' value from its claims: the tie rule and the support rule.

Input: the claims of one series that the basis admits, with valid <= D, in
descending valid time (any order within a date). Only as many are read as
the answer needs, so the read model can stream them from an index.

Support rule: the value is supported by the claims at the chosen date that
carry the same figure (value and unit), plus the unbroken run of that
figure back in valid time: each earlier date at which every admitted claim
carries that figure. The run stops at the first earlier date with another
figure, and the value is said to have held since the earliest date of the run.

Tie rule, between different figures at the chosen date, in this order:
0. a figure a person reviewed (confirmed, entered or corrected: see
   projections.review) before one nobody did;
1. more supporting sources (articles, or dataset files);
2. the later report (publication) date; an unknown report date comes last;
3. the tighter interval (high - low; an exact figure is width 0);
4. an exact qualifier before a hedged one;
5. the smaller claim id: ids are content hashes, so the choice does not
   depend on the order in which independent articles were appended.
The losers are listed as competing claims. Within the chosen figure the
claim shown first is a reviewed one, then the one reported last (then the
tighter interval, then the smaller id).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Iterable, Iterator
from itertools import groupby

from projections.state import Basis, Competitor, Value
from projections.series import ClaimRow, date_or_none

TIE_RULES = ("reviewed by a person", "more supporting sources", "later report", "tighter interval", "exact qualifier",
             "smaller claim id")


def _width(row: ClaimRow) -> float:
    if row.qualifier == "exact":
        return 0.0
    if row.low is not None and row.high is not None:
        return float(row.high - row.low)
    return math.inf


def _source(row: ClaimRow) -> str:
    return row.source or row.article_id or row.claim_id


def _sources(rows: Iterable[ClaimRow]) -> list[str]:
    return list(dict.fromkeys(_source(r) for r in rows))


def _report_rank(row: ClaimRow) -> int:
    """Smaller for a later report; an unknown report date ranks last."""
    return -row.report if row.report is not None else 1


def _figure_key(top: list[ClaimRow], support: list[ClaimRow], reviewed: Collection[str]) -> tuple:
    return (
        0 if reviewed and any(r.claim_id in reviewed for r in top) else 1,
        -len(_sources(support)),
        min(_report_rank(r) for r in top),
        min(_width(r) for r in top),
        0 if any(r.qualifier == "exact" for r in top) else 1,
        min(r.claim_id for r in top),
    )


def _by_date(rows: Iterable[ClaimRow]) -> Iterator[list[ClaimRow]]:
    for _, group in groupby(rows, key=lambda r: r.valid):
        g = list(group)
        yield g if len(g) == 1 else sorted(g, key=lambda r: r.claim_id)


def _extends(top_figures: Iterable[tuple], run_figure: tuple | None, group: list[ClaimRow]) -> tuple | None:
    """The figure an earlier date's claims carry if they extend the run, else None."""
    figure = group[0].figure
    if figure not in top_figures or run_figure not in (None, figure) or any(r.figure != figure for r in group):
        return None
    return figure


def needs_more(groups: list[list[ClaimRow]]) -> bool:
    """Whether `choose` reads past these date groups (newest first): the run may go on."""
    top_figures = {r.figure for r in groups[0]}
    run_figure = None
    for group in groups[1:]:
        run_figure = _extends(top_figures, run_figure, group)
        if run_figure is None:
            return False
    return True


def choose(rows: Iterable[ClaimRow], basis: Basis, reviewed: Collection[str] = frozenset()) -> Value | None:
    """The value of one series at `basis` from its admitted claims, newest valid time first.

    `reviewed`: the ids of the claims a person reviewed at this basis (projections.review).
    """
    dates = _by_date(rows)
    top = next(dates, None)
    if not top:
        return None
    figures: dict[tuple, list[ClaimRow]] = {}
    for r in top:
        figures.setdefault(r.figure, []).append(r)
    # The run back in time: earlier dates carried by one figure of the chosen date alone.
    run_figure: tuple | None = None
    earlier: list[ClaimRow] = []
    since = top[0].valid
    for group in dates:
        figure = _extends(figures, run_figure, group)
        if figure is None:
            break
        run_figure = figure
        earlier.extend(group)
        since = group[0].valid
    if len(figures) == 1:
        (best,) = figures
        ranked = [best]
        rule = "only figure"
    else:
        runs = {f: rs + earlier if f == run_figure else rs for f, rs in figures.items()}
        keys = {f: _figure_key(figures[f], runs[f], reviewed) for f in figures}
        ranked = sorted(figures, key=lambda f: keys[f])
        best = ranked[0]
        a, b = keys[best], keys[ranked[1]]
        rule = next(TIE_RULES[i] for i in range(len(a)) if a[i] != b[i])
    chosen_rows = figures[best]
    if len(chosen_rows) > 1:
        chosen_rows = sorted(chosen_rows, key=lambda r: (r.claim_id not in reviewed, _report_rank(r), _width(r),
                                                         r.claim_id))
    support = chosen_rows
    if best == run_figure and earlier:
        support = chosen_rows + sorted(earlier, key=lambda r: (-r.valid, r.claim_id))
    held_since = since if best == run_figure else top[0].valid
    chosen = chosen_rows[0]
    competing = tuple(
        Competitor(r.claim_id, r.value, r.qualifier, r.source, date_or_none(r.report))
        for f in ranked[1:]
        for r in figures[f]
    )
    return _value(chosen, basis, tuple(r.claim_id for r in support), tuple(_sources(support)),
                  dt.date.fromordinal(held_since), competing, rule)


def single(row: ClaimRow, basis: Basis) -> Value:
    """What `choose` gives when the chosen date has one admitted claim and the
    date before it (if any) carries another figure: the claim alone, its own
    support, nothing competing. Built directly, as it is the common case."""
    valid = dt.date.fromordinal(row.valid)
    return _value(row, basis, (row.claim_id,), (_source(row),), valid, (), "only figure")


def _value(chosen: ClaimRow, basis: Basis, claims: tuple[str, ...], articles: tuple[str, ...],
           held_since: dt.date, competing: tuple[Competitor, ...], rule: str) -> Value:
    """The value a chosen claim shows, with the support and competition found for it."""
    valid = dt.date.fromordinal(chosen.valid)
    return Value(
        metric=chosen.metric,
        party=chosen.party,
        region=chosen.region,
        shape=chosen.shape,
        value=chosen.value,
        low=chosen.low,
        high=chosen.high,
        qualifier=chosen.qualifier,
        unit=chosen.unit,
        valid=valid,
        as_of=date_or_none(chosen.as_of),
        since=date_or_none(chosen.since),
        period=None if chosen.shape != "window" else (date_or_none(chosen.period_start), valid),
        claimant=chosen.claimant,
        outlet=chosen.outlet,
        report=date_or_none(chosen.report),
        claims=claims,
        articles=articles,
        held_since=held_since,
        competing=competing,
        rule=rule,
        staleness_days=(basis.as_of - valid).days,
    )


def _num(x: float) -> str:
    return f"{x:,.1f}" if not float(x).is_integer() else f"{int(x):,}"


def loss_reason(win: list[ClaimRow], win_support: list[ClaimRow], lose: list[ClaimRow],
                reviewed: Collection[str] = frozenset()) -> str:
    """Why the figure of `lose` lost to that of `win` (`win_support`: its claims with the run back in time):
    the first rule of the tie order that separates their keys, in words. Kept beside `_figure_key`, so that
    a change of the order changes the reasons with it."""
    a = _figure_key(win, win_support, reviewed)
    b = _figure_key(lose, lose, reviewed)
    rule = next((i for i in range(len(a) - 1) if a[i] != b[i]), len(a) - 1)
    if rule == 0:
        return "not reviewed (the chosen figure was checked by a person)"
    if rule == 1:
        return f"fewer supporting sources ({-b[1]} against {-a[1]})"
    if rule == 2:
        wr, lr = _latest(win), _latest(lose)
        if lr is None:
            return f"no report date (the chosen figure was reported {wr.isoformat()})"  # type: ignore[union-attr]
        return f"reported earlier ({lr.isoformat()} against {wr.isoformat() if wr else 'unknown'})"
    if rule == 3:
        return f"wider interval ({_num(b[3]) if b[3] != math.inf else 'open'} against {_num(a[3])})"
    if rule == 4:
        return f"hedged ({lose[0].qualifier}) against an exact figure"
    return "tie on every other rule: the smaller claim id wins"


def _latest(rows: Iterable[ClaimRow]) -> dt.date | None:
    days = [r.report for r in rows if r.report is not None]
    return dt.date.fromordinal(max(days)) if days else None

