"""Renderers: tables fitted to the terminal, and the text and JSON of one answer telling the same story."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from timeline import Timeline
from timeline.cli import main
from timeline.formats.table import fit
from timeline.seeds import bundled_seeds


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("formats") / "seeds.sqlite"
    with Timeline(path) as tl:
        tl.ingest([bundled_seeds()])
    return path


def run(seeded: Path, *args: str, columns: int | None = None) -> str:
    env = {"COLUMNS": str(columns)} if columns else {}
    result = CliRunner().invoke(main, ["--log", str(seeded), *args], env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("command", [["asof", "2024-11-23"], ["diff", "2024-11-05", "2024-11-23"], ["log"]])
def test_tables_fit_the_columns_they_are_given(seeded, command):
    for width in (80, 100, 120):
        out = run(seeded, *command, columns=width)
        assert max(len(line) for line in out.splitlines()) <= width, (width, out)


def test_a_narrow_state_keeps_every_series_whole_and_says_what_it_hid(seeded):
    data = json.loads(run(seeded, "asof", "2024-11-23", "--format", "json"))
    narrow = run(seeded, "asof", "2024-11-23", columns=80)
    rows = [ln.split() for ln in narrow.splitlines()]
    for v in data["values"]:
        assert any(r[:2] == [v["metric"], v["party"]] for r in rows), v["metric"]
    assert "--wide" in narrow.splitlines()[-1] or any("--wide" in ln for ln in narrow.splitlines())


def test_wide_prints_every_column_in_full_whatever_the_width(seeded):
    data = json.loads(run(seeded, "asof", "2024-11-23", "--format", "json"))
    wide = run(seeded, "asof", "2024-11-23", "--wide", columns=80)
    assert "…" not in wide and "hidden" not in wide
    for v in data["values"]:
        if v["claimant"]:
            assert v["claimant"] in wide
        if v["outlet"]:
            assert v["outlet"] in wide


def test_the_text_table_shows_what_the_json_holds(seeded):
    """Each value of `asof --format json` is a row of the text table: same series, figure, date and claim."""
    data = json.loads(run(seeded, "asof", "2024-11-23", "--format", "json"))
    text = run(seeded, "asof", "2024-11-23", "--wide")
    lines = text.splitlines()
    for v in data["values"]:
        number = f"{v['value']:,.1f}" if isinstance(v["value"], float) and not v["value"].is_integer() \
            else f"{int(v['value']):,}"
        pattern = (rf"^{re.escape(v['metric'])}\s+{v['party']}\s+{re.escape(v['region'] or '-')}\s+"
                   rf"(\w+ )?(to )?{re.escape(number)}\s.*{re.escape(v['claims'][0][:10])}")
        assert any(re.search(pattern, ln) for ln in lines), (v["metric"], v["party"], v["region"])
    assert text.splitlines()[0].startswith(f"State as of {data['basis']['as_of']}")


cells = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), max_size=40)


@given(rows=st.lists(st.fixed_dictionaries({"a": cells, "b": st.integers(-10**6, 10**6), "c": cells}), max_size=6),
       width=st.integers(20, 120))
def test_fit_never_cuts_numbers_and_stays_in_width_when_it_can(rows, width):
    fitted = fit(rows, ["a", "b", "c"], width=width, optional=["c"])
    lines = fitted.text.splitlines()
    assert len(lines) == len(rows) + 1
    for r, line in zip(rows, lines[1:]):
        assert f"{r['b']:,}" in line
    whole = fit(rows, ["a", "b", "c"])
    if max(len(ln) for ln in whole.text.splitlines()) <= width:
        assert fitted.text == whole.text and not fitted.hidden
