"""Claim nodes drawn straight from the read model's rows, for a graph written as it is drawn.

Entering a claim into a Ledger (a ClaimRow, a dated Row, its Evidence, a
ClaimEntry), drawing its node's attributes (timeline.graph._claim_attrs) and
writing them out costs tens of microseconds, a minute at a million claims.
Most claims need none of it: read from an article's span, not named by a
value, an amendment or a review, their node is their row's fields and the
names its keys stand for. `drawer` draws those nodes (timeline.graph.
DrawnClaim) from the row itself as their text in the format written (node-link
JSON or DOT, which formats.graph_stream writes as it is), with the attributes
_claim_attrs gives in its order, made of pieces made once for each series,
profile, date and article. Every other row is entered whole, as before.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

from timeline.graph import DrawnClaim, _fmt, wanted_claims
from timeline.provenance import _ISO, Drawer, Ledger


_HEX = re.compile(r"(?:[0-9a-f]{2})+")


class _DateLines(dict):
    """A day ordinal -> its line in a node's JSON (`   "key": "2024-11-05",`), each made once; None -> no line."""

    def __init__(self, key: str, iso: dict[int, str]) -> None:
        super().__init__()
        self.key, self.iso = key, iso

    def __missing__(self, day: int | None) -> str:
        line = self[day] = "" if day is None else _line(self.key, self.iso[day])
        return line


def _plain(raw: tuple, wanted: Any, meta: Any) -> bool:
    """Whether a row's node can be drawn from it: a claim read from an article's span, not named by a value, an
    amendment or a review (`wanted`), of an article whose metadata stands as ingested (not in `meta`), with a
    figure and bounds the writers write alike (ints, finite floats) or absent."""
    if raw[15] != "ClaimReported" or raw[10] is not None or raw[1] in wanted or raw[9] in meta:
        return False
    value, low, high = raw[5], raw[6], raw[7]
    if type(value) is int and (low is None or type(low) is int) and (high is None or type(high) is int):
        return True
    return all(type(x) is int or x is None or (type(x) is float and math.isfinite(x)) for x in (value, low, high))


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
    state's) written in `fmt` ("json" or "dot"), each node as its text in it. The claims the values,
    the amendments and the reviews name (timeline.graph.wanted_claims) are entered whole, as are claims entered
    by hand, read from a dataset row, of an article whose metadata was corrected, or with a figure that is not a
    finite number."""

    def draw(g: Any, ledger: Ledger) -> Callable[[tuple], DrawnClaim | None]:
        wanted = {bytes.fromhex(c) for c in wanted_claims(values, ledger) if _HEX.fullmatch(c)}  # as rows hold ids
        retired, position = ledger.retired, ledger.position
        rejected = ledger.standing(position).rejected if ledger.reviews else frozenset()
        meta, details, articles, iso = g.meta, g.details, ledger.articles, _ISO

        class Sources(dict):
            """Article key -> the article's node, if the graph draws it (an article ingested by the basis)."""

            def __missing__(self, article: int | None) -> str | None:
                aid = details[article]
                found = self[article] = f"article:{aid}" if aid in articles else None
                return found

        source = Sources()

        if fmt == "json":
            return _json_nodes(g, (wanted, meta), source, retired, position, rejected, iso)
        if fmt == "dot":
            return _dot_nodes(g, (wanted, meta), source, retired, position, rejected, iso)
        raise ValueError(f"claim nodes are drawn as node-link JSON or DOT, not {fmt!r}")

    return draw


def _json_nodes(g: Any, whole: tuple[Any, Any], source: dict[int | None, str | None],
                retired: dict[str, int], position: int, rejected: Any, iso: dict[int, str]) -> Callable[[tuple], Any]:
    """Claim nodes as their node-link JSON text (formats.graph_stream._json_item's, the id last). The text around
    the figure is made once for each series and profile: json's escaping is a character's at a time, so the
    label's escaped pieces put together are the escaped label."""
    pairs: dict[tuple[int, int], tuple[str, str, str, str, str, str]] = {}
    valid_lines, report_lines = _DateLines("valid", iso), _DateLines("report", iso)
    files = {key: _line("source", file) for key, file in g.files.items()}

    def of_pair(sid: int, pid: int) -> tuple[str, str, str, str, str, str]:
        metric, party, region, shape = g.keys[sid]
        qualifier, unit, claimant, outlet, modality, rule = g.profiles[pid]
        found = pairs[sid, pid] = (
            '  {\n   "kind": "claim",\n   "label": ' + encode_basestring(f"{metric} {party} {region or '-'} {qualifier} ")[:-1],
            encode_basestring(f" {unit} @ ")[1:-1],
            '",\n' + _lines((("metric", metric), ("party", party), ("region", region), ("shape", shape)))
            + '   "value": ',
            _lines((("qualifier", qualifier), ("unit", unit))),
            _lines((("claimant", claimant), ("outlet", outlet), ("modality", modality))),
            ("" if rule is None else _line("rule", rule)) + '   "position": ')
        return found

    wanted, meta = whole  # what is entered whole: the claims named, the articles corrected
    amended = bool(retired) or bool(rejected)  # whether any claim was retracted, replaced or rejected

    def node(raw: tuple) -> DrawnClaim | None:
        if not _plain(raw, wanted, meta):
            return None
        (sid, key, at, valid, report, value, low, high, pid, article, _, _, _, _, replaces, _, quote, start, end,
         _) = raw
        cid = key.hex()
        label, unit, in_series, head, said, rule = pairs.get((sid, pid)) or of_pair(sid, pid)
        figure = f"{value:,}" if type(value) is int else _fmt(value)
        bounds = "" if low is None else f'   "low": {low!r},\n'
        if high is not None:
            bounds += f'   "high": {high!r},\n'
        if start is not None and end is not None:
            spans = f'   "span_start": {start!r},\n   "span_end": {end!r},\n'
        else:
            spans = ("" if start is None else f'   "span_start": {start!r},\n') + ("" if end is None else
                                                                                  f'   "span_end": {end!r},\n')
        quotes = "" if quote is None else f'   "quote": {encode_basestring(quote)},\n'
        if replaces is None and not amended:  # most claims
            tail = '   "retracted": false,\n'
        else:
            tail = "" if replaces is None else _line("replaces", replaces)
            tail += ('   "retracted": true,\n' if retired.get(cid, position + 1) <= position
                     else '   "retracted": false,\n')
            if cid in rejected:
                tail += '   "rejected": true,\n'
        node = "claim:" + cid
        text = (f'{label}{figure}{unit}{"undated" if valid is None else iso[valid]}{in_series}{value!r},\n{bounds}'
                f'{head}{valid_lines[valid]}{report_lines[report]}{said}{quotes}{spans}{rule}{at!r},\n'
                f'{files.get(article, "")}{tail}   "id": "{node}"\n  }}')
        return tuple.__new__(DrawnClaim, (node, text, source[article]))

    return node


