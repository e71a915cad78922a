"""Provenance questions: explain, check, graph (methods of Timeline).

The read models answer "what is the value"; provenance needs what they do not
keep: the article texts (to quote the sentence around a span), the dataset
rows behind tally claims, and every retraction and correction. So these
questions read the log itself into a `Ledger`, a plain in-memory index built
by a pure function, and pair it with the state the read models give at the
same log position.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Union

from attrs import frozen

from events.model import (
    ASSERTED_RULE,
    ArticleIngested,
    Claim,
    ClaimAsserted,
    ClaimCorrected,
    ClaimReported,
    ClaimRetracted,
    ClaimReviewed,
    Evidence,
    Recorded,
    Source,
)
from events.digest import loads
from projections.basis import Basis, State
from projections.review import Standing, standing
from projections.series import ClaimRow, date_or_none, metric_matches, ordinal
from timeline.errors import TimelineError

MIN_PREFIX = 6
Number = Union[int, float]


@frozen
class Row:
    """A claim as provenance reads it: projections.series.ClaimRow with its dates as dates and its quote.

    Built from the fold's walk (Row.of), never from a walk of its own: the
    dates are converted at this edge, for checks, explanations and the graph.
    """

    claim_id: str
    position: int
    metric: str
    party: str
    region: str | None
    shape: str
    valid: dt.date | None
    report: dt.date | None
    value: Number
    low: Number | None
    high: Number | None
    qualifier: str
    unit: str
    claimant: str | None
    outlet: str | None
    modality: str
    article_id: str | None
    source: str | None  # the article's file name, or the dataset file of a dataset row
    as_of: dt.date | None
    since: dt.date | None
    period_start: dt.date | None
    period_end: dt.date | None
    quote: str | None
    rule: str | None

    @property
    def key(self) -> tuple:
        return (self.metric, self.party, self.region, self.shape)

    @property
    def figure(self) -> tuple:
        """The same figure as the projections mean it: the number and its unit (projections.series)."""
        return (self.value, self.unit)

    @classmethod
    def of(cls, r: ClaimRow, quote: str | None) -> "Row":
        """The dated view of a projections row (day ordinals turned into dates) with its quote."""
        d = date_or_none
        return cls(r.claim_id, r.position, r.metric, r.party, r.region, r.shape, d(r.valid), d(r.report), r.value,
                   r.low, r.high, r.qualifier, r.unit, r.claimant, r.outlet, r.modality, r.article_id, r.source,
                   d(r.as_of), d(r.since), d(r.period_start), d(r.period_end), quote, r.rule)

    @property
    def claim_row(self) -> ClaimRow:
        """Back to the projections row, for the rules that read it (admission, the tie order)."""
        o = ordinal
        return ClaimRow(self.metric, self.party, self.region, self.shape, self.claim_id, self.position, o(self.valid),
                        o(self.report), self.value, self.low, self.high, self.qualifier, self.unit, self.claimant,
                        self.outlet, self.modality, self.article_id, self.source, o(self.as_of), o(self.since),
                        o(self.period_start), o(self.period_end), self.rule)


@frozen
class ArticleEntry:
    """An ingested article and the log position it entered at."""

    position: int
    article: ArticleIngested


@frozen
class ClaimEntry:
    """A claim as the projections see it (`row`), with the evidence and rule it was read by."""

    row: Row
    evidence: Evidence | None
    rule: str | None
    replaces: str | None = None  # the claim a correction's replacement stands in for
    source: Source | None = None  # where a person read a claim they entered (ClaimAsserted)
    claim: ClaimRow | None = None  # the projections row `row` is the dated view of

    @property
    def claim_id(self) -> str:
        return self.row.claim_id


@frozen
class Retraction:
    position: int
    event_id: str
    claim_id: str
    reason: str


@frozen
class Correction:
    position: int
    event_id: str
    claim_id: str
    reason: str
    adjustment: float | int | None
    replacement: bool


@frozen
class Review:
    """A person's mark on a claim (projections.review): who, when (UTC), and why."""

    position: int
    claim_id: str
    mark: str  # confirmed | rejected | asserted | corrected
    reviewer: str
    at: str
    note: str | None = None


