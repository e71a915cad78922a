"""A claim's node in the provenance graph's node-link JSON, as its text.

The graph (timeline.graph) writes a claim read from an article's span as a
node whose attributes are the claim's row and the names its keys stand for.
timeline.claim_nodes draws that text from a read model's row; the SQLite read
model also keeps it, made here as the claim is folded (projections.readmodel,
the claim_nodes table), so that a graph of a million claims reads each node's
text rather than makes it. The text kept says the claim is not retracted:
a graph reads it only for claims no amendment or review names.

The text must not change without the read model's VERSION: a log keeps the
text it folded.
"""

from __future__ import annotations

from collections.abc import Iterable
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

NODE_HEAD = '  {\n   "kind": "claim",\n   "label": "'
_END = '"\n  }'  # what follows a node's id
ID_LEN = len("claim:") + 64  # a claim node's id: an id of 32 bytes, in hex


def json_value(v: Any) -> str:
    """A value as json.dumps writes it: strings escaped as json's encoder escapes them (ensure_ascii off), ints
    and finite floats as their repr."""
    if type(v) is str:
        return encode_basestring(v)
    if type(v) is bool:
        return "true" if v else "false"
    return repr(v)


def line(key: str, value: Any) -> str:
    """A node's line for an attribute with a value."""
    return f'   "{key}": {json_value(value)},\n'


def lines(pairs: Iterable[tuple[str, Any]]) -> str:
    return "".join(line(k, v) for k, v in pairs if v is not None)


def series_pieces(metric: str, party: str, region: str | None, shape: str) -> tuple[str, str]:
    """A series' part of the label (escaped: json's escaping is a character's at a time, so escaped pieces put
    together are the escaped whole) and its lines, ending where the value's line starts."""
    return (encode_basestring(f"{metric} {party} {region or '-'} ")[1:-1],
            '",\n' + lines((("metric", metric), ("party", party), ("region", region), ("shape", shape)))
            + '   "value": ')


def profile_pieces(qualifier: Any, unit: Any, claimant: Any, outlet: Any, modality: Any, rule: Any
                   ) -> tuple[str, str, str, str, str]:
    """A profile's parts of the label (escaped: before the figure, and between it and the date), its lines after
    the bounds, its lines after the dates, and its lines before the position's value."""
    return (encode_basestring(f"{qualifier} ")[1:-1], encode_basestring(f" {unit} @ ")[1:-1],
            lines((("qualifier", qualifier), ("unit", unit))),
            lines((("claimant", claimant), ("outlet", outlet), ("modality", modality))),
            ("" if rule is None else line("rule", rule)) + '   "position": ')


def pair_pieces(series: tuple, profile: tuple) -> tuple[str, str, str, str, str, str]:
    """The pieces of a claim's text its series key and profile give: the text up to the figure, between the figure
    and the date, after the date up to the value, after the bounds, after the dates, before the position."""
    label, in_series = series_pieces(*series)
    qualifier, unit, head, said, rule = profile_pieces(*profile)
    return NODE_HEAD + label + qualifier, unit, in_series, head, said, rule


def claim_text(pieces: tuple[str, str, str, str, str, str], figure: str, at: int, valid: str | None,
               report: str | None, value: Any, low: Any, high: Any, quote: str | None, start: int | None,
               end: int | None, source: str, node: str) -> str:
    """A claim's node, not retracted: `pieces` its pair's, `figure` its value as the label writes it, `valid` and
    `report` ISO dates, `source` its article file's line (or nothing)."""
    label, unit, in_series, head, said, rule = pieces
    bounds = "" if low is None else f'   "low": {low!r},\n'
    if high is not None:
        bounds += f'   "high": {high!r},\n'
    spans = "" if start is None else f'   "span_start": {start!r},\n'
    if end is not None:
        spans += f'   "span_end": {end!r},\n'
    quotes = "" if quote is None else f'   "quote": {encode_basestring(quote)},\n'
    dates = "" if valid is None else f'   "valid": "{valid}",\n'
    if report is not None:
        dates += f'   "report": "{report}",\n'
    return (f'{label}{figure}{unit}{"undated" if valid is None else valid}{in_series}{value!r},\n{bounds}'
            f'{head}{dates}{said}{quotes}{spans}{rule}{at!r},\n{source}   "retracted": false,\n   "id": "{node}{_END}')


def node_of(text: str) -> str:
    """The node id at the end of a kept claim's text."""
    return text[-ID_LEN - len(_END):-len(_END)]


__all__ = ["claim_text", "json_value", "line", "lines", "node_of", "pair_pieces", "profile_pieces", "series_pieces"]
