"""The provenance graph: article -> claim -> value -> derived value, as a networkx DiGraph.

Node ids carry their kind (`article:<id>`, `dataset:<file>#<row>`,
`page:<url>` (a page a person entered a claim from), `claim:<id>`,
`value:<id>`, `derived:<id>`, `retraction:<event id>`,
`correction:<event id>`, `review:<position>`), and every node has a `kind`
and a `label`. Edge kinds:

- `reports`: article (or dataset row, or page) -> claim;
- `supports`: claim -> the value it carries;
- `competes`: claim -> the value it did not win, with the `reason` it lost;
- `derived_from`: input value -> derived value;
- `retracts` / `corrects`: retraction or correction -> the claim it targets;
- `reviews`: a person's mark (confirmed, rejected, asserted, corrected) -> the claim.

networkx is imported inside the functions that need it, so that commands
which never draw the graph do not pay for importing it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from attrs import frozen

from projections.derive import value_id
from timeline.provenance import ClaimEntry, Ledger, Provenance

REPORTS = {"kind": "reports"}  # the attributes of the report edge of every DrawnClaim: one dict, never changed
EDGE_KINDS = ("reports", "supports", "competes", "derived_from", "retracts", "corrects", "reviews")


def _clean(attrs: dict[str, Any]) -> dict[str, Any]:
    """Attributes without None: every export format can write what remains."""
    return {k: v for k, v in attrs.items() if v is not None}


def article_node(article_id: str) -> str:
    return f"article:{article_id}"


def dataset_node(entry: ClaimEntry) -> str:
    ds = entry.evidence.dataset  # type: ignore[union-attr]
    return f"dataset:{ds.file}#{ds.row}"


def claim_node(claim_id: str) -> str:
    return f"claim:{claim_id}"


def value_node(v: Any) -> str:
    return f"{'derived' if getattr(v, 'derived', False) else 'value'}:{value_id(v)}"


def source_node(ledger: Ledger, entry: ClaimEntry) -> str | None:
    """The node a claim was read from: its article, or its dataset row."""
    if entry.row.article_id is not None and entry.row.article_id in ledger.articles:
        return article_node(entry.row.article_id)
    if entry.evidence is not None and entry.evidence.dataset is not None:
        return dataset_node(entry)
    if entry.source is not None and entry.source.url:
        return f"page:{entry.source.url}"
    return None


def _fmt(v: Any) -> str:
    if isinstance(v, float) and not v.is_integer():
        return f"{v:,.1f}"
    return f"{int(v):,}"


def _value_attrs(v: Any, staleness: int) -> dict[str, Any]:
    return _clean({
        "kind": "derived" if getattr(v, "derived", False) else "value",
        "label": f"{v.metric} {v.party} {v.region or '-'} = {_fmt(v.value)} {v.unit} @ {v.valid.isoformat()}",
        "metric": v.metric, "party": v.party, "region": v.region, "shape": v.shape, "value": v.value,
        "low": v.low, "high": v.high, "qualifier": v.qualifier, "unit": v.unit, "valid": v.valid.isoformat(),
        "staleness_days": staleness, "rule": v.rule, "formula": getattr(v, "formula", None),
    })


def _claim_attrs(ledger: Ledger, e: ClaimEntry, rejected: Any = None) -> dict[str, Any]:
    """A claim node's attributes; `rejected` holds the claims rejected at the ledger's position (None: no
    review in the ledger)."""
    r = e.row
    span = e.evidence.span if e.evidence is not None else None
    return _clean({
        "kind": "claim",
        "label": f"{r.metric} {r.party} {r.region or '-'} {r.qualifier} {_fmt(r.value)} {r.unit}"
                 f" @ {r.valid.isoformat() if r.valid else 'undated'}",
        "metric": r.metric, "party": r.party, "region": r.region, "shape": r.shape, "value": r.value,
        "low": r.low, "high": r.high, "qualifier": r.qualifier, "unit": r.unit,
        "valid": r.valid.isoformat() if r.valid else None,
        "report": r.report.isoformat() if r.report else None,
        "claimant": r.claimant, "outlet": r.outlet, "modality": r.modality, "quote": r.quote,
        "span_start": span[0] if span else None, "span_end": span[1] if span else None,
        "rule": e.rule, "position": r.position, "source": r.source, "replaces": e.replaces,
        "retracted": e.claim_id in ledger.retired and ledger.retired[e.claim_id] <= ledger.position,
        "rejected": True if rejected is not None and e.claim_id in rejected else None,
    })


class DrawnClaim(NamedTuple):
    """A claim node as timeline.claim_nodes draws it from a read-model row: its id, its text in the format
    written, and the article node it is reported from, if the graph draws that article (else None).

    graph_items passes one on as an item of its own once its article's node is drawn: the node, then the report
    edge from the article (formats.graph_stream takes it so, as a million claims make three million items)."""

    node: str
    text: str
    source: str | None


@frozen(eq=False)
class ReportRun:
    """The report edges from one source node to the claims of a DrawnRun, as their text in the format written.
    It stands in a writer's edges from the source as one entry (compared by identity) for `count` edges."""

    text: bytes  # UTF-8
    count: int


