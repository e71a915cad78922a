"""The `timeline` command: a thin click layer over timeline.Timeline.

Every command prints a table or text for people and `--format json` for
programs; bad input is one line on stderr and exit code 2.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from events.store import StoreError
from timeline.api import DEFAULT_LOG, Timeline
from timeline.errors import TimelineError
from timeline.render import table, to_csv, to_json

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
PROGRESS_THRESHOLD = 20


class Group(click.Group):
    """Turns every expected failure into one line and exit code 2."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        """Click's own usage errors, also in one line (click prints a usage block by default)."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as err:
            where = err.ctx.command_path if err.ctx is not None else "timeline"
            click.echo(f"Error: {err.format_message()} (see `{where} --help`)", err=True)
            sys.exit(2)
        except click.ClickException as err:
            click.echo(f"Error: {err.format_message()}", err=True)
            sys.exit(err.exit_code)
        except click.Abort:
            click.echo("Aborted.", err=True)
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (StoreError, TimelineError) as err:
            fail(str(err))
        except sqlite3.DatabaseError as err:
            fail(f"the log is not usable: {err}")
        except OSError as err:
            fail(f"{getattr(err, 'filename', None) or 'I/O'}: {err.strerror or err}")
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as err:  # a bug: one line for users, the traceback on request
            if os.environ.get("TIMELINE_DEBUG"):
                raise
            fail(f"internal error: {type(err).__name__}: {err} (set TIMELINE_DEBUG=1 for the traceback)", 1)


def fail(message: str, code: int = 2) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


def note(message: str) -> None:
    click.echo(f"timeline: {message}", err=True)


class LogHandle:
    """Opens the log on first use; builds the default log from the bundled seeds if it is missing."""

    def __init__(self, path: str | None) -> None:
        self.explicit = path is not None
        self.path = Path(path if path is not None else DEFAULT_LOG)
        self._tl: Timeline | None = None

    def open(self, *, must_exist: bool = True) -> Timeline:
        if self._tl is None:
            if not self.path.exists() and not self.explicit:
                self._tl = bootstrap(self.path)
            else:
                self._tl = Timeline(self.path, create=not must_exist or not self.explicit)
        return self._tl

    def close(self) -> None:
        if self._tl is not None:
            self._tl.close()


def bootstrap(path: Path) -> Timeline:
    from timeline.seeds import bundled_seeds

    tl = Timeline(path)
    report = tl.ingest([bundled_seeds()])
    note(f"no log at {path}: built it from the {report.new} bundled seed articles ({report.claims_appended} claims)")
    return tl


def timeline_of(ctx: click.Context, must_exist: bool = True) -> Timeline:
    return ctx.find_object(LogHandle).open(must_exist=must_exist)


def format_option(*choices: str, default: str | None = None) -> Callable:
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default=default or choices[0], show_default=True,
        help="Output format.",
    )


def emit(fmt: str, data: Any, text: Callable[[], str]) -> None:
    click.echo(to_json(data) if fmt == "json" else text())


class Date(click.ParamType):
    """An ISO date, with a message that says what is valid."""

    name = "DATE"

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not a valid date (expected YYYY-MM-DD, e.g. 2024-11-23)", param, ctx)


DATE = Date()


def parse_position(text: str | None) -> int | None:
    """A --position value; taken as text so that a bad one is a one-line error, not a usage block."""
    if text is None:
        return None
    if not text.strip().isdigit():
        raise TimelineError(f"--position {text!r} is not a log position (expected a whole number, 0 or more)")
    return int(text)


