"""The CLI is a thin layer over the API: every command's --format json is the API's answer as data."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from timeline import Snapshot, Timeline, TimelineError
from timeline.cli import main
from timeline.seeds import bundled_seeds

D, EARLIER = "2024-11-23", "2024-11-05"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("api") / "seeds.sqlite"
    with Timeline(path) as tl:
        tl.ingest([bundled_seeds()])
    return path


@pytest.fixture
def tl(seeded):
    with Timeline(seeded) as t:
        yield t


def cli(seeded: Path, *args: str):
    result = CliRunner().invoke(main, ["--log", str(seeded), *args, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def plain(data):
    """JSON's view of API data (tuples as lists, dates as text)."""
    return json.loads(json.dumps(data, default=str))


def test_asof_is_the_snapshot(seeded, tl):
    snap = tl.at(D)
    assert cli(seeded, "asof", D) == plain(snap.to_data())
    assert [v.to_data() for v in snap.values] == cli(seeded, "asof", D)["values"]
    assert cli(seeded, "asof", "2024-11-10", "--known-at", "2024-11-10") == plain(tl.at("2024-11-10", "2024-11-10").to_data())
    assert cli(seeded, "asof", D, "--position", "20") == plain(tl.at(D, position=20).to_data())


def test_the_snapshot_shows_derived_values_as_asof_prints_them(tl):
    snap = tl.at(D)
    derived = [v for v in snap.values if getattr(v, "derived", False)]
    assert derived and len(snap.values) == len(snap.state.values) + len(derived)


def test_diff_is_the_diff_of_two_snapshots(seeded, tl):
    by_api = tl.at(EARLIER).diff(tl.at(D)).to_data()
    assert cli(seeded, "diff", EARLIER, D) == plain(by_api) == plain(tl.diff(EARLIER, D).to_data())
    known = tl.at("2024-11-10", "2024-11-10").diff(tl.at("2024-11-10", "latest")).to_data()
    assert cli(seeded, "diff", "2024-11-10", "--known-at", "2024-11-10", "--known-at", "latest") == plain(known)


@pytest.mark.parametrize("series", [("area.controlled", "UA", "Kursk"), ("losses.personnel", "RU", "Kursk"),
                                    ("troops.deployed", "KP", "Eastern Military District")])
def test_explain_is_the_snapshot_explanation(seeded, tl, series):
    tree = tl.at(D).explain(*series).to_data()
    assert cli(seeded, "explain", *series, "--asof", D) == plain(tree)
    assert plain(tree) == plain(tl.explain(*series, as_of=D))
    claim = tree["values"][0]["supports"][0]["id"]
    assert cli(seeded, "explain", claim[:10], "--asof", D) == plain(tl.at(D).explain(ref=claim[:10]).to_data())


def test_check_is_the_snapshot_check(seeded, tl):
    assert cli(seeded, "check", "--asof", D) == plain(tl.at(D).check().to_data())


def test_graph_is_the_snapshot_graph(seeded, tl):
    assert cli(seeded, "graph", "--asof", D) == plain(tl.at(D).graph().to_data())


def test_log_claims_and_verify_are_the_api(seeded, tl):
    assert cli(seeded, "claims") == plain(tl.claims())
    assert cli(seeded, "log") == plain(tl.log())
    report = tl.verify()
    assert cli(seeded, "verify") == {"ok": report.ok, "events": report.count, "head": report.head, "problem": None}


class Stamp:
    """Anything with .date(), as a pandas Timestamp has."""

    def __init__(self, day: dt.date) -> None:
        self.day = day

    def date(self) -> dt.date:
        return self.day


def test_dates_are_dates_datetimes_iso_strings_or_anything_with_a_date(tl):
    day = dt.date(2024, 11, 23)
    expected = tl.at(day).to_data()
    for same in (D, dt.datetime(2024, 11, 23, 18, 30), Stamp(day), "2024-11-23T09:00:00"):
        snap = tl.at(same)
        assert isinstance(snap, Snapshot) and snap.basis.as_of == day and snap.to_data() == expected
    assert tl.asof(dt.datetime(2024, 11, 23, 1, 0)) == tl.asof(day)
    assert tl.at(D, known_at=dt.datetime(2024, 11, 10, 12)).basis.known_at == dt.date(2024, 11, 10)


def test_one_series_is_answered_alone_and_as_in_the_whole(tl):
    snap = tl.at(D)
    alone = snap.value_of("losses.personnel", "RU", "Kursk")
    assert "shown" not in snap._cache  # the rest of the state was not built
    whole = [v for v in tl.at(D).values if v.key == ("losses.personnel", "RU", "Kursk", "level")]
    assert alone == tuple(whole) and len(alone) == 2


@pytest.mark.parametrize("call", [lambda tl: tl.at(D, known_at="soon"), lambda tl: tl.at(D, position=10**6),
                                  lambda tl: tl.retract("6274a197e9", ""), lambda tl: tl.at("2024-13-01")])
def test_api_errors_name_no_command_line_option(tl, call):
    with pytest.raises(TimelineError) as err:
        call(tl)
    assert "--" not in str(err.value)


@pytest.mark.parametrize("published", ["2024-11-21", dt.datetime(2024, 11, 21, 17, 5), "2024-11-21T17:05:00"])
def test_ingest_takes_its_publication_date_as_any_date_the_api_takes(tmp_path, published):
    article = tmp_path / "a.txt"
    article.write_text("Kyiv said on Monday that 1,200 Russian soldiers were killed in Kursk in the past day.\n")
    with Timeline(tmp_path / "given.sqlite") as given, Timeline(tmp_path / "day.sqlite") as day:
        assert given.ingest([article], published=published).files[0].status == "new"
        assert day.ingest([article], published=dt.date(2024, 11, 21)).files[0].status == "new"
        assert [r.payload for r in given.events()] == [r.payload for r in day.events()]
    with Timeline(tmp_path / "bad.sqlite") as bad, pytest.raises(TimelineError, match="'21/11/2024' is not a valid date"):
        bad.ingest([article], published="21/11/2024")
