"""`timeline history` and `timeline chart` as a user runs them: the same answers as the API, files, bad input."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from events.sqlite_store import SQLiteStore
from projections.readmodel import projectors
from tests.builders import article, claim, day
from timeline import Timeline
from timeline.cli import main

A = article("a.txt", day(3), "Kyiv <script>alert(1)</script> Independent", text="article a")
B = article("b.txt", day(9), "Reuters", text="article b")
EARLY = claim(A, "troops.deployed", "KP", 3000, qualifier="about", as_of=day(0), claimant='"Syrskyi" & co')
MID = claim(A, "troops.deployed", "KP", 11000, qualifier="about", as_of=day(2))
RIVAL = claim(B, "troops.deployed", "KP", 12000, qualifier="up_to", as_of=day(2))
WINDOW = claim(B, "losses.personnel.killed", "RU", 1030, period=(day(6), day(8)))


@pytest.fixture
def log(tmp_path):
    path = tmp_path / "log.sqlite"
    store = SQLiteStore(path, projectors=projectors())
    store.append([A, EARLY, MID])
    store.append([B, RIVAL, WINDOW])
    store.close()
    return path


def run(log, *args):
    result = CliRunner().invoke(main, ["--log", str(log), *args], env={"COLUMNS": "80"})
    assert "Traceback" not in result.output
    return result


def test_the_table_lists_claims_then_the_chosen_steps_within_80_columns(log):
    result = run(log, "history", "troops.deployed", "KP")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "History known at latest, log position 6"
    assert "troops.deployed KP Kursk: 3 claims, 2 dated values" in lines
    assert "Chosen value (from START until END)" in lines
    assert all(len(line) <= 80 for line in lines)
    assert any("lost: " in line for line in lines)


def test_json_is_the_api_answer(log):
    result = run(log, "history", "troops.deployed", "KP", "--known-at", day(5).isoformat(), "--format", "json")
    with Timeline(log, create=False) as tl:
        assert json.loads(result.stdout) == tl.history("troops.deployed", "KP", known_at=day(5)).to_data()


def test_csv_has_one_line_per_claim(log):
    result = run(log, "history", "troops", "--format", "csv")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("metric,party,region,shape,valid,")
    assert len(lines) == 1 + 3


def test_parquet_reads_back_in_pandas(log, tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    out = tmp_path / "h.parquet"
    result = run(log, "history", "troops.deployed", "--format", "parquet", "-o", str(out))
    assert result.exit_code == 0, result.output
    frame = pd.read_parquet(out)
    assert list(frame["claim"]) == [EARLY.claim_id, *sorted([MID.claim_id, RIVAL.claim_id])]
    assert str(frame["valid"].iloc[0]) == day(0).isoformat()
    # "up to 12,000" reported on day 9 beats "about 11,000" reported on day 3 (the later report).
    assert dict(zip(frame["claim"], frame["chosen"])) == {EARLY.claim_id: True, MID.claim_id: False,
                                                          RIVAL.claim_id: True}
    assert run(log, "history", "troops", "--format", "parquet").exit_code == 2


def test_timelinejs_escapes_what_the_log_holds_and_spans_windows(log):
    data = json.loads(run(log, "history", "troops.deployed", "KP", "--format", "timelinejs").stdout)
    texts = " ".join(e["text"]["text"] for e in data["events"])
    assert "<script>" not in texts and "&lt;script&gt;" in texts
    assert "&quot;Syrskyi&quot; &amp; co" in texts
    assert [e["start_date"] for e in data["events"]][0] == {"year": "2024", "month": "11", "day": "1"}
    window = json.loads(run(log, "history", "losses.personnel.killed", "--format", "timelinejs").stdout)["events"][0]
    assert window["start_date"]["day"] == str(day(6).day) and window["end_date"]["day"] == str(day(8).day)


def test_chart_writes_the_file(log, tmp_path):
    result = run(log, "chart", "troops.deployed:KP", "-o", str(tmp_path / "c.png"))
    assert result.exit_code == 0
    assert (tmp_path / "c.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("args, message", [
    (["history", "troops.none"], "Error: no metric in the log matches 'troops.none'"),
    (["history", "troops", "--from", "2024-11-09", "--to", "2024-11-02"], "Error: --from 2024-11-09 is after --to 2024-11-02"),
    (["history", "troops", "--known-at", "2020-01-01"], "Error: no claims of troops are dated in the range asked"),
    (["chart", "troops.deployed:XX", "-o", "x.svg"], "Error: unknown party 'XX'"),
    (["chart", "troops.deployed", "-o", "nowhere/x.svg"], "Error: nowhere: no such directory"),
    (["history", "troops", "--format", "csv", "-o", "nowhere/x.csv"], "Error: nowhere: no such directory"),
    (["history", "troops", "--format", "parquet", "-o", "nowhere/x.parquet"], "Error: nowhere: no such directory"),
    (["chart", "troops.deployed", "--known-at", "2020-01-01", "-o", "x.svg"], "Error: no claims of troops.deployed"),
])
def test_bad_input_is_one_line_and_exit_2(log, args, message):
    result = run(log, *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1


@pytest.mark.parametrize("command", ["history", "chart"])
def test_help_has_an_example_and_json(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0 and "Example:" in result.stdout and "json" in result.stdout


def test_a_metric_of_the_log_names_its_series_alone_a_family_or_wildcard_several(tmp_path):
    path = tmp_path / "log.sqlite"
    store = SQLiteStore(path, projectors=projectors())
    store.append([A, claim(A, "area.controlled", "UA", 800, unit="km2", as_of=day(1)),
                  claim(A, "area.controlled.peak", "UA", 1300, unit="km2", as_of=day(1))])
    store.close()

    def metrics(*args):
        result = run(path, "history", *args, "--format", "json")
        assert result.exit_code == 0, result.output
        return sorted(s["metric"] for s in json.loads(result.stdout)["series"])

    assert metrics("area.controlled") == ["area.controlled"]
    assert metrics("area.controlled.peak") == ["area.controlled.peak"]
    assert metrics("area.*") == ["area.controlled", "area.controlled.peak"]
    assert metrics("area") == ["area.controlled", "area.controlled.peak"]


def test_a_chart_gives_each_unit_its_own_axis_and_refuses_a_third(tmp_path):
    path = tmp_path / "log.sqlite"
    store = SQLiteStore(path, projectors=projectors())
    store.append([A, MID, WINDOW, claim(A, "area.controlled", "UA", 800, unit="km2", as_of=day(1))])
    store.close()
    from projections.history import merge
    from timeline.formats.chart import draw

    with Timeline(path, create=False) as tl:
        fig = draw(merge([tl.history("troops.deployed"), tl.history("area.controlled")]))
    labels = sorted(a.get_ylabel() for a in fig.axes)
    assert labels == ["km2", "persons"]
    result = run(path, "chart", "troops.deployed", "area.controlled", "losses.personnel.killed", "-o",
                 str(tmp_path / "c.svg"))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: these series are in 3 units or kinds (persons, km2, persons per period)")
    assert not (tmp_path / "c.svg").exists()


def test_steps_that_only_repeat_the_claims_are_one_line(log):
    alone = run(log, "history", "losses.personnel.killed", "RU").stdout.splitlines()
    assert "Chosen value: each claim above, from its date until the next (none had a rival)." in alone
    assert "Chosen value (from START until END)" not in alone
    rivals = run(log, "history", "troops.deployed", "KP").stdout.splitlines()
    assert "Chosen value (from START until END)" in rivals


def test_answers_from_reviewed_claims_only_say_so_in_their_heading_and_basis(log):
    """`--reviewed` leaves out every claim no person confirmed: a heading that did not say so read as the log's."""
    history = run(log, "history", "troops.deployed", "KP", "--reviewed")
    assert history.stdout.splitlines()[0] == "History known at latest, log position 6, reviewed claims only"
    basis = json.loads(run(log, "history", "troops.deployed", "KP", "--reviewed", "--format", "json").stdout)["basis"]
    assert basis == {"known_at": "latest", "position": 6, "reviewed": True}
    assert "reviewed" not in json.loads(run(log, "history", "troops.deployed", "KP", "--format", "json").stdout)["basis"]
    diff = run(log, "diff", day(1).isoformat(), day(9).isoformat(), "--reviewed")
    assert "(known at latest, log position 6, reviewed claims only)" in " ".join(diff.stdout.split())  # wrapped
    plain = run(log, "diff", day(1).isoformat(), day(9).isoformat())
    assert "(known at latest, log position 6)" in " ".join(plain.stdout.split())
