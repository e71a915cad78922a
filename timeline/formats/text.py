"""Numbers and figures as people read them, shared by every text renderer."""

from __future__ import annotations

from typing import Any

QUALIFIER_WORDS = {"exact": "", "about": "about ", "over": "over ", "under": "under ", "up_to": "up to ",
                   "nearly": "nearly "}


def fmt_number(value: Any) -> str:
    """1,234 for whole numbers, 1,234.5 otherwise, "" for None."""
    if value is None:
        return ""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def figure(value: Any, qualifier: str) -> str:
    """A figure with its qualifier in words: "about 800", "up to 12,000", "7,905"."""
    return QUALIFIER_WORDS.get(qualifier, qualifier + " ") + fmt_number(value)


def clip(text: str | None, n: int) -> str | None:
    """At most `n` characters, the last one an ellipsis when cut."""
    if text is None:
        return None
    return text if len(text) <= n else text[: n - 1] + "…"
