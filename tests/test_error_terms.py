"""The library's errors speak of its parameters; the CLI says which of its options to change."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.builders import article, claim, day
from timeline import Timeline, TimelineError
from timeline.cli import main
from timeline.cli.common import cli_message

ROOT = Path(__file__).resolve().parents[1]
OPTION = re.compile(r"(?:^|[\s(`])--[a-z]")


def _raised_texts(path: Path) -> list[tuple[int, str]]:
    """The string parts of every `raise` in a module (f-strings included)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Raise) and node.exc is not None:
            found += [(n.lineno, n.value) for n in ast.walk(node.exc)
                      if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    return found


def test_no_error_outside_the_cli_names_an_option():
    library = [p for pkg in ("events", "projections", "timeline") for p in (ROOT / pkg).rglob("*.py")
               if "cli" not in p.relative_to(ROOT).parts]
    found = [f"{p.relative_to(ROOT)}:{line}: {text}" for p in library for line, text in _raised_texts(p)
             if OPTION.search(text)]
    assert not found, found
    cli = [t for p in (ROOT / "timeline" / "cli").glob("*.py") for _, t in _raised_texts(p)]
    assert any(OPTION.search(t) for t in cli), "the scan must see the CLI's own option names"


@pytest.mark.parametrize("message, param, command, said", [
    ("position 9 is beyond the log", "position", None, "--position 9 is beyond the log"),
    ("start 2024-11-09 is after end 2024-11-02", ("start", "end"), "history",
     "--from 2024-11-09 is after --to 2024-11-02"),
    ("since 2024-11-23 is after as_of 2024-11-01", ("since", "as_of"), "report",
     "--from 2024-11-23 is after --asof 2024-11-01"),
    ("a rejection needs a note saying why", "note", "review", "a rejection needs a note saying why (--note TEXT)"),
    ("a claim is dated by an as-of date or by a period (one of them)", ("as_of", "period"), "add",
     "a claim is dated by an as-of date or by a period (one of them) (--as-of DATE, --period START..END)"),
    ("nothing to map", None, None, "nothing to map"),
])
def test_the_cli_puts_its_options_in_place_of_the_parameters(message, param, command, said):
    assert cli_message(TimelineError(message, param=param), command) == said


@pytest.fixture
def log(tmp_path):
    path = tmp_path / "log.sqlite"
    a = article("a.txt", day(3))
    with Timeline(path) as tl:
        tl.store.append([a, claim(a, "troops.deployed", "RU", 50000, as_of=day(2))])
    return path


def test_an_api_error_and_the_same_error_on_the_command_line(log):
    with Timeline(log) as tl:
        with pytest.raises(TimelineError) as api:
            tl.history("troops", start="2024-11-09", end="2024-11-02")
        cid = tl.claims()[0]["id"]
        with pytest.raises(TimelineError) as verdict:
            tl.reject(cid, "Ann", "")
    assert "--" not in str(api.value) and "--" not in str(verdict.value)
    run = CliRunner().invoke
    said = run(main, ["--log", str(log), "history", "troops", "--from", "2024-11-09", "--to", "2024-11-02"])
    assert said.exit_code == 2 and said.stderr == "Error: --from 2024-11-09 is after --to 2024-11-02\n"
    said = run(main, ["--log", str(log), "review", "--reject", cid, "--reviewer", "Ann"])
    assert said.exit_code == 2 and said.stderr == "Error: a rejection needs a note saying why (--note TEXT)\n"
