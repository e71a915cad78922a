"""`check`: each kind of finding, its severity, and the exit code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from events.model import ClaimCorrected
from timeline.api import Timeline
from timeline.checks import run_checks
from timeline.cli import main
from tests.builders import (
    KURSK,
    REUTERS,
    TALLY,
    claim_in,
    dataset_claim,
    kursk_claims,
    kyiv_claims,
    provenance,
    quoted_article,
    reuters_claims,
    seed_like_log,
    tally_claims,
)

TALLY_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "russia-losses"


def findings(events, as_of="2024-11-30", check=None):
    report = run_checks(provenance(events, as_of))
    return [f for f in report.findings if check is None or f.check == check]


def lines(fs):
    return [(f.severity, f.message) for f in fs]


def test_components_against_their_totals_hold():
    fs = findings([KURSK, *kursk_claims()], check="components")
    assert lines(fs) == [
        ("info", "the parts listed (armored_vehicles, artillery, mlrs, tanks, vehicles) add up to "
                 "276 + 107 + 5 + 54 + 659 = 1,101 = the total: holds"),
        ("info", "7,905 + 12,220 + 717 = 20,842: holds"),
    ]
    assert set(fs[1].claims) == {c.claim_id for c in kursk_claims()[:4]}


def test_components_that_do_not_add_up_are_an_error_from_one_claimant():
    a = quoted_article("a.txt", "Losses: 20,000 in all, 7905 killed, 12,220 wounded and 717 captured.", "2024-11-05")
    on = "2024-11-05"
    events = [a, claim_in(a, "20,000", "losses.personnel", "RU", "Kursk", 20000, as_of=on),
              claim_in(a, "7905", "losses.personnel.killed", "RU", "Kursk", 7905, as_of=on),
              claim_in(a, "12,220", "losses.personnel.wounded", "RU", "Kursk", 12220, as_of=on),
              claim_in(a, "717", "losses.personnel.captured", "RU", "Kursk", 717, as_of=on)]
    (f,) = findings(events, check="components")
    assert (f.severity, f.message) == ("error", "7,905 + 12,220 + 717 = 20,842, but the total is 20,000: off by -842")
    assert run_checks(provenance(events, "2024-11-30")).exit_code == 1


def test_a_falling_running_total_is_an_error_unless_a_correction_explains_it():
    up, down = dataset_claim("losses.equipment.tanks", 100, "2023-05-27", 1), dataset_claim(
        "losses.equipment.tanks", 98, "2023-05-28", 2)
    (f,) = findings([up, down], check="falling-total")
    assert f.severity == "error"
    assert f.message == ("losses.equipment.tanks RU Ukraine: Dataset Claimant's running total falls from 100 on "
                         "2023-05-27 to 98 on 2023-05-28 (-2), and no correction explains it")
    fix = ClaimCorrected(down.claim_id, "correction of tank by -2", adjustment=-2)
    (g,) = findings([up, down, fix], check="falling-total")
    assert g.severity == "warning" and g.message.endswith("explained by a correction: correction of tank by -2")
    other = dataset_claim("losses.equipment.tanks", 98, "2023-05-28", 2, claimant="Someone else")
    assert findings([up, other], check="falling-total") == []


def test_a_reported_share_against_the_levels_it_implies():
    fs = findings([REUTERS, *reuters_claims(), article_kyiv(), *kyiv_claims()], check="share")
    assert lines(fs) == [
        ("warning", "about 50% lost on 2024-11-11 (reported) vs 1 - 800/1,376 = 41.9% on 2024-11-23 (implied): "
                    "a tension (their intervals overlap)"),
        ("info", "over 40% lost (reported) vs 1 - 800/1,376 = 41.9% (implied): consistent"),
    ]


def article_kyiv():
    from tests.builders import KYIV

    return KYIV


def test_competing_claims_whose_intervals_do_not_overlap():
    a = quoted_article("b.txt", "Russia has 45,000 soldiers in Kursk, or nearly 59,000, or about 60,000.", "2024-11-23")
    on = "2024-11-23"
    exact = claim_in(a, "45,000", "troops.deployed", "RU", "Kursk", 45000, as_of=on, claimant="A")
    nearly = claim_in(a, "nearly 59,000", "troops.deployed", "RU", "Kursk", 59000, as_of=on, qualifier="nearly",
                      claimant="B")
    about = claim_in(a, "about 60,000", "troops.deployed", "RU", "Kursk", 60000, as_of=on, qualifier="about",
                     claimant="C")
    fs = findings([a, exact, nearly, about], check="competing")
    assert lines(fs) == [
        ("warning", "troops.deployed RU Kursk on 2024-11-23: 45,000 (A) and about 60,000 (C) do not overlap"),
        ("warning", "troops.deployed RU Kursk on 2024-11-23: 45,000 (A) and nearly 59,000 (B) do not overlap"),
    ]


def test_a_level_dated_after_its_article_is_a_plan_read_as_a_fact():
    a = quoted_article("c.txt", "Russia will have 690,000 troops by December, and plans 700,000.", "2024-11-23")
    fact = claim_in(a, "690,000", "troops.deployed", "RU", "Ukraine", 690000, as_of="2024-12-01")
    plan = claim_in(a, "700,000", "troops.deployed", "RU", "Ukraine", 700000, as_of="2024-12-31", modality="planned")
    fs = findings([a, fact, plan], as_of="2025-01-01", check="future-level")
    assert lines(fs) == [
        ("error", "troops.deployed RU Ukraine 690,000 is dated 2024-12-01, 8 days after c.txt was published "
                  "(2024-11-23): a plan read as a fact, or a misdated claim"),
        ("info", "troops.deployed RU Ukraine 700,000 is dated 2024-12-31, 38 days after c.txt was published "
                 "(2024-11-23): a plan, recorded as one"),
    ]


def test_a_daily_count_against_two_consecutive_running_totals():
    before = dataset_claim("losses.personnel.killed", 132160, "2023-02-06", 1, unit="persons")
    fs = findings([before, TALLY, *tally_claims()], as_of="2023-02-07", check="daily-count")
    assert lines(fs) == [("info", "losses.personnel.killed RU Ukraine: 1,030 over 2023-02-06..2023-02-07 vs running "
                                  "totals 133,190 - 132,160 = 1,030: holds")]
    wrong = dataset_claim("losses.personnel.killed", 132000, "2023-02-06", 1, unit="persons")
    (f,) = findings([wrong, TALLY, *tally_claims()], as_of="2023-02-07", check="daily-count")
    assert f.severity == "warning" and f.message.endswith("= 1,190: disagrees by -160")


def test_a_quote_that_is_not_at_its_span_is_an_error():
    from attrs import evolve

    from events.codec import claim_id

    good = kursk_claims()[1]
    ev = evolve(good.evidence, quote="7906 fatalities")
    bad = evolve(good, evidence=ev, claim_id=claim_id(good.claim, ev))
    (f,) = findings([KURSK, bad], check="quote")
    assert f.severity == "error" and "is not the text of kursk.txt" in f.message


def test_check_on_the_issue_figures_has_no_error():
    report = run_checks(provenance(seed_like_log(), "2024-11-30"))
    assert report.exit_code == 0
    assert [(f.severity, f.check) for f in report.findings] == [
        ("warning", "share"), ("info", "components"), ("info", "components"), ("info", "share")]


# -- the CLI ---------------------------------------------------------------------------------------------------------


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_cli_check_text_json_and_exit_codes(tmp_path):
    path = tmp_path / "log.sqlite"
    with Timeline(path) as tl:
        tl.store.append([REUTERS, *reuters_claims(), article_kyiv(), *kyiv_claims()])
    text = run("--log", str(path), "check", "--asof", "2024-11-30")
    assert text.exit_code == 0
    assert text.stdout.splitlines()[0] == \
        "check as of 2024-11-30 (known at latest, log position 7): 0 errors, 1 warning, 1 info"
    data = json.loads(run("--log", str(path), "check", "--asof", "2024-11-30", "--format", "json").stdout)
    assert data["counts"] == {"error": 0, "warning": 1, "info": 1}
    assert data["findings"][0]["check"] == "share" and len(data["findings"][0]["claims"]) == 3
    with Timeline(path) as tl:
        a = quoted_article("d.txt", "Russia will have 690,000 troops.", "2024-11-23")
        tl.store.append([a, claim_in(a, "690,000", "troops.deployed", "RU", "Ukraine", 690000, as_of="2024-12-01")])
    assert run("--log", str(path), "check", "--asof", "2024-12-31").exit_code == 1
    bad = run("--log", str(path), "check", "--asof", "tomorrow")
    assert bad.exit_code == 2 and len(bad.stderr.strip().splitlines()) == 1


@pytest.mark.shared
def test_the_general_staff_tally_has_thirteen_falls(tmp_path):
    path = str(tmp_path / "tally.sqlite")
    assert run("--log", path, "import-tally", str(TALLY_DIR)).exit_code == 0
    result = run("--log", path, "check", "--format", "json")
    data = json.loads(result.stdout)
    falls = [f for f in data["findings"] if f["check"] == "falling-total"]
    assert len(falls) == 13
    assert sorted(f["date"] for f in falls) == [
        "2022-10-13", "2023-05-28", "2023-10-03", "2024-03-13", "2024-08-05", "2024-10-03", "2024-11-30",
        "2024-11-30", "2025-04-22", "2025-05-04", "2025-10-03", "2025-10-03", "2026-03-04"]
    # Twelve are explained by the correction file; the field artillery drop of 2026-03-04 is not.
    assert [f["severity"] for f in falls].count("warning") == 12
    (error,) = [f for f in falls if f["severity"] == "error"]
    assert error["metric"] == "losses.equipment.artillery" and "37,842" in error["message"]
    assert result.exit_code == 1
