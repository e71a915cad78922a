"""The --region filters of asof, diff, history and explain read a region as `add` does: its canonical name or an
alias ('Kursk oblast', 'Kursk region')."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.builders import D, article, claim
from timeline import Timeline
from timeline.cli import main


@pytest.fixture(scope="module")
def kursk(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("aliases") / "log.sqlite"
    a = article("kursk.txt", D("2024-11-06"), outlet="Reuters", text="Troops in Kursk.")
    b = article("kursk-later.txt", D("2024-11-24"), outlet="AP", text="More troops in Kursk.")
    with Timeline(path) as tl:
        tl.store.append([a, claim(a, "troops.deployed", "KP", 11000, region="Kursk", qualifier="about",
                                  as_of=D("2024-11-05"), unit="troops", claimant="Pentagon"),
                         claim(a, "troops.deployed", "RU", 50000, region="Donetsk", as_of=D("2024-11-05"),
                               unit="troops")])
        tl.store.append([b, claim(b, "troops.deployed", "KP", 12000, region="Kursk", qualifier="over",
                                  as_of=D("2024-11-23"), unit="troops", claimant="Pentagon")])
    return path


def run(log: Path, *args: str):
    return CliRunner().invoke(main, ["--log", str(log), *args], env={"COLUMNS": "80"})


def test_asof_takes_a_region_alias(kursk):
    result = run(kursk, "asof", "2024-11-23", "--region", "Kursk oblast")
    assert result.exit_code == 0, result.output
    assert result.stdout == """\
State as of 2024-11-23, known at latest (every report in the log), log position
5

Troops deployed
METRIC           PARTY  REGION  VALUE        UNIT    VALID       STALE  CLAIMANT
troops.deployed  KP     Kursk   over 12,000  troops  2024-11-23  0 d    Pentagon

(hidden to fit the terminal: CLAIM, SOURCES, RANGE, COMPETING, OUTLET; --wide
shows them)
"""


@pytest.mark.parametrize("alias", ["Kursk oblast", "kursk region", "Kursk Oblast"])
@pytest.mark.parametrize("args", [
    ["asof", "2024-11-23", "--region", "{}"],
    ["diff", "2024-11-05", "2024-11-23", "--region", "{}"],
    ["history", "troops.deployed", "KP", "{}"],
    ["explain", "troops.deployed", "KP", "{}", "--asof", "2024-11-23"],
    ["explain", "troops.deployed", "KP", "{}"],
])
def test_every_region_filter_reads_an_alias_as_its_canonical_name(kursk, args, alias):
    canonical = run(kursk, *[a.format("Kursk") for a in args])
    aliased = run(kursk, *[a.format(alias) for a in args])
    assert canonical.exit_code == 0, canonical.output
    assert (aliased.exit_code, aliased.stdout) == (0, canonical.stdout)


@pytest.mark.parametrize("args", [["asof", "2024-11-23", "--region", "Narnia"],
                                  ["history", "troops.deployed", "KP", "Narnia"]])
def test_a_region_neither_in_the_log_nor_an_alias_is_still_refused(kursk, args):
    result = run(kursk, *args)
    assert result.exit_code == 2
    assert result.stderr == "Error: unknown region 'Narnia' (regions in the log: Donetsk, Kursk)\n"


def test_an_alias_of_a_region_the_log_lacks_is_refused_by_its_name(kursk):
    result = run(kursk, "asof", "2024-11-23", "--region", "Kharkiv oblast")
    assert result.exit_code == 2
    assert result.stderr == "Error: unknown region 'Kharkiv oblast' (regions in the log: Donetsk, Kursk)\n"
