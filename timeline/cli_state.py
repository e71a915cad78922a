"""`timeline asof`, `timeline diff` and `timeline retract`: thin over Timeline.asof/diff/diff_known/retract."""

from __future__ import annotations

from typing import Any

import click

from projections.basis import State, Value
from projections.derive import with_derived
from projections.diff import Diff
from projections.series import SECTIONS
from timeline.cli import parse_position, emit, format_option, main, timeline_of
from timeline.errors import TimelineError
from timeline.render import table, to_csv, to_json
from timeline.views import fmt_number

QUALIFIER_WORDS = {"exact": "", "about": "about ", "over": "over ", "under": "under ", "up_to": "up to ",
                   "nearly": "nearly "}
ASOF_COLUMNS = ["metric", "party", "region", "value", "range", "unit", "valid", "stale", "claimant", "outlet",
                "sources", "claim", "competing"]
ASOF_CSV = ["section", "metric", "party", "region", "shape", "value", "low", "high", "qualifier", "unit", "as_of",
            "period", "valid", "staleness_days", "held_since", "claimant", "outlet", "report", "supports", "claims",
            "articles", "competing", "rule", "basis_as_of", "basis_known_at", "basis_position"]
DIFF_COLUMNS = ["metric", "party", "region", "shape", "kind", "before", "after", "change", "change_pct", "unit",
                "before_valid", "after_valid", "claims"]


def _json(data: Any, values: Any) -> str:
    """What `to_json` writes, in a tenth of the time: a state of thousands of values is a lot of JSON.

    orjson writes the same text as json.dumps(indent=2, ensure_ascii=False)
    except for floats the json module writes with an exponent (below 1e-4 or
    from 1e16) and non-finite ones; when `values` (the Values and Derived
    values behind `data`) hold such a figure, the json module writes it.
    """
    import orjson

    if all(_plain(v) for v in values):
        try:
            return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS, default=str).decode()
        except TypeError:
            pass
    return to_json(data)


def _plain_number(x: Any) -> bool:
    return type(x) is not float or x == 0 or 1e-4 <= abs(x) < 1e16


def _plain(v: Any) -> bool:
    """Whether every figure a value's JSON shows is written alike by orjson and the json module."""
    if v is None:
        return False
    for x in (v.value, v.low, v.high):
        if type(x) is float and not _plain_number(x):
            return False
    if v.competing and not all(_plain_number(c.value) for c in v.competing):
        return False
    if v.adjustments and not all(_plain_number(a.adjustment) for a in v.adjustments):
        return False
    inputs = getattr(v, "inputs", None)
    return not inputs or all(_plain(i) for i in inputs)


def _diff_values(d: Diff) -> list:
    out = []
    for c in d.changes:
        out += [x for x in (c.before, c.after) if x is not None]
        if not (_plain_number(c.change) and _plain_number(c.change_pct)):
            out.append(None)  # not a value: makes _plain fail, so the json module writes it
    return out


def _emit(fmt: str, data: Any, text: Any, values: Any) -> None:
    click.echo(_json(data, values) if fmt == "json" else text())


def _filters(f: Any) -> Any:
    f = click.option("--region", help="Only this region (e.g. Kursk).")(f)
    f = click.option("--party", help="Only this party (ISO code: RU, UA, KP, ...).")(f)
    f = click.option("--metric", help="Only this metric or family (troops, losses.personnel.*).")(f)
    return f


def _figure(value: Any, qualifier: str) -> str:
    return QUALIFIER_WORDS.get(qualifier, qualifier + " ") + fmt_number(value)


def _clip(text: str | None, n: int = 26) -> str | None:
    if text is None:
        return None
    return text if len(text) <= n else text[: n - 1] + "…"


def _when(v: Value) -> str:
    if v.period is None:
        return v.valid.isoformat()
    return f"{v.period[0].isoformat() if v.period[0] else '?'}..{v.period[1].isoformat()}"


