"""The provenance graph written as it is drawn: node-link JSON and DOT without a networkx graph of the whole log.

A graph of a million claims does not fit a networkx DiGraph in a shared
machine's memory (every node a dict of attributes, every edge another), so
`timeline graph` writes the nodes of timeline.graph.graph_items as they come
and keeps only what the edges need: the id of every node in order, and the
edges by their source node. The text is what timeline.formats.graph writes
from the DiGraph that build_graph makes of the same items, byte for byte: the
nodes in the order they were added, then the edges grouped by source node in
that order, each as networkx's node-link data under json.dumps(indent=1) or as
to_dot writes it. The formats that read a whole graph (GraphML, PROV-JSON)
still go through networkx. A node whose attributes are a str is a node
drawn as its text in the format written already (timeline.claim_nodes),
written as it is.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

import orjson

from timeline.errors import TimelineError
from timeline.formats.jsontext import plain_number
from timeline.graph import REPORTS, DrawnClaim, DrawnRun, ReportRun

STREAMED = ("json", "dot")
_CHUNK = 1 << 20  # characters gathered before each write
_BATCH = 512  # nodes or edges joined at once

# What `write` is given: text, or text as UTF-8 bytes (a bytes object or a memoryview of one).
Text = str | bytes | memoryview

# json.dumps(indent=1) of a flat dict at the depth of a node (2): the C encoder with the separators that indent
# would use, between the braces that indent writes.
_FLAT = json.JSONEncoder(ensure_ascii=False, separators=(",\n   ", ": "), default=str)


def _json_item(d: dict[str, Any]) -> str:
    """A flat dict as json.dumps(indent=1) writes it at depth 2: by orjson (several times faster) when it writes
    every value alike, the json module otherwise."""
    for v in d.values():
        if type(v) is float and not plain_number(v):
            break
    else:
        try:
            text = orjson.dumps(d, default=str, option=orjson.OPT_INDENT_2)
        except TypeError:  # an int beyond 64 bits, a string with a lone surrogate
            pass
        else:  # a flat dict: every newline starts a key, or the closing brace
            return "  " + text[:-1].replace(b"\n  ", b"\n   ").decode() + "  }"
    return "  {\n   " + _FLAT.encode(d)[1:-1] + "\n  }"


def _json_edge(u: str, v: str, d: dict[str, Any]) -> str:
    """An edge other than a report (those are written in _write_json, their source escaped once)."""
    return _json_item({**d, "source": u, "target": v})


def join_nodes(fmt: str, texts: list[str], after: bool = False) -> str:
    """Nodes' texts in `fmt` as the writer puts them one after another (a DrawnRun's text), `after` others."""
    if fmt == "json":
        return (",\n" if after else "") + ",\n".join(texts)
    return "".join([t + "\n" for t in texts])


def report_edges(fmt: str, source: str, targets: Iterable[str]) -> str:
    """The text of the report edges from `source` to `targets` in `fmt`, as the writer puts them one after
    another: _json_edge's and dot_edge's text for {"kind": "reports"}, the source escaped once for them all."""
    if fmt == "json":
        head = f'  {{\n   "kind": "reports",\n   "source": {encode_basestring(source)},\n   "target": '
        return ",\n".join([f"{head}{encode_basestring(v)}\n  }}" for v in targets])
    from timeline.formats.graph import dot_quote

    head = f"  {dot_quote(source)} -> "
    return "".join([f'{head}{dot_quote(v)} [kind="reports", label="reports"];\n' for v in targets])


def _edge_chunks(fmt: str, sink: "_Sink", edge: Callable[[str, str, dict[str, Any]], str], sep: str
                 ) -> Iterator[Text]:
    """The edges' texts joined by `sep`, _BATCH of them or about _CHUNK characters at a time: str, or UTF-8 bytes
    when the sink holds ReportRuns (their text is bytes, and the edges among them are encoded to go with them)."""
    raw = sink.run_nodes > 0
    texts: list[Any] = []
    size = 0
    for text in _edge_texts(fmt, sink, edge):
        if raw and type(text) is str:
            text = text.encode()
        texts.append(text)
        size += len(text)
        if len(texts) >= _BATCH or size >= _CHUNK:
            yield sep.encode().join(texts) if raw else sep.join(texts)
            texts, size = [], 0
    if texts:
        yield sep.encode().join(texts) if raw else sep.join(texts)


def _edge_texts(fmt: str, sink: "_Sink", edge: Callable[[str, str, dict[str, Any]], str]) -> Iterable[Any]:
    """The edges' texts by source, in node order: a run of report edges as one text, a ReportRun's as it is."""
    for u, targets in sink.sources():
        reports: list[str] = []
        for v, d in targets.items():
            if type(v) is ReportRun or d != REPORTS:
                if reports:
                    yield report_edges(fmt, u, reports)
                    reports = []
                yield v.text if type(v) is ReportRun else edge(u, v, d)
            else:
                reports.append(v)
        if reports:
            yield report_edges(fmt, u, reports)


class _Writer:
    """Gathers text and hands it to `write` in chunks of about a megabyte; text as UTF-8 bytes (drawn by another
    process: timeline.claim_runs) is handed on as it is, after what came before it."""

    def __init__(self, write: Callable[[Text], Any]) -> None:
        self.write = write
        self.parts: list[str] = []
        self.size = 0

    def add(self, text: Text) -> None:
        if type(text) is not str:
            self.flush()
            self.write(text)
            return
        self.parts.append(text)
        self.size += len(text)
        if self.size >= _CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.parts:
            self.write("".join(self.parts))
            self.parts, self.size = [], 0


class _Sink:
    """The graph_items of a graph as networkx would hold them, with the nodes drawn while the claims go by written
    at once (`emit`) and only their ids kept; the nodes after them (values, derived values, amendments: few) are
    kept whole, as a later item may change their attributes."""

    def __init__(self, emit: Callable[[str, dict[str, Any]], None], emit_run: Callable[[str], None]) -> None:
        self.emit, self.emit_run = emit, emit_run
        self.written: dict[str, None] = {}  # the nodes written, in order
        self.tail: dict[str, dict[str, Any]] = {}  # the nodes not yet written, in order, with their attributes
        self.adj: dict[str, dict[Any, dict[str, Any]]] = {}  # by source: target (or ReportRun) -> attributes
        self.run_nodes = 0  # the nodes written in DrawnRuns (not in `written`: nothing names them again)
        self.run_edges = 0  # the edges that the ReportRuns in `adj` stand for, beyond one each

    def node(self, n: str, attrs: dict[str, Any]) -> None:
        if n in self.written:
            raise TimelineError(f"internal error: node {n} was drawn twice while the graph was streamed")
        if self.tail or n in self.tail:
            if not isinstance(attrs, dict):
                raise TimelineError(f"internal error: node {n} was drawn as text after the nodes it must precede")
            self.tail.setdefault(n, {}).update(attrs)
            return
        self.written[n] = None
        self.emit(n, attrs)

    def edge(self, u: str, v: str, attrs: dict[str, Any]) -> None:
        for end in (u, v):
            if end not in self.written and end not in self.tail:
                self.tail[end] = {}
        out = self.adj.get(u)
        if out is None:
            out = self.adj[u] = {}
        prior = out.get(v)
        out[v] = attrs if prior is None else {**prior, **attrs}

    def take(self, items: Iterable[tuple]) -> None:
        """node and edge for each item; inlined for the common case (a node written at once, an edge between two
        written nodes), as a large graph has millions of items."""
        node, edge, written, tail, adj, emit = self.node, self.edge, self.written, self.tail, self.adj, self.emit
        for item in items:
            if type(item) is DrawnRun:
                self.run(item)
            elif type(item) is DrawnClaim:  # a node, then its report edge from its source, written before
                n, src = item[0], item[2]
                if tail or n in written:
                    node(n, item[1])
                else:
                    written[n] = None
                    emit(n, item[1])
                if src is not None:
                    out = adj.get(src)
                    if out is None or n in out or src not in written:
                        edge(src, n, REPORTS)
                    else:
                        out[n] = REPORTS
            elif item[0] == "node":
                n = item[1]
                if tail or n in written:
                    node(n, item[2])
                else:
                    written[n] = None
                    emit(n, item[2])
            else:
                u, v = item[1], item[2]
                out = adj.get(u)
                if out is None or v in out or u not in written or v not in written:
                    edge(u, v, item[3])
                else:
                    out[v] = item[3]

    def run(self, item: DrawnRun) -> None:
        """A run's nodes written at once, its report edges kept as one entry a source: the claims in it are
        named by nothing else, and their sources were written before it (graph_items draws a source with the
        first claim from it)."""
        if self.tail:
            raise TimelineError("internal error: a run of claims was drawn after the nodes it must precede")
        self.emit_run(item.text)
        self.run_nodes += item.count
        for src, edges in item.reports:
            if src not in self.written:
                raise TimelineError(f"internal error: a run of claims reports from {src}, not drawn before it")
            out = self.adj.get(src)
            if out is None:
                out = self.adj[src] = {}
            out[edges] = REPORTS
            self.run_edges += edges.count - 1

    def sources(self) -> Iterable[tuple[str, dict[Any, dict[str, Any]]]]:
        """The nodes with edges out, in node order, each with its edges by target."""
        adj = self.adj
        for u in (*self.written, *self.tail):
            out = adj.get(u)
            if out:
                yield u, out

    def counts(self) -> dict[str, int]:
        return {"nodes": len(self.written) + len(self.tail) + self.run_nodes,
                "edges": sum(len(out) for out in self.adj.values()) + self.run_edges}


def write_graph(items: Iterable[tuple], graph: dict[str, Any], fmt: str, write: Callable[[Text], Any]) -> dict[str, int]:
    """Write the graph of `items` (timeline.graph.graph_items) with graph attributes `graph` in `fmt` (one of
    STREAMED) through `write` (str chunks, or UTF-8 bytes-like ones for what other processes drew); returns how
    many nodes and edges were written."""
    if fmt == "json":
        return _write_json(items, graph, write)
    if fmt == "dot":
        return _write_dot(items, graph, write)
    raise TimelineError(f"graph format {fmt!r} is not written as a stream (streamed: {', '.join(STREAMED)})")


def _write_json(items: Iterable[tuple], graph: dict[str, Any], write: Callable[[Text], Any]) -> dict[str, int]:
    out = _Writer(write)
    head = json.dumps({"directed": True, "multigraph": False, "graph": graph}, indent=1, ensure_ascii=False,
                      default=str)
    out.add(head[:-2] + ',\n "nodes": [')
    first = [True]

    def put(text: Text) -> None:
        out.add("\n" if first[0] else ",\n")
        out.add(text)
        first[0] = False

    drawn: list[str] = []  # nodes drawn as text, written together

    def flush() -> None:
        if drawn:
            put(",\n".join(drawn))
            drawn.clear()

    def emit(n: str, d: dict[str, Any]) -> None:
        if type(d) is str:  # a node's whole text, drawn before it came here (timeline.claim_nodes)
            drawn.append(d)
            if len(drawn) >= _BATCH:
                flush()
        else:
            flush()
            put(_json_item({**d, "id": n}))

    def emit_run(text: Text) -> None:
        flush()
        put(text)

    sink = _Sink(emit, emit_run)
    sink.take(items)
    flush()
    for n, d in sink.tail.items():
        put(_json_item({**d, "id": n}))
    out.add("]" if first[0] else "\n ]")
    out.add(',\n "links": [')
    first[0] = True
    for chunk in _edge_chunks("json", sink, _json_edge, ",\n"):
        put(chunk)
    out.add("]" if first[0] else "\n ]")
    out.add("\n}\n")
    out.flush()
    return sink.counts()


def _write_dot(items: Iterable[tuple], graph: dict[str, Any], write: Callable[[Text], Any]) -> dict[str, int]:
    from timeline.formats.graph import dot_edge, dot_head, dot_node

    out = _Writer(write)
    for line in dot_head(graph):
        out.add(line + "\n")
    sink = _Sink(lambda n, d: out.add((d if type(d) is str else dot_node(n, d)) + "\n"),  # str: the node's line
                 out.add)
    sink.take(items)
    for n, d in sink.tail.items():
        out.add(dot_node(n, d) + "\n")
    for chunk in _edge_chunks("dot", sink, lambda u, v, d: dot_edge(u, v, d) + "\n", ""):
        out.add(chunk)
    out.add("}\n")
    out.flush()
    return sink.counts()


__all__ = ["STREAMED", "Text", "join_nodes", "report_edges", "write_graph"]
