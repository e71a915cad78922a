"""The state at (D, K, N): each rule of projections, through the read model and the reference fold alike."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from events.model import ClaimRetracted
from projections.state import Basis
from projections.diff import diff
from projections.fold import fold
from projections.readmodel import NAME
from projections.series import Filters, section
from tests.builders import article, claim, correction, day
from timeline import Timeline, TimelineError


@pytest.fixture
def tl(tmp_path):
    t = Timeline(tmp_path / "log.sqlite")
    yield t
    t.close()


def state(tl, d, k=None, n=None, **filters):
    """The state from the read model, checked against the reference fold over the whole log."""
    s = tl.asof(d, k, n, **filters)
    assert fold(tl.events(), s.basis, Filters(**filters)) == s
    return s


def one(s, metric="troops.deployed", party="RU", region="Kursk", shape="level"):
    return s.by_series().get((metric, party, region, shape))


def test_latest_valid_date_on_or_before_d_wins_and_staleness_counts_from_it(tl):
    a = article("a.txt", day(10))
    tl.store.append([a, claim(a, "troops.deployed", "RU", 100, as_of=day(2)),
                     claim(a, "troops.deployed", "RU", 200, as_of=day(5)),
                     claim(a, "troops.deployed", "RU", 300, as_of=day(9))])
    v = one(state(tl, day(7)))
    assert (v.value, v.valid, v.staleness_days) == (200, day(5), 2)
    assert one(state(tl, day(9))).value == 300
    assert one(state(tl, day(1))) is None


def test_known_at_keeps_only_claims_reported_by_then_and_unknown_report_dates_only_at_latest(tl):
    early, late = article("early.txt", day(3)), article("late.txt", day(8))
    undated_pub = article("nodate.txt", None)
    tl.store.append([early, claim(early, "troops.deployed", "RU", 100, as_of=day(1))])
    tl.store.append([late, claim(late, "troops.deployed", "RU", 200, as_of=day(2))])
    tl.store.append([undated_pub, claim(undated_pub, "troops.deployed", "RU", 300, as_of=day(3))])
    assert one(state(tl, day(5))).value == 300
    assert one(state(tl, day(5), day(9))).value == 200
    assert one(state(tl, day(5), day(7))).value == 100
    assert one(state(tl, day(5), day(2))) is None
    assert one(state(tl, day(5), "latest")).value == 300


def test_position_replays_only_the_first_n_events(tl):
    a = article("a.txt", day(1))
    tl.store.append([a, claim(a, "troops.deployed", "RU", 100, as_of=day(1))])
    b = article("b.txt", day(2))
    tl.store.append([b, claim(b, "troops.deployed", "RU", 200, as_of=day(2))])
    assert one(state(tl, day(5), n=2)).value == 100
    assert one(state(tl, day(5), n=4)).value == 200
    assert state(tl, day(5), n=0).values == ()


def test_the_same_figure_from_several_articles_is_one_value_with_several_supports(tl):
    a, b, c = article("a.txt", day(1)), article("b.txt", day(4)), article("c.txt", day(9))
    tl.store.append([a, claim(a, "troops.deployed", "KP", 3000, qualifier="about", as_of=day(0))])
    tl.store.append([b, claim(b, "troops.deployed", "KP", 11000, qualifier="about", as_of=day(3))])
    tl.store.append([c, claim(c, "troops.deployed", "KP", 11000, qualifier="about", as_of=day(9))])
    v = one(state(tl, day(10)), party="KP")
    assert (v.value, v.valid, v.held_since) == (11000, day(9), day(3))
    assert v.articles == ("c.txt", "b.txt") and len(v.claims) == 2
    # before the second article's date the run has one support only
    v = one(state(tl, day(5)), party="KP")
    assert (v.value, v.articles) == (11000, ("b.txt",))


def test_a_different_figure_in_between_breaks_the_run(tl):
    a, b, c = article("a.txt", day(1)), article("b.txt", day(4)), article("c.txt", day(9))
    tl.store.append([a, claim(a, "troops.deployed", "RU", 100, as_of=day(1))])
    tl.store.append([b, claim(b, "troops.deployed", "RU", 200, as_of=day(4))])
    tl.store.append([c, claim(c, "troops.deployed", "RU", 100, as_of=day(9))])
    v = one(state(tl, day(9)))
    assert (v.value, v.articles, v.held_since) == (100, ("c.txt",), day(9))


def test_a_hedged_and_an_exact_claim_of_one_number_are_one_figure(tl):
    a, b = article("a.txt", day(1)), article("b.txt", day(4))
    tl.store.append([a, claim(a, "troops.deployed", "RU", 100, qualifier="about", as_of=day(1))])
    tl.store.append([b, claim(b, "troops.deployed", "RU", 100, as_of=day(4))])
    v = one(state(tl, day(9)))
    assert (v.articles, v.qualifier, v.held_since) == (("b.txt", "a.txt"), "exact", day(1))


def test_within_a_figure_the_tightest_claim_is_shown(tl):
    a, b = article("a.txt", day(4)), article("b.txt", day(4))
    hedged = claim(a, "troops.deployed", "RU", 100, qualifier="about", as_of=day(4))
    exact = claim(b, "troops.deployed", "RU", 100, as_of=day(4))
    tl.store.append([a, hedged])
    tl.store.append([b, exact])
    v = one(state(tl, day(9)))
    assert (v.qualifier, v.claims[0], set(v.articles)) == ("exact", exact.claim_id, {"a.txt", "b.txt"})


def test_tie_more_supporting_sources_wins_and_the_other_figure_competes(tl):
    a, b, c = article("a.txt", day(1)), article("b.txt", day(5)), article("c.txt", day(6))
    tl.store.append([a, claim(a, "troops.deployed", "RU", 100, as_of=day(1))])
    tl.store.append([b, claim(b, "troops.deployed", "RU", 100, as_of=day(5))])
    lone = claim(c, "troops.deployed", "RU", 300, as_of=day(5))
    tl.store.append([c, lone])
    v = one(state(tl, day(6)))
    assert (v.value, v.rule, len(v.articles)) == (100, "more supporting sources", 2)
    assert [(x.value, x.claim_id) for x in v.competing] == [(300, lone.claim_id)]


def test_tie_later_report_then_tighter_interval_then_exact(tl):
    a, b = article("a.txt", day(3)), article("b.txt", day(4))
    tl.store.append([a, claim(a, "troops.deployed", "RU", 100, as_of=day(1))])
    tl.store.append([b, claim(b, "troops.deployed", "RU", 200, qualifier="about", as_of=day(1))])
    v = one(state(tl, day(2)))
    assert (v.value, v.rule) == (200, "later report")
    assert one(state(tl, day(2), day(3))).value == 100  # the later report is not known by then

    c = article("c.txt", day(6))
    tl.store.append([c, claim(c, "area.controlled", "UA", 800, qualifier="about", low=700, high=900, as_of=day(5), unit="km2"),
                     claim(c, "area.controlled", "UA", 810, qualifier="about", low=800, high=820, as_of=day(5), unit="km2"),
                     claim(c, "area.controlled", "UA", 850, qualifier="over", as_of=day(5), unit="km2")])
    v = one(state(tl, day(5)), "area.controlled", "UA")
    assert (v.value, v.rule, len(v.competing)) == (810, "tighter interval", 2)

    d = article("d.txt", day(7))
    tl.store.append([d, claim(d, "losses.personnel", "RU", 20842, as_of=day(6)),
                     claim(d, "losses.personnel", "RU", 20000, qualifier="over", as_of=day(6))])
    v = one(state(tl, day(6)), "losses.personnel")
    assert (v.value, v.rule) == (20842, "tighter interval")
    assert [x.value for x in v.competing] == [20000]


def test_a_retracted_claim_stops_counting_from_the_retraction_position(tl):
    a = article("a.txt", day(1))
    old, new = claim(a, "troops.deployed", "RU", 100, as_of=day(1)), claim(a, "troops.deployed", "RU", 200, as_of=day(3))
    tl.store.append([a, old, new])
    out = tl.retract(new.claim_id[:8], "misread")
    assert out["claim_id"] == new.claim_id and out["position"] == 4
    assert one(state(tl, day(5))).value == 100
    assert one(state(tl, day(5), n=3)).value == 200
    with pytest.raises(TimelineError, match="already retracted"):
        tl.retract(new.claim_id, "again")


def test_a_retraction_recorded_before_its_claim_still_retracts_it(tl):
    a = article("a.txt", day(1))
    c = claim(a, "troops.deployed", "RU", 100, as_of=day(1))
    tl.store.append([ClaimRetracted(c.claim_id, "known bad")])
    tl.store.append([a, c])
    assert state(tl, day(5)).values == ()


def test_a_correction_with_a_replacement_supersedes_its_target_from_its_position(tl):
    a = article("a.txt", day(2))
    target = claim(a, "troops.deployed", "RU", 100, as_of=day(1))
    tl.store.append([a, target])
    tl.store.append([correction(target, "typo", replacement_value=1000)])
    v = one(state(tl, day(5)))
    assert (v.value, v.valid, v.articles, v.report) == (1000, day(1), ("a.txt",), day(2))
    assert one(state(tl, day(5), n=2)).value == 100


def test_an_adjustment_only_correction_is_shown_but_does_not_change_the_value(tl):
    a = article("a.txt", day(2))
    target = claim(a, "losses.personnel", "RU", 5000, as_of=day(1))
    tl.store.append([a, target])
    tl.store.append([correction(target, "General Staff revision", adjustment=-12)])
    v = one(state(tl, day(5)), "losses.personnel")
    assert v.value == 5000
    assert [(x.adjustment, x.reason) for x in v.adjustments] == [(-12, "General Staff revision")]
    assert one(state(tl, day(5), n=2), "losses.personnel").adjustments == ()


def test_levels_and_windows_are_different_series(tl):
    a = article("a.txt", day(3))
    tl.store.append([a, claim(a, "losses.personnel", "RU", 133190, as_of=day(2)),
                     claim(a, "losses.personnel", "RU", 1030, period=(day(1), day(2)))])
    s = state(tl, day(3))
    assert one(s, "losses.personnel").value == 133190
    w = one(s, "losses.personnel", shape="window")
    assert (w.value, w.period, w.section) == (1030, (day(1), day(2)), "Counts reported over periods")
    assert one(s, "losses.personnel").section == "Cumulative claimed losses"


def test_undated_and_denied_claims_never_enter_a_state(tl):
    a = article("a.txt", day(3))
    tl.store.append([a, claim(a, "troops.deployed", "RU", 100),
                     claim(a, "troops.deployed", "RU", 200, as_of=day(1), modality="denied")])
    s = state(tl, day(5))
    assert s.values == () and s.undated == 1


def test_an_empty_state_says_why(tl):
    a = article("a.txt", day(3))
    tl.store.append([a, claim(a, "troops.deployed", "RU", 100, as_of=day(2))])
    s = tl.asof(day(0))
    assert s.values == ()
    assert s.note == f"No claim is dated on or before {day(0)} (the earliest is dated {day(2)}): the state is empty."


def test_filters_choose_series_and_unknown_names_are_refused(tl):
    a = article("a.txt", day(3))
    tl.store.append([a, claim(a, "troops.deployed", "RU", 100, as_of=day(2)),
                     claim(a, "losses.personnel.killed", "UA", 5, as_of=day(2), region="Donetsk")])
    assert [v.metric for v in state(tl, day(3), metric="losses").values] == ["losses.personnel.killed"]
    assert [v.party for v in state(tl, day(3), party="ru").values] == ["RU"]
    assert [v.region for v in state(tl, day(3), region="donetsk").values] == ["Donetsk"]
    with pytest.raises(TimelineError, match=r"no metric in the log matches 'area' \(metrics: losses.personnel.killed, troops.deployed\)"):
        tl.asof(day(3), metric="area")
    with pytest.raises(TimelineError, match=r"unknown party 'KP' \(parties in the log: RU, UA\)"):
        tl.asof(day(3), party="KP")


def test_bad_dates_and_positions_are_one_line_errors(tl):
    with pytest.raises(TimelineError, match="not a valid date"):
        tl.asof("2024-13-45")
    with pytest.raises(TimelineError, match="expected YYYY-MM-DD or 'latest'"):
        tl.asof("2024-11-23", "soon")
    with pytest.raises(TimelineError, match=r"beyond the log: it holds 0 events \(use 0..0\)"):
        tl.asof("2024-11-23", position=1)


def test_read_model_tables_are_in_the_log_file_and_rebuild_restores_them(tl):
    a = article("a.txt", day(3))
    c = claim(a, "troops.deployed", "RU", 100, as_of=day(2))
    tl.store.append([a, c])
    tl.retract(c.claim_id, "wrong")
    conn = sqlite3.connect(tl.path)
    row = conn.execute(
        "SELECT lower(hex(e.id)), metric, party, region, shape, date(valid + 1721424.5), date(report + 1721424.5),"
        " value, retired FROM claims c JOIN series USING (series_id) JOIN events e USING (position)"
    ).fetchone()
    assert row == (c.claim_id, "troops.deployed", "RU", "Kursk", "level", day(2).isoformat(), day(3).isoformat(), 100, 3)
    assert conn.execute("SELECT claim_id, reason FROM retractions").fetchall() == [(c.claim_id, "wrong")]
    assert tl.store.projection_position(NAME) == 3
    conn.close()
    before = [tl.asof(day(3), position=n) for n in range(4)]
    assert [len(s.values) for s in before] == [0, 0, 1, 0]
    assert tl.rebuild() == 3
    assert [tl.asof(day(3), position=n) for n in range(4)] == before


def test_a_log_opened_without_its_read_model_fills_it_from_the_log(tmp_path):
    from events.sqlite_store import SQLiteStore

    path = tmp_path / "bare.sqlite"
    bare = SQLiteStore(path)  # no projectors: events only
    a = article("a.txt", day(3))
    bare.append([a, claim(a, "troops.deployed", "RU", 100, as_of=day(2))])
    bare.close()
    with Timeline(path) as t:
        assert one(t.asof(day(3))).value == 100


def test_diff_lists_changes_with_their_claims(tl):
    a, b = article("a.txt", day(1)), article("b.txt", day(6))
    first = claim(a, "troops.deployed", "RU", 45000, qualifier="about", as_of=day(1))
    later = claim(b, "troops.deployed", "RU", 59000, qualifier="about", as_of=day(6))
    area = claim(b, "area.controlled", "UA", 800, as_of=day(6), unit="km2")
    tl.store.append([a, first])
    tl.store.append([b, later, area])
    d = tl.diff(day(2), day(7))
    data = d.to_data()
    assert (data["from"], data["to"], data["axis"]) == (day(2).isoformat(), day(7).isoformat(), "valid")
    by = {(c["metric"], c["party"]): c for c in data["changes"]}
    t = by[("troops.deployed", "RU")]
    assert (t["kind"], t["before"], t["after"], t["change"], t["change_pct"]) == ("changed", 45000, 59000, 14000, 31.11)
    assert t["claims"] == [later.claim_id] and t["before_claims"] == [first.claim_id]
    assert (by[("area.controlled", "UA")]["kind"], by[("area.controlled", "UA")]["before"]) == ("added", None)
    assert tl.diff(day(7), day(7)).changes == ()


def test_diff_known_compares_two_report_cutoffs_of_one_date(tl):
    a, b = article("a.txt", day(1)), article("b.txt", day(9))
    tl.store.append([a, claim(a, "troops.deployed", "KP", 3000, as_of=day(0))])
    tl.store.append([b, claim(b, "troops.deployed", "KP", 11000, as_of=day(3))])
    d = tl.diff_known(day(5), day(5), "latest").to_data()
    assert (d["axis"], d["from"], d["to"]) == ("known_at", day(5).isoformat(), "latest")
    assert [(c["before"], c["after"]) for c in d["changes"]] == [(3000, 11000)]


@pytest.mark.parametrize("metric, shape, expected", [
    ("area.controlled", "level", "Area held"),
    ("area.controlled.peak", "window", "Area held"),
    ("settlements.controlled", "level", "Area held"),
    ("area.gained", "window", "Area and settlements taken over periods"),
    ("settlements.captured", "window", "Area and settlements taken over periods"),
    ("settlements.captured", "level", "Area and settlements taken over periods"),
    ("troops.planned", "level", "Troops deployed"),
    ("losses.personnel.killed", "level", "Cumulative claimed losses"),
    ("losses.equipment", "window", "Counts reported over periods"),
])
def test_sections(metric, shape, expected):
    assert section(metric, shape) == expected


def test_basis_is_printed_with_latest_as_a_word():
    assert Basis(dt.date(2024, 11, 23), None, 7).to_data() == {"as_of": "2024-11-23", "known_at": "latest", "position": 7}


def test_index_modes_give_the_same_states_and_auto_loads_the_index_from_the_second_question(tl):
    a = article("a.txt", day(3))
    claims = [claim(a, "troops.deployed", "RU", 100, as_of=day(1)), claim(a, "troops.deployed", "RU", 100, as_of=day(2)),
              claim(a, "troops.deployed", "RU", 200, as_of=day(2)), claim(a, "area.controlled", "UA", 5, as_of=day(2))]
    tl.store.append([a, *claims])
    first = tl.asof(day(2))
    assert tl.read_model._memory is None  # one question: the SQL path, nothing loaded
    assert tl.asof(day(2)) == first
    assert tl.read_model._memory is not None and tl.read_model._memory.head == tl.head()
    tl.retract(claims[2].claim_id, "misread")  # the index is built again: a claim it holds was retired
    assert tl.asof(day(2)) == fold(tl.events(), Basis(day(2), None, tl.head()))
    b = article("b.txt", day(4))
    tl.store.append([b, claim(b, "troops.deployed", "RU", 300, as_of=day(3))])  # new claims: inserted in place
    by_mode = {}
    for mode in ("memory", "sql"):
        tl.index = mode
        by_mode[mode] = [tl.asof(day(n), k) for n in range(5) for k in (None, day(3))]
    assert by_mode["memory"] == by_mode["sql"]
    with pytest.raises(TimelineError, match="not one of auto, memory, sql"):
        tl.index = "nonsense"
