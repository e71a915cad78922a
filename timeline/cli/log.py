"""`timeline log`, `verify`, `export`, `import` and `rebuild`: the log itself."""

from __future__ import annotations

import sys
from typing import Any

import click

from timeline.cli.common import emit, format_option, note, timeline_of, wide_option, width_of
from timeline.errors import TimelineError
from timeline.formats.jsontext import to_json
from timeline.formats.claims import render_log


@click.command("log")
@format_option("table", "json")
@click.option("--limit", type=click.IntRange(min=1), help="Show only the first N events.")
@wide_option
@click.pass_context
def log_cmd(ctx: click.Context, fmt: str, limit: int | None, wide: bool) -> None:
    """List the events of the log: position, type, id and a summary.

    Example:

        timeline log --limit 10
    """
    rows = timeline_of(ctx).log(limit)
    emit(fmt, rows, lambda: render_log(rows, width_of(wide)))


@click.command()
@click.option("--deep", is_flag=True, help="Also fold the events again and compare every read-model table with the log's.")
@format_option("text", "json")
@click.pass_context
def verify(ctx: click.Context, deep: bool, fmt: str) -> None:
    """Recompute the hash chain; exit 1 at the first altered or missing event.

    With --deep, also hold the read models (the tables `asof` answers from)
    equal to a fresh fold of the events, and name each table that differs.

    Example:

        timeline verify --deep
    """
    tl = timeline_of(ctx)
    report = tl.verify()
    audit = tl.audit() if deep and report.ok else None
    data = {
        "ok": report.ok and (audit is None or audit.ok),
        "events": report.count,
        "head": report.head,
        "problem": None if report.ok else {"position": report.problem.position, "message": report.problem.message},
    }
    if audit is not None:
        data["read_models"] = {"ok": audit.ok, "tables": list(audit.tables),
                               "differences": [{"table": d.table, "missing": d.missing, "extra": d.extra,
                                                "first": d.first, "message": d.message} for d in audit.differences]}
    if fmt == "json":
        click.echo(to_json(data))
    elif not report.ok:
        click.echo(f"verification failed at position {report.problem.position}: {report.problem.message}", err=True)
    elif audit is not None and not audit.ok:
        for d in audit.differences:
            click.echo(f"read model check failed: {d.message}", err=True)
        click.echo("the events verify: `timeline rebuild` folds the read models from them again", err=True)
    else:
        tables = f"; the read models equal a fold of the events ({len(audit.tables)} tables)" if audit else ""
        click.echo(f"verified {report.count} events (head {report.head[:16]}){tables}")
    if not data["ok"]:
        sys.exit(1)


@click.command()
@format_option("jsonl")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to FILE instead of stdout.")
@click.pass_context
def export(ctx: click.Context, fmt: str, output: str | None) -> None:
    """Write the whole log as JSON Lines, hash chain included.

    Example:

        timeline export -o log.jsonl
    """
    tl = timeline_of(ctx)
    if output is None:
        tl.export(sys.stdout)
        return
    from timeline.outfile import check_target, write_regular

    check_target(output)  # before the log is read
    n = write_regular(output, tl.export)
    note(f"exported {n} events to {output}")


@click.command("import")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--no-end-line", "no_end", is_flag=True,
              help="Take an export without its end line (written before exports had one); a cut-short one looks the same.")
@format_option("text", "json")
@click.pass_context
def import_cmd(ctx: click.Context, file: Any, no_end: bool, fmt: str) -> None:
    """Append the events of a JSONL export that the log lacks.

    The whole file is checked first (every line, the hash chain, and the end
    line that counts the events and names the last one's hash, so that an
    export cut short is refused); a bad file appends nothing. Importing the
    same file twice appends nothing the second time.

    Example:

        timeline --log copy.sqlite import log.jsonl
    """
    try:
        report = timeline_of(ctx, must_exist=False).import_jsonl(file, getattr(file, "name", "input"),
                                                                 require_end=not no_end)
    except UnicodeDecodeError:
        raise TimelineError(f"{file.name}: not UTF-8 text") from None
    emit(fmt, {"appended": report.appended, "skipped": report.skipped},
         lambda: f"imported {report.appended} events ({report.skipped} already present)")


@click.command()
@format_option("text", "json")
@click.pass_context
def rebuild(ctx: click.Context, fmt: str) -> None:
    """Drop the read models and rebuild them from the log.

    Example:

        timeline rebuild
    """
    position = timeline_of(ctx).rebuild()
    emit(fmt, {"rebuilt": True, "position": position}, lambda: f"rebuilt read models from {position} events")
