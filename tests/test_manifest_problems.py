"""A manifest that cannot be used stops its folder, in one line, before anything is written."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from timeline.cli import main
from timeline.seeds import bundled_seeds

ARTICLE = "Russia has deployed about 12,000 troops to Kursk, Kyiv said on 5 November 2024.\n"
HEADER = "file,published,outlet,title,url\n"


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output + (result.stderr or "")
    return result


def folder_with(tmp_path: Path, manifest: bytes | None, files: tuple[str, ...] = ("story.txt", "other.txt")) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in files:
        (folder / name).write_text(ARTICLE + f"({name})\n")
    if manifest is not None:
        (folder / "manifest.csv").write_bytes(manifest)
    return folder


CASES = {
    "latin-1": (HEADER + "story.txt,2024-11-05,Le Monde,Déjà vu,\n").encode("latin-1"),
    "utf-16": (HEADER + "story.txt,2024-11-05,Wire,Title,\n").encode("utf-16"),
    "no-file-column": b"name,published,outlet\nstory.txt,2024-11-05,Wire\n",
    "wrong-case": (HEADER + "Story.txt,2024-11-05,Wire,Title,\n").encode(),
    "missing-file": (HEADER + "story.txt,2024-11-05,Wire,T,\nnowhere.txt,2024-11-05,Wire,T,\n").encode(),
    "bad-date": (HEADER + "story.txt,2024-31-11,Wire,T,\n").encode(),
}
MESSAGES = {
    "latin-1": "the manifest is not UTF-8 text (byte 0xe9 on line 2; Latin-1 or Windows-1252?); save it as UTF-8",
    "utf-16": "the manifest is UTF-16 text; save it as UTF-8",
    "no-file-column": "manifest has no 'file' column (its columns: name, published, outlet)",
    "wrong-case": "line 2: manifest names Story.txt, which does not exist (story.txt differs only in case)",
    "missing-file": "line 3: manifest names nowhere.txt, which does not exist",
    "bad-date": "line 2: story.txt: malformed date '2024-31-11' (expected YYYY-MM-DD)",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_an_unusable_manifest_stops_its_folder_in_one_line(tmp_path, case):
    folder = folder_with(tmp_path, CASES[case])
    log = tmp_path / "log.sqlite"
    result = run("--log", str(log), "ingest", str(folder))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines == [f"Error: {folder / 'manifest.csv'}: {MESSAGES[case]}; nothing from {folder} was ingested"]
    assert not log.exists()  # nothing written, not even an empty log


def test_a_dangling_manifest_is_a_problem_not_an_absent_manifest(tmp_path):
    folder = folder_with(tmp_path, None)
    (folder / "manifest.csv").symlink_to(tmp_path / "nowhere.csv")
    result = run("--log", str(tmp_path / "log.sqlite"), "ingest", str(folder))
    assert result.exit_code == 2 and "the manifest is not a readable file" in result.stderr


def test_other_folders_are_still_ingested(tmp_path):
    bad = folder_with(tmp_path, CASES["latin-1"])
    good = tmp_path / "good"
    good.mkdir()
    (good / "a.txt").write_text(ARTICLE)
    log = tmp_path / "log.sqlite"
    result = run("--log", str(log), "ingest", str(bad), str(good), "--format", "json")
    assert result.exit_code == 2
    data = json.loads(result.output)
    assert data["articles_new"] == 1 and [f["file"] for f in data["files"] if f["status"] == "new"] == ["a.txt"]


def test_a_single_file_beside_an_unusable_manifest_is_refused(tmp_path):
    folder = folder_with(tmp_path, CASES["utf-16"])
    result = run("--log", str(tmp_path / "log.sqlite"), "ingest", str(folder / "other.txt"))
    assert result.exit_code == 2 and "not ingested" in result.stderr and "UTF-16" in result.stderr


def test_after_the_manifest_is_fixed_the_folder_ingests_with_its_metadata(tmp_path):
    folder = folder_with(tmp_path, CASES["latin-1"])
    log = tmp_path / "log.sqlite"
    assert run("--log", str(log), "ingest", str(folder)).exit_code == 2
    (folder / "manifest.csv").write_text(HEADER + "story.txt,2024-11-05,Le Monde,Déjà vu,\n", encoding="utf-8")
    assert run("--log", str(log), "ingest", str(folder)).exit_code == 0
    rows = json.loads(run("--log", str(log), "log", "--format", "json").output)
    story = [r for r in rows if r["type"] == "ArticleIngested" and r["summary"].startswith("story.txt")]
    assert story and "Le Monde" in story[0]["summary"] and "2024-11-05 [manifest]" in story[0]["summary"]


def test_a_manifest_among_the_files_is_not_an_article(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(bundled_seeds(), seeds)
    by_folder, by_files = tmp_path / "folder.sqlite", tmp_path / "files.sqlite"
    assert run("--log", str(by_folder), "ingest", str(seeds)).exit_code == 0
    result = run("--log", str(by_files), "ingest", *sorted(str(p) for p in seeds.iterdir()))  # what seeds/* gives
    assert result.exit_code == 0
    assert result.stderr == (f"timeline: {seeds / 'manifest.csv'}: the folder's manifest (the metadata of the "
                             "articles beside it), not an article: not ingested\n")
    assert result.stdout == "5 articles new, 0 already present, 37 claims appended\n"

    def claims(log: Path) -> list[tuple[str, str, str | None, str | None]]:
        rows = json.loads(run("--log", str(log), "claims", "--format", "json").output)
        return sorted((r["article"], r["id"], r["outlet"], r["published"]) for r in rows)

    assert claims(by_files) == claims(by_folder)
    asof = ("asof", "2024-11-05", "--metric", "losses.personnel", "--region", "Kursk", "--format", "json")
    assert run("--log", str(by_files), *asof).output == run("--log", str(by_folder), *asof).output


def test_a_manifest_alone_is_not_an_article(tmp_path):
    folder = folder_with(tmp_path, (HEADER + "story.txt,2024-11-05,Wire,T,\n").encode())
    log = tmp_path / "log.sqlite"
    result = run("--log", str(log), "ingest", str(folder / "manifest.csv"), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output)["files"] == [
        {"file": str(folder / "manifest.csv"), "status": "skipped", "claims": 0, "warnings": [],
         "message": "the folder's manifest (the metadata of the articles beside it), not an article: not ingested"}]


def test_an_unclosed_quote_stops_the_folder_before_it_swallows_the_rows_after_it(tmp_path):
    folder = folder_with(tmp_path, (HEADER + "story.txt,2024-11-01,O,T,\n"
                                    'other.txt,2024-11-01,O,T,"https://x.org/a\n'
                                    "third.txt,2024-11-23,Reuters,T,\n").encode(),
                         files=("story.txt", "other.txt", "third.txt"))
    log = tmp_path / "log.sqlite"
    result = run("--log", str(log), "ingest", str(folder))
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {folder / 'manifest.csv'}: line 3: a quote opened in this row is never closed"
                             " (read as it is, it would take in every line after it);"
                             f" nothing from {folder} was ingested\n")
    assert not log.exists()
    result = run("--log", str(log), "ingest", str(folder / "third.txt"))  # nor is a file of its folder named alone
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {folder / 'third.txt'}: not ingested: {folder / 'manifest.csv'}:3: a quote"
                             " opened in this row is never closed (read as it is, it would take in every line after"
                             " it)\n")
    assert not log.exists()


def test_a_quote_closed_before_the_end_of_its_field_names_its_line(tmp_path):
    folder = folder_with(tmp_path, (HEADER + 'story.txt,2024-11-01,O,"T" and more,\n').encode())
    result = run("--log", str(tmp_path / "log.sqlite"), "ingest", str(folder))
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {folder / 'manifest.csv'}: line 2: broken quoting (',' expected after '\"');"
                             f" nothing from {folder} was ingested\n")


def test_two_rows_that_disagree_about_a_file_stop_its_folder(tmp_path):
    folder = folder_with(tmp_path, (HEADER + "story.txt,2024-11-01,Wire,T,\n"
                                    "other.txt,2024-11-02,Wire,T,\n"
                                    "story.txt,2024-11-03,Post,T,\n").encode())
    log = tmp_path / "log.sqlite"
    result = run("--log", str(log), "ingest", str(folder))
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {folder / 'manifest.csv'}: line 4: story.txt has a second row (the first is"
                             f" line 2) giving another published date and outlet; nothing from {folder} was ingested\n")
    assert not log.exists()
    result = run("--log", str(log), "ingest", str(folder / "story.txt"))
    assert result.exit_code == 2 and "story.txt has a second row" in result.stderr and not log.exists()


def test_the_same_row_twice_is_read_once(tmp_path):
    folder = folder_with(tmp_path, (HEADER + "story.txt,2024-11-01,Wire,T,\n" * 2 + "other.txt,,Wire,T,\n").encode())
    result = run("--log", str(tmp_path / "log.sqlite"), "ingest", str(folder))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "2 articles new, 0 already present, 2 claims appended\n"


def test_a_quoted_field_over_two_lines_keeps_the_line_numbers_of_the_rows_after_it(tmp_path):
    folder = folder_with(tmp_path, (HEADER + 'story.txt,2024-11-01,Wire,"A title\nover two lines",\n'
                                    "nowhere.txt,2024-11-01,Wire,T,\n").encode())
    result = run("--log", str(tmp_path / "log.sqlite"), "ingest", str(folder))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {folder / 'manifest.csv'}: line 4: manifest names nowhere.txt,")


def test_a_fifo_given_is_named_for_what_it_is(tmp_path):
    pipe, good = tmp_path / "pipe.txt", tmp_path / "good.txt"
    os.mkfifo(pipe)
    good.write_text(ARTICLE)
    result = run("--log", str(tmp_path / "log.sqlite"), "ingest", str(pipe), str(good))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {pipe}: not a regular file (a FIFO)\n"
    assert result.stdout == "1 articles new, 0 already present, 1 claims appended, 1 files rejected\n"


def test_a_manifest_naming_a_fifo_says_what_it_is(tmp_path):
    folder = folder_with(tmp_path, (HEADER + "story.txt,2024-11-05,Wire,T,\npipe.txt,2024-11-05,Wire,T,\n").encode())
    os.mkfifo(folder / "pipe.txt")
    log = tmp_path / "log.sqlite"
    result = run("--log", str(log), "ingest", str(folder))
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {folder / 'manifest.csv'}: line 3: manifest names pipe.txt, which is not a regular"
                             f" file (a FIFO); nothing from {folder} was ingested\n")
    assert not log.exists()
