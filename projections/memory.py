"""An in-memory index of the claims read model, for processes that ask many questions.

Every dated claim sits in columns (numpy arrays) sorted by series, valid date
and log position; `key` packs the series id and the valid date (day ordinal)
into one int64, so one binary search finds each series' date. A question is
answered for all series at once: search every series at its date, step back
past the claims the basis does not admit, then ask whether the chosen date has
a single admitted claim and whether the admitted date before it carries
another figure (value and unit). Those series (the common case) take the
value of that claim alone, built as projections.choose.single builds it.
Every other series (ties, runs of one figure, hash collisions of figures) is
answered by the read model's own path, so both give identical values; the
property tests hold them (and the reference fold) to that.

The steps back run as rounds over the series still stepping, so a question
costs a few array passes over the series, not a Python loop over them: that
is what brings a warm question level with DuckDB over the same claims
(bench/, docs/performance.md).

The index is built from the read model on first use and refreshed when the
log head moves: new claims are merged in, new articles and details are read,
and it is built again when a retraction or a correction arrived, as those
change claims already indexed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
import time
from collections.abc import Iterable
from itertools import repeat

import numpy as np
from attrs import evolve, frozen

from projections.state import Basis, LazyValues, State, Value, values_by_column
from projections import readmodel
from projections.series import Filters, SeriesKey

NEVER = 2**31 - 1  # a retired position for claims never retired, a report date for claims with none
DAY_BITS = 32  # key = series_id << 32 | valid day ordinal
DAY_MASK = (1 << DAY_BITS) - 1

# The int32 columns, in index_rows' order after the key: position .. retired, then profile .. period_start.
_INTS = ("position", "report", "retired", "profile", "article", "dataset", "as_of", "since", "period_start")
_OBJECTS = ("value", "low", "high")  # the numbers as read (int or float), kept as Python objects


class _Columns:
    """The claims sorted by key (series, valid date), then log position.

    `key`, `figure` and `ids` are arrays of their own; the int32 columns of
    _INTS sit side by side in the rows of `ints`, and value, low and high in
    the rows of `nums`, so that gathering a question's claims touches one
    place in memory per claim rather than one per column.
    """

    __slots__ = ("key", "figure", "ids", "ints", "nums")

    def __init__(self, parts: list[dict[str, np.ndarray]]) -> None:
        for name in self.__slots__:
            arrays = [p[name] for p in parts]
            setattr(self, name, np.concatenate(arrays) if arrays else _empty(name))

    @staticmethod
    def part(rows: list[tuple], units: dict[int, str]) -> dict[str, np.ndarray]:
        """One chunk of index_rows as arrays."""
        (sid, valid, position, report, retired, value, low, high, profile, article, dataset, as_of, since, start,
         ids) = zip(*rows)
        nums = np.empty((len(rows), len(_OBJECTS)), dtype=object)
        for x, col in enumerate((value, low, high)):
            nums[:, x] = col
        return {
            "key": (np.array(sid, dtype=np.int64) << DAY_BITS) | np.array(valid, dtype=np.int64),
            "figure": np.array([hash(f) for f in zip(value, map(units.__getitem__, profile))], dtype=np.int64),
            "ids": np.frombuffer(b"".join(ids), dtype=np.uint8).reshape(-1, 32),
            "ints": np.array([position, report, retired, profile, article, dataset, as_of, since, start],
                             dtype=np.int32).T.copy(),
            "nums": nums,
        }

    def merged(self, new: "_Columns") -> "_Columns":
        """These claims and later ones (higher positions), in key order; ties keep position order."""
        both = _Columns.__new__(_Columns)
        for name in self.__slots__:
            setattr(both, name, np.concatenate((getattr(self, name), getattr(new, name))))
        order = np.argsort(both.key, kind="stable")
        for name in self.__slots__:
            setattr(both, name, getattr(both, name)[order])
        return both

    def column(self, name: str) -> np.ndarray:
        """One int32 column (a strided view)."""
        return self.ints[:, _INTS.index(name)]

    def __len__(self) -> int:
        return len(self.key)

    def date_table(self) -> _DateTable:
        """Dates for every day these claims mention."""
        return _DateTable((self.key & DAY_MASK, *(self.column(n) for n in ("as_of", "since", "period_start", "report"))))


def _empty(name: str) -> np.ndarray:
    if name == "ids":
        return np.empty((0, 32), dtype=np.uint8)
    if name == "ints":
        return np.empty((0, len(_INTS)), dtype=np.int32)
    if name == "nums":
        return np.empty((0, len(_OBJECTS)), dtype=object)
    return np.empty(0, dtype=np.int64)


def _objects(values: Iterable) -> np.ndarray:
    """An object array of exactly these Python objects (np.array would turn a tuple of ints into int64)."""
    values = tuple(values)
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


@frozen
class LoadReport:
    claims: int
    series: int
    seconds: float


class MemoryIndex:
    """The claims of every series in memory, kept at the log position `head`."""

    def __init__(self, questions: Any = readmodel) -> None:
        self.q = questions  # the read model's questions: projections.readmodel, or pg_readmodel for PostgreSQL
        self.head = -1
        self.columns = _Columns([])
        self.keys: list[tuple[int, SeriesKey]] = []
        self.profiles: dict[int, tuple] = {}
        self.files: dict[int, str] = {}  # article (details id of its article id) -> file
        self.texts: dict[int, str] = {}  # details id -> text
        self._wanted: dict[Filters, _Wanted] = {}
        self._profile_parts: tuple[np.ndarray, ...] = ()
        self._file_of = self._text_of = _objects(())  # details id -> article file, -> details text
        self._dates = _DateTable(())
        self._retired = False  # whether any indexed claim is retired (a refresh with retirements reloads)
        self._gates: dict[tuple, Any] = {}  # (head, basis position, reviewed) -> the reviews' gate at that basis

    # -- keeping it --------------------------------------------------------

    def refresh(self, conn: Any) -> None:
        """Bring the index to the log head seen by `conn` (call inside the question's read snapshot)."""
        head = self.q.head(conn)
        if head == self.head:
            return
        if self.head < 0 or head < self.head or self.q.retired_since(conn, self.head):
            self.load(conn, head)
            return
        units = self._lookups(conn, self.head)
        new = self._read(self.q.index_rows(conn, NEVER, self.head), units)
        if len(new):
            self.columns = self.columns.merged(new)
            self._dates = self.columns.date_table()
            self._retired = self._retired or bool((new.column("retired") != NEVER).any())
        if len(self.keys) != self.q.series_count(conn):
            self._keys(conn)
        self.head = head

    def load(self, conn: Any, head: int | None = None) -> LoadReport:
        """Build the index from the read model."""
        t0 = time.perf_counter()
        if head is None:
            head = self.q.head(conn)
        self.files, self.texts = {}, {}
        units = self._lookups(conn, 0)
        self.columns = self._read(self.q.index_rows(conn, NEVER, None), units)
        self._dates = self.columns.date_table()
        self._retired = bool((self.columns.column("retired") != NEVER).any())
        self._keys(conn)
        self.head = head
        series = len(np.unique(self.columns.key >> DAY_BITS))
        return LoadReport(len(self.columns), series, time.perf_counter() - t0)

    @staticmethod
    def _read(cur: Any, units: dict[int, str]) -> _Columns:
        parts = []
        while True:  # in chunks, so that only a chunk of rows is held as Python objects at a time
            chunk = cur.fetchmany(65536)
            if not chunk:
                return _Columns(parts)
            parts.append(_Columns.part(chunk, units))

    def _lookups(self, conn: Any, since: int) -> dict[int, str]:
        """Read the profiles, and the articles and details added since the last read; the unit by profile."""
        self.profiles = self.q.profiles(conn)
        by_id = [self.profiles.get(pid, (None,) * 6) for pid in range(max(self.profiles, default=0) + 1)]
        self._profile_parts = tuple(_objects(p[part] for p in by_id) for part in range(4))  # qualifier .. outlet
        self.files.update(self.q.articles_since(conn, since))
        self.texts.update(self.q.details_after(conn, max(self.texts, default=0)))
        top = max(max(self.files, default=0), max(self.texts, default=0)) + 1  # details ids (0: none)
        self._file_of = _objects(self.files.get(i) for i in range(top))
        self._text_of = _objects(self.texts.get(i) for i in range(top))
        return {pid: p[1] for pid, p in self.profiles.items()}

    def _keys(self, conn: Any) -> None:
        self.keys = self.q.series_list(conn)
        self._wanted = {}

    def wanted(self, filters: Filters) -> _Wanted:
        """The series a question is about: in the order a state lists them, and by id for the arrays."""
        found = self._wanted.get(filters)
        if found is None:
            keys = [(sid, k) for sid, k in self.keys if filters.matches(k[0], k[1], k[2])]
            by_id = sorted(keys, key=lambda pair: pair[0])  # ascending keys make numpy's binary searches cheaper
            place = {sid: x for x, (sid, _) in enumerate(keys)}
            found = self._wanted[filters] = _Wanted(
                keys, by_id, np.array([sid for sid, _ in by_id], dtype=np.int64),
                tuple(_objects(k[part] for _, k in by_id) for part in range(4)), frozenset(sid for sid, _ in keys),
                np.array([place[sid] for sid, _ in by_id], dtype=np.int64))
        return found

    # -- questions -----------------------------------------------------------

    def state(self, conn: Any, basis: Basis, filters: Filters = Filters()) -> State:
        """The state at `basis`: the same State the read model's `state_at` gives."""
        if self.q.article_meta(conn, basis.position):  # report dates moved by a corrected article: the tables' path
            return self.q.state_at(conn, basis, filters)
        self.refresh(conn)
        want = self.wanted(filters)
        gate = self._gate(conn, basis)
        singles, at, other = self._select(want.sids, basis, gate)
        order = np.argsort(want.place[singles])  # the order a state lists them in
        singles, at = singles[order], at[order]
        # What needs the log is asked now, inside the read; the values themselves are built when first read.
        others = self.q.values_at(conn, basis, [want.by_id[x] for x in other.tolist()], gate) if other.size else {}
        hexed = self.columns.ids[at].tobytes().hex()
        ids = [hexed[x : x + 64] for x in range(0, 64 * len(at), 64)] + [v.claims[0] for v in others.values()]
        adjusted = self.q.adjustments_of(conn, ids, basis.position)
        undated = self.q.undated(conn, basis, want.ids, gate)
        view = self._view()

        def build() -> list[Value]:
            chosen = self._values(want, singles, at, basis, view)
            if others:
                values = dict(zip(want.sids[singles].tolist(), chosen))
                values.update(others)
                chosen = [values[sid] for sid, _ in want.keys if sid in values]
            if adjusted:
                chosen = [evolve(v, adjustments=adjusted[v.claims[0]]) if v.claims[0] in adjusted else v
                          for v in chosen]
            return chosen

        return State(basis, LazyValues(build, len(at) + len(others)), undated)  # type: ignore[arg-type]

    def chosen(self, conn: Any, basis: Basis, filters: Filters = Filters()) -> dict[SeriesKey, str]:
        """The chosen claim of every series at `basis`, by series key: the claims the state's values would show
        first, found without building the values (the lone claims straight from the arrays)."""
        if self.q.article_meta(conn, basis.position):
            return {v.key: v.claims[0] for v in self.q.state_at(conn, basis, filters).values}
        self.refresh(conn)
        want = self.wanted(filters)
        gate = self._gate(conn, basis)
        singles, at, other = self._select(want.sids, basis, gate)
        hexed = self.columns.ids[at].tobytes().hex()
        by_id = want.by_id
        out = {by_id[x][1]: hexed[64 * n : 64 * n + 64] for n, x in enumerate(singles.tolist())}
        if other.size:
            keys = [by_id[x] for x in other.tolist()]
            for sid, v in self.q.values_at(conn, basis, keys, gate).items():
                out[v.key] = v.claims[0]
        return out

    def _gate(self, conn: Any, basis: Basis) -> Gate | None:
        """The reviews at `basis`, kept while the log head stays: a process asking many questions reads them once."""
        key = (self.head, basis.position, basis.reviewed)
        if key not in self._gates:
            if len(self._gates) > 64 or any(k[0] != self.head for k in self._gates):
                self._gates = {}
            self._gates[key] = self.q.gate_at(conn, basis)
        return self._gates[key]

    def _select(self, sids: np.ndarray, basis: Basis, gate: Gate | None = None
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Which wanted series (by place in `sids`) a lone claim settles, and at which row; and the others.

        Reviews (`gate`) leave out the rejected claims' positions and, for a
        reviewed-only basis, every position not reviewed.
        """
        c = self.columns
        key, figure = c.key, c.figure
        position, retired, report = c.column("position"), c.column("retired"), c.column("report")
        n = basis.position
        k = NEVER if basis.known_at is None else basis.known_at.toordinal()

        if gate is not None:
            rejected = np.array(gate.rejected, dtype=np.int32)
            reviewed = None if gate.reviewed is None else np.array(gate.reviewed, dtype=np.int32)

            def admitted(rows: np.ndarray) -> np.ndarray:
                ok = (position[rows] <= n) & (retired[rows] > n) & (report[rows] <= k)
                if rejected.size:
                    ok &= ~np.isin(position[rows], rejected)
                if reviewed is not None:
                    ok &= np.isin(position[rows], reviewed)
                return ok
        elif n >= self.head and not self._retired:  # every claim appended and none retired: only K decides

            def admitted(rows: np.ndarray) -> np.ndarray:
                return report[rows] <= k
        else:

            def admitted(rows: np.ndarray) -> np.ndarray:
                return (position[rows] <= n) & (retired[rows] > n) & (report[rows] <= k)

        base = sids << DAY_BITS
        lo = np.searchsorted(key, base, side="left")  # each series' first row
        i = np.searchsorted(key, base | basis.as_of.toordinal(), side="right") - 1  # its last row dated <= D
        # Step back past rows the basis does not admit.
        live = np.flatnonzero(i >= lo)
        while live.size:
            live = live[~admitted(i[live])]
            i[live] -= 1
            live = live[i[live] >= lo[live]]
        found = np.flatnonzero(i >= lo)
        top = key[i[found]]  # series and date of each found series' chosen date
        # Alone: no other admitted row at the chosen date.
        j = i.copy()
        j[found] -= 1
        alone = np.zeros(len(sids), dtype=bool)
        alone[found] = True
        top_of = np.zeros(len(sids), dtype=np.int64)
        top_of[found] = top
        live = found[(j[found] >= lo[found]) & (key[j[found]] == top)]
        while live.size:
            hit = admitted(j[live])
            alone[live[hit]] = False
            live = live[~hit]
            j[live] -= 1
            live = live[(j[live] >= lo[live]) & (key[j[live]] == top_of[live])]
        lone = found[alone[found]]
        # The admitted date before: j steps back past rows the basis does not admit.
        live = lone[j[lone] >= lo[lone]]
        while live.size:
            live = live[~admitted(j[live])]
            j[live] -= 1
            live = live[j[live] >= lo[live]]
        # Breaks: that date carries an admitted row of another figure (or there is no date before).
        breaks = np.zeros(len(sids), dtype=bool)
        earlier = j[lone] >= lo[lone]
        breaks[lone[~earlier]] = True
        before = lone[earlier]
        second = np.zeros(len(sids), dtype=np.int64)
        second[before] = key[j[before]]
        live = before
        while live.size:
            rows = j[live]
            hit = (figure[rows] != figure[i[live]]) & admitted(rows)
            breaks[live[hit]] = True
            live = live[~hit]
            j[live] -= 1
            live = live[(j[live] >= lo[live]) & (key[j[live]] == second[live])]
        singles = lone[breaks[lone]]
        settled = np.zeros(len(sids), dtype=bool)
        settled[singles] = True
        return singles, i[singles], found[~settled[found]]

    def _view(self) -> tuple:
        """The arrays a value is built from; a refresh replaces them (never changes them), so values built
        later from a view are those of the log the view was taken at."""
        return self.columns, self._profile_parts, self._file_of, self._text_of, self._dates

    def _values(self, want: _Wanted, singles: np.ndarray, rows: np.ndarray, basis: Basis,
                view: tuple | None = None) -> list[Value]:
        """The value of each lone claim, as projections.choose.single builds it, built a column at a time."""
        c, profile_parts, file_of, text_of, dates = view if view is not None else self._view()
        m = len(rows)
        metric, party, region, shape = (part[singles].tolist() for part in want.parts)
        (_, report, _, profile, article, dataset, as_of, since, start) = c.ints[rows].T
        value, low, high = c.nums[rows].T.tolist()
        qualifier, unit, claimant, outlet = (part[profile].tolist() for part in profile_parts)
        hexed = c.ids[rows].tobytes().hex()
        ids = [hexed[x : x + 64] for x in range(0, 64 * m, 64)]
        days = c.key[rows] & DAY_MASK
        valid = dates(days)
        source = file_of[article]  # the article's file; else the dataset file; else the article id
        missing = np.flatnonzero(np.equal(source, None))
        if missing.size:
            source[missing] = text_of[dataset[missing]]
            missing = missing[np.equal(source[missing], None)]
            source[missing] = text_of[article[missing]]
        shown = list(zip([s if s is not None else claim_id for s, claim_id in zip(source.tolist(), ids)]))
        if "window" in shape:
            period = [(first, v) if sh == "window" else None for sh, first, v in zip(shape, dates(start), valid)]
        else:
            period = repeat(None)
        return values_by_column(m, {
            "metric": metric, "party": party, "region": region, "shape": shape,
            "value": value, "low": low, "high": high,
            "qualifier": qualifier, "unit": unit, "claimant": claimant, "outlet": outlet,
            "valid": valid, "held_since": valid, "as_of": dates(as_of), "since": dates(since),
            "period": period, "report": dates(report), "claims": list(zip(ids)), "articles": shown,
            "competing": repeat(()), "rule": repeat("only figure"), "adjustments": repeat(()),
            "staleness_days": (basis.as_of.toordinal() - days).tolist(),
        })


@frozen
class _Wanted:
    """The series a question asks about: (id, key) pairs in a state's order and by id; by id as arrays."""

    keys: list[tuple[int, SeriesKey]]
    by_id: list[tuple[int, SeriesKey]]
    sids: np.ndarray  # the ids of by_id
    parts: tuple[np.ndarray, ...]  # metric, party, region, shape of by_id
    ids: frozenset[int]
    place: np.ndarray  # where each of by_id stands in keys


class _DateTable:
    """Day ordinal -> date for every day between the first and last the index holds, gathered in one step.

    Slot 0 holds None, for 0 (no date) and NEVER (no report date).
    """

    def __init__(self, days: Iterable[np.ndarray]) -> None:
        found = [d[(d != 0) & (d != NEVER)] for d in days]
        found = [d for d in found if d.size]
        self.first = min((int(d.min()) for d in found), default=1)
        last = max((int(d.max()) for d in found), default=0)
        self.table = _objects([None, *(dt.date.fromordinal(day) for day in range(self.first, last + 1))])

    def __call__(self, days: np.ndarray) -> list[dt.date | None]:
        at = days.astype(np.int64) - (self.first - 1)
        at[(days == 0) | (days == NEVER)] = 0
        return self.table[at].tolist()