@frozen
class Ledger:
    """The first `position` events of a log, indexed for provenance questions."""

    position: int
    articles: dict[str, ArticleEntry]
    claims: dict[str, ClaimEntry]
    retired: dict[str, int]
    retractions: tuple[Retraction, ...]
    corrections: tuple[Correction, ...]
    reviews: tuple[Review, ...] = ()

    def standing(self, position: int) -> Standing:
        return standing(((r.position, r.claim_id, r.mark) for r in self.reviews), position)

    def admitted(self, basis: Basis) -> list[ClaimEntry]:
        """The claims a basis admits (appended and not retired by N, reported by K, not denied, not rejected, and
        reviewed if the basis asks for that), any valid date."""
        st = self.standing(basis.position)
        return [e for e in self.claims.values()
                if basis.admits(e.claim or e.row.claim_row, self.retired.get(e.claim_id))
                and st.admits(e.claim_id, basis.reviewed)]

    def reviews_of(self, claim_id: str) -> list[Review]:
        return [r for r in self.reviews if r.claim_id == claim_id]

    def source_of(self, entry: ClaimEntry) -> str | None:
        """The article file or dataset file a claim was read from."""
        return entry.row.source

    def resolve(self, prefix: str) -> str:
        """The one claim id starting with `prefix`; TimelineError when none or several."""
        p = prefix.strip().lower()
        if p.startswith("claim:"):
            p = p[len("claim:"):]
        found = sorted(c for c in self.claims if c.startswith(p))
        if not found:
            raise TimelineError(f"no claim or value has an id starting with {prefix!r} (see `timeline claims --format json`)")
        if len(found) > 1:
            raise TimelineError(f"id {prefix!r} is ambiguous: {', '.join(f[:12] for f in found[:3])}"
                                f"{', ...' if len(found) > 3 else ''}; give more characters")
        return found[0]


def ledger_of(records: Iterable[Recorded]) -> Ledger:
    """Index a log (in position order): pure, so tests can build one from events they construct.

    The claims, and the positions that retire them, are projections.fold's
    walk: the rules that retract and replace claims live there alone.
    """
    from projections.fold import walk

    records = list(records)
    events = [(r.position, r.id, r.event) for r in records]
    at = {r.position: r.recorded_at for r in records}
    w = walk(events)
    reviews: list[Review] = []
    articles: dict[str, ArticleEntry] = {}
    read: dict[str, tuple[Evidence | None, Source | None]] = {}  # claim id -> what it was read from
    retractions: list[Retraction] = []
    corrections: list[Correction] = []
    last = 0
    for position, event_id, ev in events:
        last = max(last, position)
        if isinstance(ev, ArticleIngested):
            articles.setdefault(ev.article_id, ArticleEntry(position, ev))
        elif isinstance(ev, ClaimReported):
            read.setdefault(ev.claim_id, (ev.evidence, None))
        elif isinstance(ev, ClaimAsserted):
            if ev.claim_id not in read:
                read[ev.claim_id] = (Evidence(ev.quote or "", ev.source.article_id), ev.source)
                reviews.append(Review(position, ev.claim_id, "asserted", ev.reviewer, at[position]))
        elif isinstance(ev, ClaimReviewed):
            reviews.append(Review(position, ev.claim_id, ev.verdict, ev.reviewer, ev.at, ev.note or None))
        elif isinstance(ev, ClaimRetracted):
            retractions.append(Retraction(position, event_id, ev.claim_id, ev.reason))
        elif isinstance(ev, ClaimCorrected):
            corrections.append(Correction(position, event_id, ev.claim_id, ev.reason, ev.adjustment,
                                          ev.replacement is not None))
            if ev.replacement is not None and event_id not in read:
                read[event_id] = (read.get(ev.claim_id, (None, None))[0], None)
                if ev.reviewer is not None:
                    reviews.append(Review(position, event_id, "corrected", ev.reviewer, at[position], ev.reason))
    claims: dict[str, ClaimEntry] = {}
    for cid, claim_row in w.rows.items():
        evidence, source = read.get(cid, (None, None))
        claims[cid] = ClaimEntry(Row.of(claim_row, evidence.quote if evidence else None), evidence, claim_row.rule,
                                 w.replaces.get(cid), source=source, claim=claim_row)
    return Ledger(last, articles, claims, dict(w.retired), tuple(retractions), tuple(corrections), tuple(reviews))


