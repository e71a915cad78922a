"""The hash chain: how a row is linked to the one before it, and how a run of rows is checked.

Kept apart from any storage backend so that every backend, the JSONL import
and `verify` agree on one definition.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from attrs import frozen

from events.digest import chain_hash
from events.envelope import Recorded

GENESIS = "0" * 64


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@frozen
class Problem:
    """The first place a chain is broken, and what is wrong there."""

    position: int
    message: str


@frozen
class VerifyReport:
    count: int
    head: str
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def expected_hash(row: Recorded) -> str:
    return chain_hash(row.prev_hash, row.type, row.id, row.recorded_at, row.payload, row.version)


class BrokenChain(Exception):
    """Raised by `checked` at the first break; `report` says where and what."""

    def __init__(self, report: VerifyReport) -> None:
        super().__init__(report.problem.message if report.problem else "broken chain")
        self.report = report


def checked(rows: Iterable[Recorded], expected_count: int | None = None,
            expected_head: str | None = None) -> Iterator[Recorded]:
    """The rows, each only once it is known to be linked rightly; BrokenChain at the first break.

    `expected_count` and `expected_head` are the head the store recorded
    separately (position and hash): without them a removed last row, or rows
    rewritten and chained again, would leave a chain that is still internally
    whole. Rebuilding and exporting read the log through this, so that they
    never carry an altered event further.
    """
    prev = GENESIS
    n = 0
    for row in rows:
        n += 1
        if row.position != n:
            missing = n if row.position > n else row.position
            raise BrokenChain(VerifyReport(n - 1, prev, Problem(
                missing, f"position {n} expected, found {row.position}: a row is missing or out of order")))
        if row.prev_hash != prev:
            raise BrokenChain(VerifyReport(n - 1, prev, Problem(n, "prev_hash does not match the hash of the row before")))
        if expected_hash(row) != row.hash:
            raise BrokenChain(VerifyReport(n - 1, prev, Problem(
                n, "hash does not match the row's contents (payload, id, type, version or time altered)")))
        prev = row.hash
        yield row
    if expected_count is not None and expected_count > n:
        raise BrokenChain(VerifyReport(n, prev, Problem(
            n + 1, f"the log head records {expected_count} events but only {n} remain: rows were removed")))
    if expected_count is not None and expected_count < n:
        raise BrokenChain(VerifyReport(n, prev, Problem(
            expected_count + 1, f"the log head records {expected_count} events but {n} are present:"
            " rows were added past the head")))
    if expected_head is not None and expected_head != prev:
        raise BrokenChain(VerifyReport(n, prev, Problem(
            max(n, 1), "the log head's hash does not match the last event's: the head, or events and their chain,"
            " were altered")))


def head_mismatch(head: tuple[int, str], last: tuple[int, str] | None) -> str | None:
    """What is wrong when the recorded head (position, hash) is not the last event's (None: an empty log)."""
    position, digest = head
    at, last_hash = last if last is not None else (0, GENESIS)
    if position != at:
        return f"the log head records {position} events but the last event is at position {at}"
    if digest != last_hash:
        return f"the log head's hash is not the hash of the last event (position {at})"
    return None


def refusal(report: VerifyReport, what: str) -> str:
    """One line refusing `what` on a log whose chain is broken."""
    p = report.problem
    assert p is not None
    return f"the log fails verification at position {p.position} ({p.message}): {what} (see `timeline verify`)"


def check(rows: Iterable[Recorded], expected_count: int | None = None,
          expected_head: str | None = None) -> VerifyReport:
    """Walk rows in position order; stop at the first break."""
    n, head = 0, GENESIS
    try:
        for row in checked(rows, expected_count, expected_head):
            n, head = n + 1, row.hash
    except BrokenChain as broken:
        return broken.report
    return VerifyReport(n, head)
