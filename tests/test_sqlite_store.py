"""What only the SQLite backend promises: triggers, tamper evidence, crash safety, concurrency."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from events.model import ClaimRetracted
from events.sqlite_store import SQLiteStore
from events.store import StoreError

ROOT = Path(__file__).resolve().parents[1]


def filled(path: Path, n: int = 6) -> SQLiteStore:
    store = SQLiteStore(path)
    store.append([ClaimRetracted(f"claim-{i}", f"reason {i}") for i in range(n)])
    return store


def raw(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    return conn


def test_update_and_delete_are_refused(tmp_path):
    filled(tmp_path / "log.sqlite").close()
    conn = raw(tmp_path / "log.sqlite")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE events SET payload = '{}' WHERE position = 1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM events WHERE position = 1")
    with pytest.raises(sqlite3.IntegrityError, match="only moves forward"):
        conn.execute("UPDATE log_head SET position = 0")


def drop_triggers(conn: sqlite3.Connection) -> None:
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f"DROP TRIGGER {name}")


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_changing_any_byte_of_a_payload_or_hash_fails_verify_there(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("tamper") / "log.sqlite"
    filled(path).close()
    position = data.draw(st.integers(1, 6), label="position")
    column = data.draw(st.sampled_from(["payload", "hash"]), label="column")
    conn = raw(path)
    drop_triggers(conn)
    value = conn.execute(f"SELECT {column} FROM events WHERE position = ?", (position,)).fetchone()[0]
    value = value if isinstance(value, bytes) else value.encode()
    i = data.draw(st.integers(0, len(value) - 1), label="byte")
    flip = data.draw(st.integers(1, 255), label="xor")
    changed = value[:i] + bytes([value[i] ^ flip]) + value[i + 1 :]
    if column == "payload":
        changed = changed.decode("utf-8", "replace")
        if changed == value.decode():
            return
    conn.execute(f"UPDATE events SET {column} = ? WHERE position = ?", (changed, position))
    conn.close()
    store = SQLiteStore(path, check_head=False)  # as `verify` opens it
    report = store.verify()
    store.close()
    assert not report.ok
    assert report.problem.position == position


@pytest.mark.parametrize("position", [1, 3, 6])
def test_deleting_any_row_fails_verify_at_that_position(tmp_path, position):
    path = tmp_path / "log.sqlite"
    filled(path).close()
    conn = raw(path)
    drop_triggers(conn)
    conn.execute("DELETE FROM events WHERE position = ?", (position,))
    conn.close()
    store = SQLiteStore(path, check_head=False)  # as `verify` opens it
    report = store.verify()
    assert not report.ok and report.problem.position == position


def test_not_sqlite_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"these are my notes\n" * 10)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not an SQLite database"):
        SQLiteStore(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite"]


def test_other_sqlite_databases_are_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a timeline log"):
        SQLiteStore(path)
    assert path.read_bytes() == before


def test_truncated_log_is_refused_untouched(tmp_path):
    path = tmp_path / "log.sqlite"
    store = SQLiteStore(path)
    store.append([ClaimRetracted(f"c{i}", "x" * 2000) for i in range(50)])
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    before = path.read_bytes()
    with pytest.raises(StoreError, match="truncated"):
        SQLiteStore(path)
    assert path.read_bytes() == before


def test_unwritable_location_is_refused(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="does not exist"):
        SQLiteStore(blocker / "log.sqlite")


CHILD = """
import sys
from events.model import ClaimRetracted
from events.sqlite_store import SQLiteStore
store = SQLiteStore(sys.argv[1])
size = int(sys.argv[2])
tag = sys.argv[3]
for b in range(int(sys.argv[4])):
    store.append([ClaimRetracted(f"{tag}-{b}-{i}", "x" * 50) for i in range(size)])
    print(b, flush=True)
