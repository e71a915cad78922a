"""Read models kept in the log's SQLite file, in step with every append.

Tables (readable with any SQLite tool):

- `details`: article ids and dataset files, stored once and referenced by id;
- `profiles`: each distinct (qualifier, unit, claimant, outlet, modality,
  rule) of the claims, stored once and referenced by id;
- `articles`: one row per ingested article, keyed by the `details` id of its
  article id (file, outlet, publication date and its origin);
- `series`: one row per (metric, party, region, shape);
- `claims`: one row per claim, including the replacements that corrections
  bring, keyed by its log position (the claim's id is `events.id` at that
  position). Dates are day ordinals (`date.toordinal()`; in SQL,
  `date(valid + 1721424.5)` shows one); `retired` is the first log position
  that retracts or supersedes the claim, 0 for a `denied` claim, which never
  enters a state. A claim read from an article or a dataset row keeps its
  evidence's quote and span (`quote`, `span_start`, `span_end`: NULL for a
  claim entered by hand and a correction's replacement, and the span for a
  dataset row), so that `graph` reads no payload for them;
- `retractions`, `corrections`: every retraction and correction as recorded;
- `reviews`: every mark a person put on a claim (projections.review): a
  verdict (`confirmed`, `rejected`), a claim entered by hand (`asserted`; its
  claim row is in `claims` with the article, else its URL in `dataset`), or a
  replacement written by a person (`corrected`), with who, when and the note;
- `article_corrections`: every correction of an article's metadata, with
  who, when and why; the tables above keep what the events recorded, and a
  question at a position after a correction reads its claims as
  projections.metadata says (report dates and outlets follow the article);
- `quote_checks`: the positions of the reported claims whose quote `check`
  must read again (projections.quotes), so that it reads no other payload.

The state at (D, K, N) is read with one statement over every series: each
series' latest admitted date on or before D, the admitted date before it, and
the claims at both. Most series are settled by those (one claim, and another
figure before it); the few whose run of supports goes on are read further back
in rounds (projections.choose). Reviews are read per question: the claims
rejected at N are left out (and, for a reviewed-only basis, every claim not
reviewed), by log position. The rules are those of the reference fold in
projections.fold, which the tests hold this model to.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import chain
from typing import Any

import orjson
from attrs import evolve

from events.envelope import Recorded
from projections.state import Adjustment, Basis, State, Value
from projections.choose import choose, needs_more, single
from projections.metadata import ArticleMeta, follow, followed_values, meta_at, to_date
from projections.node_text import claim_text, line, pair_pieces
from projections.quotes import to_recheck
from projections.review import Gate, Standing, reviewed_ids, standing
from projections.series import ISO_DAYS, ClaimRow, Filters, SeriesKey, series_order

VERSION = 11
NAME = f"state.v{VERSION}"  # a new name makes every log fold its read model again on open
TABLES = ("details", "profiles", "articles", "series", "claims", "claim_nodes", "retractions", "corrections",
          "reviews", "quote_checks", "article_corrections", "state_meta")
VIEWS = ("claim_list", "current_claims")

# Views for people who open the log with sqlite3 or Datasette: the read tables keep day ordinals and ids by
# number, these show ISO dates, claim ids, quotes and article names. Created with the read model (a log made
# before them gains them at `timeline rebuild`).
_ISO = "date({} + 1721424.5)"
VIEW_SQL = (
    "CREATE VIEW IF NOT EXISTS claim_list AS SELECT lower(hex(e.id)) AS claim_id, c.position, s.metric, s.party,"
    " s.region, s.shape, c.value, c.low, c.high, p.qualifier, p.unit,"
    f" {_ISO.format('c.valid')} AS valid, {_ISO.format('c.as_of')} AS as_of,"
    f" {_ISO.format('c.period_start')} AS period_start, {_ISO.format('c.report')} AS reported,"
    " p.claimant, p.outlet, p.modality, p.rule, a.file AS article, ds.text AS dataset,"
    " coalesce(c.quote, json_extract(e.payload, '$.quote')) AS quote,"
    " c.replaces, c.retired AS retired_at"
    " FROM claims c JOIN events e ON e.position = c.position JOIN series s USING (series_id)"
    " JOIN profiles p ON p.profile_id = c.profile LEFT JOIN articles a ON a.article = c.article"
    " LEFT JOIN details ds ON ds.detail_id = c.dataset",
    # Every series' claims at its latest valid date, among the claims in force (not retracted, superseded or
    # denied). Competing figures at that date are all listed: `timeline asof` chooses among them by the tie rule.
    "CREATE VIEW IF NOT EXISTS current_claims AS SELECT l.* FROM claim_list l JOIN (SELECT c.series_id,"
    " max(c.valid) AS valid FROM claims c WHERE c.valid IS NOT NULL AND c.retired IS NULL GROUP BY c.series_id) m"
    f" ON l.valid = {_ISO.format('m.valid')} JOIN claims c ON c.position = l.position AND c.series_id = m.series_id"
    " WHERE l.retired_at IS NULL ORDER BY l.metric, l.party, l.region, l.shape",
)

WALK = ("series_id", "valid", "retired", "report", "profile", "value", "article")
WALK_SQL = "CREATE INDEX IF NOT EXISTS claims_walk ON claims(" + ", ".join(WALK) + ")"


def walk_columns(conn: sqlite3.Connection) -> tuple[str, ...]:
    """The columns of the walk index as the file holds it (none before the tables are made)."""
    return tuple(r[2] for r in conn.execute("PRAGMA index_info(claims_walk)"))


SETUP = (
    "CREATE TABLE IF NOT EXISTS details(detail_id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)",
    """CREATE TABLE IF NOT EXISTS profiles(
        profile_id INTEGER PRIMARY KEY, qualifier TEXT, unit TEXT, claimant TEXT, outlet TEXT, modality TEXT,
        rule TEXT)""",
    """CREATE TABLE IF NOT EXISTS articles(
        article INTEGER PRIMARY KEY, file TEXT NOT NULL, outlet TEXT, published TEXT, published_origin TEXT,
        position INTEGER NOT NULL, title TEXT, url TEXT)""",
    """CREATE TABLE IF NOT EXISTS series(
        series_id INTEGER PRIMARY KEY, metric TEXT NOT NULL, party TEXT NOT NULL, region TEXT, shape TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS series_key ON series(metric, party, region, shape)",
    """CREATE TABLE IF NOT EXISTS claims(
        position INTEGER PRIMARY KEY, series_id INTEGER NOT NULL, valid INTEGER, report INTEGER, retired INTEGER,
        value NUMERIC NOT NULL, low NUMERIC, high NUMERIC, profile INTEGER NOT NULL, article INTEGER,
        dataset INTEGER, as_of INTEGER, since INTEGER, period_start INTEGER, replaces TEXT, span_start INTEGER,
        span_end INTEGER, quote TEXT, event BLOB, kind TEXT)""",
    # Covering the admission test, so that finding a series' latest admitted date never reads a table row, and
    # what `check` reads of every claim, so that its pass by series and date is a scan of this index, no sort.
    WALK_SQL,
    "CREATE INDEX IF NOT EXISTS claims_undated ON claims(series_id) WHERE valid IS NULL",
    # The node-link JSON of the claims read from an article's span with whole-number figures, as a graph draws
    # them (projections.node_text): what a graph of a million claims reads rather than makes.
    "CREATE TABLE IF NOT EXISTS claim_nodes(position INTEGER PRIMARY KEY, json TEXT NOT NULL)",
    # The few claims that replace another (corrections'): what a graph looks up first (replaced_by).
    "CREATE INDEX IF NOT EXISTS claims_replacing ON claims(replaces) WHERE replaces IS NOT NULL",
    "CREATE TABLE IF NOT EXISTS retractions(position INTEGER PRIMARY KEY, claim_id TEXT NOT NULL, reason TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS retractions_claim ON retractions(claim_id)",
    """CREATE TABLE IF NOT EXISTS corrections(
        position INTEGER PRIMARY KEY, correction_id TEXT NOT NULL, claim_id TEXT NOT NULL, reason TEXT NOT NULL,
        adjustment NUMERIC, replacement_id TEXT, published TEXT)""",
    "CREATE INDEX IF NOT EXISTS corrections_claim ON corrections(claim_id)",
    """CREATE TABLE IF NOT EXISTS reviews(
        position INTEGER PRIMARY KEY, claim_id TEXT NOT NULL, mark TEXT NOT NULL, reviewer TEXT NOT NULL, note TEXT,
        at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS reviews_claim ON reviews(claim_id)",
    # The reported claims whose quote `check` reads again (projections.quotes): not at its span, or its article
    # not in the log when the claim came. Every other quote was found at its span as it was appended.
    "CREATE TABLE IF NOT EXISTS quote_checks(position INTEGER PRIMARY KEY)",
    # Every ArticleMetadataCorrected: the article (its details id) and the fields it sets (NULL: unchanged).
    """CREATE TABLE IF NOT EXISTS article_corrections(
        position INTEGER PRIMARY KEY, article INTEGER NOT NULL, outlet TEXT, title TEXT, url TEXT, published TEXT,
        reviewer TEXT NOT NULL, note TEXT, at TEXT NOT NULL)""",
)

CLAIM_COLUMNS = (
    "position", "series_id", "valid", "report", "retired", "value", "low", "high", "profile", "article", "dataset",
    "as_of", "since", "period_start", "replaces", "span_start", "span_end", "quote",
)
# SQLite's claims also hold their event's id and type (PostgreSQL's join its events table for them): what a graph
# reads of every claim and check of the claims it names, without a look-up in the events table each.
SQLITE_CLAIM_COLUMNS = (*CLAIM_COLUMNS, "event", "kind")
EVENT = SQLITE_CLAIM_COLUMNS.index("event")
INSERT_CLAIM = (f"INSERT OR IGNORE INTO claims({', '.join(SQLITE_CLAIM_COLUMNS)})"
                f" VALUES ({', '.join('?' * len(SQLITE_CLAIM_COLUMNS))})")
RETIRED = CLAIM_COLUMNS.index("retired")


def article_text(conn: Any, placeholder: str, key: bytes | None, before: int) -> str | None:
    """The text of the article whose event id is `key` (its ArticleIngested payload) when it was appended before
    position `before`, else None: an article appended after a claim is not there for it, however the appends
    were batched. `placeholder` is the backend's parameter mark."""
    from events.codec import loads  # here, as questions never need it and it imports cattrs

    if key is None:
        return None
    row = conn.execute(f"SELECT payload FROM events WHERE id = {placeholder} AND type = 'ArticleIngested'"
                       f" AND position < {placeholder}", (key, before)).fetchone()
    return None if row is None else loads(row[0])["text"]


def digest(claim_id: str) -> bytes | None:
    """The events.id key of a claim id, or None when it cannot be one."""
    try:
        key = bytes.fromhex(claim_id)
    except (ValueError, TypeError):
        return None
    return key if len(key) == 32 and key.hex() == claim_id else None


class StateProjector:
    """Keeps the details, articles, series, claims, retractions and corrections tables.

    Series and details ids are cached between appends; the cache is dropped
    when another connection committed (PRAGMA data_version) or a transaction
    of ours was rolled back (the tables' largest ids went down).
    """

    name = NAME

    def __init__(self) -> None:
        self._cache: tuple[Any, ...] | None = None
        self.series: dict[SeriesKey, int] = {}
        self.details: dict[str, int] = {}
        self.profiles: dict[tuple, int] = {}
        self.files: dict[int, str] = {}  # article key -> its file
        self.pieces: dict[tuple[int, int], tuple] = {}  # (series id, profile id) -> their pieces of a claim's text

    def setup(self, conn: sqlite3.Connection) -> None:
        """Create the tables; tables of an older version of this model are dropped first."""
        conn.execute("CREATE TABLE IF NOT EXISTS state_meta(one INTEGER PRIMARY KEY CHECK (one = 1), version INTEGER)")
        row = conn.execute("SELECT version FROM state_meta").fetchone()
        if row is None or row[0] != VERSION:
            self.reset(conn)
            conn.execute("CREATE TABLE state_meta(one INTEGER PRIMARY KEY CHECK (one = 1), version INTEGER)")
            conn.execute("INSERT INTO state_meta(one, version) VALUES (1, ?)", (VERSION,))
        self.upgrade(conn)
        for stmt in SETUP + VIEW_SQL:
            conn.execute(stmt)

    def outdated(self, conn: sqlite3.Connection) -> bool:
        """Whether the tables hold an index of an older version that upgrade makes again."""
        walk = walk_columns(conn)
        return bool(walk) and walk != WALK

    def upgrade(self, conn: sqlite3.Connection) -> None:
        """Make again the walk index of an older version (it gained the columns `check` reads; about 1.5 s at
        1M claims), so that a read model at the head is not folded again for an index."""
        if self.outdated(conn):
            conn.execute("DROP INDEX claims_walk")
            conn.execute(WALK_SQL)

    def reset(self, conn: sqlite3.Connection) -> None:
        """Drop the tables. A rebuild follows: it fills the (series, date) index in log order, that is all over
        it, so the connection gets a page cache that holds it (128 MiB; about 10% off a rebuild at 1M claims)."""
        self._cache = None
        if conn.execute("PRAGMA cache_size").fetchone()[0] > -131072:
            conn.execute("PRAGMA cache_size = -131072")
        for view in VIEWS:
            conn.execute(f"DROP VIEW IF EXISTS {view}")
        for table in TABLES:
            conn.execute(f"DROP TABLE IF EXISTS {table}")

    def apply(self, conn: sqlite3.Connection, batch: Sequence[Recorded]) -> None:
        self._check_cache(conn)
        _Batch(conn, self).apply(batch)
        self._cache = self._marks(conn)

    def _marks(self, conn: sqlite3.Connection) -> tuple[Any, ...]:
        return (id(conn), *conn.execute(
            "SELECT (SELECT data_version FROM pragma_data_version), (SELECT max(series_id) FROM series),"
            " (SELECT max(detail_id) FROM details), (SELECT max(profile_id) FROM profiles)").fetchone())

    def _check_cache(self, conn: sqlite3.Connection) -> None:
        if self._cache is None or self._cache != self._marks(conn):
            self.series, self.details, self.profiles, self.files, self.pieces = {}, {}, {}, {}, {}


class _Batch:
    """One apply call: buffers claim inserts, flushing before anything that reads them."""

    def __init__(self, conn: sqlite3.Connection, proj: StateProjector) -> None:
        self.conn = conn
        self.series = proj.series
        self.details = proj.details
        self.profiles = proj.profiles
        self.files = proj.files
        self.pieces = proj.pieces
        self.pending: list[list] = []
        self.nodes: list[tuple[int, str]] = []  # the claim_nodes rows to insert at the next flush
        self.retiring: bool | None = None  # whether any retraction or replacement is recorded: asked when needed

    def apply(self, batch: Sequence[Recorded]) -> None:
        from events.codec import loads  # here, as questions never need it and it imports cattrs

        articles = []
        recheck = []
        details = self.details
        texts: dict[str, str] = {}
        for rec in batch:
            t = rec.type
            d = rec.data if rec.data is not None else loads(rec.payload)
            if t == "ClaimReported":
                ev = d["evidence"]
                ds = ev.get("dataset")
                aid = ev.get("article_id")
                self._pend(rec, self._claim_row(
                    rec.position, d["claim"], d.get("published"),
                    None if aid is None else details.get(aid) or self._detail(aid),
                    self._detail(ds["file"]) if ds else None, d.get("rule"), None, ev,
                    node=None if ds else rec.id))
                if to_recheck(ev, texts, lambda a, at=rec.position: self._article_text(a, at)):
                    recheck.append((rec.position,))
            elif t == "ClaimAsserted":
                from events.model import ASSERTED_RULE  # the model's classes are not needed to read a log

                src = d["source"]
                aid = src.get("article_id")
                self._pend(rec, self._claim_row(
                    rec.position, d["claim"], src.get("published"),
                    None if aid is None else details.get(aid) or self._detail(aid),
                    self._detail(src.get("url")), ASSERTED_RULE, None))
                self._mark(rec.position, d["claim_id"], "asserted", d["reviewer"], None, rec.recorded_at)
            elif t == "ClaimReviewed":
                self._mark(rec.position, d["claim_id"], d["verdict"], d["reviewer"], d.get("note", ""), d["at"])
            elif t == "ArticleIngested":
                self._file(self._detail(d["article_id"]), d["file"])  # type: ignore[arg-type]
                articles.append((self._detail(d["article_id"]), d["file"], d.get("outlet"), d.get("published"),
                                 d.get("published_origin"), rec.position, d.get("title"), d.get("url")))
                texts.setdefault(d["article_id"], d["text"])
            elif t == "ArticleMetadataCorrected":
                self.conn.execute(
                    "INSERT OR IGNORE INTO article_corrections(position, article, outlet, title, url, published,"
                    " reviewer, note, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (rec.position, self._detail(d["article_id"]), d.get("outlet"), d.get("title"), d.get("url"),
                     d.get("published"), d["reviewer"], d.get("note", ""), d["at"]))
            elif t == "ClaimRetracted":
                self.flush()
                self.conn.execute("INSERT INTO retractions(position, claim_id, reason) VALUES (?, ?, ?)",
                                  (rec.position, d["claim_id"], d["reason"]))
                self._retire(d["claim_id"], rec.position)
            elif t == "ClaimCorrected":
                self.flush()
                self._correct(rec, d)
        if articles:
            self.conn.executemany(
                "INSERT OR IGNORE INTO articles(article, file, outlet, published, published_origin, position, title,"
                " url) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", articles)
        if recheck:
            self.conn.executemany("INSERT OR IGNORE INTO quote_checks(position) VALUES (?)", recheck)
        self.flush()

    def _pend(self, rec: Recorded, row: list) -> None:
        """A claim row to insert at the next flush, with its event's id (bytes) and type."""
        row += (digest(rec.id), rec.type)
        self.pending.append(row)

    def _article_text(self, article_id: str, before: int) -> str | None:
        return article_text(self.conn, "?", digest(article_id), before)

    def flush(self) -> None:
        if not self.pending:
            return
        rows = self.pending
        self.pending = []
        if self.retiring is None:
            self.retiring = bool(self.conn.execute(
                "SELECT EXISTS(SELECT 1 FROM retractions)"
                " OR EXISTS(SELECT 1 FROM corrections WHERE replacement_id IS NOT NULL)").fetchone()[0])
        if self.retiring:
            ids = [r[EVENT].hex() for r in rows]  # each claim's id: its event's
            retired = dict(self.conn.execute(
                "WITH b AS (SELECT value AS claim_id FROM json_each(?1))"
                " SELECT claim_id, min(p) FROM (SELECT r.claim_id, r.position AS p FROM retractions r JOIN b USING (claim_id)"
                " UNION ALL SELECT k.claim_id, k.position FROM corrections k JOIN b USING (claim_id)"
                " WHERE k.replacement_id IS NOT NULL) GROUP BY claim_id",
                (json.dumps(ids),)))
            if retired:
                for r, claim_id in zip(rows, ids):
                    if r[RETIRED] != 0:
                        r[RETIRED] = retired.get(claim_id)
        try:
            self.conn.executemany(INSERT_CLAIM, rows)
        except OverflowError:  # a figure beyond SQLite's integers (10**40 in a text): kept as a real number
            self.conn.executemany(INSERT_CLAIM, [_storable(r) for r in rows])
        if self.nodes:
            self.conn.executemany("INSERT OR IGNORE INTO claim_nodes(position, json) VALUES (?, ?)", self.nodes)
            self.nodes = []

    def _correct(self, rec: Recorded, d: dict[str, Any]) -> None:
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
        if d.get("reviewer") is not None:
            self._mark(rec.position, rec.id, "corrected", d["reviewer"], d["reason"], rec.recorded_at)
        target = self.conn.execute(
            "SELECT report, article, dataset FROM claims WHERE position = (SELECT position FROM events WHERE id = ?)",
            (digest(target_id),),
        ).fetchone()
        report, article, dataset = target if target else (None, None, None)
        published = d.get("published")
        self._pend(rec, self._claim_row(
            rec.position, replacement, published, article, dataset, f"correction of {target_id}", target_id,
            report=report if published is None else None))
        self.retiring = True
        self.flush()
        self._retire(target_id, rec.position)

    def _mark(self, position: int, claim_id: str, mark: str, reviewer: str, note: str | None, at: str) -> None:
        self.conn.execute("INSERT OR IGNORE INTO reviews(position, claim_id, mark, reviewer, note, at)"
                          " VALUES (?, ?, ?, ?, ?, ?)", (position, claim_id, mark, reviewer, note, at))

    def _retire(self, claim_id: str, position: int) -> None:
        self.retiring = True
        self.conn.execute(
            "UPDATE claims SET retired = ?1 WHERE position = (SELECT position FROM events WHERE id = ?2)"
            " AND (retired IS NULL OR retired > ?1)",
            (position, digest(claim_id)),
        )

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

    def _detail(self, text: str | None) -> int | None:
        if text is None:
            return None
        did = self.details.get(text)
        if did is None:
            row = self.conn.execute("SELECT detail_id FROM details WHERE text = ?", (text,)).fetchone()
            did = row[0] if row else self.conn.execute("INSERT INTO details(text) VALUES (?)", (text,)).lastrowid
            self.details[text] = did
        return did

    def _profile(self, key: tuple) -> int:
        pid = self.profiles.get(key)
        if pid is None:
            row = self.conn.execute(
                "SELECT profile_id FROM profiles WHERE qualifier IS ? AND unit IS ? AND claimant IS ? AND outlet IS ?"
                " AND modality IS ? AND rule IS ?", key).fetchone()
            pid = row[0] if row else self.conn.execute(
                "INSERT INTO profiles(qualifier, unit, claimant, outlet, modality, rule) VALUES (?, ?, ?, ?, ?, ?)",
                key).lastrowid
            self.profiles[key] = pid
        return pid

    def _claim_row(self, position: int, c: dict[str, Any], published: str | None, article: int | None,
                   dataset: int | None, rule: str | None, replaces: str | None, evidence: dict | None = None,
                   report: int | None = None, node: str | None = None) -> list:
        """A claims row; given the claim's id (`node`), the claim's node-link JSON is kept too when a graph would
        draw it from the row (whole-number figures, its article's file known)."""
        get = c.get
        days = _DAYS
        period = get("period")
        if period is None:
            shape, valid, start = "level", get("as_of"), None
        else:
            shape, valid, start = "window", period["end"], days[period.get("start")]
        modality = get("modality", "asserted")
        key = (c["metric"], c["party"], get("region"), shape)
        sid = self.series.get(key) or self._series_id(key)
        pkey = (get("qualifier", "exact"), c["unit"], get("claimant"), get("outlet"), modality, rule)
        pid = self.profiles.get(pkey) or self._profile(pkey)
        row = [
            position, sid, days[valid], days[published] if published is not None else report,
            0 if modality == "denied" else None, c["value"], get("low"), get("high"), pid, article, dataset,
            days[get("as_of")], days[get("since")], start, replaces, *_quoted(evidence),
        ]
        if node is not None:
            self._node(row, key, pkey, node)
        return row

    def _node(self, row: list, key: SeriesKey, pkey: tuple, claim_id: str) -> None:
        """Keep a claim's node text (projections.node_text)."""
        value, low, high = row[5], row[6], row[7]
        if digest(claim_id) is None:
            return
        if not (_whole(value) and (low is None or _whole(low)) and (high is None or _whole(high))):
            return  # a real number (SQLite may keep it as an integer), or an integer SQLite keeps as a real number
        article = row[9]
        file = None if article is None else self._file(article)
        if article is not None and file is None:
            return  # an article not ingested (yet): a graph reads its file when it draws the claim
        pieces = self.pieces.get((row[1], row[8]))
        if pieces is None:
            pieces = self.pieces[row[1], row[8]] = pair_pieces(key, pkey)
        valid, report = row[2], row[3]
        self.nodes.append((row[0], claim_text(
            pieces, f"{value:,}", row[0], None if valid is None else ISO_DAYS[valid],
            None if report is None else ISO_DAYS[report], value, low, high, row[17], row[15], row[16],
            "" if file is None else line("source", file), "claim:" + claim_id)))


    def _file(self, article: int, ingested: str | None = None) -> str | None:
        """An article's file as the articles table holds it (the first ingested), or as this batch ingests it."""
        file = self.files.get(article)
        if file is None:
            found = self.conn.execute("SELECT file FROM articles WHERE article = ?", (article,)).fetchone()
            file = found[0] if found else ingested
            if file is not None:
                self.files[article] = file
        return file


