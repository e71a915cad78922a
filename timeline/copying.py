"""Moving a whole log between backends (SQLite <-> PostgreSQL) with the same hashes.

The events keep their ids, payloads and record times, so the destination
links them into the same chain; both chains are verified and their heads
compared. A destination that already holds a prefix of the source (an
interrupted copy) gets the rest; any other non-empty destination is refused.
Batches end before an article, so an interrupted copy leaves whole articles.
"""

from __future__ import annotations

import os
from typing import Any

from attrs import frozen

from events.store import Pending
from timeline.errors import TimelineError

BATCH = 20_000  # events per transaction, at least: a batch is cut only before an article


@frozen
class CopyReport:
    source: str
    destination: str
    events: int
    copied: int
    head: str

    def to_data(self) -> dict[str, Any]:
        return {"from": self.source, "to": self.destination, "events": self.events, "copied": self.copied,
                "head": self.head}


def name_of(log: str | os.PathLike) -> str:
    from events.pg_store import display, is_url

    return display(str(log)) if is_url(log) else str(log)


def copy_log(source: str | os.PathLike, destination: str | os.PathLike) -> CopyReport:
    from timeline.api import Timeline

    if str(source) == str(destination):
        raise TimelineError(f"source {name_of(source)!r} and destination {name_of(destination)!r} name the same log",
                            param=("source", "destination"))
    with Timeline(source, create=False) as src, Timeline(destination) as dst:
        before = src.verify()
        if not before.ok:
            raise TimelineError(f"{name_of(source)}: the chain is broken at position {before.problem.position}:"
                                f" {before.problem.message}; nothing copied")
        start = dst.head()
        if start > before.count:
            raise TimelineError(f"{name_of(destination)} holds {start} events, more than {name_of(source)} ({before.count})")
        if start:
            theirs = [r.hash for r in dst.events(1, start)]
            ours = [r.hash for r in src.events(1, start)]
            if theirs != ours:
                raise TimelineError(f"{name_of(destination)} is not empty and not a copy of {name_of(source)}:"
                                    " copy into an empty log")
        copied = 0
        batch: list[Pending] = []
        for row in src.events(start + 1, before.count):
            if len(batch) >= BATCH and row.type == "ArticleIngested":
                copied += len(dst.store.append(batch).appended)
                batch = []
            batch.append(Pending(row.id, row.type, row.payload, row.recorded_at))
        if batch:
            copied += len(dst.store.append(batch).appended)
        after = dst.verify()
        if not after.ok or after.head != before.head or after.count != before.count:
            raise TimelineError(f"{name_of(destination)}: the copy does not verify to the source's head"
                                f" ({after.count} events, head {after.head[:16]}; source {before.count}, {before.head[:16]})")
        return CopyReport(name_of(source), name_of(destination), before.count, copied, before.head)
