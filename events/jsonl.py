"""JSON Lines export and import that carry the hash chain.

An import is checked whole (every line parsed, every event decoded, the chain
recomputed) before anything is appended, so a bad file changes nothing.

An export ends with one more line, `{"export_end":{"events":N,"head":H}}`:
the number of events before it and the hash of the last. An export cut
short at a line boundary is still a whole chain, so only that line tells it
from a complete one; import refuses an export without it unless asked to
take one (exports written before the end line existed have none).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import IO

from events.chain import GENESIS, check
from events.codec import DecodeError, decode, dumps, event_id
from events.envelope import Recorded
from events.store import Pending, StoreError

END = "export_end"
FIELDS = ("position", "id", "type", "version", "recorded_at", "payload", "prev_hash", "hash")


def export_lines(rows: Iterable[Recorded]) -> Iterator[str]:
    """One line per row, then the end line with their count and the last row's hash."""
    n, head = 0, GENESIS
    for r in rows:
        n, head = n + 1, r.hash
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
    yield end_line(n, head)


def end_line(events: int, head: str) -> str:
    return dumps({END: {"events": events, "head": head}}) + "\n"


def parse(stream: IO[str], name: str = "input", *, require_end: bool = True) -> list[Recorded]:
    """Every row of a JSONL export, checked; StoreError names the first bad line.

    The end line must be there and agree with the rows before it, unless
    `require_end` is False (an export from before end lines); nothing may follow it.
    """
    rows: list[Recorded] = []
    lines: list[int] = []  # the line of each row in the file
    end: tuple[int, dict] | None = None
    for n, line in enumerate(stream, 1):
        if not line.strip():
            continue
        if end is not None:
            raise StoreError(f"{name}: line {n}: a line after the export's end line (line {end[0]})")
        try:
            data = json.loads(line)
        except json.JSONDecodeError as err:
            raise StoreError(f"{name}: line {n}: not JSON ({err.msg})") from None
        except RecursionError:
            raise StoreError(f"{name}: line {n}: JSON nested too deeply to be an event row") from None
        if isinstance(data, dict) and END in data:
            end = (n, _end_of(data, name, n))
            continue
        rows.append(_row(data, name, n))
        lines.append(n)
    report = check(rows)
    if not report.ok:
        assert report.problem is not None
        raise StoreError(_broken(rows, lines, report.count, name, report.problem.position, report.problem.message))
    _check_end(rows, end, name, require_end)
    return rows


def _end_of(data: dict, name: str, n: int) -> dict:
    end = data[END]
    if (len(data) != 1 or not isinstance(end, dict) or set(end) != {"events", "head"}
            or type(end["events"]) is not int or end["events"] < 0 or not _is_digest(end["head"])):
        raise StoreError(f"{name}: line {n}: a malformed end line (expected {{\"{END}\": {{\"events\": N, \"head\": HASH}}}})")
    return end


def _check_end(rows: list[Recorded], end: tuple[int, dict] | None, name: str, require_end: bool) -> None:
    if end is None:
        if require_end:
            raise StoreError(f"{name}: no end line after {len(rows)} events: the export is cut short, or was "
                             "written before exports had end lines (those import without requiring one)",
                             param="require_end")
        return
    line, e = end
    if e["events"] != len(rows):
        raise StoreError(f"{name}: line {line}: the end line counts {e['events']} events, the export holds {len(rows)}:"
                         " lines were removed or added")
    head = rows[-1].hash if rows else GENESIS
    if e["head"] != head:
        raise StoreError(f"{name}: line {line}: the end line's head {e['head'][:12]} is not the last event's hash"
                         f" ({head[:12]})")


def _row(data: object, name: str, n: int) -> Recorded:
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
        return Recorded(
            int(data["position"]), str(data["id"]), str(data["type"]), int(data["version"]),
            str(data["recorded_at"]), dumps(payload), str(data["prev_hash"]), str(data["hash"]),
        )
    except (TypeError, ValueError):
        raise StoreError(f"{name}: line {n}: malformed envelope") from None


def _is_digest(value: object) -> bool:
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)


def _broken(rows: list[Recorded], lines: list[int], good: int, name: str, position: int, message: str) -> str:
    """Where the chain breaks, named by the line of the row that breaks it (the one after the `good` rows that
    link rightly), as an editor numbers lines; a row that repeats an earlier one says so."""
    if good >= len(rows):
        return f"{name}: line {lines[-1] if lines else 1}: broken hash chain at position {position}: {message}"
    row, line = rows[good], lines[good]
    twin = next((i for i in range(good) if rows[i] == row), None)
    if twin is not None:
        return f"{name}: line {line}: a repeat of line {lines[twin]} (the event at position {row.position} twice)"
    return f"{name}: line {line}: broken hash chain at position {position}: {message}"


def as_pending(rows: Iterable[Recorded]) -> list[Pending]:
    """Re-append rows keeping their ids and record times."""
    return [Pending(r.id, r.type, r.payload, r.recorded_at) for r in rows]
