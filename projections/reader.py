"""A backend's read tables behind the ReadModel questions (projections.questions).

`questions` is the backend's module of read-model functions, each taking a
connection (projections.readmodel for SQLite, projections.pg_readmodel for
PostgreSQL); the connection comes from the store's `snapshot()`.

States come from one of two paths that give identical answers:

- `sql`: the read tables, nothing loaded (a command that asks one question);
- `memory`: an in-memory index of the claims (projections.memory), built
  from the read tables on first use (seconds at a million claims) and then
  kept up with the log; each question then costs milliseconds;
- `auto` (the default): the tables for the first question, the memory index
  from the second on, so a one-shot command pays nothing to load and a
  notebook or a service that keeps asking gets the index.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import TYPE_CHECKING, Any

from projections.state import Basis, State
from projections.review import Standing
from projections.series import ClaimRow, Filters

if TYPE_CHECKING:
    from projections.graph_rows import GraphRows

INDEX_MODES = ("auto", "memory", "sql")
HEX = frozenset("0123456789abcdef")


class TableReadModel:
    """The read tables of one log (any backend), answering the ReadModel questions."""

    def __init__(self, store: Any, questions: ModuleType, index: str = "auto") -> None:
        if index not in INDEX_MODES:
            raise ValueError(f"index {index!r} is not one of {', '.join(INDEX_MODES)}")
        self.store = store
        self.questions = questions
        self.index = index
        self._memory: Any = None
        self._asked = 0
        self._conn: Any = None  # the connection of the snapshot in progress

    @contextmanager
    def snapshot(self) -> Iterator["TableReadModel"]:
        if self._conn is not None:
            yield self
            return
        with self.store.snapshot() as conn:
            self._conn = conn
            try:
                yield self
            finally:
                self._conn = None

    @contextmanager
    def _read(self) -> Iterator[Any]:
        with self.snapshot():
            yield self._conn

    def head(self) -> int:
        with self._read() as conn:
            return self.questions.head(conn)

    def load_index(self) -> Any:
        """Build (or bring up to date) the memory index now; returns its load report (None when refreshed)."""
        from projections.memory import MemoryIndex

        with self._read() as conn:
            if self._memory is None:
                self._memory = MemoryIndex(self.questions)
                return self._memory.load(conn)
            self._memory.refresh(conn)
            return None

    def state(self, basis: Basis, filters: Filters = Filters()) -> State:
        self._asked += 1
        with self._read() as conn:
            if self.index == "memory" or (self.index == "auto" and (self._asked > 1 or self._memory is not None)):
                from projections.memory import MemoryIndex

                if self._memory is None:
                    self._memory = MemoryIndex(self.questions)
                return self._memory.state(conn, basis, filters)
            return self.questions.state_at(conn, basis, filters)

    def chosen(self, basis: Basis, filters: Filters = Filters()) -> dict[tuple, str]:
        """The chosen claim id of every series at `basis`; on the memory index without building values."""
        with self._read() as conn:
            if self.index == "memory" or (self.index == "auto" and self._memory is not None):
                from projections.memory import MemoryIndex

                if self._memory is None:
                    self._memory = MemoryIndex(self.questions)
                return self._memory.chosen(conn, basis, filters)
        return {v.key: v.claims[0] for v in self.state(basis, filters).values}

    def earliest_valid(self, basis: Basis, filters: Filters = Filters()) -> dt.date | None:
        with self._read() as conn:
            return self.questions.earliest_valid(conn, basis, filters)

    def known_values(self) -> dict[str, list[str]]:
        with self._read() as conn:
            return self.questions.known_values(conn)

    def claim_ids(self, prefix: str, limit: int = 3, position: int | None = None) -> list[str]:
        p = prefix.strip().lower()
        if not p or len(p) > 64 or not set(p) <= HEX:
            return []
        with self._read() as conn:
            if position is None:
                return self.questions.claim_ids(conn, p, limit)
            low, high = bytes.fromhex((p + "0" * 64)[:64]), bytes.fromhex((p + "f" * 64)[:64])
            rows = self.questions.ids_between(conn, low, high, position)
        return [bytes(i).hex() for i, t in rows if t in ("ClaimReported", "ClaimAsserted", "ClaimCorrected")][:limit]

    def retraction(self, claim_id: str) -> tuple[int, str] | None:
        with self._read() as conn:
            found = self.questions.retraction_of(conn, claim_id)
        return None if found is None else (found[0], found[1])

    def series_claims(self, filters: Filters, position: int | None = None) -> list[tuple[ClaimRow, int | None]]:
        with self._read() as conn:
            return self.questions.series_claims(conn, filters, position)

    def amendments(self, claim_ids: Collection[str]) -> list[tuple]:
        with self._read() as conn:
            return self.questions.amendments(conn, claim_ids)

    def reviews(self, basis: Basis) -> Standing:
        with self._read() as conn:
            gate = self.questions.gate_at(conn, basis)
        return Standing() if gate is None else gate.standing

    def evidence(self, positions: Collection[int]) -> dict[int, tuple]:
        with self._read() as conn:
            return self.questions.evidence(conn, positions)

    def review_marks(self, claim_ids: Collection[str], position: int) -> list[tuple]:
        with self._read() as conn:
            return self.questions.review_marks(conn, claim_ids, position)

    def review_positions(self, claim_ids: Collection[str]) -> list[int]:
        with self._read() as conn:
            return self.questions.review_positions(conn, claim_ids)

    def ids_between(self, low: bytes, high: bytes, position: int) -> list[tuple[bytes, str]]:
        with self._read() as conn:
            return self.questions.ids_between(conn, low, high, position)


    # -- for check: the admitted claims up to a date and their quotes, from the read tables ---------------------

    def checked_rows(self, basis: Basis, first: Callable[[dict], Collection[int]]) -> tuple[dict, dict, Any, list]:
        """Each claim `basis` admits with a valid date on or before its date, as the read tables hold it, by series
        and valid date (the series `first` picks of the series keys by id first): (series keys by id, profiles by
        id, rows (projections.readmodel.checked_rows), the claims of corrected articles as (ClaimRow, whether to
        read its quote again)). Iterate inside `snapshot()`; claim_rows_at reads whole the claims a finding
        names."""
        with self._read() as conn:
            return self.questions.checked_rows(conn, basis, first)

    def claim_rows_at(self, positions: Collection[int]) -> dict[int, ClaimRow]:
        """The claims at these log positions, by position (as the tables hold them)."""
        if not positions:
            return {}
        with self._read() as conn:
            keys = dict(self.questions.series_list(conn))
            profile = self.questions.profiles(conn)
            row = self.questions.claim_row
            return {p: row(conn, keys[raw[0]], raw, profile[raw[8]])
                    for p, raw in self.questions.rows_at(conn, sorted(positions)).items()}

    def claim_ids_at(self, positions: Collection[int]) -> dict[int, str]:
        """The ids of the claims at these log positions, by position."""
        if not positions:
            return {}
        with self._read() as conn:
            return self.questions.claim_ids_at(conn, positions)

    def claim_bounds_at(self, positions: Collection[int]) -> dict[int, tuple]:
        """(low, high) of the claims at these log positions, by position."""
        if not positions:
            return {}
        with self._read() as conn:
            return self.questions.claim_bounds_at(conn, positions)

    def latest_valid(self, position: int) -> dt.date | None:
        """The latest valid date of the claims appended by `position` (any standing)."""
        with self._read() as conn:
            day = self.questions.latest_valid(conn, position)
        return None if day is None else dt.date.fromordinal(day)

    def corrections_by(self, position: int) -> list[tuple[str, str]]:
        """(claim id, reason) of every correction recorded by `position`, in log order."""
        with self._read() as conn:
            return [(c, r) for c, r in self.questions.corrections_by(conn, position)]

    def article_texts(self, article_ids: Collection[str], position: int) -> dict[str, tuple[str, str]]:
        """The file and text of each of these articles ingested by `position`, by article id."""
        from events.digest import loads

        if not article_ids:
            return {}
        with self._read() as conn:
            return {a: (f, loads(p)["text"]) for a, f, p in self.questions.article_texts(conn, article_ids, position)}

    # -- for graph: the claims, articles and amendments by a position ------------------------------------------

    def graph_rows(self, position: int, known_at: int | None, as_of: int,
                   also: Collection[str] = ()) -> "GraphRows":
        """The rows (projections.graph_rows) of the claims appended by `position`, reported by `known_at` and valid
        by `as_of` or undated, in log order (the claims of articles whose metadata was corrected by `position`
        whatever their report date: GraphRows.claim follows and filters them), then those of `also` (claim ids)
        appended by `position`. Call inside `snapshot()`: the rows are read as they are iterated."""
        from projections.graph_rows import GraphRows

        conn, q = self._conn, self.questions
        if conn is None:
            raise RuntimeError("graph_rows reads inside the read model's snapshot()")
        meta = q.article_meta(conn, position)
        keys, profile, raws = q.graphed_claims(conn, position, known_at, as_of, list(meta))
        extra = q.claims_at(conn, also, position) if also else ()
        return GraphRows.of(keys, profile, meta, q.graphed_articles(conn), lambda key: q.detail(conn, key), raws,
                            extra)

    def graphed_claims(self, position: int, known_at: int | None, as_of: int,
                       also: Collection[str] = ()) -> Iterator[tuple[ClaimRow, str | None, str, Any]]:
        """The claims of graph_rows as (row with its article id, the claim it replaces, event type, evidence data
        or entered claim's payload). Report dates and outlets follow the articles' metadata as corrected by
        `position` (projections.metadata). Call inside `snapshot()`."""
        from events.digest import loads

        with self._read():
            g = self.graph_rows(position, known_at, as_of, also)
            for raws, known in ((g.rows, known_at), (g.extra, None)):
                for raw in raws:
                    item = g.claim(raw, known)
                    if item is None:
                        continue
                    data = item[3]
                    yield (*item[:3], loads(data)) if isinstance(data, (str, bytes)) else item

    def replaced_by(self, position: int) -> list[str]:
        """The ids of the claims that corrections recorded by `position` replace."""
        with self._read() as conn:
            return self.questions.replaced_by(conn, position)

    def articles_matching(self, ref: str, min_prefix: int) -> list[dict[str, Any]]:
        """The articles whose file name is `ref`, else whose id starts with it, with their metadata now."""
        with self._read() as conn:
            return self.questions.articles_matching(conn, ref, min_prefix)

    def corrected_articles(self, position: int) -> dict[str, Any]:
        """The metadata (projections.metadata.ArticleMeta) of each article corrected by `position`, by article id."""
        with self._read() as conn:
            return self.questions.corrected_articles(conn, position)

    def correction_positions(self, article_ids: Collection[str], position: int) -> list[int]:
        """The log positions of the corrections of these articles' metadata recorded by `position`."""
        with self._read() as conn:
            return self.questions.correction_positions(conn, article_ids, position)

    def articles_by(self, position: int) -> list[tuple]:
        """(position, article id, file, outlet, title, url, published, origin) of the articles by `position`."""
        with self._read() as conn:
            return [tuple(r) for r in self.questions.articles_by(conn, position)]

    def amendments_by(self, position: int) -> tuple[list[tuple], list[tuple], list[tuple]]:
        """Retractions, corrections and review marks recorded by `position` (projections.readmodel.amendments_by)."""
        with self._read() as conn:
            return self.questions.amendments_by(conn, position)
