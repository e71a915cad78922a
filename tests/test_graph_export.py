"""`timeline graph`: each export format read back by the library that reads it."""

from __future__ import annotations

import json
import sys

import networkx as nx
import pytest
from click.testing import CliRunner

from timeline.api import Timeline
from timeline.cli import main
from timeline.formats.graph import from_node_link
from timeline.graph import build_graph
from tests.builders import REUTERS, provenance, seed_like_log


@pytest.fixture()
def log(tmp_path):
    path = tmp_path / "log.sqlite"
    with Timeline(path) as tl:
        tl.store.append(seed_like_log())
    return str(path)


def run(*args):
    return CliRunner().invoke(main, list(args))


def expected():
    return build_graph(provenance(seed_like_log(), "2024-11-23"))


def test_json_reads_back_into_the_same_graph(log):
    result = run("--log", log, "graph", "--asof", "2024-11-23", "--format", "json")
    assert result.exit_code == 0
    g = from_node_link(json.loads(result.stdout))
    assert nx.utils.graphs_equal(g, expected())
    assert g.graph == {"as_of": "2024-11-23", "known_at": "latest", "position": 22}


def test_graphml_reads_back_with_every_node_edge_and_kind(log, tmp_path):
    out = tmp_path / "g.graphml"
    result = run("--log", log, "graph", "--asof", "2024-11-23", "--format", "graphml", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr == f"timeline: wrote the graph (41 nodes, 40 edges) as graphml to {out}\n"
    g = nx.read_graphml(out)
    want = expected()
    assert set(g.nodes) == set(want.nodes) and set(g.edges) == set(want.edges)
    assert all(g.nodes[n]["kind"] == want.nodes[n]["kind"] for n in want.nodes)
    share = next(n for n, d in g.nodes(data=True) if d["kind"] == "derived" and d["metric"] == "area.lost.share")
    assert g.nodes[share]["value"] == 41.9


def test_dot_names_every_node_and_edge(log):
    result = run("--log", log, "graph", "--asof", "2024-11-23", "--format", "dot")
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("digraph provenance {\n") and text.endswith("}\n")
    want = expected()
    assert text.count(" -> ") == want.number_of_edges()
    assert '"approximately 800 square kilometers"' in text
    for u, v in want.edges:
        assert f'"{u}" -> "{v}"' in text


def test_prov_json_reads_back_with_quotations_derivations_and_attributions(log):
    from prov.model import ProvDocument

    result = run("--log", log, "graph", "--asof", "2024-11-23", "--format", "prov-json")
    assert result.exit_code == 0
    doc = ProvDocument.deserialize(content=result.stdout, format="json")
    data = json.loads(result.stdout)
    assert len(data["entity"]) == expected().number_of_nodes()
    kinds = [d.get("prov:type", {}).get("$") for d in data["wasDerivedFrom"].values()]
    assert kinds.count("prov:Quotation") == 18  # each article claim was quoted from its article
    agents = {a["prov:label"] for a in data["agent"].values()}
    assert {"Reuters", "General Staff source", "Oleksandr Syrskyi"} <= agents
    assert len(data["wasAttributedTo"]) >= 4
    assert doc.get_records()


def test_prov_json_without_prov_installed_is_one_line(log, monkeypatch):
    monkeypatch.setitem(sys.modules, "prov", None)
    monkeypatch.setitem(sys.modules, "prov.model", None)
    result = run("--log", log, "graph", "--format", "prov-json")
    assert result.exit_code == 2
    assert result.stderr == "Error: PROV-JSON needs the prov package: pip install 'timeline[prov]' (or: pip install prov)\n"


def test_graph_bad_input_is_one_line(log):
    for args in (["--asof", "2024-02-30"], ["--known-at", "yesterday"], ["--position", "-1"]):
        result = run("--log", log, "graph", *args)
        assert result.exit_code == 2, args
        assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("Error: "), args
    assert run("--log", log, "graph", "--format", "svg").exit_code == 2


def test_graph_at_an_earlier_position_leaves_later_articles_out(log):
    result = run("--log", log, "graph", "--asof", "2024-11-23", "--position", "5", "--format", "json")
    g = from_node_link(json.loads(result.stdout))
    assert {d["file"] for _, d in g.nodes(data=True) if d["kind"] == "article"} == {"kursk.txt"}
    assert not any(REUTERS.article_id in n for n in g.nodes)
