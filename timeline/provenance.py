"""What the provenance questions (explain, check, graph: timeline.provenance_questions) read: the Ledger.

The read models answer "what is the value"; provenance needs what they do not
keep: the article texts (to quote the sentence around a span), the dataset
rows behind tally claims, and every retraction and correction. So these
questions read the log itself into a `Ledger`, a plain in-memory index built
by a pure function, and pair it with the state the read models give at the
same log position.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple, Union

from attrs import evolve, frozen

from events.envelope import Recorded
from events.model import (
    ArticleIngested,
    ClaimAsserted,
    ClaimCorrected,
    ClaimReported,
    ClaimRetracted,
    ClaimReviewed,
    Evidence,
    Source,
)
from projections.state import Basis, State
from projections.review import Standing, standing
from projections.series import ISO_DAYS, ClaimRow, date_or_none, metric_matches, ordinal
from timeline.errors import TimelineError

Number = Union[int, float]
Drawer = Callable[[Any, "Ledger"], Callable[[tuple], Any]]


class Row(NamedTuple):
    """A claim as provenance reads it: projections.series.ClaimRow with its dates as dates and its quote.

    Built from the fold's walk or the read model's rows (Row.of), never from a walk of its own: the dates are
    converted at this edge, for checks, explanations and the graph. A named tuple, as `check` builds one per
    claim it reads (a million on a large log), and a tuple is made many times faster than an attrs instance.
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
        d = _DATES
        return tuple.__new__(cls, (r[4], r[5], r[0], r[1], r[2], r[3], d[r[6]], d[r[7]], r[8], r[9], r[10], r[11],
                                   r[12], r[13], r[14], r[15], r[16], r[17], d[r[18]], d[r[19]], d[r[20]], d[r[21]],
                                   quote, r[22]))

    @property
    def claim_row(self) -> ClaimRow:
        """Back to the projections row, for the rules that read it (admission, the tie order)."""
        o = ordinal
        return ClaimRow(self.metric, self.party, self.region, self.shape, self.claim_id, self.position, o(self.valid),
                        o(self.report), self.value, self.low, self.high, self.qualifier, self.unit, self.claimant,
                        self.outlet, self.modality, self.article_id, self.source, o(self.as_of), o(self.since),
                        o(self.period_start), o(self.period_end), self.rule)


class _Dates(dict):
    """Day ordinal -> date, each made once; None -> None."""

    def __missing__(self, day: int) -> dt.date:
        date = self[day] = dt.date.fromordinal(day)
        return date


_DATES = _Dates({None: None})


_ISO = ISO_DAYS


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
            raise TimelineError(f"no claim or value has an id starting with {prefix!r}", param="claim_id")
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
    meta = w.meta_at(last)
    for aid, m in meta.items():  # the articles as their metadata stands at the ledger's position
        if aid in articles:
            entry = articles[aid]
            articles[aid] = ArticleEntry(entry.position, evolve(entry.article, outlet=m.outlet, title=m.title, url=m.url,
                                                                published=m.published,
                                                                published_origin=m.published_origin or "unknown"))
    claims: dict[str, ClaimEntry] = {}
    for cid, claim_row in w.rows_at(last).items():
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


def series_matches(metric: str, party: str, region: str | None, key: tuple) -> bool:
    """Whether a series key is the one a user named (case-insensitive party and region; '-' for no region)."""
    m, p, r, _ = key
    want_region = None if region in (None, "-", "") else region.casefold()
    return m == metric and p.casefold() == party.casefold() and (r.casefold() if r else None) == want_region




def ledger_from_read_model(read_model: Any, basis: Basis) -> Ledger:
    """The Ledger that graph reads (timeline.graph.build_graph), from the read tables: the claims appended by
    the basis position that its known-at and date let into the graph, the claims they replace, the articles, the
    retractions, corrections and reviews. ledger_of over the log gives the same graph; this decodes no event.
    Call inside the read model's `snapshot()`."""
    ledger, claims = ledger_stream_from_read_model(read_model, basis)
    return evolve(ledger, claims={e.claim_id: e for e in claims})


