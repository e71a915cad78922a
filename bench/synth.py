"""A synthetic claim log: N claims over S series, valid dates over four years, report lag 0-30 days.

Claims come in articles of CLAIMS_PER_ARTICLE lines, each line the quoted
evidence of one claim, so provenance has real spans to walk back to. Valid
dates are distinct within a series, so "the latest claim per series" has one
answer that DuckDB and the project can be held to.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from attrs import frozen

from events.codec import article_id, claim_id
from events.model import ArticleIngested, Claim, ClaimReported, Evidence

START = dt.date(2022, 1, 1)
DAYS = 4 * 365
CLAIMS_PER_ARTICLE = 50
METRICS = ("losses.personnel", "losses.equipment.tanks", "troops.deployed", "area.controlled")
UNITS = {"losses.personnel": "persons", "losses.equipment.tanks": "units", "troops.deployed": "persons", "area.controlled": "km2"}
PARTIES = ("RU", "UA", "KP")
REGIONS = tuple(f"Region {i:04d}" for i in range(1000))
FALLS_EVERY = 1000  # with rising totals: one step in this many falls


@frozen
class Row:
    """One synthetic claim, as the comparison with DuckDB sees it."""

    series: int
    valid: dt.date
    report: dt.date
    value: int
    claim_id: str


def series_key(s: int) -> tuple[str, str, str]:
    return METRICS[s % len(METRICS)], PARTIES[(s // len(METRICS)) % len(PARTIES)], REGIONS[s % len(REGIONS)]


def generate(n: int, series: int = 2000, seed: int = 1, rising: bool = False) -> Iterator[tuple[list, list[Row]]]:
    """Batches of events (an article and its claims) in publication order, with the rows they carry.

    Values are random; with `rising`, the running totals (losses) rise with the valid date as a tally does, and
    one step in FALLS_EVERY falls (a misprint: a tenth off), so `check` finds as much to say as a real log
    might rather than a fall at every other step. The dates, reports and articles are the same either way."""
    rng = random.Random(seed)
    tally = random.Random(seed + 1)
    per_series = -(-n // series)
    if per_series > DAYS:
        raise ValueError(f"{n} claims over {series} series need more than {DAYS} distinct days per series")
    items = []
    for s in range(series):
        rate = tally.randint(10, 500)  # a day's losses in this series, when rising
        for day in rng.sample(range(DAYS), per_series):
            valid = START + dt.timedelta(days=day)
            report, order, value = valid + dt.timedelta(days=rng.randint(0, 30)), rng.random(), rng.randint(1, 500_000)
            if rising and METRICS[s % len(METRICS)].startswith("losses."):
                value = rate * (day + 1) + tally.randrange(rate)  # above every earlier day's, below every later's
                if tally.randrange(FALLS_EVERY) == 0:
                    value -= value // 10
            items.append((report, order, s, valid, value))
    items = sorted(rng.sample(items, n))
    a = 0
    while a < len(items):
        published = items[a][0]
        b = a
        while b < len(items) and b - a < CLAIMS_PER_ARTICLE and items[b][0] == published:
            b += 1
        yield article(a, published, [(s, valid, value) for _, _, s, valid, value in items[a:b]])
        a = b


def article(number: int, published: dt.date, items: list[tuple[int, dt.date, int]]) -> tuple[list, list[Row]]:
    lines, spans = [], []
    offset = 0
    for s, valid, value in items:
        metric, party, region = series_key(s)
        line = f"{party} {metric} in {region}: {value:,} as of {valid.isoformat()}."
        spans.append((offset, offset + len(line)))
        lines.append(line)
        offset += len(line) + 1
    text = "\n".join(lines)
    aid = article_id(f"synthetic {number}\n{text}".encode())
    events: list = [ArticleIngested(aid, f"synthetic-{number:07d}.txt", text, published, "manifest", "Synthetic Wire")]
    rows = []
    for (s, valid, value), span in zip(items, spans):
        metric, party, region = series_key(s)
        claim = Claim(metric, party, value, UNITS[metric], region, "exact", value, value, as_of=valid,
                      claimant="Synthetic source", outlet="Synthetic Wire")
        ev = Evidence(text[span[0] : span[1]], aid, span)
        cid = claim_id(claim, ev)
        events.append(ClaimReported(cid, claim, ev, "synthetic", published))
        rows.append(Row(s, valid, published, value, cid))
    return events, rows
