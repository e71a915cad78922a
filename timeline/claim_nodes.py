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
from typing import Any

from attrs import frozen

from projections.node_text import claim_text, line, pair_pieces
from timeline.graph import DrawnClaim, _fmt, wanted_claims
from timeline.provenance import _ISO, Ledger


_HEX = re.compile(r"(?:[0-9a-f]{2})+")


def _plain(raw: tuple, wanted: Any, meta: Any) -> bool:
    """Whether a row's node can be drawn from it: a claim read from an article's span, not named by a value, an
    amendment or a review (`wanted`), of an article whose metadata stands as ingested (not in `meta`), with a
    figure and bounds the writers write alike (ints, finite floats) or absent. Such a claim replaces none (a
    replacement is a correction's) and, by the basis, is neither retracted nor rejected: every claim that is, an
    amendment or a review names."""
    if raw[15] != "ClaimReported" or raw[10] is not None or raw[1] in wanted or raw[9] in meta:
        return False
    value, low, high = raw[5], raw[6], raw[7]
    if type(value) is int and (low is None or type(low) is int) and (high is None or type(high) is int):
        return True
    return all(type(x) is int or x is None or (type(x) is float and math.isfinite(x)) for x in (value, low, high))


@frozen
class NodeDrawer:
    """What timeline.provenance.ledger_stream_from_read_model draws rows with, for a graph of these values (a
    state's) written in `fmt` ("json" or "dot"), each node as its text in it. The claims the values,
    the amendments and the reviews name (timeline.graph.wanted_claims) are entered whole, as are claims entered
    by hand, read from a dataset row, of an article whose metadata was corrected, or with a figure that is not a
    finite number."""

    values: tuple
    fmt: str

    def wanted(self, ledger: Ledger) -> set[bytes]:
        """The claims entered whole because something names them, as rows hold ids."""
        return {bytes.fromhex(c) for c in wanted_claims(self.values, ledger) if _HEX.fullmatch(c)}

    def sources(self, g: Any, ledger: Ledger) -> dict[int | None, str | None]:
        """Article key -> the article's node, if the graph draws it (an article ingested by the basis)."""
        details, articles = g.details, ledger.articles

        class Sources(dict):
            def __missing__(self, article: int | None) -> str | None:
                aid = details[article]
                found = self[article] = f"article:{aid}" if aid in articles else None
                return found

        return Sources()

    def __call__(self, g: Any, ledger: Ledger) -> Callable[[tuple], DrawnClaim | None]:
        whole = (self.wanted(ledger), g.meta)
        source = self.sources(g, ledger)
        if self.fmt == "json":
            return _json_nodes(g, whole, source, _ISO)
        if self.fmt == "dot":
            return _dot_nodes(g, whole, source, _ISO)
        raise ValueError(f"claim nodes are drawn as node-link JSON or DOT, not {self.fmt!r}")


def drawer(values: Iterable[Any], fmt: str) -> NodeDrawer:
    """The NodeDrawer of a graph of these values in `fmt`."""
    return NodeDrawer(tuple(values), fmt)


def _json_nodes(g: Any, whole: tuple[Any, Any], source: dict[int | None, str | None], iso: dict[int, str]
                ) -> Callable[[tuple], Any]:
    """Claim nodes as their node-link JSON text (formats.graph_stream._json_item's, the id last). The text around
    the figure is made once for each series and profile: json's escaping is a character's at a time, so the
    label's escaped pieces put together are the escaped label."""
    pairs: dict[tuple[int, int], tuple[str, str, str, str, str, str]] = {}
    files = {key: line("source", file) for key, file in g.files.items()}

    def of_pair(sid: int, pid: int) -> tuple[str, str, str, str, str, str]:
        found = pairs[sid, pid] = pair_pieces(g.keys[sid], g.profiles[pid])
        return found

    wanted, meta = whole  # what is entered whole: the claims named, the articles corrected

    def node(raw: tuple) -> DrawnClaim | None:
        if not _plain(raw, wanted, meta):
            return None
        (sid, key, at, valid, report, value, low, high, pid, article, _, _, _, _, _, _, quote, start, end, _) = raw
        node = "claim:" + key.hex()
        text = claim_text(pairs.get((sid, pid)) or of_pair(sid, pid), f"{value:,}" if type(value) is int
                          else _fmt(value), at, iso[valid] if valid is not None else None,
                          iso[report] if report is not None else None, value, low, high, quote, start, end,
                          files.get(article, ""), node)
        return tuple.__new__(DrawnClaim, (node, text, source[article]))

    return node


def _dot_nodes(g: Any, whole: tuple[Any, Any], source: dict[int | None, str | None], iso: dict[int, str]
               ) -> Callable[[tuple], Any]:
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
        (sid, key, at, valid, report, value, low, high, pid, article, _, _, _, _, _, _, quote, start, end, _) = raw
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
        text = (f'  "claim:{cid}" [kind="claim", label={name}{in_series}, value="{value}"{bounds}{head}{valids}'
                f'{reports}{said}{quotes}{spans}{rule}, position="{at}"{files.get(article, "")}, retracted="False"];')
        return tuple.__new__(DrawnClaim, (f"claim:{cid}", text, source[article]))

    return node


__all__ = ["NodeDrawer", "drawer"]
