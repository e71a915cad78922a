"""The shared log: the same events, canonical JSON and hash chain as SQLite, in PostgreSQL.

Many writers (processes, machines) append to one log. Positions stay gap-free
and in commit order because every append first locks the one row of
`log_head` (`SELECT ... FOR UPDATE`) and holds it to commit: a row lock rather
than an advisory lock, because

- the head has to be read (position, hash) and written in the same
  transaction anyway, so locking it costs no extra statement;
- it belongs to the log's own table, so two logs in one database (two
  schemas) never wait on each other, and no other program's advisory-lock
  numbers can collide with ours;
- it is released by commit, by rollback and by the server when a writer's
  connection dies (a SIGKILLed writer leaves no lock and no partial article);
- a role without UPDATE on `log_head` (the reader) cannot take it at all.

Under READ COMMITTED a writer that waited for the lock reads the head the
previous writer committed, and each later statement sees that writer's
events, so re-ingesting what another writer just appended appends nothing.

Append-only is enforced by the database: triggers refuse UPDATE, DELETE and
TRUNCATE on `events`, the head only moves forward, and `init_db` grants a
writer role INSERT and SELECT on the log (plus what the read models need) and
a reader role SELECT only. Read models live in the same schema and are updated
in the append's transaction (projections.pg_readmodel).

psycopg 3 is the optional extra `timeline[postgres]`.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from events.chain import GENESIS, VerifyReport, check
from events.envelope import Recorded
from events.log_head import HEAD, LAST_EVENT, RecordedHead
from events.store import AppendResult, Pending, Projector, StoreError, gc_paused, link, pending

if TYPE_CHECKING:
    from events.model import Event

APPLICATION = "timeline log"
FORMAT = 2  # the layout of the events table, as SQLite's user_version: digests as bytea
SCHEMES = ("postgresql://", "postgres://")
INSERT_EVENTS = (
    "INSERT INTO events(position, id, type, version, recorded_at, payload, prev_hash, hash)"
    " SELECT * FROM unnest(%s::bigint[], %s::bytea[], %s::text[], %s::integer[], %s::text[], %s::text[],"
    " %s::bytea[], %s::bytea[])"
)
PAGE = 5000
# The recorded head, locked (writers queue here), then the last event: an append links from the head only when
# the two agree. Two statements, so that the second reads what the writer before committed (read committed: a
# statement that waited for a lock sees its row's new version, but its other rows as they were when it began).
LOCK_HEAD = HEAD + " FOR UPDATE"
SMALL = 1000  # events: a batch this small asks for its ids first rather than risk a savepoint's round trips  # rows per statement when reading the log

SCHEMA = (
    """CREATE TABLE timeline_meta(
        one         integer PRIMARY KEY CHECK (one = 1),
        application text NOT NULL,
        format      integer NOT NULL)""",
    """CREATE TABLE events(
        position    bigint PRIMARY KEY,
        id          bytea NOT NULL UNIQUE,   -- sha256 digests as 32 bytes: encode(id, 'hex') gives the id as shown
        type        text NOT NULL,
        version     integer NOT NULL,
        recorded_at text NOT NULL,
        payload     text NOT NULL,           -- the canonical JSON text, byte for byte (not jsonb, which reorders)
        prev_hash   bytea NOT NULL,
        hash        bytea NOT NULL)""",
    """CREATE TABLE log_head(
        one      integer PRIMARY KEY CHECK (one = 1),
        position bigint NOT NULL,
        hash     text NOT NULL)""",
    """CREATE TABLE projection_state(
        name     text PRIMARY KEY,
        position bigint NOT NULL)""",
    """CREATE FUNCTION timeline_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'the event log is append-only: % cannot %', TG_TABLE_NAME, lower(TG_OP)
            USING ERRCODE = 'insufficient_privilege';
    END $$""",
    """CREATE FUNCTION timeline_head_forward() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.position < OLD.position THEN
            RAISE EXCEPTION 'the log head only moves forward' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END $$""",
    "CREATE TRIGGER events_no_update BEFORE UPDATE OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION timeline_refuse()",
    "CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events FOR EACH STATEMENT EXECUTE FUNCTION timeline_refuse()",
    "CREATE TRIGGER log_head_no_delete BEFORE DELETE ON log_head FOR EACH ROW EXECUTE FUNCTION timeline_refuse()",
    "CREATE TRIGGER log_head_no_truncate BEFORE TRUNCATE ON log_head FOR EACH STATEMENT EXECUTE FUNCTION timeline_refuse()",
    "CREATE TRIGGER log_head_forward BEFORE UPDATE ON log_head FOR EACH ROW EXECUTE FUNCTION timeline_head_forward()",
)

_PASSWORD = re.compile(r"(://[^:/@?#]*:)[^@/?#]*@")
_PASSWORD_PARAM = re.compile(r"(password=)(\S+|'[^']*')", re.IGNORECASE)


def is_url(log: object) -> bool:
    return isinstance(log, str) and log.startswith(SCHEMES)


def redact(text: str) -> str:
    """The text with any password in a connection URL or keyword string replaced by ***."""
    return _PASSWORD_PARAM.sub(r"\1***", _PASSWORD.sub(r"\1***@", text))


def display(url: str) -> str:
    """A URL as it may be shown: without its password and query (socket folders, options)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        user = parts.username or ""
        port = parts.port
    except ValueError as err:  # a bad port or an unclosed [IPv6 host: the user's typo, not a bug
        raise StoreError(f"not a PostgreSQL URL: {redact(url)} ({redact(str(err))})") from None
    netloc = (f"{user}@" if user else "") + host + (f":{port}" if port else "")
    return redact(urlunsplit((parts.scheme, netloc, parts.path, "", "")))


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise StoreError(
            "a PostgreSQL log needs the postgres extra: pip install 'timeline[postgres]'"
        ) from None
    return psycopg