@click.group("timeline", cls=Group, context_settings=CONTEXT)
@click.option(
    "--log", "log_path", envvar="TIMELINE_LOG", type=click.Path(dir_okay=False), default=None,
    help=f"The event log (SQLite). Env: TIMELINE_LOG. Default: ./{DEFAULT_LOG}, built from the bundled seeds when missing.",
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


@main.command("log")
@format_option("table", "json")
@click.option("--limit", type=click.IntRange(min=1), help="Show only the first N events.")
@click.pass_context
def log_cmd(ctx: click.Context, fmt: str, limit: int | None) -> None:
    """List the events of the log: position, type, id and a summary.

    Example:

        timeline log --limit 10
    """
    rows = timeline_of(ctx).log(limit)
    for r in rows:
        r["short_id"] = r["id"][:12]
    emit(fmt, [{k: v for k, v in r.items() if k != "short_id"} for r in rows],
         lambda: table(rows, ["position", "type", "short_id", "summary"], ["POS", "TYPE", "ID", "SUMMARY"]))


@main.command()
@format_option("text", "json")
@click.pass_context
def verify(ctx: click.Context, fmt: str) -> None:
    """Recompute the hash chain; exit 1 at the first altered or missing event.

    Example:

        timeline verify
    """
    report = timeline_of(ctx).verify()
    data = {
        "ok": report.ok,
        "events": report.count,
        "head": report.head,
        "problem": None if report.ok else {"position": report.problem.position, "message": report.problem.message},
    }
    if fmt == "json":
        click.echo(to_json(data))
    elif report.ok:
        click.echo(f"verified {report.count} events (head {report.head[:16]})")
    else:
        click.echo(f"verification failed at position {report.problem.position}: {report.problem.message}", err=True)
    if not report.ok:
        sys.exit(1)


@main.command()
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
    tmp = Path(output + ".part")
    try:
        with tmp.open("w", encoding="utf-8") as f:
            n = tl.export(f)
        os.replace(tmp, output)
    finally:
        tmp.unlink(missing_ok=True)
    note(f"exported {n} events to {output}")


@main.command("import")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@format_option("text", "json")
@click.pass_context
def import_cmd(ctx: click.Context, file: Any, fmt: str) -> None:
    """Append the events of a JSONL export that the log lacks.

    The whole file is checked first (every line, the hash chain); a bad file
    appends nothing. Importing the same file twice appends nothing the second time.

    Example:

        timeline --log copy.sqlite import log.jsonl
    """
    try:
        report = timeline_of(ctx, must_exist=False).import_jsonl(file, getattr(file, "name", "input"))
    except UnicodeDecodeError:
        raise TimelineError(f"{file.name}: not UTF-8 text") from None
    emit(fmt, {"appended": report.appended, "skipped": report.skipped},
         lambda: f"imported {report.appended} events ({report.skipped} already present)")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--published", type=DATE, help="Publication date of a single article (YYYY-MM-DD).")
@click.option("--outlet", help="Outlet of a single article.")
@click.option("--title", help="Title of a single article.")
@click.option("--url", help="URL of a single article.")
@format_option("text", "json")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...], published: dt.date | None, outlet: str | None,
           title: str | None, url: str | None, fmt: str) -> None:
    """Read articles (files or folders) into the log, one transaction per article.

    Metadata comes from a manifest.csv beside the files (columns file,
    published, outlet, title, url) or, for a single file, from the options.
    Re-ingesting the same bytes appends nothing. Exit 2 when any file could
    not be read; the others are still ingested.

    Example:

        timeline ingest seeds/

        timeline ingest article.txt --published 2024-11-23 --outlet Reuters
    """
    options = {"published": published, "outlet": outlet, "title": title, "url": url}
    if any(v is not None for v in options.values()) and (len(paths) != 1 or Path(paths[0]).is_dir()):
        raise TimelineError("--published/--outlet/--title/--url apply to a single file; use a manifest.csv for folders")
    tl = timeline_of(ctx, must_exist=False)
    bar = None

    def advance(_result: Any, total: int) -> None:
        nonlocal bar
        if bar is None and total >= PROGRESS_THRESHOLD and fmt == "text":
            bar = click.progressbar(length=total, label="ingesting", file=sys.stderr)
            bar.__enter__()
        if bar is not None:
            bar.update(1)

    try:
        report = tl.ingest(paths, progress=advance, **options)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if fmt == "json":
        click.echo(to_json(report.to_data()))
    else:
        for f in report.files:
            for w in f.warnings:
                note(f"{f.file}: {w}")
            if f.status == "error":
                click.echo(f"Error: {f.file}: {f.message}", err=True)
        click.echo(
            f"{report.new} articles new, {report.present} already present, "
            f"{report.claims_appended} claims appended" + (f", {len(report.errors)} files rejected" if report.errors else "")
        )
    if report.errors:
        sys.exit(2)


@main.command("import-tally")
@click.argument("path", type=click.Path(exists=True))
@format_option("text", "json")
@click.pass_context
def import_tally(ctx: click.Context, path: str, fmt: str) -> None:
    """Import Ukraine's General Staff daily loss tally (a folder of its JSON files).

    Every row and column becomes a claim with the dataset row as its evidence;
    correction rows become ClaimCorrected events. Importing twice appends nothing.

    Example:

        timeline import-tally ../shared/data/russia-losses/
    """
    report = timeline_of(ctx, must_exist=False).import_tally(path)
    emit(fmt, {"appended": report.appended, "skipped": report.skipped},
         lambda: f"imported {report.appended} events from the tally ({report.skipped} already present)")


CLAIM_COLUMNS = ["article", "metric", "party", "region", "qualifier", "value", "unit", "when", "claimant", "quote"]
CSV_COLUMNS = ["article", "id", "metric", "party", "region", "value", "low", "high", "qualifier", "unit", "as_of",
               "period", "claimant", "outlet", "quote", "span", "rule", "retracted"]


@main.command()
@click.option("--article", help="Only claims from this article (file name or id).")
@click.option("--metric", help="Only this metric or family (losses, losses.personnel.*).")
@format_option("table", "json", "csv")
@click.pass_context
def claims(ctx: click.Context, article: str | None, metric: str | None, fmt: str) -> None:
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
        from timeline.views import when_of_row

        shown = [dict(r, when=when_of_row(r), quote=_clip(r["quote"], 50)) for r in rows]
        click.echo(table(shown, CLAIM_COLUMNS) if rows else "no claims")


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


@main.command()
@format_option("text", "json")
@click.pass_context
def rebuild(ctx: click.Context, fmt: str) -> None:
    """Drop the read models and rebuild them from the log.

    Example:

        timeline rebuild
    """
    position = timeline_of(ctx).rebuild()
    emit(fmt, {"rebuilt": True, "position": position}, lambda: f"rebuilt read models from {position} events")


from timeline import cli_commands  # noqa: E402,F401  (registers the question commands)
