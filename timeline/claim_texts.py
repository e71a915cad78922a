"""Claim nodes read as the SQLite read model keeps their node-link JSON, for the graph's workers
(timeline.claim_runs).

Drawing a claim node from its row (timeline.claim_nodes) makes twenty columns
into Python objects and puts thirty pieces of text together: most of a
million-claim graph's time. The SQLite read model keeps the text of a claim
read from an article's span with whole-number figures as it folds the claim
(projections.node_text), so a worker reads it. What a graph's basis may change
in a claim's text, that it is retracted, replaced or rejected, is only ever
so for a claim the graph names (timeline.graph.wanted_claims: amendments'
and reviews' claims are named), and a named claim is read whole and drawn as
before; so is a claim without a kept text, of an article whose metadata was
corrected, or entered already.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from projections.node_text import node_of
from timeline.claim_nodes import NodeDrawer
from timeline.graph import DrawnClaim
from timeline.provenance import Ledger


def drawing(draw: NodeDrawer, g: Any, ledger: Ledger, entered: Iterable[bytes]
            ) -> Callable[[Iterable[tuple], Callable[[int], Iterator[Any]]], Iterator[Any]]:
    """How a worker draws the rows of projections.readmodel.graphed_nodes_after for a graph of rows `g` over
    `ledger`: a DrawnClaim for a kept text, else what `whole(position)` gives for the row at that position."""
    named = {f"claim:{key.hex()}" for key in (*draw.wanted(ledger), *entered)}
    sources, meta = draw.sources(g, ledger), g.meta
    new = tuple.__new__

    def drawn(rows: Iterable[tuple], whole: Callable[[int], Iterator[Any]]) -> Iterator[Any]:
        for text, article, _, at in rows:
            if text is None or article in meta:
                yield from whole(at)
                continue
            node = node_of(text)
            if node in named:
                yield from whole(at)
                continue
            yield new(DrawnClaim, (node, text, sources[article]))

    return drawn


__all__ = ["drawing"]
