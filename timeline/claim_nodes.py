"""Claim nodes drawn straight from the read model's rows, for a graph written as it is drawn.

Entering a claim into a Ledger (a ClaimRow, a dated Row, its Evidence, a
ClaimEntry), drawing its node's attributes (timeline.graph._claim_attrs) and
writing them out costs tens of microseconds, a minute at a million claims.
Most claims need none of it: read from an article's span, not named by a
value, an amendment or a review, their node is their row's fields and the
names its keys stand for. `drawer` draws those nodes (timeline.graph.
DrawnClaim) from the row itself, with the attributes _claim_attrs gives in
its order; for node-link JSON, as their text (formats.graph_stream takes it),
made of pieces made once for each series, profile, date and article. Every
other row is entered whole, as before.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

from timeline.graph import DrawnClaim, _fmt, wanted_claims
from timeline.provenance import Drawer, Ledger


class _Iso(dict):
    """Day ordinal -> ISO date, each made once."""

    def __missing__(self, day: int) -> str:
        text = self[day] = dt.date.fromordinal(day).isoformat()
        return text


class _DateLines(dict):
    """A day ordinal -> its line in a node's JSON (`   "key": "2024-11-05",`), each made once; None -> no line."""

    def __init__(self, key: str, iso: _Iso) -> None:
        super().__init__()
        self.key, self.iso = key, iso

    def __missing__(self, day: int | None) -> str:
        line = self[day] = "" if day is None else _line(self.key, self.iso[day])
        return line


def _json(v: Any) -> str:
    """A value as json.dumps writes it: strings escaped as json's encoder escapes them (ensure_ascii off), ints
    and finite floats as their repr."""
    if type(v) is str:
        return encode_basestring(v)
    if type(v) is bool:
        return "true" if v else "false"
    return repr(v)


def _line(key: str, value: Any) -> str:
    return f'   "{key}": {_json(value)},\n'


def _lines(pairs: Iterable[tuple[str, Any]]) -> str:
    return "".join(_line(k, v) for k, v in pairs if v is not None)


def drawer(values: Iterable[Any], fmt: str) -> Drawer:
    """What timeline.provenance.ledger_stream_from_read_model draws rows with, for a graph of these values (a
    state's) written in `fmt` ("json": nodes as their text; otherwise their attributes). The claims the values,
    the amendments and the reviews name (timeline.graph.wanted_claims) are entered whole, as are claims entered
    by hand, read from a dataset row, of an article whose metadata was corrected, or with a figure that is not a
    finite number."""

    def draw(g: Any, ledger: Ledger) -> Callable[[tuple], DrawnClaim | None]:
        wanted = wanted_claims(values, ledger)
        retired, position = ledger.retired, ledger.position
        rejected = ledger.standing(position).rejected if ledger.reviews else frozenset()
        meta, details, articles, files, iso = g.meta, g.details, ledger.articles, g.files, _Iso()

        def plain(raw: tuple) -> bool:
            """Whether the row's node can be drawn from it."""
            if raw[15] != "ClaimReported" or raw[10] is not None or raw[1] in wanted or raw[9] in meta:
                return False
            value, low, high = raw[5], raw[6], raw[7]
            if type(value) is int and (low is None or type(low) is int) and (high is None or type(high) is int):
                return True
            return all(type(x) is int or x is None or (type(x) is float and math.isfinite(x))
                       for x in (raw[5], raw[6], raw[7]))

        class Sources(dict):
            """Article key -> the id of the article, if the graph draws it (an article ingested by the basis)."""

            def __missing__(self, article: int | None) -> str | None:
                aid = details[article]
                found = self[article] = aid if aid in articles else None
                return found

        source = Sources()

        if fmt == "json":
            return _json_nodes(g, plain, source, retired, position, rejected, iso)
        return _attr_nodes(g, plain, source, retired, position, rejected, iso)

    return draw


