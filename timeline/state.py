"""Questions about the state as of a date: asof, diff, diff_known, retract (methods of Timeline).

Every answer is computed from the read models in one read snapshot of the log,
and carries its basis (as-of date, known-at cut-off, log position), so that
`asof(D, known_at=K, position=N)` repeats it exactly later.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from attrs import evolve

from events.model import ClaimRetracted
from projections.basis import Basis, State
from projections.series import Filters, metric_matches
from timeline.errors import TimelineError

if TYPE_CHECKING:
    from projections.diff import Diff
    from timeline.snapshot import Snapshot

DateLike = Any  # a date, a datetime, an ISO string, or anything with .date() (a pandas Timestamp)
MIN_PREFIX = 6


def parse_date(value: DateLike, what: str = "date", param: str | None = None) -> dt.date:
    """A date from a date, a datetime (its day), anything with .date() (a pandas Timestamp) or an ISO
    string (a date, or a date and time); a TimelineError that says what is valid otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) and callable(getattr(value, "date", None)):
        day = value.date()
        if isinstance(day, dt.date):
            return day
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        raise TimelineError(f"{what} {value!r} is not a valid date (expected YYYY-MM-DD, e.g. 2024-11-23)",
                            param=param) from None


def parse_known_at(value: DateLike | None) -> dt.date | None:
    """None or 'latest' mean the whole log; otherwise a report-time cut-off date."""
    if value is None or (isinstance(value, str) and value.strip().lower() == "latest"):
        return None
    try:
        return parse_date(value, "known_at")
    except TimelineError:
        raise TimelineError(f"known_at {value!r} is not a date (expected YYYY-MM-DD or 'latest')",
                            param="known_at") from None


class StateQueries:
    """Mixed into Timeline; asks `self.read_model` (projections.questions.ReadModel) and appends to `self.store`."""

    store: Any
    read_model: Any

    # -- the state -----------------------------------------------------------

    def at(
        self,
        as_of: DateLike,
        known_at: DateLike | None = None,
        position: int | None = None,
        *,
        metric: str | None = None,
        party: str | None = None,
        region: str | None = None,
        reviewed: bool = False,
    ) -> "Snapshot":
        """The log as of one basis: valid date `as_of`, report cut-off `known_at` (None or 'latest': every
        report), the first `position` events (None: all). Dates: a date, a datetime, an ISO string or
        anything with .date(). The snapshot answers values, explain, check, graph and diff at that basis."""
        from timeline.snapshot import Snapshot

        date = parse_date(as_of)
        known = parse_known_at(known_at)
        with self.read_model.snapshot() as rm:
            basis = Basis(date, known, self._position(rm, position), reviewed)
            filters = self._filters(rm, metric, party, region)
        return Snapshot(self, basis, filters)

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
            basis = Basis(date, known, self._position(rm, position), reviewed)
            filters = self._filters(rm, metric, party, region)
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
            n = self._position(rm, position)
            filters = self._filters(rm, metric, party, region)
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
            n = self._position(rm, position)
            filters = self._filters(rm, metric, party, region)
            return diff(rm.state(Basis(date, k1, n, reviewed), filters),
                        rm.state(Basis(date, k2, n, reviewed), filters))

    # -- corrections ---------------------------------------------------------

    def retract(self, claim_id: str, reason: str) -> dict[str, Any]:
        """Append a ClaimRetracted for the claim whose id is (or starts with) `claim_id`."""
        reason = (reason or "").strip()
        if not reason:
            raise TimelineError("a retraction needs a reason", param="reason")
        full = self.resolve_claim(claim_id)
        done = self.read_model.retraction(full)
        if done is not None:
            raise TimelineError(f"claim {full[:12]} is already retracted (position {done[0]}: {done[1]})")
        result = self.store.append([ClaimRetracted(full, reason)])
        position = result.appended[0].position if result.appended else self.store.head()
        return {"claim_id": full, "position": position, "reason": reason}

    def resolve_claim(self, prefix: str) -> str:
        """The full id of the one claim whose id starts with `prefix` (at least 6 characters)."""
        p = prefix.strip().lower()
        if len(p) < MIN_PREFIX:
            raise TimelineError(f"claim id {prefix!r} is too short: give the id or a prefix of at least {MIN_PREFIX} characters")
        found = self.read_model.claim_ids(p)
        if not found:
            raise TimelineError(f"no claim has an id starting with {p!r} (see `timeline claims --format json`)")
        if len(found) > 1:
            shown = ", ".join(f[:12] for f in found[:2])
            raise TimelineError(f"claim id {p!r} is ambiguous: it starts {shown}{', ...' if len(found) > 2 else ''}; give more characters")
        return found[0]

    # -- helpers -------------------------------------------------------------

    def _position(self, rm: Any, position: int | None) -> int:
        head = rm.head()
        if position is None:
            return head
        if position < 0 or position > head:
            raise TimelineError(f"position {position} is beyond the log: it holds {head} events (use 0..{head})",
                                param="position")
        return position

    def _filters(self, rm: Any, metric: str | None, party: str | None, region: str | None) -> Filters:
        if metric is None and party is None and region is None:
            return Filters()
        known = rm.known_values()
        if metric is not None and not any(metric_matches(metric, m) for m in known["metric"]):
            raise TimelineError(f"no metric in the log matches {metric!r} (metrics: {_listing(known['metric'])})")
        if party is not None and party.casefold() not in {p.casefold() for p in known["party"]}:
            raise TimelineError(f"unknown party {party!r} (parties in the log: {_listing(known['party'])})")
        if region is not None and region.casefold() not in {r.casefold() for r in known["region"]}:
            raise TimelineError(f"unknown region {region!r} (regions in the log: {_listing(known['region'])})")
        return Filters(metric, party, region)


def _listing(items: list[str]) -> str:
    return ", ".join(items) if items else "none: the log holds no claims yet"


def _empty_note(basis: Basis, filters: Filters, earliest: dt.date | None) -> str:
    what = "No claim" if filters == Filters() else "No claim matching the filters"
    known = "" if basis.known_at is None else f" reported by {basis.known_at.isoformat()}"
    if earliest is None:
        return f"{what}{known} is in the first {basis.position} events of the log: the state is empty."
    return (f"{what}{known} is dated on or before {basis.as_of.isoformat()} (the earliest is dated "
            f"{earliest.isoformat()}): the state is empty.")