def admits(basis: Basis, row: Row, retired: int | None) -> bool:
    """The projections' admission rule (Basis.admits), asked of a dated row."""
    return basis.admits(row.claim_row, retired)


@frozen
class Provenance:
    """Everything a provenance answer is computed from: one basis, its state, its derived values, the log."""

    basis: Basis
    state: State
    derived: tuple[Any, ...]
    ledger: Ledger


def assemble(records: Iterable[Recorded], basis: Basis, state: State | None = None) -> Provenance:
    """A Provenance from a log: the state is the given one, or the reference fold's at `basis`."""
    from projections.derive import derive
    from projections.fold import fold

    rows = [r for r in records if r.position <= basis.position]
    if state is None:
        state = fold(rows, basis)
    return Provenance(basis, state, derive(state), ledger_of(rows))


def latest_valid(ledger: Ledger) -> dt.date | None:
    dates = [e.row.valid for e in ledger.claims.values() if e.row.valid is not None]
    return max(dates) if dates else None


class ProvenanceQueries:
    """Mixed into Timeline; uses `self.store` and the state queries."""

    store: Any

    def provenance(self, as_of: Any = None, known_at: Any = None, position: int | None = None) -> Provenance:
        """The state at a basis with its derived values and the whole log behind it.

        `as_of` defaults to the latest valid date in the log, so that the
        answer does not change with the day it is asked on.
        """
        n = self._basis_position(position)
        ledger = ledger_of(self.store.read(1, n))
        return self._provenance(as_of, known_at, n, ledger)

    def _basis_position(self, position: int | None) -> int:
        head = self.store.head()
        if position is not None and (position < 0 or position > head):
            raise TimelineError(f"position {position} is beyond the log: it holds {head} events (use 0..{head})",
                                param="position")
        return head if position is None else position

    def _provenance(self, as_of: Any, known_at: Any, n: int, ledger: Ledger | None) -> Provenance:
        from projections.derive import derive
        from timeline.state import parse_date, parse_known_at

        if as_of is None:
            assert ledger is not None
            date = latest_valid(ledger) or dt.date.today()
        else:
            date = parse_date(as_of)
        basis = Basis(date, parse_known_at(known_at), n)
        state = self.asof(date, known_at, n)  # type: ignore[attr-defined]
        return Provenance(basis, state, derive(state), ledger if ledger is not None else ledger_of(()))

    def _focused(self, prov: Provenance, ids: Iterable[str]) -> Provenance:
        """The provenance with a ledger of only the events behind `ids`: explain need not read a whole log."""
        store, n = self.store, prov.basis.position
        wanted = {p for p in (store.position_of(i) for i in ids) if p is not None and p <= n}
        records = {r.position: r for p in wanted for r in store.read(p, p)}
        more: set[str] = set()
        for r in records.values():
            data = r.data if r.data is not None else loads(r.payload)
            if r.type == "ClaimCorrected":
                more.add(data["claim_id"])
            evidence = data.get("evidence") or data.get("source") or {}
            if evidence.get("article_id"):
                more.add(evidence["article_id"])
        for p in (store.position_of(i) for i in more):
            if p is not None and p <= n and p not in records:
                records.update((r.position, r) for r in store.read(p, p))
        for r in records.values():
            if r.type == "ClaimCorrected":
                target = loads(r.payload)["claim_id"]
                evidence = self._article_of(target, n)
                if evidence is not None and evidence not in records:
                    records.update((x.position, x) for x in store.read(evidence, evidence))
        claim_ids = {r.id for r in records.values() if r.type in ("ClaimReported", "ClaimAsserted", "ClaimCorrected")}
        for p in self.read_model.review_positions(claim_ids):
            if p <= n and p not in records:
                records.update((r.position, r) for r in store.read(p, p))
        ledger = ledger_of(records[p] for p in sorted(records))
        return Provenance(prov.basis, prov.state, prov.derived, ledger)

    def _article_of(self, claim_id: str, n: int) -> int | None:
        p = self.store.position_of(claim_id)
        if p is None or p > n:
            return None
        row = next(self.store.read(p, p))
        article = (loads(row.payload).get("evidence") or {}).get("article_id")
        return self.store.position_of(article) if article else None

    def graph(self, as_of: Any = None, known_at: Any = None, position: int | None = None) -> Any:
        """The provenance graph (a networkx DiGraph) at a basis."""
        from timeline.graph import build_graph

        return build_graph(self.provenance(as_of, known_at, position))

    def explain(
        self,
        metric: str | None = None,
        party: str | None = None,
        region: str | None = None,
        *,
        ref: str | None = None,
        as_of: Any = None,
        known_at: Any = None,
        position: int | None = None,
    ) -> dict[str, Any]:
        """The tree from a value (a series, or a value or claim id) back to its quoted sentences."""
        from timeline.explain import explain_ref, explain_series

        if ref is None and (metric is None or party is None):
            raise TimelineError("explain needs METRIC PARTY REGION, or one value or claim id")
        n = self._basis_position(position)
        if as_of is not None:
            # Only the events behind the values in question are read: explain stays fast on a large log.
            prov = self._provenance(as_of, known_at, n, None)
            ids = _ids_behind(prov, metric, party, region, ref, self.read_model)
            if ids is not None:
                focused = self._focused(prov, ids)
                return explain_ref(focused, ref) if ref is not None else explain_series(focused, metric, party, region)
        prov = self._provenance(as_of, known_at, n, ledger_of(self.store.read(1, n)))
        if ref is not None:
            return explain_ref(prov, ref)
        return explain_series(prov, metric, party, region)

    def check(self, as_of: Any = None, known_at: Any = None, position: int | None = None) -> Any:
        """Consistency findings over the claims the basis admits."""
        from timeline.checks import run_checks

        return run_checks(self.provenance(as_of, known_at, position))


