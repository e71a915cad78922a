"""The claim vocabulary (metrics and their units, parties, canonical regions), read from the lexicon files.

A claim a person enters is held to it; the extractor's own claims come from
the same files (events/lexicons).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from attrs import frozen

_DIR = Path(__file__).parent / "lexicons"


def _load(name: str) -> dict:
    return json.loads((_DIR / f"{name}.json").read_text(encoding="utf-8"))


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
    return Vocabulary(dict(_load("vocabulary")["metrics"]), frozenset(parties), regions)
