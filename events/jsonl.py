"""JSON Lines export and import that carry the hash chain.

An import is checked whole (every line parsed, every event decoded, the chain
recomputed) before anything is appended, so a bad file changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import IO

from events.chain import check
from events.codec import DecodeError, decode, dumps, event_id
from events.model import Recorded
from events.store import Pending, StoreError

FIELDS = ("position", "id", "type", "version", "recorded_at", "payload", "prev_hash", "hash")


def export_lines(rows: Iterable[Recorded]) -> Iterator[str]:
    for r in rows:
        yield dumps(
            {
                "position": r.position,
                "id": r.id,
                "type": r.type,
                "version": r.version,
                "recorded_at": r.recorded_at,
                "payload": json.loads(r.payload),
                "prev_hash": r.prev_hash,
                "hash": r.hash,
            }
        ) + "\n"


def parse(stream: IO[str], name: str = "input") -> list[Recorded]:
    """Every row of a JSONL export, checked; StoreError names the first bad line."""
    rows: list[Recorded] = []
    for n, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as err:
            raise StoreError(f"{name}: line {n}: not JSON ({err.msg})") from None
        except RecursionError:
            raise StoreError(f"{name}: line {n}: JSON nested too deeply to be an event row") from None
        if not isinstance(data, dict) or any(k not in data for k in FIELDS):
            missing = [k for k in FIELDS if not isinstance(data, dict) or k not in data]
            raise StoreError(f"{name}: line {n}: not an event row (missing {', '.join(missing)})")
        for key in ("id", "prev_hash", "hash"):
            if not _is_digest(data[key]):
                raise StoreError(f"{name}: line {n}: {key} is not a sha256 hex digest")
        payload = data["payload"]
        try:
            event = decode(str(data["type"]), payload)
        except DecodeError as err:
            raise StoreError(f"{name}: line {n}: {err}") from None
        if event_id(event) != data["id"]:
            raise StoreError(f"{name}: line {n}: id {data['id'][:12]} is not the id of its payload ({event_id(event)[:12]})")
        try:
            rows.append(
                Recorded(
                    int(data["position"]), str(data["id"]), str(data["type"]), int(data["version"]),
                    str(data["recorded_at"]), dumps(payload), str(data["prev_hash"]), str(data["hash"]),
                )
            )
        except (TypeError, ValueError):
            raise StoreError(f"{name}: line {n}: malformed envelope") from None
    report = check(rows)
    if not report.ok:
        assert report.problem is not None
        where = _line_of(rows, report.problem.position)
        raise StoreError(f"{name}: line {where}: broken hash chain at position {report.problem.position}: {report.problem.message}")
    return rows


def _is_digest(value: object) -> bool:
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)


def _line_of(rows: list[Recorded], position: int) -> int:
    """Rows are numbered by their position in a valid export; blank lines aside, that is the line."""
    return min(position, len(rows)) if rows else 1


def as_pending(rows: Iterable[Recorded]) -> list[Pending]:
    """Re-append rows keeping their ids and record times."""
    return [Pending(r.id, r.type, r.payload, r.recorded_at) for r in rows]
