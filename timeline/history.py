"""Asking the read model for a series' history (projections.history) at a report cut-off and log position."""

from __future__ import annotations

import datetime as dt
from typing import Any

from projections.state import Basis
from projections.history import Amendment, History, history
from timeline.state_questions import StateQuestions
from timeline.dates import parse_date, parse_known_at
from timeline.errors import TimelineError


def as_date(value: Any, what: str) -> dt.date | None:
    """None, a date, a datetime or anything with .date() (a pandas Timestamp), or an ISO string; `what` is the
    parameter's name, which an error names."""
    if value is None:
        return None
    if isinstance(value, dt.datetime) or (not isinstance(value, (dt.date, str)) and hasattr(value, "date")):
        return value.date()
    return parse_date(value, what, param=what)


def history_of(states: StateQuestions, metric: str, party: str | None = None, region: str | None = None, *,
               known_at: Any = None, start: Any = None, end: Any = None, position: int | None = None,
               reviewed: bool = False) -> History:
    """The claims and chosen values of the series of metric (a metric, else a family), party and region."""
    if not metric:
        raise TimelineError("a history needs a METRIC (e.g. losses.personnel.killed)")
    lo, hi = as_date(start, "start"), as_date(end, "end")
    if lo is not None and hi is not None and lo > hi:
        raise TimelineError(f"start {lo.isoformat()} is after end {hi.isoformat()}", param=("start", "end"))
    known = parse_known_at(as_date(known_at, "known_at") if not isinstance(known_at, str) else known_at)
    with states.read_model.snapshot() as rm:
        n = states.position(rm, position)
        filters = states.filters(rm, metric, party, None if region in ("-", "") else region)
        claims = rm.series_claims(filters, n)
        if region in ("-", ""):
            claims = [c for c in claims if c[0].region is None]
        if metric in rm.known_values()["metric"]:
            # A metric names its own series: area.controlled is not area.controlled.peak. A name that is
            # no metric of the log (losses.equipment, troops) or a wildcard names a family.
            claims = [c for c in claims if c[0].metric == metric]
        notes = [Amendment(*a) for a in rm.amendments({row.claim_id for row, _ in claims})]
        basis = Basis(hi or dt.date.max, known, n, reviewed)
        reviews = rm.reviews(basis)
    return history(claims, notes, basis, lo, hi, reviews)


def parse_series(spec: str) -> tuple[str, str | None, str | None]:
    """`metric[:party[:region]]` -> (metric, party, region); an empty part means any."""
    parts = spec.split(":")
    if len(parts) > 3 or not parts[0].strip():
        raise TimelineError(f"series {spec!r} is not metric[:party[:region]] (e.g. losses.personnel.killed:RU:Ukraine)")
    metric, party, region = (parts + [None, None])[:3]
    return metric.strip(), (party or "").strip() or None, (region or "").strip() or None


def histories_of(states: StateQuestions, specs: Any, **kw: Any) -> History:
    """One history of every series the specs (`metric[:party[:region]]`) name; TimelineError when it is empty."""
    from projections.history import merge

    if isinstance(specs, str):
        specs = [specs]
    if not specs:
        raise TimelineError("name at least one series (metric[:party[:region]])")
    each = [history_of(states, *parse_series(s), **kw) for s in specs]
    empty = [s for s, h in zip(specs, each) if not h.rows and not h.steps]
    if empty:  # each series asked for is drawn, or the command says which is not: none is left out unsaid
        cut = [f"{k} {v}" for k, v in (("known at", kw.get("known_at")), ("from", kw.get("start")),
                                        ("to", kw.get("end"))) if v is not None]
        raise TimelineError(f"no claims of {', '.join(empty)}" + (f" ({', '.join(map(str, cut))})" if cut else "")
                            + (": the history is empty" if len(empty) == len(specs) else
                               f": give only series that have claims (the other{'s' if len(specs) - len(empty) > 1 else ''}"
                               f" asked for: {', '.join(s for s in specs if s not in empty)})"))
    return merge(each)
