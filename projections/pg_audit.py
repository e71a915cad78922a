"""Holding a PostgreSQL log's read models to its events (`verify --deep`), as projections.audit does for SQLite.

The events are read and folded in one repeatable-read transaction of a
connection of its own, into temporary tables that vanish with it, so the
log's tables are only read and a writer appending meanwhile changes
neither side of the comparison. Tables are compared by what their rows say,
not by their ids: the series, profile and details ids come from sequences,
which a rolled-back append (a writer that lost a race and tried again)
advances, so a shared log's ids may have gaps that a fresh fold has not.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from events.chain import checked
from events.envelope import Recorded
from events.log_head import head_of
from events.pg_store import display, pages
from projections.audit import Audit, TableDifference

PAGE = 20_000

# What each table's rows say, ids replaced by what they name; {s} is the schema read.
MEANING = {
    "details": "SELECT text FROM {s}.details",
    "profiles": "SELECT qualifier, unit, claimant, outlet, modality, rule FROM {s}.profiles",
    "series": "SELECT metric, party, region, shape FROM {s}.series",
    "articles": ("SELECT d.text, a.file, a.outlet, a.published, a.published_origin, a.position FROM {s}.articles a"
                 " LEFT JOIN {s}.details d ON d.detail_id = a.article"),
    "claims": (
        "SELECT c.position, s.metric, s.party, s.region, s.shape, c.valid, c.report, c.retired, c.value, c.low,"
        " c.high, p.qualifier, p.unit, p.claimant, p.outlet, p.modality, p.rule, da.text, dd.text, c.as_of,"
        " c.since, c.period_start, c.replaces, c.span_start, c.span_end, c.quote FROM {s}.claims c"
        " LEFT JOIN {s}.series s USING (series_id)"
        " LEFT JOIN {s}.profiles p ON p.profile_id = c.profile LEFT JOIN {s}.details da ON da.detail_id = c.article"
        " LEFT JOIN {s}.details dd ON dd.detail_id = c.dataset"),
    "retractions": "SELECT * FROM {s}.retractions",
    "corrections": "SELECT * FROM {s}.corrections",
    "reviews": "SELECT * FROM {s}.reviews",
    "quote_checks": "SELECT position FROM {s}.quote_checks",
    "article_corrections": ("SELECT k.position, d.text, k.outlet, k.title, k.url, k.published, k.reviewer, k.note, k.at"
                            " FROM {s}.article_corrections k LEFT JOIN {s}.details d ON d.detail_id = k.article"),
}


def audit_postgres(connect: Any, url: str, projectors: Sequence, tables: Sequence[str]) -> Audit:
    """Fold the log at `url` into temporary tables and compare `tables` with the log's.

    `connect(url)` opens a connection (events.pg_store.connect). Raises
    events.chain.BrokenChain when the events themselves fail verification.
    """
    conn = connect(url)
    try:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        schema = conn.execute("SELECT quote_ident(current_schema())").fetchone()[0]
        head, digest = head_of(conn.execute(f"SELECT position, hash FROM {schema}.log_head").fetchone(), display(url))
        # The scratch tables: the first temporary table makes this session's pg_temp schema, which then
        # comes alone in the search path, so the projectors create and read their tables there.
        # The events a read model may look back at as it folds: an article's text, by id (the payloads of the
        # other events are not kept).
        conn.execute("CREATE TEMP TABLE events(position bigint PRIMARY KEY, id bytea NOT NULL UNIQUE, type text NOT NULL,"
                     " payload text)")
        conn.execute("SET LOCAL search_path = pg_temp")
        for proj in projectors:
            proj.setup(conn)
        n = 0
        batch: list[Recorded] = []
        for row in checked(pages(conn, 1, head, f"{schema}.events", PAGE), head, digest):
            batch.append(row)
            if len(batch) >= PAGE:
                n += _apply(conn, projectors, batch)
                batch = []
        n += _apply(conn, projectors, batch)
        differences = tuple(d for t in tables if (d := _compare(conn, t, schema)) is not None)
        return Audit(tuple(tables), differences, n)
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def _apply(conn: Any, projectors: Sequence, batch: list[Recorded]) -> int:
    if not batch:
        return 0
    with conn.cursor().copy("COPY events(position, id, type, payload) FROM STDIN") as copy:
        for r in batch:
            copy.write_row((r.position, bytes.fromhex(r.id), r.type,
                            r.payload if r.type == "ArticleIngested" else None))
    for proj in projectors:
        proj.apply(conn, batch)
    return len(batch)


def _compare(conn: Any, table: str, schema: str) -> TableDifference | None:
    there = conn.execute("SELECT to_regclass(%s) IS NOT NULL", (f"{schema}.{table}",)).fetchone()[0]
    if not there:
        return TableDifference(table, -1, 0, None)
    fold, log = MEANING[table].format(s="pg_temp"), MEANING[table].format(s=schema)
    try:
        conn.execute("SAVEPOINT compare")
        missing = conn.execute(f"SELECT count(*) FROM ({fold} EXCEPT ALL {log}) x").fetchone()[0]
        extra = conn.execute(f"SELECT count(*) FROM ({log} EXCEPT ALL {fold}) x").fetchone()[0]
        conn.execute("RELEASE SAVEPOINT compare")
    except Exception as err:  # a column gone or of another type: not a fold's table
        if type(err).__module__.split(".")[0] != "psycopg":
            raise
        conn.execute("ROLLBACK TO SAVEPOINT compare")
        return TableDifference(table, -1, 0, None)
    if not missing and not extra:
        return None
    first = conn.execute(f"SELECT * FROM (({fold} EXCEPT ALL {log}) UNION ALL ({log} EXCEPT ALL {fold})) x"
                         " ORDER BY 1 LIMIT 1").fetchone()
    return TableDifference(table, missing, extra, f"{_key(table)} {first[0]}" if first else None)


def _key(table: str) -> str:
    return {"details": "text", "profiles": "qualifier", "series": "metric", "articles": "article"}.get(table, "position")
