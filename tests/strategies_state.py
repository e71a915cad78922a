"""Hypothesis strategies for state tests: small vocabularies, so that claims collide (builders: tests.builders).

Few metrics, parties, regions, values and dates make ties, runs of the same
figure, retractions and corrections common enough to exercise every rule.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from events.model import ArticleIngested, ClaimReported
from tests.builders import article, claim, day, serial

METRICS = ["troops.deployed", "area.controlled", "losses.personnel"]
PARTIES = ["RU", "UA"]
REGIONS = ["Kursk", None]
VALUES = [100, 200, 300]
QUALIFIERS = ["exact", "about", "over"]
SPAN = 12  # days in which every date falls

small_days = st.integers(min_value=0, max_value=SPAN - 1).map(day)


@st.composite
def claim_specs(draw: st.DrawFn) -> dict:
    """The parts of a claim, to be bound to an article when it is drawn."""
    kind = draw(st.sampled_from(["level", "level", "window", "undated"]))
    spec = {
        "metric": draw(st.sampled_from(METRICS)),
        "party": draw(st.sampled_from(PARTIES)),
        "value": draw(st.sampled_from(VALUES)),
        "region": draw(st.sampled_from(REGIONS)),
        "qualifier": draw(st.sampled_from(QUALIFIERS)),
        "modality": draw(st.sampled_from(["asserted"] * 5 + ["denied"])),
    }
    if kind == "level":
        spec["as_of"] = draw(small_days)
    elif kind == "window":
        end = draw(small_days)
        spec["period"] = (end - dt.timedelta(days=draw(st.integers(0, 3))), end)
    return spec


@st.composite
def articles_with_claims(draw: st.DrawFn, max_claims: int = 4) -> tuple[ArticleIngested, list[ClaimReported]]:
    """An article and its claims, as one ingest would append them."""
    published = draw(st.one_of(st.none(), small_days, small_days, small_days))
    art = article(f"a{serial()}.txt", published, draw(st.sampled_from(["Reuters", "KI", None])))
    claims = [claim(art, **spec) for spec in draw(st.lists(claim_specs(), max_size=max_claims))]
    return art, claims


@st.composite
def bases(draw: st.DrawFn, head: int) -> tuple[dt.date, dt.date | None, int]:
    """A random (D, K, N): dates a little beyond the span on both sides, K None for latest."""
    d = day(draw(st.integers(min_value=-2, max_value=SPAN + 1)))
    k = draw(st.one_of(st.none(), st.integers(min_value=-1, max_value=SPAN).map(day)))
    n = draw(st.integers(min_value=0, max_value=head))
    return d, k, n