def _dot_nodes(g: Any, whole: tuple[Any, Any], source: dict[int | None, str | None],
               retired: dict[str, int], position: int, rejected: Any, iso: dict[int, str]) -> Callable[[tuple], Any]:
    """Claim nodes as their DOT lines (formats.graph.dot_node's for _claim_attrs's attributes, which hold a shape
    already), each attribute as `, key="value"` until the first's comma is cut."""
    from timeline.formats.graph import dot_quote as q

    series: dict[int, tuple[str, str]] = {}
    profiles: dict[int, tuple[str, str, str, str, str]] = {}
    valid_lines: dict[int | None, str] = {None: ""}
    report_lines: dict[int | None, str] = {None: ""}
    files = {key: f", source={q(file)}" for key, file in g.files.items()}

    def attrs(pairs: Iterable[tuple[str, Any]]) -> str:
        return "".join(f", {k}={q(v)}" for k, v in pairs if v is not None)

    def of_series(sid: int) -> tuple[str, str]:
        metric, party, region, shape = g.keys[sid]
        found = series[sid] = (f"{metric} {party} {region or '-'} ",
                               attrs((("metric", metric), ("party", party), ("region", region), ("shape", shape))))
        return found

    def of_profile(pid: int) -> tuple[str, str, str, str, str]:
        qualifier, unit, claimant, outlet, modality, rule = g.profiles[pid]
        found = profiles[pid] = (f"{qualifier} ", f" {unit} @ ", attrs((("qualifier", qualifier), ("unit", unit))),
                                 attrs((("claimant", claimant), ("outlet", outlet), ("modality", modality))),
                                 attrs((("rule", rule),)))
        return found

    wanted, meta = whole  # what is entered whole: the claims named, the articles corrected

    def node(raw: tuple) -> DrawnClaim | None:
        if not _plain(raw, wanted, meta):
            return None
        (sid, key, at, valid, report, value, low, high, pid, article, _, _, _, _, replaces, _, quote, start, end,
         _) = raw
        cid = key.hex()
        label, in_series = series.get(sid) or of_series(sid)
        qualifier, unit, head, said, rule = profiles.get(pid) or of_profile(pid)
        valids = valid_lines.get(valid)
        if valids is None:
            valids = valid_lines[valid] = f", valid={q(iso[valid])}"
        reports = report_lines.get(report)
        if reports is None:
            reports = report_lines[report] = f", report={q(iso[report])}"
        figure = f"{value:,}" if type(value) is int else _fmt(value)
        day = "undated" if valid is None else iso[valid]
        name = q(f"{label}{qualifier}{figure}{unit}{day}")
        bounds = ("" if low is None else f', low="{low}"') + ("" if high is None else f', high="{high}"')  # numbers
        quotes = "" if quote is None else f", quote={q(quote)}"
        spans = ("" if start is None else f', span_start="{start}"') + ("" if end is None else f', span_end="{end}"')
        tail = "" if replaces is None else f", replaces={q(replaces)}"
        tail += ', retracted="True"' if retired.get(cid, position + 1) <= position else ', retracted="False"'
        if cid in rejected:
            tail += ', rejected="True"'
        text = (f'  "claim:{cid}" [kind="claim", label={name}{in_series}, value="{value}"{bounds}{head}{valids}'
                f'{reports}{said}{quotes}{spans}{rule}, position="{at}"{files.get(article, "")}{tail}];')
        return tuple.__new__(DrawnClaim, (f"claim:{cid}", text, source[article]))

    return node


__all__ = ["drawer"]
