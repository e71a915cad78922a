"""Claim nodes drawn straight from the read model's rows, for a graph written as it is drawn.

Entering a claim into a Ledger (a ClaimRow, a dated Row, its Evidence, a
ClaimEntry) and then drawing its node (timeline.graph._claim_attrs) costs
tens of microseconds, a minute at a million claims. Most claims need none of
it: read from an article's span, not named by a value, an amendment or a
review, their node is their row's fields and names the row's keys stand for.
`drawer` makes those nodes (timeline.graph.DrawnClaim) from the row itself
with the same attributes in the same order, the names behind each series,
profile and date looked up once; every other row is entered whole as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from timeline.formats.jsontext import plain_number
from timeline.graph import DrawnClaim, Plain, _fmt, wanted_claims
from timeline.provenance import Drawer, Ledger


class _Iso(dict):
    """Day ordinal -> ISO date, each made once."""

    def __missing__(self, day: int) -> str:
        text = self[day] = dt.date.fromordinal(day).isoformat()
        return text


def drawer(values: Iterable[Any]) -> Drawer:
    """What timeline.provenance.ledger_stream_from_read_model draws rows with, for a graph of these values (a
    state's): the claims they, the amendments and the reviews name (timeline.graph.wanted_claims) are entered
    whole, as are claims entered by hand, read from a dataset row, of an article whose metadata was corrected,
    or with a figure orjson writes otherwise than json."""

    def draw(g: Any, ledger: Ledger) -> Callable[[tuple], DrawnClaim | None]:
        wanted = wanted_claims(values, ledger)
        meta, details, articles, files, iso = g.meta, g.details, ledger.articles, g.files, _Iso()
        series: dict[int, tuple[str, dict[str, Any]]] = {}
        profiles: dict[int, tuple[str, str, dict[str, Any], dict[str, Any], str | None]] = {}

        def of_series(sid: int) -> tuple[str, dict[str, Any]]:
            metric, party, region, shape = g.keys[sid]
            attrs = {"metric": metric, "party": party, "region": region, "shape": shape}
            found = series[sid] = (f"{metric} {party} {region or '-'} ", {k: v for k, v in attrs.items()
                                                                          if v is not None})
            return found

        def of_profile(pid: int) -> tuple[str, str, dict[str, Any], dict[str, Any], str | None]:
            qualifier, unit, claimant, outlet, modality, rule = g.profiles[pid]
            head = {k: v for k, v in (("qualifier", qualifier), ("unit", unit)) if v is not None}
            said = {k: v for k, v in (("claimant", claimant), ("outlet", outlet), ("modality", modality))
                    if v is not None}
            found = profiles[pid] = (f"{qualifier} ", f" {unit} @ ", head, said, rule)
            return found

        def node(raw: tuple) -> DrawnClaim | None:
            (sid, cid, position, valid, report, value, low, high, pid, article, dataset, _, _, _, replaces, kind,
             quote, start, end, _) = raw
            if kind != "ClaimReported" or dataset is not None or cid in wanted or article in meta:
                return None
            for x in (value, low, high):
                if type(x) is float and not plain_number(x):
                    return None
            label, in_series = series.get(sid) or of_series(sid)
            qualifier, unit, head, said, rule = profiles.get(pid) or of_profile(pid)
            day = None if valid is None else iso[valid]
            d = Plain(kind="claim", label=f"{label}{qualifier}{_fmt(value)}{unit}{day or 'undated'}")
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
            d["position"] = position
            source = files.get(article)
            if source is not None:
                d["source"] = source
            if replaces is not None:
                d["replaces"] = replaces
            aid = details[article]
            return DrawnClaim(cid, d, aid if aid in articles else None)

        return node

    return draw


__all__ = ["drawer"]
