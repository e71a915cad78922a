"""Everything that becomes events comes in through one reader signature.

    read(where, *, seen, **options) -> Iterator[Batch]

`where` is what the data is read from (paths, a stream), `options` what its
command's options say of it, and `seen(ids)` which of these event ids the log
already holds, so that a reader can skip work the log has done (an article
already ingested is not extracted again). A reader appends nothing: it yields
Batches, each the events of one input to append in one transaction, or the
problem that kept that input out. When the whole of the input cannot be read
(a dataset with a bad row, an export cut short) it raises SourceError instead.

A new dataset is one module here with a `read` of this signature, named in
READERS, and one command that hands its batches to `Timeline.append_batches`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

from attrs import frozen

from events.store import StoreError

Seen = Callable[[Iterable[str]], set[str]]


class SourceError(StoreError):
    """The input as a whole cannot be read: nothing of it is appended; the message is one line."""


@frozen
class Batch:
    """One input's events, appended in one transaction (all or nothing), or why that input was left out.

    `of` is how many inputs the reader counts (for progress); None for a problem found before counting.
    """

    name: str
    events: tuple[Any, ...] = ()
    problem: str | None = None
    present: bool = False  # the log already holds this input: nothing to append
    warnings: tuple[str, ...] = ()
    of: int | None = None
    passed_over: str | None = None  # not an input at all (a folder's manifest among its articles): why


class Reader(Protocol):
    def __call__(self, where: Any, *, seen: Seen, **options: Any) -> Iterator[Batch]: ...


READERS = {
    "articles": "events.sources.articles",  # article files and folders, with their manifests
    "tally": "events.sources.tally",  # the General Staff's daily loss tally (a published dataset)
    "jsonl": "events.sources.jsonl",  # a log exported as JSON Lines, hash chain and all
}


def reader(name: str) -> Reader:
    """The `read` of the source called `name` (a key of READERS)."""
    if name not in READERS:
        raise SourceError(f"no source called {name!r} (sources: {', '.join(READERS)})")
    return importlib.import_module(READERS[name]).read  # type: ignore[no-any-return]