def _quoted(evidence: dict | None) -> tuple:
    """(span start, span end, quote) of a claim's evidence, as json_extract reads them from its payload: NULL
    where there is none (a claim entered by hand or a correction's replacement: no evidence; a dataset row: no
    span)."""
    if evidence is None:
        return None, None, None
    span = evidence.get("span")
    if span is None:
        return None, None, evidence.get("quote")
    return span[0], span[1], evidence.get("quote")


def _whole(v: Any) -> bool:
    """Whether a figure is an integer SQLite keeps as one."""
    return type(v) is int and -2**63 <= v < 2**63


def _storable(row: list) -> list:
    """A claim row whose integers beyond 64 bits are floats, which SQLite can store."""
    return [float(v) if type(v) is int and not -2**63 <= v < 2**63 else v for v in row]


class _Days(dict):
    """ISO date -> day ordinal, each parsed once; None -> None."""

    def __missing__(self, iso_date: str) -> int:
        day = self[iso_date] = dt.date.fromisoformat(iso_date).toordinal()
        return day


_DAYS = _Days({None: None})


def projectors() -> tuple:
    """The read models every SQLite log keeps."""
    return (StateProjector(),)


# -- questions -----------------------------------------------------------------

# A claim as read for ClaimRow: (series_id, id, position, valid, report, value, low, high, profile, article,
# source file, as_of, since, period_start); `article` is the details id of the article id, which ClaimRow
# carries only when neither an article file nor a dataset file is known (it is then the claim's source).
# The id and the source are looked up only for the rows that satisfy {need}.
_ROW_SQL = (
    "c.series_id, CASE WHEN {need} THEN (SELECT lower(hex(e.id)) FROM events e WHERE e.position = c.position) END,"
    " c.position, c.valid, c.report, c.value, c.low, c.high, c.profile, c.article,"
    " CASE WHEN {need} THEN coalesce((SELECT a.file FROM articles a WHERE a.article = c.article),"
    " (SELECT d.text FROM details d WHERE d.detail_id = c.dataset)) END, c.as_of, c.since, c.period_start"
)
ROW_SQL = _ROW_SQL.format(need="1")
VALID, VALUE, PROFILE = 3, 5, 8
_ADMIT = " AND {c}.position <= :n AND ({c}.retired IS NULL OR {c}.retired > :n)"
_KNOWN = " AND {c}.report <= :k"

