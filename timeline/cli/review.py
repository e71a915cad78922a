"""`timeline review` (the review queue, verdicts, spreadsheets, status) and `timeline add` (a claim entered by hand)."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path
from typing import Any

import click

from timeline.cli.common import emit, format_option, timeline_of
from timeline.errors import TimelineError
from timeline.formats.jsontext import to_json
from timeline.formats.review import card, entered_text, receipt, status_text
from timeline.formats.table import terminal_width
from timeline.formats.text import printable
from timeline.review import EDITABLE, REVIEWER_ENV, check_field, reviewer_name, shown_field

reviewer_option = click.option(
    "--reviewer", envvar=REVIEWER_ENV, metavar="NAME",
    help=f"Who is deciding (recorded with every decision). Env: {REVIEWER_ENV}. Required to write.")


@click.command()
@click.argument("ids", nargs=-1, metavar="[ID]...")
@click.option("--confirm", "confirm", is_flag=True, help="Confirm the claims given as IDs.")
@click.option("--reject", "reject", metavar="ID", help="Reject this claim (needs --note).")
@click.option("--note", default="", help="Why: the note recorded with a verdict.")
@click.option("--export", "export_path", metavar="FILE", help="Write the queue as CSV to fill in (decision, note).")
@click.option("--apply", "apply_path", metavar="FILE", help="Record the decisions of a filled-in queue CSV.")
@click.option("--status", is_flag=True, help="Counts by verdict and reviewer; values nobody has checked.")
@reviewer_option
@format_option("text", "json")
@click.pass_context
def review(ctx: click.Context, ids: tuple[str, ...], confirm: bool, reject: str | None, note: str,
           export_path: str | None, apply_path: str | None, status: bool, reviewer: str | None, fmt: str) -> None:
    """Review what the machine read: confirm, reject, correct claims, on the record.

    Without options, an interactive queue: claims behind the values of the
    current state first, then claims that compete with them, then the rest
    (the extractor's least confident first). Each shows the sentence with the
    figure marked in its paragraph, the fields, the rule and the value it
    feeds. Keys: c confirm, r reject (asks why), e edit (field by field,
    written as a correction), s skip, b back, q quit; it resumes where you
    stopped. With --format json it prints the queue instead.

    A rejected claim never counts; a confirmed figure wins a tie at its date;
    `asof --reviewed` counts confirmed and hand-entered claims only.

    Example:

    \b
        export TIMELINE_REVIEWER="A. Analyst"
        timeline review
        timeline review --confirm 5e80a29fa0c8 0b1d2c3e4f5a
        timeline review --reject 5e80a29fa0c8 --note "the figure is for Donetsk"
        timeline review --export queue.csv
        timeline review --apply queue.csv
        timeline review --status
    """
    actions = [bool(confirm), reject is not None, export_path is not None, apply_path is not None, status]
    if sum(actions) > 1:
        raise TimelineError("give one of --confirm, --reject, --export, --apply, --status at a time")
    if ids and not confirm:
        raise TimelineError("claim ids are given with --confirm (e.g. timeline review --confirm ID ...)")
    tl = timeline_of(ctx)
    if confirm:
        rows = tl.confirm(list(ids), reviewer, note)
        emit(fmt, rows, lambda: "\n".join(receipt(r) for r in rows))
    elif reject is not None:
        row = tl.reject(reject, reviewer, note)
        emit(fmt, row, lambda: receipt(row))
    elif export_path is not None:
        n = _export(tl, export_path)
        emit(fmt, {"file": export_path, "claims": n},
             lambda: f"wrote {n} claims to {export_path}: fill in decision (confirm, reject or blank) and note, "
                     f"then `timeline review --apply {export_path}`")
    elif apply_path is not None:
        rows = _apply(tl, apply_path, reviewer)
        emit(fmt, rows, lambda: "\n".join(receipt(r) for r in rows) or "no decisions in the file")
    elif status:
        data = tl.review_status()
        emit(fmt, data, lambda: status_text(data))
    elif fmt == "json":
        click.echo(to_json(tl.review_queue(reviewer_name(reviewer) if reviewer else None)))
    else:
        interactive(tl, reviewer_name(reviewer))


def _export(tl: Any, path: str) -> int:
    from timeline.outfile import write_regular

    return write_regular(path, tl.export_queue)


def _apply(tl: Any, path: str, reviewer: str | None) -> list[dict[str, Any]]:
    reviewer_name(reviewer)  # refuse before reading the file
    p = Path(path)
    if p.is_dir():
        raise TimelineError(f"{path}: is a folder; give the decisions CSV file (timeline review --export FILE)")
    if not p.is_file():
        raise TimelineError(f"{path}: no such file")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise TimelineError(f"{path}: not UTF-8 text") from None
    return tl.apply_decisions(io.StringIO(text), reviewer, p.name)


def interactive(tl: Any, who: str) -> None:
    """The queue, one claim at a time, keys read one by one; every decision is appended as it is made."""
    queue = tl.review_queue(who)
    if not queue:
        click.echo("nothing to review: every claim that counts has been reviewed")
        return
    color = sys.stdout.isatty()
    done: dict[str, int] = {"confirmed": 0, "rejected": 0, "corrected": 0, "skipped": 0}
    i = 0
    while 0 <= i < len(queue):
        item = queue[i]
        tl.mark_resume(who, item["claim_id"])
        click.echo("")
        click.echo(card(item, i + 1, len(queue), terminal_width(), color))
        key = _key()
        try:
            if key in ("c", "y"):
                click.echo(receipt(tl.confirm([item["claim_id"]], who)[0]))
                done["confirmed"] += 1
                i += 1
            elif key == "r":
                why = click.prompt("  why is it rejected", default="", show_default=False).strip()
                if not why:
                    click.echo("  not rejected: a rejection needs a note")
                    continue
                click.echo(receipt(tl.reject(item["claim_id"], who, why)))
                done["rejected"] += 1
                i += 1
            elif key == "e":
                if _edit(tl, item, who):
                    done["corrected"] += 1
                    i += 1
            elif key in ("s", "n", " "):
                done["skipped"] += 1
                i += 1
            elif key == "b":
                i = max(0, i - 1)
            elif key in ("q", "", "\x03", "\x04", "\x1b"):
                break
            else:
                click.echo(f"  keys: {KEYS_HELP}")
        except TimelineError as err:
            click.echo(printable(f"  Error: {err}"))
    if i >= len(queue):
        tl.mark_resume(who, None)
        click.echo("\nend of the queue")
    click.echo(f"confirmed {done['confirmed']}, rejected {done['rejected']}, corrected {done['corrected']}, "
               f"skipped {done['skipped']}")


KEYS_HELP = "c confirm, r reject, e edit, s skip, b back, q quit"


_TYPED: list[str] = []  # keys read from the terminal but not used yet: a reviewer may type ahead


def _terminal_keys() -> str:
    """What the terminal holds, read raw. The raw mode is entered without flushing the input (click.getchar
    flushes it, and keeps one of the keys one read returns), so keys typed ahead while a claim was written
    are kept, in order."""
    try:
        import termios
        import tty
    except ImportError:  # Windows: no termios
        return click.getchar()

    fd = sys.stdin.fileno()
    old = termios.tcgetattr(fd)
    try:
        tty.setraw(fd, termios.TCSANOW)
        data = os.read(fd, 64)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, old)
    if not data:
        raise EOFError
    return data.decode(sys.stdin.encoding or "utf-8", "replace")


def _key() -> str:
    """One key: read raw from a terminal, else the next character of the input (a pipe, a test's input)."""
    click.echo("  > ", nl=False)
    ch = "\n"
    while ch in ("\r", "\n"):  # line ends between keys (typed input, a script's lines) are not keys
        try:
            if not sys.stdin.isatty():
                ch = sys.stdin.read(1)
                continue
            if not _TYPED:
                _TYPED.extend(_terminal_keys())
            ch = _TYPED.pop(0)
            if ch in ("\x03", "\x04"):  # Ctrl-C, Ctrl-D in raw mode
                ch = "q"
        except (EOFError, KeyboardInterrupt):
            ch = "q"
    click.echo(printable(ch) if ch.isprintable() else "")
    return ch.lower()[:1]


def _edit(tl: Any, item: dict[str, Any], who: str) -> bool:
    """Field by field (Enter keeps a field); each checked as it is typed; written as a correction."""
    click.echo("  edit (Enter keeps the value shown; '-' clears a region; an empty date clears it):")
    changes: dict[str, Any] = {}
    for name in EDITABLE:
        current = shown_field(item, name)
        while True:
            text = click.prompt(f"    {name}", default=current, show_default=True)
            if text == current:
                break
            try:
                changes[name] = check_field(name, text, item["region"])
                break
            except TimelineError as err:
                click.echo(printable(f"    {err}"))
    if not changes:
        click.echo("  nothing changed")
        return False
    reason = click.prompt("  why (the correction's reason)", default="", show_default=False).strip()
    if not reason:
        click.echo("  not corrected: a correction needs a reason")
        return False
    result = tl.correct(item["claim_id"], who, reason, **changes)
    click.echo(printable(f"corrected {result['claim_id'][:12]} ({', '.join(result['changed'])}) by {who} at position "
                         f"{result['position']}: the replacement is claim {result['replacement_id'][:12]}"))
    return True


@click.command("add")
@click.option("--metric", required=True, help="A metric of the vocabulary (e.g. troops.deployed).")
@click.option("--party", required=True, help="The side the figure is about (RU, UA, KP, ...).")
@click.option("--region", help="The region (a canonical name or an alias: 'Kursk oblast').")
@click.option("--value", required=True, help="The figure as printed (7905, 1,200, 12.5).")
@click.option("--qualifier", default="exact", show_default=True, help="exact, about, over, under, up_to, nearly.")
@click.option("--as-of", "as_of", metavar="DATE", help="The date a level or running total holds at.")
@click.option("--period", metavar="A..B", help="The window a count was made over (A may be empty).")
@click.option("--claimant", help="Who made the claim.")
@click.option("--source", required=True, metavar="URL|ARTICLE",
              help="An ingested article (its file name, or its id or a prefix of it), or a URL.")
@click.option("--quote", help="The words that carry the figure.")
@click.option("--outlet", help="The outlet (required with a URL).")
@click.option("--published", metavar="DATE", help="The publication date (required with a URL).")
@reviewer_option
@format_option("text", "json")
@click.pass_context
def add(ctx: click.Context, metric: str, party: str, region: str | None, value: str, qualifier: str,
        as_of: str | None, period: str | None, claimant: str | None, source: str, quote: str | None,
        outlet: str | None, published: str | None, reviewer: str | None, fmt: str) -> None:
    """Enter a claim by hand (rule `asserted`), checked against the vocabulary.

    It is a claim like any other in states, provenance and explain, and it
    counts as reviewed (by you). The same claim from the same source entered
    twice is one claim.

    Example:

    \b
        timeline add --metric troops.deployed --party KP --region Kursk \\
          --value 11000 --qualifier about --as-of 2024-11-20 --claimant Pentagon \\
          --source https://example.org/kp --outlet Example --published 2024-11-21 \\
          --reviewer "A. Analyst"
    """
    result = timeline_of(ctx).add_claim(
        metric=metric, party=party, value=value, source=source, reviewer=reviewer, region=region,
        qualifier=qualifier, as_of=as_of, period=period, claimant=claimant, quote=quote, outlet=outlet,
        published=published)
    emit(fmt, result, lambda: entered_text(result))
