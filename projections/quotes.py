"""Whether a claim's quote is the text of its article at its span: one rule for the read models and `check`.

A read model records, as each claim is appended, the claims whose quote must
be looked at again when `check` runs: those whose quote is not at its span,
and those whose article was not in the log yet (it may come later). `check`
then reads the evidence of those few, never the payload of every claim.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any


def quote_at(text: str, span: Sequence[int], quote: str) -> bool:
    """Whether `quote` is `text` at [start, end)."""
    s, t = span
    return 0 <= s <= t <= len(text) and text[s:t] == quote


def to_recheck(evidence: dict[str, Any], texts: dict[str, str], lookup: Callable[[str], str | None]) -> bool:
    """Whether a reported claim's evidence (its payload's `evidence`) needs `check` to read its quote again:
    it has a span in an article whose text (from `texts`, the batch's articles so far, else `lookup`, those
    appended before it) is not there yet or does not hold the quote at the span."""
    span = evidence.get("span")
    aid = evidence.get("article_id")
    if span is None or aid is None:
        return False
    text = texts.get(aid)
    if text is None:
        text = lookup(aid)
        if text is None:
            return True
        texts[aid] = text
    return not quote_at(text, span, evidence["quote"])