def _message(err: BaseException) -> str:
    """One line from a driver error, passwords removed."""
    diag = getattr(err, "diag", None)
    text = (diag.message_primary if diag is not None and diag.message_primary else None) or str(err)
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    if lines and lines[0].startswith("connection to server") and len(lines) > 1:
        lines = lines[1:]  # "connection to server at ... failed:" then the reason
    return redact(lines[0] if lines else type(err).__name__).removeprefix("FATAL:  ").removeprefix("ERROR:  ")


_HEAD = struct.Struct(">hiqi32s")  # 8 fields; position (bigint); id (32 bytes)
_DIGEST = struct.Struct(">i32s")
_INT = struct.Struct(">ii")
_LEN = struct.Struct(">i")
COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + b"\x00" * 8  # the binary COPY header: no flags, no extension
COPY_TRAILER = b"\xff\xff"


def binary_events(rows: Sequence[Recorded]) -> bytes:
    """Event rows in COPY's binary format, whole (header and trailer included).

    Packed here rather than by psycopg's `write_row`, which looks up a dumper
    for each of the eight values of each row: a third of a large append.
    """
    fromhex = bytes.fromhex
    head, digest, integer, length = _HEAD.pack, _DIGEST.pack, _INT.pack, _LEN.pack
    out = [COPY_SIGNATURE]
    add = out.append
    for r in rows:
        kind, at, payload = r.type.encode(), r.recorded_at.encode(), r.payload.encode()
        add(head(8, 8, r.position, 32, fromhex(r.id)))
        add(length(len(kind)))
        add(kind)
        add(integer(4, r.version))
        add(length(len(at)))
        add(at)
        add(length(len(payload)))
        add(payload)
        add(digest(32, fromhex(r.prev_hash)))
        add(digest(32, fromhex(r.hash)))
    add(COPY_TRAILER)
    return b"".join(out)


