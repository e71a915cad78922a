"""The General Staff tally reader: real data where present, synthetic files for each failure."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.codec import claim_id, decode, encode
from events.model import ClaimCorrected, ClaimReported
from events.sources.tally import TALLY_CLAIMANT, TallyError, interval, read_tally
from timeline.cli import main

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "russia-losses"
PERSONNEL = "russia_losses_personnel.json"
EQUIPMENT = "russia_losses_equipment.json"
CORRECTION = "russia_losses_equipment_correction.json"
NON_NUMERIC = {"date", "day", "personnel*", "greatest losses direction"}

needs_data = pytest.mark.shared


@pytest.fixture(scope="module")
def events() -> list:
    return read_tally(DATA)


def _reported(events: list) -> list[ClaimReported]:
    return [e for e in events if isinstance(e, ClaimReported)]


def _numeric_cells(file: str) -> int:
    rows = json.loads((DATA / file).read_text(encoding="utf-8"))
    return sum(1 for row in rows for key in row if key not in NON_NUMERIC)


@needs_data
def test_personnel_claim_of_2023_02_07(events: list) -> None:
    [event] = [
        e
        for e in _reported(events)
        if e.claim.metric == "losses.personnel.killed" and e.claim.as_of == dt.date(2023, 2, 7)
    ]
    claim = event.claim
    assert (claim.party, claim.region, claim.value, claim.qualifier) == ("RU", "Ukraine", 133190, "about")
    assert (claim.low, claim.high) == interval("about", 133190)
    assert claim.unit == "persons" and claim.since == dt.date(2022, 2, 24)
    assert claim.claimant == TALLY_CLAIMANT and claim.outlet is None
    assert event.published == dt.date(2023, 2, 7) and event.rule == "tally"
    assert event.evidence.quote == "personnel: about 133190 (2023-02-07)"
    assert event.evidence.dataset.file == PERSONNEL and event.evidence.dataset.column == "personnel"
    assert event.claim_id == claim_id(event.claim, event.evidence)


@needs_data
def test_counts_follow_the_data(events: list) -> None:
    per_file = defaultdict(int)
    for event in _reported(events):
        per_file[event.evidence.dataset.file] += 1
    assert per_file == {PERSONNEL: _numeric_cells(PERSONNEL), EQUIPMENT: _numeric_cells(EQUIPMENT)}
    rows = json.loads((DATA / CORRECTION).read_text(encoding="utf-8"))
    nonzero = sum(1 for row in rows for key, value in row.items() if key not in NON_NUMERIC and value != 0)
    assert sum(isinstance(e, ClaimCorrected) for e in events) == nonzero


@needs_data
def test_no_claim_from_non_numeric_columns(events: list) -> None:
    columns = {e.evidence.dataset.column for e in _reported(events)}
    assert not columns & NON_NUMERIC
    assert "greatest losses direction" not in " ".join(e.evidence.quote for e in _reported(events))


@needs_data
def test_qualifiers_follow_the_personnel_word(events: list) -> None:
    rows = json.loads((DATA / PERSONNEL).read_text(encoding="utf-8"))
    expected = {"about": "about", "more": "over"}
    for event in _reported(events):
        claim, cell = event.claim, event.evidence.dataset
        if cell.column == "personnel":
            assert claim.qualifier == expected[rows[cell.row]["personnel*"]]
        else:
            assert claim.qualifier == "exact"
        assert (claim.low, claim.high) == interval(claim.qualifier, claim.value)


@needs_data
def test_corrections_target_existing_claims(events: list) -> None:
    by_id = {e.claim_id: e for e in _reported(events)}
    corrections = [e for e in events if isinstance(e, ClaimCorrected)]
    assert corrections
    for correction in corrections:
        target = by_id[correction.claim_id]
        assert target.claim.as_of <= correction.published
        assert correction.adjustment != 0 and correction.replacement is None
        assert target.evidence.dataset.column in correction.reason
    # day 850 is carried by two dates; each correction keeps its own date
    assert {c.published for c in corrections if "cruise missiles by +6" in c.reason} == {dt.date(2024, 6, 23)}
    assert {c.published for c in corrections if "drone by +30" in c.reason} == {dt.date(2024, 6, 22)}


@needs_data
def test_order_is_date_file_column(events: list) -> None:
    dates = [e.claim.as_of if isinstance(e, ClaimReported) else e.published for e in events]
    assert dates == sorted(dates)


@needs_data
def test_reading_twice_gives_the_same_ids(events: list) -> None:
    again = read_tally(DATA)
    assert again == events
    ids = [e.claim_id for e in _reported(events)]
    assert len(set(ids)) == len(ids)


@needs_data
def test_a_single_file_reads_alone() -> None:
    personnel = read_tally(DATA / PERSONNEL)
    assert {e.evidence.dataset.file for e in personnel} == {PERSONNEL}
    corrections = read_tally(DATA / CORRECTION)
    assert corrections and all(isinstance(e, ClaimCorrected) for e in corrections)
    assert corrections == [e for e in read_tally(DATA) if isinstance(e, ClaimCorrected)]


@needs_data
def test_thirteen_day_over_day_drops_in_equipment(events: list) -> None:
    series: dict[str, list[tuple[dt.date, int]]] = defaultdict(list)
    for event in _reported(events):
        if event.claim.metric.startswith("losses.equipment."):
            series[event.claim.metric].append((event.claim.as_of, event.claim.value))
    drops = []
    for metric, points in series.items():
        points.sort()
        for (d0, v0), (d1, v1) in zip(points, points[1:]):
            if d1 - d0 == dt.timedelta(days=1) and v1 < v0:
                drops.append((d1, metric, v1 - v0))
    assert len(drops) == 13, sorted(drops)
    assert (dt.date(2022, 10, 13), "losses.equipment.armored_vehicles", -14) in drops


def test_oryx_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "russia_losses_equipment_oryx.json").write_text("[]")
    with pytest.raises(TallyError, match="no dates"):
        read_tally(tmp_path / "russia_losses_equipment_oryx.json")


# --- synthetic files -----------------------------------------------------------------------


def _write(folder: Path, personnel: list, equipment: list, correction: list) -> Path:
    for name, rows in ((PERSONNEL, personnel), (EQUIPMENT, equipment), (CORRECTION, correction)):
        (folder / name).write_text(json.dumps(rows), encoding="utf-8")
    return folder


def _small(folder: Path) -> Path:
    return _write(
        folder,
        [
            {"date": "2022-03-01", "day": 6, "personnel": 5710, "personnel*": "about", "POW": 200},
            {"date": "2022-03-02", "day": 7, "personnel": 5840, "personnel*": "more", "POW": 200},
        ],
        [
            {"date": "2022-03-01", "day": 6, "tank": 198, "military auto": 305, "fuel tank": 60},
            {"date": "2022-03-02", "day": 7, "tank": 211, "military auto": 355, "fuel tank": 60},
        ],
        [{"date": "2022-03-03", "day": 8, "tank": -3, "personnel": 0}],
    )


def test_small_tally(tmp_path: Path) -> None:
    events = read_tally(_small(tmp_path))
    reported = _reported(events)
    assert len(reported) == 10
    over = [e.claim for e in reported if e.claim.qualifier == "over"]
    assert [(c.value, c.low, c.high) for c in over] == [(5840, 5840, None)]
    metrics = {e.evidence.dataset.column: e.claim.metric for e in reported}
    assert metrics["military auto"] == "losses.equipment.vehicles"
    assert metrics["fuel tank"] == "losses.equipment.fuel_tanks"
    [correction] = [e for e in events if isinstance(e, ClaimCorrected)]
    target = next(e for e in reported if e.claim_id == correction.claim_id)
    assert (target.claim.metric, target.claim.as_of) == ("losses.equipment.tanks", dt.date(2022, 3, 2))
    assert correction.adjustment == -3 and "2022-03-02" in correction.reason
    assert events[-1] is correction


@pytest.mark.parametrize(
    "file, mangle, message",
    [
        (PERSONNEL, lambda p: p.unlink(), "cannot read"),
        (EQUIPMENT, lambda p: p.write_text("[{"), "invalid JSON"),
        (EQUIPMENT, lambda p: p.write_bytes(b"\xff\xfe\x00["), "invalid JSON"),
        (PERSONNEL, lambda p: p.write_text('{"date": "2022-03-01"}'), "JSON array"),
        (PERSONNEL, lambda p: p.write_text('[{"date": "2022-03-01", "personnel": 1}, 7]'), "line 1, row 2: "),
        (PERSONNEL, lambda p: p.write_text('[{"date": "2022-03-01", "personnel": 1}, {"personnel": 2}]'), "line 1, row 2: "),
        (EQUIPMENT, lambda p: p.write_text('[{"date": "2022-02-30", "tank": 1}]'), "line 1: "),
        (EQUIPMENT, lambda p: p.write_text('[{"date": "2022-W09-2", "tank": 1}]'), "line 1: "),
        (EQUIPMENT, lambda p: p.write_text('[{"date": 20220301, "tank": 1}]'), "line 1: "),
        (EQUIPMENT, lambda p: p.write_text('[{"date": "2022-03-01", "tank": "12"}]'), "line 1: "),
        (EQUIPMENT, lambda p: p.write_text('[{"date": "2022-03-01", "tank": 1.5}]'), "line 1: "),
        (EQUIPMENT, lambda p: p.write_text('[{"date": "2022-03-01", "tank": true}]'), "line 1: "),
        (EQUIPMENT, lambda p: p.write_text('[{"date": "2022-03-01", "tank": -4}]'), "line 1: "),
        (EQUIPMENT, lambda p: p.write_text('[{"date": "2022-03-01", "tank": null}]'), "line 1: "),
        (EQUIPMENT, lambda p: p.write_text('[{"date": "2022-03-01", "laser": 1}]'), "unknown column"),
        (PERSONNEL, lambda p: p.write_text('[{"date": "2022-03-01", "personnel": 1, "personnel*": "circa"}]'), "line 1: "),
        (CORRECTION, lambda p: p.write_text('[{"date": "2022-03-03", "tank": "x"}]'), "line 1: "),
        (CORRECTION, lambda p: p.write_text('[{"date": "2022-02-01", "tank": 2}]'), "line 1: "),
        (CORRECTION, lambda p: p.write_text('[{"day": 9, "tank": 2}]'), "line 1: "),
    ],
)
def test_errors_name_file_and_row(tmp_path: Path, file: str, mangle, message: str) -> None:
    folder = _small(tmp_path)
    mangle(folder / file)
    with pytest.raises(TallyError) as raised:
        read_tally(folder)
    text = str(raised.value)
    assert type(raised.value) is TallyError
    assert file in text and message in text and "\n" not in text


def test_errors_name_the_line_a_reader_finds_the_row_on(tmp_path: Path) -> None:
    folder = _small(tmp_path)
    rows = [{"date": "2022-03-01", "personnel": 5710}, {"date": "2022-03-02", "personnel": -4}]
    (folder / PERSONNEL).write_text(json.dumps(rows, indent=4) + "\n")
    result = CliRunner().invoke(main, ["--log", str(tmp_path / "log.sqlite"), "import-tally", str(folder)])
    assert result.exit_code == 2
    assert result.stderr == ("Error: russia_losses_personnel.json: line 6: column 'personnel':"
                             " a running total cannot be negative (-4)\n")
    assert not (tmp_path / "log.sqlite").exists()


@pytest.mark.parametrize("path", ["nowhere", "russia_losses_personnel.json", "notes.txt"])
def test_bad_paths(tmp_path: Path, path: str) -> None:
    with pytest.raises(TallyError):
        read_tally(tmp_path / path)


def test_not_a_path() -> None:
    with pytest.raises(TallyError):
        read_tally(None)  # type: ignore[arg-type]


def test_commit_comes_from_source_md(tmp_path: Path) -> None:
    folder = _small(tmp_path)
    (folder / "SOURCE.md").write_text("- Repository: https://example.org/r\n- Snapshot commit: `" + "a" * 40 + "`\n")
    row = _reported(read_tally(folder))[0].evidence.dataset
    assert (row.repository, row.commit) == ("https://example.org/r", "a" * 40)


# --- generated tallies ---------------------------------------------------------------------

EQUIPMENT_COLUMNS = ["tank", "APC", "drone", "cruise missiles", "vehicles and fuel tanks"]


@st.composite
def tallies(draw):
    dates = draw(
        st.lists(st.dates(dt.date(2022, 2, 25), dt.date(2027, 1, 1)), min_size=1, max_size=6, unique=True)
    )
    count = st.integers(0, 10**7)
    personnel = [
        {
            "date": d.isoformat(),
            "personnel": draw(count),
            "personnel*": draw(st.sampled_from(["about", "more"])),
        }
        for d in dates
    ]
    equipment = [
        {"date": d.isoformat(), **draw(st.dictionaries(st.sampled_from(EQUIPMENT_COLUMNS), count, max_size=4))}
        for d in dates
    ]
    last = max(dates)
    correction = [
        {"date": (last + dt.timedelta(days=draw(st.integers(0, 3)))).isoformat(), "personnel": draw(st.integers(-50, 50))}
    ]
    return personnel, equipment, correction


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tally=tallies())
def test_generated_tallies_round_trip(tmp_path_factory, tally) -> None:
    personnel, equipment, correction = tally
    folder = _write(tmp_path_factory.mktemp("tally"), personnel, equipment, correction)
    first, second = read_tally(folder), read_tally(folder)
    assert first == second
    reported = _reported(first)
    assert len(reported) == len(personnel) + sum(len(row) - 1 for row in equipment)
    for event in reported:
        cell = event.evidence.dataset
        source = personnel if cell.file == PERSONNEL else equipment
        assert event.claim.value == source[cell.row][cell.column]
        assert event.claim.as_of.isoformat() == source[cell.row]["date"]
    for event in first:
        assert decode(type(event).__name__, encode(event)) == event
    keys = [(e.claim.as_of if isinstance(e, ClaimReported) else e.published) for e in first]
    assert keys == sorted(keys)
    corrections = [e for e in first if isinstance(e, ClaimCorrected)]
    assert len(corrections) == (correction[0]["personnel"] != 0)
    ids = {e.claim_id for e in reported if e.evidence.dataset.column == "personnel"}
    assert all(c.claim_id in ids for c in corrections)
