"""The head a log records apart from its events (log_head: the last position and its hash), read and held to
the last event, and the read models folded again against it, the same way on either backend
(events.sqlite_store, events.pg_store)."""

from __future__ import annotations

from typing import Any

from events.chain import BrokenChain, checked, head_mismatch, refusal
from events.store import StoreError, gc_paused


class RecordedHead:
    """For a store with `conn` (a DB-API connection whose execute returns a cursor), `label` (how its errors name
    the log), `snapshot()`, `transaction()`, `read()`, `projectors`, `_mark`, `_replay` and `_locked_tip` (the
    head read so that no append moves it until the transaction ends)."""

    conn: Any
    label: str  # the log's file or URL, as errors name it

    def head(self) -> int:
        return self.tip()[0]

    def tip(self) -> tuple[int, str]:
        """The head the log records apart from its events: the last event's position and hash."""
        row = self.conn.execute("SELECT position, hash FROM log_head").fetchone()
        if row is None:
            raise StoreError(f"{self.label}: not a usable timeline log (its head, the row of log_head, is missing)")
        return row[0], row[1]

    def _head_problem(self) -> str | None:
        """What is wrong when the recorded head is not the last event (both read in one snapshot), else None."""
        with self.snapshot():
            return head_mismatch(self.tip(), self._last())

    def _last(self) -> tuple[int, str] | None:
        row = self.conn.execute("SELECT position, hash FROM events ORDER BY position DESC LIMIT 1").fetchone()
        return None if row is None else (row[0], row[1].hex())

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