# Per series in :q: its latest admitted date on or before :d (d1), the admitted date before that (d2), and
# every admitted claim at d1 or d2 (claims between them are not admitted, by the definition of d2).
_TOP_TWO = (
    "WITH q AS MATERIALIZED (SELECT j.value AS sid, (SELECT c2.valid FROM claims c2 WHERE c2.series_id = j.value"
    " AND c2.valid <= :d{admit2} ORDER BY c2.valid DESC LIMIT 1) AS d1 FROM json_each(:q) j),"
    " r AS MATERIALIZED (SELECT sid, d1, (SELECT c2.valid FROM claims c2 WHERE c2.series_id = q.sid"
    " AND c2.valid < q.d1{admit2} ORDER BY c2.valid DESC LIMIT 1) AS d2 FROM q WHERE d1 IS NOT NULL)"
    " SELECT " + _ROW_SQL.format(need="c.valid = r.d1") + " FROM r CROSS JOIN claims c" +
    " WHERE c.series_id = r.sid AND c.valid >= coalesce(r.d2, r.d1) AND c.valid <= r.d1{admit}"
    " ORDER BY c.series_id, c.valid DESC"
)
# For each [series, before] in :q, the series' latest admitted valid date before `before`: one covering-index seek.
_SEEK = (
    "WITH q AS MATERIALIZED (SELECT json_extract(value, '$[0]') AS sid, json_extract(value, '$[1]') AS before"
    " FROM json_each(:q))"
    " SELECT q.sid, (SELECT c2.valid FROM claims c2 WHERE c2.series_id = q.sid AND c2.valid < q.before{admit2}"
    " ORDER BY c2.valid DESC LIMIT 1) FROM q"
)
# For each [series, valid] in :q, the admitted claims of that series at that date.
_GROUPS = (
    "WITH q AS MATERIALIZED (SELECT json_extract(value, '$[0]') AS sid, json_extract(value, '$[1]') AS valid"
    " FROM json_each(:q))"
    " SELECT " + ROW_SQL + " FROM q CROSS JOIN claims c" +
    " WHERE c.series_id = q.sid AND c.valid = q.valid{admit}"
)


