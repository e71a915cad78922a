"""`asof` and `diff` as tables and CSV rows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from projections.state import State, Value
from projections.series import SECTIONS
from timeline.formats.jsontext import plain_number
from timeline.formats.table import fill_line, fit, hidden_note, table
from timeline.formats.text import QUALIFIER_MARKS, clip, figure, fmt_number, short_figure

if TYPE_CHECKING:
    from projections.diff import Diff

ASOF_COLUMNS = ["metric", "party", "region", "value", "range", "unit", "valid", "stale", "claimant", "outlet",
                "sources", "claim", "competing"]
ASOF_CUT = ["region", "claimant", "outlet", "competing"]
ASOF_WRAP = ["metric", "valid"]  # when even the optional columns are hidden; figures stay whole
ASOF_OPTIONAL = ["claim", "sources", "range", "competing", "outlet", "stale", "unit", "claimant"]  # hidden first to last
ASOF_CSV = ["section", "metric", "party", "region", "shape", "value", "low", "high", "qualifier", "unit", "as_of",
            "period", "valid", "staleness_days", "held_since", "claimant", "outlet", "report", "supports", "claims",
            "articles", "competing", "rule", "basis_as_of", "basis_known_at", "basis_position"]
DIFF_COLUMNS = ["metric", "party", "region", "shape", "kind", "before", "after", "change", "change_pct", "unit",
                "before_valid", "after_valid", "claims"]
DIFF_SHOWN = ["metric", "party", "region", "shape", "kind", "before", "after", "change", "change_pct",
              "before_valid", "after_valid", "claims"]
DIFF_HEADERS = ["METRIC", "PARTY", "REGION", "SHAPE", "KIND", "BEFORE", "AFTER", "CHANGE", "%", "BEFORE AS OF",
                "AFTER AS OF", "CLAIMS"]
DIFF_CUT = ["region", "claims"]
DIFF_OPTIONAL = ["claims", "shape", "change_pct", "before_valid", "after_valid"]
CLAIMANT_WIDTH = 26  # claimant and outlet cells are cut here unless the table is printed wide


def _when(v: Value) -> str:
    if v.period is None:
        return v.valid.isoformat()
    return f"{v.period[0].isoformat() if v.period[0] else '?'}..{v.period[1].isoformat()}"


def basis_line(state: State) -> str:
    b = state.basis
    known = "latest (every report in the log)" if b.known_at is None else b.known_at.isoformat()
    reviewed = ", reviewed claims only" if b.reviewed else ""
    return f"State as of {b.as_of.isoformat()}, known at {known}, log position {b.position}{reviewed}"


def asof_row(v: Value, wide: bool = False) -> dict[str, Any]:
    exact = v.low == v.high == v.value or (v.low is None and v.high is None)
    rng = None if exact else f"{fmt_number(v.low) or '?'}..{fmt_number(v.high) or '?'}"
    n = 10**9 if wide else CLAIMANT_WIDTH
    return {
        "metric": v.metric, "party": v.party, "region": v.region, "value": figure(v.value, v.qualifier),
        "range": rng, "unit": v.unit, "valid": _when(v), "stale": f"{v.staleness_days} d",
        "claimant": clip(v.claimant, n), "outlet": clip(v.outlet, n), "sources": len(v.articles),
        "claim": v.claims[0][:10],
        "competing": "; ".join(f"{figure(c.value, c.qualifier)} [{c.claim_id[:10]}]" for c in v.competing) or None,
    }


def render_state(state: State, width: int | None = None, wide: bool = False) -> str:
    """The state as one table per section, fitted to `width` (None: any width); `wide` cuts no cell."""
    lines = [fill_line(basis_line(state), width)]
    hidden: dict[str, None] = {}
    for name in SECTIONS:
        values = [v for v in state.values if v.section == name]
        if values:
            t = fit([asof_row(v, wide) for v in values], ASOF_COLUMNS, width=width, cut=ASOF_CUT,
                    optional=ASOF_OPTIONAL, wrap=ASOF_WRAP)
            hidden.update(dict.fromkeys(t.hidden))
            lines += ["", name, t.text]
    if hidden:
        lines += ["", hidden_note(list(hidden), width)]
    if state.note:
        lines += ["", state.note]
    notes = [f"{a.correction_id[:10]} adjusts {v.claims[0][:10]} ({v.metric} {v.party}) by {fmt_number(a.adjustment)}: "
             f"{a.reason} (recorded, not applied)" for v in state.values for a in v.adjustments]
    if notes:
        lines += ["", "Corrections"] + notes
    if state.undated:
        lines += ["", f"{state.undated} claim(s) of these series carry no valid date and are in no state."]
    return "\n".join(lines)


def state_csv_rows(state: State) -> list[dict[str, Any]]:
    b = state.basis.to_data()
    rows = []
    for v in state.values:
        d = v.to_data()
        d["competing"] = [f"{c['value']}@{c['claim']}" for c in d["competing"]]
        d.update(basis_as_of=b["as_of"], basis_known_at=b["known_at"], basis_position=b["position"])
        rows.append(d)
    return rows


def diff_csv_rows(d: Diff) -> list[dict[str, Any]]:
    return [c.to_data() for c in d.changes]


def diff_values(d: Diff) -> list:
    """The values behind a diff, for formats.jsontext.fast_json."""
    out = []
    for c in d.changes:
        out += [x for x in (c.before, c.after) if x is not None]
        if not (plain_number(c.change) and plain_number(c.change_pct)):
            out.append(None)  # not a value: makes the fast path step aside, so the json module writes it
    return out


def render_diff(d: Diff, width: int | None = None) -> str:
    data = d.to_data()
    b = data["basis"]["from"]
    if data["axis"] == "valid":
        reviewed = ", reviewed claims only" if b.get("reviewed") else ""
        head = (f"Changes from {data['from']} to {data['to']} (known at {b['known_at']}, log position {b['position']}"
                f"{reviewed})")
    else:
        said = {k: "every report" if data[k] == "latest" else f"the reports published by {data[k]}" for k in ("from", "to")}
        head = (f"What was known about {b['as_of']}: {said['from']} against {said['to']} (log position {b['position']}"
                f"{', reviewed claims only' if b.get('reviewed') else ''})")
    head = fill_line(head, width)
    if not d.changes:
        return head + "\n\nno changes"
    rows = []
    for c in data["changes"]:
        rows.append(dict(c, before=None if c["before"] is None else short_figure(c["before"], c["before_qualifier"]),
                         after=None if c["after"] is None else short_figure(c["after"], c["after_qualifier"]),
                         change=None if c["change"] is None else f"{c['change']:+,}",
                         change_pct=None if c["change_pct"] is None else f"{c['change_pct']:+.1f}%",
                         claims=",".join(x[:10] for x in c["claims"])))
    body = table(rows, DIFF_SHOWN, DIFF_HEADERS, width=width, cut=DIFF_CUT, optional=DIFF_OPTIONAL)
    marks = sorted({q for c in data["changes"] for q in (c["before_qualifier"], c["after_qualifier"])
                    if q and QUALIFIER_MARKS.get(q)}, key=list(QUALIFIER_MARKS).index)
    if marks:  # the figures' qualifiers, marked for room: say what each mark stands for
        body += "\n" + fill_line("(" + ", ".join(f"{QUALIFIER_MARKS[q]} {q.replace('_', ' ')}" for q in marks) + ")", width)
    return head + "\n\n" + body
