"""Reading many articles on every core.

Articles are independent and extraction is a pure function of an article's
bytes and metadata, so a batch can be read in worker processes and appended
in the order given: the log comes out the same as from one process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

from events.extract import ArticleError, ArticleMeta, Extraction, read_article

MIN_PARALLEL = 16  # below this, starting workers costs more than it saves

Job = tuple[bytes, str, ArticleMeta]


def _read(job: Job) -> Extraction | ArticleError:
    try:
        return read_article(*job)
    except ArticleError as err:
        return err


def read_many(jobs: Iterable[Job], workers: int | None = None) -> Iterator[Extraction | ArticleError]:
    """Each job's extraction (or its ArticleError), in the order of the jobs."""
    jobs = list(jobs)
    workers = min(workers or os.cpu_count() or 1, max(1, len(jobs) // 4))
    if workers <= 1 or len(jobs) < MIN_PARALLEL:
        yield from map(_read, jobs)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        yield from pool.map(_read, jobs, chunksize=8)
