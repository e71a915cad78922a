"""The embedded log: one SQLite file in WAL mode, append-only by trigger.

Read models live in the same file and are updated in the same transaction as
each append, so a reader never sees events without their projections.
"""

from __future__ import annotations

import os
import sqlite3
import struct
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from events.chain import GENESIS, VerifyReport, check
from events.envelope import Recorded
from events.log_head import HEAD, LAST_EVENT, RecordedHead
from events.store import AppendResult, Pending, Projector, StoreError, gc_paused, link, pending

if TYPE_CHECKING:
    from events.model import Event

APPLICATION_ID = 0x746C6E31  # "tln1": marks the file as a timeline log
FORMAT = 2  # PRAGMA user_version: the layout of the events table (2: digests as blobs)
HEADER = b"SQLite format 3\x00"
CHUNK = 500

SCHEMA = """
CREATE TABLE IF NOT EXISTS events(
    position    INTEGER PRIMARY KEY,
    id          BLOB NOT NULL UNIQUE,   -- sha256 digests as 32 bytes: hex(id) in SQL gives the id as shown
    type        TEXT NOT NULL,
    version     INTEGER NOT NULL,
    recorded_at TEXT NOT NULL,
    payload     TEXT NOT NULL,
    prev_hash   BLOB NOT NULL,
    hash        BLOB NOT NULL
);
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only: events cannot be updated'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only: events cannot be deleted'); END;
CREATE TABLE IF NOT EXISTS log_head(
    one      INTEGER PRIMARY KEY CHECK (one = 1),
    position INTEGER NOT NULL,
    hash     TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS log_head_no_delete BEFORE DELETE ON log_head
BEGIN SELECT RAISE(ABORT, 'the log head cannot be deleted'); END;
CREATE TRIGGER IF NOT EXISTS log_head_forward BEFORE UPDATE ON log_head
WHEN NEW.position < OLD.position
BEGIN SELECT RAISE(ABORT, 'the log head only moves forward'); END;
CREATE TABLE IF NOT EXISTS projection_state(
    name     TEXT PRIMARY KEY,
    position INTEGER NOT NULL
);
"""


def _check_file(path: Path) -> None:
    """Refuse files that are not (whole) SQLite databases before SQLite touches them.

    A log is whole when every page its header (or its write-ahead log's last
    commit) counts is in the file or in the write-ahead log: after a full disk
    or a crash during a checkpoint the file can be shorter than its header says
    while the missing pages wait, intact, in the `-wal` file beside it.
    """
    if path.is_dir():
        raise StoreError(f"{path}: is a directory, not a log file")
    try:
        size = path.stat().st_size
    except (FileNotFoundError, NotADirectoryError):
        return
    if size == 0:
        if not _grows(path):
            raise StoreError(f"{path}: not a timeline log (an empty file; remove it to start a new log there)")
        size = path.stat().st_size
    with path.open("rb") as f:
        header = f.read(100)
    if not header.startswith(HEADER):
        raise StoreError(f"{path}: not a timeline log (not an SQLite database)")
    if len(header) < 100:
        raise StoreError(f"{path}: truncated SQLite database ({size} bytes)")
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    pages = struct.unpack(">I", header[28:32])[0]
    if not pages or size >= pages * page_size:
        return
    committed, in_wal = wal_pages(Path(f"{path}-wal"), page_size)
    pages = committed or pages
    in_file = size // page_size
    missing = pages - in_file - sum(1 for p in in_wal if in_file < p <= pages)
    if missing > 0:
        held = f", {len(in_wal)} more in its write-ahead log" if in_wal else ""
        raise StoreError(f"{path}: truncated SQLite database ({size} bytes{held}; its header says {pages * page_size})")


def _grows(path: Path, wait: float = 1.0) -> bool:
    """Whether an empty file gets a database header within `wait` seconds.

    Another process creating a log leaves the file empty for a moment, between
    opening it and writing its first page; an empty file that stays empty is
    not a log.
    """
    import time

    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        time.sleep(0.05)
        try:
            if path.stat().st_size >= len(HEADER):
                return True
        except OSError:
            return False
    return False


WAL_MAGIC = (0x377F0682, 0x377F0683)


