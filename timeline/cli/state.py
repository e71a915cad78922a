"""`timeline asof` and `timeline diff`: the state as of a date, and what changed between two."""

from __future__ import annotations

from typing import Any

import click

from timeline.cli.common import format_option, parse_position, timeline_of, wide_option, width_of
from timeline.errors import TimelineError
from timeline.formats.text import printable
from timeline.formats.jsontext import fast_json
from timeline.formats.state import (
    ASOF_CSV,
    DIFF_COLUMNS,
    diff_csv_rows,
    diff_values,
    render_diff,
    render_state,
    state_csv_rows,
)
from timeline.formats.table import to_csv


def _emit(fmt: str, data: Any, text: Any, values: Any) -> None:
    click.echo(fast_json(data, values) if fmt == "json" else printable(text()))


def _filters(f: Any) -> Any:
    f = click.option("--region", help="Only this region (a canonical name or an alias: Kursk, 'Kursk oblast').")(f)
    f = click.option("--party", help="Only this party (ISO code: RU, UA, KP, ...).")(f)
    f = click.option("--metric", help="Only this metric or family (troops, losses.personnel.*).")(f)
    f = click.option("--reviewed", is_flag=True,
                     help="Count only claims a person confirmed, entered or corrected (timeline review).")(f)
    return f


@click.command()
@click.argument("date")
@click.option("--known-at", "known_at", metavar="DATE|latest", default="latest", show_default=True,
              help="Report-time cut-off: only claims published by then (latest: every report in the log).")
@click.option("--position", metavar="N", help="Replay only the first N events of the log.")
@_filters
@format_option("table", "json", "csv")
@wide_option
@click.pass_context
def asof(ctx: click.Context, date: str, known_at: str, position: str | None, reviewed: bool, metric: str | None,
         party: str | None, region: str | None, fmt: str, wide: bool) -> None:
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
    snapshot = timeline_of(ctx).at(date, known_at, parse_position(position), metric=metric, party=party,
                                   region=region, reviewed=reviewed)
    state = snapshot.shown  # reported and derived values (projections.derive), derived ones marked "derived": true
    if fmt == "csv":
        click.echo(to_csv(state_csv_rows(state), ASOF_CSV), nl=False)
        if state.note:
            click.echo(state.note, err=True)
        return
    _emit(fmt, state.to_data(), lambda: render_state(state, width_of(wide), wide), state.values)


@click.command()
@click.argument("dates", nargs=-1, required=True, metavar="A [B]")
@click.option("--known-at", "known_at", multiple=True, metavar="DATE|latest",
              help="Report-time cut-off; give it twice, with one date, to compare two cut-offs.")
@click.option("--position", metavar="N", help="Replay only the first N events of the log.")
@_filters
@format_option("table", "json", "csv")
@wide_option
@click.pass_context
def diff(ctx: click.Context, dates: tuple[str, ...], known_at: tuple[str, ...], position: str | None,
         reviewed: bool, metric: str | None, party: str | None, region: str | None, fmt: str, wide: bool) -> None:
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
    kw = {"metric": metric, "party": party, "region": region, "reviewed": reviewed}
    if len(dates) == 2 and len(known_at) <= 1:
        d = tl.diff(dates[0], dates[1], known_at[0] if known_at else None, n, **kw)
    elif len(dates) == 1 and len(known_at) == 2:
        d = tl.diff_known(dates[0], known_at[0], known_at[1], n, **kw)
    else:
        raise TimelineError("give two dates (diff A B [--known-at K]) or one date and two cut-offs "
                            "(diff D --known-at K1 --known-at K2)")
    if fmt == "csv":
        click.echo(to_csv(diff_csv_rows(d), DIFF_COLUMNS), nl=False)
        return
    _emit(fmt, d.to_data(), lambda: render_diff(d, width_of(wide)), diff_values(d))
