"""`timeline explain`, `timeline check` and `timeline graph`: thin over Timeline.explain/check/graph.

Dates and positions are taken as text and parsed by the Timeline, so a bad
one is a one-line error with exit code 2 like every other expected failure.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from events.store import gc_paused
from timeline.cli.common import WriteProgress, format_option, note, parse_position, text_writer, timeline_of
from timeline.errors import TimelineError
from timeline.formats.text import printable
from timeline.formats.jsontext import to_json


def _basis_options(f: Any) -> Any:
    f = click.option("--position", help="Replay only the first N events of the log.")(f)
    f = click.option("--known-at", "known_at", help="Report-time cut-off: YYYY-MM-DD or 'latest' (the default).")(f)
    f = click.option("--asof", "as_of",
                     help="Valid date YYYY-MM-DD. Default: the latest valid date in the log.")(f)
    return f


@click.command()
@click.argument("args", nargs=-1, required=True, metavar="METRIC PARTY REGION | ID")
@_basis_options
@format_option("text", "json")
@click.pass_context
def explain(ctx: click.Context, args: tuple[str, ...], as_of: str | None, known_at: str | None,
            position: str | None, fmt: str) -> None:
    """Explain a value: the tree from it back to each quoted sentence.

    Name a series (METRIC PARTY REGION; REGION a canonical name or an alias,
    'Kursk oblast', or '-' for no region), or give the id of a value or claim
    (a unique prefix of at least 6 characters will do). Shows
    each supporting claim with its quote, span, sentence, article, outlet,
    publication date and its origin, claimant and extraction rule; the
    competing claims with the reason each lost; for a derived value, its inputs.

    Example:

        timeline explain area.controlled UA Kursk --asof 2024-11-23

        timeline explain losses.personnel RU Kursk --asof 2024-11-23 --format json
    """
    from timeline.formats.explain import render_text

    tl = timeline_of(ctx)
    basis = {"as_of": as_of, "known_at": known_at, "position": parse_position(position)}
    if len(args) == 1:
        tree = tl.explain(ref=args[0], **basis)
    elif len(args) in (2, 3):
        tree = tl.explain(args[0], args[1], args[2] if len(args) == 3 else None, **basis)
    else:
        raise TimelineError(f"explain takes METRIC PARTY REGION or one ID, not {len(args)} arguments")
    click.echo(to_json(tree) if fmt == "json" else printable(render_text(tree)))


@click.command()
@_basis_options
@format_option("text", "json")
@click.pass_context
def check(ctx: click.Context, as_of: str | None, known_at: str | None, position: str | None, fmt: str) -> None:
    """Find where claims disagree: one line per finding, with its severity and claims.

    Checks: components against their total; a running total of one claimant
    that falls; a reported share against the levels it implies; competing
    claims whose intervals do not overlap; a level dated after its article;
    a count over a window against the running totals at its ends; quotes
    that are not at their spans. Exit 1 when a finding is at error severity.

    Example:

        timeline check --asof 2024-11-23 --format json
    """
    from timeline.formats.checks import json_chunks, render_text

    report = timeline_of(ctx).check(as_of, known_at, parse_position(position))
    if fmt == "json":
        with gc_paused():  # the findings' dicts, made a batch at a time: no cycle among them
            for chunk in json_chunks(report):
                click.echo(chunk, nl=False)  # bytes, to the binary stream as they are
        click.echo()
    else:
        click.echo(printable(render_text(report)))
    if report.exit_code:
        sys.exit(report.exit_code)


@click.command()
@_basis_options
@format_option("json", "graphml", "dot", "prov-json")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to FILE instead of stdout.")
@click.pass_context
def graph(ctx: click.Context, as_of: str | None, known_at: str | None, position: str | None, fmt: str,
          output: str | None) -> None:
    """Export the provenance graph: article -> claim -> value -> derived value.

    Formats: node-link JSON and GraphML (networkx reads both back), Graphviz
    DOT, and W3C PROV-JSON (needs the optional `prov` package).

    Example:

        timeline graph --asof 2024-11-23 --format dot -o provenance.dot
    """
    from timeline.formats.graph import PROV_MISSING, export
    from timeline.formats.graph_stream import STREAMED
    from timeline.graph import counts
    from timeline.outfile import check_target, write_regular

    if fmt == "prov-json":
        try:
            import prov  # noqa: F401
        except ImportError:
            raise TimelineError(PROV_MISSING) from None
    if output is not None:
        check_target(output)  # before the graph is built
    tl, basis = timeline_of(ctx), (as_of, known_at, parse_position(position))
    if fmt in STREAMED:  # written as it is drawn: no networkx graph of the whole log
        if output is None:
            tl.write_graph(text_writer(), fmt, *basis)
            return

        def drawn(f: Any) -> dict[str, int]:
            shown = WriteProgress(text_writer(f), f"writing the graph to {output}")
            try:
                return tl.write_graph(shown, fmt, *basis)
            finally:
                shown.close()

        size = write_regular(output, drawn)
    else:
        g = tl.graph(*basis)
        text = export(g, fmt)
        if output is None:
            click.echo(text, nl=False)
            return
        write_regular(output, lambda f: f.write(text))
        size = counts(g)
    note(f"wrote the graph ({size['nodes']} nodes, {size['edges']} edges) as {fmt} to {output}")
