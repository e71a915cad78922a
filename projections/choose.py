"""Choosing a series' value from its claims: the tie rule and the support rule.

Input: the claims of one series that the basis admits, with valid <= D, in
descending valid time (any order within a date). Only as many are read as
the answer needs, so the read model can stream them from an index.

Support rule: the value is supported by the claims at the chosen date that
carry the same figure (value, qualifier, unit), plus the unbroken run of that
figure back in valid time: each earlier date at which every admitted claim
carries that figure. The run stops at the first earlier date with another
figure, and the value is said to have held since the earliest date of the run.

Tie rule, between different figures at the chosen date, in this order:
1. more supporting sources (articles, or dataset files);
2. the later report (publication) date; an unknown report date comes last;
3. the tighter interval (high - low; an exact figure is width 0);
4. an exact qualifier before a hedged one;
5. the smaller claim id: ids are content hashes, so the choice does not
   depend on the order in which independent articles were appended.
The losers are listed as competing claims. Within the chosen figure the
claim shown first is the one reported last (then the smaller id).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from itertools import groupby

from projections.basis import Basis, Competitor, Value
from projections.series import ClaimRow

TIE_RULES = ("more supporting sources", "later report", "tighter interval", "exact qualifier", "smaller claim id")


def _width(row: ClaimRow) -> float:
    if row.qualifier == "exact":
        return 0.0
    if row.low is not None and row.high is not None:
        return float(row.high - row.low)
    return math.inf


def _sources(rows: Iterable[ClaimRow]) -> list[str]:
    seen: dict[str, None] = {}
    for r in rows:
        seen.setdefault(r.source or r.article_id or r.claim_id, None)
    return list(seen)


def _report_rank(row: ClaimRow) -> int:
    return -row.report.toordinal() if row.report is not None else 1


def _figure_key(top: list[ClaimRow], support: list[ClaimRow]) -> tuple:
    return (
        -len(_sources(support)),
        min(_report_rank(r) for r in top),
        min(_width(r) for r in top),
        0 if any(r.qualifier == "exact" for r in top) else 1,
        min(r.claim_id for r in top),
    )


def _by_date(rows: Iterable[ClaimRow]) -> Iterator[list[ClaimRow]]:
    for _, group in groupby(rows, key=lambda r: r.valid):
        yield sorted(group, key=lambda r: r.claim_id)


def choose(rows: Iterable[ClaimRow], basis: Basis) -> Value | None:
    """The value of one series at `basis` from its admitted claims, newest valid time first."""
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
        kinds = {r.figure for r in group}
        figure = next(iter(kinds))
        if len(kinds) != 1 or figure not in figures or run_figure not in (None, figure):
            break
        run_figure = figure
        earlier.extend(group)
        since = group[0].valid
    runs = {f: rs + earlier if f == run_figure else rs for f, rs in figures.items()}
    held_since = {f: since if f == run_figure else top[0].valid for f in figures}
    keys = {f: _figure_key(figures[f], runs[f]) for f in figures}
    ranked = sorted(figures, key=lambda f: keys[f])
    best = ranked[0]
    if len(ranked) == 1:
        rule = "only figure"
    else:
        a, b = keys[best], keys[ranked[1]]
        rule = next(TIE_RULES[i] for i in range(len(a)) if a[i] != b[i])
    chosen_rows = sorted(figures[best], key=lambda r: (_report_rank(r), r.claim_id))
    chosen = chosen_rows[0]
    support = chosen_rows + sorted(
        (r for r in runs[best] if r not in chosen_rows), key=lambda r: (-r.valid.toordinal(), r.claim_id)
    )
    competing = tuple(
        Competitor(r.claim_id, r.value, r.qualifier, r.source, r.report)
        for f in ranked[1:]
        for r in figures[f]
    )
    period = None if chosen.shape != "window" else (chosen.period_start, chosen.period_end)
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
        valid=chosen.valid,
        as_of=chosen.as_of,
        since=chosen.since,
        period=period,
        claimant=chosen.claimant,
        outlet=chosen.outlet,
        report=chosen.report,
        claims=tuple(r.claim_id for r in support),
        articles=tuple(_sources(support)),
        held_since=held_since[best],
        competing=competing,
        rule=rule,
        staleness_days=(basis.as_of - chosen.valid).days,
    )