def wal_pages(wal: Path, page_size: int) -> tuple[int, set[int]]:
    """The database size in pages after the last commit in a write-ahead log, and the pages it holds.

    Frames count as SQLite counts them: those of the log's current generation
    (their salts match the header's) up to the last commit frame. (0, set())
    when there is no usable write-ahead log.
    """
    try:
        f = wal.open("rb")
    except OSError:
        return 0, set()
    with f:
        head = f.read(32)
        if len(head) < 32:
            return 0, set()
        magic, _, wal_page_size, _, salt1, salt2 = struct.unpack(">6I", head[:24])
        if magic not in WAL_MAGIC or wal_page_size != page_size:
            return 0, set()
        size, seen, committed = 0, set(), set()
        offset = 32
        while True:
            f.seek(offset)
            frame = f.read(24)
            if len(frame) < 24:
                break
            page, db_size, s1, s2 = struct.unpack(">4I", frame[:16])
            if (s1, s2) != (salt1, salt2) or page == 0:
                break
            f.seek(offset + 24 + page_size - 1)
            if len(f.read(1)) < 1:  # a frame cut short: never committed
                break
            seen.add(page)
            if db_size:
                size, committed = db_size, set(seen)
            offset += 24 + page_size
    return size, committed


def _writable(folder: Path) -> bool:
    try:
        return os.access(folder, os.W_OK)
    except OSError:
        return False


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:
        return False