def gate_at(conn: sqlite3.Connection, basis: Basis) -> Gate | None:
    """The reviews that bear on `basis`; None when none does (the common case costs one seek)."""
    if not basis.reviewed and not conn.execute(
            "SELECT EXISTS(SELECT 1 FROM reviews WHERE position <= ?)", (basis.position,)).fetchone()[0]:
        return None
    st = standing(conn.execute("SELECT position, claim_id, mark FROM reviews WHERE position <= ?",
                               (basis.position,)), basis.position)
    return Gate(st, _positions(conn, st.rejected),
                _positions(conn, st.reviewed - st.rejected) if basis.reviewed else None)


def _positions(conn: sqlite3.Connection, claim_ids: Collection[str]) -> tuple[int, ...]:
    out = []
    for claim_id in claim_ids:
        key = digest(claim_id)
        row = None if key is None else conn.execute("SELECT position FROM events WHERE id = ?", (key,)).fetchone()
        if row is not None:
            out.append(row[0])
    return tuple(sorted(out))


def _admit(basis: Basis, c: str, gate: Gate | None = None) -> str:
    sql = _ADMIT.format(c=c) + (_KNOWN.format(c=c) if basis.known_at is not None else "")
    if gate is not None:
        if gate.rejected:
            sql += f" AND {c}.position NOT IN (SELECT value FROM json_each(:rej))"
        if gate.reviewed is not None:
            sql += f" AND {c}.position IN (SELECT value FROM json_each(:ok))"
    return sql


def _params(basis: Basis, gate: Gate | None = None) -> dict[str, Any]:
    params = {"n": basis.position, "k": None if basis.known_at is None else basis.known_at.toordinal(),
              "d": basis.as_of.toordinal()}
    if gate is not None:
        params["rej"] = json.dumps(gate.rejected)
        params["ok"] = json.dumps(gate.reviewed or ())
    return params


def series_list(conn: sqlite3.Connection, filters: Filters = Filters()) -> list[tuple[int, SeriesKey]]:
    """The series a question is about, in the order a state lists them."""
    out = []
    anything = filters == Filters()
    for sid, metric, party, region, shape in conn.execute("SELECT series_id, metric, party, region, shape FROM series"):
        if anything or filters.matches(metric, party, region):
            out.append((sid, (metric, party, region, shape)))
    out.sort(key=lambda s: series_order(s[1]))
    return out


def profiles(conn: sqlite3.Connection) -> dict[int, tuple]:
    """Profile id -> (qualifier, unit, claimant, outlet, modality, rule): a small table, read whole."""
    return {r[0]: r[1:] for r in conn.execute(
        "SELECT profile_id, qualifier, unit, claimant, outlet, modality, rule FROM profiles")}


def claim_row(conn: sqlite3.Connection, key: SeriesKey, raw: Sequence[Any], profile: tuple) -> ClaimRow:
    """A ClaimRow from a series key, the ROW_SQL columns and the claim's profile."""
    qualifier, unit, claimant, outlet, modality, rule = profile
    valid, source = raw[3], raw[10]
    article_id = None
    if source is None and raw[9] is not None:
        article_id = detail(conn, raw[9])
    return ClaimRow(key[0], key[1], key[2], key[3], raw[1], raw[2], valid, raw[4], raw[5], raw[6], raw[7], qualifier,
                    unit, claimant, outlet, modality, article_id, source, raw[11], raw[12], raw[13],
                    valid if key[3] == "window" else None, rule)


def state_at(conn: sqlite3.Connection, basis: Basis, filters: Filters = Filters()) -> State:
    """The state at `basis`, read from the tables this module keeps.

    The series with claims of an article whose metadata was corrected by the basis position are chosen in
    Python from their rows as followed (projections.metadata); the others by the statements below.
    """
    wanted = series_list(conn, filters)
    gate = gate_at(conn, basis)
    meta = article_meta(conn, basis.position)
    values, loose = ({}, 0)
    if meta:
        touched = _touched(conn, meta)
        mine = [w for w in wanted if w[0] in touched]
        wanted_rest = [w for w in wanted if w[0] not in touched]
        values, loose = followed_values(_followed_rows(conn, basis.position, mine, meta), basis,
                                        gate.standing if gate is not None else Standing())
    else:
        wanted_rest = list(wanted)
    values.update(values_at(conn, basis, wanted_rest, gate))
    chosen = [values[sid] for sid, _ in wanted if sid in values]
    return State(basis, tuple(with_adjustments(conn, chosen, basis)),
                 undated(conn, basis, {sid for sid, _ in wanted_rest}, gate) + loose)


