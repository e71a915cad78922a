"""`timeline history` and `timeline chart`: a series over valid time, as rows or as a picture."""

from __future__ import annotations

from pathlib import Path

import click

from timeline.cli.common import format_option, note, parse_position, timeline_of, wide_option, width_of
from timeline.errors import TimelineError
from timeline.formats.jsontext import to_json
from timeline.formats.table import to_csv
from timeline.formats.text import printable
from timeline.outfile import write_regular

KNOWN_AT = click.option("--known-at", "known_at", metavar="DATE|latest", default="latest", show_default=True,
                        help="Only claims published by then: what a reader knew on that day.")
FROM = click.option("--from", "start", metavar="DATE", help="Only valid dates on or after DATE.")
TO = click.option("--to", "end", metavar="DATE", help="Only valid dates on or before DATE.")
POSITION = click.option("--position", metavar="N", help="Replay only the first N events of the log.")


@click.command()
@click.argument("metric")
@click.argument("party", required=False)
@click.argument("region", required=False)
@KNOWN_AT
@FROM
@TO
@POSITION
@format_option("table", "json", "csv", "parquet", "timelinejs")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE (required for parquet).")
@click.option("--reviewed", is_flag=True, help="Count only claims a person confirmed, entered or corrected.")
@wide_option
@click.pass_context
def history(ctx: click.Context, metric: str, party: str | None, region: str | None, known_at: str,
            start: str | None, end: str | None, position: str | None, fmt: str, output: str | None,
            reviewed: bool, wide: bool) -> None:
    """Every claim of a series in valid-time order, and the value chosen at each date.

    One row per claim: its valid date or window, figure and interval,
    claimant, outlet, report date, claim id, whether it was the value `asof`
    gives at its date (or the tie rule it lost by), the claims it competed
    with, and whether it was retracted or corrected. A METRIC of the log
    names its series alone (area.controlled, not area.controlled.peak); a
    family (troops, losses.equipment) or a wildcard (area.*) names several.
    REGION is a canonical name or an alias ('Kursk oblast'); '-' means no
    region. --format parquet writes the claims for pandas, polars or DuckDB
    (needs the 'parquet' extra); timelinejs writes TimelineJS JSON for a
    newsroom's embed.

    Example:

        timeline history troops.deployed KP Kursk

        timeline history losses.personnel.killed RU Ukraine --from 2023-01-01 --format csv
    """
    from timeline.formats import history as out

    if output is not None and not Path(output).parent.is_dir():
        raise TimelineError(f"{Path(output).parent}: no such directory")
    h = timeline_of(ctx).history(metric, party, region, known_at=known_at, start=start, end=end,
                                 position=parse_position(position), reviewed=reviewed)
    if not h.rows and not h.steps:
        named = " ".join(x for x in (metric, party, region) if x)
        raise TimelineError(f"no claims of {named} are dated in the range asked, known at {known_at}: the history is empty")
    if fmt == "parquet":
        if output is None:
            raise TimelineError("--format parquet writes a file: give -o FILE.parquet")
        out.write_parquet(h, output)
        note(f"wrote {len(h.rows)} claims to {output}")
        return
    if fmt == "json":
        text = to_json(h.to_data())
    elif fmt == "timelinejs":
        text = to_json(out.timelinejs(h))
    elif fmt == "csv":
        text = to_csv(out.csv_rows(h), out.CSV_COLUMNS)
    else:
        text = printable(out.render_history(h, width_of(wide) if output is None else None))
    if output is None:
        click.echo(text, nl=fmt != "csv")
        return
    body = text if text.endswith("\n") else text + "\n"
    write_regular(output, lambda f: f.write(body))
    note(f"wrote {len(h.rows)} claims to {output}")


@click.command()
@click.argument("series", nargs=-1, required=True, metavar="SERIES...")
@click.option("-o", "--output", required=True, type=click.Path(), help="The chart file: .svg or .png.")
@KNOWN_AT
@FROM
@TO
@POSITION
@click.option("--title", help="A title of your own (default: the series).")
@format_option("text", "json")
@click.pass_context
def chart(ctx: click.Context, series: tuple[str, ...], output: str, known_at: str, start: str | None,
          end: str | None, position: str | None, title: str | None, fmt: str) -> None:
    """Draw series over valid time: the chosen value as steps, every claim as a point.

    SERIES is metric[:party[:region]] (losses.personnel.killed:RU:Ukraine),
    the metric as in `history`; several series share one chart. Points are coloured by claimant, hollow
    when a claim lost a tie, an x when it was retracted or corrected; bands
    and error bars show the interval a qualifier implies. --known-at draws
    what a reader knew on that day.

    Example:

        timeline chart losses.personnel.killed:RU:Ukraine -o killed.png

        timeline chart troops.deployed:KP troops.deployed:RU:Kursk -o troops.svg --known-at 2024-11-10
    """
    path = timeline_of(ctx).chart(list(series), output, known_at=known_at, start=start, end=end,
                                  position=parse_position(position), title=title)
    if fmt == "json":
        click.echo(to_json({"chart": str(path), "series": list(series)}))
    else:
        note(f"wrote {path}")


@click.command()
@click.option("-o", "--output", required=True, type=click.Path(), help="The folder to write the site into.")
@click.option("--asof", "as_of", metavar="DATE", help="The state shown (default: the latest valid date in the log).")
@click.option("--from", "since", metavar="DATE", help="The changes page compares DATE with --asof (default: 30 days before).")
@KNOWN_AT
@format_option("text", "json")
@click.pass_context
def report(ctx: click.Context, output: str, as_of: str | None, since: str | None, known_at: str, fmt: str) -> None:
    """Write a static HTML report that opens from disk: no server, no network.

    An index of the state as of --asof by section, a page per series (its
    chart, its claims with the quoted sentence and the figure marked, what
    competed and why it lost, corrections and retractions), the changes
    since --from, the check findings, and a search over every claim.

    Example:

        timeline report -o report/

        timeline report -o report/ --asof 2024-11-23 --from 2024-11-01
    """
    built = timeline_of(ctx).report(output, as_of=as_of, since=since, known_at=known_at)
    if fmt == "json":
        click.echo(to_json(built.to_data()))
    else:
        note(f"wrote {built.pages} pages ({built.values} values, {built.series} series, {built.claims} claims) "
             f"to {built.path}/index.html")
