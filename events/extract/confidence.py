"""How far to trust an extracted claim: a number in [0, 1] from the signals the extractor recorded.

The extractor records how it found each claim's side, metric, date and claimant (`ClaimReported.signals`, e.g.
"side:subject", "metric:casualty-noun", "date:window", "claimant:own-sentence"). Confidence is a logistic model
over those signals and the claim's rule, its weights data in `events/lexicons/confidence.json`, fitted on the dev
corpus by `python bench/confidence.py --fit` (which also prints precision per confidence band). It is computed when
claims are read, so refitting changes no event in the log.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from functools import cache
from pathlib import Path

_FILE = Path(__file__).resolve().parents[1] / "lexicons" / "confidence.json"


@cache
def model() -> dict:
    return json.loads(_FILE.read_text(encoding="utf-8"))


def features(rule: str, signals: Iterable[str]) -> list[str]:
    """The model's inputs: the rule and each signal."""
    return [f"rule:{rule}", *signals]


def confidence(rule: str, signals: Iterable[str]) -> float | None:
    """The probability that the claim is right, as calibrated; None for a claim without signals (entered by hand,
    or read before signals were recorded)."""
    signals = tuple(signals)
    if not signals:
        return None
    m = model()
    w = m["weights"]
    z = m["intercept"] + sum(w.get(f, 0.0) for f in features(rule, signals))
    return round(1.0 / (1.0 + math.exp(-z)), 3)
