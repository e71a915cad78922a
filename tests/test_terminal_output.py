"""What the terminal shows: text from articles, manifests and file names never reaches it as control codes."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from timeline.cli import main
from timeline.formats.text import printable
from timeline.seeds import bundled_seeds

HOSTILE = "\x1b]0;owned\x07\x1b[2J\x1b[31mRed\x1b[0m\x9b1;1H\u202eevil\r\x08\x00"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output + (result.stderr or "")
    return result


@pytest.fixture(scope="module")
def hostile_log(tmp_path_factory) -> tuple[Path, str]:
    """The seeds with a hostile outlet and title in the manifest, and a hostile file name."""
    root = tmp_path_factory.mktemp("hostile")
    folder = root / "articles"
    folder.mkdir()
    source = bundled_seeds()
    rows = list(csv.DictReader((source / "manifest.csv").open(encoding="utf-8")))
    name = f"evil{HOSTILE.replace(chr(0), '')}.txt"
    shutil.copyfile(source / rows[3]["file"], folder / name)
    rows[3].update(file=name, outlet=f"Reuters{HOSTILE}", title=f"Title{HOSTILE}")
    with (folder / "manifest.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerow(rows[3])
    log = root / "log.sqlite"
    result = run("--log", str(log), "ingest", str(folder))
    assert result.exit_code == 0, result.stderr
    return log, name


@pytest.mark.parametrize("args", [
    ["log"], ["claims"], ["asof", "2023-02-07"], ["check", "--asof", "2023-02-07"],
    ["explain", "losses.personnel.killed", "RU", "Ukraine", "--asof", "2023-02-07"],
    ["diff", "2023-01-01", "2023-02-07"],
])
def test_text_output_carries_no_control_codes(hostile_log, args):
    log, _ = hostile_log
    result = run("--log", str(log), *args)
    shown = result.output + (result.stderr or "")
    assert "Reuters" in shown or "evil" in shown or args[0] in ("check", "diff")
    assert not CONTROL.search(shown), repr(CONTROL.search(shown))
    assert "owned" not in shown and "1;1H" not in shown  # escape sequences go whole, parameters included


def test_json_keeps_the_text_exact(hostile_log):
    log, name = hostile_log
    rows = json.loads(run("--log", str(log), "claims", "--format", "json").output)
    assert {r["article"] for r in rows} == {name}
    assert {r["outlet"] for r in rows} == {f"Reuters{HOSTILE}"}


def test_a_hostile_file_name_in_an_error_is_shown_clean(tmp_path):
    bad = tmp_path / f"bad{HOSTILE.replace(chr(0), '')}.txt"
    bad.write_bytes(b"\xff\xfe\x00\x00 not text")
    result = run("--log", str(tmp_path / "log.sqlite"), "ingest", str(bad))
    assert result.exit_code == 2 and "bad" in result.stderr
    assert not CONTROL.search(result.stderr.replace("\n", "")), repr(result.stderr)


@given(st.text())
def test_printable_leaves_no_control_code_and_keeps_printable_text(text):
    shown = printable(text)
    assert not CONTROL.search(shown.replace("\n", "").replace("\t", ""))
    if not CONTROL.search(text) and "\x1b" not in text:
        assert shown == text


@pytest.mark.parametrize("fmt", ["graphml", "dot"])
def test_graph_files_hold_control_codes_escaped(hostile_log, tmp_path, fmt):
    """XML cannot hold control characters at all (networkx could not read the file back), and DOT is text."""
    log, _ = hostile_log
    out = tmp_path / f"g.{fmt}"
    result = run("--log", str(log), "graph", "--asof", "2023-02-07", "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", text.replace("\n", ""))
    if fmt == "graphml":
        import networkx as nx

        g = nx.read_graphml(out)
        outlets = {d.get("outlet") for _, d in g.nodes(data=True) if d.get("kind") == "claim"}
        assert outlets and all(o.startswith("Reuters\\x1b]0;owned\\x07") for o in outlets), outlets
    else:
        assert 'outlet="Reuters\\\\x1b]0;owned\\\\x07' in text
