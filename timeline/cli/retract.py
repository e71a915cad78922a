"""`timeline retract`: withdraw a claim by appending a retraction."""

from __future__ import annotations

import click

from timeline.cli.common import emit, format_option, timeline_of
from timeline.review import REVIEWER_ENV


@click.command()
@click.argument("claim_id")
@click.option("--reason", help="Why the claim is withdrawn (required).")
@click.option("--reviewer", envvar=REVIEWER_ENV, metavar="NAME",
              help=f"Who withdraws it, recorded in the retraction. Env: {REVIEWER_ENV}.")
@format_option("text", "json")
@click.pass_context
def retract(ctx: click.Context, claim_id: str, reason: str | None, reviewer: str | None, fmt: str) -> None:
    """Withdraw a claim: append a ClaimRetracted (the claim stays in the log).

    CLAIM_ID is the id or a unique prefix of at least 6 characters. The claim
    leaves every state from the retraction's log position on; `asof
    --position` before it still shows the old picture.

    Example:

        timeline retract 5e80a29fa0c8 --reason "misread: the figure is for Donetsk"
    """
    result = timeline_of(ctx).retract(claim_id, reason or "", reviewer)
    by = f" by {result['reviewer']}" if result["reviewer"] else ""
    emit(fmt, result, lambda: f"retracted {result['claim_id'][:12]}{by} at position {result['position']}: {result['reason']}")
