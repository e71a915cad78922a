"""Charts of series histories (matplotlib, Agg): the chosen value as steps, every claim as a point.

What a reader should see at a glance: how the chosen figure moved over valid
time (a step line, with the interval its qualifier implies as a band), who
said what (claims as points, one colour per claimant, or outlet when no
claimant is named), where figures disagreed (claims that lost a tie drawn
hollow, apart from the chosen ones) and what was withdrawn (retracted or
corrected claims struck through with an x). matplotlib is imported here only,
so commands that do not draw never pay for it.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from projections.history import History, HistoryRow, Step, groups
from projections.series import SeriesKey

WIDTH, HEIGHT, DPI = 12.0, 7.0, 100  # 1200 x 700 pixels
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f",
           "#bcbd22")
MAX_VOICES = 8  # claimants named in the legend; the rest are "other sources"
FORMATS = ("svg", "png")


def series_label(key: SeriesKey) -> str:
    metric, party, region, shape = key
    where = f" in {region}" if region else ""
    return f"{metric} ({party}{where}{', per period' if shape == 'window' else ''})"


def _figure() -> Any:
    """A Figure on an Agg canvas, without pyplot: no global figure registry to close, no GUI backend to pick,
    and about a third less to import."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def _day(d: dt.date) -> dt.datetime:
    return dt.datetime(d.year, d.month, d.day)


def _voice(r: HistoryRow) -> str:
    return r.claimant or r.outlet or r.source or "unnamed source"


def _finite(x: Any) -> bool:
    return x is not None and not (isinstance(x, float) and (math.isinf(x) or math.isnan(x)))


