"""The provenance graph in four formats: node-link JSON, GraphML, DOT and W3C PROV-JSON.

JSON and GraphML come from networkx and read back into an equal graph with
it; DOT is written here as text (no pydot or graphviz needed); PROV-JSON is
built with the `prov` package, an optional extra (`pip install 'timeline[prov]'`).
"""

from __future__ import annotations

import json
import re
from typing import Any

from timeline.errors import TimelineError

FORMATS = ("json", "graphml", "dot", "prov-json")
PROV_NAMESPACE = ("tl", "urn:timeline:")
PROV_MISSING = "PROV-JSON needs the prov package: pip install 'timeline[prov]' (or: pip install prov)"


def to_node_link(g: Any) -> dict[str, Any]:
    """networkx's node-link data, with the edges under "links" whatever the networkx version."""
    import networkx as nx

    try:
        return nx.node_link_data(g, edges="links")
    except TypeError:  # networkx before 3.4 has no `edges` argument and calls them "links"
        return nx.node_link_data(g)


def from_node_link(data: dict[str, Any]) -> Any:
    import networkx as nx

    try:
        return nx.node_link_graph(data, edges="links")
    except TypeError:
        return nx.node_link_graph(data)


# Control characters (from a title, an outlet, a URL) cannot stand in XML 1.0 at all, and would drive a terminal
# that shows DOT: both formats write them as a visible \xNN escape. Node-link JSON keeps them exact.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def escaped(value: Any) -> Any:
    """A string with its control characters written as \\xNN; anything else as it is."""
    if not isinstance(value, str) or not _CONTROL.search(value):
        return value
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)


def to_graphml(g: Any) -> str:
    """GraphML text; numeric attributes that mix ints and floats are written as doubles, control characters
    as \\xNN (XML cannot hold them)."""
    import networkx as nx

    h = g.copy()
    if any(escaped(n) != n for n in h.nodes):
        h = nx.relabel_nodes(h, {n: escaped(n) for n in h.nodes})
    for d in [h.graph] + [d for _, d in h.nodes(data=True)] + [d for _, _, d in h.edges(data=True)]:
        for k, v in d.items():
            if isinstance(v, str):
                d[k] = escaped(v)
    floaty = {k for _, d in h.nodes(data=True) for k, v in d.items() if isinstance(v, float)}
    floaty |= {k for _, _, d in h.edges(data=True) for k, v in d.items() if isinstance(v, float)}
    for _, d in list(h.nodes(data=True)) + [(None, d) for _, _, d in h.edges(data=True)]:
        for k in floaty & d.keys():
            if isinstance(d[k], int) and not isinstance(d[k], bool):
                d[k] = float(d[k])
    return "\n".join(nx.generate_graphml(h)) + "\n"


_SHAPES = {"article": "note", "dataset_row": "cylinder", "claim": "box", "value": "ellipse",
           "derived": "doubleoctagon", "retraction": "octagon", "correction": "octagon"}


def _dot_quote(value: Any) -> str:
    text = escaped(str(value)).replace("\\", "\\\\").replace('"', '\\"').replace("\r", " ").replace("\n", "\\n")
    return f'"{text}"'


_DOT_PLAIN = re.compile(r'[\x00-\x1f\x7f-\x9f\ufffe\uffff"\\]')  # what _dot_quote may change, and tabs


def dot_quote(value: Any) -> str:
    """_dot_quote's text, at once for the strings it leaves as they are (most: a graph writes millions)."""
    if type(value) is str and not _DOT_PLAIN.search(value):
        return f'"{value}"'
    return _dot_quote(value)