def _basis_line(state: State) -> str:
    b = state.basis
    known = "latest (every report in the log)" if b.known_at is None else b.known_at.isoformat()
    return f"State as of {b.as_of.isoformat()}, known at {known}, log position {b.position}"


def _asof_row(v: Value) -> dict[str, Any]:
    exact = v.low == v.high == v.value or (v.low is None and v.high is None)
    rng = None if exact else f"{fmt_number(v.low) or '?'}..{fmt_number(v.high) or '?'}"
    return {
        "metric": v.metric, "party": v.party, "region": v.region, "value": _figure(v.value, v.qualifier),
        "range": rng, "unit": v.unit, "valid": _when(v), "stale": f"{v.staleness_days} d",
        "claimant": _clip(v.claimant), "outlet": _clip(v.outlet), "sources": len(v.articles),
        "claim": v.claims[0][:10],
        "competing": "; ".join(f"{_figure(c.value, c.qualifier)} [{c.claim_id[:10]}]" for c in v.competing) or None,
    }


def render_state(state: State) -> str:
    lines = [_basis_line(state)]
    for name in SECTIONS:
        values = [v for v in state.values if v.section == name]
        if values:
            lines += ["", name, table([_asof_row(v) for v in values], ASOF_COLUMNS)]
    if state.note:
        lines += ["", state.note]
    notes = [f"{a.correction_id[:10]} adjusts {v.claims[0][:10]} ({v.metric} {v.party}) by {fmt_number(a.adjustment)}: "
             f"{a.reason} (recorded, not applied)" for v in state.values for a in v.adjustments]
    if notes:
        lines += ["", "Corrections"] + notes
    if state.undated:
        lines += ["", f"{state.undated} claim(s) of these series carry no valid date and are in no state."]
    return "\n".join(lines)


def _csv_rows(state: State) -> list[dict[str, Any]]:
    b = state.basis.to_data()
    rows = []
    for v in state.values:
        d = v.to_data()
        d["competing"] = [f"{c['value']}@{c['claim']}" for c in d["competing"]]
        d.update(basis_as_of=b["as_of"], basis_known_at=b["known_at"], basis_position=b["position"])
        rows.append(d)
    return rows


@main.command()
@click.argument("date")
@click.option("--known-at", "known_at", metavar="DATE|latest", default="latest", show_default=True,
              help="Report-time cut-off: only claims published by then (latest: every report in the log).")
@click.option("--position", metavar="N", help="Replay only the first N events of the log.")
@_filters
@format_option("table", "json", "csv")
@click.pass_context
def asof(ctx: click.Context, date: str, known_at: str, position: str | None, metric: str | None,
         party: str | None, region: str | None, fmt: str) -> None:
    """The claimed picture as of DATE: area held, troops deployed, losses.

    For each series (metric, party, region, level or window) the claim with
    the latest valid date on or before DATE, among the claims published by
    --known-at and appended in the first --position events, not retracted.
    Each value shows its qualifier, interval, valid date and staleness, who
    said it and where, how many sources support it, and the claims that
    compete with it at the same date.

    Example:

        timeline asof 2024-11-23

        timeline asof 2024-11-10 --known-at 2024-11-10 --metric troops --format json
    """
    state = timeline_of(ctx).asof(date, known_at, parse_position(position), metric=metric, party=party, region=region)
    state = with_derived(state)  # derived values (projections.derive), marked "derived": true
    if fmt == "csv":
        click.echo(to_csv(_csv_rows(state), ASOF_CSV), nl=False)
        if state.note:
            click.echo(state.note, err=True)
        return
    _emit(fmt, state.to_data(), lambda: render_state(state), state.values)


def _diff_rows(d: Diff) -> list[dict[str, Any]]:
    return [c.to_data() for c in d.changes]