def pages(conn: Any, start: int, stop: int, table: str = "events", page: int = PAGE) -> Iterator[Recorded]:
    """The rows of `table` (an events table, schema-qualified if need be) from `start` to `stop`, in pages."""
    sql = (f"SELECT position, id, type, version, recorded_at, payload, prev_hash, hash FROM {table}"
           " WHERE position >= %s AND position <= %s ORDER BY position LIMIT %s")
    while start <= stop:
        rows = conn.execute(sql, (start, stop, page)).fetchall()
        if not rows:
            return
        for p, i, t, v, at, pl, pr, h in rows:
            yield Recorded(p, i.hex(), t, v, at, pl, pr.hex(), h.hex())
        start = rows[-1][0] + 1


# The as-of questions are a few thousand index seeks whose plans cost enough to cross jit_above_cost:
# compiling them takes seconds (2 s at 1M claims) where running them takes milliseconds.
SETTINGS = {"jit": "off"}


def connect(url: str, *, autocommit: bool = True, settings: dict[str, str] | None = None) -> Any:
    """A connection with SETTINGS (and `settings`) in force, or a one-line StoreError that names the server but no
    password.

    The settings travel in the startup message (libpq's `options`, after any the URL gives, so ours win as a
    SET after connecting would) rather than as statements: a one-shot command pays no round trip for them.
    """
    psycopg = _psycopg()
    from psycopg.conninfo import conninfo_to_dict

    try:
        given = conninfo_to_dict(url).get("options") or ""
    except psycopg.Error as err:
        raise StoreError(f"cannot connect to {display(url)}: {_message(err)}") from None
    options = " ".join([given, *(f"-c {k}={v}" for k, v in {**SETTINGS, **(settings or {})}.items())]).strip()
    try:
        conn = psycopg.connect(url, autocommit=autocommit, connect_timeout=10, options=options)
    except psycopg.Error as err:
        raise StoreError(f"cannot connect to {display(url)}: {_message(err)}") from None
    _numbers(conn)
    return conn


def _numbers(conn: Any) -> None:
    """Read numeric columns as SQLite's NUMERIC affinity gives them back: int when whole, else float."""
    from decimal import Decimal

    from psycopg.types.numeric import NumericLoader

    class Loader(NumericLoader):
        def load(self, data: Any) -> Any:
            text = bytes(data)
            if text.isdigit() or (text[:1] == b"-" and text[1:].isdigit()):  # most values are whole: no Decimal
                return int(text)
            d: Decimal = super().load(data)
            if d == d.to_integral_value():
                return int(d)
            return float(d)

    conn.adapters.register_loader("numeric", Loader)


