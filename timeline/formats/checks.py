"""A check report (timeline.checks) as text, one line per finding, most severe first, and as JSON."""

from __future__ import annotations

from collections.abc import Iterator

import orjson

from timeline.checks import SEVERITIES, Report

_JSON = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS
_BATCH = 4096  # findings written at once


def render_text(report: Report) -> str:
    """One line per finding, most severe first, after a line with the basis and the counts."""
    b = report.basis.to_data()
    n = report.counts()
    counts = ", ".join(f"{n[s]} {s}{'' if n[s] == 1 else 's'}" for s in SEVERITIES)
    lines = [f"check as of {b['as_of']} (known at {b['known_at']}, log position {b['position']}): {counts}"]
    for f in report.findings:
        ids = ", ".join(c[:12] for c in f.claims[:6]) + (", ..." if len(f.claims) > 6 else "")
        lines.append(f"{f.severity:<7}  {f.check:<13}  {f.message}  [claims {ids}]")
    return "\n".join(lines)


def json_chunks(report: Report, batch: int = _BATCH) -> Iterator[bytes]:
    """The report's to_data() as orjson writes it with two spaces of indent, in pieces of `batch` findings: a
    quarter of a million findings are 140 MB of JSON, which their dicts and the whole text at once would hold
    twice over. A report holds no figure as a number (findings are text, ids and dates), so orjson writes what
    formats.jsontext.to_json does."""
    text = orjson.dumps({**report.to_data_head(), "findings": []}, option=_JSON, default=str)
    if not report.findings:
        yield text
        return
    yield text[:-len(b"[]\n}")] + b"[\n"
    # Each batch as a list one level less deep than the findings': its items, each line two spaces further in.
    findings = report.findings
    for i in range(0, len(findings), batch):
        body = orjson.dumps([f.to_data() for f in findings[i:i + batch]], option=_JSON, default=str)
        yield (b",\n  " if i else b"  ") + body[2:-2].replace(b"\n", b"\n  ")
    yield b"\n  ]\n}"