def _ids_behind(prov: Provenance, metric: str | None, party: str | None, region: str | None, ref: str | None,
                read_model: Any) -> set[str] | None:
    """The event ids an explanation reads, or None when it needs the whole log (no value to start from)."""
    from projections.derive import value_id

    values = list(prov.state.values) + list(prov.derived)
    if ref is not None:
        p = ref.strip().lower().rpartition(":")[2]
        found = [v for v in values if value_id(v).startswith(p)]
        claims = read_model.claim_ids(p, 3, prov.basis.position)
        if len(found) + len(claims) != 1:
            return None  # unknown or ambiguous: the full path says which
        if claims:
            hits = [v for v in prov.state.values if claims[0] in v.claims or any(c.claim_id == claims[0] for c in v.competing)]
            return {claims[0]} | _behind(hits)
    else:
        found = [v for v in values if series_matches(metric or "", party or "", region, v.key)]
    return _behind(found) if found else None


def _behind(values: Iterable[Any]) -> set[str]:
    ids: set[str] = set()
    for v in values:
        ids.update(v.claims)
        ids.update(c.claim_id for c in getattr(v, "competing", ()))
        ids.update(a.correction_id for a in getattr(v, "adjustments", ()))
        ids.update(_behind(getattr(v, "inputs", ())))
    return ids


def series_matches(metric: str, party: str, region: str | None, key: tuple) -> bool:
    """Whether a series key is the one a user named (case-insensitive party and region; '-' for no region)."""
    m, p, r, _ = key
    want_region = None if region in (None, "-", "") else region.casefold()
    return m == metric and p.casefold() == party.casefold() and (r.casefold() if r else None) == want_region


__all__ = ["Ledger", "ClaimEntry", "ArticleEntry", "Provenance", "ProvenanceQueries", "assemble", "ledger_of",
           "metric_matches", "series_matches"]
