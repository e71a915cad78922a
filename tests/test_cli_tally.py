"""`timeline import-tally` on the real General Staff data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from timeline.cli import main

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "russia-losses"
pytestmark = pytest.mark.shared


def test_import_twice_appends_nothing_the_second_time(tmp_path):
    log = str(tmp_path / "log.sqlite")
    first = CliRunner().invoke(main, ["--log", log, "import-tally", str(DATA), "--format", "json"])
    assert first.exit_code == 0, first.output
    appended = json.loads(first.output)["appended"]
    assert appended > 20_000
    second = CliRunner().invoke(main, ["--log", log, "import-tally", str(DATA), "--format", "json"])
    assert json.loads(second.output) == {"appended": 0, "skipped": appended, "unmatched": 0}
    assert CliRunner().invoke(main, ["--log", log, "verify"]).output.startswith(f"verified {appended} events")


def test_a_bad_tally_is_one_line(tmp_path):
    bad = tmp_path / "russia_losses_personnel.json"
    bad.write_text("[{\"date\": \"2022-13-01\", \"personnel\": 1}]")
    result = CliRunner().invoke(main, ["--log", str(tmp_path / "l.sqlite"), "import-tally", str(bad)])
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and "russia_losses_personnel.json" in result.stderr


def test_the_tally_and_a_wire_story_corroborate(tmp_path):
    from timeline import Timeline
    from timeline.seeds import bundled_seeds

    tl = Timeline(tmp_path / "log.sqlite")
    tl.ingest([bundled_seeds()])
    tl.import_tally(DATA)
    v = tl.asof("2023-02-07").by_series()[("losses.personnel.killed", "RU", "Ukraine", "level")]
    assert (v.value, v.qualifier) == (133190, "exact")
    assert set(v.articles) == {"003_d46a1cb0c5dae3c8.txt", "russia_losses_personnel.json"}


def test_a_correction_file_imported_before_its_tally_says_its_claims_are_not_in_the_log_yet(tmp_path):
    log = tmp_path / "log.sqlite"
    alone = str(DATA / "russia_losses_equipment_correction.json")
    result = CliRunner().invoke(main, ["--log", str(log), "import-tally", alone, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["unmatched"] > 0 and data["appended"] >= data["unmatched"]
    assert result.stderr.startswith(f"timeline: {data['unmatched']} corrected claims are not in the log")
    whole = CliRunner().invoke(main, ["--log", str(log), "import-tally", str(DATA), "--format", "json"])
    assert json.loads(whole.stdout)["unmatched"] == 0 and whole.stderr == ""
