"""`timeline init-db` and `timeline copy`: a shared PostgreSQL log, and moving a log between backends."""

from __future__ import annotations

import click

from timeline.cli.common import emit, format_option
from timeline.errors import TimelineError


@click.command("init-db")
@click.option("--writer", default="timeline_writer", show_default=True,
              help="Group role that may append (INSERT, SELECT on the log; its read models).")
@click.option("--reader", default="timeline_reader", show_default=True, help="Group role that may only read (SELECT).")
@format_option("text", "json")
@click.pass_context
def init_db(ctx: click.Context, writer: str, reader: str, fmt: str) -> None:
    """Create a shared log in a PostgreSQL database (or schema), and its writer and reader roles.

    Run it once, as the database's owner; run it again to grant the roles on
    a log made before. Then make people members of a role, in psql:
    CREATE ROLE alice LOGIN PASSWORD '...' IN ROLE timeline_writer.

    Example:

        timeline --log postgresql://owner@db.example/newsroom init-db
    """
    from events.pg_store import init_db as create, is_url
    from projections.pg_readmodel import projectors
    from timeline.cli.common import LogHandle

    handle = ctx.find_object(LogHandle)
    url = handle.raw if handle is not None else None
    if not is_url(url):
        raise TimelineError("init-db needs a PostgreSQL log: --log postgresql://user@host/db (or TIMELINE_LOG)")
    done = create(url, writer=writer, reader=reader, projectors=projectors())
    emit(fmt, {"done": done}, lambda: "\n".join(done))


@click.command("copy")
@click.option("--from", "source", required=True, metavar="LOG", help="The log to copy: an SQLite file or a postgresql:// URL.")
@click.option("--to", "destination", required=True, metavar="LOG", help="The log to copy into (empty, or a part copy of LOG).")
@format_option("text", "json")
def copy(source: str, destination: str, fmt: str) -> None:
    """Copy a whole log to another backend with the same hashes, verifying both chains.

    Example:

        timeline copy --from timeline.sqlite --to postgresql://alice@db.example/newsroom
    """
    from timeline.copying import copy_log

    report = copy_log(source, destination)
    emit(fmt, report.to_data(), lambda: (
        f"copied {report.copied} of {report.events} events from {report.source} to {report.destination};"
        f" both verify to head {report.head[:16]}"))
