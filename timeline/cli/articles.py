"""`timeline correct-article`: correct an article's metadata, as an event (thin over Timeline.correct_article)."""

from __future__ import annotations

import click

from timeline.cli.common import emit, format_option, timeline_of
from timeline.cli.review import reviewer_option
from timeline.formats.text import printable


def receipt_text(r: dict) -> str:
    """One line per correction: the article, each field from and to, who and the position."""
    fields = "; ".join(f"{k} {_shown(c['from'])} -> {_shown(c['to'])}" for k, c in r["changes"].items())
    at = f" at position {r['position']}" if r.get("position") else ""
    return printable(f"corrected {r['file']} ({r['article_id'][:12]}): {fields}; by {r['reviewer']}{at}")


def _shown(value: object) -> str:
    return "(none)" if value is None else str(value)


@click.command("correct-article")
@click.argument("article")
@click.option("--outlet", help="The outlet the article appeared in.")
@click.option("--title", help="The article's title.")
@click.option("--url", help="The article's URL.")
@click.option("--published", help="The article's publication date (YYYY-MM-DD).")
@click.option("--note", default="", help="Why: recorded with the correction.")
@reviewer_option
@format_option("text", "json")
@click.pass_context
def correct_article(ctx: click.Context, article: str, outlet: str | None, title: str | None, url: str | None,
                    published: str | None, note: str, reviewer: str | None, fmt: str) -> None:
    """Correct an article's metadata: a new event, the article's own never edited.

    ARTICLE is an article id, a unique prefix of one (6 characters or more),
    or the file name it was ingested under. From this event's position on, the
    article has the fields given (the others stay as they are) wherever it is
    shown, and its claims' report dates and outlets follow, where they were the
    article's; their valid dates stay as recorded. `--position` before the
    correction still answers with the old metadata.

    Example:

    \b
        timeline correct-article kursk.txt --published 2024-11-23 --outlet Reuters \\
            --note "manifest had the wire's date" --reviewer "A. Analyst"
        timeline correct-article 5e80a29fa0c8 --title "Ukraine holds 800 km2 in Kursk" --format json
    """
    r = timeline_of(ctx).correct_article(article, outlet=outlet, title=title, url=url, published=published,
                                         note=note, reviewer=reviewer)
    emit(fmt, r, lambda: receipt_text(r))
