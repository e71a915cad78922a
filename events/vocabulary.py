"""The claim vocabulary (metrics and what is known of each, parties, canonical regions), read from the lexicon files.

A claim a person enters is held to it; the extractor's own claims come from
the same files (events/lexicons). What a metric is (its unit, the section its
series is printed under, its components, whether it is a running total, the
verb cues that count persons as it) is data in metrics.json, read here, so
that adding a metric is one entry there.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from attrs import frozen

_DIR = Path(__file__).parent / "lexicons"


def _load(name: str) -> dict:
    return json.loads((_DIR / f"{name}.json").read_text(encoding="utf-8"))


@frozen
class Metric:
    """One metric of the vocabulary, its family's and the defaults' values filled in."""

    name: str
    unit: str
    section: str  # where `asof` prints its levels and running totals
    window_section: str  # where it prints its counts over a period
    running_total: bool
    components: tuple[str, ...] = ()  # the parts it is the total of (a closed set)
    open_components: str | None = None  # 'losses.equipment.': a prefix of parts that need not cover every kind
    person_cues: tuple[str, ...] = ()


@frozen
class MetricTable:
    """The metrics of metrics.json ("vocabulary"), with what their families and the defaults say of the rest."""

    sections: tuple[str, ...]
    metrics: Mapping[str, Metric]
    families: Mapping[str, Mapping[str, Any]]
    defaults: Mapping[str, Any]

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "MetricTable":
        families, defaults = data["families"], data["defaults"]
        return cls(tuple(data["sections"]),
                   {name: _metric(name, entry, families, defaults) for name, entry in data["vocabulary"].items()},
                   families, defaults)

    def _field(self, metric: str, name: str) -> Any:
        known = self.metrics.get(metric)
        if known is not None:
            return getattr(known, name)
        return {**self.defaults, **self.families.get(metric.split(".", 1)[0], {})}[name]

    def section(self, metric: str, shape: str) -> str:
        """The section of `timeline asof` a series (a metric outside the vocabulary by its family) is printed under."""
        return self._field(metric, "window_section" if shape == "window" else "section")

    def running_total(self, metric: str) -> bool:
        """Whether the metric's levels are totals since a start (a later figure should not be lower)."""
        return bool(self._field(metric, "running_total"))

    def components(self) -> dict[str, tuple[str, ...]]:
        """Totals and the closed sets of parts they are the sum of."""
        return {m.name: m.components for m in self.metrics.values() if m.components}

    def open_components(self) -> dict[str, str]:
        """Totals and the prefix of their parts, where the parts listed in a report need not cover every kind."""
        return {m.name: m.open_components for m in self.metrics.values() if m.open_components}

    def person_cues(self) -> dict[str, str]:
        """Verb cue (cues.json) -> the metric a count of persons it governs is ("killed" -> ...killed)."""
        return {cue: m.name for m in self.metrics.values() for cue in m.person_cues}


def _metric(name: str, entry: Mapping[str, Any], families: Mapping[str, Any], defaults: Mapping[str, Any]) -> Metric:
    given = {**defaults, **families.get(name.split(".", 1)[0], {}), **entry}
    parts = given.get("components", ())
    is_open = isinstance(parts, str)
    return Metric(name, given["unit"], given["section"], given["window_section"], bool(given["running_total"]),
                  () if is_open else tuple(parts), parts.removesuffix("*") if is_open else None,
                  tuple(given.get("person_cues", ())))


@cache
def metric_table() -> MetricTable:
    """The metrics of events/lexicons/metrics.json (without the rest of the vocabulary, which loads more)."""
    return MetricTable.from_data(_load("metrics"))


@frozen
class Vocabulary:
    units: dict[str, str]  # metric -> unit
    parties: frozenset[str]
    regions: dict[str, str]  # alias (casefolded) -> canonical name

    def region(self, name: str) -> str | None:
        """The canonical name of a region or one of its aliases ("Kursk oblast" -> "Kursk"), else None."""
        return self.regions.get(" ".join(name.split()).casefold())


@cache
def vocabulary() -> Vocabulary:
    from events.extract.lexicon import _region_aliases

    parties = {v for v in _load("parties")["words"].values() if isinstance(v, str) and len(v) == 2 and v.isupper()}
    aliases = _region_aliases(_load("regions"))
    regions = {alias.casefold(): canon for alias, canon in aliases.items()}
    regions.update({canon.casefold(): canon for canon in aliases.values()})
    units = {name: m.unit for name, m in metric_table().metrics.items()}
    return Vocabulary(units, frozenset(parties), regions)
