"""The questions a read model answers: the seam between the API and a storage backend.

Each backend keeps its read tables and the SQL that reads them in one module
of functions taking a connection (projections.readmodel for SQLite,
projections.pg_readmodel for PostgreSQL); projections.reader.TableReadModel
puts any such module behind this protocol, with the in-memory index on top.
Every backend passes the same contract tests (tests/test_readmodel_contract.py).
Answers asked inside one `snapshot()` see the same log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from contextlib import AbstractContextManager
from typing import Any, Protocol

from projections.state import Basis, State
from projections.review import Standing
from projections.series import ClaimRow, Filters

MIN_PREFIX = 6  # the shortest id prefix a lookup takes (claims, articles)


class ReadModel(Protocol):
    def snapshot(self) -> AbstractContextManager[Any]:
        """One read transaction: every question asked inside sees the same log."""
        ...

    def head(self) -> int:
        """The log position the read model has folded up to."""
        ...

    def state(self, basis: Basis, filters: Filters = Filters()) -> State:
        """The value of every series matching `filters` at `basis` (projections.fold's rules)."""
        ...

    def chosen(self, basis: Basis, filters: Filters = Filters()) -> dict[tuple, str]:
        """The id of the claim each series' value shows first at `basis`, by series key (the state's choice,
        without the values themselves)."""
        ...

    def earliest_valid(self, basis: Basis, filters: Filters = Filters()) -> dt.date | None:
        """The earliest valid date of the claims the basis admits, whatever its date: for an empty state's note."""
        ...

    def known_values(self) -> dict[str, list[str]]:
        """The metrics, parties and regions the log holds claims about."""
        ...

    def claim_ids(self, prefix: str, limit: int = 3, position: int | None = None) -> list[str]:
        """Ids of claims (reported, or replacements brought by corrections) starting with a hex prefix."""
        ...

    def retraction(self, claim_id: str) -> tuple[int, str] | None:
        """(position, reason) of the first retraction of a claim, or None."""
        ...

    def series_claims(self, filters: Filters, position: int | None = None) -> list[tuple[ClaimRow, int | None]]:
        """Every claim of the matching series (any date, retired or not) with the position that retires it; with
        `position`, report dates and outlets as the articles' metadata corrected by then has them."""
        ...

    def amendments(self, claim_ids: Collection[str]) -> list[tuple]:
        """Retractions and corrections against these claims, in log order:
        (claim_id, position, kind, reason, adjustment, replacement_id)."""
        ...

    def reviews(self, basis: Basis) -> Standing:
        """The review standing at the basis position: the claims rejected, the claims reviewed (projections.review)."""
        ...

    def evidence(self, positions: Collection[int]) -> dict[int, tuple]:
        """The evidence of the claims at these positions: position -> (quote, span start, span end,
        article id, dataset as JSON text or None)."""
        ...

    def review_marks(self, claim_ids: Collection[str], position: int) -> list[tuple]:
        """Every review mark on these claims by `position`, in log order:
        (claim_id, position, mark, reviewer, note, at)."""
        ...

    def review_positions(self, claim_ids: Collection[str]) -> list[int]:
        """The log positions of every review mark on these claims, in order."""
        ...

    def ids_between(self, low: bytes, high: bytes, position: int) -> list[tuple[bytes, str]]:
        """Up to 3 (id, type) of the events with ids in [low, high] appended by `position`."""
        ...


    # -- for check and graph: what they read of the read model instead of the log --------------------------

    def checked_rows(self, basis: Basis, first: Callable[[dict], Collection[int]]) -> Any:
        """Each claim `basis` admits with a valid date on or before its date (with flags: whether `check` must
        read its quote again, projections.quotes; whether it is dated after its report), as rows of the read
        tables by series and valid date, the series `first` picks of the series keys before the others, with the claims of corrected articles apart; iterate inside `snapshot()`."""
        ...

    def claim_rows_at(self, positions: Collection[int]) -> dict[int, ClaimRow]:
        """The claims at these log positions, by position."""
        ...

    def claim_ids_at(self, positions: Collection[int]) -> dict[int, str]:
        """The ids of the claims at these log positions, by position."""
        ...

    def claim_bounds_at(self, positions: Collection[int]) -> dict[int, tuple]:
        """(low, high) of the claims at these log positions, by position."""
        ...

    def latest_valid(self, position: int) -> dt.date | None:
        """The latest valid date of the claims appended by `position`."""
        ...

    def corrections_by(self, position: int) -> list[tuple[str, str]]:
        """(claim id, reason) of every correction recorded by `position`, in log order."""
        ...

    def article_texts(self, article_ids: Collection[str], position: int) -> dict[str, tuple[str, str]]:
        """The file and text of each of these articles ingested by `position`."""
        ...

    def graphed_claims(self, position: int, known_at: int | None, as_of: int, also: Collection[str] = ()) -> Any:
        """The claims a graph at this basis draws, in log order, then those of `also` (timeline.provenance)."""
        ...

    def replaced_by(self, position: int) -> list[str]:
        """The ids of the claims that corrections recorded by `position` replace."""
        ...

    def articles_by(self, position: int) -> list[tuple]:
        """The articles ingested by `position` with their metadata."""
        ...

    def amendments_by(self, position: int) -> tuple[list[tuple], list[tuple], list[tuple]]:
        """The retractions, corrections and review marks recorded by `position`."""
        ...

    # -- articles and the corrections of their metadata (projections.metadata) ------------------------------

    def articles_matching(self, ref: str, min_prefix: int) -> list[dict[str, Any]]:
        """The articles whose file name is `ref`, else whose id starts with it, with their metadata now."""
        ...

    def corrected_articles(self, position: int) -> dict[str, Any]:
        """The metadata of each article corrected by `position`, by article id."""
        ...

    def correction_positions(self, article_ids: Collection[str], position: int) -> list[int]:
        """The positions of the corrections of these articles' metadata recorded by `position`."""
        ...
