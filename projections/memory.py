"""An in-memory index of the claims read model, for processes that ask many questions.

Per series, parallel arrays sorted by valid date: valid and report dates (day
ordinals), log positions, retired positions and a figure key (the hash of
value, qualifier and unit). A question bisects each series at its date and
walks back past the claims the basis does not admit; when the chosen date has
a single claim and the admitted date before it carries another figure (the
common case) the value is that claim alone (projections.choose.single), read
from SQLite by its position with the others in one statement. Every other
series (ties, runs of one figure, hash collisions) is answered by the read
model's own path, so both give identical values; the property tests hold them
(and the reference fold) to that.

The index is built from the read model on first use and refreshed when the
log head moves: new claims are inserted in place, and it is built again when
a retraction or a correction arrived, as those change claims already indexed.
"""

from __future__ import annotations

import sqlite3
import time
from array import array
from bisect import bisect_right
from itertools import groupby

from attrs import frozen

from projections.basis import Basis, State, Value
from projections.choose import single
from projections.readmodel import PROFILE, claim_row, profiles, rows_at, series_list, undated, values_at, with_adjustments
from projections.series import Filters, SeriesKey

NEVER = 2**31 - 1  # a retired position for claims never retired, a report date for claims with none

_LOAD = (
    "SELECT series_id, valid, position, coalesce(report, ?1), coalesce(retired, ?1), value, profile"
    " FROM claims WHERE valid IS NOT NULL{after} ORDER BY series_id, valid, position"
)


class _Series:
    """One series' claims, sorted by (valid, position), as parallel arrays."""

    __slots__ = ("valid", "position", "report", "retired", "figure")

    def __init__(self) -> None:
        self.valid = array("i")
        self.position = array("i")
        self.report = array("i")
        self.retired = array("i")
        self.figure = array("q")

    def extend(self, rows: list[tuple], units: dict[int, tuple]) -> None:
        _, valid, position, report, retired, value, profile = zip(*rows)
        self.valid.extend(valid)
        self.position.extend(position)
        self.report.extend(report)
        self.retired.extend(retired)
        self.figure.extend([hash(f) for f in zip(value, map(units.__getitem__, profile))])

    def insert(self, row: tuple, units: dict[int, tuple]) -> None:
        _, valid, position, report, retired, value, profile = row
        at = bisect_right(self.valid, valid)
        while at > 0 and self.valid[at - 1] == valid and self.position[at - 1] > position:
            at -= 1
        self.valid.insert(at, valid)
        self.position.insert(at, position)
        self.report.insert(at, report)
        self.retired.insert(at, retired)
        self.figure.insert(at, hash((value, units[profile])))


@frozen
class LoadReport:
    claims: int
    series: int
    seconds: float


