"""`timeline ingest` and `timeline claims` as a user runs them: seeds scored, bad input refused file by file."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from timeline.cli import main
from timeline.seeds import bundled_seeds

SHARED = Path(__file__).resolve().parents[2] / "shared"


def run(*args: str, **kw):
    result = CliRunner().invoke(main, list(args), **kw)
    assert "Traceback" not in result.output + (result.stderr or "")
    return result


def head(log: Path) -> int:
    return int(json.loads(run("--log", str(log), "verify", "--format", "json").output)["events"])


def _scores_at_least(tmp_path, articles: Path, gold: Path, floor: str, new: int | None = None) -> None:
    """Ingest a corpus through the CLI and hold its claims to an F1 floor with the shared scorer."""
    log = str(tmp_path / "log.sqlite")
    result = run("--log", log, "ingest", str(articles))
    assert result.exit_code == 0, result.output
    if new is not None:
        assert result.stdout.startswith(f"{new} articles new, 0 already present, "), result.output
    claims = tmp_path / "claims.json"
    claims.write_text(run("--log", log, "claims", "--format", "json").output)
    score = subprocess.run([sys.executable, str(SHARED / "bin" / "score-claims"), str(gold), str(claims),
                            "--min-f1", floor], capture_output=True, text=True)
    assert score.returncode == 0, score.stdout + score.stderr


@pytest.mark.shared
def test_the_seeds_score_at_least_095(tmp_path):
    _scores_at_least(tmp_path, bundled_seeds(), SHARED / "gold" / "seeds.yaml", "0.95", new=5)


DEV_MIN_F1 = "0.93"  # a ratchet: the level the extractor has reached on the dev corpus; raise it as it improves


@pytest.mark.shared
def test_the_dev_corpus_scores_at_least_the_level_reached(tmp_path):
    """The dev corpus (articles in the styles of outlets the extractor is scored on) against its answer key."""
    _scores_at_least(tmp_path, SHARED / "dev" / "articles", SHARED / "dev" / "gold.yaml", DEV_MIN_F1)


HOLDOUT = Path(__file__).resolve().parent / "corpus" / "holdout"
HOLDOUT_MIN_F1 = "0.83"  # a ratchet on articles never tuned against: raise it when a general gain lifts it


@pytest.mark.shared
def test_the_holdout_corpus_scores_at_least_the_level_reached(tmp_path):
    """The holdout corpus (articles written apart from the rules' development) against its answer key."""
    _scores_at_least(tmp_path, HOLDOUT / "articles", HOLDOUT / "gold.yaml", HOLDOUT_MIN_F1, new=14)


HOLDOUT2 = Path(__file__).resolve().parent / "corpus" / "holdout2"
HOLDOUT2_MIN_F1 = "0.71"  # the second holdout corpus (fresh, never tuned against): measured 0.739, less 0.03 for noise


@pytest.mark.shared
def test_the_second_holdout_corpus_scores_at_least_the_level_reached(tmp_path):
    """The second holdout corpus (articles in outlet styles the first one lacks) against its answer key."""
    _scores_at_least(tmp_path, HOLDOUT2 / "articles", HOLDOUT2 / "gold.yaml", HOLDOUT2_MIN_F1, new=12)


def test_claims_json_carries_what_a_reader_needs(tmp_path):
    log = str(tmp_path / "log.sqlite")
    run("--log", log, "ingest", str(bundled_seeds()))
    rows = json.loads(run("--log", log, "claims", "--format", "json").output)
    texts = {p.name: p.read_text(encoding="utf-8") for p in bundled_seeds().glob("*.txt")}
    keys = {"article", "id", "metric", "party", "region", "value", "low", "high", "qualifier", "unit", "as_of",
            "period", "claimant", "outlet", "quote", "span", "rule"}
    for r in rows:
        assert keys <= set(r)
        assert texts[r["article"]][r["span"][0]:r["span"][1]] == r["quote"]
    one = json.loads(run("--log", log, "claims", "--article", rows[0]["article"], "--format", "json").output)
    assert one and {r["article"] for r in one} == {rows[0]["article"]}
    csv = run("--log", log, "claims", "--metric", "troops", "--format", "csv").output.splitlines()
    assert csv[0].startswith("article,id,metric,") and all(",troops." in line for line in csv[1:])


def test_reingesting_appends_nothing(tmp_path):
    log = str(tmp_path / "log.sqlite")
    first = json.loads(run("--log", log, "ingest", str(bundled_seeds()), "--format", "json").output)
    again = json.loads(run("--log", log, "ingest", str(bundled_seeds()), "--format", "json").output)
    assert first["articles_new"] == 5 and first["claims_appended"] > 0
    assert (again["articles_new"], again["articles_present"], again["claims_appended"]) == (0, 5, 0)


def test_the_order_of_ingestion_changes_no_claim(tmp_path):
    seeds = sorted(bundled_seeds().glob("*.txt"))
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    run("--log", str(a), "ingest", str(bundled_seeds()))
    folder = tmp_path / "seeds"
    shutil.copytree(bundled_seeds(), folder)
    for p in reversed(seeds):
        run("--log", str(b), "ingest", str(folder / p.name))
    strip = lambda rows: sorted((r["article"], r["id"]) for r in rows)  # noqa: E731
    assert strip(json.loads(run("--log", str(a), "claims", "--format", "json").output)) == \
        strip(json.loads(run("--log", str(b), "claims", "--format", "json").output))


def test_single_file_with_options(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("KYIV - Russia has deployed about 12,000 troops to the Kursk region, "
                     "a Ukrainian military spokesman said on Tuesday.\n", encoding="utf-8")
    log = str(tmp_path / "log.sqlite")
    result = run("--log", log, "ingest", str(story), "--published", "2024-11-21", "--outlet", "Wire")
    assert result.exit_code == 0, result.output
    rows = json.loads(run("--log", log, "claims", "--format", "json").output)
    assert [(r["metric"], r["party"], r["value"], r["qualifier"], r["outlet"]) for r in rows] == \
        [("troops.deployed", "RU", 12000, "about", "Wire")]
    assert rows[0]["as_of"] == "2024-11-19"  # the Tuesday on or before publication


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("binary.txt", b"\x00\x01\x02\xff" * 100, "Error: binary.txt: "),
        ("empty.txt", b"", "Error: empty.txt: empty file"),
        ("blank.txt", b"   \n\n  ", "Error: blank.txt: empty file"),
        ("huge.txt", b"Russia lost 5 tanks. " * 300_000, "Error: huge.txt: 6.0 MB, over the 5 MB limit for one article"),
    ],
)
def test_a_bad_file_is_refused_and_the_good_ones_kept(tmp_path, name, content, message):
    folder = tmp_path / "in"
    shutil.copytree(bundled_seeds(), folder)
    (folder / name).write_bytes(content)
    log = tmp_path / "log.sqlite"
    result = run("--log", str(log), "ingest", str(folder))
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and message in errors[0]
    assert result.stdout.startswith("5 articles new")
    files = {r["article"] for r in json.loads(run("--log", str(log), "claims", "--format", "json").output)}
    assert name not in files