def init_db(url: str, *, writer: str | None = "timeline_writer", reader: str | None = "timeline_reader",
            projectors: Sequence[Projector] = ()) -> list[str]:
    """Create the log's tables in the URL's schema (its search_path, default `public`) and the roles.

    The roles are group roles (NOLOGIN): people log in as their own roles made
    members of one (`CREATE ROLE alice LOGIN PASSWORD '...' IN ROLE
    timeline_writer`). Returns what was done, one line each. Running it again
    on a log creates only what is missing.
    """
    psycopg = _psycopg()
    from psycopg import sql

    done: list[str] = []
    conn = connect(url)
    try:
        with conn.transaction():
            schema = conn.execute("SELECT current_schema()").fetchone()[0]
            if schema is None:
                raise StoreError(f"{display(url)}: no schema to create the log in (the search_path names none that exists)")
            if _meta(conn) is None:
                if _has_table(conn, "events"):
                    raise StoreError(f"{display(url)}: schema {schema} holds an events table that is not a timeline log")
                for stmt in SCHEMA:
                    conn.execute(stmt)
                conn.execute("INSERT INTO timeline_meta(one, application, format) VALUES (1, %s, %s)",
                             (APPLICATION, FORMAT))
                conn.execute("INSERT INTO log_head(one, position, hash) VALUES (1, 0, %s)", (GENESIS,))
                done.append(f"created the log in schema {schema}")
            else:
                _check_format(conn, url)
            for proj in projectors:
                proj.setup(conn)
                conn.execute("INSERT INTO projection_state(name, position) VALUES (%s, 0) ON CONFLICT DO NOTHING",
                             (proj.name,))
            tables = [r[0] for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename", (schema,))]
            log_tables = {"events", "timeline_meta"}
            model_tables = [t for t in tables if t not in log_tables | {"log_head", "projection_state"}]
            for role, kind in ((writer, "writer"), (reader, "reader")):
                if role is None:
                    continue
                ident = sql.Identifier(role)
                exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
                if not exists:
                    conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(ident))
                    done.append(f"created the {kind} role {role}")
                conn.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(schema), ident))
                every = sql.SQL(", ").join(sql.Identifier(t) for t in tables)
                conn.execute(sql.SQL("GRANT SELECT ON {} TO {}").format(every, ident))
                if kind == "writer":
                    conn.execute(sql.SQL("GRANT INSERT ON events TO {}").format(ident))
                    conn.execute(sql.SQL("GRANT UPDATE ON log_head TO {}").format(ident))
                    conn.execute(sql.SQL("GRANT INSERT, UPDATE ON projection_state TO {}").format(ident))
                    if model_tables:
                        models = sql.SQL(", ").join(sql.Identifier(t) for t in model_tables)
                        conn.execute(sql.SQL("GRANT INSERT, UPDATE, DELETE, TRUNCATE ON {} TO {}").format(models, ident))
                    conn.execute(sql.SQL("GRANT USAGE ON ALL SEQUENCES IN SCHEMA {} TO {}").format(
                        sql.Identifier(schema), ident))
                    done.append(f"granted {role}: INSERT, SELECT on events; read models")
                else:
                    done.append(f"granted {role}: SELECT only")
    except psycopg.Error as err:
        raise StoreError(f"{display(url)}: cannot create the log: {_message(err)}") from None
    finally:
        conn.close()
    return done


def _has_table(conn: Any, name: str) -> bool:
    return conn.execute("SELECT to_regclass(%s) IS NOT NULL", (name,)).fetchone()[0]


def _meta(conn: Any) -> tuple[str, int] | None:
    if not _has_table(conn, "timeline_meta"):
        return None
    return conn.execute("SELECT application, format FROM timeline_meta").fetchone()


def _check_format(conn: Any, url: str) -> None:
    meta = _meta(conn)
    if meta is None:
        raise StoreError(f"{display(url)}: no timeline log here", param="url")
    application, version = meta
    if application != APPLICATION:
        raise StoreError(f"{display(url)}: a timeline_meta table, but not a timeline log")
    if version != FORMAT:
        raise StoreError(
            f"{display(url)}: a timeline log in format {version}, this version reads format {FORMAT}"
            " (export it with the version that wrote it, then import the JSONL)"
        )