def article_meta(conn: sqlite3.Connection, position: int, changed_only: bool = True) -> dict[int, ArticleMeta]:
    """The metadata of each article (by details id) corrected by `position`; {} when none was (one seek).
    `changed_only`: only the articles whose outlet or publication date differs from the ingested ones (those
    whose claims it changes)."""
    if not conn.execute("SELECT EXISTS(SELECT 1 FROM article_corrections WHERE position <= ?)", (position,)).fetchone()[0]:
        return {}
    corrections = [(p, a, {"outlet": o, "title": t, "url": u, "published": to_date(d)})
                   for p, a, o, t, u, d in conn.execute(
                       "SELECT position, article, outlet, title, url, published FROM article_corrections"
                       " WHERE position <= ? ORDER BY position", (position,))]
    ingested = {a: {"outlet": o, "title": t, "url": u, "published": to_date(d), "published_origin": origin}
                for a, o, t, u, d, origin in conn.execute(
                    "SELECT a.article, a.outlet, json_extract(e.payload, '$.title'), json_extract(e.payload, '$.url'),"
                    " a.published, a.published_origin FROM json_each(?) j JOIN articles a ON a.article = j.value"
                    " JOIN events e ON e.position = a.position", (json.dumps(sorted({c[1] for c in corrections})),))}
    return {a: m for a, m in meta_at(ingested, corrections, position).items() if m.changed() or not changed_only}


def _touched(conn: sqlite3.Connection, meta: dict[int, ArticleMeta]) -> set[int]:
    """The series with claims read from these articles."""
    return {sid for (sid,) in conn.execute(
        "SELECT DISTINCT series_id FROM claims WHERE article IN (SELECT value FROM json_each(?))",
        (json.dumps(list(meta)),))}


def _followed_rows(conn: sqlite3.Connection, position: int, wanted: Sequence[tuple[int, SeriesKey]],
                   meta: dict[int, ArticleMeta]) -> list[tuple[int, ClaimRow, int | None]]:
    """(series id, row as followed, retiring position) of every claim of these series appended by `position`,
    in log order."""
    if not wanted:
        return []
    keys = dict(wanted)
    profile = profiles(conn)
    sql = ("SELECT " + ROW_SQL + ", c.retired FROM json_each(?) j CROSS JOIN claims c ON c.series_id = j.value"
           " WHERE c.position <= ? ORDER BY c.position")
    out = []
    for raw in conn.execute(sql, (json.dumps(list(keys)), position)):
        row = claim_row(conn, keys[raw[0]], raw, profile[raw[PROFILE]])
        out.append((raw[0], follow(row, meta.get(raw[9])), raw[-1]))
    return out


def values_at(conn: sqlite3.Connection, basis: Basis, wanted: Sequence[tuple[int, SeriesKey]],
              gate: Gate | None = None) -> dict[int, Value]:
    """The value of each wanted series at `basis` (adjustments not attached), by series id.

    One statement reads the two latest admitted dates of every series; the
    series whose run of supports may go on past them are read further back in
    rounds, one seek statement and one fetch per round.
    """
    keys = dict(wanted)
    profile = profiles(conn)
    params = _params(basis, gate)
    params["q"] = json.dumps(list(keys))
    admit = _admit(basis, "c", gate)
    top_two: dict[int, list[tuple]] = {}
    for raw in conn.execute(_TOP_TWO.format(admit=admit, admit2=_admit(basis, "c2", gate)), params):
        rows = top_two.get(raw[0])
        if rows is None:
            top_two[raw[0]] = [raw]
        else:
            rows.append(raw)
    values: dict[int, Value] = {}
    groups: dict[int, list[list[ClaimRow]]] = {}
    asking: dict[int, int] = {}
    for sid, raws in top_two.items():
        d1 = raws[0][3]
        if len(raws) == 1 or (raws[1][3] != d1 and _breaks(raws[0], raws[1:], profile)):
            values[sid] = single(claim_row(conn, keys[sid], raws[0], profile[raws[0][PROFILE]]), basis)
            continue
        key = keys[sid]
        full = rows_at(conn, [r[2] for r in raws])  # the date before the top one was read without ids
        top = [claim_row(conn, key, full[r[2]], profile[r[PROFILE]]) for r in raws if r[3] == d1]
        gs = [top]
        rest = [claim_row(conn, key, full[r[2]], profile[r[PROFILE]]) for r in raws if r[3] != d1]
        if rest:
            gs.append(rest)
        groups[sid] = gs
        if rest and needs_more(gs):
            asking[sid] = rest[0].valid
    _read_back(conn, basis, keys, profile, groups, asking, gate)
    reviewed = reviewed_ids(gate)
    for sid, gs in groups.items():
        v = choose(chain.from_iterable(gs), basis, reviewed)
        if v is not None:
            values[sid] = v
    return values


def rows_at(conn: sqlite3.Connection, positions: Sequence[int]) -> dict[int, tuple]:
    """The claims at these log positions: position -> (series_id, *ROW_SQL columns)."""
    sql = "SELECT " + ROW_SQL + " FROM json_each(?) j CROSS JOIN claims c ON c.position = j.value"
    return {raw[2]: raw for raw in conn.execute(sql, (json.dumps(list(positions)),))}


def _breaks(top: tuple, earlier: Sequence[tuple], profile: dict[int, tuple]) -> bool:
    """Whether an earlier date's claims end the run of the top claim's figure (value and unit)."""
    value, unit = top[VALUE], profile[top[PROFILE]][1]
    return any(r[VALUE] != value or profile[r[PROFILE]][1] != unit for r in earlier)


def _read_back(conn: sqlite3.Connection, basis: Basis, keys: dict[int, SeriesKey], profile: dict[int, tuple],
               groups: dict[int, list[list[ClaimRow]]], asking: dict[int, int], gate: Gate | None = None) -> None:
    """Extend the date groups of the series in `asking` (series -> date to read before) while their runs go on."""
    seek = _SEEK.format(admit2=_admit(basis, "c2", gate))
    fetch = _GROUPS.format(admit=_admit(basis, "c", gate))
    params = _params(basis, gate)
    while asking:
        params["q"] = json.dumps(list(asking.items()))
        dates = [pair for pair in conn.execute(seek, params) if pair[1] is not None]
        if not dates:
            break
        params["q"] = json.dumps(dates)
        found: dict[int, list[ClaimRow]] = {}
        for raw in conn.execute(fetch, params):
            found.setdefault(raw[0], []).append(claim_row(conn, keys[raw[0]], raw, profile[raw[PROFILE]]))
        asking = {}
        for sid, group in found.items():
            gs = groups[sid]
            gs.append(sorted(group, key=lambda r: r.claim_id))
            if needs_more(gs):
                asking[sid] = group[0].valid


def with_adjustments(conn: sqlite3.Connection, values: list[Value], basis: Basis) -> list[Value]:
    """Attach the adjustment-only corrections of each chosen claim recorded by the basis position."""
    found = adjustments_of(conn, [v.claims[0] for v in values], basis.position)
    return [evolve(v, adjustments=found[v.claims[0]]) if v.claims[0] in found else v for v in values] if found else values


def adjustments_of(conn: sqlite3.Connection, claim_ids: Sequence[str], position: int) -> dict[str, tuple[Adjustment, ...]]:
    """The adjustment-only corrections of these claims recorded by `position`, in log order, by claim id."""
    if not claim_ids or conn.execute("SELECT NOT EXISTS(SELECT 1 FROM corrections WHERE replacement_id IS NULL)").fetchone()[0]:
        return {}
    found: dict[str, list[Adjustment]] = {}
    for claim_id, cid, pos, adjustment, reason in conn.execute(
        "SELECT claim_id, correction_id, position, adjustment, reason FROM corrections"
        " WHERE replacement_id IS NULL AND position <= ? AND claim_id IN (SELECT value FROM json_each(?))"
        " ORDER BY position",
        (position, json.dumps(list(claim_ids))),
    ):
        found.setdefault(claim_id, []).append(Adjustment(cid, pos, adjustment, reason))
    return {k: tuple(v) for k, v in found.items()}


def undated(conn: sqlite3.Connection, basis: Basis, ids: Collection[int], gate: Gate | None = None) -> int:
    """How many admitted claims of the series with these ids carry no valid date."""
    sql = ("SELECT c.series_id, count(*) FROM claims c INDEXED BY claims_undated WHERE c.valid IS NULL"
           + _admit(basis, "c", gate) + " GROUP BY c.series_id")
    return sum(n for sid, n in conn.execute(sql, _params(basis, gate)) if sid in ids)


def earliest_valid(conn: sqlite3.Connection, basis: Basis, filters: Filters = Filters()) -> dt.date | None:
    """The earliest valid date among the claims the basis admits (ignoring its date): for an empty state's message."""
    gate = gate_at(conn, basis)
    params = _params(basis, gate)
    sql = "SELECT min(c.valid) FROM claims c WHERE c.series_id = :s AND c.valid IS NOT NULL" + _admit(basis, "c", gate)
    found = []
    for sid, _ in series_list(conn, filters):
        params["s"] = sid
        v = conn.execute(sql, params).fetchone()[0]
        if v is not None:
            found.append(v)
    return dt.date.fromordinal(min(found)) if found else None