def draw(history: History, *, title: str | None = None, source: str | None = None) -> Any:
    """A matplotlib Figure of the history's series (1200 x 700 at 100 dpi)."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter

    fig = _figure()
    ax = fig.add_subplot()
    # A count over a period holds for its period only: one whose claims all fall before the range is not drawn.
    by_series = {k: v for k, v in groups(history).items() if k[3] == "level" or v[0]}
    several = len(by_series) > 1
    # One axis per unit and kind: counts over periods ("1,030 in the past day") next to levels ("133,190 in
    # all"), or km2 next to persons, each get an axis of their own (a left and a right one; no more).
    scales = list(dict.fromkeys(_scale(k, rows, steps) for k, (rows, steps) in by_series.items()))
    if len(scales) > 2:
        raise ChartError(f"these series are in {len(scales)} units or kinds ({', '.join(map(_scale_label, scales))}):"
                         " a chart has a left and a right axis; draw the others on a chart of their own")
    mixed = len(scales) > 1
    axes = {scale: ax.twinx() if n else ax for n, scale in enumerate(scales)}
    voices = _voices(history.rows)
    voice_colour = {v: PALETTE[(i + 1) % len(PALETTE)] for i, v in enumerate(voices)}
    handles: list[Any] = []
    end = _chart_end(history)
    for n, (key, (rows, steps)) in enumerate(by_series.items()):
        colour = PALETTE[n % len(PALETTE)] if several else "#333333"
        target = axes[_scale(key, rows, steps)]
        if steps and key[3] == "level":
            _draw_steps(target, steps, colour, end)
            label = f"chosen value: {series_label(key)}" if several else "chosen value (band: its interval)"
        elif steps:
            label = f"count over a period: {series_label(key)}" if several else "count over the period drawn"
        if steps:
            handles.append(Line2D([], [], color=colour, lw=2, label=label + (" (right axis)" if target is not ax else "")))
        _draw_claims(target, rows, colour if several else None, voice_colour)
    if not several:
        for voice, colour in voice_colour.items():
            handles.append(Line2D([], [], ls="", marker="o", color=colour, label=voice))
        if any(_voice(r) not in voice_colour for r in history.rows):
            handles.append(Line2D([], [], ls="", marker="o", color="#7f7f7f", label="other sources"))
    if any(r.status == "active" and not r.chosen for r in history.rows):
        handles.append(Line2D([], [], ls="", marker="o", mfc="white", mec="#555555", label="competing claim, not chosen"))
    if any(r.status in ("retracted", "corrected") for r in history.rows):
        handles.append(Line2D([], [], ls="", marker="x", color="#555555", label="retracted or corrected"))
    if history.basis.known_at is not None:
        k = history.basis.known_at
        ax.axvline(_day(k), color="#999999", ls="--", lw=1)
        handles.append(Line2D([], [], color="#999999", ls="--", lw=1, label=f"known at {k.isoformat()}"))
    _pad_dates(ax, history, end)
    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.yaxis.set_major_formatter(FuncFormatter(_tick))
    ax.set_xlabel("valid date (the date each figure refers to)")
    for scale, a in axes.items():
        low, high = a.get_ylim()
        if low != 0 and all(v >= 0 for v in _values(history, scale)):
            a.set_ylim(0, high)  # counts and levels start from zero: a cut axis exaggerates a change
        a.set_ylabel(_scale_label(scale))
        if a is not ax:
            a.yaxis.set_major_formatter(FuncFormatter(_tick))
            a.spines["top"].set_visible(False)
    if not axes:
        ax.set_ylabel("value")
    ax.grid(True, color="#e5e5e5", lw=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right") if not mixed else ("top",):
        ax.spines[side].set_visible(False)
    ax.set_title(title or _title(list(by_series) or list(history.series)), loc="left", fontsize=13)
    if handles:
        ax.legend(handles=handles, loc="best", fontsize=8.5, frameon=True, framealpha=0.9)
    note = textwrap.fill(source or _source(history), 200)
    fig.text(0.01, 0.01, note, fontsize=8, color="#555555", ha="left", va="bottom")
    fig.tight_layout(rect=(0, 0.025 * (note.count("\n") + 1.2), 1, 1))
    return fig


class ChartError(ValueError):
    """Series that one chart cannot show honestly."""


def _scale(key: SeriesKey, rows: Sequence[HistoryRow], steps: Sequence[Step]) -> tuple[str, str]:
    """The axis a series is drawn on: its unit, and whether it counts over periods or is a level."""
    units = [s.unit for s in steps] + [r.unit for r in rows]
    return (units[0] if units else "value", key[3])


def _scale_label(scale: tuple[str, str]) -> str:
    unit, shape = scale
    return unit + (" per period" if shape == "window" else "")


def _values(history: History, scale: tuple[str, str]) -> list[float]:
    rows = [r for r in history.rows if (r.unit, r.shape) == scale]
    return [r.value for r in rows] + [r.low for r in rows if _finite(r.low)]


def _tick(y: float, _pos: Any) -> str:
    return f"{y:,.0f}" if abs(y) >= 10 or y == 0 else f"{y:,.2g}"


def _days(history: History) -> list[dt.date]:
    return [s.start for s in history.steps] + [r.valid for r in history.rows if r.valid is not None]


def _chart_end(history: History) -> dt.date | None:
    """Where the last steps are drawn to: the history's end, else the known-at date or a little past the
    latest date, whichever is later (on K a reader still saw the last value)."""
    if history.end is not None and history.end != dt.date.max:
        return history.end
    days = _days(history)
    if not days:
        return history.basis.known_at
    first, last = min(days), max(days)
    end = last + dt.timedelta(days=max(1, (last - first).days // 50))
    k = history.basis.known_at
    return max(end, k) if k is not None else end


def _pad_dates(ax: Any, history: History, end: dt.date | None) -> None:
    """At least two weeks of valid time on the axis: one date alone would be drawn over hours. With --from
    the axis starts there: a value carried in from before would otherwise stretch it back to its own date."""
    days = _days(history) + ([end] if end else [])
    if history.start is not None:
        days = [d for d in days if d >= history.start] + [history.start]
    if not days:
        return
    first, last = min(days), max(days)
    if (last - first).days < 14:
        middle = first + (last - first) / 2
        ax.set_xlim(_day(middle - dt.timedelta(days=7)), _day(middle + dt.timedelta(days=7)))
    elif history.start is not None:
        ax.set_xlim(_day(first), _day(last))


def _voices(rows: Sequence[HistoryRow]) -> list[str]:
    count: dict[str, int] = {}
    for r in rows:
        count[_voice(r)] = count.get(_voice(r), 0) + 1
    return sorted(count, key=lambda v: (-count[v], v))[:MAX_VOICES]


def _draw_steps(ax: Any, steps: Sequence[Step], colour: str, end: dt.date | None) -> None:
    xs = [_day(s.start) for s in steps]
    last = steps[-1]
    xs.append(_day(last.end or end or last.start))
    ys = [s.value for s in steps] + [last.value]
    ax.step(xs, ys, where="post", color=colour, lw=1.8, zorder=3)
    lows = [s.low if _finite(s.low) else s.value for s in steps]
    highs = [s.high if _finite(s.high) else s.value for s in steps]
    if any(lo != hi for lo, hi in zip(lows, highs)):
        ax.fill_between(xs, lows + [lows[-1]], highs + [highs[-1]], step="post", color=colour, alpha=0.12, lw=0,
                        zorder=2)


def _draw_claims(ax: Any, rows: Sequence[HistoryRow], series_colour: str | None,
                 voice_colour: dict[str, str]) -> None:
    """Chosen claims filled, losing ones hollow, withdrawn ones as x; a qualifier's interval as an error bar."""
    kinds: dict[tuple[str, str], tuple[list, list, list, list]] = {}
    for r in rows:
        if r.valid is None:
            continue
        colour = series_colour or voice_colour.get(_voice(r), "#7f7f7f")
        kind = "withdrawn" if r.status in ("retracted", "corrected") else "chosen" if r.chosen else \
            "denied" if r.status == "denied" else "lost"
        xs, ys, los, his = kinds.setdefault((kind, colour), ([], [], [], []))
        xs.append(_day(r.valid))
        ys.append(r.value)
        lo = r.low if _finite(r.low) else r.value
        hi = r.high if _finite(r.high) else r.value
        los.append(max(r.value - lo, 0))
        his.append(max(hi - r.value, 0))
    windows = [r for r in rows if r.valid is not None and r.shape == "window" and r.period_start is not None]
    for r in windows:
        ax.hlines(r.value, _day(r.period_start), _day(r.valid) + dt.timedelta(days=1), lw=2.5,
                  color=series_colour or voice_colour.get(_voice(r), "#7f7f7f"), alpha=0.8, zorder=4)
    for (kind, colour), (xs, ys, los, his) in kinds.items():
        big = len(xs) > 300
        size = 2.5 if big else 6
        # A long run of chosen claims has the step band for its intervals; bars at every day would hide the line.
        if (any(los) or any(his)) and not (big and kind == "chosen"):
            ax.errorbar(xs, ys, yerr=[los, his], fmt="none", ecolor=colour, alpha=0.6, elinewidth=0.8,
                        capsize=0 if big else 2, zorder=4)
        if kind == "chosen":
            ax.plot(xs, ys, ls="", marker="o", ms=size, color=colour, mec="white" if not big else colour,
                    mew=0.5 if not big else 0, zorder=5)
        elif kind == "lost":
            ax.plot(xs, ys, ls="", marker="o", ms=size + 2, mfc="white", mec=colour, mew=1.5, zorder=6)
        elif kind == "denied":
            ax.plot(xs, ys, ls="", marker="s", ms=size, mfc="white", mec="#999999", zorder=4)
        else:
            ax.plot(xs, ys, ls="", marker="x", ms=size + 2, color="#555555", mew=1.5, zorder=6)


