"""A series chart as inline SVG text, for the report's pages.

The same picture as timeline.formats.chart (the chosen value as steps with its
interval as a band, claims as points: hollow when they lost a tie, an x when
withdrawn), written directly as SVG: matplotlib takes 0.3 to 1 s a figure,
and a report draws one per series (over forty on the tally), where this takes
milliseconds. Every piece of text is escaped; nothing from the log reaches an
attribute other than as escaped text.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from markupsafe import Markup, escape

from projections.history import HistoryRow, Step

W, H = 900, 360
LEFT, RIGHT, TOP, BOTTOM = 78, 20, 16, 44
LINE, BAND, POINT, LOST, GONE = "#1f5f9e", "#1f5f9e", "#1f5f9e", "#c0392b", "#555555"


def _nice(lo: float, hi: float, n: int = 5) -> list[float]:
    """About n round ticks covering [lo, hi]."""
    if hi <= lo:
        hi = lo + (abs(lo) or 1)
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    ticks = [math.floor(lo / step) * step]
    while ticks[-1] < hi - step * 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _fmt(y: float) -> str:
    return f"{y:,.0f}" if abs(y) >= 10 or y == 0 else f"{y:,.2g}"


def _date_ticks(first: dt.date, last: dt.date) -> list[tuple[dt.date, str]]:
    span = (last - first).days
    if span > 3 * 365:
        return [(dt.date(y, 1, 1), str(y)) for y in range(first.year + 1, last.year + 1)]
    months = 1 if span <= 120 else 3 if span <= 2 * 365 else 6
    out = []
    y, m = first.year, first.month
    while True:
        m += 1
        if m > 12:
            y, m = y + 1, 1
        d = dt.date(y, m, 1)
        if d > last:
            break
        if (m - 1) % months == 0:
            out.append((d, d.strftime("%b %Y") if m == 1 or not out else d.strftime("%b")))
    if not out or span <= 45:
        step = max(1, span // 6)
        out = [(first + dt.timedelta(days=i), (first + dt.timedelta(days=i)).strftime("%d %b"))
               for i in range(0, span + 1, step)]
    return out


def series_svg(rows: Sequence[HistoryRow], steps: Sequence[Step], unit: str, end: dt.date | None = None) -> Markup:
    """One series: steps (levels) or window bars (counts over periods), claims as points."""
    dated = [r for r in rows if r.valid is not None]
    days = [s.start for s in steps] + [r.valid for r in dated] + [r.period_start for r in dated if r.period_start]
    if not days:
        return Markup("")
    first, last = min(days), max(days + ([end] if end else []))
    if (last - first).days < 14:
        pad = dt.timedelta(days=7)
        first, last = first - pad, last + pad
    else:
        last = last + dt.timedelta(days=max(1, (last - first).days // 50))
    ys = [r.value for r in dated] + [s.value for s in steps]
    ys += [r.low for r in dated if r.low is not None and math.isfinite(r.low)]
    ys += [r.high for r in dated if r.high is not None and math.isfinite(r.high)]
    ys += [s.high for s in steps if s.high is not None and math.isfinite(s.high)]
    lo, hi = min(ys), max(ys)
    lo = min(lo, 0) if lo >= 0 else lo
    ticks = _nice(lo, hi)
    lo, hi = ticks[0], ticks[-1]
    x0, x1, y0, y1 = LEFT, W - RIGHT, H - BOTTOM, TOP
    span = max((last - first).days, 1)

    def x(d: dt.date) -> float:
        return round(x0 + (x1 - x0) * (d - first).days / span, 1)

    def y(v: float) -> float:
        return round(y0 - (y0 - y1) * (v - lo) / ((hi - lo) or 1), 1)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {W} {H}" role="img" '
           f'aria-label="{escape(unit)} over valid time">']
    for t in ticks:
        out.append(f'<line class="grid" x1="{x0}" x2="{x1}" y1="{y(t)}" y2="{y(t)}"/>'
                   f'<text class="tick" x="{x0 - 6}" y="{y(t) + 4}" text-anchor="end">{_fmt(t)}</text>')
    for d, label in _date_ticks(first, last):
        out.append(f'<line class="grid" x1="{x(d)}" x2="{x(d)}" y1="{y0}" y2="{y1}"/>'
                   f'<text class="tick" x="{x(d)}" y="{y0 + 16}" text-anchor="middle">{escape(label)}</text>')
    out.append(f'<text class="axis" x="{(x0 + x1) / 2}" y="{H - 6}" text-anchor="middle">valid date</text>'
               f'<text class="axis" transform="translate(14 {(y0 + y1) / 2}) rotate(-90)" text-anchor="middle">'
               f'{escape(unit)}</text>')
    levels = [s for s in steps if s.shape == "level"]
    if levels:
        ends = [s.end or last for s in levels]
        band_top = " ".join(f"{x(s.start)},{y(_hi(s))} {x(e)},{y(_hi(s))}" for s, e in zip(levels, ends))
        band_bottom = " ".join(f"{x(e)},{y(_lo(s))} {x(s.start)},{y(_lo(s))}"
                               for s, e in reversed(list(zip(levels, ends))))
        if any(_hi(s) != _lo(s) for s in levels):
            out.append(f'<polygon class="band" points="{band_top} {band_bottom}"/>')
        path = " ".join(f"{x(s.start)},{y(s.value)} {x(e)},{y(s.value)}" for s, e in zip(levels, ends))
        out.append(f'<polyline class="step" points="{path}"/>')
    big = len(dated) > 300
    for r in dated:
        cx, cy = x(r.valid), y(r.value)
        tip = escape(f"{r.valid.isoformat()}: {r.value:,} {r.unit} ({r.claimant or r.outlet or r.source or 'unattributed'})"
                     f"{'' if r.chosen else ' - ' + r.status if r.status != 'active' else ' - not chosen'}")
        if r.shape == "window" and r.period_start is not None:
            out.append(f'<line class="window" x1="{x(r.period_start)}" x2="{cx}" y1="{cy}" y2="{cy}"/>')
        if r.status in ("retracted", "corrected"):
            out.append(f'<path class="gone" d="M{cx - 4},{cy - 4}L{cx + 4},{cy + 4}M{cx - 4},{cy + 4}L{cx + 4},{cy - 4}">'
                       f'<title>{tip}</title></path>')
        elif r.chosen and big:  # a tally's every day: the points without tooltips keep the page light
            out.append(f'<circle class="chosen" cx="{cx}" cy="{cy}" r="1.6"/>')
        elif r.chosen:
            out.append(f'<circle class="chosen" cx="{cx}" cy="{cy}" r="4"><title>{tip}</title></circle>')
        else:
            out.append(f'<circle class="lost" cx="{cx}" cy="{cy}" r="5"><title>{tip}</title></circle>')
    out.append("</svg>")
    return Markup("".join(out))


def _hi(s: Step) -> float:
    return s.high if s.high is not None and math.isfinite(s.high) else s.value


def _lo(s: Step) -> float:
    return s.low if s.low is not None and math.isfinite(s.low) else s.value
