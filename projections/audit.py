"""Holding a log's read models to its events: fold the log again, apart, and compare table by table.

`verify` proves that the events are as appended; the read models beside them
in the same file are what `asof` answers from, and an edit there (or a bug in
keeping them) would change answers while the chain still verifies. The audit
folds every event into a fresh private database with the same projectors
(reading the log through the chain check, so an altered event is named as
such), then compares each read-model table with the log's, row for row, in
SQL. The log is attached read-only: the audit cannot change it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence

from attrs import frozen

from events.chain import checked
from events.envelope import Recorded

BATCH = 20_000


@frozen
class TableDifference:
    """A read-model table that is not what a fold of the events gives."""

    table: str
    missing: int  # rows the fold gives that the table lacks (or holds otherwise)
    extra: int  # rows the table holds that the fold does not give
    first: str | None  # the key of the first differing row, as "column value"

    @property
    def message(self) -> str:
        if self.missing < 0:
            return f"table {self.table} is missing from the log, or its columns are not a fold's"
        where = f" (first at {self.first})" if self.first else ""
        return (f"table {self.table} differs from a fold of the events: {self.missing} row(s) of the fold not in it,"
                f" {self.extra} row(s) in it not in the fold{where}")


@frozen
class Audit:
    """The outcome of an audit: the tables compared and those that differ."""

    tables: tuple[str, ...]
    differences: tuple[TableDifference, ...]
    events: int

    @property
    def ok(self) -> bool:
        return not self.differences


def audit_sqlite(rows: Iterable[Recorded], head: int, projectors: Sequence, tables: Sequence[str],
                 progress: Callable[[int], None] | None = None, *, head_hash: str, uri: str) -> Audit:
    """Fold `rows` (the log's events, in order) into a scratch database and compare `tables` with the log that
    `uri` opens read-only. `head` and `head_hash` are the head the log records (position and hash).

    Raises events.chain.BrokenChain when the events themselves fail verification.
    """
    scratch = sqlite3.connect("", isolation_level=None, uri=True)  # a private temporary file, gone on close
    try:
        scratch.execute("PRAGMA cache_size = -131072")
        # The events a read model may look back at as it folds (an article's text, by id).
        scratch.execute("CREATE TABLE events(position INTEGER PRIMARY KEY, id BLOB NOT NULL UNIQUE, type TEXT NOT NULL,"
                        " payload TEXT NOT NULL)")
        scratch.execute("BEGIN")
        for proj in projectors:
            proj.setup(scratch)
        batch: list[Recorded] = []
        n = 0
        for row in checked(rows, head, head_hash):
            batch.append(row)
            if len(batch) >= BATCH:
                n += _apply(scratch, projectors, batch)
                batch = []
                if progress is not None:
                    progress(n)
        n += _apply(scratch, projectors, batch)
        scratch.execute("COMMIT")
        scratch.execute("ATTACH DATABASE ? AS log", (uri,))
        return Audit(tuple(tables), tuple(d for t in tables if (d := _compare(scratch, t)) is not None), n)
    finally:
        scratch.close()


def _apply(conn: sqlite3.Connection, projectors: Sequence, batch: list[Recorded]) -> int:
    if not batch:
        return 0
    conn.executemany("INSERT INTO events(position, id, type, payload) VALUES (?, ?, ?, ?)",
                     [(r.position, bytes.fromhex(r.id), r.type, r.payload) for r in batch])
    for proj in projectors:
        proj.apply(conn, batch)
    return len(batch)


def _exists(conn: sqlite3.Connection, schema: str, table: str) -> bool:
    return conn.execute(f"SELECT 1 FROM {schema}.sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone() is not None


def _compare(conn: sqlite3.Connection, table: str) -> TableDifference | None:
    here, there = _exists(conn, "main", table), _exists(conn, "log", table)
    if not here and not there:
        return None
    if not there:
        return TableDifference(table, -1, 0, None)
    if not here:
        extra = conn.execute(f'SELECT count(*) FROM log."{table}"').fetchone()[0]
        return TableDifference(table, 0, extra, None) if extra else None
    columns = [r[1] for r in conn.execute(f'PRAGMA main.table_info("{table}")')]
    if [r[1] for r in conn.execute(f'PRAGMA log.table_info("{table}")')] != columns:
        return TableDifference(table, -1, 0, None)
    missing_sql = f'SELECT * FROM main."{table}" EXCEPT SELECT * FROM log."{table}"'
    extra_sql = f'SELECT * FROM log."{table}" EXCEPT SELECT * FROM main."{table}"'
    missing = conn.execute(f"SELECT count(*) FROM ({missing_sql})").fetchone()[0]
    extra = conn.execute(f"SELECT count(*) FROM ({extra_sql})").fetchone()[0]
    if not missing and not extra:
        return None
    first = conn.execute(f"SELECT * FROM ({missing_sql} UNION ALL {extra_sql}) ORDER BY 1 LIMIT 1").fetchone()
    return TableDifference(table, missing, extra, f"{columns[0]} {first[0]}" if first else None)
