"""Charts of series histories as a reader sees them: size, labels, legend, what is marked, and bad input."""

from __future__ import annotations

import re

import pytest

from events.model import ClaimRetracted
from events.sqlite_store import SQLiteStore
from projections.readmodel import projectors
from tests.builders import article, claim, day
from timeline import Timeline
from timeline.errors import TimelineError

A = article("a.txt", day(3), "Kyiv Independent", text="article a")
B = article("b.txt", day(9), "Reuters", text="article b")
EARLY = claim(A, "troops.deployed", "KP", 3000, qualifier="about", as_of=day(0), claimant="Syrskyi")
MID = claim(A, "troops.deployed", "KP", 11000, qualifier="about", as_of=day(2), claimant="Syrskyi")
RIVAL = claim(B, "troops.deployed", "KP", 12000, qualifier="up_to", as_of=day(2), low=0, high=12000)
LATE = claim(B, "troops.deployed", "KP", 11500, as_of=day(8), claimant="Pentagon")
RU = claim(A, "troops.deployed", "RU", 45000, as_of=day(2))
WINDOW = claim(B, "losses.personnel.killed", "RU", 1030, period=(day(7), day(8)))
TOTAL = claim(B, "losses.personnel.killed", "RU", 133190, as_of=day(8))


@pytest.fixture
def tl(tmp_path):
    store = SQLiteStore(tmp_path / "log.sqlite", projectors=projectors())
    store.append([A, EARLY, MID, RU])
    store.append([B, RIVAL, LATE, WINDOW, TOTAL])
    store.close()
    with Timeline(tmp_path / "log.sqlite", create=False) as t:
        yield t


def svg_texts(path) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)", path.read_text(encoding="utf-8"))


def test_a_png_is_1200_by_700_and_not_blank(tl, tmp_path):
    import matplotlib.image

    out = tl.chart("troops.deployed:KP", tmp_path / "kp.png")
    pixels = matplotlib.image.imread(out)
    assert pixels.shape[:2] == (700, 1200)
    colours = {tuple(p) for p in pixels.reshape(-1, pixels.shape[2])[::97]}
    assert len(colours) > 20  # lines, points, text: not one flat colour


def test_an_svg_has_a_title_units_a_legend_and_a_source_line(tl, tmp_path):
    texts = " ".join(svg_texts(tl.chart("troops.deployed:KP:Kursk", tmp_path / "kp.svg")))
    assert "troops.deployed (KP in Kursk)" in texts
    assert "persons" in texts and "valid date" in texts
    assert "Syrskyi" in texts and "Pentagon" in texts  # points coloured by claimant, named in the legend
    assert "competing claim, not chosen" in texts  # "up to 12,000" lost to "about 11,000" at day 2
    assert "Source: 4 claims from Kyiv Independent, Reuters" in texts


def test_retracted_claims_are_marked_and_known_at_draws_what_a_reader_knew(tl, tmp_path):
    tl.store.append([ClaimRetracted(LATE.claim_id, "misattributed")])
    texts = " ".join(svg_texts(tl.chart("troops.deployed:KP:Kursk", tmp_path / "a.svg")))
    assert "retracted or corrected" in texts
    early = " ".join(svg_texts(tl.chart("troops.deployed:KP:Kursk", tmp_path / "b.svg", known_at=day(4))))
    assert f"known at {day(4).isoformat()}" in early
    assert "Source: 2 claims from Kyiv Independent" in early and "Pentagon" not in early


def test_several_series_share_a_chart_and_counts_over_periods_get_their_own_axis(tl, tmp_path):
    texts = " ".join(svg_texts(tl.chart(["troops.deployed:KP:Kursk", "troops.deployed:RU"], tmp_path / "two.svg")))
    assert "chosen value: troops.deployed (KP in Kursk)" in texts and "chosen value: troops.deployed (RU in Kursk)" in texts
    mixed = " ".join(svg_texts(tl.chart("losses.personnel.killed:RU", tmp_path / "mixed.svg")))
    assert "persons per period" in mixed and "(right axis)" in mixed


@pytest.mark.parametrize("series, name, message", [
    ("troops.nothing", "x.svg", "no metric in the log matches 'troops.nothing'"),
    ("troops.deployed:KP", "x.pdf", "a chart is written as .svg or .png"),
    ("troops.deployed:KP:Kursk:extra", "x.svg", "is not metric[:party[:region]]"),
])
def test_bad_input_names_the_problem_and_writes_nothing(tl, tmp_path, series, name, message):
    with pytest.raises(TimelineError, match=re.escape(message)):
        tl.chart(series, tmp_path / name)
    assert not (tmp_path / name).exists()


def test_an_empty_history_is_an_error(tl, tmp_path):
    with pytest.raises(TimelineError, match=r"no claims of troops.deployed:KP \(known at 2024-10-01\): the history is empty"):
        tl.chart("troops.deployed:KP", tmp_path / "x.svg", known_at="2024-10-01")
    assert list(tmp_path.glob("x.svg*")) == []


def test_a_directory_is_not_a_chart_file(tl, tmp_path):
    (tmp_path / "d.svg").mkdir()
    with pytest.raises(TimelineError, match="is a directory"):
        tl.chart("troops.deployed:KP", tmp_path / "d.svg")


def test_the_axis_starts_at_from_even_when_a_value_carries_in_from_before(tl):
    from matplotlib.dates import date2num

    from timeline.formats.chart import draw

    fig = draw(tl.history("troops.deployed", "KP", start=day(6), end=day(40)))
    left, right = fig.axes[0].get_xlim()
    assert (left, right) == (date2num(day(6)), date2num(day(40)))


def test_a_series_without_claims_among_others_is_named_not_left_out(tl, tmp_path):
    """Drawn with others, an empty series was left out of the chart while the command said it drew it."""
    known = day(5).isoformat()  # article b, the only one of the killed, is not known yet
    with pytest.raises(TimelineError, match=re.escape(
            f"no claims of losses.personnel.killed:RU (known at {known}): give only series that have claims (the"
            " other asked for: troops.deployed:KP:Kursk)")):
        tl.chart(["troops.deployed:KP:Kursk", "losses.personnel.killed:RU"], tmp_path / "x.svg", known_at=known)
    assert list(tmp_path.glob("x.svg*")) == []