def test_not_utf8_is_read_by_the_documented_fallback(tmp_path):
    story = tmp_path / "latin.txt"
    story.write_bytes("Russia has lost over 2,000 soldiers near Pokrovsk, the General Staff said \u2013 caf\u00e9.\n".encode("cp1252"))
    result = run("--log", str(tmp_path / "log.sqlite"), "ingest", str(story), "--published", "2024-11-21")
    assert result.exit_code == 0
    assert "cp1252" in result.stderr


def test_a_folder_without_articles(tmp_path):
    (tmp_path / "empty").mkdir()
    log = tmp_path / "log.sqlite"
    result = run("--log", str(log), "ingest", str(tmp_path / "empty"))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {tmp_path / 'empty'}: folder holds no article files (*.txt, *.md)\n"


@pytest.mark.parametrize(
    "row, message",
    [
        ("missing.txt,2024-11-01,,Wire,T,", "manifest names missing.txt, which does not exist"),
        ("story.txt,2024-31-11,,Wire,T,", "story.txt: malformed date '2024-31-11' (expected YYYY-MM-DD)"),
    ],
)
def test_bad_manifest_rows(tmp_path, row, message):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "story.txt").write_text("Russia has deployed about 12,000 troops to Kursk, Kyiv said.\n")
    (folder / "manifest.csv").write_text("file,published,published_note,outlet,title,url\n" + row + "\n")
    log = tmp_path / "log.sqlite"
    result = run("--log", str(log), "ingest", str(folder))
    assert result.exit_code == 2
    assert message in result.stderr
    if "malformed" in message:
        assert not log.exists()  # nothing from the file whose row is bad, so no log made for it


def test_the_default_log_is_built_from_the_seeds(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["verify"], env={"TIMELINE_LOG": None})
    assert result.exit_code == 0
    assert result.stderr.startswith("timeline: no log at timeline.sqlite: built it from the 5 bundled seed articles (")
    assert (tmp_path / "timeline.sqlite").exists()
    again = runner.invoke(main, ["verify"], env={"TIMELINE_LOG": None})
    assert again.stderr == ""


def test_many_articles_read_on_workers_give_the_log_one_process_gives(tmp_path):
    from timeline import Timeline

    folder = tmp_path / "many"
    folder.mkdir()
    seeds = sorted(bundled_seeds().glob("*.txt"))
    for i in range(24):
        text = seeds[i % len(seeds)].read_bytes() + f"\n\nEdition {i}.\n".encode()
        (folder / f"a{i:02d}.txt").write_bytes(text)
    (folder / "zz-empty.txt").write_bytes(b"")
    one, many = Timeline(tmp_path / "one.sqlite"), Timeline(tmp_path / "many.sqlite")
    r1 = one.ingest([folder], workers=1)
    r2 = many.ingest([folder], workers=2)
    assert r1 == r2 and (r2.new, len(r2.errors)) == (24, 1)
    assert [(r.id, r.type) for r in one.events()] == [(r.id, r.type) for r in many.events()]


def test_a_rejected_file_whose_name_holds_a_newline_is_named_on_one_line(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a\nb.txt").write_bytes(b"")  # empty: rejected
    (folder / "ok.txt").write_text("Russia has lost 20,842 soldiers in Kursk, the ministry said on Tuesday.\n")
    result = CliRunner().invoke(main, ["--log", str(tmp_path / "log.sqlite"), "ingest", str(folder)])
    assert result.exit_code == 2
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("Error: ")]
    assert len(errors) == 1 and "a\\nb.txt" in errors[0]