def _json_nodes(g: Any, plain: Callable[[tuple], bool], source: dict[int | None, str | None],
                retired: dict[str, int], position: int, rejected: Any, iso: _Iso) -> Callable[[tuple], Any]:
    """Claim nodes as their node-link JSON text (formats.graph_stream._json_item's, the id last)."""
    series: dict[int, tuple[str, str]] = {}
    profiles: dict[int, tuple[str, str, str, str, str]] = {}
    valid_lines, report_lines = _DateLines("valid", iso), _DateLines("report", iso)
    files = {key: _line("source", file) for key, file in g.files.items()}

    def of_series(sid: int) -> tuple[str, str]:
        metric, party, region, shape = g.keys[sid]
        found = series[sid] = (f"{metric} {party} {region or '-'} ",
                               _lines((("metric", metric), ("party", party), ("region", region), ("shape", shape))))
        return found

    def of_profile(pid: int) -> tuple[str, str, str, str, str]:
        qualifier, unit, claimant, outlet, modality, rule = g.profiles[pid]
        found = profiles[pid] = (f"{qualifier} ", f" {unit} @ ", _lines((("qualifier", qualifier), ("unit", unit))),
                                 _lines((("claimant", claimant), ("outlet", outlet), ("modality", modality))),
                                 "" if rule is None else _line("rule", rule))
        return found

    def node(raw: tuple) -> DrawnClaim | None:
        (sid, cid, at, valid, report, value, low, high, pid, article, _, _, _, _, replaces, _, quote, start, end,
         _) = raw
        if not plain(raw):
            return None
        label, in_series = series.get(sid) or of_series(sid)
        qualifier, unit, head, said, rule = profiles.get(pid) or of_profile(pid)
        day = "undated" if valid is None else iso[valid]
        figure = f"{value:,}" if type(value) is int else _fmt(value)
        name = encode_basestring(f"{label}{qualifier}{figure}{unit}{day}")
        lows = "" if low is None else f'   "low": {low!r},\n'
        highs = "" if high is None else f'   "high": {high!r},\n'
        quotes = "" if quote is None else f'   "quote": {encode_basestring(quote)},\n'
        starts = "" if start is None else f'   "span_start": {start!r},\n'
        ends = "" if end is None else f'   "span_end": {end!r},\n'
        tail = "" if replaces is None else _line("replaces", replaces)
        tail += '   "retracted": true,\n' if retired.get(cid, position + 1) <= position else '   "retracted": false,\n'
        if cid in rejected:
            tail += '   "rejected": true,\n'
        text = (f'  {{\n   "kind": "claim",\n   "label": {name},\n{in_series}   "value": {value!r},\n{lows}{highs}'
                f'{head}{valid_lines[valid]}{report_lines[report]}{said}{quotes}{starts}{ends}'
                f'{rule}   "position": {at!r},\n{files.get(article, "")}{tail}   "id": "claim:{cid}"\n  }}')
        return tuple.__new__(DrawnClaim, (cid, text, source[article]))

    return node


def _attr_nodes(g: Any, plain: Callable[[tuple], bool], source: dict[int | None, str | None],
                retired: dict[str, int], position: int, rejected: Any, iso: _Iso) -> Callable[[tuple], Any]:
    """Claim nodes as their attributes (timeline.graph._claim_attrs's)."""
    series: dict[int, tuple[str, dict[str, Any]]] = {}
    profiles: dict[int, tuple[str, str, dict[str, Any], dict[str, Any], str | None]] = {}
    files = g.files

    def of_series(sid: int) -> tuple[str, dict[str, Any]]:
        metric, party, region, shape = g.keys[sid]
        attrs = {"metric": metric, "party": party, "region": region, "shape": shape}
        found = series[sid] = (f"{metric} {party} {region or '-'} ", {k: v for k, v in attrs.items() if v is not None})
        return found

    def of_profile(pid: int) -> tuple[str, str, dict[str, Any], dict[str, Any], str | None]:
        qualifier, unit, claimant, outlet, modality, rule = g.profiles[pid]
        head = {k: v for k, v in (("qualifier", qualifier), ("unit", unit)) if v is not None}
        said = {k: v for k, v in (("claimant", claimant), ("outlet", outlet), ("modality", modality)) if v is not None}
        found = profiles[pid] = (f"{qualifier} ", f" {unit} @ ", head, said, rule)
        return found

    def node(raw: tuple) -> DrawnClaim | None:
        if not plain(raw):
            return None
        (sid, cid, at, valid, report, value, low, high, pid, article, _, _, _, _, replaces, _, quote, start, end,
         _) = raw
        label, in_series = series.get(sid) or of_series(sid)
        qualifier, unit, head, said, rule = profiles.get(pid) or of_profile(pid)
        day = None if valid is None else iso[valid]
        d = {"kind": "claim", "label": f"{label}{qualifier}{_fmt(value)}{unit}{day or 'undated'}"}
        d.update(in_series)
        d["value"] = value
        if low is not None:
            d["low"] = low
        if high is not None:
            d["high"] = high
        d.update(head)
        if day is not None:
            d["valid"] = day
        if report is not None:
            d["report"] = iso[report]
        d.update(said)
        if quote is not None:
            d["quote"] = quote
        if start is not None:
            d["span_start"] = start
        if end is not None:
            d["span_end"] = end
        if rule is not None:
            d["rule"] = rule
        d["position"] = at
        file = files.get(article)
        if file is not None:
            d["source"] = file
        if replaces is not None:
            d["replaces"] = replaces
        d["retracted"] = retired.get(cid, position + 1) <= position
        if cid in rejected:
            d["rejected"] = True
        return tuple.__new__(DrawnClaim, (cid, d, source[article]))

    return node


__all__ = ["drawer"]
