"""Where a log lives: a backend is a Store (events.store) and the ReadModel (projections.questions) over it.

A file path is an SQLite log (events.sqlite_store, projections.readmodel); a
postgresql:// URL a shared PostgreSQL log (events.pg_store,
projections.pg_readmodel). A new backend is a store module, a read-model
module of the same questions, and one branch in `open_backend`.
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


def open_backend(location: str | os.PathLike, *, create: bool = True, index: str = "auto") -> Backend:
    """The store and read model of a log: an SQLite path, or a postgresql:// URL."""
    from events.pg_store import is_url
    from projections.reader import TableReadModel

    store: Any
    if is_url(location):
        from events.pg_store import PostgresStore
        from projections import pg_readmodel as questions

        store = PostgresStore(str(location), projectors=questions.projectors())
    else:
        from events.sqlite_store import SQLiteStore
        from projections import readmodel as questions

        path = Path(location)
        if not create and not path.exists():
            raise TimelineError(f"{path}: no such log", param="path")
        store = SQLiteStore(path, projectors=questions.projectors())
    return Backend(store, TableReadModel(store, questions, index))
