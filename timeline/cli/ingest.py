"""`timeline ingest` and `import-tally`: what becomes events."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click

from timeline.cli.common import DATE, PROGRESS_THRESHOLD, emit, format_option, note, one_line, timeline_of
from timeline.cli.review import reviewer_option
from timeline.errors import TimelineError
from timeline.formats.jsontext import to_json


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--published", type=DATE, help="Publication date of a single article (YYYY-MM-DD).")
@click.option("--outlet", help="Outlet of a single article.")
@click.option("--title", help="Title of a single article.")
@click.option("--url", help="URL of a single article.")
@click.option("--update-metadata", "update", is_flag=True,
              help="Read each folder's manifest.csv again: correct the metadata of the articles already in the log "
                   "where it now says otherwise (ArticleMetadataCorrected events; needs --reviewer).")
@click.option("--note", "why", default="", help="With --update-metadata: why, recorded with each correction.")
@reviewer_option
@format_option("text", "json")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...], published: dt.date | None, outlet: str | None,
           title: str | None, url: str | None, update: bool, why: str, reviewer: str | None, fmt: str) -> None:
    """Read articles (files or folders) into the log, one transaction per article.

    Metadata comes from a manifest.csv beside the files (columns file,
    published, outlet, title, url) or, for a single file, from the options.
    A manifest.csv given among the files (as `folder/*` lists it) is not an
    article: it is passed over with a note, as the folder passes it over.
    Re-ingesting the same bytes appends nothing. Exit 2 when any file could
    not be read; the others are still ingested. After a manifest is fixed,
    --update-metadata records a correction (an event, never an edit) for each
    article already in the log whose row now says otherwise; see also
    `timeline correct-article`.

    Example:

        timeline ingest seeds/

        timeline ingest article.txt --published 2024-11-23 --outlet Reuters

        timeline ingest articles/ --update-metadata --reviewer "A. Analyst" --note "manifest fixed"
    """
    options = {"published": published, "outlet": outlet, "title": title, "url": url}
    if any(v is not None for v in options.values()) and (len(paths) != 1 or Path(paths[0]).is_dir()):
        raise TimelineError("--published/--outlet/--title/--url apply to a single file; use a manifest.csv for folders")
    if update and any(v is not None for v in options.values()):
        raise TimelineError("--update-metadata reads the folders' manifests; it takes no --published/--outlet/--title/--url")
    tl = timeline_of(ctx, must_exist=False)
    corrected = tl.update_metadata(paths, reviewer=reviewer, note=why) if update else None
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
        click.echo(to_json(report.to_data() if corrected is None else {**report.to_data(), "corrected": corrected}))
    else:
        if corrected is not None:
            from timeline.cli.articles import receipt_text

            for r in corrected:
                click.echo(receipt_text(r))
            click.echo(f"{len(corrected)} articles corrected from their manifests")
        for f in report.files:
            for w in f.warnings:
                note(f"{f.file}: {w}")
            if f.status == "error":
                click.echo(one_line(f"Error: {f.file}: {f.message}"), err=True)
            elif f.status == "skipped":
                note(f"{f.file}: {f.message}")
        click.echo(
            f"{report.new} articles new, {report.present} already present, "
            f"{report.claims_appended} claims appended" + (f", {len(report.errors)} files rejected" if report.errors else "")
        )
    if report.errors:
        sys.exit(2)


@click.command("import-tally")
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
    if report.unmatched:
        note(f"{report.unmatched} corrected claims are not in the log: they count once the tally they correct is"
             " imported (timeline import-tally on its folder)")
    emit(fmt, {"appended": report.appended, "skipped": report.skipped, "unmatched": report.unmatched},
         lambda: f"imported {report.appended} events from the tally ({report.skipped} already present)")
