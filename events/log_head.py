"""The head a log records apart from its events (log_head: the last position and its hash), read and held to
the last event, and the read models folded again against it, the same way on either backend
(events.sqlite_store, events.pg_store)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from events.chain import BrokenChain, checked, head_mismatch, refusal
from events.envelope import Recorded
from events.store import Projector, StoreError, gc_paused


# The recorded head, and the last event it must be.
HEAD = "SELECT position, hash FROM log_head"
LAST_EVENT = "SELECT position, hash FROM events ORDER BY position DESC LIMIT 1"


class RecordedHead:
    """For a store with `conn` (a DB-API connection whose execute returns a cursor), `label` (how its errors name
    the log), `snapshot()`, `transaction()`, `read()`, `projectors`, `_mark` and `_locked_tip` (the head read so
    that no append moves it until the transaction ends)."""

    conn: Any
    label: str  # the log's file or URL, as errors name it

    def head(self) -> int:
        return self.tip()[0]

    def tip(self) -> tuple[int, str]:
        """The head the log records apart from its events: the last event's position and hash."""
        return head_of(self.conn.execute(HEAD).fetchone(), self.label)

    def _check_head(self) -> None:
        """Refuse a log whose recorded head is not its last event (both read in one snapshot)."""
        with self.snapshot():  # type: ignore[attr-defined]
            problem = head_mismatch(self.tip(), self._last())
        if problem:
            raise StoreError(f"{self.label}: not a usable timeline log ({problem}; see `timeline verify`)")

    def _last(self) -> tuple[int, str] | None:
        return _last_of(self.conn.execute(LAST_EVENT).fetchone())

    def _linkable(self, head_row: Any, last_row: Any) -> tuple[int, str]:
        """The head to link an append from (the rows of HEAD, locked, and LAST_EVENT), once it is known to be
        the last event."""
        head = head_of(head_row, self.label)
        problem = head_mismatch(head, _last_of(last_row))
        if problem:
            raise StoreError(f"{self.label}: the log head does not match its events ({problem}):"
                             " nothing was written (see `timeline verify`)")
        return head

    def _replay(self, proj: Projector, start: int, rows: Iterable[Recorded] | None = None) -> None:
        """Fold the events from `start` (or `rows`) into one read model, a batch at a time, and mark it at the head."""
        batch: list[Recorded] = []
        for row in self.read(start) if rows is None else rows:  # type: ignore[attr-defined]
            batch.append(row)
            if len(batch) >= 20000:
                proj.apply(self.conn, batch)
                batch = []
        if batch:
            proj.apply(self.conn, batch)
        self._mark(proj, self.head())  # type: ignore[attr-defined]

    def rebuild(self) -> int:
        """Empty every read model and fold it again from the log; one transaction.

        The log is verified as it is read: at a break the transaction is
        rolled back, so an altered event never reaches the read models.
        """
        try:
            with gc_paused(), self.transaction() as c:  # type: ignore[attr-defined]
                head, digest = self._locked_tip(c)  # type: ignore[attr-defined]
                for proj in self.projectors:  # type: ignore[attr-defined]
                    proj.reset(c)
                    proj.setup(c)
                    self._mark(proj, 0)  # type: ignore[attr-defined]
                    self._replay(proj, 1, checked(self.read(), head, digest))  # type: ignore[attr-defined]
        except BrokenChain as broken:
            raise StoreError(f"{self.label}: {refusal(broken.report, 'the read models were not rebuilt')}") from None
        return self.head()


def head_of(row: Any, label: str) -> tuple[int, str]:
    """The position and hash of a row of log_head (`label` names the log in the error when the row is missing)."""
    if row is None:
        raise StoreError(f"{label}: not a usable timeline log (its head, the row of log_head, is missing)")
    return row[0], row[1]


def _last_of(row: Any) -> tuple[int, str] | None:
    return None if row is None else (row[0], row[1].hex())
