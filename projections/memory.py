"""An in-memory index of the claims read model, for processes that ask many questions.

Per series, parallel arrays sorted by valid date: valid and report dates (day
ordinals), log positions, retired positions, a figure key (the hash of value
and unit), and what a value shows (figures, profile, article,
dataset, dates, the 32-byte claim id). A question bisects each series at its
date and walks back past the claims the basis does not admit; when the chosen
date has a single claim and the admitted date before it carries another
figure (the common case) the value is that claim alone, built from the arrays
as projections.choose.single would build it. Every other series (ties, runs of
one figure, hash collisions) is answered by the read model's own path, so both
give identical values; the property tests hold them (and the reference fold)
to that.

The index is built from the read model on first use and refreshed when the
log head moves: new claims are inserted in place, new articles and details
are read, and it is built again when a retraction or a correction arrived, as
those change claims already indexed.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from array import array
from bisect import bisect_right
from itertools import groupby
from operator import itemgetter

from attrs import frozen

from projections.basis import Basis, State, Value
from projections.readmodel import profiles, series_list, undated, values_at, with_adjustments
from projections.series import Filters, SeriesKey

NEVER = 2**31 - 1  # a retired position for claims never retired, a report date for claims with none

# One pass over claims and events in step (positions ascending), sorted by SQLite's sorter rather than read
# through the (series, valid) index, which would visit the table rows in random order.
_LOAD = (
    "SELECT c.series_id, c.valid, c.position, coalesce(c.report, ?1), coalesce(c.retired, ?1), c.value, c.low,"
    " c.high, c.profile, coalesce(c.article, 0), coalesce(c.dataset, 0), coalesce(c.as_of, 0), coalesce(c.since, 0),"
    " coalesce(c.period_start, 0), e.id FROM claims c NOT INDEXED JOIN events e ON e.position = c.position"
    " WHERE c.valid IS NOT NULL{after} ORDER BY c.series_id + 0, c.valid, c.position"
)
_first = itemgetter(0)
class _Series:
    """One series' claims, sorted by valid date, as parallel arrays."""

    __slots__ = ("valid", "position", "report", "retired", "figure", "value", "low", "high", "profile", "article",
                 "dataset", "as_of", "since", "period_start", "ids")

    def __init__(self) -> None:
        self.valid, self.position, self.report, self.retired = array("i"), array("i"), array("i"), array("i")
        self.figure = array("q")
        self.value: list = []
        self.low: list = []
        self.high: list = []
        self.profile, self.article, self.dataset = array("i"), array("i"), array("i")
        self.as_of, self.since, self.period_start = array("i"), array("i"), array("i")
        self.ids = bytearray()

    def extend(self, rows: list[tuple], units: dict[int, tuple]) -> None:
        """Append rows that sort after those held."""
        (_, valid, position, report, retired, value, low, high, profile, article, dataset, as_of, since, start,
         ids) = zip(*rows)
        self.valid.extend(valid)
        self.position.extend(position)
        self.report.extend(report)
        self.retired.extend(retired)
        self.figure.extend([hash(f) for f in zip(value, map(units.__getitem__, profile))])
        self.value.extend(value)
        self.low.extend(low)
        self.high.extend(high)
        self.profile.extend(profile)
        self.article.extend(article)
        self.dataset.extend(dataset)
        self.as_of.extend(as_of)
        self.since.extend(since)
        self.period_start.extend(start)
        self.ids.extend(b"".join(ids))

    def insert(self, row: tuple, units: dict[int, tuple]) -> None:
        at = bisect_right(self.valid, row[1])
        for name, x in zip(self.__slots__[:4], row[1:5]):
            getattr(self, name).insert(at, x)
        self.figure.insert(at, hash((row[5], units[row[8]])))
        for name, x in zip(self.__slots__[5:14], row[5:14]):
            getattr(self, name).insert(at, x)
        self.ids[32 * at : 32 * at] = row[14]


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
        self.files: dict[int, str] = {}  # article (details id of its article id) -> file
        self.texts: dict[int, str] = {}  # details id -> text
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
        units = self._lookups(conn, self.head)
        for row in conn.execute(_LOAD.format(after=" AND c.position > ?2"), (NEVER, self.head)):
            s = self.series.get(row[0])
            if s is None:
                s = self.series[row[0]] = _Series()
            s.insert(row, units)
        if len(self.keys) != conn.execute("SELECT count(*) FROM series").fetchone()[0]:
            self._keys(conn)
        self.head = head

    def load(self, conn: sqlite3.Connection, head: int | None = None) -> LoadReport:
        """Build the index from the read model."""
        t0 = time.perf_counter()
        if head is None:
            head = conn.execute("SELECT position FROM log_head").fetchone()[0]
        self.files, self.texts = {}, {}
        units = self._lookups(conn, 0)
        self.series = series = {}
        n = 0
        cur = conn.execute(_LOAD.format(after=""), (NEVER,))
        while True:  # in chunks, so that only a chunk of rows is held at a time
            chunk = cur.fetchmany(65536)
            if not chunk:
                break
            n += len(chunk)
            for sid, rows in groupby(chunk, key=_first):
                s = series.get(sid)
                if s is None:
                    s = series[sid] = _Series()
                s.extend(list(rows), units)
        self._keys(conn)
        self.head = head
        return LoadReport(n, len(self.series), time.perf_counter() - t0)

    def _lookups(self, conn: sqlite3.Connection, since: int) -> dict[int, tuple]:
        """Read the profiles, and the articles and details added since the last read; the unit by profile."""
        self.profiles = profiles(conn)
        self.files.update(conn.execute("SELECT article, file FROM articles WHERE position > ?", (since,)))
        self.texts.update(conn.execute("SELECT detail_id, text FROM details WHERE detail_id > ?",
                                       (max(self.texts, default=0),)))
        return {pid: p[1] for pid, p in self.profiles.items()}

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
        values: dict[int, Value] = {}
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
            values[sid] = self._single(s, i, key, basis)
        if other:
            values.update(values_at(conn, basis, other))
        chosen = [values[sid] for sid, _ in wanted if sid in values]
        return State(basis, tuple(with_adjustments(conn, chosen, basis)), undated(conn, basis, wanted))

    def _single(self, s: _Series, i: int, key: SeriesKey, basis: Basis) -> Value:
        """The value of a lone claim: what projections.choose.single builds from its row."""
        qualifier, unit, claimant, outlet, _, _ = self.profiles[s.profile[i]]
        claim_id = s.ids[32 * i : 32 * i + 32].hex()
        article = s.article[i]
        source = self.files.get(article) if article else None
        if source is None:
            dataset = s.dataset[i]
            if dataset:
                source = self.texts.get(dataset)
        shown = source or (self.texts.get(article) if article else None) or claim_id
        day = _DAYS
        valid = day[s.valid[i]]
        as_of, since = s.as_of[i], s.since[i]
        period = (day[s.period_start[i]], valid) if key[3] == "window" else None
        return Value(
            key[0], key[1], key[2], key[3], s.value[i], s.low[i], s.high[i], qualifier, unit, valid,
            day[as_of] if as_of else None, day[since] if since else None, period, claimant, outlet, day[s.report[i]],
            (claim_id,), (shown,), valid, (), "only figure", (), (basis.as_of - valid).days,
        )


class _Days(dict):
    """Day ordinal -> date, made once each; 0 (no date) and NEVER (no report date) -> None."""

    def __missing__(self, day: int) -> dt.date | None:
        d = None if day in (0, NEVER) else dt.date.fromordinal(day)
        self[day] = d
        return d


_DAYS = _Days()