class MemoryIndex:
    """The claims of every series in memory, kept at the log position `head`."""

    def __init__(self) -> None:
        self.head = -1
        self.series: dict[int, _Series] = {}
        self.keys: list[tuple[int, SeriesKey]] = []
        self.profiles: dict[int, tuple] = {}
        self._wanted: dict[Filters, list[tuple[int, SeriesKey]]] = {}

    # -- keeping it --------------------------------------------------------

    def refresh(self, conn: sqlite3.Connection) -> None:
        """Bring the index to the log head seen by `conn` (call inside the question's read snapshot)."""
        head = conn.execute("SELECT position FROM log_head").fetchone()[0]
        if head == self.head:
            return
        if self.head < 0 or head < self.head or conn.execute(
            "SELECT EXISTS(SELECT 1 FROM retractions WHERE position > ?1)"
            " OR EXISTS(SELECT 1 FROM corrections WHERE position > ?1 AND replacement_id IS NOT NULL)",
            (self.head,),
        ).fetchone()[0]:
            self.load(conn, head)
            return
        new_series = False
        self.profiles = profiles(conn)
        units = {pid: p[:2] for pid, p in self.profiles.items()}
        for row in conn.execute(_LOAD.format(after=" AND position > ?2"), (NEVER, self.head)):
            s = self.series.get(row[0])
            if s is None:
                s = self.series[row[0]] = _Series()
                new_series = True
            s.insert(row, units)
        if new_series or len(self.keys) != conn.execute("SELECT count(*) FROM series").fetchone()[0]:
            self._keys(conn)
        self.head = head

    def load(self, conn: sqlite3.Connection, head: int | None = None) -> LoadReport:
        """Build the index from the read model."""
        t0 = time.perf_counter()
        if head is None:
            head = conn.execute("SELECT position FROM log_head").fetchone()[0]
        self.series = {}
        n = 0
        self.profiles = profiles(conn)
        units = {pid: p[:2] for pid, p in self.profiles.items()}
        cur = conn.execute(_LOAD.format(after=""), (NEVER,))
        for sid, rows in groupby(cur, key=lambda r: r[0]):
            s = self.series[sid] = _Series()
            rs = list(rows)
            s.extend(rs, units)
            n += len(rs)
        self._keys(conn)
        self.head = head
        return LoadReport(n, len(self.series), time.perf_counter() - t0)

    def _keys(self, conn: sqlite3.Connection) -> None:
        self.keys = series_list(conn)
        self._wanted = {}

    def wanted(self, filters: Filters) -> list[tuple[int, SeriesKey]]:
        found = self._wanted.get(filters)
        if found is None:
            found = self._wanted[filters] = [(sid, k) for sid, k in self.keys if filters.matches(k[0], k[1], k[2])]
        return found

    # -- questions -----------------------------------------------------------

    def state(self, conn: sqlite3.Connection, basis: Basis, filters: Filters = Filters()) -> State:
        """The state at `basis`: the same State the read model's `state_at` gives."""
        self.refresh(conn)
        wanted = self.wanted(filters)
        d = basis.as_of.toordinal()
        n = basis.position
        k = NEVER if basis.known_at is None else basis.known_at.toordinal()
        lone: dict[int, int] = {}  # series -> position of its lone chosen claim
        other: list[tuple[int, SeriesKey]] = []
        for sid, key in wanted:
            s = self.series.get(sid)
            if s is None:
                continue
            valid, position, report, retired = s.valid, s.position, s.report, s.retired
            i = bisect_right(valid, d) - 1
            while i >= 0 and (position[i] > n or retired[i] <= n or report[i] > k):
                i -= 1
            if i < 0:
                continue
            d1 = valid[i]
            j = i - 1
            alone = True
            while j >= 0 and valid[j] == d1:
                if position[j] <= n and retired[j] > n and report[j] <= k:
                    alone = False
                    break
                j -= 1
            if not alone:
                other.append((sid, key))
                continue
            while j >= 0 and (position[j] > n or retired[j] <= n or report[j] > k):
                j -= 1
            if j >= 0:
                figure = s.figure[i]
                d2 = valid[j]
                breaks = False
                while j >= 0 and valid[j] == d2:
                    if s.figure[j] != figure and position[j] <= n and retired[j] > n and report[j] <= k:
                        breaks = True
                        break
                    j -= 1
                if not breaks:
                    other.append((sid, key))
                    continue
            lone[sid] = position[i]
        values: dict[int, Value] = {}
        if lone:
            keys = dict(wanted)
            profile = self.profiles
            for raw in rows_at(conn, list(lone.values())).values():
                values[raw[0]] = single(claim_row(conn, keys[raw[0]], raw, profile[raw[PROFILE]]), basis)
        if other:
            values.update(values_at(conn, basis, other))
        chosen = [values[sid] for sid, _ in wanted if sid in values]
        return State(basis, tuple(with_adjustments(conn, chosen, basis)), undated(conn, basis, wanted))


def memory_bytes(index: MemoryIndex) -> int:
    """The bytes the index's arrays hold (for the bench)."""
    return sum(sum(a.itemsize * len(a) for a in (s.valid, s.position, s.report, s.retired, s.figure))
               for s in index.series.values())