def _dot_attrs(attrs: dict[str, Any]) -> str:
    return ", ".join(f"{k}={_dot_quote(v)}" for k, v in attrs.items() if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", k))


def to_dot(g: Any) -> str:
    """Graphviz DOT text: every node and edge with its attributes, a shape per node kind."""
    lines = dot_head(g.graph)
    lines.extend(dot_node(n, d) for n, d in g.nodes(data=True))
    lines.extend(dot_edge(u, v, d) for u, v, d in g.edges(data=True))
    lines.append("}")
    return "\n".join(lines) + "\n"


def dot_head(graph: dict[str, Any]) -> list[str]:
    """The lines of a DOT graph before its nodes."""
    return ["digraph provenance {", f"  graph [{_dot_attrs({k: v for k, v in graph.items() if v is not None})}];",
            '  node [fontsize="10"];']


def dot_node(n: str, d: dict[str, Any]) -> str:
    attrs = dict(d)
    attrs.setdefault("shape", _SHAPES.get(d.get("kind", ""), "box"))
    return f"  {_dot_quote(n)} [{_dot_attrs(attrs)}];"


def dot_edge(u: str, v: str, d: dict[str, Any]) -> str:
    attrs = dict(d)
    attrs.setdefault("label", d.get("kind", ""))
    return f"  {_dot_quote(u)} -> {_dot_quote(v)} [{_dot_attrs(attrs)}];"


def _qname(node: str) -> str:
    kind, _, rest = node.partition(":")
    return f"tl:{kind}_{re.sub(r'[^A-Za-z0-9_-]', '_', rest)}"


def _agent_id(name: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_") or "unnamed"
    return f"tl:agent_{slug}"


def _prov_attrs(d: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"prov:label": d.get("label", "")}
    for k, v in d.items():
        if k in ("label",) or v is None:
            continue
        out[f"tl:{k}"] = v
    return out


def to_prov(g: Any) -> Any:
    """A prov.model.ProvDocument: entities for every node, agents for claimants and outlets.

    Relations: claim wasQuotedFrom its article (a dataset claim wasDerivedFrom
    its row); value wasDerivedFrom each supporting claim; derived value
    wasDerivedFrom each input; claim and article wasAttributedTo their
    claimant and outlet; a competing claim and a retraction or correction are
    recorded as wasInfluencedBy with the edge kind as `tl:edge`.
    """
    try:
        from prov.model import ProvDocument
    except ImportError:
        raise TimelineError(PROV_MISSING) from None
    doc = ProvDocument()
    doc.add_namespace(*PROV_NAMESPACE)
    entities = {n: doc.entity(_qname(n), _prov_attrs(d)) for n, d in g.nodes(data=True)}
    agents: dict[str, Any] = {}

    def agent(name: str, role: str) -> Any:
        if name not in agents:
            agents[name] = doc.agent(_agent_id(name), {"prov:label": name, "tl:role": role})
        return agents[name]

    for n, d in g.nodes(data=True):
        if d.get("kind") == "claim" and d.get("claimant"):
            doc.wasAttributedTo(entities[n], agent(d["claimant"], "claimant"))
        if d.get("kind") == "article" and d.get("outlet"):
            doc.wasAttributedTo(entities[n], agent(d["outlet"], "outlet"))
    for u, v, d in g.edges(data=True):
        kind = d.get("kind")
        if kind == "reports":
            if g.nodes[u].get("kind") == "article":
                doc.wasQuotedFrom(entities[v], entities[u])
            else:
                doc.wasDerivedFrom(entities[v], entities[u])
        elif kind in ("supports", "derived_from"):
            doc.wasDerivedFrom(entities[v], entities[u], other_attributes={"tl:edge": kind})
        else:
            attrs = {"tl:edge": kind, **({"tl:reason": d["reason"]} if d.get("reason") else {})}
            doc.wasInfluencedBy(entities[v], entities[u], other_attributes=attrs)
    return doc


def to_prov_json(g: Any) -> str:
    return to_prov(g).serialize(format="json", indent=1) + "\n"


def export(g: Any, fmt: str) -> str:
    """The graph as text in one of FORMATS."""
    if fmt == "json":
        return json.dumps(to_node_link(g), indent=1, ensure_ascii=False, default=str) + "\n"
    if fmt == "graphml":
        return to_graphml(g)
    if fmt == "dot":
        return to_dot(g)
    if fmt == "prov-json":
        return to_prov_json(g)
    raise TimelineError(f"unknown graph format {fmt!r} (formats: {', '.join(FORMATS)})")
