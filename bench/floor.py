"""What SQLite alone costs for an append: the rows a log holds, written again with nothing else to do.

usage: python -m bench.floor LOG [BATCH]  ->  JSON on stdout

Reads the events and claims rows of a built log in transactions of BATCH
events (untimed), and times only inserting them into a fresh log of the same
schema with the store's settings: the ceiling of `Store.append` on this
machine when encoding, hashing and building read-model rows cost nothing.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path


def floor(log: str | Path, batch: int = 10_000) -> dict:
    from events.sqlite_store import SQLiteStore
    from projections.readmodel import CLAIM_COLUMNS, projectors

    src = sqlite3.connect(f"file:{log}?mode=ro", uri=True)
    with tempfile.TemporaryDirectory(prefix="timeline-floor-") as tmp:
        dst = SQLiteStore(Path(tmp) / "floor.sqlite", projectors=projectors())
        c = dst.conn
        events_sql = "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        claims_sql = f"INSERT INTO claims({', '.join(CLAIM_COLUMNS)}) VALUES ({', '.join('?' * len(CLAIM_COLUMNS))})"
        head = src.execute("SELECT max(position) FROM events").fetchone()[0] or 0
        seconds, claims = 0.0, 0
        for start in range(1, head + 1, batch):
            stop = start + batch - 1
            events = src.execute("SELECT position, id, type, version, recorded_at, payload, prev_hash, hash"
                                 " FROM events WHERE position BETWEEN ? AND ?", (start, stop)).fetchall()
            rows = src.execute(f"SELECT {', '.join(CLAIM_COLUMNS)} FROM claims WHERE position BETWEEN ? AND ?",
                               (start, stop)).fetchall()
            t0 = time.perf_counter()
            c.execute("BEGIN IMMEDIATE")
            c.executemany(events_sql, events)
            c.executemany(claims_sql, rows)
            c.execute("COMMIT")
            seconds += time.perf_counter() - t0
            claims += len(rows)
        dst.close()
    src.close()
    return {"claims": claims, "seconds": seconds, "claims_per_s": claims / seconds if seconds else 0.0}


def main() -> None:
    log = sys.argv[1]
    batch = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    print(json.dumps(floor(log, batch)))


if __name__ == "__main__":
    main()