"""


def child(path: Path, size: int, tag: str, batches: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), str(size), tag, str(batches)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )


def test_a_killed_writer_leaves_whole_batches_and_a_valid_chain(tmp_path):
    path = tmp_path / "log.sqlite"
    size = 20_000
    proc = child(path, size, "k", 50)
    assert proc.stdout.readline().strip() == "0"  # one batch committed, the next one under way
    time.sleep(0.15)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    store = SQLiteStore(path)
    report = store.verify()
    assert report.ok
    assert report.count % size == 0 and report.count >= size
    assert store.head() == report.count


def test_two_writers_at_once_both_finish_gap_free(tmp_path):
    path = tmp_path / "log.sqlite"
    SQLiteStore(path).close()
    a, b = child(path, 5, "a", 120), child(path, 5, "b", 120)
    assert a.wait(timeout=120) == 0 and b.wait(timeout=120) == 0
    store = SQLiteStore(path)
    rows = list(store.read())
    assert [r.position for r in rows] == list(range(1, 1201))
    assert len({r.id for r in rows}) == 1200
    assert store.verify().ok


def crash_image(tmp_path: Path, keep: float = 1.0) -> tuple[Path, int]:
    """A log as a full disk or a crash in the middle of a checkpoint leaves it.

    Events are committed to the write-ahead log only (no checkpoint), the files
    are copied while the log is open, as a crash would leave them, and page 1
    of the copy is overwritten with its newest version from the write-ahead
    log, as the checkpoint does first: the file's header then counts pages the
    file does not hold yet. `keep` cuts the file to that share of its size,
    losing checkpointed pages that are nowhere else.
    """
    import shutil
    import struct

    live = tmp_path / "live" / "log.sqlite"
    live.parent.mkdir()
    store = SQLiteStore(live)
    store.append([ClaimRetracted(f"early-{i}", "x" * 1500) for i in range(60)])
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.conn.execute("PRAGMA wal_autocheckpoint = 0")
    for b in range(4):
        store.append([ClaimRetracted(f"late-{b}-{i}", "y" * 1500) for i in range(40)])
    copy = tmp_path / "crash" / "log.sqlite"
    copy.parent.mkdir()
    shutil.copyfile(live, copy)
    shutil.copyfile(f"{live}-wal", f"{copy}-wal")
    count = store.head()
    store.close()
    wal = Path(f"{copy}-wal").read_bytes()
    page_size = struct.unpack(">I", wal[8:12])[0]
    page1 = None
    for off in range(32, len(wal) - 24 - page_size + 1, 24 + page_size):
        if struct.unpack(">I", wal[off : off + 4])[0] == 1:
            page1 = wal[off + 24 : off + 24 + page_size]
    assert page1 is not None
    data = bytearray(copy.read_bytes())
    data[:page_size] = page1
    cut = max(page_size, int(len(data) * keep) // page_size * page_size)
    copy.write_bytes(bytes(data[:cut]))
    header_pages = struct.unpack(">I", page1[28:32])[0]
    assert cut < header_pages * page_size  # the file is shorter than its header says
    return copy, count


def test_a_log_whose_missing_pages_are_in_its_write_ahead_log_opens_whole(tmp_path):
    path, count = crash_image(tmp_path)
    store = SQLiteStore(path)
    report = store.verify()
    assert report.ok and report.count == count == store.head()
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_log_missing_pages_the_write_ahead_log_lacks_is_refused_untouched(tmp_path):
    path, _ = crash_image(tmp_path, keep=0.3)
    before = path.read_bytes(), Path(f"{path}-wal").read_bytes()
    with pytest.raises(StoreError, match="truncated SQLite database .* more in its write-ahead log"):
        SQLiteStore(path)
    assert (path.read_bytes(), Path(f"{path}-wal").read_bytes()) == before


def test_without_its_write_ahead_log_a_short_log_is_refused(tmp_path):
    path, _ = crash_image(tmp_path)
    Path(f"{path}-wal").unlink()
    with pytest.raises(StoreError, match="truncated SQLite database"):
        SQLiteStore(path)


def test_a_full_disk_is_one_line_and_stores_nothing_of_the_batch(tmp_path):
    store = filled(tmp_path / "log.sqlite")
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # SQLite's own "database or disk is full"
    with pytest.raises(StoreError, match=r"^\S+log.sqlite: the disk is full; nothing of this write was stored$"):
        store.append([ClaimRetracted(f"big-{i}", "z" * 4000) for i in range(20)])
    assert store.head() == 6 and store.verify().ok
    store.append([ClaimRetracted("small", "fits")])
    assert store.head() == 7 and store.verify().ok


@pytest.fixture(params=["chmod", "simulated"])
def read_only_folder(request, tmp_path, monkeypatch):
    """A log in a folder this process cannot write: made so (as a user other than root), or said so to the store
    (root may write anywhere, but a read-only file system refuses it too)."""
    from projections import readmodel

    folder = tmp_path / "ro"
    folder.mkdir()
    store = SQLiteStore(folder / "log.sqlite", projectors=readmodel.projectors())  # read models at the head
    store.append([ClaimRetracted(f"claim-{i}", f"reason {i}") for i in range(6)])
    store.close()
    if request.param == "chmod":
        if os.geteuid() == 0:
            pytest.skip("root writes in any folder")
        folder.chmod(0o555)
        request.addfinalizer(lambda: folder.chmod(0o755))
    else:
        monkeypatch.setattr("events.sqlite_store._writable", lambda folder: False)
    return folder


def test_a_log_in_a_read_only_folder_is_read_and_writes_say_the_folder_is_read_only(read_only_folder):
    path = read_only_folder / "log.sqlite"
    store = SQLiteStore(path)
    try:
        assert store.verify().ok and store.head() == 6
        assert [r.position for r in store.read()] == list(range(1, 7))
        with pytest.raises(StoreError, match=f"cannot write the log at {path}: its folder {read_only_folder} is read-only"):
            store.append([ClaimRetracted("new", "r")])
        assert store.head() == 6
    finally:
        store.close()
    assert sorted(p.name for p in read_only_folder.iterdir()) == ["log.sqlite"]


def test_the_cli_reads_a_log_in_a_read_only_folder(read_only_folder):
    from click.testing import CliRunner

    from timeline.cli import main

    path = str(read_only_folder / "log.sqlite")
    for args in (["verify", "--deep"], ["log"], ["export"], ["claims"]):
        result = CliRunner().invoke(main, ["--log", path, *args])
        assert result.exit_code == 0, (args, result.output)
    result = CliRunner().invoke(main, ["--log", path, "rebuild"])
    assert result.exit_code == 2
    assert result.stderr == (f"Error: cannot write the log at {path}: its folder {read_only_folder} is read-only (SQLite"
                             " writes files beside the log); make the folder writable, or copy the log to one that is\n")
