"""Derived values, the provenance graph and explain, on logs built from the issue's figures."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from click.testing import CliRunner

from events.model import ClaimReported, ClaimRetracted
from projections.derive import derive, value_id
from timeline.api import Timeline
from timeline.cli import main
from timeline.explain import explain_ref, explain_series, sentence_at
from timeline.formats.explain import render_text
from timeline.graph import build_graph, counts, sources_of, value_node
from tests.builders import (
    KURSK,
    KYIV,
    REUTERS,
    TALLY,
    kursk_claims,
    provenance,
    reuters_claims,
    seed_like_log,
    tally_claims,
)


def derived_of(prov, metric):
    return [d for d in prov.derived if d.metric == metric]


# -- derived values --------------------------------------------------------------------------------------------------


def test_area_lost_since_the_peak_and_its_share():
    prov = provenance([REUTERS, *reuters_claims()], "2024-11-23")
    (lost,) = derived_of(prov, "area.lost")
    (share,) = derived_of(prov, "area.lost.share")
    assert (lost.value, lost.unit, lost.valid.isoformat(), lost.qualifier) == (576, "km2", "2024-11-23", "about")
    assert (share.value, share.unit) == (41.9, "percent")
    assert [i.metric for i in share.inputs] == ["area.controlled.peak", "area.controlled"]
    assert set(share.claims) == {c.claim_id for c in reuters_claims()[1:3]}
    assert share.articles == ("reuters.txt",)
    assert share.low < 41.9 < share.high


def test_total_from_components_only_when_the_total_is_not_reported():
    only_parts = provenance([KURSK, *kursk_claims(total=False)], "2024-11-23")
    (total,) = derived_of(only_parts, "losses.personnel")
    assert (total.value, total.valid.isoformat(), total.qualifier) == (20842, "2024-11-05", "exact")
    assert total.formula == "killed + wounded + captured"
    assert [i.value for i in total.inputs] == [7905, 12220, 717]
    assert total.staleness_days == 18
    with_total = provenance([KURSK, *kursk_claims(total=True)], "2024-11-23")
    assert derived_of(with_total, "losses.personnel") == []


def test_previous_running_total_from_a_daily_count():
    prov = provenance([TALLY, *tally_claims()], "2023-02-07")
    (prev,) = derived_of(prov, "losses.personnel.killed")
    assert (prev.value, prev.valid.isoformat(), prev.rule) == (132160, "2023-02-06", "previous running total")
    assert [(i.shape, i.value) for i in prev.inputs] == [("level", 133190), ("window", 1030)]


def test_derived_values_are_data_marked_derived_with_their_inputs():
    prov = provenance(seed_like_log(), "2024-11-23")
    data = [d.to_data() for d in prov.derived]
    assert data and all(d["derived"] is True and d["inputs"] and d["claims"] for d in data)
    assert all(not v.to_data()["derived"] for v in prov.state.values)
    assert derive(prov.state) == prov.derived  # a pure function of the state


# -- the graph -------------------------------------------------------------------------------------------------------


def test_graph_nodes_and_edge_kinds():
    events = seed_like_log()
    retracted = kursk_claims()[-1]  # about 45,000 troops
    g = build_graph(provenance([*events, ClaimRetracted(retracted.claim_id, "misread")], "2024-11-23"))
    size = counts(g)
    assert size["node_kinds"] == {"article": 4, "claim": 18, "derived": 3, "retraction": 1, "value": 16}
    assert set(size["edge_kinds"]) == {"reports", "supports", "derived_from", "retracts"}
    assert g.nodes[f"claim:{retracted.claim_id}"]["retracted"] is True
    assert nx.is_directed_acyclic_graph(g)


def test_a_competing_claim_has_a_competes_edge_with_its_reason():
    from tests.builders import quoted_article, claim_in

    other = quoted_article("other.txt", "The enemy has about 52,000 soldiers in Kursk.", "2024-11-20", "Other")
    rival = claim_in(other, "about 52,000 soldiers", "troops.deployed", "RU", "Kursk", 52000, as_of="2024-11-23",
                     qualifier="about", low=46800, high=57200)
    prov = provenance([REUTERS, *reuters_claims(), other, rival], "2024-11-23")
    g = build_graph(prov)
    (edge,) = [(u, v, d) for u, v, d in g.edges(data=True) if d["kind"] == "competes"]
    assert edge[0] == f"claim:{rival.claim_id}"
    assert edge[2]["reason"] == "reported earlier (2024-11-20 against 2024-11-23)"


def test_every_value_traces_back_to_an_article():
    prov = provenance(seed_like_log(), "2024-11-23")
    g = build_graph(prov)
    for v in (*prov.state.values, *prov.derived):
        assert sources_of(g, value_node(v)), v.key


# -- explain ---------------------------------------------------------------------------------------------------------


def test_explain_tree_reaches_the_sentence_with_its_article():
    prov = provenance(seed_like_log(), "2024-11-23")
    tree = explain_series(prov, "area.controlled", "UA", "Kursk")
    (value,) = tree["values"]
    (claim,) = value["supports"]
    assert claim["quote"] == "approximately 800 square kilometers"
    assert REUTERS.text[claim["span"][0]:claim["span"][1]] == claim["quote"]
    assert claim["sentence"] == "\u201cNow we control approximately 800 square kilometers.\u201d"
    assert claim["article"] == {"id": REUTERS.article_id, "file": "reuters.txt", "outlet": "Reuters",
                                "published": "2024-11-23", "published_origin": "manifest",
                                "title": "title of reuters.txt", "url": None}
    assert (claim["claimant"], claim["rule"]) == ("General Staff source", "test-rule")


def test_explain_a_derived_value_walks_through_its_inputs():
    prov = provenance(seed_like_log(), "2024-11-23")
    tree = explain_series(prov, "area.lost.share", "UA", "Kursk")
    reported, derived = tree["values"]
    assert (reported["derived"], derived["derived"]) == (False, True)
    assert [i["metric"] for i in derived["inputs"]] == ["area.controlled.peak", "area.controlled"]
    assert derived["inputs"][0]["supports"][0]["quote"] == "about 1,376 square kilometres"


def test_explain_by_value_id_and_claim_prefix():
    prov = provenance(seed_like_log(), "2024-11-23")
    v = next(v for v in prov.state.values if v.metric == "troops.deployed")
    by_value = explain_ref(prov, value_id(v)[:8])
    assert by_value["values"][0]["value"] == 59000
    cid = v.claims[0]
    by_claim = explain_ref(prov, "claim:" + cid[:10])
    assert by_claim["claim"]["id"] == cid
    assert by_claim["claim"]["in_values"][0]["as"] == "support"


def test_sentence_at_stops_at_sentence_ends_and_lines():
    text = "First one. Second has 5 tanks in it. Third.\n• 7905 fatalities;\nNext"
    s, e = sentence_at(text, text.index("5 tanks"), text.index("5 tanks") + 7)
    assert text[s:e] == "Second has 5 tanks in it."
    s, e = sentence_at(text, text.index("7905"), text.index("7905") + 4)
    assert text[s:e] == "• 7905 fatalities;"


# -- the CLI ---------------------------------------------------------------------------------------------------------


@pytest.fixture()
def log(tmp_path):
    path = tmp_path / "log.sqlite"
    with Timeline(path) as tl:
        tl.store.append(seed_like_log())
    return str(path)


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_cli_explain_text(log):
    result = run("--log", log, "explain", "area.controlled", "UA", "Kursk", "--asof", "2024-11-30")
    assert result.exit_code == 0, result.stderr
    c = reuters_claims()[2].claim_id
    prov = provenance(seed_like_log(), "2024-11-30")
    vid = value_id(next(v for v in prov.state.values if v.metric == "area.controlled"))
    start = REUTERS.text.index("approximately")
    assert result.stdout == (
        f"basis: as of 2024-11-30, known at latest, log position 22\n"
        f"\n"
        f"area.controlled UA Kursk: about 800 km2 @ 2024-11-23 (7 days before the basis date; value {vid[:12]})\n"
        f"  chosen by: only figure; supported by 1 claim:\n"
        f"    claim {c[:12]}: about 800 km2 @ 2024-11-23\n"
        f"        quote: \"approximately 800 square kilometers\" at [{start}, {start + 35})\n"
        f"        sentence: \u201cNow we control approximately 800 square kilometers.\u201d\n"
        f"        article: reuters.txt, Reuters, published 2024-11-23 (manifest)\n"
        f"        claimant: General Staff source; rule: test-rule; reported 2024-11-23\n"
    )


def test_cli_explain_json_matches_the_api(log):
    result = run("--log", log, "explain", "losses.personnel", "RU", "Kursk", "--asof", "2024-11-23", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["basis"] == {"as_of": "2024-11-23", "known_at": "latest", "position": 22}
    (value,) = data["values"]
    assert value["value"] == 20842 and value["supports"][0]["quote"] == "20,842 individuals"


def test_cli_explain_with_no_value_names_the_nearest_dates(log):
    result = run("--log", log, "explain", "troops.deployed", "RU", "Kursk", "--asof", "2024-01-01")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == (
        "troops.deployed RU Kursk has no value as of 2024-01-01; the nearest dates with one: 2024-11-05 (after).")
    known = run("--log", log, "explain", "troops.deployed", "RU", "Kursk", "--asof", "2024-11-10",
                "--known-at", "2024-11-01")
    assert known.exit_code == 0 and "has no value as of 2024-11-10 as reported by 2024-11-01" in known.stdout


@pytest.mark.parametrize("args, message", [
    (["explain", "a", "b", "c", "d"], "explain takes METRIC PARTY REGION or one ID, not 4 arguments"),
    (["explain", "area.controlled", "UA", "Kursk", "--asof", "2024-13-45"], "is not a valid date"),
    (["explain", "area.controlled", "UA", "Kursk", "--known-at", "soon"], "--known-at 'soon' is not a date"),
    (["explain", "area.controlled", "UA", "Kursk", "--position", "x"], "is not a log position"),
    (["explain", "area.controlled", "UA", "Kursk", "--position", "999"], "is beyond the log"),
    (["explain", "nope.metric", "UA", "Kursk"], "no claims about nope.metric"),
    (["explain", "area.controlled", "XX", "Kursk"], "area.controlled is known for: UA Kursk"),
    (["explain", "abc"], "is not an id"),
    (["explain", "ffffffffff"], "no value or claim has an id starting with"),
])
def test_cli_explain_bad_input_is_one_line(log, args, message):
    result = run("--log", log, *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr, result.stderr


def test_networkx_is_not_imported_by_the_cli_module():
    import subprocess
    import sys

    code = "import sys, timeline.cli; print('networkx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_builders_put_each_quote_at_its_span():
    for ev in seed_like_log():
        if isinstance(ev, ClaimReported):
            text = {a.article_id: a.text for a in (KURSK, REUTERS, KYIV, TALLY)}[ev.evidence.article_id]
            s, e = ev.evidence.span
            assert text[s:e] == ev.evidence.quote
