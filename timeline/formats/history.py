"""A series history written out: a table per series, CSV, Parquet and TimelineJS JSON."""

from __future__ import annotations

import datetime as dt
import html
import os
from pathlib import Path
from collections.abc import Sequence
from typing import Any

from projections.history import FLAT_COLUMNS, History, HistoryRow, Step, flat_rows, groups
from projections.series import SeriesKey
from timeline.errors import TimelineError
from timeline.formats.table import fill_line, table
from timeline.formats.text import figure, fmt_number
from timeline.outfile import write_file

ROW_COLUMNS = ["valid", "value", "range", "unit", "claimant", "outlet", "report", "claim", "chosen", "status",
               "competing"]
ROW_HEADERS = ["VALID", "VALUE", "RANGE", "UNIT", "CLAIMANT", "OUTLET", "REPORTED", "CLAIM", "CHOSEN", "STATUS",
               "COMPETING"]
ROW_CUT = ["claimant", "outlet", "chosen", "competing"]
ROW_OPTIONAL = ["competing", "range", "unit", "outlet", "report", "status"]
ROW_WRAP = ["valid"]  # when even the optional columns are hidden; figures stay whole
STEP_COLUMNS = ["start", "end", "value", "range", "unit", "claim", "rule"]
STEP_WRAP = ["range"]
PARQUET_MISSING = "Parquet needs pyarrow: pip install 'timeline[parquet]' (or: pip install pyarrow)"


def series_title(key: SeriesKey) -> str:
    metric, party, region, shape = key
    return f"{metric} {party} {region or '-'}" + (" (counts over periods)" if shape == "window" else "")


def when(r: HistoryRow) -> str:
    if r.valid is None:
        return "undated"
    if r.shape == "window":
        return f"{r.period_start.isoformat() if r.period_start else '?'}..{r.valid.isoformat()}"
    return r.valid.isoformat()


def interval(low: Any, high: Any, value: Any) -> str | None:
    if (low is None and high is None) or low == high == value:
        return None
    return f"{fmt_number(low) or '?'}..{fmt_number(high) or '?'}"


def _row(r: HistoryRow) -> dict[str, Any]:
    return {
        "valid": when(r), "value": figure(r.value, r.qualifier), "range": interval(r.low, r.high, r.value),
        "unit": r.unit, "claimant": r.claimant, "outlet": r.outlet or r.source,
        "report": r.report.isoformat() if r.report else None, "claim": r.claim_id[:10],
        "chosen": "yes" if r.chosen else (f"lost: {r.lost_by}" if r.lost_by else "no"), "status": r.status,
        "competing": ",".join(c[:10] for c in r.competing) or None,
    }


def _step(s: Step) -> dict[str, Any]:
    return {"start": s.start.isoformat(), "end": s.end.isoformat() if s.end else "-",
            "value": figure(s.value, s.qualifier), "range": interval(s.low, s.high, s.value), "unit": s.unit,
            "claim": s.claim_id[:10], "rule": s.rule}


def _steps_repeat_rows(rows: Sequence[HistoryRow], steps: Sequence[Step]) -> bool:
    """Every claim was chosen and every date had one figure: a step table would list the rows again (a daily
    tally's 1,600 claims would print twice)."""
    return (all(r.chosen and r.status == "active" for r in rows) and all(s.rule == "only figure" for s in steps)
            and {r.valid for r in rows} == {s.start for s in steps})