def known_values(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """The metrics, parties and regions the log holds claims about: for messages that say what is valid."""
    metrics, parties, regions = set(), set(), set()
    for metric, party, region in conn.execute("SELECT metric, party, region FROM series"):
        metrics.add(metric)
        parties.add(party)
        if region is not None:
            regions.add(region)
    return {"metric": sorted(metrics), "party": sorted(parties), "region": sorted(regions)}


def review_marks(conn: sqlite3.Connection, claim_ids: Collection[str], position: int) -> list[tuple]:
    """Every review mark on these claims by `position`, in log order: (claim_id, position, mark, reviewer, note, at)."""
    return conn.execute(
        "SELECT claim_id, position, mark, reviewer, note, at FROM reviews WHERE position <= ?"
        " AND claim_id IN (SELECT value FROM json_each(?)) ORDER BY position",
        (position, json.dumps(sorted(claim_ids)))).fetchall()


def review_positions(conn: sqlite3.Connection, claim_ids: Collection[str]) -> list[int]:
    """The log positions of every review mark on these claims, in order."""
    return [p for (p,) in conn.execute(
        "SELECT position FROM reviews WHERE claim_id IN (SELECT value FROM json_each(?)) ORDER BY position",
        (json.dumps(sorted(claim_ids)),))]


def claim_ids(conn: sqlite3.Connection, prefix: str, limit: int = 3) -> list[str]:
    """Ids of claims (reported, or brought by a correction) that start with a hex `prefix`: a range seek on events.id."""
    p = prefix.lower()
    if not p or any(ch not in "0123456789abcdef" for ch in p):
        return []
    lo = bytes.fromhex(p + "0" * (len(p) % 2))
    hi = _successor(bytes.fromhex(p[: len(p) - len(p) % 2])) if len(p) % 2 == 0 else _next_nibble(p)
    sql = ("SELECT lower(hex(e.id)) FROM events e JOIN claims c ON c.position = e.position WHERE e.id >= ?"
           + (" AND e.id < ?" if hi is not None else "") + " ORDER BY e.id LIMIT ?")
    args: tuple = (lo, hi, limit) if hi is not None else (lo, limit)
    return [r[0] for r in conn.execute(sql, args) if r[0].startswith(p)]


def _successor(b: bytes) -> bytes | None:
    """The smallest byte string greater than every string starting with `b`."""
    while b and b[-1] == 0xFF:
        b = b[:-1]
    return None if not b else b[:-1] + bytes([b[-1] + 1])


def _next_nibble(p: str) -> bytes | None:
    """For an odd-length hex prefix: the bound after every id starting with it."""
    last = int(p[-1], 16)
    head = bytes.fromhex(p[:-1])
    if last < 15:
        return head + bytes([(last + 1) << 4])
    return _successor(head)


def series_claims(conn: sqlite3.Connection, filters: Filters, position: int | None = None) -> list[tuple[ClaimRow, int | None]]:
    """Every claim of the series matching `filters` (any date, retired or not), with the position that retires it:
    what a history (projections.history) is computed from. With `position`, the claims of articles whose
    metadata was corrected by then follow it (projections.metadata)."""
    meta = article_meta(conn, position) if position is not None else {}
    wanted = series_list(conn, filters)
    if not wanted:
        return []
    keys = dict(wanted)
    profile = profiles(conn)
    sql = ("SELECT " + ROW_SQL + ", c.retired FROM json_each(?) j CROSS JOIN claims c ON c.series_id = j.value"
           " ORDER BY c.series_id, c.valid, c.position")
    out = []
    for raw in conn.execute(sql, (json.dumps(list(keys)),)):
        row = claim_row(conn, keys[raw[0]], raw, profile[raw[PROFILE]])
        out.append((follow(row, meta[raw[9]]) if raw[9] in meta else row, raw[-1]))
    return out


def amendments(conn: sqlite3.Connection, claim_ids: Collection[str]) -> list[tuple]:
    """The retractions and corrections recorded against these claims, in log order:
    (claim_id, position, kind, reason, adjustment, replacement_id)."""
    ids = json.dumps(list(claim_ids))
    rows = [(c, p, "retraction", r, None, None) for c, p, r in conn.execute(
        "SELECT claim_id, position, reason FROM retractions WHERE claim_id IN (SELECT value FROM json_each(?))",
        (ids,))]
    rows += [(c, p, "correction", r, a, k) for c, p, r, a, k in conn.execute(
        "SELECT claim_id, position, reason, adjustment, replacement_id FROM corrections"
        " WHERE claim_id IN (SELECT value FROM json_each(?))", (ids,))]
    return sorted(rows, key=lambda r: r[1])


def evidence(conn: sqlite3.Connection, positions: Collection[int]) -> dict[int, tuple]:
    """The evidence of the claims at these positions, from their event payloads:
    position -> (quote, span start, span end, article id, dataset as JSON text or None).
    A correction's replacement carries no evidence of its own (None); a claim entered by hand has its quote
    and article id, no span."""
    sql = ("SELECT e.position, json_extract(e.payload, '$.evidence.quote'), json_extract(e.payload, '$.evidence.span[0]'),"
           " json_extract(e.payload, '$.evidence.span[1]'), json_extract(e.payload, '$.evidence.article_id'),"
           " json_extract(e.payload, '$.evidence.dataset') FROM json_each(?) j CROSS JOIN events e"
           " ON e.position = j.value WHERE e.type = 'ClaimReported'"
           " UNION ALL SELECT e.position, json_extract(e.payload, '$.quote'), NULL, NULL,"
           " json_extract(e.payload, '$.source.article_id'), NULL FROM json_each(?) j CROSS JOIN events e"
           " ON e.position = j.value WHERE e.type = 'ClaimAsserted'")
    wanted = json.dumps(list(positions))
    return {r[0]: r[1:] for r in conn.execute(sql, (wanted, wanted))}


# -- small questions that other modules ask (each backend's read model module has them) ----------

def head(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT position FROM log_head").fetchone()[0]


def retraction_of(conn: sqlite3.Connection, claim_id: str) -> tuple[int, str] | None:
    """The first retraction of a claim: (position, reason), or None."""
    return conn.execute(
        "SELECT position, reason FROM retractions WHERE claim_id = ? ORDER BY position LIMIT 1", (claim_id,)
    ).fetchone()


def ids_between(conn: sqlite3.Connection, low: bytes, high: bytes, n: int) -> list[tuple[bytes, str]]:
    """Up to 3 (id, type) of events with ids in [low, high] at positions <= n."""
    return conn.execute(
        "SELECT id, type FROM events WHERE id BETWEEN ? AND ? AND position <= ? LIMIT 3", (low, high, n)
    ).fetchall()


# -- for the memory index (projections.memory) ---------------------------------------------------

def retired_since(conn: sqlite3.Connection, position: int) -> bool:
    """Whether a retraction or a replacing correction was recorded after `position`."""
    return bool(conn.execute(
        "SELECT EXISTS(SELECT 1 FROM retractions WHERE position > ?1)"
        " OR EXISTS(SELECT 1 FROM corrections WHERE position > ?1 AND replacement_id IS NOT NULL)",
        (position,)).fetchone()[0])


# One pass over claims and events in step (positions ascending), sorted by SQLite's sorter rather than read
# through the (series, valid) index, which would visit the table rows in random order.
_INDEX_ROWS = (
    "SELECT c.series_id, c.valid, c.position, coalesce(c.report, ?1), coalesce(c.retired, ?1), c.value, c.low,"
    " c.high, c.profile, coalesce(c.article, 0), coalesce(c.dataset, 0), coalesce(c.as_of, 0), coalesce(c.since, 0),"
    " coalesce(c.period_start, 0), e.id FROM claims c NOT INDEXED JOIN events e ON e.position = c.position"
    " WHERE c.valid IS NOT NULL{after} ORDER BY c.series_id + 0, c.valid, c.position"
)


def index_rows(conn: sqlite3.Connection, never: int, after: int | None) -> sqlite3.Cursor:
    """The dated claims (after a position) with their ids, sorted by series, valid date and position."""
    if after is None:
        return conn.execute(_INDEX_ROWS.format(after=""), (never,))
    return conn.execute(_INDEX_ROWS.format(after=" AND c.position > ?2"), (never, after))


def articles_since(conn: sqlite3.Connection, position: int) -> list[tuple[int, str]]:
    return conn.execute("SELECT article, file FROM articles WHERE position > ?", (position,)).fetchall()


def details_after(conn: sqlite3.Connection, detail_id: int) -> list[tuple[int, str]]:
    return conn.execute("SELECT detail_id, text FROM details WHERE detail_id > ?", (detail_id,)).fetchall()


def series_count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM series").fetchone()[0]


# -- for check (timeline.checks): every admitted claim up to a date, without decoding the log -----------------

# The columns check's pass reads of a claim (timeline.checks, by index): series, position, valid date, value,
# profile, flags (1: the quote is to be read again, quote_checks; 2: dated after its report), and for the counts
# over a window, the start of the window; by series and valid date, a scan of the walk index, which holds them
# all. The id of a claim is read for the claims a finding names, and its bounds for those hedged (claim_ids_at,
# claim_bounds_at).
_ORDERED = (
    "SELECT c.series_id, c.position, c.valid, c.value, c.profile,"
    " (c.position IN (SELECT position FROM quote_checks)) + 2 * (c.report IS NOT NULL AND c.valid > c.report)"
    "{start} FROM claims c {index} WHERE c.valid IS NOT NULL"
    " AND c.valid <= :d{admit} AND c.series_id {among} (SELECT value FROM json_each(:first))"
    " ORDER BY c.series_id, c.valid"
)


def checked_rows(conn: sqlite3.Connection, basis: Basis,
                 first: Callable[[dict], Collection[int]]) -> tuple[dict, dict, Any, list]:
    """The claims `basis` admits with a valid date on or before its date, any series, as rows ordered by series
    and valid date, the series `first` picks of the keys (by id) before the others: (series keys by id, profiles
    by id, rows of the _ORDERED columns, and the claims of articles whose metadata
    was corrected by the basis position as (ClaimRow as followed, whether to read its quote again):
    projections.metadata). For `check` at scale: the rows are read as SQLite gives them, and only the claims a
    finding names are read whole (rows_at, claim_ids_at, claim_bounds_at)."""
    gate = gate_at(conn, basis)
    keys = dict(series_list(conn))
    profile = profiles(conn)
    meta = article_meta(conn, basis.position)
    params = _params(basis, gate)
    params["first"] = json.dumps(sorted(first(keys)))
    admit = _admit(basis, "c", gate)
    if meta:
        admit += " AND (c.article IS NULL OR c.article NOT IN (SELECT value FROM json_each(:meta)))"
        params["meta"] = json.dumps(list(meta))

    # The second query runs when the first is read through; the rows go by in C (chain), not a generator's frame.
    # A log whose walk index is of an older version (read-only, so never upgraded) is read as it was: a scan
    # and a sort, which beats a table row read for every index entry.
    index = "INDEXED BY claims_walk" if walk_columns(conn) == WALK else "NOT INDEXED"
    rows = chain.from_iterable(conn.execute(_ORDERED.format(admit=admit, among=w, start=t, index=index), params)
                               for w, t in (("IN", ", c.period_start"), ("NOT IN", "")))

    followed = admitted_followed(conn.execute(
        "SELECT " + ROW_SQL + ", c.retired, EXISTS(SELECT 1 FROM quote_checks q WHERE q.position = c.position)"
        " FROM json_each(:meta) j CROSS JOIN claims c ON c.article = j.value WHERE c.valid IS NOT NULL"
        " AND c.valid <= :d AND c.position <= :n", params) if meta else (),
        lambda raw: claim_row(conn, keys[raw[0]], raw, profile[raw[PROFILE]]), meta, basis, gate)
    return keys, profile, rows, followed


def admitted_followed(raws: Iterable[tuple], decode: Callable[[tuple], ClaimRow], meta: dict[int, ArticleMeta],
                      basis: Basis, gate: Gate | None) -> list[tuple[ClaimRow, bool]]:
    """The claims of corrected articles, as their corrected metadata makes them, that the basis and the review
    standing admit, each with its flag (whether its quote is to be read again); the same for either backend,
    whose query gives the rows: ROW_SQL's columns, then the retiring position and the flag."""
    st = gate.standing if gate is not None else Standing()
    out = []
    for raw in raws:
        row = follow(decode(raw), meta[raw[9]])
        if basis.admits(row, raw[14]) and st.admits(row.claim_id, basis.reviewed):
            out.append((row, bool(raw[15])))
    return out


def claim_ids_at(conn: sqlite3.Connection, positions: Collection[int]) -> dict[int, str]:
    """The ids of the claims at these log positions, from the claims table (a row a quarter the size of its
    event's: fewer pages to read for the 400k look-ups of a log of random figures at 1M claims). Through a memory
    map of the file they took 0.3 s less, but the mapped pages counted in the command's memory (1.2 GiB)."""
    return {p: i.hex() for p, i in conn.execute(  # .hex() in Python costs less than hex() in SQL and its decoding
        "SELECT j.value, c.event FROM json_each(?) j JOIN claims c ON c.position = j.value",
        (orjson.dumps(sorted(positions)).decode(),))}  # in table order; orjson: 400k numbers, 0.08 s less


def claim_bounds_at(conn: sqlite3.Connection, positions: Collection[int]) -> dict[int, tuple]:
    """(low, high) of the claims at these log positions."""
    return {p: (lo, hi) for p, lo, hi in conn.execute(
        "SELECT j.value, c.low, c.high FROM json_each(?) j JOIN claims c ON c.position = j.value",
        (json.dumps(sorted(positions)),))}


def latest_valid(conn: sqlite3.Connection, position: int) -> int | None:
    """The latest valid date (a day ordinal) of the claims appended by `position`, any standing. By `position` at
    or past the last claim, each series' latest from the walk index (a look-up a series, not a scan of them all)."""
    last = conn.execute("SELECT max(position) FROM claims").fetchone()[0]
    if last is not None and position >= last:
        return conn.execute("SELECT max((SELECT max(valid) FROM claims c WHERE c.series_id = s.series_id))"
                            " FROM series s").fetchone()[0]
    return conn.execute("SELECT max(valid) FROM claims WHERE position <= ?", (position,)).fetchone()[0]


def corrections_by(conn: sqlite3.Connection, position: int) -> list[tuple[str, str]]:
    """(claim id, reason) of every correction recorded by `position`, in log order."""
    return conn.execute("SELECT claim_id, reason FROM corrections WHERE position <= ? ORDER BY position",
                        (position,)).fetchall()


def article_texts(conn: sqlite3.Connection, article_ids: Collection[str], position: int) -> Any:
    """(article id, file, ArticleIngested payload) of these articles, when ingested by `position`."""
    return conn.execute("SELECT d.text, a.file, e.payload FROM json_each(?) j JOIN details d ON d.text = j.value"
                        " JOIN articles a ON a.article = d.detail_id JOIN events e ON e.position = a.position"
                        " WHERE a.position <= ?", (json.dumps(sorted(article_ids)), position))


# -- for graph (timeline.graph): the claims, articles and amendments by a position, without decoding the log ------

# A claim as projections.graph_rows.GRAPH_COLUMNS lists them: what the claims table and the claim's event hold, the
# names behind the keys looked up by the reader. The evidence's quote and span are the claims table's (reading them
# from the payloads with json_extract took 3.5 s at 1M claims, from the columns 2.2 s); the data column is there
# only for claims not read from a span. The id comes as its bytes: hex() in SQL costs more than in Python, for the
# few rows that need it as text.
_GRAPHED = (
    "SELECT c.series_id, c.event, c.position, c.valid, c.report, c.value, c.low, c.high, c.profile,"
    " c.article, c.dataset, c.as_of, c.since, c.period_start, c.replaces, c.kind,"
    " c.quote, c.span_start, c.span_end, CASE WHEN c.kind = 'ClaimAsserted'"
    " THEN (SELECT payload FROM events e WHERE e.position = c.position)"
    " WHEN c.kind = 'ClaimReported' AND c.dataset IS NOT NULL"
    " THEN (SELECT json_extract(payload, '$.evidence') FROM events e WHERE e.position = c.position) END"
    " FROM claims c WHERE c.position <= ?1 {where} ORDER BY c.position"
)
_GRAPHED_FILTER = (" AND (?2 IS NULL OR c.report <= ?2 OR c.article IN (SELECT value FROM json_each(?4)))"
                   " AND (c.valid IS NULL OR c.valid <= ?3)")


def graphed_claims(conn: sqlite3.Connection, position: int, known_at: int | None, as_of: int,
                   corrected: Sequence[int] = ()) -> tuple[dict, dict, Any]:
    """The claims appended by `position`, reported by `known_at` (a day ordinal, None for any) and valid by
    `as_of` or undated, in log order: (series keys by id, profiles by id, rows of GRAPH_COLUMNS). The claims of
    the `corrected` articles (details ids) are read whatever their report date: the caller follows them
    (projections.metadata) and asks again."""
    keys = dict(series_list(conn))
    return keys, profiles(conn), conn.execute(_GRAPHED.format(where=_GRAPHED_FILTER),
                                              (position, known_at, as_of, json.dumps(list(corrected))))


def graphed_rows_after(conn: sqlite3.Connection, after: int, position: int, known_at: int | None, as_of: int,
                       corrected: Sequence[int] = ()) -> Any:
    """The rows of graphed_claims with positions after `after`: one worker's share of a graph's claims."""
    return conn.execute(_GRAPHED.format(where=_GRAPHED_FILTER + " AND c.position > ?5"),
                        (position, known_at, as_of, json.dumps(list(corrected)), after))


def graphed_nodes_after(conn: sqlite3.Connection, after: int, position: int, known_at: int | None, as_of: int,
                        corrected: Sequence[int] = ()) -> Any:
    """(kept node text or None, article key, the claim it replaces, position) of graphed_rows_after's rows: what a
    graph's worker reads of a claim whose node text the read model keeps (projections.node_text)."""
    return conn.execute("SELECT n.json, c.article, c.replaces, c.position FROM claims c LEFT JOIN claim_nodes n"
                        f" ON n.position = c.position WHERE c.position <= ?1{_GRAPHED_FILTER} AND c.position > ?5"
                        " ORDER BY c.position", (position, known_at, as_of, json.dumps(list(corrected)), after))


def reader(uri: str) -> sqlite3.Connection:
    """A connection of its own to the log at `uri` (a read-only URI): another process's, drawing part of a graph
    (timeline.claim_runs)."""
    return sqlite3.connect(uri, uri=True, isolation_level=None, timeout=60)


@contextmanager
def read_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One read transaction on a reader's connection: its questions see one state of the log."""
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        conn.execute("COMMIT")


def folded_to(conn: sqlite3.Connection) -> int:
    """The position up to which this version's read tables hold the log (0: not folded)."""
    row = conn.execute("SELECT position FROM projection_state WHERE name = ?", (NAME,)).fetchone()
    return 0 if row is None else row[0]


def graphed_articles(conn: sqlite3.Connection) -> list[tuple]:
    """(article key, article id, file) of every article ingested: what graphed rows name by key."""
    return conn.execute("SELECT a.article, d.text, a.file FROM articles a JOIN details d ON d.detail_id = a.article"
                        ).fetchall()


def detail(conn: sqlite3.Connection, key: int) -> str | None:
    """The text of a details id (an article id, a dataset file, a page URL)."""
    row = conn.execute("SELECT text FROM details WHERE detail_id = ?", (key,)).fetchone()
    return None if row is None else row[0]


def claims_at(conn: sqlite3.Connection, claim_ids: Collection[str], position: int) -> list[tuple]:
    """The GRAPH_COLUMNS of these claims, when appended by `position`."""
    keys = [k for k in (digest(c) for c in claim_ids) if k is not None]
    sql = _GRAPHED.format(where=" AND c.position IN (SELECT position FROM events WHERE id IN"
                                f" ({','.join('?' * len(keys))}))")
    return conn.execute(sql.replace("?1", "?"), (position, *keys)).fetchall() if keys else []


def articles_by(conn: sqlite3.Connection, position: int) -> Any:
    """(position, article id, file, outlet, title, url, published, published origin) of the articles ingested by
    `position`, in log order."""
    return conn.execute(
        "SELECT a.position, d.text, a.file, a.outlet, a.title, a.url, a.published, a.published_origin FROM articles a"
        " JOIN details d ON d.detail_id = a.article WHERE a.position <= ? ORDER BY a.position", (position,))


def amendments_by(conn: sqlite3.Connection, position: int) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """The retractions (position, event id, claim id, reason), corrections (position, event id, claim id,
    reason, adjustment, replaces) and review marks (position, claim id, mark, reviewer, at, note) recorded by
    `position`, each in log order."""
    retractions = conn.execute(
        "SELECT r.position, lower(hex(e.id)), r.claim_id, r.reason FROM retractions r JOIN events e"
        " ON e.position = r.position WHERE r.position <= ? ORDER BY r.position", (position,)).fetchall()
    corrections = conn.execute(
        "SELECT position, correction_id, claim_id, reason, adjustment, replacement_id IS NOT NULL FROM corrections"
        " WHERE position <= ? ORDER BY position", (position,)).fetchall()
    reviews = conn.execute("SELECT position, claim_id, mark, reviewer, at, note FROM reviews WHERE position <= ?"
                           " ORDER BY position", (position,)).fetchall()
    return retractions, [(*c[:5], bool(c[5])) for c in corrections], reviews


def replaced_by(conn: sqlite3.Connection, position: int) -> list[str]:
    """The ids of the claims that corrections recorded by `position` replace."""
    return [r[0] for r in conn.execute(
        "SELECT DISTINCT replaces FROM claims WHERE replaces IS NOT NULL AND position <= ?", (position,))]


# -- articles by id or name, with their metadata as it stands (timeline.articles) ------------------------------

def audit(store: Any) -> Any:
    """The read tables of the log held to a fold of its events in a private database (projections.audit)."""
    from projections.audit import audit_sqlite

    head, digest = store.tip()
    return audit_sqlite(store.read(), head, projectors(), TABLES, head_hash=digest, uri=store.read_uri())


def articles_matching(conn: sqlite3.Connection, ref: str, min_prefix: int) -> list[dict[str, Any]]:
    """The articles whose file name is `ref`, else whose id starts with `ref` (at least `min_prefix` hex
    characters), with their metadata at the head of the log (corrections applied)."""
    sql = ("SELECT d.text, a.file, a.position, json_extract(e.payload, '$.outlet'), json_extract(e.payload, '$.title'),"
           " json_extract(e.payload, '$.url'), json_extract(e.payload, '$.published'),"
           " json_extract(e.payload, '$.published_origin'), a.article FROM articles a JOIN details d"
           " ON d.detail_id = a.article JOIN events e ON e.position = a.position WHERE ")
    found = conn.execute(sql + "a.file = ? ORDER BY a.position LIMIT 4", (ref,)).fetchall()
    p = id_prefix(ref, min_prefix)
    if not found and p is not None:
        found = conn.execute(sql + "d.text >= ? AND d.text < ? ORDER BY d.text LIMIT 4", (p, p + "g")).fetchall()
    return article_entries(found, article_meta(conn, head(conn), changed_only=False) if found else {})


def id_prefix(ref: str, min_prefix: int) -> str | None:
    """`ref` lower-cased when it can be the start of an id (hex digits, at least `min_prefix` of them)."""
    p = ref.lower()
    return p if len(p) >= min_prefix and all(ch in "0123456789abcdef" for ch in p) else None


def article_entries(found: Sequence[Sequence[Any]], meta: dict[int, Any]) -> list[dict[str, Any]]:
    """Rows (id, file, position, outlet, title, url, published, origin, article key) as entries, with the
    metadata their corrections give (`meta`, by article key) in place of what was ingested."""
    out = []
    for aid, file, position, outlet, title, url, published, origin, key in found:
        m = meta.get(key)
        if m is not None:
            outlet, title, url, origin, published = m.outlet, m.title, m.url, m.published_origin, m.published
        out.append({"article_id": aid, "file": file, "position": position, "outlet": outlet, "title": title,
                    "url": url, "published": to_date(published), "published_origin": origin})
    return out


def corrected_articles(conn: sqlite3.Connection, position: int) -> dict[str, ArticleMeta]:
    """The metadata of each article corrected by `position`, by article id."""
    meta = article_meta(conn, position, changed_only=False)
    if not meta:
        return {}
    ids = dict(conn.execute("SELECT detail_id, text FROM details WHERE detail_id IN (SELECT value FROM json_each(?))",
                            (json.dumps(list(meta)),)))
    return {ids[k]: m for k, m in meta.items()}


def correction_positions(conn: sqlite3.Connection, article_ids: Collection[str], position: int) -> list[int]:
    """The positions of the corrections of these articles' metadata recorded by `position`, in order."""
    return [p for (p,) in conn.execute(
        "SELECT k.position FROM json_each(?) j JOIN details d ON d.text = j.value JOIN article_corrections k"
        " ON k.article = d.detail_id WHERE k.position <= ? ORDER BY k.position", (json.dumps(sorted(article_ids)), position))]
