"""The state as of a basis, asked of a read model: asof, diff, diff_known, and claim ids by prefix.

Every answer is computed from the read model in one read snapshot of the log,
and carries its basis (as-of date, known-at cut-off, log position), so that
`asof(D, known_at=K, position=N)` repeats it exactly later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from attrs import evolve

from events.vocabulary import vocabulary

from projections.state import Basis, State
from projections.questions import MIN_PREFIX, ReadModel
from projections.series import Filters, metric_matches
from timeline.dates import DateLike, parse_date, parse_known_at
from timeline.errors import TimelineError

if TYPE_CHECKING:
    from projections.diff import Diff



class StateQuestions:
    """The questions about the state a read model answers (projections.questions.ReadModel)."""

    def __init__(self, read_model: ReadModel) -> None:
        self.read_model = read_model

    def basis(
        self,
        as_of: DateLike,
        known_at: DateLike | None = None,
        position: int | None = None,
        *,
        metric: str | None = None,
        party: str | None = None,
        region: str | None = None,
        reviewed: bool = False,
    ) -> tuple[Basis, Filters]:
        """The basis and the filters of a question, checked against the log."""
        date = parse_date(as_of)
        known = parse_known_at(known_at)
        with self.read_model.snapshot() as rm:
            return Basis(date, known, self.position(rm, position), reviewed), self.filters(rm, metric, party, region)

    def asof(
        self,
        as_of: DateLike,
        known_at: DateLike | None = None,
        position: int | None = None,
        *,
        metric: str | None = None,
        party: str | None = None,
        region: str | None = None,
        reviewed: bool = False,
    ) -> State:
        """The claimed picture of date `as_of` as reported by `known_at`, from the first `position` events.

        `reviewed`: count only claims a person confirmed, entered or corrected.
        """
        date = parse_date(as_of)
        known = parse_known_at(known_at)
        with self.read_model.snapshot() as rm:
            basis = Basis(date, known, self.position(rm, position), reviewed)
            filters = self.filters(rm, metric, party, region)
            state = rm.state(basis, filters)
            if not state.values:
                state = evolve(state, note=_empty_note(basis, filters, rm.earliest_valid(basis, filters)))
        return state

    def diff(
        self,
        before: DateLike,
        after: DateLike,
        known_at: DateLike | None = None,
        position: int | None = None,
        *,
        metric: str | None = None,
        party: str | None = None,
        region: str | None = None,
        reviewed: bool = False,
    ) -> Diff:
        """What changed between two valid dates, at one report cut-off."""
        from projections.diff import diff

        a, b = parse_date(before, "from date"), parse_date(after, "to date")
        known = parse_known_at(known_at)
        with self.read_model.snapshot() as rm:
            n = self.position(rm, position)
            filters = self.filters(rm, metric, party, region)
            return diff(rm.state(Basis(a, known, n, reviewed), filters), rm.state(Basis(b, known, n, reviewed), filters))

    def diff_known(
        self,
        as_of: DateLike,
        known_before: DateLike | None,
        known_after: DateLike | None,
        position: int | None = None,
        *,
        metric: str | None = None,
        party: str | None = None,
        region: str | None = None,
        reviewed: bool = False,
    ) -> Diff:
        """What was known about one date at two report cut-offs (None or 'latest': the whole log)."""
        from projections.diff import diff

        date = parse_date(as_of)
        k1, k2 = parse_known_at(known_before), parse_known_at(known_after)
        with self.read_model.snapshot() as rm:
            n = self.position(rm, position)
            filters = self.filters(rm, metric, party, region)
            return diff(rm.state(Basis(date, k1, n, reviewed), filters),
                        rm.state(Basis(date, k2, n, reviewed), filters))

    def resolve_claim(self, prefix: str) -> str:
        """The full id of the one claim whose id starts with `prefix` (at least 6 characters)."""
        p = prefix.strip().lower()
        if len(p) < MIN_PREFIX:
            raise TimelineError(f"claim id {prefix!r} is too short: give the id or a prefix of at least {MIN_PREFIX} characters")
        found = self.read_model.claim_ids(p)
        if not found:
            raise TimelineError(f"no claim has an id starting with {p!r}", param="claim_id")
        if len(found) > 1:
            shown = ", ".join(f[:12] for f in found[:2])
            raise TimelineError(f"claim id {p!r} is ambiguous: it starts {shown}{', ...' if len(found) > 2 else ''}; give more characters")
        return found[0]

    # -- the parts of a basis, inside one read snapshot `rm` ----------------

    def position(self, rm: Any, position: int | None) -> int:
        """The log position asked for (None: the head); TimelineError beyond the log."""
        head = rm.head()
        if position is None:
            return head
        if position < 0 or position > head:
            raise TimelineError(f"position {position} is beyond the log: it holds {head} events (use 0..{head})",
                                param="position")
        return position

    def filters(self, rm: Any, metric: str | None, party: str | None, region: str | None) -> Filters:
        """The series filters, each checked against what the log holds."""
        if metric is None and party is None and region is None:
            return Filters()
        known = rm.known_values()
        if metric is not None and not any(metric_matches(metric, m) for m in known["metric"]):
            raise TimelineError(f"no metric in the log matches {metric!r} (metrics: {_listing(known['metric'])})")
        if party is not None and party.casefold() not in {p.casefold() for p in known["party"]}:
            raise TimelineError(f"unknown party {party!r} (parties in the log: {_listing(known['party'])})")
        if region is not None:
            named = region_in_log(region, known["region"])
            if named is None:
                raise TimelineError(f"unknown region {region!r} (regions in the log: {_listing(known['region'])})")
            region = named
        return Filters(metric, party, region)


def region_in_log(region: str, known: Iterable[str]) -> str | None:
    """The region of the log a user names: a region the log holds (in any case), else the canonical name of an
    alias ('Kursk oblast' -> 'Kursk') as `add` reads it, when the log holds that; None otherwise."""
    names = {r.casefold(): r for r in known}
    if region.casefold() in names:
        return names[region.casefold()]
    canon = vocabulary().region(region)
    return names.get(canon.casefold()) if canon is not None else None


def _listing(items: list[str]) -> str:
    return ", ".join(items) if items else "none: the log holds no claims yet"


def _empty_note(basis: Basis, filters: Filters, earliest: dt.date | None) -> str:
    what = "No claim" if filters == Filters() else "No claim matching the filters"
    known = "" if basis.known_at is None else f" reported by {basis.known_at.isoformat()}"
    if earliest is None:
        return (f"{what}{known} that still counts (not retracted, replaced or rejected) is in the first"
                f" {basis.position} events of the log: the state is empty.")
    return (f"{what}{known} is dated on or before {basis.as_of.isoformat()} (the earliest is dated "
            f"{earliest.isoformat()}): the state is empty.")