def render_history(h: History, width: int | None = None) -> str:
    """Per series: its claims in valid-time order, then the chosen value's steps."""
    basis = h.basis.to_data()
    cut = "".join(f", {k} {v.isoformat()}" for k, v in (("from", h.start), ("to", h.end))
                  if v is not None and v != dt.date.max)
    reviewed = ", reviewed claims only" if basis.get("reviewed") else ""
    lines = [fill_line(f"History known at {basis['known_at']}, log position {basis['position']}{cut}{reviewed}", width)]
    for key, (rows, steps) in groups(h).items():
        lines += ["", fill_line(f"{series_title(key)}: {len(rows)} claim{'s' if len(rows) != 1 else ''}, "
                            f"{len(steps)} dated value{'s' if len(steps) != 1 else ''}", width)]
        if rows:
            lines.append(table([_row(r) for r in rows], ROW_COLUMNS, ROW_HEADERS, width=width, cut=ROW_CUT,
                               optional=ROW_OPTIONAL, wrap=ROW_WRAP))
        if steps and _steps_repeat_rows(rows, steps):
            lines += ["", "Chosen value: each claim above, from its date until the next (none had a rival)."]
        elif steps:
            lines += ["", "Chosen value (from START until END)",
                      table([_step(s) for s in steps], STEP_COLUMNS, width=width, cut=["rule"], optional=["rule"],
                            wrap=STEP_WRAP)]
    if h.undated:
        lines += ["", f"{h.undated} claim(s) of these series carry no valid date and are in no history."]
    return "\n".join(lines)


def csv_rows(h: History) -> list[dict[str, Any]]:
    return [{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()} for row in flat_rows(h)]


CSV_COLUMNS = list(FLAT_COLUMNS)


def write_parquet(h: History, path: str | os.PathLike) -> Path:
    """The claims as a Parquet file (dates as date32): for pandas, polars and DuckDB. Written whole or not at all."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise TimelineError(PARQUET_MISSING) from None
    rows = flat_rows(h)
    types = {"valid": pa.date32(), "period_start": pa.date32(), "report": pa.date32(), "value": pa.float64(),
             "low": pa.float64(), "high": pa.float64(), "chosen": pa.bool_(), "position": pa.int64()}
    schema = pa.schema([(c, types.get(c, pa.string())) for c in FLAT_COLUMNS])
    columns = {c: [_num(r[c]) if types.get(c) == pa.float64() else r[c] for r in rows] for c in FLAT_COLUMNS}
    table_ = pa.table(columns, schema=schema)
    write_file(path, lambda tmp: pq.write_table(table_, tmp))
    return Path(path)


def _num(x: Any) -> float | None:
    return None if x is None else float(x)


# -- TimelineJS ---------------------------------------------------------------------------------------------------


def _tl_date(d: dt.date) -> dict[str, str]:
    return {"year": str(d.year), "month": str(d.month), "day": str(d.day)}


def timelinejs(h: History) -> dict[str, Any]:
    """The claims as TimelineJS 3 JSON (https://timeline.knightlab.com/docs/json-format.html).

    One event per dated claim, grouped by series; a count over a window spans
    its window. TimelineJS renders `text` as HTML, so every piece of log text
    is escaped here.
    """
    e = html.escape
    events = []
    for key, (rows, _steps) in groups(h).items():
        group = series_title(key)
        for r in rows:
            if r.valid is None:
                continue
            status = "chosen value" if r.chosen else (
                f"not chosen ({r.lost_by})" if r.lost_by else r.status if r.status != "active" else "not chosen")
            if r.status in ("retracted", "corrected"):
                status = r.status + (f" by {r.replaced_by[:10]}" if r.replaced_by else "")
            said = ", ".join(x for x in (r.claimant, r.outlet or r.source) if x) or "unattributed"
            body = (f"<p>{e(said)}" + (f", reported {r.report.isoformat()}" if r.report else "") + "</p>"
                    f"<p>{e(status)}; claim {e(r.claim_id[:12])}</p>")
            if r.competing:
                body += f"<p>competing: {e(', '.join(c[:12] for c in r.competing))}</p>"
            event: dict[str, Any] = {
                "unique_id": r.claim_id,
                "group": group,
                "text": {"headline": e(f"{figure(r.value, r.qualifier)} {r.unit}"), "text": body},
                "start_date": _tl_date(r.period_start if r.shape == "window" and r.period_start else r.valid),
            }
            if r.shape == "window" and r.period_start and r.period_start != r.valid:
                event["end_date"] = _tl_date(r.valid)
            events.append(event)
    names = ", ".join(series_title(k) for k in h.series)
    known = h.basis.to_data()["known_at"]
    return {
        "title": {"text": {"headline": e(names), "text": e(f"Claims as reported, known at {known}; "
                                                           f"log position {h.basis.position}.")}},
        "events": events,
    }
