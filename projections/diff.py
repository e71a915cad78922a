"""Differences between two states: per series, what the value was, what it became, and why.

Two states are compared on their pictures: a series changes when its chosen
value, its supports or its competitors change (staleness alone, which follows
from the date, is not a change). `apply` and `inverse` make the diff an exact
description: apply(state A, diff(A, B)) has the values of B, and diff(B, A) is
inverse(diff(A, B)).
"""

from __future__ import annotations

from typing import Any

from attrs import frozen

from projections.state import State, Value, ordered
from projections.series import Number, SeriesKey, series_order


@frozen
class Change:
    """One series whose picture differs between the two states."""

    key: SeriesKey
    before: Value | None
    after: Value | None

    @property
    def kind(self) -> str:
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        if self.before.value != self.after.value or self.before.unit != self.after.unit:
            return "changed"
        return "restated"  # the same number, newly dated, supported or contested

    @property
    def change(self) -> Number | None:
        if self.before is None or self.after is None:
            return None
        return self.after.value - self.before.value

    @property
    def change_pct(self) -> float | None:
        if self.change is None or self.before is None or self.before.value == 0:
            return None
        return round(100.0 * self.change / abs(self.before.value), 2)

    def to_data(self) -> dict[str, Any]:
        metric, party, region, shape = self.key
        b, a = self.before, self.after
        explain = a if a is not None else b
        return {
            "metric": metric,
            "party": party,
            "region": region,
            "shape": shape,
            "kind": self.kind,
            "before": None if b is None else b.value,
            "after": None if a is None else a.value,
            "before_qualifier": None if b is None else b.qualifier,  # "about 3,000" is not 3,000
            "after_qualifier": None if a is None else a.qualifier,
            "change": self.change,
            "change_pct": self.change_pct,
            "unit": explain.unit if explain else None,
            "before_valid": None if b is None else b.valid.isoformat(),
            "after_valid": None if a is None else a.valid.isoformat(),
            "claims": list(explain.claims) if explain else [],
            "before_claims": [] if b is None else list(b.claims),
            "after_claims": [] if a is None else list(a.claims),
        }


@frozen
class Diff:
    """What changed from one state to another, series by series."""

    before: State
    after: State
    changes: tuple[Change, ...]

    def to_data(self) -> dict[str, Any]:
        b, a = self.before.basis, self.after.basis
        if b.as_of != a.as_of or b.known_at == a.known_at:
            axis, frm, to = "valid", b.as_of.isoformat(), a.as_of.isoformat()
        else:
            axis = "known_at"
            frm, to = b.to_data()["known_at"], a.to_data()["known_at"]
        return {
            "from": frm,
            "to": to,
            "axis": axis,
            "basis": {"from": b.to_data(), "to": a.to_data()},
            "changes": [c.to_data() for c in self.changes],
        }


def diff(before: State, after: State) -> Diff:
    """The series whose pictures differ between two states, in section order."""
    b, a = before.by_series(), after.by_series()
    keys = sorted(set(b) | set(a), key=series_order)
    changes = tuple(Change(k, b.get(k), a.get(k)) for k in keys if b.get(k) != a.get(k))
    return Diff(before, after, changes)


def apply(values: tuple[Value, ...], d: Diff) -> tuple[Value, ...]:
    """The values of a state with a diff applied: series added, removed or replaced."""
    out = {v.key: v for v in values}
    for c in d.changes:
        if c.after is None:
            out.pop(c.key, None)
        else:
            out[c.key] = c.after
    return ordered(list(out.values()))


def inverse(d: Diff) -> Diff:
    """The diff that undoes `d`."""
    return Diff(d.after, d.before, tuple(Change(c.key, c.after, c.before) for c in d.changes))
