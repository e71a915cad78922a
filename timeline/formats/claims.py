"""The `log` and `claims` tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from timeline.formats.table import table
from timeline.formats.text import clip

CLAIM_COLUMNS = ["article", "metric", "party", "region", "qualifier", "value", "unit", "when", "claimant", "quote"]
CLAIM_CUT = ["article", "region", "claimant", "quote"]
CLAIM_OPTIONAL = ["claimant", "unit", "article", "quote"]
CSV_COLUMNS = ["article", "id", "metric", "party", "region", "value", "low", "high", "qualifier", "unit", "as_of",
               "period", "claimant", "outlet", "quote", "span", "rule", "retracted"]
QUOTE_WIDTH = 50  # quotes are cut here unless the table is printed wide


def when_of_row(row: dict[str, Any]) -> str:
    """The valid time of a flat claim row, as `when` prints it for a claim."""
    if row.get("period"):
        return f"{row['period'].get('start') or '?'}..{row['period']['end']}"
    return row.get("as_of") or "undated"


def render_claims(rows: Sequence[dict[str, Any]], width: int | None = None, wide: bool = False) -> str:
    """The claims table fitted to `width` (None: any width); `wide` shows whole quotes."""
    if not rows:
        return "no claims"
    n = 10**9 if wide else QUOTE_WIDTH
    shown = [dict(r, when=when_of_row(r), quote=clip(" ".join(r["quote"].split()), n)) for r in rows]
    return table(shown, CLAIM_COLUMNS, width=width, cut=CLAIM_CUT, optional=CLAIM_OPTIONAL)


def render_log(rows: Sequence[dict[str, Any]], width: int | None = None) -> str:
    shown = [dict(r, short_id=r["id"][:12]) for r in rows]
    return table(shown, ["position", "type", "short_id", "summary"], ["POS", "TYPE", "ID", "SUMMARY"], width=width,
                 cut=["summary"])
