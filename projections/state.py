"""The state at a basis: the basis (the three clocks an answer was computed at, so it can be repeated), the
value of each series with what supports and competes with it, and the State that holds them."""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import repeat
from typing import Any

from attrs import field, fields, frozen

from projections.series import ClaimRow, Number, SeriesKey, section, series_order


@frozen
class Basis:
    """Valid time D, report-time cut-off K (None: latest, the whole log) and log position N.

    `reviewed` admits only the claims a person confirmed, entered or corrected
    (projections.review), so that an answer can rest on checked claims alone.
    """

    as_of: dt.date
    known_at: dt.date | None
    position: int
    reviewed: bool = False

    def admits(self, row: ClaimRow, retired: int | None) -> bool:
        """Whether a claim is part of the picture: appended by N, not retired by N, reported by K."""
        if row.position > self.position or row.modality == "denied":
            return False
        if retired is not None and retired <= self.position:
            return False
        if self.known_at is not None and (row.report is None or row.report > self.known_at.toordinal()):
            return False
        return True

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "as_of": self.as_of.isoformat(),
            "known_at": "latest" if self.known_at is None else self.known_at.isoformat(),
            "position": self.position,
        }
        if self.reviewed:
            data["reviewed"] = True
        return data


@frozen
class Competitor:
    """A claim of the same series and valid date that carries another figure."""

    claim_id: str
    value: Number
    qualifier: str
    source: str | None
    report: dt.date | None

    def to_data(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "qualifier": self.qualifier,
            "claim": self.claim_id,
            "article": self.source,
            "report": None if self.report is None else self.report.isoformat(),
        }


@frozen
class Adjustment:
    """An adjustment-only correction of the chosen claim: shown, never applied to the value."""

    correction_id: str
    position: int
    adjustment: Number | None
    reason: str

    def to_data(self) -> dict[str, Any]:
        return {"correction": self.correction_id, "position": self.position, "adjustment": self.adjustment,
                "reason": self.reason}


@frozen
class Value:
    """The value of one series at a basis, with what supports it and what competes with it.

    `staleness_days` follows from the basis date alone, so it is left out of
    equality: two dates that show the same claims show the same picture.
    """

    metric: str
    party: str
    region: str | None
    shape: str
    value: Number
    low: Number | None
    high: Number | None
    qualifier: str
    unit: str
    valid: dt.date
    as_of: dt.date | None
    since: dt.date | None
    period: tuple[dt.date | None, dt.date] | None
    claimant: str | None
    outlet: str | None
    report: dt.date | None
    claims: tuple[str, ...]
    articles: tuple[str, ...]
    held_since: dt.date
    competing: tuple[Competitor, ...]
    rule: str
    adjustments: tuple[Adjustment, ...] = ()
    staleness_days: int = field(default=0, eq=False)

    @property
    def key(self) -> SeriesKey:
        return (self.metric, self.party, self.region, self.shape)

    @property
    def section(self) -> str:
        return section(self.metric, self.shape)

    def to_data(self) -> dict[str, Any]:
        return value_data(self, self.claimant, derived=False)


def values_by_column(count: int, columns: dict[str, Iterable[Any]]) -> list[Value]:
    """`count` Values from one iterable per field, built a field at a time.

    A question builds a Value for each of thousands of series; attrs' frozen
    __init__ sets 23 fields one Python call at a time (about 3.7 us a value
    here), where setting each field's slot across all values in one `map`
    runs in C (about 1.5 us). Value has no validators or converters, so the
    objects are the ones __init__ would make.
    """
    objects = list(map(_new, repeat(Value, count)))
    for name, setter in _SLOT_SETTERS:
        deque(map(setter, objects, columns[name]), maxlen=0)
    return objects


def value_data(v: Any, claimant: str | None, derived: bool) -> dict[str, Any]:
    """The JSON shape every value shares, reported (Value) or derived (projections.derive)."""
    return {
        "metric": v.metric,
        "party": v.party,
        "region": v.region,
        "shape": v.shape,
        "section": v.section,
        "value": v.value,
        "low": v.low,
        "high": v.high,
        "qualifier": v.qualifier,
        "unit": v.unit,
        "as_of": v.valid.isoformat() if v.period is None else None,
        "period": None if v.period is None else {
            "start": None if v.period[0] is None else v.period[0].isoformat(),
            "end": v.period[1].isoformat(),
        },
        "valid": v.valid.isoformat(),
        "since": None if v.since is None else v.since.isoformat(),
        "staleness_days": v.staleness_days,
        "held_since": v.held_since.isoformat(),
        "claimant": claimant,
        "outlet": v.outlet,
        "report": None if v.report is None else v.report.isoformat(),
        "claims": list(v.claims),
        "articles": list(v.articles),
        "supports": len(v.articles),
        "competing": [c.to_data() for c in v.competing],
        "rule": v.rule,
        "adjustments": [a.to_data() for a in v.adjustments],
        "derived": derived,
    }


class LazyValues(Sequence):
    """A state's values, built when one is first read: a question whose caller reads none of them (or asks only
    the chosen claims) does not pay for thousands of objects. Reads, compares, hashes and pickles as the tuple
    it stands for."""

    __slots__ = ("_build", "_items", "_len")

    def __init__(self, build: Callable[[], Iterable[Value]], length: int) -> None:
        self._build: Callable[[], Iterable[Value]] | None = build
        self._items: tuple[Value, ...] | None = None
        self._len = length

    def _all(self) -> tuple[Value, ...]:
        if self._items is None:
            assert self._build is not None
            self._items, self._build = tuple(self._build()), None
        return self._items

    def __len__(self) -> int:
        return self._len

    def __getitem__(self, index: Any) -> Any:
        return self._all()[index]

    def __iter__(self) -> Iterator[Value]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyValues):
            other = other._all()
        return self._all() == other

    def __hash__(self) -> int:
        return hash(self._all())

    def __add__(self, other: Iterable[Value]) -> tuple[Value, ...]:
        return self._all() + tuple(other)

    def __radd__(self, other: Iterable[Value]) -> tuple[Value, ...]:
        return tuple(other) + self._all()

    def __repr__(self) -> str:
        return repr(self._all())

    def __reduce__(self) -> Any:
        return tuple, (self._all(),)


@frozen
class State:
    """The claimed picture at a basis: one value per series, in section order (`values` may be a LazyValues)."""

    basis: Basis
    values: tuple[Value, ...]
    undated: int = 0  # claims in the picture's series that carry no valid date: kept, never in a state
    note: str | None = field(default=None, eq=False)  # a plain sentence when the state is empty

    def by_series(self) -> dict[SeriesKey, Value]:
        return {v.key: v for v in self.values}

    def to_data(self) -> dict[str, Any]:
        data = {"basis": self.basis.to_data(), "values": [v.to_data() for v in self.values], "undated": self.undated}
        if self.note is not None:
            data["note"] = self.note
        return data


_new = object.__new__
_SLOT_SETTERS = tuple((f.name, getattr(Value, f.name).__set__) for f in fields(Value))


def ordered(values: list[Value]) -> tuple[Value, ...]:
    return tuple(sorted(values, key=lambda v: series_order(v.key)))
