"""The review verbs of the API: verdicts, corrections and claims entered by hand, the queue, the status; bad input is
refused whole, with nothing written."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.builders import article, claim, day
from timeline import Timeline, TimelineError
from timeline.review import Decision

TEXT = ("Kyiv says Russia has 50,000 troops in Kursk.\n\n"
        "The ministry said 1,200 soldiers were killed. Another sentence follows.\n\nLast paragraph.")


@pytest.fixture
def tl(tmp_path):
    t = Timeline(tmp_path / "log.sqlite")
    a = article("a.txt", day(3), outlet="Reuters", text=TEXT)
    b = article("b.txt", day(4), outlet="AP")
    start = TEXT.index("1,200 soldiers")
    killed = claim(a, "losses.personnel.killed", "RU", 1200, as_of=day(2), quote="1,200 soldiers")
    killed = type(killed)(killed.claim_id, killed.claim, type(killed.evidence)("1,200 soldiers", a.article_id,
                                                                                 (start, start + 14)), "test",
                          killed.published)
    t.store.append([a, claim(a, "troops.deployed", "RU", 50000, as_of=day(2)), killed])
    t.store.append([b, claim(b, "troops.deployed", "RU", 45000, as_of=day(2))])
    t.fixture = {"a": a, "b": b, "killed": killed}
    yield t
    t.close()


def ids(tl, metric="troops.deployed"):
    return [c["id"] for c in tl.claims() if c["metric"] == metric]


def unchanged(tl):
    """A checkpoint: the head before, to compare after a refused batch."""
    return tl.head()


def test_a_verdict_needs_a_reviewer_and_a_rejection_a_note(tl):
    head = tl.head()
    with pytest.raises(TimelineError, match="name the reviewer or set TIMELINE_REVIEWER"):
        tl.confirm(ids(tl)[:1], None)
    with pytest.raises(TimelineError, match="needs a note"):
        tl.reject(ids(tl)[0], "Ann", "  ")
    assert tl.head() == head


def test_a_batch_with_one_bad_decision_writes_nothing_and_names_it(tl):
    head = tl.head()
    good = ids(tl)[0]
    with pytest.raises(TimelineError, match="decision 2: no claim has an id starting with 'abcdef'"):
        tl.review([Decision(good, "confirm"), Decision("abcdef", "confirm")], "Ann")
    with pytest.raises(TimelineError, match="too short"):
        tl.confirm(["ab"], "Ann")
    assert tl.head() == head


def test_a_verdict_on_a_retracted_or_replaced_claim_is_refused(tl):
    first, second = ids(tl)
    tl.retract(first, "withdrawn")
    with pytest.raises(TimelineError, match="is retracted"):
        tl.confirm([first], "Ann")
    fix = tl.correct(second, "Ann", "the article says 46,000", value="46,000")
    with pytest.raises(TimelineError, match="review its replacement"):
        tl.confirm([second], "Ann")
    assert tl.confirm([fix["replacement_id"]], "Bob")[0]["verdict"] == "confirmed"
    again = tl.correct(fix["replacement_id"], "Bob", "the figure is 46,500", value="46,500")
    with pytest.raises(TimelineError, match=f"review its replacement {again['replacement_id'][:12]} instead \\(by way"
                                            f" of {fix['replacement_id'][:12]}, corrected in turn\\)"):
        tl.confirm([second], "Ann")  # the claim that stands now, not the one corrected in turn


def test_a_correction_by_a_person_replaces_the_claim_and_counts_as_reviewed(tl):
    target = ids(tl)[1]
    result = tl.correct(target, "Ann", "typo", value=47000, qualifier="about")
    assert result["changed"] == ["qualifier", "value"]
    s = tl.asof(day(5), reviewed=True)
    (v,) = s.values
    assert (v.value, v.qualifier, v.claims) == (47000, "about", (result["replacement_id"],))
    with pytest.raises(TimelineError, match="changes nothing"):
        tl.correct(ids(tl)[0], "Ann", "no-op", value=50000)
    with pytest.raises(TimelineError, match="cannot edit unit"):
        tl.correct(ids(tl)[0], "Ann", "x", unit="km2")


def test_add_claim_checks_the_vocabulary_and_writes_nothing_when_wrong(tl):
    head = tl.head()
    base = dict(metric="troops.deployed", party="KP", value="11,000", region="Kursk oblast", as_of="2024-11-20",
                source="https://example.org/kp", outlet="Example", published="2024-11-21", reviewer="Ann")
    for change, message in [({"metric": "troops.sent"}, "metric 'troops.sent' is not in the vocabulary"),
                            ({"party": "XX"}, "party 'XX' is not one of"),
                            ({"region": "Atlantis"}, "region 'Atlantis' is not in the vocabulary"),
                            ({"value": "ten thousand"}, "is not a number"),
                            ({"metric": "area.lost.share", "value": "150"}, "is not a share"),
                            ({"as_of": "2024-02-30"}, "is not a date"),
                            ({"as_of": None}, "dated by an as-of date or by a period"),
                            ({"period": "2024-11-01..2024-11-07"}, "one of them"),
                            ({"qualifier": "maybe"}, "qualifier 'maybe' is not one of"),
                            ({"source": "ftp:/x"}, r"neither an ingested article \(its file name or id\) nor an http"),
                            ({"outlet": None}, "needs its outlet"),
                            ({"published": None}, "needs its publication date"),
                            ({"reviewer": ""}, "who is reviewing")]:
        with pytest.raises(TimelineError, match=message):
            tl.add_claim(**(base | change))
    assert tl.head() == head
    added = tl.add_claim(**base)
    assert added["new"] and added["claim"]["region"] == "Kursk" and added["claim"]["value"] == 11000
    again = tl.add_claim(**base)
    assert again["new"] is False and again["position"] == added["position"]  # one claim, where it was entered
    v = tl.asof(day(30), reviewed=True).values
    assert [(x.party, x.value, x.articles) for x in v] == [("KP", 11000, ("https://example.org/kp",))]


def test_add_claim_from_an_ingested_article_takes_its_date_and_outlet(tl):
    a = tl.fixture["a"]
    added = tl.add_claim(metric="losses.personnel.wounded", party="RU", value=300, as_of=day(2).isoformat(),
                         source=a.article_id[:10], reviewer="Ann", quote="soldiers were killed")
    assert added["source"] == {"article_id": a.article_id, "url": None, "outlet": "Reuters",
                               "published": day(3).isoformat()}
    tree = tl.explain(ref=added["claim_id"])
    assert tree["claim"]["sentence"] == "The ministry said 1,200 soldiers were killed."
    with pytest.raises(TimelineError, match="no ingested article"):
        tl.add_claim(metric="losses.personnel", party="RU", value=1, as_of="2024-11-01", source="0123456789",
                     reviewer="Ann")


def test_the_queue_puts_claims_behind_values_first_and_shows_the_figure_in_its_paragraph(tl):
    queue = tl.review_queue()
    whys = [q["why"] for q in queue]
    assert whys == sorted(whys, key=["behind a current value", "competes with a current value",
                                     "not in the current state"].index)
    killed = next(q for q in queue if q["metric"] == "losses.personnel.killed")
    para = killed["paragraph"]
    assert para == "The ministry said 1,200 soldiers were killed. Another sentence follows."
    assert para[slice(*killed["figure"])] == "1,200 soldiers"
    assert para[slice(*killed["sentence"])] == "The ministry said 1,200 soldiers were killed."
    assert killed["feeds"]["as"] == "support" and killed["feeds"]["value"] == 1200
    competing = [q for q in queue if q["why"] == "competes with a current value"]
    assert [q["value"] for q in competing] == [50000] and competing[0]["feeds"]["value"] == 45000  # the later report won
    tl.confirm([queue[0]["claim_id"]], "Ann")
    assert queue[0]["claim_id"] not in [q["claim_id"] for q in tl.review_queue()]


def test_the_queue_resumes_where_a_reviewer_stopped(tl):
    queue = tl.review_queue("Ann")
    tl.mark_resume("Ann", queue[2]["claim_id"])
    again = tl.review_queue("Ann")
    assert again[0]["claim_id"] == queue[2]["claim_id"] and len(again) == len(queue)
    assert tl.review_queue("Bob")[0]["claim_id"] == queue[0]["claim_id"]


def test_status_counts_verdicts_by_reviewer_and_names_the_values_nobody_checked(tl):
    first, second = ids(tl)
    killed = tl.fixture["killed"].claim_id
    tl.confirm([first], "Ann")
    tl.reject(second, "Bob", "duplicate")
    tl.confirm([second], "Ann")
    status = tl.review_status()
    assert (status["confirmed"], status["rejected"], status["unreviewed"]) == (2, 0, 1)
    assert status["by_reviewer"]["Ann"]["confirmed"] == 2 and status["by_reviewer"]["Bob"]["rejected"] == 1
    assert [v["claims"] for v in status["unchecked_values"]] == [[killed]]


def test_a_decisions_csv_is_applied_whole_or_not_at_all(tl):
    out = io.StringIO()
    assert tl.export_queue(out) == 3
    rows = out.getvalue().splitlines()
    assert rows[0].startswith("claim_id,decision,note,")
    first, second, third = (r.split(",")[0] for r in rows[1:])
    bad = f"claim_id,decision,note\n{first},confirm,\n{second},maybe,\n"
    head = tl.head()
    with pytest.raises(TimelineError, match=r"decisions.csv: row 3: verdict 'maybe' is not confirm or reject"):
        tl.apply_decisions(io.StringIO(bad), "Ann", "decisions.csv")
    with pytest.raises(TimelineError, match="row 2: a rejection needs a note"):
        tl.apply_decisions(io.StringIO(f"claim_id,decision,note\n{first},reject,\n"), "Ann", "decisions.csv")
    with pytest.raises(TimelineError, match="needs the columns claim_id and decision"):
        tl.apply_decisions(io.StringIO("id,verdict\n"), "Ann", "decisions.csv")
    assert tl.head() == head
    done = tl.apply_decisions(io.StringIO(f"claim_id,decision,note\n{first},confirm,\n{second},,\n"
                                          f"{third},Reject,wrong side\n"), "Ann", "decisions.csv")
    assert [(d["claim_id"], d["verdict"]) for d in done] == [(first, "confirmed"), (third, "rejected")]
    assert len({d["position"] for d in done}) == 2 and tl.head() == head + 2


def test_claims_outside_the_state_come_least_confident_first(tmp_path):
    """Where the extractor records a confidence with a claim, the rest of the queue is ordered by it."""
    import json as _json

    from events.codec import encoded
    from events.digest import dumps
    from events.store import Pending

    with Timeline(tmp_path / "c.sqlite") as t:
        a = article("a.txt", day(3))
        undated = [claim(a, "troops.deployed", "RU", v) for v in (1, 2, 3, 4)]  # no date: never in a state
        pending = []
        for c, confidence in zip(undated, (0.9, 0.2, None, 0.5)):
            cid, kind, data = encoded(c)
            data = _json.loads(dumps(data))
            if confidence is not None:
                data["confidence"] = {"score": confidence, "signals": ["test"]}
            pending.append(Pending(cid, kind, dumps(data)))
        t.store.append([a, *pending])
        queue = t.review_queue()
        assert [q["value"] for q in queue] == [2, 4, 1, 3]
        assert [q["confidence"] for q in queue] == [0.2, 0.5, 0.9, None]
        assert {q["why"] for q in queue} == {"not in the current state"}


def test_a_decisions_csv_with_two_rows_for_one_claim_names_the_second(tl):
    first = ids(tl)[0]
    head = tl.head()
    with pytest.raises(TimelineError, match="row 3: claim .* already has a decision in an earlier row"):
        tl.apply_decisions(io.StringIO(f"claim_id,decision,note\n{first},confirm,\n{first[:8]},reject,no\n"), "Ann")
    assert tl.head() == head


def test_the_queue_uses_the_confidence_the_extractor_computes_from_its_signals(tmp_path):
    from events.extract.confidence import confidence

    with Timeline(tmp_path / "s.sqlite") as t:
        t.ingest([Path(__file__).resolve().parents[1] / "seeds"])
        queue = t.review_queue()
        scored = [q for q in queue if q["confidence"] is not None]
        assert scored, "the seeds' claims record signals"
        by_id = {r.id: r.event for r in t.events() if r.type == "ClaimReported"}
        for q in scored:
            ev = by_id[q["claim_id"]]
            assert q["confidence"] == confidence(ev.rule, ev.signals)
        rest = [q["confidence"] for q in queue if q["why"] == "not in the current state"]
        known = [c for c in rest if c is not None]
        assert known == sorted(known) and rest[: len(known)] == known  # least confident first, unscored last


def test_a_verdict_that_repeats_the_last_one_appends_nothing_and_says_so(tl):
    first, second = ids(tl)
    done = tl.confirm([first], "Ann")[0]
    head = tl.head()
    again = tl.confirm([first], "Ann")[0]
    assert again["already"] and again["position"] == done["position"] and tl.head() == head
    assert tl.review_status()["by_reviewer"]["Ann"]["confirmed"] == 1
    sheet = f"claim_id,decision,note\n{first},confirm,\n{second},reject,a duplicate\n"
    applied = tl.apply_decisions(io.StringIO(sheet), "Ann", "decisions.csv")
    assert [d.get("already", False) for d in applied] == [True, False] and tl.head() == head + 1
    assert all(d.get("already") for d in tl.apply_decisions(io.StringIO(sheet), "Ann", "decisions.csv"))
    assert tl.head() == head + 1
    assert not tl.confirm([first], "Bob")[0].get("already")  # another reviewer's word is news
    tl.confirm([first], "Ann", "read again")  # a new note is appended, and still one claim Ann confirmed
    assert tl.review_status()["by_reviewer"]["Ann"]["confirmed"] == 1
    assert "already" not in tl.reject(second, "Ann", "another note")  # a new note is news too


def test_two_decisions_on_one_claim_in_a_batch_are_refused_even_when_one_repeats_its_last_verdict(tl):
    first, _ = ids(tl)
    tl.confirm([first], "Ann")
    head = tl.head()
    with pytest.raises(TimelineError, match=f"claim {first[:12]} has two decisions in one batch: keep one"):
        tl.confirm([first, first], "Ann")
    assert tl.head() == head


def test_a_retraction_refuses_a_reviewer_name_with_control_characters_as_a_verdict_does(tl):
    first, second = ids(tl)
    with pytest.raises(TimelineError, match="the reviewer's name holds control characters"):
        tl.retract(first, "withdrawn", "Ann\x1b[31m")
    assert tl.retract(second, "withdrawn", "  Ann   Reviewer ")["reviewer"] == "Ann Reviewer"


def test_explain_of_a_replaced_claim_names_its_replacement_and_of_a_retracted_one_its_reason(tl):
    first, second = ids(tl)
    fix = tl.correct(second, "Ann", "typo", value=47000)
    tl.retract(first, "a plan, not a deployment")
    replaced = tl.explain(ref=second)["claim"]
    assert replaced["retracted"] is False and replaced["replaced_by"] == fix["replacement_id"]
    assert [k["reason"] for k in replaced["corrections"]] == ["typo"]
    withdrawn = tl.explain(ref=first)["claim"]
    assert withdrawn["retracted"] is True and withdrawn["replaced_by"] is None
    assert [k["reason"] for k in withdrawn["retractions"]] == ["a plan, not a deployment"]
