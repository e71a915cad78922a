"""Reviews in the projections: rejected claims never count, the last verdict is the word, a reviewed figure wins a
tie, a reviewed-only basis counts checked claims alone; every path (read model, memory index, reference fold) agrees."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from events.store import MemoryStore
from projections.state import Basis
from projections.fold import fold
from projections.memory import MemoryIndex
from projections.readmodel import state_at
from tests.builders import article, asserted, claim, correction, day, review
from tests.strategies_state import articles_with_claims
from timeline import Timeline


@pytest.fixture
def tl(tmp_path):
    t = Timeline(tmp_path / "log.sqlite")
    yield t
    t.close()


def state(tl, d, *, reviewed=False, n=None):
    """The state at `d` from the read model, checked against the memory index and the reference fold."""
    basis = Basis(d, None, tl.head() if n is None else n, reviewed)
    s = state_at(tl.store.conn, basis)
    assert MemoryIndex().state(tl.store.conn, basis) == s
    assert fold(tl.events(), basis) == s
    return s


def one(s, metric="troops.deployed", party="RU", region="Kursk"):
    return s.by_series().get((metric, party, region, "level"))


def test_a_rejected_claim_never_counts_and_a_later_confirmation_is_the_last_word(tl):
    a, b = article("a.txt", day(1)), article("b.txt", day(3))
    old, new = claim(a, "troops.deployed", "RU", 100, as_of=day(1)), claim(b, "troops.deployed", "RU", 200, as_of=day(3))
    tl.store.append([a, old])
    tl.store.append([b, new])
    assert one(state(tl, day(5))).value == 200
    tl.store.append([review(new.claim_id, "rejected", note="misread: 200 is the brigade number")])
    assert one(state(tl, day(5))).value == 100  # the rejected claim is out; the earlier one stands
    rejected_at = tl.head()
    tl.store.append([review(new.claim_id, "confirmed")])
    assert one(state(tl, day(5))).value == 200
    tl.store.append([review(new.claim_id, "rejected")])
    assert one(state(tl, day(5))).value == 100
    # a replay of the first events gives the picture as it stood then
    assert one(state(tl, day(5), n=rejected_at + 1)).value == 200


def test_a_confirmed_figure_beats_better_supported_unreviewed_ones_at_the_same_date(tl):
    a, b, c = article("a.txt", day(2)), article("b.txt", day(2)), article("c.txt", day(1))
    two = [claim(x, "troops.deployed", "RU", 500, as_of=day(1)) for x in (a, b)]
    lone = claim(c, "troops.deployed", "RU", 700, as_of=day(1))
    tl.store.append([a, two[0]])
    tl.store.append([b, two[1]])
    tl.store.append([c, lone])
    v = one(state(tl, day(4)))
    assert (v.value, v.rule) == (500, "more supporting sources")
    tl.store.append([review(lone.claim_id, "confirmed", reviewer="B. Checker")])
    v = one(state(tl, day(4)))
    assert (v.value, v.rule) == (700, "reviewed by a person")
    assert {x.claim_id for x in v.competing} == {t.claim_id for t in two}
    # a later date still wins over a confirmed earlier one
    d = article("d.txt", day(5))
    tl.store.append([d, claim(d, "troops.deployed", "RU", 900, as_of=day(3))])
    assert one(state(tl, day(4))).value == 900


def test_within_the_chosen_figure_the_reviewed_claim_is_shown_first(tl):
    a, b = article("a.txt", day(5)), article("b.txt", day(2))
    late, early = claim(a, "troops.deployed", "RU", 500, as_of=day(1)), claim(b, "troops.deployed", "RU", 500, as_of=day(1))
    tl.store.append([a, late])
    tl.store.append([b, early])
    assert one(state(tl, day(4))).claims[0] == late.claim_id  # the later report first
    tl.store.append([review(early.claim_id, "confirmed")])
    assert one(state(tl, day(4))).claims[0] == early.claim_id


def test_reviewed_only_counts_confirmed_entered_and_corrected_claims(tl):
    a = article("a.txt", day(2))
    seen, unseen = claim(a, "troops.deployed", "RU", 100, as_of=day(1)), claim(a, "troops.deployed", "UA", 50, as_of=day(1))
    fixed = claim(a, "area.controlled", "RU", 30, as_of=day(1), unit="km2")
    tl.store.append([a, seen, unseen, fixed])
    assert state(tl, day(4), reviewed=True).values == ()
    entered = asserted("troops.deployed", "KP", 11000, url="https://example.org/kp", published=day(3), as_of=day(2))
    tl.store.append([review(seen.claim_id, "confirmed"), entered,
                     correction(fixed, "the text says 40", replacement_value=40, reviewer="Ann Reviewer")])
    s = state(tl, day(4), reviewed=True)
    assert {(v.party, v.value) for v in s.values} == {("RU", 100), ("KP", 11000), ("RU", 40)}
    kp = one(s, party="KP")
    assert kp.articles == ("https://example.org/kp",) and kp.report == day(3)
    assert one(state(tl, day(4)), party="UA").value == 50  # the default basis still counts it
    tl.store.append([review(entered.claim_id, "rejected", reviewer="B. Checker", note="not in the source")])
    assert one(state(tl, day(4), reviewed=True), party="KP") is None
    assert one(state(tl, day(4)), party="KP") is None


def test_an_asserted_claim_from_an_ingested_article_is_sourced_to_its_file(tl):
    a = article("a.txt", day(2), outlet="Reuters")
    tl.store.append([a])
    entered = asserted("troops.deployed", "RU", 300, art=a, as_of=day(1), quote="some 300 troops")
    tl.store.append([entered])
    v = one(state(tl, day(3)))
    assert (v.value, v.articles, v.report, v.outlet) == (300, ("a.txt",), day(2), "Reuters")


def test_a_review_of_an_unknown_claim_changes_nothing(tl):
    a = article("a.txt", day(2))
    tl.store.append([a, claim(a, "troops.deployed", "RU", 100, as_of=day(1))])
    before = state(tl, day(3)).values
    tl.store.append([review("f" * 64, "rejected")])
    assert state(tl, day(3)).values == before


@settings(max_examples=25, deadline=None)
@given(batches=st.lists(articles_with_claims(), min_size=1, max_size=4), data=st.data())
def test_reviewing_never_changes_a_claims_own_event_and_export_import_keeps_every_review(tmp_path_factory, batches,
                                                                                           data):
    tmp = tmp_path_factory.mktemp("rev")
    claims = [c for _, cs in batches for c in cs]
    with Timeline(tmp / "a.sqlite") as tl:
        for art, cs in batches:
            tl.store.append([art, *cs])
        before = {r.id: (r.position, r.payload, r.hash) for r in tl.events()}
        verdicts = []
        if claims:
            for _ in range(data.draw(st.integers(1, 4), label="reviews")):
                target = data.draw(st.sampled_from(claims), label="target").claim_id
                verdicts.append(review(target, data.draw(st.sampled_from(["confirmed", "rejected"]), label="verdict")))
        tl.store.append(verdicts)
        after = {r.id: (r.position, r.payload, r.hash) for r in tl.events()}
        assert {k: after[k] for k in before} == before
        assert tl.verify().ok
        out = io.StringIO()
        tl.export(out)
        basis = Basis(day(20), None, tl.head())
        original = state_at(tl.store.conn, basis)
    with Timeline(tmp / "b.sqlite") as copy:
        copy.import_jsonl(io.StringIO(out.getvalue()))
        assert [r.payload for r in copy.events() if r.type == "ClaimReviewed"] == [
            r.payload for r in MemoryStore().append(verdicts).appended]
        assert state_at(copy.store.conn, basis) == original
        copy.rebuild()
        assert state_at(copy.store.conn, basis) == original


def test_explain_shows_who_reviewed_what_and_when_and_why_a_figure_lost(tl):
    from timeline.formats.explain import render_text

    a, b = article("a.txt", day(2)), article("b.txt", day(2))
    x, y = claim(a, "troops.deployed", "RU", 500, as_of=day(1)), claim(b, "troops.deployed", "RU", 700, as_of=day(1))
    tl.store.append([a, x])
    tl.store.append([b, y])
    verdict = review(y.claim_id, "confirmed", reviewer="B. Checker", note="matches the ministry's figure")
    tl.store.append([verdict])
    for as_of in (None, day(3)):  # the whole log, and the focused read of the events behind the value
        tree = tl.explain("troops.deployed", "RU", "Kursk", as_of=as_of)
        (v,) = tree["values"]
        assert v["value"] == 700 and v["rule"] == "reviewed by a person"
        (support,) = v["supports"]
        assert support["reviews"] == [{"mark": "confirmed", "reviewer": "B. Checker", "at": verdict.at,
                                       "note": "matches the ministry's figure", "position": 5}]
        assert v["competing"][0]["reason"].startswith("not reviewed")
        text = render_text(tree)
        assert "confirmed by B. Checker at 2025-" in text and "matches the ministry's figure" in text


def test_explain_of_an_entered_claim_shows_its_page_and_who_entered_it(tl):
    entered = asserted("troops.deployed", "RU", 300, url="https://example.org/p", published=day(2), as_of=day(1),
                       reviewer="Ann Reviewer", quote="about 300 soldiers")
    tl.store.append([entered])
    tree = tl.explain(ref=entered.claim_id[:10])
    c = tree["claim"]
    assert c["rule"] == "asserted" and c["source"]["url"] == "https://example.org/p"
    assert [r["mark"] for r in c["reviews"]] == ["asserted"] and c["reviews"][0]["reviewer"] == "Ann Reviewer"
    g = tl.graph(as_of=day(3))
    from timeline.graph import sources_of, value_node

    (value,) = tl.asof(day(3)).values
    assert sources_of(g, value_node(value)) == {"page:https://example.org/p"}


def test_a_history_applies_reviews_as_asof_does(tl):
    from projections.history import value_at

    a, b = article("a.txt", day(2)), article("b.txt", day(4))
    x, y = claim(a, "troops.deployed", "RU", 500, as_of=day(1)), claim(b, "troops.deployed", "RU", 700, as_of=day(3))
    z = claim(a, "troops.deployed", "RU", 600, as_of=day(1))
    tl.store.append([a, x, z])
    tl.store.append([b, y])
    tl.store.append([review(y.claim_id, "rejected", note="misread"), review(z.claim_id, "confirmed")])
    h = tl.history("troops.deployed", "RU")
    by_id = {r.claim_id: r for r in h.rows}
    assert by_id[y.claim_id].status == "rejected" and not by_id[y.claim_id].chosen
    assert by_id[z.claim_id].chosen and by_id[x.claim_id].lost_by == "reviewed by a person"
    key = ("troops.deployed", "RU", "Kursk", "level")
    for d in (day(n) for n in range(0, 6)):
        step, value = value_at(h, key, d), tl.asof(d).by_series().get(key)
        assert (step is None) == (value is None)
        if step is not None:
            assert (step.value, step.claim_id) == (value.value, value.claims[0])
    only = tl.history("troops.deployed", "RU", reviewed=True)
    assert [r.claim_id for r in only.rows if r.chosen] == [z.claim_id]


@settings(max_examples=20, deadline=None)
@given(verdicts=st.lists(st.sampled_from(["confirmed", "rejected"]), min_size=1, max_size=6),
       reviewed_only=st.booleans())
def test_the_last_verdict_by_the_basis_position_is_the_word(tmp_path_factory, verdicts, reviewed_only):
    with Timeline(tmp_path_factory.mktemp("word") / "log.sqlite") as tl:
        a = article("a.txt", day(2))
        c = claim(a, "troops.deployed", "RU", 100, as_of=day(1))
        tl.store.append([a, c])
        tl.store.append([review(c.claim_id, v, note=v) for v in verdicts])
        for n in range(2, tl.head() + 1):
            so_far = verdicts[: n - 2]
            last = so_far[-1] if so_far else None
            counts = last == "confirmed" if reviewed_only else last != "rejected"
            shown = one(state(tl, day(3), reviewed=reviewed_only, n=n))
            assert (shown is not None) == counts


def test_the_report_shows_who_reviewed_what_and_when(tl, tmp_path):
    a = article("a.txt", day(2), text="Kyiv says 500 troops and 11,000 North Koreans are there.")
    b = article("b.txt", day(2))
    x, y = claim(a, "troops.deployed", "RU", 500, as_of=day(1)), claim(b, "troops.deployed", "RU", 700, as_of=day(1))
    tl.store.append([a, x])
    tl.store.append([b, y])
    tl.store.append([review(x.claim_id, "confirmed", reviewer="B. Checker", note="in the ministry's post"),
                     review(y.claim_id, "rejected", reviewer="Ann <Reviewer>", note="a brigade number")])
    entered = asserted("troops.deployed", "KP", 11000, art=a, as_of=day(1), quote="11,000 North Koreans",
                       reviewer="Cy")
    tl.store.append([entered])
    built = tl.report(tmp_path / "site")
    pages = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "site" / "series").glob("*.html"))
    assert "confirmed by B. Checker, 2025-" in pages and "in the ministry&#x27;s post" in pages
    assert "rejected by Ann &lt;Reviewer&gt;" in pages  # names are escaped like every value from the log
    assert "entered by Cy" in pages and "<mark>11,000</mark> North Koreans" in pages
    assert built is not None
