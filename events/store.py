"""The storage contract every log backend keeps (`Store`), and an in-memory backend.

A backend appends whole batches or nothing, never stores one event id twice,
numbers events 1..n without gaps in commit order, and links each row into the
hash chain (events.chain). The contract tests in tests/test_store_contract.py
run unchanged against every backend: a new backend is one fixture there.
What a backend's read model answers is projections.questions.ReadModel.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any, Protocol

from attrs import frozen

from events.chain import GENESIS, VerifyReport, check, utc_now
from events.digest import chain_hash, dumps
from events.envelope import Recorded

if TYPE_CHECKING:
    from events.model import Event


class StoreError(Exception):
    """A problem with the log a user can act on; its message is one line.

    `param` names the API parameter (or parameters) at fault, in the library's terms: the message speaks of
    the parameter, and the CLI says which of its options to change (timeline.cli.common.cli_message).
    """

    def __init__(self, message: str, *, param: str | tuple[str, ...] | None = None) -> None:
        super().__init__(message)
        self.param = param


@frozen
class AppendResult:
    appended: tuple[Recorded, ...]
    skipped: tuple[str, ...]


@frozen
class Pending:
    """An event ready to be linked: its id, type and canonical payload."""

    id: str
    type: str
    payload: str
    recorded_at: str | None = None
    data: Any = None  # the payload as plain data, handed to read models so they need not parse it


class Store(Protocol):
    """An append-only, hash-chained event log. SQLite (events.sqlite_store) is one backend, MemoryStore another."""

    def append(self, events: Iterable[Event | Pending], *,
               recorded_at: Iterable[str | None] | None = None) -> AppendResult:
        """Append a batch in one transaction, skipping ids already in the log; all of it or nothing."""
        ...

    def read(self, start: int = 1, stop: int | None = None) -> Iterator[Recorded]:
        """The events at positions start..stop (inclusive), in position order."""
        ...

    def head(self) -> int:
        """The position of the last event (0 for an empty log)."""
        ...

    def contains(self, ids: Iterable[str]) -> set[str]:
        """Which of these event ids the log holds."""
        ...

    def position_of(self, event_id: str) -> int | None:
        """The position of an event id, or None."""
        ...

    def verify(self) -> VerifyReport:
        """Recompute the hash chain; the first altered or missing event when there is one."""
        ...

    def rebuild(self) -> int:
        """Fold the read models again from the log; returns the head."""
        ...

    def snapshot(self) -> AbstractContextManager[Any]:
        """One read transaction over the log and its read models; yields the connection the read model's
        questions take (projections.questions)."""
        ...

    def close(self) -> None: ...


class Projector(Protocol):
    """A read model kept in step with the log inside each append transaction. One may also have
    `outdated(conn) -> bool` and `upgrade(conn)`: an index of an older version remade at open, where a change
    of name (a new fold of the whole log) would be too much for it."""

    name: str

    def setup(self, conn: Any) -> None: ...

    def reset(self, conn: Any) -> None: ...

    def apply(self, conn: Any, batch: Sequence[Recorded]) -> None: ...


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic collector while a batch is encoded and written.

    An append makes several small objects per event, all alive until the batch
    is written, and none of them cyclic: the collector would only walk them
    (and everything else the process holds) again and again, which was a third
    of a large append.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def pending(events: Iterable[Event | Pending], recorded_at: Iterable[str | None] | None = None) -> list[Pending]:
    """Encode events once, dropping repeats within the batch (first one wins)."""
    from events.codec import encoded

    out: list[Pending] = []
    seen: set[str] = set()
    times = iter(recorded_at) if recorded_at is not None else None
    for ev in events:
        at = next(times) if times is not None else None
        if isinstance(ev, Pending):
            p = ev
        else:
            id_, type_name, data = encoded(ev)
            p = Pending(id_, type_name, dumps(data), data=data)
        if at is not None and p.recorded_at is None:
            p = Pending(p.id, p.type, p.payload, at, p.data)
        if p.id in seen:
            continue
        seen.add(p.id)
        out.append(p)
    return out


def link(batch: Sequence[Pending], position: int, prev_hash: str) -> list[Recorded]:
    """Number and chain a batch after the row at `position` with `prev_hash`."""
    from events.model import SCHEMA_VERSION  # the model's classes are not needed to read a log

    now = utc_now()
    rows = []
    for p in batch:
        position += 1
        at = p.recorded_at or now
        h = chain_hash(prev_hash, p.type, p.id, at, p.payload, SCHEMA_VERSION)
        rows.append(Recorded(position, p.id, p.type, SCHEMA_VERSION, at, p.payload, prev_hash, h, p.data))
        prev_hash = h
    return rows


class MemoryStore:
    """A log held in a list: the reference backend for tests and notebooks."""

    def __init__(self) -> None:
        self._rows: list[Recorded] = []
        self._ids: set[str] = set()

    def append(self, events: Iterable[Event | Pending], *, recorded_at: Iterable[str | None] | None = None) -> AppendResult:
        batch = pending(events, recorded_at)
        fresh = [p for p in batch if p.id not in self._ids]
        skipped = tuple(p.id for p in batch if p.id in self._ids)
        last = self._rows[-1].hash if self._rows else GENESIS
        rows = link(fresh, len(self._rows), last)
        self._rows.extend(rows)
        self._ids.update(r.id for r in rows)
        return AppendResult(tuple(rows), skipped)

    def read(self, start: int = 1, stop: int | None = None) -> Iterator[Recorded]:
        end = len(self._rows) if stop is None else min(stop, len(self._rows))
        return iter(self._rows[max(start, 1) - 1 : end])

    def head(self) -> int:
        return len(self._rows)

    def contains(self, ids: Iterable[str]) -> set[str]:
        return {i for i in ids if i in self._ids}

    def position_of(self, event_id: str) -> int | None:
        return next((r.position for r in self._rows if r.id == event_id), None)

    def verify(self) -> VerifyReport:
        return check(self._rows, len(self._rows))

    def rebuild(self) -> int:
        return len(self._rows)  # no read models to fold

    @contextmanager
    def snapshot(self) -> Iterator["MemoryStore"]:
        yield self  # one thread, nothing to isolate

    def close(self) -> None:
        pass
