"""Numbers and figures as people read them, shared by every text renderer."""

from __future__ import annotations

import re
from typing import Any

# Terminal escape sequences (CSI, OSC and the like, 7- and 8-bit) go whole, so that no parameter is left behind;
# then every other control character but newline and tab, and the bidirectional overrides and isolates, which
# reorder what a terminal shows.
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"  # CSI ... final byte
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS, SOS, PM, APC ... ST
    r"|\x1b[ -/]*[0-~]?"  # any other escape
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text safe to show on a terminal: what a log holds (titles, outlets, file names) is anyone's text,
    and an escape sequence in it would drive the reader's terminal. Machine formats (JSON) keep it exact."""
    if text.isprintable() or not _CONTROLS.search(text):
        return text
    return _CONTROLS.sub("", _ESCAPES.sub("", text))

QUALIFIER_WORDS = {"exact": "", "about": "about ", "over": "over ", "under": "under ", "up_to": "up to ",
                   "nearly": "nearly "}


def fmt_number(value: Any) -> str:
    """1,234 for whole numbers, 1,234.5 otherwise, "" for None."""
    if type(value) is int:  # nearly every figure: the short way
        return f"{value:,}"
    if value is None:
        return ""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


# A qualifier as a mark before a figure, where a table has no room for its word: "~800", ">500", "≤12,000".
QUALIFIER_MARKS = {"exact": "", "about": "~", "over": ">", "under": "<", "up_to": "≤", "nearly": "<~"}


def short_figure(value: Any, qualifier: str) -> str:
    """A figure with its qualifier as a mark (QUALIFIER_MARKS; a qualifier without one keeps its word)."""
    mark = QUALIFIER_MARKS.get(qualifier)
    return (mark if mark is not None else qualifier + " ") + fmt_number(value)


def figure(value: Any, qualifier: str) -> str:
    """A figure with its qualifier in words: "about 800", "up to 12,000", "7,905"."""
    return QUALIFIER_WORDS.get(qualifier, qualifier + " ") + fmt_number(value)


def clip(text: str | None, n: int) -> str | None:
    """At most `n` characters, the last one an ellipsis when cut."""
    if text is None:
        return None
    return text if len(text) <= n else text[: n - 1] + "…"
