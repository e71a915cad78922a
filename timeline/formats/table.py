"""Aligned tables fitted to the terminal, and CSV.

A table wider than the terminal first cuts its long text cells (an ellipsis
marks the cut), widest column first, down to each column's header; if that is
not enough, it hides the columns the caller marked optional, in the order
given, and says so under the table; if even that is not enough, it wraps the
other text columns (metric names, date ranges), the one that adds the fewest
lines first, breaking only between words, after a metric's dots or a range's
`..`: never inside a number, a date or an id. `width=None` (the `--wide`
option, or output that is not a terminal and no COLUMNS) prints everything,
one line per row.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
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
          *, width: int | None = None, cut: Sequence[str] | None = None, optional: Sequence[str] = (),
          wrap: Sequence[str] | None = None) -> str:
    """A plain aligned table; numbers right-aligned, everything else left. See `fit` for the fitting."""
    fitted = fit(rows, columns, headers, width=width, cut=cut, optional=optional, wrap=wrap)
    return fitted.text + (f"\n{hidden_note(fitted.hidden, width)}" if fitted.hidden else "")


def fill_line(line: str, width: int | None) -> str:
    """A line wrapped to `width` at spaces, never at a hyphen (dates and ids hold them); as it is when it fits or
    no width is given."""
    return textwrap.fill(line, width, break_on_hyphens=False) if width and len(line) > width else line


def hidden_note(hidden: Sequence[str], width: int | None = None) -> str:
    """The line under a fitted table naming what it left out, wrapped to the table's width."""
    return fill_line(f"(hidden to fit the terminal: {', '.join(hidden)}; --wide shows them)", width)


def fit(rows: Sequence[dict[str, Any]], columns: Sequence[str], headers: Sequence[str] | None = None,
        *, width: int | None = None, cut: Sequence[str] | None = None, optional: Sequence[str] = (),
        wrap: Sequence[str] | None = None) -> Fitted:
    """The table at most `width` characters wide (when it can be).

    `cut`: the columns whose cells may be cut (default: every column that is
    not numeric); `optional`: the columns that may be hidden, first hidden first; `wrap`: the columns
    that may be wrapped (default: every column neither numeric nor cut; a figure in words, "about 15,000",
    is better kept on one line).
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
    wrapped = {c for c in shown if not numeric[c] and c not in cuttable and (wrap is None or c in wrap)}
    if width is not None and _total(widths) > width:
        widths = _narrow(shown, head_of, cells, wrapped, widths, width)
    else:
        wrapped = set()
    lines = [GAP.join(head_of[c].ljust(widths[c]) for c in shown).rstrip()]
    for i in range(len(rows)):
        parts = [_wrap(cells[c][i], widths[c]) if c in wrapped else [_cut(cells[c][i], widths[c])] for c in shown]
        for k in range(max((len(p) for p in parts), default=1)):
            line = []
            for c, p in zip(shown, parts):
                v = p[k] if k < len(p) else ""
                line.append(v.rjust(widths[c]) if numeric[c] else v.ljust(widths[c]))
            lines.append(GAP.join(line).rstrip())
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


def _narrow(shown: Sequence[str], head_of: dict[str, str], cells: dict[str, list[str]], wrapped: set[str],
            widths: dict[str, int], width: int) -> dict[str, int]:
    """Wrapped columns, one at a time, as wide as their cells wrapped one character narrower, until the table fits
    or no column can wrap further. The column wrapped is the one that adds the fewest lines to the table (the
    widest of those): a few long date ranges wrap before every metric name does."""
    widths = dict(widths)
    rows_of: dict[str, dict[str, list[int]]] = {c: {} for c in wrapped}  # each distinct cell, and its rows
    for c in wrapped:
        for i, v in enumerate(cells[c]):
            rows_of[c].setdefault(v, []).append(i)
    height = [1] * len(next(iter(cells.values()), []))  # each row's lines
    while _total(widths) > width:
        options = []
        for c in shown:
            if c not in wrapped:
                continue
            lines = {v: _wrap(v, widths[c] - 1) for v in rows_of[c]}
            w = max([len(head_of[c])] + [len(ln) for ls in lines.values() for ln in ls])
            if w < widths[c]:
                taller = {i: len(lines[v]) for v, rows in rows_of[c].items() if len(lines[v]) > 1 for i in rows
                          if len(lines[v]) > height[i]}
                added = sum(n - height[i] for i, n in taller.items())
                options.append((added, -widths[c], len(options), c, w, taller))
        if not options:
            break
        _, _, _, c, w, taller = min(options)
        widths[c] = w
        for i, n in taller.items():
            height[i] = n
    return widths


# Where a cell may go on to the next line: after a space, after a range's "..", and after a dot or slash between
# letters (losses.equipment. / armored_vehicles); never inside a number (1,500,000; 17.5), a date or a word.
_BREAK = re.compile(r"(?<= )|(?<=\.\.)(?!\.)|(?<=[^\W\d_][./])(?=[^\W\d_])")


def _wrap(text: str, n: int) -> list[str]:
    """The cell on lines of at most `n` characters where its pieces allow (a piece longer than `n` stays whole)."""
    lines: list[str] = []
    line = ""
    for p in _BREAK.split(text):
        if line and len((line + p).rstrip()) > n:
            lines.append(line.rstrip())
            line = p.lstrip()
        else:
            line += p
    return lines + [line.rstrip()]


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