def ledger_stream_from_read_model(read_model: Any, basis: Basis, draw: Drawer | None = None,
                                  spread: Any = None) -> tuple[Ledger, Iterator[Any]]:
    """ledger_from_read_model's Ledger without its claims, and its claims as a stream in the Ledger's order (for
    a graph too large to hold: timeline.graph.graph_items). The Ledger's `claims` hold the claims corrections
    replace, each entered as the stream passes it. Iterate inside the read model's `snapshot()`.

    `draw`, given the rows (projections.graph_rows) and the Ledger, makes what the stream yields in place of a
    ClaimEntry for a row it can draw straight away (timeline.claim_nodes), or None for a row to enter whole:
    entering a million claims costs more than drawing them. `spread` (timeline.claim_runs.spreader), given with
    `draw`, has the rows read and drawn by other processes and gives them back in order, as DrawnRuns,
    DrawnClaims and the rows to enter whole."""
    from events.codec import converter
    from events.digest import loads

    n = basis.position
    known = None if basis.known_at is None else basis.known_at.toordinal()
    targets = set(read_model.replaced_by(n))
    early: dict[str, tuple] = {}
    wanted = set(targets)
    while wanted:  # the claims replaced, and those their replacements replace in turn
        found = list(read_model.graphed_claims(n, None, -1, wanted))
        early.update((r[0].claim_id, r) for r in found)
        wanted = {r[1] for r in found if r[1] is not None} - set(early)
    read: dict[str, Evidence | None] = {}  # the evidence of the replaced claims, for their replacements
    replaced: dict[str, ClaimEntry] = {}

    def enter(row: ClaimRow, replaces: str | None, kind: str, data: Any) -> ClaimEntry:
        source = None
        if kind == "ClaimReported":
            span = data.get("span")
            if len(data) == 3 and span is not None and len(span) == 2 and "article_id" in data:  # most claims
                evidence = Evidence(data["quote"], data["article_id"], (span[0], span[1]))
            else:
                evidence = converter.structure(data, Evidence)
        elif kind == "ClaimAsserted":
            source = converter.structure(data["source"], Source)
            evidence = Evidence(data.get("quote") or "", source.article_id)
        else:
            evidence = read.get(replaces) if replaces else None  # type: ignore[arg-type]
        if row.claim_id in targets:
            read[row.claim_id] = evidence
        entry = ClaimEntry(Row.of(row, evidence.quote if evidence else None), evidence, row.rule, replaces,
                           source=source, claim=row)
        if row.claim_id in early:
            replaced[row.claim_id] = entry
        return entry

    def claims() -> Iterator[Any]:
        g = read_model.graph_rows(n, known, basis.as_of.toordinal())
        quick = draw(g, ledger) if draw is not None else lambda raw: None
        pending = sorted(early.values(), key=lambda r: r[0].position)
        entered = {bytes.fromhex(c) for c in early}  # the rows' ids are bytes
        i = 0

        def entered_whole(raw: tuple) -> ClaimEntry | None:
            item = g.claim(raw, known)
            if item is None:
                return None
            data = item[3]
            return enter(*item[:3], loads(data) if isinstance(data, (str, bytes)) else data)

        if spread is not None and draw is not None:
            # A pending claim comes before the first row at or after its position: a range starts there.
            for after, items in spread(g, draw, ledger, frozenset(entered), [r[0].position - 1 for r in pending]):
                while i < len(pending) and pending[i][0].position <= after + 1:
                    yield enter(*pending[i])
                    i += 1
                for item in items:
                    if type(item) is tuple:  # a row to enter whole
                        entry = entered_whole(item)
                        if entry is not None:
                            yield entry
                    else:
                        yield item
            for item in pending[i:]:
                yield enter(*item)
            return
        due = pending[0][0].position if pending else None  # the position of the next pending claim
        for raw in g.rows:
            if due is not None and due <= raw[2]:
                while i < len(pending) and pending[i][0].position <= raw[2]:
                    yield enter(*pending[i])
                    i += 1
                due = pending[i][0].position if i < len(pending) else None
            if raw[1] in entered:
                continue
            drawn = quick(raw)
            if drawn is not None:
                yield drawn
                continue
            entry = entered_whole(raw)
            if entry is not None:
                yield entry
        for item in pending[i:]:
            yield enter(*item)

    articles = {}
    corrected = read_model.corrected_articles(n)
    for position, aid, file, outlet, title, url, published, origin in read_model.articles_by(n):
        art = ArticleIngested(aid, file, "", None if published is None else dt.date.fromisoformat(published),
                              origin, outlet, title, url)
        m = corrected.get(aid)
        if m is not None:  # the article as its metadata stands at the basis position
            art = evolve(art, outlet=m.outlet, title=m.title, url=m.url, published=m.published,
                         published_origin=m.published_origin or "unknown")
        articles.setdefault(aid, ArticleEntry(position, art))
    retracts, corrects, marks = read_model.amendments_by(n)
    retired: dict[str, int] = {}
    for position, _, claim_id, _ in retracts:
        retired[claim_id] = min(retired.get(claim_id, position), position)
    for position, _, claim_id, _, _, replaced_ in corrects:
        if replaced_:
            retired[claim_id] = min(retired.get(claim_id, position), position)
    reviews = tuple(Review(p, c, m, who, at, (note or None) if m in ("confirmed", "rejected") else note)
                    for p, c, m, who, at, note in marks)
    ledger = Ledger(n, articles, replaced, retired, tuple(Retraction(*r) for r in retracts),
                    tuple(Correction(*c) for c in corrects), reviews)
    return ledger, claims()


__all__ = ["Ledger", "ClaimEntry", "ArticleEntry", "Provenance", "assemble", "ledger_of", "ledger_from_read_model",
           "ledger_stream_from_read_model",
           "metric_matches", "series_matches"]
