"""The synthetic logs the benchmarks time (bench.synth): random values, or loss tallies that rise as real ones do."""

from __future__ import annotations

from bench.synth import FALLS_EVERY, METRICS, generate


def _rows(**kw: object) -> list:
    return [row for _, rows in generate(20_000, 20, **kw) for row in rows]


def _falls(rows: list) -> tuple[int, int]:
    """(steps that fall, steps) over the loss series, each in valid-date order."""
    by_series: dict[int, list] = {}
    for r in rows:
        if METRICS[r.series % len(METRICS)].startswith("losses."):
            by_series.setdefault(r.series, []).append(r)
    steps = falls = 0
    for rs in by_series.values():
        values = [r.value for r in sorted(rs, key=lambda r: r.valid)]
        steps += len(values) - 1
        falls += sum(b < a for a, b in zip(values, values[1:]))
    return falls, steps


def test_rising_tallies_fall_only_at_their_misprints_on_the_dates_of_the_random_log():
    random, rising = _rows(), _rows(rising=True)
    assert [(r.series, r.valid, r.report) for r in random] == [(r.series, r.valid, r.report) for r in rising]
    falls, steps = _falls(rising)
    assert 0 < falls < 3 * steps / FALLS_EVERY
    random_falls, _ = _falls(random)
    assert random_falls > steps / 3  # random values: a fall at about every other step