def _title(keys: list[SeriesKey]) -> str:
    if len(keys) == 1:
        return series_label(keys[0])
    metrics = dict.fromkeys(k[0] for k in keys)
    return ", ".join(metrics) + f" ({len(keys)} series)"


def _source(history: History) -> str:
    outlets = sorted({r.outlet or r.source or "?" for r in history.rows})
    shown = ", ".join(outlets[:4]) + (f" and {len(outlets) - 4} more" if len(outlets) > 4 else "")
    known = "every report in the log" if history.basis.known_at is None else \
        f"reports published by {history.basis.known_at.isoformat()}"
    return (f"Source: {len(history.rows)} claim{'s' if len(history.rows) != 1 else ''} from {shown or 'no source'}; {known}, log position "
            f"{history.basis.position}. Points: claims at their valid date; line: the value asof gives.")


def render(fig: Any, fmt: str) -> bytes:
    """The figure as SVG or PNG bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"chart format {fmt!r} is not one of {', '.join(FORMATS)}")
    import matplotlib

    buf = io.BytesIO()
    meta = {"Date": None} if fmt == "svg" else {"Software": None}
    # SVG text as text (not glyph outlines): searchable, selectable, and a tenth of the size.
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "timeline"}):
        fig.savefig(buf, format=fmt, dpi=DPI, metadata=meta)
    return buf.getvalue()


def svg_text(history: History, **kw: Any) -> str:
    """The chart as SVG text to put inside an HTML page (the XML declaration and DOCTYPE left out)."""
    svg = render(draw(history, **kw), "svg").decode("utf-8")
    return svg[svg.index("<svg"):]


def write(history: History, path: str | Path, **kw: Any) -> Path:
    """Draw the history into `path`, SVG or PNG by its suffix; the file appears whole or not at all."""
    from timeline.outfile import write_file

    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"{path}: a chart is written as .svg or .png")
    data = render(draw(history, **kw), fmt)
    write_file(path, lambda tmp: tmp.write_bytes(data))
    return path
