"""The `timeline` command: a thin click layer over timeline.Timeline.

This module builds the group and adds each command from the module that
holds it; commands are wiring only (parse options, call the API, hand the
answer to timeline.formats). Every command prints a table or text for people
and `--format json` for programs; bad input is one line on stderr and exit
code 2. A new command is a module here and one `add_command` line below.
"""

from __future__ import annotations

import click

from timeline.api import DEFAULT_LOG
from timeline.cli import articles, claims, history, ingest, log, provenance, retract, review, server, state
from timeline.cli.common import CONTEXT, Group, LogHandle


@click.group("timeline", cls=Group, context_settings=CONTEXT)
@click.option(
    "--log", "log_path", envvar="TIMELINE_LOG", type=click.Path(dir_okay=False), default=None,
    help=f"The event log: an SQLite file or a PostgreSQL URL (postgresql://user@host:port/db). Env: TIMELINE_LOG."
    f" Default: ./{DEFAULT_LOG}, built from the bundled seeds when missing.",
)
@click.version_option(package_name="timeline", prog_name="timeline")
@click.pass_context
def main(ctx: click.Context, log_path: str | None) -> None:
    """An auditable timeline of claims from war reporting.

    Articles are read into an append-only, hash-chained event log of claims;
    projections rebuild the claimed picture as of any date.

    Example:

        timeline asof 2024-11-23
    """
    handle = LogHandle(log_path)
    ctx.obj = handle
    ctx.call_on_close(handle.close)


main.add_command(log.log_cmd)
main.add_command(log.verify)
main.add_command(log.export)
main.add_command(log.import_cmd)
main.add_command(log.rebuild)
main.add_command(ingest.ingest)
main.add_command(ingest.import_tally)
main.add_command(articles.correct_article)
main.add_command(claims.claims)
main.add_command(state.asof)
main.add_command(state.diff)
main.add_command(retract.retract)
main.add_command(review.review)
main.add_command(review.add)
main.add_command(provenance.explain)
main.add_command(provenance.check)
main.add_command(provenance.graph)
main.add_command(server.init_db)
main.add_command(server.copy)
main.add_command(history.history)
main.add_command(history.chart)
main.add_command(history.report)

__all__ = ["main"]
