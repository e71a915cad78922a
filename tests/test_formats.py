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
from tests.builders import D, article, claim


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


@pytest.fixture(scope="module")
def reported(tmp_path_factory) -> Path:
    """The seeds and the held-out articles: long metric names and date ranges, as real reporting gives."""
    path = tmp_path_factory.mktemp("formats") / "reported.sqlite"
    corpus = Path(__file__).parent / "corpus"
    with Timeline(path) as tl:
        tl.ingest([bundled_seeds(), corpus / "holdout" / "articles", corpus / "holdout2" / "articles"])
    return path


@pytest.mark.parametrize("command", [["claims"], ["asof", "2024-11-23"], ["diff", "2024-11-05", "2024-11-23"],
                                     ["diff", "2022-06-01", "2024-11-23"], ["log"], ["history", "losses"],
                                     ["history", "area.*"]])
def test_every_table_of_a_realistic_log_fits_80_columns(reported, command):
    out = run(reported, *command, columns=80)
    assert [ln for ln in out.splitlines() if len(ln) > 80] == []


@pytest.fixture(scope="module")
def long_names(tmp_path_factory) -> Path:
    """Claims whose metric names and date ranges leave no room at 80 columns once the optional columns are hidden."""
    path = tmp_path_factory.mktemp("formats") / "long.sqlite"
    a = article("avdiivka-and-kursk.txt", D("2024-02-20"), outlet="Ukrainska Pravda",
                text="Avdiivka and Kursk, in figures.")
    with Timeline(path) as tl:
        tl.store.append([a,
                         claim(a, "losses.equipment.armored_vehicles", "RU", 748, region="Avdiivka", qualifier="over",
                               period=(D("2023-10-10"), D("2024-02-17")), unit="vehicles",
                               claimant="Ukraine's Ministry of Defence", quote="more than 748 armoured vehicles"),
                         claim(a, "losses.personnel.killed", "RU", 7905, region="Kursk", as_of=D("2024-02-17"),
                               claimant="General Staff", quote="7,905 killed"),
                         claim(a, "losses.personnel", "UA", 15000, region="Eastern Military District",
                               qualifier="about", period=(D("2023-10-10"), D("2024-02-17")), quote="some 15,000")])
    return path


def test_claims_at_80_columns_wrap_metric_names_whole(long_names):
    assert run(long_names, "claims", columns=80) == """\
METRIC             PARTY  REGION      QUALIFIER  VALUE   WHEN
losses.equipment.  RU     Avdiivka    over          748  2023-10-10..2024-02-17
armored_vehicles
losses.personnel.  RU     Kursk       exact       7,905  2024-02-17
killed
losses.personnel   UA     Eastern M…  about      15,000  2023-10-10..2024-02-17
(hidden to fit the terminal: CLAIMANT, UNIT, ARTICLE, QUOTE; --wide shows them)
"""


def test_asof_at_80_columns_keeps_figures_and_dates_on_one_line(long_names):
    assert run(long_names, "asof", "2024-02-20", columns=80) == """\
State as of 2024-02-20, known at latest (every report in the log), log position
4

Cumulative claimed losses
METRIC                   PARTY  REGION  VALUE  UNIT     VALID       CLAIMANT
losses.personnel.killed  RU     Kursk   7,905  persons  2024-02-17  General Sta…

Counts reported over periods
METRIC             PARTY  REGION      VALUE         VALID
losses.equipment.  RU     Avdiivka    over 748      2023-10-10..2024-02-17
armored_vehicles
losses.personnel   UA     Eastern M…  about 15,000  2023-10-10..2024-02-17

(hidden to fit the terminal: CLAIM, SOURCES, RANGE, COMPETING, OUTLET, STALE,
UNIT, CLAIMANT; --wide shows them)
"""


def test_wide_keeps_one_line_per_row(long_names):
    lines = run(long_names, "claims", "--wide", columns=80).splitlines()
    assert len(lines) == 4 and lines[1].startswith("avdiivka-and-kursk.txt  losses.equipment.armored_vehicles  RU")


def test_a_wrapped_cell_breaks_only_between_words_after_dots_and_ranges():
    rows = [{"metric": "losses.equipment.armored_vehicles", "when": "2023-10-10..2024-02-17", "value": "1,500,000.5"},
            {"metric": "troops.deployed", "when": "2024-11-05", "value": "about 17.5"}]
    assert fit(rows, ["metric", "when", "value"], width=44, cut=[]).text == """\
METRIC             WHEN          VALUE
losses.equipment.  2023-10-10..  1,500,000.5
armored_vehicles   2024-02-17
troops.deployed    2024-11-05    about 17.5"""
    assert fit(rows, ["metric", "when", "value"], width=20, cut=[]).text == """\
METRIC            WHEN          VALUE
losses.           2023-10-10..  1,500,000.5
equipment.        2024-02-17
armored_vehicles
troops.deployed   2024-11-05    about 17.5"""
