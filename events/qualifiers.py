"""The interval a qualified figure implies: one table (events/lexicons/qualifiers.json, "interval"),
used by extraction, the General Staff tally and derived values alike.

Each qualifier maps to [low, high] as fractions of the figure, null for an
open end: "about 800" is 720..880, "over 500" is 500..open. The widths are
documented in docs/vocabulary.md.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

Number = int | float
TABLE_FILE = Path(__file__).resolve().parent / "lexicons" / "qualifiers.json"


@cache
def intervals() -> dict[str, tuple[float | None, float | None]]:
    """Qualifier -> (low, high) as fractions of the figure; None for an open end."""
    data = json.loads(TABLE_FILE.read_text(encoding="utf-8"))["interval"]
    return {q: (lo, hi) for q, (lo, hi) in data.items()}


def tidy(v: Number) -> Number:
    """A whole float as an int, other floats to 6 decimals; ints as they are."""
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return int(v)
    return round(v, 6) if isinstance(v, float) else v


def interval(qualifier: str, value: Number) -> tuple[Number | None, Number | None]:
    """(low, high) a qualifier implies for `value`: an end the table's factor makes is rounded to 3 decimals, but
    never past the figure itself (an exact 1234.5678 is [1234.5678, 1234.5678], not [1234.568, 1234.568]); an
    unknown qualifier is the point itself."""
    lo, hi = intervals().get(qualifier, (1.0, 1.0))
    low = None if lo is None else _rounded(value * lo) if lo != 1.0 else value
    high = None if hi is None else _rounded(value * hi) if hi != 1.0 else value
    if low is not None and low > value:
        low = value
    if high is not None and high < value:
        high = value
    return low, high


def _rounded(v: Number) -> Number:
    return tidy(round(tidy(v), 3)) if isinstance(v, float) else v


def spread(qualifier: str) -> tuple[float, float]:
    """The table's factors with open ends made numeric: (0, ..) below, (.., inf) above."""
    lo, hi = intervals().get(qualifier, (1.0, 1.0))
    return (0.0 if lo is None else lo), (math.inf if hi is None else hi)
