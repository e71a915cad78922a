"""Aligned tables fitted to the terminal, and CSV.

A table wider than the terminal first cuts its long text cells (an ellipsis
marks the cut), widest column first, down to each column's header; if that is
not enough, it hides the columns the caller marked optional, in the order
given, and says so under the table. `width=None` (the `--wide` option, or
output that is not a terminal and no COLUMNS) prints everything.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sys
import textwrap
from collections.abc import Sequence
from typing import Any

from attrs import frozen

from timeline.formats.text import printable

GAP = "  "
MIN_CUT = 10  # a cut text cell keeps at least this many characters (or its header's width)


def terminal_width() -> int | None:
    """COLUMNS when set, else the terminal's width when stdout is one, else None (no limit)."""
    env = os.environ.get("COLUMNS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        if sys.stdout.isatty():
            return shutil.get_terminal_size().columns
    except (AttributeError, ValueError, OSError):
        pass
    return None


@frozen
class Fitted:
    """A rendered table and the columns it left out to fit its width."""

    text: str
    hidden: tuple[str, ...] = ()


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str], headers: Sequence[str] | None = None,
          *, width: int | None = None, cut: Sequence[str] | None = None, optional: Sequence[str] = ()) -> str:
    """A plain aligned table; numbers right-aligned, everything else left. See `fit` for the fitting."""
    fitted = fit(rows, columns, headers, width=width, cut=cut, optional=optional)
    return fitted.text + (f"\n{hidden_note(fitted.hidden, width)}" if fitted.hidden else "")


def hidden_note(hidden: Sequence[str], width: int | None = None) -> str:
    """The line under a fitted table naming what it left out, wrapped to the table's width."""
    note = f"(hidden to fit the terminal: {', '.join(hidden)}; --wide shows them)"
    return textwrap.fill(note, width, break_on_hyphens=False) if width else note


def fit(rows: Sequence[dict[str, Any]], columns: Sequence[str], headers: Sequence[str] | None = None,
        *, width: int | None = None, cut: Sequence[str] | None = None, optional: Sequence[str] = ()) -> Fitted:
    """The table at most `width` characters wide (when it can be).

    `cut`: the columns whose cells may be cut (default: every column that is
    not numeric); `optional`: the columns that may be hidden, first hidden first.
    """
    headers = list(headers or [c.upper() for c in columns])
    head_of = dict(zip(columns, headers))
    cells = {c: [_cell(r.get(c)) for r in rows] for c in columns}
    numeric = {c: bool(rows) and all(_is_number(r.get(c)) for r in rows) for c in columns}
    cuttable = set(cut) if cut is not None else {c for c in columns if not numeric[c]}
    shown = list(columns)
    hidden: list[str] = []
    widths = _widths(shown, head_of, cells)
    if width is not None:
        drop = [c for c in optional if c in shown]
        while True:
            widths = _shrink(shown, head_of, cells, cuttable, width)
            if _total(widths) <= width or not drop:
                break
            c = drop.pop(0)
            shown.remove(c)
            hidden.append(head_of[c])
    lines = [GAP.join(head_of[c].ljust(widths[c]) for c in shown).rstrip()]
    for i in range(len(rows)):
        parts = []
        for c in shown:
            v = _cut(cells[c][i], widths[c])
            parts.append(v.rjust(widths[c]) if numeric[c] else v.ljust(widths[c]))
        lines.append(GAP.join(parts).rstrip())
    return Fitted("\n".join(lines), tuple(hidden))


def _widths(shown: Sequence[str], head_of: dict[str, str], cells: dict[str, list[str]]) -> dict[str, int]:
    return {c: max([len(head_of[c])] + [len(v) for v in cells[c]]) for c in shown}


def _total(widths: dict[str, int]) -> int:
    return sum(widths.values()) + len(GAP) * (len(widths) - 1)


def _shrink(shown: Sequence[str], head_of: dict[str, str], cells: dict[str, list[str]], cuttable: set[str],
            width: int) -> dict[str, int]:
    """Natural widths, then the widest cuttable column one character narrower until the table fits."""
    widths = _widths(shown, head_of, cells)
    floor = {c: max(len(head_of[c]), MIN_CUT) for c in shown}
    excess = _total(widths) - width
    while excess > 0:
        candidates = [c for c in shown if c in cuttable and widths[c] > floor[c]]
        if not candidates:
            break
        c = max(candidates, key=lambda c: widths[c])
        widths[c] -= 1
        excess -= 1
    return widths


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow([_csv_cell(r.get(c)) for c in columns])
    return out.getvalue()


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _cell(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float) and not v.is_integer():
        return f"{v:,.1f}"
    if _is_number(v):
        return f"{int(v):,}"
    if isinstance(v, dict):
        return printable("..".join(str(x) for x in v.values()))
    if isinstance(v, (list, tuple)):
        return printable(",".join(str(x) for x in v))
    return printable(str(v).replace("\n", " ")).rstrip()  # a trailing space would widen a column it never shows in


def _csv_cell(v: Any) -> Any:
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, (list, tuple)):
        return ";".join(str(x) for x in v)
    return "" if v is None else v
