"""The views an SQLite log offers to sqlite3 and Datasette users tell what the API tells."""

from __future__ import annotations

import datetime as dt
import sqlite3

from timeline import Timeline
from timeline.seeds import bundled_seeds


def test_claim_list_and_current_claims_match_the_api(tmp_path):
    path = tmp_path / "log.sqlite"
    with Timeline(path) as tl:
        tl.ingest([bundled_seeds()])
        rows = {r["id"]: r for r in tl.claims()}
        target = next(iter(rows))
        tl.retract(target, "a test retraction")
        snap = tl.at(dt.date(2100, 1, 1))
        values = snap.state.values
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    listed = {r["claim_id"]: r for r in conn.execute("SELECT * FROM claim_list")}
    assert set(listed) == set(rows)
    for cid, r in rows.items():
        v = listed[cid]
        assert (v["metric"], v["party"], v["region"], v["value"], v["quote"]) == \
            (r["metric"], r["party"], r["region"], r["value"], r["quote"])
        assert v["valid"] == (r["as_of"] or (r["period"] or {}).get("end"))
        assert v["article"] == r["article"] and v["reported"] == r["published"]
    assert listed[target]["retired_at"] is not None
    current = {r["claim_id"] for r in conn.execute("SELECT claim_id FROM current_claims")}
    assert target not in current
    for v in values:  # every value's claims at its date are current, and nothing else is
        at_date = {c for c in v.claims if listed[c]["valid"] == v.valid.isoformat()}
        assert at_date <= current
    shown = {c for v in values for c in v.claims} | {c.claim_id for v in values for c in v.competing}
    assert current <= shown
