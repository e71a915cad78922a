"""A log exported as JSON Lines (events.jsonl), read back as one Batch: checked whole, hash chain and end line
included, before anything is appended; the log appends the events it lacks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from events.jsonl import as_pending, parse
from events.sources import Batch, Seen, SourceError
from events.store import StoreError


def read(stream: IO[str], *, seen: Seen | None = None, name: str = "input", require_end: bool = True) -> Iterator[Batch]:
    """The export in `stream` (called `name` in messages); `require_end=False` takes one without its end line
    (written before exports had it). SourceError when any line is wrong or the chain is broken."""
    try:
        rows = parse(stream, name, require_end=require_end)
    except StoreError as err:
        raise SourceError(str(err), param=err.param) from None
    yield Batch(name, tuple(as_pending(rows)), of=1)