def render_diff(d: Diff) -> str:
    data = d.to_data()
    b = data["basis"]["from"]
    if data["axis"] == "valid":
        head = f"Changes from {data['from']} to {data['to']} (known at {b['known_at']}, log position {b['position']})"
    else:
        said = {k: "every report" if data[k] == "latest" else f"the reports published by {data[k]}" for k in ("from", "to")}
        head = f"What was known about {b['as_of']}: {said['from']} against {said['to']} (log position {b['position']})"
    if not d.changes:
        return head + "\n\nno changes"
    rows = []
    for c in data["changes"]:
        rows.append(dict(c, before=None if c["before"] is None else fmt_number(c["before"]),
                         after=None if c["after"] is None else fmt_number(c["after"]),
                         change=None if c["change"] is None else f"{c['change']:+,}",
                         change_pct=None if c["change_pct"] is None else f"{c['change_pct']:+.1f}%",
                         claims=",".join(x[:10] for x in c["claims"])))
    cols = ["metric", "party", "region", "shape", "kind", "before", "after", "change", "change_pct",
            "before_valid", "after_valid", "claims"]
    heads = ["METRIC", "PARTY", "REGION", "SHAPE", "KIND", "BEFORE", "AFTER", "CHANGE", "%", "BEFORE AS OF",
             "AFTER AS OF", "CLAIMS"]
    return head + "\n\n" + table(rows, cols, heads)


@main.command()
@click.argument("dates", nargs=-1, required=True, metavar="A [B]")
@click.option("--known-at", "known_at", multiple=True, metavar="DATE|latest",
              help="Report-time cut-off; give it twice, with one date, to compare two cut-offs.")
@click.option("--position", metavar="N", help="Replay only the first N events of the log.")
@_filters
@format_option("table", "json", "csv")
@click.pass_context
def diff(ctx: click.Context, dates: tuple[str, ...], known_at: tuple[str, ...], position: str | None,
         metric: str | None, party: str | None, region: str | None, fmt: str) -> None:
    """What changed, series by series: before, after, the change and the claims behind it.

    Two forms:

    diff A B [--known-at K]: the picture of date A against that of date B,
    both as reported by K (default: every report in the log).

    diff D --known-at K1 --known-at K2: what was known about date D from the
    reports published by K1 against those published by K2.

    Example:

        timeline diff 2024-11-05 2024-11-23

        timeline diff 2024-11-10 --known-at 2024-11-10 --known-at latest --format json
    """
    tl = timeline_of(ctx)
    n = parse_position(position)
    kw = {"metric": metric, "party": party, "region": region}
    if len(dates) == 2 and len(known_at) <= 1:
        d = tl.diff(dates[0], dates[1], known_at[0] if known_at else None, n, **kw)
    elif len(dates) == 1 and len(known_at) == 2:
        d = tl.diff_known(dates[0], known_at[0], known_at[1], n, **kw)
    else:
        raise TimelineError("give two dates (diff A B [--known-at K]) or one date and two cut-offs "
                            "(diff D --known-at K1 --known-at K2)")
    if fmt == "csv":
        click.echo(to_csv(_diff_rows(d), DIFF_COLUMNS), nl=False)
        return
    _emit(fmt, d.to_data(), lambda: render_diff(d), _diff_values(d))


@main.command()
@click.argument("claim_id")
@click.option("--reason", help="Why the claim is withdrawn (required).")
@format_option("text", "json")
@click.pass_context
def retract(ctx: click.Context, claim_id: str, reason: str | None, fmt: str) -> None:
    """Withdraw a claim: append a ClaimRetracted (the claim stays in the log).

    CLAIM_ID is the id or a unique prefix of at least 6 characters. The claim
    leaves every state from the retraction's log position on; `asof
    --position` before it still shows the old picture.

    Example:

        timeline retract 5e80a29fa0c8 --reason "misread: the figure is for Donetsk"
    """
    result = timeline_of(ctx).retract(claim_id, reason or "")
    emit(fmt, result, lambda: f"retracted {result['claim_id'][:12]} at position {result['position']}: {result['reason']}")
