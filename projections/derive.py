"""Derived values: figures nobody reported but that follow from reported ones.

A derived value is a pure function of the values of a state, and it keeps
those values as its inputs, so it is as traceable as a reported one (each
input carries its claims, each claim its sentence). Three rules:

- total from components: killed + wounded + captured -> losses.personnel,
  when all three are reported for one date and the total is not (or only for
  an earlier date);
- area lost since the peak: area.controlled.peak - area.controlled (km2) and
  its share of the peak (percent), when the current level is not older than
  the peak;
- previous running total: a running total minus the count over the window
  that ends on its date gives the running total at the window's start
  (133,190 - 1,030 = 132,160 as of 2023-02-06).

A derived value has the attributes of a `projections.state.Value` that a
reader of a state uses (metric, value, interval, valid date, claims,
articles...), so a table of values can show it unchanged, plus `formula`,
`inputs` and `derived = True`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from typing import Any, Union

from attrs import field, frozen

from events.qualifiers import spread
from events.vocabulary import metric_table
from projections.state import State, Value, value_data
from projections.series import Number, SeriesKey, section, series_order

# Closed sets: a total that is exactly the sum of these parts.
COMPONENTS: dict[str, tuple[str, ...]] = metric_table().components()  # total -> its parts (lexicons/metrics.json)
# Open sets: the parts listed in a report need not cover every kind.
PARTIAL_COMPONENTS: dict[str, str] = metric_table().open_components()

RULES = ("total from components", "area lost since peak", "share lost since peak", "previous running total")


def bounds(value: Number, qualifier: str, low: Number | None = None, high: Number | None = None) -> tuple[float, float]:
    """The interval [lo, hi] a figure stands for; an open end is +inf (or 0 below)."""
    if qualifier == "exact":
        return float(value), float(value)
    f_lo, f_hi = spread(qualifier)  # the qualifier table (events.qualifiers), when the claim carries no interval
    lo = float(low) if low is not None else value * f_lo
    hi = float(high) if high is not None else (math.inf if f_hi == math.inf else value * f_hi)
    return min(lo, float(value)), max(hi, float(value))


def value_bounds(v: Any) -> tuple[float, float]:
    return bounds(v.value, v.qualifier, v.low, v.high)


def _digest(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def value_id(v: Any) -> str:
    """A stable id of a value (a series' figure at a date with its supports): the same picture, the same id."""
    if getattr(v, "derived", False):
        return v.id
    return _digest(["value", *v.key, v.valid.isoformat(), v.value, v.qualifier, v.unit, sorted(v.claims)])


@frozen
class Derived:
    """A value computed from other values of the same state; `inputs` are those values."""

    metric: str
    party: str
    region: str | None
    value: Number
    low: Number | None
    high: Number | None
    qualifier: str
    unit: str
    valid: dt.date
    rule: str
    formula: str
    inputs: tuple[Any, ...]  # Value or Derived
    staleness_days: int = field(default=0, eq=False)

    shape = "level"
    derived = True
    period = None
    since = None
    outlet = None
    competing = ()
    adjustments = ()

    @property
    def claimant(self) -> str:
        """What a table shows in the claimant column: nobody claimed it, it was derived (JSON: null)."""
        return f"derived: {self.formula}"

    @property
    def as_of(self) -> dt.date:
        return self.valid

    @property
    def held_since(self) -> dt.date:
        return self.valid

    @property
    def key(self) -> SeriesKey:
        return (self.metric, self.party, self.region, self.shape)

    @property
    def section(self) -> str:
        return section(self.metric, self.shape)

    @property
    def id(self) -> str:
        return _digest(["derived", self.rule, *self.key, self.valid.isoformat(), self.value,
                        [value_id(i) for i in self.inputs]])

    @property
    def claims(self) -> tuple[str, ...]:
        """Every claim behind the inputs, in input order."""
        seen: dict[str, None] = {}
        for i in self.inputs:
            for c in i.claims:
                seen.setdefault(c, None)
        return tuple(seen)

    @property
    def articles(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for i in self.inputs:
            for a in i.articles:
                seen.setdefault(a, None)
        return tuple(seen)

    @property
    def report(self) -> dt.date | None:
        dates = [i.report for i in self.inputs if i.report is not None]
        return max(dates) if dates else None

    def to_data(self) -> dict[str, Any]:
        return {
            **value_data(self, None, derived=True),
            "id": self.id,
            "formula": self.formula,
            "inputs": [
                {"id": value_id(i), "metric": i.metric, "party": i.party, "region": i.region, "value": i.value,
                 "qualifier": i.qualifier, "unit": i.unit, "valid": i.valid.isoformat(), "claims": list(i.claims),
                 "derived": bool(getattr(i, "derived", False))}
                for i in self.inputs
            ],
        }


def _tidy(x: float, digits: int = 0) -> Number | None:
    if math.isinf(x) or math.isnan(x):
        return None
    r = round(x, digits)
    return int(r) if float(r).is_integer() else r


def _qualifier(inputs: Iterable[Any]) -> str:
    return "exact" if all(i.qualifier == "exact" for i in inputs) else "about"


def _make(metric: str, party: str, region: str | None, value: float, lo: float, hi: float, unit: str,
          valid: dt.date, rule: str, formula: str, inputs: Sequence[Any], as_of: dt.date, digits: int = 0) -> Derived:
    qualifier = _qualifier(inputs)
    exact = qualifier == "exact"
    return Derived(
        metric=metric, party=party, region=region, value=_tidy(value, digits),  # type: ignore[arg-type]
        low=None if exact else _tidy(lo, digits), high=None if exact else _tidy(hi, digits),
        qualifier=qualifier, unit=unit, valid=valid, rule=rule, formula=formula, inputs=tuple(inputs),
        staleness_days=(as_of - valid).days,
    )


def totals(values: Sequence[Value], as_of: dt.date) -> list[Derived]:
    """killed + wounded + captured when all three are reported for one date and the total is not."""
    levels = {v.key: v for v in values if v.shape == "level"}
    out = []
    for total, parts in COMPONENTS.items():
        places = {(v.party, v.region) for v in values if v.metric in parts and v.shape == "level"}
        for party, region in sorted(places, key=lambda p: (p[0], p[1] or "")):
            found = [levels.get((m, party, region, "level")) for m in parts]
            if any(f is None for f in found):
                continue
            date = found[0].valid
            if any(f.valid != date or f.unit != found[0].unit for f in found):
                continue
            reported = levels.get((total, party, region, "level"))
            if reported is not None and reported.valid >= date:
                continue
            lo = sum(value_bounds(f)[0] for f in found)
            hi = sum(value_bounds(f)[1] for f in found)
            formula = " + ".join(m.rsplit(".", 1)[1] for m in parts)
            out.append(_make(total, party, region, sum(f.value for f in found), lo, hi, found[0].unit, date,
                             RULES[0], formula, found, as_of))
    return out


def area_lost(values: Sequence[Value], as_of: dt.date) -> list[Derived]:
    """Peak minus current area, and that loss as a share of the peak."""
    peaks = {(v.party, v.region): v for v in values if v.metric == "area.controlled.peak"}
    out = []
    for v in values:
        if v.metric != "area.controlled" or v.shape != "level":
            continue
        peak = peaks.get((v.party, v.region))
        if peak is None or peak.unit != v.unit or v.valid < peak.valid or peak.value <= 0 or peak.value < v.value:
            continue
        (p_lo, p_hi), (c_lo, c_hi) = value_bounds(peak), value_bounds(v)
        lost = peak.value - v.value
        out.append(_make("area.lost", v.party, v.region, lost, p_lo - c_hi, p_hi - c_lo, v.unit, v.valid,
                         RULES[1], "area.controlled.peak - area.controlled", (peak, v), as_of))
        share = 100.0 * lost / peak.value
        s_lo = 100.0 * (1 - c_hi / p_lo) if p_lo > 0 else -math.inf
        s_hi = 100.0 * (1 - c_lo / p_hi) if not math.isinf(p_hi) else 100.0
        out.append(_make("area.lost.share", v.party, v.region, share, max(s_lo, 0.0), min(s_hi, 100.0), "percent",
                         v.valid, RULES[2], "(area.controlled.peak - area.controlled) / area.controlled.peak",
                         (peak, v), as_of, digits=1))
    return out


def previous_totals(values: Sequence[Value], as_of: dt.date) -> list[Derived]:
    """A running total minus the count over the window ending on its date: the total at the window's start."""
    levels = {v.key: v for v in values if v.shape == "level"}
    out = []
    for w in values:
        if w.shape != "window" or not w.metric.startswith("losses") or w.period is None or w.period[0] is None:
            continue
        total = levels.get((w.metric, w.party, w.region, "level"))
        start, end = w.period
        if total is None or total.valid != end or total.unit != w.unit or start >= end:
            continue
        (t_lo, t_hi), (n_lo, n_hi) = value_bounds(total), value_bounds(w)
        out.append(_make(w.metric, w.party, w.region, total.value - w.value, t_lo - n_hi, t_hi - n_lo, w.unit,
                         start, RULES[3], "running total - count over the window", (total, w), as_of))
    return out


def derive(state: State) -> tuple[Derived, ...]:
    """Every derived value of a state, in the state's section order."""
    values = list(state.values)
    found = totals(values, state.basis.as_of) + area_lost(values, state.basis.as_of) \
        + previous_totals(values, state.basis.as_of)
    return tuple(sorted(found, key=lambda d: (series_order(d.key), d.valid, d.rule)))


AnyValue = Union[Value, Derived]


def current(derived: Iterable[Derived], values: Iterable[Value]) -> tuple[Derived, ...]:
    """The derived values that are part of the state: not older than the chosen value of their own series.

    "133,190 - 1,030 = 132,160 as of 2023-02-06" is true, but the series'
    value at the state's date is the 133,190 of 2023-02-07: showing both as
    the state would give one series two values. The older one stays a
    derived value for explain, the graph and history (derive() keeps it).
    """
    chosen = {v.key: v.valid for v in values}
    return tuple(d for d in derived if d.key not in chosen or chosen[d.key] <= d.valid)


def with_derived(state: State) -> State:
    """The state with its derived values shown after the reported value of the same series.

    For display only (`timeline asof`): diffs and the provenance graph keep
    the reported values and the derived ones apart.
    """
    from attrs import evolve

    derived = current(derive(state), state.values)
    if not derived:
        return state
    rows = [(series_order(v.key), 0, i, v) for i, v in enumerate(state.values)]
    rows += [(series_order(d.key), 1, i, d) for i, d in enumerate(derived)]
    return evolve(state, values=tuple(v for *_, v in sorted(rows, key=lambda r: r[:3])))