@frozen
class DrawnRun:
    """DrawnClaims drawn one after another in log order by another process (timeline.claim_runs), each from a
    source node drawn before the run: their nodes' text joined as the writer joins nodes, and their report
    edges by source. graph_items passes one on as it is: what it would do for each claim is only to pass it on."""

    text: bytes | memoryview  # UTF-8
    count: int
    reports: tuple[tuple[str, ReportRun], ...]


def build_graph(prov: Provenance) -> Any:
    """The DiGraph of a Provenance: the claims its basis admits up to its date, the values and derived values."""
    import networkx as nx

    basis = prov.basis
    g = nx.DiGraph(**graph_attrs(basis))
    for item in graph_items(prov):
        if item[0] == "node":
            g.add_node(item[1], **item[2])
        else:
            g.add_edge(item[1], item[2], **item[3])
    return g


def graph_attrs(basis: Any) -> dict[str, Any]:
    """The graph's own attributes: the basis it was drawn at."""
    return {"as_of": basis.as_of.isoformat(), "known_at": basis.to_data()["known_at"], "position": basis.position}


def drawn(basis: Any, e: ClaimEntry) -> bool:
    """Whether the graph at `basis` draws a claim: appended by its position, reported by its known-at, valid by
    its date or undated."""
    r = e.row
    return (r.position <= basis.position
            and (basis.known_at is None or (r.report is not None and r.report <= basis.known_at))
            and (r.valid is None or r.valid <= basis.as_of))


def graph_items(prov: Provenance, claims: Iterable[ClaimEntry] | None = None) -> Iterator[tuple]:
    """The graph of a Provenance as the calls that build it, in order: ("node", id, attrs) adds a node (or
    updates its attributes), ("edge", u, v, attrs) an edge (adding a bare node for an end not yet drawn), as
    networkx's add_node and add_edge do. build_graph makes a DiGraph of them; timeline.formats.stream writes them
    out without one, for a log too large to hold as a graph.

    `claims` are the ledger's claims in its order, when the ledger holds only some of them: then its `claims`
    hold the ones a value may name that the stream leaves out (the claims corrections replace, filled in as the
    stream goes by). A claim of the stream may come as a DrawnClaim, its node already drawn (timeline.claim_nodes),
    or many as a DrawnRun (timeline.claim_runs).
    A claim node or a source node is drawn once, and only while the claims go by or after: every other node
    (values, derived values, amendments) comes after the last claim of the stream.
    """
    from attrs import evolve

    from timeline.explain import loss_reasons

    ledger, basis = prov.ledger, prov.basis
    values = prov.state.values
    wanted = wanted_claims(values, ledger)
    drawn_ids: set[str] = set()  # the wanted claims the graph holds a node for
    sources: set[str] = set()
    kept: dict[str, ClaimEntry] = {}
    rejected = ledger.standing(ledger.position).rejected if ledger.reviews else None
    stream = ledger.claims.values() if claims is None else claims

    def add(e: ClaimEntry) -> Iterator[tuple]:
        node = claim_node(e.claim_id)
        yield "node", node, _claim_attrs(ledger, e, rejected)
        if e.claim_id in wanted:
            drawn_ids.add(e.claim_id)
        src = source_node(ledger, e)
        if src is None:
            return
        if src not in sources:
            sources.add(src)
            yield "node", src, _source_attrs(ledger, e, src)
        yield "edge", src, node, {"kind": "reports"}

    for e in stream:
        if type(e) is DrawnRun:
            yield e
            continue
        if type(e) is DrawnClaim:  # a claim no value, amendment or review names, read from an article or nowhere
            src = e.source
            if src is None or src in sources:
                yield e
            else:
                sources.add(src)
                yield "node", e.node, e.text
                yield "node", src, article_attrs(ledger, src[len("article:"):])
                yield "edge", src, e.node, REPORTS
            continue
        if claims is not None and e.claim_id in wanted:
            kept[e.claim_id] = e
        if drawn(basis, e):
            yield from add(e)
    if claims is not None:
        ledger = evolve(ledger, claims={**ledger.claims, **kept})

    def ensure(claim_id: str) -> Iterator[tuple]:
        if claim_id not in drawn_ids and claim_id in ledger.claims:
            yield from add(ledger.claims[claim_id])
        drawn_ids.add(claim_id)  # the edge that follows draws it, bare if the ledger does not hold it

    for v in values:
        node = value_node(v)
        yield "node", node, _value_attrs(v, (basis.as_of - v.valid).days)
        for cid in v.claims:
            yield from ensure(cid)
            yield "edge", claim_node(cid), node, {"kind": "supports"}
        reasons = loss_reasons(ledger, v)
        for c in v.competing:
            yield from ensure(c.claim_id)
            yield "edge", claim_node(c.claim_id), node, {"kind": "competes",
                                                         "reason": reasons.get(c.claim_id, "not chosen")}
    for d in prov.derived:
        node = value_node(d)
        yield "node", node, _value_attrs(d, (basis.as_of - d.valid).days)
        for i in d.inputs:
            yield "edge", value_node(i), node, {"kind": "derived_from"}
    for r in ledger.retractions:
        if r.position <= basis.position and r.claim_id in drawn_ids:
            n = f"retraction:{r.event_id}"
            yield "node", n, {"kind": "retraction", "label": f"retraction: {r.reason}", "reason": r.reason,
                              "position": r.position}
            yield "edge", n, claim_node(r.claim_id), {"kind": "retracts"}
    for c in ledger.corrections:
        if c.position <= basis.position and c.claim_id in drawn_ids:
            n = f"correction:{c.event_id}"
            yield "node", n, _clean({"kind": "correction", "label": f"correction: {c.reason}", "reason": c.reason,
                                     "adjustment": c.adjustment, "position": c.position,
                                     "replacement": c.replacement})
            yield "edge", n, claim_node(c.claim_id), {"kind": "corrects"}
    for m in ledger.reviews:
        if m.position <= basis.position and m.claim_id in drawn_ids:
            n = f"review:{m.position}"
            yield "node", n, _clean({"kind": "review", "label": f"{m.mark} by {m.reviewer}", "mark": m.mark,
                                     "reviewer": m.reviewer, "at": m.at, "note": m.note, "position": m.position})
            yield "edge", n, claim_node(m.claim_id), {"kind": "reviews"}


