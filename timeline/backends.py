"""Where a log lives: a backend is a Store (events.store) and the ReadModel (projections.questions) over it.

A file path is an SQLite log (events.sqlite_store, projections.readmodel); a
postgresql:// URL a shared PostgreSQL log (events.pg_store,
projections.pg_readmodel). A new backend is a store module, a read-model
module of the same questions, and one branch in `open_store`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from attrs import frozen

from events.store import Store
from projections.questions import ReadModel
from timeline.errors import TimelineError


@frozen
class Backend:
    store: Store
    read_model: ReadModel

    def close(self) -> None:
        self.store.close()


def open_store(location: str | os.PathLike, *, create: bool = True, check_head: bool = True,
               read_models: bool = True) -> tuple[Store, Any]:
    """The store of a log (an SQLite path, or a postgresql:// URL) and its read model's module of questions; the
    store keeps the read models unless `read_models` is false, and refuses a head that is not its last event's
    unless `check_head` is false."""
    from events.pg_store import is_url

    if is_url(location):
        from events.pg_store import PostgresStore
        from projections import pg_readmodel as questions

        return PostgresStore(str(location), projectors=questions.projectors() if read_models else (),
                             check_head=check_head), questions
    from events.sqlite_store import SQLiteStore
    from projections import readmodel as questions

    path = Path(location)
    if not create and not path.exists():
        raise TimelineError(f"{path}: no such log", param="path")
    return SQLiteStore(path, projectors=questions.projectors() if read_models else (), create=create,
                       check_head=check_head), questions


def open_backend(location: str | os.PathLike, *, create: bool = True, index: str = "auto") -> Backend:
    """The store and read model of a log: an SQLite path, or a postgresql:// URL."""
    from projections.reader import TableReadModel

    store, questions = open_store(location, create=create)
    return Backend(store, TableReadModel(store, questions, index))
