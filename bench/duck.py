"""The same as-of question answered by DuckDB: the tool an analyst would otherwise reach for."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from bench.synth import Row

QUERY = """
SELECT series, arg_max(claim_id, valid) AS claim_id, max(valid) AS valid
FROM claims
WHERE valid <= ? AND report <= ?
GROUP BY series
"""


class Duck:
    """Claims loaded into an in-memory DuckDB table (series, valid, report, value, claim_id)."""

    def __init__(self, rows: Iterable[Row]) -> None:
        import duckdb

        t0 = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "claims.csv"
            with path.open("w", newline="") as f:
                w = csv.writer(f)
                w.writerow(["series", "valid", "report", "value", "claim_id"])
                for r in rows:
                    w.writerow([r.series, r.valid.isoformat(), r.report.isoformat(), r.value, r.claim_id])
            self.db = duckdb.connect()
            self.db.execute(
                "CREATE TABLE claims AS SELECT * FROM read_csv(?, header=true, columns="
                "{'series': 'INTEGER', 'valid': 'DATE', 'report': 'DATE', 'value': 'BIGINT', 'claim_id': 'VARCHAR'})",
                [str(path)],
            )
        self.load_seconds = time.perf_counter() - t0

    def latest(self, as_of: dt.date, known_at: dt.date) -> dict[int, str]:
        """The claim id per series of the latest claim with valid <= as_of reported by known_at."""
        return {s: cid for s, cid, _ in self.db.execute(QUERY, [as_of, known_at]).fetchall()}
