"""Who checked what: the standing of each claim at a log position, from the reviews recorded by then.

A review is a mark on a claim id at a log position: `confirmed` or `rejected`
(a ClaimReviewed), `asserted` (a ClaimAsserted: a person entered the claim)
or `corrected` (a ClaimCorrected with a reviewer: a person wrote the
replacement). The last mark on a claim at or before the basis position is the
word on it, so a rejection can be taken back by a later confirmation and the
other way round. Rules every projection path shares:

- a rejected claim never counts (it is not admitted, like a retracted one);
- a claim confirmed, asserted or corrected by a person, and not rejected
  since, is reviewed: at the chosen date a figure with a reviewed claim beats
  one without, before the tie rule (projections.choose);
- a basis with `reviewed` set admits reviewed claims only.
"""

from __future__ import annotations

from collections.abc import Iterable

from attrs import frozen

MARKS = ("confirmed", "rejected", "asserted", "corrected")
BY_PERSON = frozenset(("confirmed", "asserted", "corrected"))


@frozen
class Standing:
    """The claims rejected, and the claims reviewed, at one log position (claim ids)."""

    rejected: frozenset[str] = frozenset()
    reviewed: frozenset[str] = frozenset()

    def admits(self, claim_id: str, reviewed_only: bool) -> bool:
        if claim_id in self.rejected:
            return False
        return not reviewed_only or claim_id in self.reviewed

    def __bool__(self) -> bool:
        return bool(self.rejected or self.reviewed)


def standing(marks: Iterable[tuple[int, str, str]], position: int) -> Standing:
    """The standing at `position` from (position, claim id, mark) triples, in any order."""
    last: dict[str, tuple[int, str]] = {}
    for p, claim_id, mark in marks:
        if p <= position and (claim_id not in last or last[claim_id][0] < p):
            last[claim_id] = (p, mark)
    return Standing(
        frozenset(c for c, (_, m) in last.items() if m == "rejected"),
        frozenset(c for c, (_, m) in last.items() if m in BY_PERSON),
    )


@frozen
class Gate:
    """The reviews at a basis as a read model applies them: the standing by claim id, and the log positions of
    the claims it rules on (each backend finds those in its own tables)."""

    standing: Standing
    rejected: tuple[int, ...]  # positions of the claims rejected at N
    reviewed: tuple[int, ...] | None  # for a reviewed-only basis, positions of the reviewed claims; else None


def reviewed_ids(gate: Gate | None) -> frozenset[str]:
    return frozenset() if gate is None else gate.standing.reviewed
