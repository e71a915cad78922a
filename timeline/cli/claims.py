"""`timeline claims`: every reported claim with its evidence."""

from __future__ import annotations

import click

from timeline.cli.common import format_option, timeline_of, wide_option, width_of
from timeline.formats.claims import CSV_COLUMNS, render_claims
from timeline.formats.text import printable
from timeline.formats.jsontext import to_json
from timeline.formats.table import to_csv


@click.command()
@click.option("--article", help="Only claims from this article (file name or id).")
@click.option("--metric", help="Only this metric or family (losses, losses.personnel.*).")
@format_option("table", "json", "csv")
@wide_option
@click.pass_context
def claims(ctx: click.Context, article: str | None, metric: str | None, fmt: str, wide: bool) -> None:
    """List the reported claims with their evidence.

    Example:

        timeline claims --metric troops --format json
    """
    rows = timeline_of(ctx).claims(article=article, metric=metric)
    if fmt == "json":
        click.echo(to_json(rows))
    elif fmt == "csv":
        click.echo(to_csv(rows, CSV_COLUMNS), nl=False)
    else:
        click.echo(printable(render_claims(rows, width_of(wide), wide)))