class SQLiteStore(RecordedHead):
    """An append-only event log in one SQLite file."""

    def __init__(self, path: str | os.PathLike, *, projectors: Sequence[Projector] = (), create: bool = True,
                 check_head: bool = True) -> None:
        """Open (or, with `create`, make) the log at `path`. A log whose recorded head is not its last event is
        refused unless `check_head` is false (`verify` opens it so, to find the first break)."""
        self.path = Path(path)
        self.label = str(self.path)
        self.check_head = check_head
        self.projectors = tuple(projectors)
        _check_file(self.path)
        self.created = not _exists(self.path)  # this store makes the file: see discard_if_new
        if self.created:
            if not create:
                raise StoreError(f"{self.path}: no such log")
            parent = self.path.parent
            if not parent.is_dir():
                raise StoreError(f"cannot create the log at {self.path}: folder {parent} does not exist")
            if not os.access(parent, os.W_OK):
                raise StoreError(f"cannot create the log at {self.path}: folder {parent} is not writable")
        # A log in a folder this process cannot write (or on a read-only file system) is opened to read only:
        # SQLite cannot make the shared-memory and write-ahead files a log in WAL mode keeps beside it.
        self.read_only = not self.created and not _writable(self.path.parent)
        target: str | Path = self.path
        self._ro_uri = ""  # the URI a read-only log was opened through (read_uri)
        if self.read_only:
            target = self._ro_uri = self._read_only_uri()
        try:
            self.conn = sqlite3.connect(target, isolation_level=None, timeout=60, check_same_thread=False,
                                        uri=self.read_only)
        except sqlite3.Error as err:
            raise StoreError(f"cannot open the log at {self.path}: {err}") from None
        try:
            self._open()
        except BaseException as err:
            self.conn.close()
            if self.created:
                self._remove_files()
            if isinstance(err, sqlite3.DatabaseError):
                raise StoreError(f"{self.path}: not a usable timeline log ({err})") from None
            raise

    def _read_only_uri(self) -> str:
        """The URI that reads the log in place, its folder read-only: through its write-ahead and shared-memory
        files if a writer left them there; else as immutable (with no write-ahead file, the file alone is the
        log, and nobody can write it while its folder stays read-only)."""
        wal, shm = Path(f"{self.path}-wal"), Path(f"{self.path}-shm")
        where = self._file_uri()
        if not _exists(wal):
            return where + "?mode=ro&immutable=1"
        if _exists(shm):
            return where + "?mode=ro"
        raise StoreError(f"cannot read the log at {self.path}: its folder {self.path.parent} is read-only and it has a"
                         f" write-ahead log ({wal.name}) that SQLite needs to open beside it; copy both files to a"
                         " writable folder, or have the folder made writable")

    def read_uri(self) -> str:
        """A URI another connection reads the log through (read-only), as this store opened it."""
        return self._ro_uri if self.read_only else self._file_uri() + "?mode=ro"

    def _file_uri(self) -> str:
        from urllib.parse import quote

        return "file:" + quote(str(self.path.resolve()))

    def _refuse_write(self) -> None:
        raise StoreError(f"cannot write the log at {self.path}: its folder {self.path.parent} is read-only (SQLite"
                         " writes files beside the log); make the folder writable, or copy the log to one that is")

    def discard_if_new(self) -> bool:
        """Close and remove the log if this store created it and it holds no event: a failed first write
        leaves no file behind. Checked under the write lock, so that a log another process has written
        to meanwhile stays."""
        if not self.created:
            return False
        c = self.conn
        try:
            c.execute("BEGIN IMMEDIATE")
            try:
                if self.head() != 0:
                    return False
                self._remove_files()
            finally:
                c.execute("ROLLBACK")
        except sqlite3.Error:
            return False
        self.close()
        return True

    def _remove_files(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def _open(self) -> None:
        c = self.conn
        app = c.execute("PRAGMA application_id").fetchone()[0]
        tables = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if app != APPLICATION_ID and (tables or app):
            raise StoreError(f"{self.path}: an SQLite database, but not a timeline log")
        c.execute("PRAGMA busy_timeout = 60000")
        if app == APPLICATION_ID:
            version = c.execute("PRAGMA user_version").fetchone()[0]
            if version != FORMAT:
                raise StoreError(
                    f"{self.path}: a timeline log in format {version}, this version reads format {FORMAT}"
                    " (export it with the version that wrote it, then import the JSONL)"
                )
        else:
            c.execute("PRAGMA journal_mode = WAL")
            with self.transaction():
                for stmt in SCHEMA.split(";\n"):
                    if stmt.strip():
                        c.execute(stmt)
                c.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                c.execute(f"PRAGMA user_version = {FORMAT}")
                c.execute("INSERT OR IGNORE INTO log_head(one, position, hash) VALUES (1, 0, ?)", (GENESIS,))
        if self.check_head:
            self._check_head()
        c.execute("PRAGMA synchronous = NORMAL")
        # Content-hash ids land on random pages of the id index, and claims on random pages of the
        # (series, date) index: a larger page cache keeps a growing log's indexes in memory, and rarer
        # checkpoints (up to 200 MB of WAL) copy each hot page back once for many commits, not once for
        # each (SQLite alone: 25k -> 33k claims/s at 1M claims). The WAL is cut back to 64 MB after each.
        c.execute("PRAGMA cache_size = -65536")
        c.execute("PRAGMA wal_autocheckpoint = 50000")
        c.execute("PRAGMA journal_size_limit = 67108864")
        self._catch_up()

    # -- transactions -------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken before reading the head so that writers queue."""
        c = self.conn
        if c.in_transaction:
            yield c
            return
        if self.read_only:
            self._refuse_write()
        try:
            c.execute("BEGIN IMMEDIATE")
            try:
                yield c
                c.execute("COMMIT")
            except BaseException:
                if c.in_transaction:  # SQLite rolls back by itself after some errors (a full disk)
                    c.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError as err:
            if getattr(err, "sqlite_errorname", "") == "SQLITE_FULL":
                raise StoreError(f"{self.path}: the disk is full; nothing of this write was stored") from None
            raise

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """One read transaction, so that every query of an answer sees the same log (WAL: writers go on)."""
        c = self.conn
        if c.in_transaction:
            yield c
            return
        c.execute("BEGIN")
        try:
            yield c
        finally:
            c.execute("COMMIT")

    # -- the contract --------------------------------------------------------

    def append(self, events: Iterable[Event | Pending], *, recorded_at: Iterable[str | None] | None = None) -> AppendResult:
        with gc_paused():
            return self._append(events, recorded_at)

    def _append(self, events: Iterable[Event | Pending], recorded_at: Iterable[str | None] | None) -> AppendResult:
        batch = pending(events, recorded_at)
        with self.transaction() as c:
            position, last = self._linkable(c.execute(HEAD).fetchone(), c.execute(LAST_EVENT).fetchone())
            present: set[str] = set()
            rows = None
            if batch and not self.contains((batch[0].id, batch[-1].id)):
                # Most batches are new: insert them and let the unique id index catch a repeat, which
                # sends the batch back to the slower path that asks for every id first.
                rows = link(batch, position, last)
                c.execute("SAVEPOINT fresh")
                try:
                    self._insert(c, rows)
                except sqlite3.IntegrityError:
                    c.execute("ROLLBACK TO fresh")
                    rows = None
                c.execute("RELEASE fresh")
            if rows is None:
                present = self.contains(p.id for p in batch)
                rows = link([p for p in batch if p.id not in present], position, last)
                self._insert(c, rows)
            if rows:
                c.execute("UPDATE log_head SET position = ?, hash = ?", (rows[-1].position, rows[-1].hash))
                for proj in self.projectors:
                    proj.apply(c, rows)
                    self._mark(proj, rows[-1].position)
        return AppendResult(tuple(rows), tuple(p.id for p in batch if p.id in present))

    @staticmethod
    def _insert(c: sqlite3.Connection, rows: Sequence[Recorded]) -> None:
        fromhex = bytes.fromhex
        c.executemany(
            "INSERT INTO events(position, id, type, version, recorded_at, payload, prev_hash, hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(r.position, fromhex(r.id), r.type, r.version, r.recorded_at, r.payload, fromhex(r.prev_hash),
              fromhex(r.hash)) for r in rows],
        )

    def read(self, start: int = 1, stop: int | None = None) -> Iterator[Recorded]:
        sql = "SELECT position, id, type, version, recorded_at, payload, prev_hash, hash FROM events WHERE position >= ?"
        args: list[int] = [start]
        if stop is not None:
            sql += " AND position <= ?"
            args.append(stop)
        cur = self.conn.execute(sql + " ORDER BY position", args)
        while True:
            chunk = cur.fetchmany(4096)
            if not chunk:
                return
            for pos, id_, type_, version, at, payload, prev, h in chunk:
                yield Recorded(pos, id_.hex(), type_, version, at, payload, prev.hex(), h.hex())

    def contains(self, ids: Iterable[str]) -> set[str]:
        keys = []
        for i in ids:
            try:
                keys.append(bytes.fromhex(i))
            except ValueError:
                continue  # not a digest, so not an id of this log
        found: set[str] = set()
        for i in range(0, len(keys), CHUNK):
            part = keys[i : i + CHUNK]
            marks = ",".join("?" * len(part))
            found.update(r[0].hex() for r in self.conn.execute(f"SELECT id FROM events WHERE id IN ({marks})", part))
        return found

    def position_of(self, event_id: str) -> int | None:
        """The log position of an event id, or None."""
        try:
            key = bytes.fromhex(event_id)
        except ValueError:
            return None
        row = self.conn.execute("SELECT position FROM events WHERE id = ?", (key,)).fetchone()
        return row[0] if row else None

    def verify(self) -> VerifyReport:
        with self.snapshot():
            position, digest = self.tip()
            return check(self.read(), position, digest)

    def close(self) -> None:
        self.conn.close()

    # -- read models ---------------------------------------------------------

    def projection_position(self, name: str) -> int:
        row = self.conn.execute("SELECT position FROM projection_state WHERE name = ?", (name,)).fetchone()
        return row[0] if row else 0

    def _mark(self, proj: Projector, position: int) -> None:
        self.conn.execute(
            "INSERT INTO projection_state(name, position) VALUES (?, ?)"
            " ON CONFLICT(name) DO UPDATE SET position = excluded.position",
            (proj.name, position),
        )

    def _catch_up(self) -> None:
        """Bring every read model up to the head: new read models fill themselves from the log."""
        known = dict(self.conn.execute("SELECT name, position FROM projection_state").fetchall())
        head = self.head()
        for proj in self.projectors:
            if known.get(proj.name, -1) >= head:
                self._upgrade(proj)
                continue
            if self.read_only:
                raise StoreError(f"cannot read the log at {self.path}: its read models must first be brought up to"
                                 f" its events, which writes, and its folder {self.path.parent} is read-only; make the"
                                 " folder writable, or copy the log to one that is")
            with gc_paused(), self.transaction() as c:
                proj.setup(c)
                self._mark(proj, self.projection_position(proj.name))
                self._replay(proj, self.projection_position(proj.name) + 1)

    def _upgrade(self, proj: Projector) -> None:
        """Let a read model at the head remake an index of an older version (Projector.upgrade), once; a file
        this process cannot write keeps it, and the read model answers from it as it is."""
        outdated = getattr(proj, "outdated", None)
        if self.read_only or outdated is None or not outdated(self.conn):
            return
        try:
            with self.transaction() as c:
                proj.upgrade(c)  # type: ignore[attr-defined]
        except sqlite3.OperationalError:
            pass

    def _locked_tip(self, c: Any) -> tuple[int, str]:
        return self.tip()  # the transaction is BEGIN IMMEDIATE: no other writer moves it
