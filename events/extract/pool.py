"""Reading many articles on every core.

Articles are independent and extraction is a pure function of an article's
bytes and metadata, so a batch can be read in worker processes and appended
in the order given: the log comes out the same as from one process.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from concurrent.futures import ProcessPoolExecutor

from events.extract import ArticleError, ArticleMeta, Extraction, read_article
from events.workers import cores, die_with, fork_context

MIN_PARALLEL = 16  # below this, starting workers costs more than it saves

Job = tuple[bytes, str, ArticleMeta]


def _read(job: Job) -> Extraction | ArticleError:
    try:
        return read_article(*job)
    except ArticleError as err:
        return err


def _read_chunk(jobs: list[Job]) -> list[Extraction | ArticleError]:
    return [_read(job) for job in jobs]


CHUNK = 8  # articles sent to a worker at once
AHEAD = 4  # chunks in flight per worker: enough to keep every core busy, few enough to keep memory bounded


def read_many(jobs: Iterable[Job], workers: int | None = None) -> Iterator[Extraction | ArticleError]:
    """Each job's extraction (or its ArticleError), in the order of the jobs.

    Jobs are drawn from the iterable as workers free up, never all at once: a folder of any size is read with a
    bounded number of articles in memory (AHEAD chunks of CHUNK per worker).
    """
    it = iter(jobs)
    first = list(islice(it, MIN_PARALLEL))
    workers = min(workers or cores(), max(1, len(first) // 4))
    if workers <= 1 or len(first) < MIN_PARALLEL:
        yield from map(_read, chain(first, it))
        return
    rest = chain(first, it)
    chunks = iter(lambda: list(islice(rest, CHUNK)), [])
    with ProcessPoolExecutor(workers, mp_context=fork_context(), initializer=die_with, initargs=(os.getpid(),)) as pool:
        pending: deque = deque()
        for chunk in chunks:
            pending.append(pool.submit(_read_chunk, chunk))
            if len(pending) >= workers * AHEAD:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
