"""Properties of provenance over random logs: traceability, article removal, exact quotes, order-free checks."""

from __future__ import annotations

import datetime as dt
import zlib

from hypothesis import given, settings
from hypothesis import strategies as st

from events.codec import article_id, claim_id
from events.model import ArticleIngested, Claim, ClaimReported, ClaimRetracted, Evidence, Period
from projections.derive import value_id
from timeline.checks import run_checks
from timeline.explain import value_tree
from timeline.graph import build_graph, sources_of, value_node
from tests.builders import dataset_claim, provenance

DATES = [dt.date(2024, 11, d) for d in (1, 5, 11, 23)]
SERIES = [
    ("area.controlled", "UA", "Kursk", "km2"), ("area.controlled.peak", "UA", "Kursk", "km2"),
    ("area.lost.share", "UA", "Kursk", "percent"), ("troops.deployed", "RU", "Kursk", "persons"),
    ("troops.deployed", "KP", None, "persons"), ("losses.personnel", "RU", "Kursk", "persons"),
    ("losses.personnel.killed", "RU", "Kursk", "persons"), ("losses.personnel.wounded", "RU", "Kursk", "persons"),
    ("losses.personnel.captured", "RU", "Kursk", "persons"),
]


def _crc(*parts: object) -> int:
    return zlib.crc32(repr(parts).encode())


@st.composite
def claim_specs(draw: st.DrawFn, unique: bool) -> dict:
    metric, party, region, unit = draw(st.sampled_from(SERIES))
    date = draw(st.sampled_from(DATES))
    window = metric.startswith("losses") and draw(st.booleans())
    if unique:  # one figure per series and date: no two figures ever compete
        h = _crc(metric, party, region, window, date)
        value, qualifier = 1 + h % 2000, ("exact", "about")[h % 2]
    else:
        value = draw(st.integers(1, 2000))
        qualifier = draw(st.sampled_from(["exact", "about", "over", "nearly"]))
    return {"metric": metric, "party": party, "region": region, "unit": unit, "date": date, "window": window,
            "value": value, "qualifier": qualifier, "claimant": draw(st.sampled_from(["A", "B", None]))}


@st.composite
def article_groups(draw: st.DrawFn, unique: bool = False) -> list[list]:
    """Articles, each with its claims whose quotes sit at real spans of its text."""
    groups = []
    for i in range(draw(st.integers(1, 4))):
        specs = draw(st.lists(claim_specs(unique), min_size=1, max_size=5))
        published = draw(st.sampled_from(DATES + [None]))
        sentences, spans, at = [], [], 0
        for j, s in enumerate(specs):
            lead = f"Report {i}.{j} says "
            number = f"{s['value']:,} {s['unit']}"
            spans.append((at + len(lead), at + len(lead) + len(number)))
            sentence = f"{lead}{number}. "
            sentences.append(sentence)
            at += len(sentence)
        text = "".join(sentences)
        art = ArticleIngested(article_id(text.encode()), f"a{i}.txt", text, published, "manifest", f"Outlet {i}")
        group: list = [art]
        for s, span in zip(specs, spans):
            period = Period(s["date"] - dt.timedelta(days=1), s["date"]) if s["window"] else None
            c = Claim(metric=s["metric"], party=s["party"], value=s["value"], unit=s["unit"], region=s["region"],
                      qualifier=s["qualifier"], as_of=None if period else s["date"], period=period,
                      claimant=s["claimant"], outlet=art.outlet)
            ev = Evidence(text[span[0]:span[1]], art.article_id, span)
            group.append(ClaimReported(claim_id(c, ev), c, ev, "generated", published))
        groups.append(group)
    return groups


bases = st.tuples(st.sampled_from(DATES + [dt.date(2024, 12, 31)]), st.sampled_from([None, *DATES]))


def _flat(groups: list[list]) -> list:
    return [ev for g in groups for ev in g]


@settings(max_examples=40)
@given(article_groups(), bases, st.data())
def test_every_value_has_a_path_back_to_an_article_or_a_dataset_row(groups, basis, data):
    events = _flat(groups)
    if data.draw(st.booleans()):
        events.append(dataset_claim("losses.personnel.killed", data.draw(st.integers(1, 50)), "2024-11-05", 1,
                                    unit="persons"))
    claims = [e for e in events if isinstance(e, ClaimReported)]
    if data.draw(st.booleans()):
        events.append(ClaimRetracted(data.draw(st.sampled_from(claims)).claim_id, "withdrawn"))
    position = data.draw(st.integers(0, len(events)))
    as_of, known = basis
    prov = provenance(events, as_of.isoformat(), known.isoformat() if known else None, position)
    g = build_graph(prov)
    for v in (*prov.state.values, *prov.derived):
        assert sources_of(g, value_node(v)), v.key


@settings(max_examples=40)
@given(article_groups(unique=True), st.sampled_from(DATES + [dt.date(2024, 12, 31)]), st.data())
def test_removing_an_article_removes_exactly_the_values_it_alone_supported(groups, as_of, data):
    gone = data.draw(st.integers(0, len(groups) - 1))
    gone_id = groups[gone][0].article_id
    before = provenance(_flat(groups), as_of.isoformat()).state
    after = provenance(_flat(groups[:gone] + groups[gone + 1:]), as_of.isoformat()).state

    def figures(state):
        return {(v.key, v.value, v.qualifier, v.unit) for v in state.values}

    rows = {e.claim_id: e for e in _flat(groups) if isinstance(e, ClaimReported)}
    alone = {(v.key, v.value, v.qualifier, v.unit) for v in before.values
             if all(rows[c].evidence.article_id == gone_id for c in v.claims)}
    assert figures(before) - figures(after) == alone


@settings(max_examples=40)
@given(article_groups(), st.sampled_from(DATES + [dt.date(2024, 12, 31)]))
def test_explain_quotes_are_the_article_text_at_the_spans_given(groups, as_of):
    prov = provenance(_flat(groups), as_of.isoformat())
    texts = {g[0].article_id: g[0].text for g in groups}

    def walk(tree):
        for c in tree["supports"] + tree["competing"]:
            s, e = c["span"]
            assert texts[c["article"]["id"]][s:e] == c["quote"]
            assert c["quote"] in c["sentence"]
        for i in tree.get("inputs", []):
            walk(i)

    for v in (*prov.state.values, *prov.derived):
        tree = value_tree(prov, v)
        assert tree["id"] == value_id(v)
        walk(tree)


@settings(max_examples=30)
@given(article_groups(), st.sampled_from(DATES + [dt.date(2024, 12, 31)]), st.randoms(use_true_random=False))
def test_check_is_deterministic_and_does_not_depend_on_append_order(groups, as_of, rnd):
    first = run_checks(provenance(_flat(groups), as_of.isoformat())).to_data()
    again = run_checks(provenance(_flat(groups), as_of.isoformat())).to_data()
    shuffled = list(groups)
    rnd.shuffle(shuffled)
    other = run_checks(provenance(_flat(shuffled), as_of.isoformat())).to_data()
    assert first == again
    assert first["findings"] == other["findings"]