def wanted_claims(values: Iterable[Any], ledger: Ledger) -> set[str]:
    """The claims a graph draws more than a node and its report for: those its values (a state's), amendments
    and reviews name."""
    wanted = {cid for v in values for cid in v.claims} | {c.claim_id for v in values for c in v.competing}
    wanted |= {r.claim_id for r in ledger.retractions} | {c.claim_id for c in ledger.corrections}
    return wanted | {r.claim_id for r in ledger.reviews}


def article_attrs(ledger: Ledger, article_id: str) -> dict[str, Any]:
    """An article node's attributes, with its metadata as the ledger holds it."""
    entry = ledger.articles[article_id]
    a = entry.article
    return _clean({
        "kind": "article", "label": a.file, "file": a.file, "outlet": a.outlet,
        "published": a.published.isoformat() if a.published else None,
        "published_origin": a.published_origin, "title": a.title, "url": a.url, "position": entry.position,
    })


def _source_attrs(ledger: Ledger, e: ClaimEntry, src: str) -> dict[str, Any]:
    if src.startswith("article:"):
        return article_attrs(ledger, e.row.article_id)  # type: ignore[arg-type]
    if src.startswith("page:"):
        page = e.source  # type: ignore[union-attr]
        return _clean({
            "kind": "page", "label": page.url, "url": page.url, "outlet": page.outlet,  # type: ignore[union-attr]
            "published": page.published.isoformat() if page.published else None})  # type: ignore[union-attr]
    ds = e.evidence.dataset  # type: ignore[union-attr]
    return {"kind": "dataset_row", "label": f"{ds.file} row {ds.row}", "repository": ds.repository,
            "commit": ds.commit, "file": ds.file, "row": ds.row}


def sources_of(g: Any, node: str) -> set[str]:
    """The article and dataset-row nodes a node can be traced back to."""
    import networkx as nx

    return {n for n in nx.ancestors(g, node) if g.nodes[n].get("kind") in ("article", "dataset_row", "page")}


def counts(g: Any) -> dict[str, Any]:
    """How many nodes and edges of each kind: the size of a graph at a glance."""
    nodes: dict[str, int] = {}
    for _, k in g.nodes(data="kind"):
        nodes[k] = nodes.get(k, 0) + 1
    edges: dict[str, int] = {}
    for _, _, k in g.edges(data="kind"):
        edges[k] = edges.get(k, 0) + 1
    return {"nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
            "node_kinds": dict(sorted(nodes.items())), "edge_kinds": dict(sorted(edges.items()))}
