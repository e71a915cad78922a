"""`timeline asof`, `diff` and `retract` as a user runs them: exact output, exit codes, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from events.model import Claim, ClaimReported, Evidence
from events.sqlite_store import SQLiteStore
from projections.readmodel import projectors
from tests.builders import article, claim, day
from timeline import Timeline
from timeline.cli import main

A = article("a.txt", day(3), "Kyiv Independent", text="article a")
B = article("b.txt", day(9), "Reuters", text="article b")
KP_EARLY = claim(A, "troops.deployed", "KP", 3000, qualifier="about", as_of=day(0), quote="about 3,000")
KP_A = claim(A, "troops.deployed", "KP", 11000, qualifier="about", as_of=day(2), quote="around 11,000", published=day(9))
KP_B = claim(B, "troops.deployed", "KP", 11000, qualifier="about", as_of=day(8), quote="about 11,000")
RU_A = claim(A, "troops.deployed", "RU", 45000, qualifier="about", as_of=day(2), quote="about 45,000")
RU_B = claim(B, "troops.deployed", "RU", 59000, qualifier="about", as_of=day(8), quote="some 59,000")
AREA = claim(A, "area.controlled", "UA", 1294, as_of=day(1), unit="km2", quote="1,294 square kilometers")
AREA_B = claim(B, "area.controlled", "UA", 800, qualifier="about", as_of=day(8), unit="km2", quote="approximately 800")
KILLED = claim(A, "losses.personnel.killed", "RU", 1030, period=(day(1), day(2)), quote="1,030 overnight")


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def log(tmp_path) -> Path:
    path = tmp_path / "log.sqlite"
    store = SQLiteStore(path, projectors=projectors())
    store.append([A, KP_EARLY, KP_A, RU_A, AREA, KILLED])
    store.append([B, KP_B, RU_B, AREA_B])
    store.close()
    return path


def asof(log: Path, *args: str):
    return run("--log", str(log), "asof", *args)


def test_asof_prints_the_basis_and_each_section(log):
    result = asof(log, day(9).isoformat())
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"State as of {day(9)}, known at latest (every report in the log), log position 10"
    assert [ln for ln in lines if ln in ("Area held", "Troops deployed", "Counts reported over periods")] == [
        "Area held", "Troops deployed", "Counts reported over periods"]
    kp = next(ln for ln in lines if ln.startswith("troops.deployed  KP"))
    assert "about 11,000" in kp and f"{day(8)}" in kp and "1 d" in kp and KP_B.claim_id[:10] in kp
    assert kp.split()[-3:-1] == ["2", KP_B.claim_id[:10]]  # two sources, then the chosen claim
    window = next(ln for ln in lines if ln.startswith("losses.personnel.killed"))
    assert f"{day(1)}..{day(2)}" in window


def test_asof_json_has_the_documented_shape(log):
    data = json.loads(asof(log, day(9).isoformat(), "--format", "json").stdout)
    assert data["basis"] == {"as_of": day(9).isoformat(), "known_at": "latest", "position": 10}
    required = {"metric", "party", "region", "shape", "value", "low", "high", "qualifier", "unit", "as_of", "period",
                "staleness_days", "claims", "articles", "competing"}
    assert all(required <= set(v) for v in data["values"])
    kp = next(v for v in data["values"] if v["party"] == "KP")
    assert (kp["value"], kp["qualifier"], kp["as_of"], kp["staleness_days"]) == (11000, "about", day(8).isoformat(), 1)
    assert kp["claims"] == [KP_B.claim_id, KP_A.claim_id] and kp["articles"] == ["b.txt", "a.txt"]
    window = next(v for v in data["values"] if v["shape"] == "window")
    assert window["period"] == {"start": day(1).isoformat(), "end": day(2).isoformat()} and window["as_of"] is None


def test_asof_known_at_and_csv(log):
    result = asof(log, day(5).isoformat(), "--known-at", day(5).isoformat(), "--party", "KP", "--format", "csv")
    assert result.exit_code == 0
    header, row = result.stdout.splitlines()
    assert header.startswith("section,metric,party,region,shape,value,low,high,qualifier,unit,as_of,")
    assert row.startswith(f"Troops deployed,troops.deployed,KP,Kursk,level,3000,,,about,persons,{day(0)},")
    assert row.endswith(f",{day(5)},{day(5)},10")


def test_asof_a_date_before_every_claim_is_an_empty_state_and_a_sentence(log):
    result = asof(log, "2020-01-01")
    assert result.exit_code == 0
    assert result.stdout == (
        "State as of 2020-01-01, known at latest (every report in the log), log position 10\n\n"
        f"No claim is dated on or before 2020-01-01 (the earliest is dated {day(0)}): the state is empty.\n"
    )
    data = json.loads(asof(log, "2020-01-01", "--format", "json").stdout)
    assert data["values"] == [] and data["note"].startswith("No claim is dated on or before 2020-01-01")


@pytest.mark.parametrize("args, message", [
    (["2024-13-45"], "date '2024-13-45' is not a valid date (expected YYYY-MM-DD, e.g. 2024-11-23)"),
    (["yesterday"], "date 'yesterday' is not a valid date (expected YYYY-MM-DD, e.g. 2024-11-23)"),
    (["2024-11-23", "--known-at", "2024-02-30"], "--known-at '2024-02-30' is not a date (expected YYYY-MM-DD or 'latest')"),
    (["2024-11-23", "--position", "11"], "--position 11 is beyond the log: it holds 10 events (use 0..10)"),
    (["2024-11-23", "--position", "-1"], "--position '-1' is not a log position (expected a whole number, 0 or more)"),
    (["2024-11-23", "--metric", "ships"],
     "no metric in the log matches 'ships' (metrics: area.controlled, losses.personnel.killed, troops.deployed)"),
    (["2024-11-23", "--party", "US"], "unknown party 'US' (parties in the log: KP, RU, UA)"),
    (["2024-11-23", "--region", "Crimea"], "unknown region 'Crimea' (regions in the log: Kursk)"),
])
def test_asof_bad_input_is_one_line_and_exit_2(log, args, message):
    result = asof(log, *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"Error: {message}\n"


def test_diff_two_dates(log):
    result = run("--log", str(log), "diff", day(3).isoformat(), day(9).isoformat(), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["from"], data["to"]) == (day(3).isoformat(), day(9).isoformat())
    got = {(c["metric"], c["party"]): (c["before"], c["after"], c["change"], c["change_pct"], c["claims"])
           for c in data["changes"]}
    assert got[("troops.deployed", "RU")] == (45000, 59000, 14000, 31.11, [RU_B.claim_id])
    assert got[("area.controlled", "UA")] == (1294, 800, -494, -38.18, [AREA_B.claim_id])
    text = run("--log", str(log), "diff", day(3).isoformat(), day(9).isoformat()).stdout
    assert f"Changes from {day(3)} to {day(9)} (known at latest, log position 10)" in text
    ru = next(ln for ln in text.splitlines() if ln.startswith("troops.deployed  RU"))
    assert "~45,000  ~59,000  +14,000  +31.1%" in ru  # the figures as hedged as they were reported
    assert text.splitlines()[-1] == "(~ about)"  # what the marks stand for
    qualifiers = {(c["metric"], c["party"]): (c["before_qualifier"], c["after_qualifier"]) for c in data["changes"]}
    assert qualifiers[("troops.deployed", "RU")] == ("about", "about")
    assert qualifiers[("area.controlled", "UA")] == ("exact", "about")


def test_diff_of_a_date_with_itself_has_no_changes(log):
    result = run("--log", str(log), "diff", day(9).isoformat(), day(9).isoformat())
    assert result.exit_code == 0 and result.stdout.endswith("\n\nno changes\n")


def test_diff_two_report_cutoffs_of_one_date(log):
    result = run("--log", str(log), "diff", day(5).isoformat(), "--known-at", day(5).isoformat(),
                 "--known-at", "latest", "--party", "KP", "--format", "json")
    data = json.loads(result.stdout)
    assert (data["axis"], data["from"], data["to"]) == ("known_at", day(5).isoformat(), "latest")
    assert [(c["before"], c["after"]) for c in data["changes"]] == [(3000, 11000)]


@pytest.mark.parametrize("args", [["2024-11-23"], ["2024-11-01", "2024-11-02", "2024-11-03"],
                                  ["2024-11-01", "2024-11-02", "--known-at", "latest", "--known-at", "latest"]])
def test_diff_with_the_wrong_number_of_dates_says_which_forms_exist(log, args):
    result = run("--log", str(log), "diff", *args)
    assert result.exit_code == 2
    assert result.stderr == ("Error: give two dates (diff A B [--known-at K]) or one date and two cut-offs "
                             "(diff D --known-at K1 --known-at K2)\n")


def test_retract_by_prefix_changes_asof_and_position_keeps_the_old_state(log):
    result = run("--log", str(log), "retract", RU_B.claim_id[:8], "--reason", "misread", "--reviewer", "Ann",
                 "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"claim_id": RU_B.claim_id, "position": 11, "reason": "misread",
                                         "reviewer": "Ann"}
    with Timeline(log, create=False) as tl:  # who withdrew it is in the log itself
        assert [r.event.reviewer for r in tl.store.read(11, 11)] == ["Ann"]
    now = json.loads(asof(log, day(9).isoformat(), "--party", "RU", "--metric", "troops", "--format", "json").stdout)
    assert [v["value"] for v in now["values"]] == [45000]
    before = json.loads(asof(log, day(9).isoformat(), "--party", "RU", "--metric", "troops", "--position", "10",
                                "--format", "json").stdout)
    assert [v["value"] for v in before["values"]] == [59000]
    again = run("--log", str(log), "retract", RU_B.claim_id[:8], "--reason", "misread")
    assert again.exit_code == 2
    assert again.stderr == f"Error: claim {RU_B.claim_id[:12]} is already retracted (position 11: misread)\n"


@pytest.mark.parametrize("claim_id, reason, message", [
    ("ffffff", "x", "no claim has an id starting with 'ffffff' (see `timeline claims --format json`)"),
    ("abc", "x", "claim id 'abc' is too short: give the id or a prefix of at least 6 characters"),
    (KP_A.claim_id, None, "a retraction needs a reason (--reason TEXT)"),
])
def test_retract_bad_input(log, claim_id, reason, message):
    result = run("--log", str(log), "retract", claim_id, *(["--reason", reason] if reason else []))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {message}\n"


def test_retract_an_ambiguous_prefix(tmp_path):
    path = tmp_path / "log.sqlite"
    store = SQLiteStore(path, projectors=projectors())
    c = Claim("troops.deployed", "RU", 1, "persons", as_of=day(1))
    store.append([ClaimReported("abcdef" + "1" * 58, c, Evidence("one"), "test"),
                  ClaimReported("abcdef" + "2" * 58, c, Evidence("two"), "test")])
    store.close()
    result = run("--log", str(path), "retract", "abcdef", "--reason", "x")
    assert result.exit_code == 2
    assert result.stderr == "Error: claim id 'abcdef' is ambiguous: it starts abcdef111111, abcdef222222; give more characters\n"


@pytest.mark.parametrize("command", ["asof", "diff", "retract"])
def test_every_command_has_an_example_and_json(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout and "json" in result.stdout


def test_asof_does_not_import_networkx(log):
    code = ("import sys; from timeline.cli import main\n"
            f"main(['--log', {str(log)!r}, 'asof', '2024-11-23'], standalone_mode=False)\n"
            "print('networkx' in sys.modules, file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.strip().splitlines()[-1] == "False"


def test_json_output_is_what_the_json_module_writes():
    import datetime as dt

    from projections.state import Basis, Competitor, State, Value
    from timeline.formats.jsontext import fast_json as _json
    from timeline.formats.jsontext import to_json

    d = dt.date(2024, 11, 5)
    for figure in (20842, 1294.5, 1e16, 5e-05, float("inf"), 0.1):
        v = Value("area.controlled", "UA", "Kursk", "level", figure, None, figure, "about", "km2", d, d, None, None,
                  "Syrskyi", "Reuters", d, ("ab" * 32,), ("a.txt",), d, (Competitor("cd" * 32, 2.5e-7, "exact", None, d),),
                  "only figure", staleness_days=3)
        state = State(Basis(d, None, 7), (v,))
        assert _json(state.to_data(), state.values) == to_json(state.to_data())


def test_a_state_whose_claims_were_all_retracted_does_not_say_the_log_holds_none(tmp_path):
    from events.model import ClaimRetracted

    a = article("a.txt", day(3), "Reuters", text="article a")
    c = claim(a, "troops.deployed", "KP", 3000, as_of=day(1))
    path = tmp_path / "log.sqlite"
    store = SQLiteStore(path, projectors=projectors())
    store.append([a, c, ClaimRetracted(c.claim_id, "a plan, not a deployment")])
    store.close()
    note = json.loads(asof(path, day(5).isoformat(), "--format", "json").stdout)["note"]
    assert note == ("No claim that still counts (not retracted, replaced or rejected) is in the first 3 events of"
                    " the log: the state is empty.")