class PostgresStore(RecordedHead):
    """An append-only event log in a PostgreSQL schema, shared by many writers."""

    def __init__(self, url: str, *, projectors: Sequence[Projector] = (), check_head: bool = True) -> None:
        """Open the log at `url`. A log whose recorded head is not its last event is refused unless `check_head`
        is false (`verify` opens it so, to find the first break)."""
        self.url = url
        self.name = self.label = display(url)
        self.projectors = tuple(projectors)
        self._psycopg = _psycopg()
        self.conn = connect(url, settings={"statement_timeout": "0"})
        try:
            _check_format(self.conn, url)
            if check_head:
                self._check_head()
            self._catch_up()
        except self._psycopg.Error as err:
            self.conn.close()
            raise StoreError(f"{self.name}: not a usable timeline log ({_message(err)})") from None
        except BaseException:
            self.conn.close()
            raise

    def __repr__(self) -> str:
        return f"PostgresStore({self.name!r})"

    # -- transactions -------------------------------------------------------

    def transaction(self) -> AbstractContextManager[Any]:
        """One transaction; nested calls join the outer one."""
        return self._transaction(None)

    @contextmanager
    def _transaction(self, setup: str | None) -> Iterator[Any]:
        """A transaction begun with `setup` (its isolation), or the one already open; errors as StoreError."""
        c = self.conn
        if c.info.transaction_status != self._psycopg.pq.TransactionStatus.IDLE:
            yield c
            return
        try:
            with c.transaction():
                if setup:
                    c.execute(setup)
                yield c
        except self._psycopg.Error as err:
            raise self._error(err) from None

    def _error(self, err: BaseException) -> StoreError:
        psycopg = self._psycopg
        if isinstance(err, psycopg.errors.InsufficientPrivilege):
            return StoreError(f"{self.name}: not allowed: {_message(err)} (connected as a role that may not write?)")
        if isinstance(err, psycopg.OperationalError):
            return StoreError(f"{self.name}: the server went away: {_message(err)}")
        return StoreError(f"{self.name}: {_message(err)}")

    def snapshot(self) -> AbstractContextManager[Any]:
        """One repeatable-read transaction: every query of an answer sees the same log."""
        return self._transaction("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")

    # -- the contract --------------------------------------------------------

    def append(self, events: Iterable[Event | Pending], *, recorded_at: Iterable[str | None] | None = None) -> AppendResult:
        with gc_paused():
            return self._append(events, recorded_at)

    def _append(self, events: Iterable[Event | Pending], recorded_at: Iterable[str | None] | None) -> AppendResult:
        batch = pending(events, recorded_at)
        if not batch:
            return AppendResult((), ())
        psycopg = self._psycopg
        if len(batch) <= SMALL and self.conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
            return self._append_small(batch)
        with self.transaction() as c:
            # The head row lock: writers queue here until the one before commits or rolls back.
            position, last = self._linkable_head(c.execute(LOCK_HEAD), c.execute(LAST_EVENT))
            present: set[str] = set()
            rows = None
            if len(batch) > SMALL and not self.contains((batch[0].id, batch[-1].id)):
                # Most large batches are new: copy them in and let the unique id index catch a repeat, which
                # sends the batch back to the path that asks for every id first (a small batch asks at once).
                rows = link(batch, position, last)
                try:
                    with c.transaction():  # a savepoint
                        self._insert(c, rows)
                except psycopg.errors.UniqueViolation:
                    rows = None
            if rows is None:
                present = self.contains(p.id for p in batch)
                rows = link([p for p in batch if p.id not in present], position, last)
                self._insert(c, rows)
            if rows:
                c.execute("UPDATE log_head SET position = %s, hash = %s", (rows[-1].position, rows[-1].hash))
                for proj in self.projectors:
                    proj.apply(c, rows)
                    self._mark(proj, rows[-1].position)
        return AppendResult(tuple(rows), tuple(p.id for p in batch if p.id in present))

    def _append_small(self, batch: Sequence[Pending]) -> AppendResult:
        """An article's worth of events in a few round trips while the head is locked.

        The ids are asked for before the lock; the statements run in pipeline
        mode (sent without waiting for each answer), so a writer holds the
        head for about four round trips. If another writer appended some of the
        same events in between, the unique id index refuses the batch, the
        transaction rolls back and the ids are asked for again.
        """
        psycopg = self._psycopg
        c = self.conn
        for _ in range(5):
            present = self.contains(p.id for p in batch)
            fresh = [p for p in batch if p.id not in present]
            if not fresh:
                return AppendResult((), tuple(p.id for p in batch))
            try:
                with c.pipeline(), c.transaction():
                    position, last = self._linkable_head(c.execute(LOCK_HEAD), c.execute(LAST_EVENT))
                    rows = link(fresh, position, last)
                    fromhex = bytes.fromhex
                    c.execute(INSERT_EVENTS, (
                        [r.position for r in rows], [fromhex(r.id) for r in rows], [r.type for r in rows],
                        [r.version for r in rows], [r.recorded_at for r in rows], [r.payload for r in rows],
                        [fromhex(r.prev_hash) for r in rows], [fromhex(r.hash) for r in rows]))
                    c.execute("UPDATE log_head SET position = %s, hash = %s", (rows[-1].position, rows[-1].hash))
                    for proj in self.projectors:
                        proj.apply(c, rows)
                        self._mark(proj, rows[-1].position)
            except psycopg.errors.UniqueViolation:
                continue  # another writer appended some of these meanwhile: ask again
            except psycopg.Error as err:
                raise self._error(err) from None
            return AppendResult(tuple(rows), tuple(p.id for p in batch if p.id in present))
        raise StoreError(f"{self.name}: other writers kept appending the same events; try again")

    @staticmethod
    def _insert(c: Any, rows: Sequence[Recorded]) -> None:
        # Binary: digests go as 32 bytes, not as hex text the server decodes.
        with c.cursor().copy(
            "COPY events(position, id, type, version, recorded_at, payload, prev_hash, hash) FROM STDIN (FORMAT BINARY)"
        ) as copy:
            copy.write(binary_events(rows))

    def read(self, start: int = 1, stop: int | None = None) -> Iterator[Recorded]:
        """Rows in position order, read in pages by position up to the head seen at the call.

        Committed positions always form a prefix 1..head (writers commit in
        turn under the head lock) and rows never change, so pages read in
        separate statements add up to one consistent read.
        """
        if stop is None:
            stop = self.head()
        return self._pages(max(start, 1), stop)

    def _pages(self, start: int, stop: int) -> Iterator[Recorded]:
        try:
            yield from pages(self.conn, start, stop)
        except self._psycopg.Error as err:
            raise self._error(err) from None

    def _linkable_head(self, head: Any, last: Any) -> tuple[int, str]:
        """RecordedHead._linkable of the cursors of LOCK_HEAD and LAST_EVENT, sent together (one round trip in a
        pipeline)."""
        return self._linkable(head.fetchone(), last.fetchone())

    def contains(self, ids: Iterable[str]) -> set[str]:
        keys = []
        for i in ids:
            try:
                keys.append(bytes.fromhex(i))
            except ValueError:
                continue  # not a digest, so not an id of this log
        if not keys:
            return set()
        return {r[0].hex() for r in self.conn.execute("SELECT id FROM events WHERE id = ANY(%s)", (keys,))}

    def position_of(self, event_id: str) -> int | None:
        try:
            key = bytes.fromhex(event_id)
        except ValueError:
            return None
        row = self.conn.execute("SELECT position FROM events WHERE id = %s", (key,)).fetchone()
        return row[0] if row else None

    def verify(self) -> VerifyReport:
        """Walk the chain in one snapshot; a row removed behind the triggers' back shows as a gap, rows past the
        head or a head whose hash is not the last event's as a break at the end."""
        with self.snapshot():
            head, digest = self.tip()
            last = self._last()
            return check(self._pages(1, max(head, last[0] if last else 0)), head, digest)

    def close(self) -> None:
        self.conn.close()

    def discard_if_new(self) -> bool:
        """A server's log is made by init-db and never removed by a failed write."""
        return False

    # -- read models ---------------------------------------------------------

    def projection_position(self, name: str) -> int:
        row = self.conn.execute("SELECT position FROM projection_state WHERE name = %s", (name,)).fetchone()
        return row[0] if row else 0

    def _mark(self, proj: Projector, position: int) -> None:
        self.conn.execute(
            "INSERT INTO projection_state(name, position) VALUES (%s, %s)"
            " ON CONFLICT(name) DO UPDATE SET position = excluded.position",
            (proj.name, position),
        )

    def _catch_up(self) -> None:
        """Bring every read model up to the head (a new read model fills itself from the log)."""
        known = dict(self.conn.execute("SELECT name, position FROM projection_state").fetchall())
        head = self.head()
        for proj in self.projectors:
            if known.get(proj.name, -1) >= head:
                continue
            with gc_paused(), self.transaction() as c:
                c.execute("SELECT 1 FROM log_head FOR UPDATE")  # no append while a read model catches up
                proj.setup(c)
                start = self.projection_position(proj.name)
                self._replay(proj, start + 1)

    def _locked_tip(self, c: Any) -> tuple[int, str]:
        return c.execute(LOCK_HEAD).fetchone()

