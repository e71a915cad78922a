"""The state on the bundled seed articles: the figures an analyst reads off the five articles."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from timeline import Timeline
from timeline.cli import main
from timeline.seeds import bundled_seeds

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("seeds") / "seeds.sqlite"
    with Timeline(path) as tl:
        report = tl.ingest([bundled_seeds()])
        assert report.new == 5 and not report.errors
    return path


@pytest.fixture
def tl(seeded):
    with Timeline(seeded) as t:
        yield t


def value(state, metric, party, region, shape="level"):
    found = state.by_series().get((metric, party, region, shape))
    assert found is not None, f"no value for {metric} {party} {region} at {state.basis}"
    return found


def test_2024_11_23_area_and_troops(tl):
    s = tl.asof("2024-11-23")
    area = value(s, "area.controlled", "UA", "Kursk")
    assert (area.value, area.qualifier, area.unit) == (800, "about", "km2")
    ru = value(s, "troops.deployed", "RU", "Kursk")
    assert (ru.value, ru.qualifier) == (59000, "about")
    kp = value(s, "troops.deployed", "KP", "Kursk")
    assert (kp.value, kp.qualifier, kp.held_since) == (11000, "about", dt.date(2024, 11, 4))
    assert len(kp.articles) == 2 and len(kp.claims) == 2
    ua = value(s, "troops.deployed", "RU", "Ukraine")
    assert (ua.value, ua.qualifier) == (575000, "about")


def test_2024_11_23_losses(tl):
    s = tl.asof("2024-11-23")
    total = value(s, "losses.personnel", "RU", "Kursk")
    assert (total.value, total.valid) == (20842, dt.date(2024, 11, 5))
    for metric, figure in (("killed", 7905), ("wounded", 12220), ("captured", 717)):
        v = value(s, f"losses.personnel.{metric}", "RU", "Kursk")
        assert v.value == figure
        assert len(v.articles) == 2, (metric, v.articles)
    killed = value(s, "losses.personnel.killed", "RU", "Ukraine")
    assert (killed.value, killed.valid, killed.staleness_days) == (133190, dt.date(2023, 2, 7), 655)


def test_2024_11_10(tl):
    s = tl.asof("2024-11-10")
    ru = value(s, "troops.deployed", "RU", "Kursk")
    assert (ru.value, ru.qualifier) == (45000, "about")
    kp = value(s, "troops.deployed", "KP", "Kursk")
    assert (kp.value, kp.valid, kp.report) == (11000, dt.date(2024, 11, 4), dt.date(2024, 11, 11))
    known = value(tl.asof("2024-11-10", known_at="2024-11-10"), "troops.deployed", "KP", "Kursk")
    assert (known.value, known.qualifier, known.valid) == (3000, "about", dt.date(2024, 10, 30))


def test_2024_08_27_area(tl):
    area = value(tl.asof("2024-08-27"), "area.controlled", "UA", "Kursk")
    assert (area.value, area.valid) == (1294, dt.date(2024, 8, 27))


def test_diff_2024_11_05_to_2024_11_23(tl):
    changes = {c.key: c for c in tl.diff("2024-11-05", "2024-11-23").changes}
    troops = changes[("troops.deployed", "RU", "Kursk", "level")]
    assert (troops.before.value, troops.after.value, troops.change) == (45000, 59000, 14000)
    area = changes[("area.controlled", "UA", "Kursk", "level")]
    assert (area.before.value, area.after.value, area.change) == (1294, 800, -494)


def test_the_table_shows_staleness_and_supports(seeded):
    out = CliRunner().invoke(main, ["--log", str(seeded), "asof", "2024-11-23"]).stdout
    killed = next(ln for ln in out.splitlines() if re.match(r"losses\.personnel\.killed\s+RU\s+Ukraine\s+133,190", ln))
    assert "2023-02-07" in killed and "655 d" in killed


def test_the_readme_shows_the_real_output(seeded):
    """Regenerate the block with `timeline --log fresh.sqlite asof 2024-11-23` after ingesting seeds/."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The state as of a date", 1)[1]
    shown = re.search(r"```\n\$ timeline asof 2024-11-23\n(.*?)```", section, re.S).group(1)
    out = CliRunner().invoke(main, ["--log", str(seeded), "asof", "2024-11-23"]).stdout
    # Claim ids follow the exact evidence spans; the figures, dates and sources must match as printed.
    ids = re.compile(r"\b[0-9a-f]{10}\b")
    assert ids.sub("<id>", shown) == ids.sub("<id>", out)


def test_a_derived_value_older_than_its_series_value_is_not_in_the_state(seeded):
    """The 2023-02-07 running total is 133,190; 133,190 - 1,030 = 132,160 is the total of 2023-02-06, not the state."""
    import json

    result = CliRunner().invoke(main, ["--log", str(seeded), "asof", "2023-02-07", "--format", "json"])
    rows = json.loads(result.output)["values"]
    killed = [r for r in rows if (r["metric"], r["party"], r["region"], r["shape"])
              == ("losses.personnel.killed", "RU", "Ukraine", "level")]
    assert [(r["value"], r["valid"], r.get("derived", False)) for r in killed] == [(133190, "2023-02-07", False)]
    chosen = {}
    for r in rows:
        if not r.get("derived"):
            chosen[(r["metric"], r["party"], r["region"], r["shape"])] = r["valid"]
    for r in rows:
        key = (r["metric"], r["party"], r["region"], r["shape"])
        if r.get("derived") and key in chosen:
            assert r["valid"] >= chosen[key], r


def test_the_older_derived_value_stays_explainable(tl):
    from projections.derive import derive

    state = tl.asof("2023-02-07")
    older = [d for d in derive(state) if d.key == ("losses.personnel.killed", "RU", "Ukraine", "level")]
    assert [(d.value, d.valid.isoformat()) for d in older] == [(132160, "2023-02-06")]
