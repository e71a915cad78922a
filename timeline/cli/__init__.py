"""The `timeline` command: a thin click layer over timeline.Timeline.

This module builds the group and adds each command from the module that
holds it; commands are wiring only (parse options, call the API, hand the
answer to timeline.formats). Every command prints a table or text for people
and `--format json` for programs; bad input is one line on stderr and exit
code 2. A new command is a module here and one line in COMMANDS below.

A command's module is imported when the command is run (or listed by
--help), not when the group is: `timeline asof` starts without importing
the review, ingest or history commands and what they import.
"""

from __future__ import annotations

import click

from timeline.api import DEFAULT_LOG
from timeline.cli.common import CONTEXT, Group, LogHandle

# command name -> (module under timeline.cli, the click command's name there)
COMMANDS = {
    "log": ("log", "log_cmd"),
    "verify": ("log", "verify"),
    "export": ("log", "export"),
    "import": ("log", "import_cmd"),
    "rebuild": ("log", "rebuild"),
    "ingest": ("ingest", "ingest"),
    "import-tally": ("ingest", "import_tally"),
    "correct-article": ("articles", "correct_article"),
    "claims": ("claims", "claims"),
    "asof": ("state", "asof"),
    "diff": ("state", "diff"),
    "retract": ("retract", "retract"),
    "review": ("review", "review"),
    "add": ("review", "add"),
    "explain": ("provenance", "explain"),
    "check": ("provenance", "check"),
    "graph": ("provenance", "graph"),
    "init-db": ("server", "init_db"),
    "copy": ("server", "copy"),
    "history": ("history", "history"),
    "chart": ("history", "chart"),
    "report": ("history", "report"),
}


@click.group("timeline", cls=Group, context_settings=CONTEXT, lazy=COMMANDS)
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
    from timeline.outfile import guarding

    handle = LogHandle(log_path)
    ctx.obj = handle
    ctx.call_on_close(handle.close)
    ctx.with_resource(guarding(handle.path))  # no output file is written over the log


__all__ = ["main"]
