"""Read models kept in the log's SQLite file, in step with every append.

Tables (readable with any SQLite tool):

- `articles`: one row per ingested article (id, file, outlet, publication date and its origin);
- `series`: one row per (metric, party, region, shape);
- `claims`: one row per claim, including the replacements that corrections
  bring, with its three clocks (`valid`, `report`, `position`) and `retired`,
  the first log position that retracts or supersedes it;
- `retractions`, `corrections`: every retraction and correction as recorded.

The state at (D, K, N) is then one backward index walk per series over
`claims(series_id, valid)`, stopping as soon as the value and its run of
supports are known (projections.choose). The rules are those of the reference
fold in projections.fold, which the tests hold this model to.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Sequence
from itertools import chain
from typing import Any

from attrs import evolve

from events.model import Recorded
from projections.basis import Adjustment, Basis, State, Value, ordered
from projections.choose import choose, needs_more
from projections.series import ClaimRow, Filters, SeriesKey

VERSION = 2
NAME = f"state.v{VERSION}"  # a new name makes every log fold its read model again on open
TABLES = ("articles", "series", "claims", "retractions", "corrections", "state_meta")

SETUP = (
    """CREATE TABLE IF NOT EXISTS articles(
        article_id TEXT PRIMARY KEY, file TEXT NOT NULL, outlet TEXT, published TEXT,
        published_origin TEXT, position INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS series(
        series_id INTEGER PRIMARY KEY, metric TEXT NOT NULL, party TEXT NOT NULL, region TEXT, shape TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS series_key ON series(metric, party, region, shape)",
    """CREATE TABLE IF NOT EXISTS claims(
        claim_id TEXT PRIMARY KEY, position INTEGER NOT NULL, series_id INTEGER NOT NULL REFERENCES series,
        metric TEXT NOT NULL, party TEXT NOT NULL, region TEXT, shape TEXT NOT NULL,
        valid TEXT, report TEXT, value NUMERIC NOT NULL, low NUMERIC, high NUMERIC, qualifier TEXT NOT NULL,
        unit TEXT NOT NULL, claimant TEXT, outlet TEXT, modality TEXT NOT NULL, article_id TEXT, dataset_file TEXT,
        as_of TEXT, since TEXT, period_start TEXT, period_end TEXT, quote TEXT, span_start INTEGER, span_end INTEGER,
        rule TEXT, replaces TEXT, retired INTEGER)""",
    # Covering the admission test, so that finding a series' latest admitted date never reads a table row.
    "CREATE INDEX IF NOT EXISTS claims_walk ON claims(series_id, valid, position, retired, modality, report)",
    "CREATE INDEX IF NOT EXISTS claims_undated ON claims(series_id) WHERE valid IS NULL",
    "CREATE INDEX IF NOT EXISTS claims_article ON claims(article_id)",
    "CREATE TABLE IF NOT EXISTS retractions(position INTEGER PRIMARY KEY, claim_id TEXT NOT NULL, reason TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS retractions_claim ON retractions(claim_id)",
    """CREATE TABLE IF NOT EXISTS corrections(
        position INTEGER PRIMARY KEY, correction_id TEXT NOT NULL, claim_id TEXT NOT NULL, reason TEXT NOT NULL,
        adjustment NUMERIC, replacement_id TEXT, published TEXT)""",
    "CREATE INDEX IF NOT EXISTS corrections_claim ON corrections(claim_id)",
)

CLAIM_COLUMNS = (
    "claim_id", "position", "series_id", "metric", "party", "region", "shape", "valid", "report", "value", "low",
    "high", "qualifier", "unit", "claimant", "outlet", "modality", "article_id", "dataset_file", "as_of", "since",
    "period_start", "period_end", "quote", "span_start", "span_end", "rule", "replaces", "retired",
)
INSERT_CLAIM = f"INSERT OR IGNORE INTO claims({', '.join(CLAIM_COLUMNS)}) VALUES ({', '.join('?' * len(CLAIM_COLUMNS))})"


class StateProjector:
    """Keeps the articles, series, claims, retractions and corrections tables."""

    name = NAME

    def setup(self, conn: sqlite3.Connection) -> None:
        """Create the tables; tables of an older version of this model are dropped first."""
        conn.execute("CREATE TABLE IF NOT EXISTS state_meta(one INTEGER PRIMARY KEY CHECK (one = 1), version INTEGER)")
        row = conn.execute("SELECT version FROM state_meta").fetchone()
        if row is None or row[0] != VERSION:
            self.reset(conn)
            conn.execute("CREATE TABLE state_meta(one INTEGER PRIMARY KEY CHECK (one = 1), version INTEGER)")
            conn.execute("INSERT INTO state_meta(one, version) VALUES (1, ?)", (VERSION,))
        for stmt in SETUP:
            conn.execute(stmt)

    def reset(self, conn: sqlite3.Connection) -> None:
        for table in TABLES:
            conn.execute(f"DROP TABLE IF EXISTS {table}")

    def apply(self, conn: sqlite3.Connection, batch: Sequence[Recorded]) -> None:
        _Batch(conn).apply(batch)


class _Batch:
    """One apply call: buffers claim inserts, flushing before anything that reads them."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.series: dict[SeriesKey, int] = {}
        self.pending: list[tuple] = []
        self.retiring = bool(conn.execute(
            "SELECT EXISTS(SELECT 1 FROM retractions) OR EXISTS(SELECT 1 FROM corrections WHERE replacement_id IS NOT NULL)"
        ).fetchone()[0])

    def apply(self, batch: Sequence[Recorded]) -> None:
        for rec in batch:
            if rec.type == "ClaimReported":
                d = json.loads(rec.payload)
                ev = d["evidence"]
                ds = ev.get("dataset")
                self.pending.append(self._claim_tuple(
                    d["claim_id"], rec.position, d["claim"], d.get("published"), ev.get("article_id"),
                    ds["file"] if ds else None, ev.get("quote"), ev.get("span"), d.get("rule"), None,
                ))
            elif rec.type == "ArticleIngested":
                d = json.loads(rec.payload)
                self.conn.execute(
                    "INSERT OR IGNORE INTO articles(article_id, file, outlet, published, published_origin, position)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (d["article_id"], d["file"], d.get("outlet"), d.get("published"), d.get("published_origin"),
                     rec.position),
                )
            elif rec.type == "ClaimRetracted":
                self.flush()
                d = json.loads(rec.payload)
                self.conn.execute("INSERT INTO retractions(position, claim_id, reason) VALUES (?, ?, ?)",
                                  (rec.position, d["claim_id"], d["reason"]))
                self._retire(d["claim_id"], rec.position)
            elif rec.type == "ClaimCorrected":
                self.flush()
                self._correct(rec)
        self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        rows = self.pending
        self.pending = []
        if self.retiring:
            rows = [r[:-1] + (self._retired(r[0]),) for r in rows]
        self.conn.executemany(INSERT_CLAIM, rows)

    def _correct(self, rec: Recorded) -> None:
        d = json.loads(rec.payload)
        target_id = d["claim_id"]
        replacement = d.get("replacement")
        self.conn.execute(
            "INSERT INTO corrections(position, correction_id, claim_id, reason, adjustment, replacement_id, published)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (rec.position, rec.id, target_id, d["reason"], d.get("adjustment"),
             rec.id if replacement is not None else None, d.get("published")),
        )
        if replacement is None:
            return
        target = self.conn.execute(
            "SELECT report, article_id, dataset_file, quote, span_start, span_end FROM claims WHERE claim_id = ?",
            (target_id,),
        ).fetchone()
        report, article_id, dataset_file, quote, s0, s1 = target if target else (None,) * 6
        published = d.get("published")
        self.pending.append(self._claim_tuple(
            rec.id, rec.position, replacement, published if published is not None else report, article_id,
            dataset_file, quote, None if s0 is None else (s0, s1), f"correction of {target_id}", target_id,
        ))
        self.flush()
        self._retire(target_id, rec.position)

    def _retire(self, claim_id: str, position: int) -> None:
        self.retiring = True
        self.conn.execute(
            "UPDATE claims SET retired = ? WHERE claim_id = ? AND (retired IS NULL OR retired > ?)",
            (position, claim_id, position),
        )

    def _retired(self, claim_id: str) -> int | None:
        return self.conn.execute(
            "SELECT min(p) FROM (SELECT position AS p FROM retractions WHERE claim_id = ?1"
            " UNION ALL SELECT position FROM corrections WHERE claim_id = ?1 AND replacement_id IS NOT NULL)",
            (claim_id,),
        ).fetchone()[0]

    def _series_id(self, key: SeriesKey) -> int:
        sid = self.series.get(key)
        if sid is None:
            row = self.conn.execute(
                "SELECT series_id FROM series WHERE metric = ? AND party = ? AND region IS ? AND shape = ?", key
            ).fetchone()
            sid = row[0] if row else self.conn.execute(
                "INSERT INTO series(metric, party, region, shape) VALUES (?, ?, ?, ?)", key
            ).lastrowid
            self.series[key] = sid
        return sid

    def _claim_tuple(self, claim_id: str, position: int, c: dict[str, Any], report: str | None,
                     article_id: str | None, dataset_file: str | None, quote: str | None, span: Any,
                     rule: str | None, replaces: str | None) -> tuple:
        period = c.get("period")
        shape = "window" if period is not None else "level"
        valid = period["end"] if period is not None else c.get("as_of")
        key = (c["metric"], c["party"], c.get("region"), shape)
        return (
            claim_id, position, self._series_id(key), *key, valid, report, c["value"], c.get("low"), c.get("high"),
            c.get("qualifier", "exact"), c["unit"], c.get("claimant"), c.get("outlet"), c.get("modality", "asserted"),
            article_id, dataset_file, c.get("as_of"), c.get("since"),
            period.get("start") if period else None, period["end"] if period else None,
            quote, span[0] if span else None, span[1] if span else None, rule, replaces, None,
        )


def projectors() -> tuple:
    """The read models every SQLite log keeps."""
    return (StateProjector(),)


# -- questions -----------------------------------------------------------------

_COLUMNS = (
    "c.metric, c.party, c.region, c.shape, c.claim_id, c.position, c.valid, c.report, c.value, c.low, c.high,"
    " c.qualifier, c.unit, c.claimant, c.outlet, c.modality, c.article_id, coalesce(a.file, c.dataset_file),"
    " c.as_of, c.since, c.period_start, c.period_end, c.quote, c.rule"
)
_ADMIT = " AND {c}.position <= :n AND ({c}.retired IS NULL OR {c}.retired > :n) AND {c}.modality != 'denied'"
_KNOWN = " AND {c}.report <= :k"

# For each [series, before] in :q, the series' latest admitted valid date before `before`: one covering-index seek.
_SEEK = (
    "WITH q AS MATERIALIZED (SELECT json_extract(value, '$[0]') AS sid, json_extract(value, '$[1]') AS before"
    " FROM json_each(:q))"
    " SELECT q.sid, (SELECT c2.valid FROM claims c2 WHERE c2.series_id = q.sid AND c2.valid < q.before{admit2}{known2}"
    " ORDER BY c2.valid DESC LIMIT 1) FROM q"
)
# For each [series, valid] in :q, the admitted claims of that series at that date.
_GROUPS = (
    "WITH q AS MATERIALIZED (SELECT json_extract(value, '$[0]') AS sid, json_extract(value, '$[1]') AS valid"
    " FROM json_each(:q))"
    " SELECT c.series_id, " + _COLUMNS +
    " FROM q CROSS JOIN claims c LEFT JOIN articles a ON a.article_id = c.article_id"
    " WHERE c.series_id = q.sid AND c.valid = q.valid{admit}{known}"
)


def _date(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def series_list(conn: sqlite3.Connection, filters: Filters = Filters()) -> list[tuple[int, SeriesKey]]:
    out = []
    for sid, metric, party, region, shape in conn.execute("SELECT series_id, metric, party, region, shape FROM series"):
        if filters.matches(metric, party, region):
            out.append((sid, (metric, party, region, shape)))
    return out


def state_at(conn: sqlite3.Connection, basis: Basis, filters: Filters = Filters()) -> State:
    """The state at `basis`, read from the tables this module keeps.

    Date groups are read in rounds, one statement per round over every series
    still in question: the latest admitted date of each series, then the date
    before it for the series whose run of supports may go on, and so on.
    """
    known = basis.known_at is not None
    seek = _SEEK.format(admit2=_ADMIT.format(c="c2"), known2=_KNOWN.format(c="c2") if known else "")
    fetch = _GROUPS.format(admit=_ADMIT.format(c="c"), known=_KNOWN.format(c="c") if known else "")
    params: dict[str, Any] = {"n": basis.position, "k": basis.known_at.isoformat() if known else None}
    wanted = series_list(conn, filters)
    after = (basis.as_of + dt.timedelta(days=1)).isoformat()
    groups: dict[int, list[list[ClaimRow]]] = {}
    asking = {sid: after for sid, _ in wanted}
    while asking:
        params["q"] = json.dumps(list(asking.items()))
        dates = [pair for pair in conn.execute(seek, params) if pair[1] is not None]
        if not dates:
            break
        params["q"] = json.dumps(dates)
        found: dict[int, list[ClaimRow]] = {}
        for row in conn.execute(fetch, params):
            found.setdefault(row[0], []).append(ClaimRow._make(row[1:]))
        asking = {}
        for sid, group in found.items():
            gs = groups.setdefault(sid, [])
            gs.append(group)
            if needs_more(gs):
                asking[sid] = group[0].valid
    chosen = [v for v in (choose(chain.from_iterable(gs), basis) for gs in groups.values()) if v is not None]
    values = _with_adjustments(conn, chosen, basis)
    undated = _undated(conn, basis, wanted)
    return State(basis, ordered(values), undated)


def _with_adjustments(conn: sqlite3.Connection, values: list[Value], basis: Basis) -> list[Value]:
    """Attach the adjustment-only corrections of each chosen claim recorded by the basis position."""
    if not values or conn.execute("SELECT NOT EXISTS(SELECT 1 FROM corrections WHERE replacement_id IS NULL)").fetchone()[0]:
        return values
    found: dict[str, list[Adjustment]] = {}
    for claim_id, cid, pos, adjustment, reason in conn.execute(
        "SELECT claim_id, correction_id, position, adjustment, reason FROM corrections"
        " WHERE replacement_id IS NULL AND position <= ? AND claim_id IN (SELECT value FROM json_each(?))"
        " ORDER BY position",
        (basis.position, json.dumps([v.claims[0] for v in values])),
    ):
        found.setdefault(claim_id, []).append(Adjustment(cid, pos, adjustment, reason))
    return [evolve(v, adjustments=tuple(found[v.claims[0]])) if v.claims[0] in found else v for v in values]


def _undated(conn: sqlite3.Connection, basis: Basis, wanted: list) -> int:
    known = _KNOWN.format(c="c") if basis.known_at is not None else ""
    sql = ("SELECT c.series_id, count(*) FROM claims c WHERE c.valid IS NULL" + _ADMIT.format(c="c") + known
           + " GROUP BY c.series_id")
    params = {"n": basis.position, "k": None if basis.known_at is None else basis.known_at.isoformat()}
    ids = {sid for sid, _ in wanted}
    return sum(n for sid, n in conn.execute(sql, params) if sid in ids)


def earliest_valid(conn: sqlite3.Connection, basis: Basis, filters: Filters = Filters()) -> dt.date | None:
    """The earliest valid date among the claims the basis admits (ignoring its date): for an empty state's message."""
    params: dict[str, Any] = {"n": basis.position, "k": None if basis.known_at is None else basis.known_at.isoformat()}
    known = _KNOWN.format(c="c") if basis.known_at is not None else ""
    sql = "SELECT min(c.valid) FROM claims c WHERE c.series_id = :s AND c.valid IS NOT NULL" + _ADMIT.format(c="c") + known
    found = []
    for sid, _ in series_list(conn, filters):
        params["s"] = sid
        v = conn.execute(sql, params).fetchone()[0]
        if v is not None:
            found.append(v)
    return _date(min(found)) if found else None


def known_values(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """The metrics, parties and regions the log holds claims about: for messages that say what is valid."""
    metrics, parties, regions = set(), set(), set()
    for metric, party, region in conn.execute("SELECT metric, party, region FROM series"):
        metrics.add(metric)
        parties.add(party)
        if region is not None:
            regions.add(region)
    return {"metric": sorted(metrics), "party": sorted(parties), "region": sorted(regions)}
