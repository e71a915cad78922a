"""`timeline review` and `timeline add` as a person runs them: the interactive queue driven by keys, the
non-interactive forms, JSON, and bad input (one line, exit 2, nothing written)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from events.codec import decode
from tests.builders import article, claim, day
from timeline import Timeline
from timeline.cli import main

TEXT = ("Officials gave new figures on Tuesday.\n\n"
        "Kyiv says Russia has 50,000 troops in Kursk. Moscow did not comment.\n\nThe end.")


def run(*args: str, input: str | None = None, env: dict | None = None):
    result = CliRunner().invoke(main, list(args), input=input, env={"COLUMNS": "80", **(env or {})})
    assert "Traceback" not in (result.output + (result.stderr or ""))
    return result


@pytest.fixture
def log(tmp_path):
    path = tmp_path / "log.sqlite"
    with Timeline(path) as tl:
        a, b = article("a.txt", day(3), outlet="Reuters", text=TEXT), article("b.txt", day(4), outlet="AP")
        start = TEXT.index("50,000 troops")
        c = claim(a, "troops.deployed", "RU", 50000, as_of=day(2))
        c = type(c)(c.claim_id, c.claim, type(c.evidence)("50,000 troops", a.article_id, (start, start + 13)), "test",
                    c.published)
        tl.store.append([a, c])
        tl.store.append([b, claim(b, "troops.deployed", "RU", 45000, as_of=day(2)),
                         claim(b, "losses.personnel", "UA", 10, as_of=day(1), unit="persons")])
    return path


def events(path, kind):
    with Timeline(path) as tl:
        return [decode(r.type, r.payload) for r in tl.events() if r.type == kind]


def queue(path):
    return json.loads(run("--log", str(path), "review", "--format", "json").output)


def test_the_interactive_queue_records_each_key_as_an_event(log):
    q = queue(log)
    assert [i["value"] for i in q] == [45000, 10, 50000]  # behind values first, then the competing claim
    keys = "c" + "r" + "not in the article\n" + "q"
    result = run("--log", str(log), "review", "--reviewer", "Ann", input=keys)
    assert result.exit_code == 0, result.output
    assert "[1/3] behind a current value" in result.output and "[2/3]" in result.output
    assert "confirmed 1, rejected 1, corrected 0, skipped 0" in result.output
    verdicts = events(log, "ClaimReviewed")
    assert [(v.claim_id, v.verdict, v.reviewer, v.note) for v in verdicts] == [
        (q[0]["claim_id"], "confirmed", "Ann", ""), (q[1]["claim_id"], "rejected", "Ann", "not in the article")]


def test_the_queue_shows_the_figure_in_its_paragraph_and_the_value_it_feeds(log):
    result = run("--log", str(log), "review", "--reviewer", "Ann", input="s" + "s")
    card = result.output.split("[3/3]")[1]
    assert "Kyiv says Russia has »50,000 troops« in Kursk. Moscow did not comment." in card
    assert "competes with a current value" in card
    flat = " ".join(card.split())  # lines wrap at the terminal's width
    assert "feeds troops.deployed RU Kursk = 45,000 persons @ 2024-11-03 (competing; later report)" in flat
    assert all(len(line) <= 80 for line in card.splitlines())
    assert "Officials gave" not in card  # only the claim's own paragraph


def test_skip_back_and_resume_where_it_stopped(log):
    q = queue(log)
    result = run("--log", str(log), "review", "--reviewer", "Ann", input="s" + "b" + "s" + "s" + "q")
    assert result.output.count("[1/3]") == 2 and "[3/3]" in result.output
    again = run("--log", str(log), "review", "--reviewer", "Ann", input="q")
    first_card = again.output.split("\n[")[1]
    assert first_card.startswith("1/3]") and q[2]["claim_id"][:12] in first_card  # it starts at the third claim
    other = run("--log", str(log), "review", "--reviewer", "Bob", input="q")
    assert q[0]["claim_id"][:12] in other.output.split("\n[")[1]
    assert events(log, "ClaimReviewed") == []


def test_edit_goes_field_by_field_rejects_bad_values_and_writes_a_correction(log):
    q = queue(log)
    fields = ["", "", "", "forty thousand", "40,000", "about", "", "", "", "", "the figure was misread"]
    result = run("--log", str(log), "review", "--reviewer", "Ann", input="e" + "\n".join(fields) + "\nq")
    assert "value 'forty thousand' is not a number" in result.output
    (fix,) = events(log, "ClaimCorrected")
    assert (fix.claim_id, fix.reviewer, fix.reason) == (q[0]["claim_id"], "Ann", "the figure was misread")
    assert (fix.replacement.value, fix.replacement.qualifier, fix.replacement.as_of) == (40000, "about", day(2))
    shown = json.loads(run("--log", str(log), "asof", day(5).isoformat(), "--reviewed", "--format", "json").output)
    assert [v["value"] for v in shown["values"]] == [40000]


def test_confirm_reject_status_in_text_and_json(log):
    q = queue(log)
    env = {"TIMELINE_REVIEWER": "Bob"}
    r = run("--log", str(log), "review", "--confirm", q[0]["claim_id"][:10], q[1]["claim_id"], "--format", "json",
            env=env)
    assert r.exit_code == 0 and [x["verdict"] for x in json.loads(r.output)] == ["confirmed", "confirmed"]
    r = run("--log", str(log), "review", "--reject", q[1]["claim_id"], "--note", "wrong side", env=env)
    assert r.output.startswith(f"rejected {q[1]['claim_id'][:12]} by Bob at position ")
    status = json.loads(run("--log", str(log), "review", "--status", "--format", "json").output)
    assert (status["confirmed"], status["rejected"], status["unreviewed"]) == (1, 1, 1)
    assert status["by_reviewer"] == {"Bob": {"confirmed": 2, "rejected": 1, "asserted": 0, "corrected": 0}}
    text = run("--log", str(log), "review", "--status").output
    assert "values of the current state that rest on no reviewed claim: 0 of 1" in text  # the rejected one is out
    live = status["claims"]
    assert f"claims not retracted: {live}; confirmed 1, rejected 1, unreviewed 1; counting (all but the rejected): {live - 1}" in text
    explained = run("--log", str(log), "explain", q[1]["claim_id"]).output
    assert "confirmed by Bob at " in explained and "rejected by Bob at " in explained and ": wrong side" in explained


def test_export_then_apply_a_spreadsheet_of_decisions(log, tmp_path):
    sheet = tmp_path / "queue.csv"
    assert run("--log", str(log), "review", "--export", str(sheet)).exit_code == 0
    lines = sheet.read_text().splitlines()
    rows = [line.split(",", 1) for line in lines[1:]]
    filled = [lines[0]] + [f"{rows[0][0]},confirm,{rows[0][1][2:]}", f"{rows[1][0]},reject,\"bad, very bad\"" +
                                                                      rows[1][1][1:]]
    sheet.write_text("\n".join(filled) + "\n")
    r = run("--log", str(log), "review", "--apply", str(sheet), "--reviewer", "Ann", "--format", "json")
    assert r.exit_code == 0, r.output
    assert [x["verdict"] for x in json.loads(r.output)] == ["confirmed", "rejected"]
    assert events(log, "ClaimReviewed")[1].note == "bad, very bad"


@pytest.mark.parametrize("args, message", [
    (["review", "--confirm", "abcdef0123"], "no claim has an id starting with 'abcdef0123'"),
    (["review", "--confirm", "00"], "too short"),
    (["review", "--reject", "{first}"], "a rejection needs a note saying why (--note TEXT)"),
    (["review", "--confirm"], "confirm which claim"),
    (["review", "--apply", "{sheet}"], "sheet.csv: row 3: verdict 'perhaps' is not confirm or reject"),
    (["review", "--apply", "{unsaid}"], "unsaid.csv: row 2: a rejection needs a note saying why (the note column)"),
    (["review", "--apply", "{folder}"], ": is a folder; give the decisions CSV file"),
    (["add", "--metric", "troops.sent", "--party", "RU", "--value", "1", "--as-of", "2024-11-01", "--source",
      "https://e.org/x", "--outlet", "E", "--published", "2024-11-02"], "metric 'troops.sent' is not in the vocab"),
    (["add", "--metric", "troops.deployed", "--party", "RU", "--value", "many", "--as-of", "2024-11-01", "--source",
      "https://e.org/x", "--outlet", "E", "--published", "2024-11-02"], "value 'many' is not a number"),
    (["add", "--metric", "troops.deployed", "--party", "RU", "--value", "1", "--as-of", "01/11/2024", "--source",
      "https://e.org/x", "--outlet", "E", "--published", "2024-11-02"], "'01/11/2024' is not a date"),
    (["add", "--metric", "troops.deployed", "--party", "RU", "--value", "1", "--as-of", "2024-11-03", "--source",
      "https://e.org/x", "--outlet", "E", "--published", "2024-11-02"],
     "the claim is dated 2024-11-03, after its source was published (2024-11-02)"),
    (["add", "--metric", "losses.personnel", "--party", "RU", "--value", "1", "--period", "..2099-01-01",
      "--source", "a.txt"], "the claim is dated 2099-01-01, after its source was published"),
    (["add", "--metric", "troops.deployed", "--party", "RU", "--value", "1", "--as-of", "2024-11-01", "--source",
      "c.txt"], "source 'c.txt' is neither an ingested article (its file name or id) nor an http(s) URL"),
])
def test_bad_input_is_one_line_exit_2_and_writes_nothing(log, tmp_path, args, message):
    q = queue(log)
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(f"claim_id,decision,note\n{q[0]['claim_id']},confirm,\n{q[1]['claim_id']},perhaps,\n")
    with Timeline(log) as tl:
        head = tl.head()
    unsaid = tmp_path / "unsaid.csv"
    unsaid.write_text(f"claim_id,decision,note\n{q[0]['claim_id']},reject,\n")
    args = [a.format(first=q[0]["claim_id"], sheet=sheet, unsaid=unsaid, folder=tmp_path) for a in args]
    r = run("--log", str(log), *args, env={"TIMELINE_REVIEWER": "Ann"})
    assert r.exit_code == 2
    assert message in r.stderr and r.stderr.count("\n") == 1 and r.stderr.startswith("Error: ")
    with Timeline(log) as tl:
        assert tl.head() == head


def test_writing_without_a_reviewer_is_refused(log):
    q = queue(log)
    r = run("--log", str(log), "review", "--confirm", q[0]["claim_id"])
    assert r.exit_code == 2 and "name the reviewer or set TIMELINE_REVIEWER (--reviewer NAME)" in r.stderr
    r = run("--log", str(log), "review", input="c")
    assert r.exit_code == 2 and "TIMELINE_REVIEWER" in r.stderr
    assert events(log, "ClaimReviewed") == []


def test_add_enters_a_claim_that_counts_as_reviewed(log):
    r = run("--log", str(log), "add", "--metric", "troops.deployed", "--party", "kp", "--region", "Kursk oblast",
            "--value", "11,000", "--qualifier", "about", "--as-of", "2024-11-20", "--claimant", "Pentagon",
            "--source", "https://example.org/kp", "--outlet", "Example", "--published", "2024-11-21",
            "--quote", "about 11,000 North Korean troops", "--reviewer", "Ann")
    assert r.exit_code == 0, r.output
    assert r.output.startswith("entered claim ") and "troops.deployed KP Kursk about 11,000 persons @ 2024-11-20" in r.output
    (entered,) = events(log, "ClaimAsserted")
    assert (entered.reviewer, entered.source.url, entered.quote) == ("Ann", "https://example.org/kp",
                                                                     "about 11,000 North Korean troops")
    shown = json.loads(run("--log", str(log), "asof", "2024-11-25", "--reviewed", "--format", "json").output)
    assert [(v["party"], v["value"]) for v in shown["values"]] == [("KP", 11000)]
    assert shown["basis"]["reviewed"] is True
    explained = run("--log", str(log), "explain", "troops.deployed", "KP", "Kursk", "--asof", "2024-11-25").output
    assert "rule: asserted" in explained and "entered by Ann at " in explained
    assert "source: https://example.org/kp, Example, published 2024-11-21" in explained


@pytest.mark.parametrize("typed_ahead", [False, True])
def test_the_queue_under_a_real_terminal_reads_single_keys(log, typed_ahead):
    """Through a pseudo-terminal, as a person at a keyboard: keys arrive one at a time with no Enter."""
    import os
    import select
    import subprocess
    import sys
    import time

    controller, terminal = os.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from timeline.cli import main; main()", "--log", str(log), "review"],
        stdin=terminal, stdout=terminal, stderr=terminal, close_fds=True,
        env={**os.environ, "TIMELINE_REVIEWER": "Tty User", "COLUMNS": "80", "TERM": "xterm"})
    os.close(terminal)
    seen = b""

    def wait_for(marker: bytes, count: int) -> None:
        nonlocal seen
        deadline = time.monotonic() + 60
        while seen.count(marker) < count and time.monotonic() < deadline:
            ready, _, _ = select.select([controller], [], [], 0.5)
            if ready:
                try:
                    seen += os.read(controller, 65536)
                except OSError:
                    break
        assert seen.count(marker) >= count, seen.decode(errors="replace")

    try:
        wait_for(b"  > ", 1)
        time.sleep(1)  # the prompt is drawn just before the terminal is put in raw mode to read the key
        if typed_ahead:  # three keys at once, as a reviewer who knows the claims types them: none is lost
            os.write(controller, b"ccq")
        else:
            os.write(controller, b"c")  # one key, no Enter
            wait_for(b"  > ", 2)
            time.sleep(1)
            os.write(controller, b"q")
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(controller)
    verdicts = events(log, "ClaimReviewed")
    assert [(v.verdict, v.reviewer) for v in verdicts] == [("confirmed", "Tty User")] * (2 if typed_ahead else 1)
    assert b"\x1b[7m" in seen  # the figure is drawn in reverse video on a terminal


def test_add_takes_an_ingested_article_by_its_file_name(log):
    r = run("--log", str(log), "add", "--metric", "troops.deployed", "--party", "RU", "--region", "Kursk",
            "--value", "51000", "--as-of", day(1).isoformat(), "--source", "b.txt", "--reviewer", "Ann",
            "--format", "json")
    assert r.exit_code == 0, r.output
    (entered,) = events(log, "ClaimAsserted")
    with Timeline(log) as tl:
        b = next(decode(x.type, x.payload) for x in tl.events() if x.type == "ArticleIngested"
                 and decode(x.type, x.payload).file == "b.txt")
    assert (entered.source.article_id, entered.source.outlet, entered.source.published) == (b.article_id, "AP", day(4))
