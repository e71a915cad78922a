"""Series histories: every claim in valid-time order, the value chosen at each date, and agreement with asof."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from events.model import ClaimRetracted
from events.sqlite_store import SQLiteStore
from projections.history import value_at
from projections.readmodel import projectors
from tests.builders import article, claim, correction, day
from tests.strategies_state import METRICS, articles_with_claims
from timeline import Timeline
from timeline.errors import TimelineError

A = article("a.txt", day(3), "Kyiv Independent", text="article a")
B = article("b.txt", day(9), "Reuters", text="article b")
C = article("c.txt", day(9), "BBC", text="article c")
EARLY = claim(A, "troops.deployed", "KP", 3000, qualifier="about", as_of=day(0), quote="about 3,000")
MID = claim(A, "troops.deployed", "KP", 11000, qualifier="about", as_of=day(2), quote="around 11,000")
LATE_B = claim(B, "troops.deployed", "KP", 12000, qualifier="up_to", as_of=day(8), quote="up to 12,000")
LATE_C = claim(C, "troops.deployed", "KP", 11000, as_of=day(8), quote="11,000")
LATE_C2 = claim(B, "troops.deployed", "KP", 11000, qualifier="about", as_of=day(8), quote="about 11,000")
OTHER = claim(A, "troops.deployed", "RU", 45000, as_of=day(2), quote="45,000")
D = article("d.txt", day(10), "AP", text="article d")
RU_AGAIN = claim(B, "troops.deployed", "RU", 45000, as_of=day(8), quote="45,000 again")
RU_NEW = claim(D, "troops.deployed", "RU", 50000, as_of=day(8), quote="50,000")


@pytest.fixture
def tl(tmp_path):
    store = SQLiteStore(tmp_path / "log.sqlite", projectors=projectors())
    store.append([A, EARLY, MID, OTHER])
    store.append([B, LATE_B, LATE_C2])
    store.append([C, LATE_C])
    store.append([D, RU_AGAIN, RU_NEW])
    store.close()
    with Timeline(tmp_path / "log.sqlite", create=False) as t:
        yield t


def test_rows_are_in_valid_time_order_with_the_chosen_claim_and_its_competitors(tl):
    h = tl.history("troops.deployed", "KP", "Kursk")
    assert [r.claim_id for r in h.rows[:2]] == [EARLY.claim_id, MID.claim_id]
    late = {r.claim_id: r for r in h.rows[2:]}
    assert set(late) == {LATE_B.claim_id, LATE_C.claim_id, LATE_C2.claim_id}
    # 11,000 has two sources (BBC, Reuters) against one for "up to 12,000": it is chosen, 12,000 lost on sources.
    assert late[LATE_C.claim_id].chosen and late[LATE_C2.claim_id].chosen
    assert not late[LATE_B.claim_id].chosen
    assert late[LATE_B.claim_id].lost_by == "more supporting sources"
    assert set(late[LATE_B.claim_id].competing) == {LATE_C.claim_id, LATE_C2.claim_id}
    assert late[LATE_C.claim_id].competing == (LATE_B.claim_id,)
    assert [(s.start, s.end, s.value, s.claim_id) for s in h.steps] == [
        (day(0), day(2), 3000, EARLY.claim_id), (day(2), day(8), 11000, MID.claim_id),
        (day(8), None, 11000, LATE_C.claim_id)]  # of the two 11,000s reported the same day, the exact one
    assert {r.key for r in h.rows} == {("troops.deployed", "KP", "Kursk", "level")}


def test_the_run_of_a_figure_back_in_time_counts_as_support_against_a_later_report(tl):
    h = tl.history("troops.deployed", "RU")
    by_id = {r.claim_id: r for r in h.rows}
    # 45,000 at day 8 (Reuters) continues the 45,000 of day 2 (Kyiv Independent): two sources against one,
    # though 50,000 was reported later.
    assert by_id[RU_AGAIN.claim_id].chosen and not by_id[RU_NEW.claim_id].chosen
    assert by_id[RU_NEW.claim_id].lost_by == "more supporting sources"
    assert [(s.start, s.value, s.claim_id) for s in h.steps] == [(day(2), 45000, OTHER.claim_id),
                                                                 (day(8), 45000, RU_AGAIN.claim_id)]


def test_a_history_agrees_with_asof_at_every_date(tl):
    h = tl.history("troops")
    assert len(h.series) == 2
    for d in (day(n) for n in range(-1, 11)):
        state = tl.asof(d).by_series()
        for key in h.series:
            step, value = value_at(h, key, d), state.get(key)
            assert (step is None) == (value is None)
            if step is not None:
                assert (step.value, step.qualifier, step.low, step.high, step.claim_id) == \
                    (value.value, value.qualifier, value.low, value.high, value.claims[0])


def test_retracted_and_corrected_claims_are_listed_with_their_status(tl):
    fix = correction(MID, "misread", replacement_value=10000)
    tl.store.append([ClaimRetracted(LATE_C.claim_id, "duplicate wire copy"), fix])
    before = tl.history("troops.deployed", "KP", position=8)
    assert all(r.status == "active" for r in before.rows)
    h = tl.history("troops.deployed", "KP")
    by_id = {r.claim_id: r for r in h.rows}
    assert by_id[LATE_C.claim_id].status == "retracted" and not by_id[LATE_C.claim_id].chosen
    assert [a.reason for a in by_id[LATE_C.claim_id].amendments] == ["duplicate wire copy"]
    mid = by_id[MID.claim_id]
    assert mid.status == "corrected" and mid.replaced_by is not None and not mid.chosen
    replacement = by_id[mid.replaced_by]
    assert replacement.replaces == MID.claim_id and replacement.value == 10000 and replacement.chosen
    # Whatever the tie rule picks at day 8 now, the history shows what asof shows.
    state = tl.asof(day(8)).by_series()[("troops.deployed", "KP", "Kursk", "level")]
    assert value_at(h, state.key, day(8)).claim_id == state.claims[0]


def test_known_at_keeps_what_a_reader_knew_and_from_to_cut_the_rows(tl):
    h = tl.history("troops.deployed", "KP", known_at=day(5))
    assert [r.claim_id for r in h.rows] == [EARLY.claim_id, MID.claim_id]
    cut = tl.history("troops.deployed", "KP", start=day(1), end=day(7))
    assert [r.claim_id for r in cut.rows] == [MID.claim_id]
    assert [(s.start, s.value) for s in cut.steps] == [(day(0), 3000), (day(2), 11000)]  # the step open at day 1


def test_dates_may_be_datetimes_and_pandas_timestamps(tl):
    pd = pytest.importorskip("pandas")
    a = tl.history("troops.deployed", "KP", start=dt.datetime(2024, 11, 2, 12), end=pd.Timestamp("2024-11-08"))
    assert a == tl.history("troops.deployed", "KP", start="2024-11-02", end="2024-11-08")


@pytest.mark.parametrize("kwargs, message", [
    ({"metric": "troops.nothing"}, "no metric in the log matches 'troops.nothing'"),
    ({"metric": "troops", "party": "XX"}, "unknown party 'XX'"),
    ({"metric": "troops", "start": "2024-11-09", "end": "2024-11-02"}, "start 2024-11-09 is after end 2024-11-02"),
    ({"metric": "troops", "start": "9 Nov"}, "is not a valid date"),
])
def test_bad_questions_say_what_is_wrong(tl, kwargs, message):
    with pytest.raises(TimelineError, match=message.replace("(", r"\(")):
        tl.history(**kwargs)


def test_to_data_and_to_pandas_show_the_same_claims(tl):
    pytest.importorskip("pandas")
    h = tl.history("troops")
    data = h.to_data()
    frame = h.to_pandas()
    assert list(frame["claim"]) == [c["claim"] for c in data["claims"]] == [r.claim_id for r in h.rows]
    assert list(frame["chosen"]) == [c["chosen"] for c in data["claims"]]
    assert str(frame["valid"].dtype).startswith("datetime64")


@settings(max_examples=25)
@given(st.lists(articles_with_claims(), min_size=1, max_size=6), st.data())
def test_every_step_is_the_asof_value_of_its_dates(batches, data):
    folder = Path(tempfile.mkdtemp())
    try:
        store = SQLiteStore(folder / "log.sqlite", projectors=projectors())
        for art, claims in batches:
            store.append([art, *claims])
        everything = [c for _, cs in batches for c in cs]
        if everything:
            victim = data.draw(st.sampled_from(everything))
            store.append([ClaimRetracted(victim.claim_id, "withdrawn")])
        store.close()
        known = data.draw(st.one_of(st.none(), st.integers(0, 12).map(day)))
        with Timeline(folder / "log.sqlite", create=False, index="sql") as tl:
            present = {c.claim.metric for c in everything}
            for metric in METRICS:
                if metric not in present:
                    continue
                h = tl.history(metric, known_at=known)
                for d in (day(n) for n in range(-1, 13)):
                    state = tl.asof(d, known_at=known, metric=metric).by_series()
                    for key in set(h.series) | set(state):
                        step, value = value_at(h, key, d), state.get(key)
                        assert (step is None) == (value is None), (key, d)
                        if step is not None:
                            assert (step.value, step.qualifier, step.claim_id) == \
                                (value.value, value.qualifier, value.claims[0])
                for r in h.rows:
                    v = tl.asof(r.valid, known_at=known, metric=metric).by_series().get(r.key)
                    assert r.chosen == (v is not None and r.claim_id in v.claims and r.valid == v.valid), (r, v)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_snapshot_gives_the_history_up_to_its_basis(tl):
    snap = tl.at(day(5), known_at=day(9))
    h = snap.history("troops.deployed", "KP")
    assert h == tl.history("troops.deployed", "KP", known_at=day(9), end=day(5), position=snap.basis.position)
    assert [r.claim_id for r in h.rows] == [EARLY.claim_id, MID.claim_id]
    value = snap.value_of("troops.deployed", "KP", "Kursk")[0]
    assert value_at(h, value.key, day(5)).claim_id == value.claims[0]
