"""Provenance questions: explain, check, graph, asked of the log (a Store) and the state beside it.

The types they are built from (the Ledger, Provenance) live in
timeline.provenance; the modules that answer them (timeline.explain,
timeline.checks, timeline.graph) build on those types, and this module calls
them, so that none of them imports another in a circle.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from events.digest import loads
from events.store import Store
from projections.state import Basis
from projections.questions import ReadModel
from timeline.dates import parse_date, parse_known_at
from timeline.errors import TimelineError
from timeline.provenance import Ledger, Provenance, latest_valid, ledger_of, series_matches
from timeline.state_questions import StateQuestions, region_in_log


class ProvenanceQuestions:
    """The questions that read the log behind the state: the events a value rests on, back to their articles."""

    def __init__(self, store: Store, read_model: ReadModel, states: StateQuestions) -> None:
        self.store = store
        self.read_model = read_model
        self.states = states

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

        if as_of is None:
            assert ledger is not None
            date = latest_valid(ledger) or dt.date.today()
        else:
            date = parse_date(as_of)
        basis = Basis(date, parse_known_at(known_at), n)
        state = self.states.asof(date, known_at, n)
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
        articles = {r.id for r in records.values() if r.type == "ArticleIngested"}
        for p in self.read_model.correction_positions(articles, n) if articles else ():  # their metadata at n
            if p not in records:
                records.update((r.position, r) for r in store.read(p, p))
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

    def _read_basis(self, as_of: Any, known_at: Any, position: int | None) -> Provenance:
        """The state at the basis asked (`as_of` by default the latest valid date), inside a read-model snapshot."""
        n = self._basis_position(position)
        if as_of is None:
            as_of = self.read_model.latest_valid(n) or dt.date.today()
        return self._provenance(as_of, known_at, n, None)

    def graph(self, as_of: Any = None, known_at: Any = None, position: int | None = None) -> Any:
        """The provenance graph (a networkx DiGraph) at a basis, read from the read model in one snapshot (the log
        is not decoded: build_graph over the log's ledger gives the same graph)."""
        from timeline.graph import build_graph
        from timeline.provenance import ledger_from_read_model

        rm = self.read_model
        with rm.snapshot():
            prov = self._read_basis(as_of, known_at, position)
            ledger = ledger_from_read_model(rm, prov.basis)
        return build_graph(Provenance(prov.basis, prov.state, prov.derived, ledger))

    def write_graph(self, write: Callable[[str], Any], fmt: str = "json", as_of: Any = None, known_at: Any = None,
                    position: int | None = None) -> dict[str, int]:
        """Write the provenance graph at a basis through `write` (text in chunks) in `fmt`, "json" (node-link) or
        "dot", as `graph` and timeline.formats.graph would write it, without holding it: the claims stream from
        the read model to the text (timeline.formats.graph_stream), drawn by a worker process for each core on a
        large SQLite log (timeline.claim_runs), whose text `write` is then given as UTF-8 bytes (a memoryview).
        Returns the number of nodes and edges."""
        from timeline.claim_nodes import drawer
        from timeline.claim_runs import spreader
        from timeline.formats.graph_stream import write_graph
        from timeline.graph import graph_attrs, graph_items
        from timeline.provenance import ledger_stream_from_read_model

        rm = self.read_model
        with rm.snapshot():
            prov = self._read_basis(as_of, known_at, position)
            ledger, claims = ledger_stream_from_read_model(rm, prov.basis, drawer(prov.state.values, fmt),
                                                           spreader(self.store, rm, prov.basis, fmt))
            items = graph_items(Provenance(prov.basis, prov.state, prov.derived, ledger), claims)
            return write_graph(items, graph_attrs(prov.basis), fmt, write)

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
        if region not in (None, "-", ""):
            region = region_in_log(region, self.read_model.known_values()["region"]) or region  # an alias, as add reads it
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
        """Consistency findings over the claims the basis admits, read from the read model in one snapshot
        (the log is not decoded: timeline.checks.run_checks over the log's ledger gives the same report). The
        claims are read in one pass by series and date, and only those a check needs are read whole
        (timeline.checks.checks_at_scale)."""
        from timeline.checks import check_quotes, checks_at_scale, window_series

        rm = self.read_model
        with rm.snapshot():
            prov = self._read_basis(as_of, known_at, position)
            n = prov.basis.position
            corrected: dict[str, list[str]] = {}
            for claim_id, reason in rm.corrections_by(n):
                corrected.setdefault(claim_id, []).append(reason)
            corrected_at: dict[int, list[str]] = {}
            for claim_id, reasons in corrected.items():
                p = self.store.position_of(claim_id)
                if p is not None and p <= n:
                    corrected_at[p] = reasons

            def quotes(recheck: dict[int, Any]) -> Any:
                evidence = rm.evidence(recheck) if recheck else {}
                texts = rm.article_texts({e[3] for e in evidence.values() if e[3] is not None}, n)
                return check_quotes([(recheck[p], quote, (s, t), *texts[aid])
                                     for p, (quote, s, t, aid, _) in sorted(evidence.items())
                                     if s is not None and aid in texts])

            keys, profile, rows, followed = rm.checked_rows(prov.basis, window_series)
            return checks_at_scale(prov.basis, keys, profile, rows, followed, rm.claim_rows_at, rm.claim_ids_at,
                                   rm.claim_bounds_at, corrected_at, prov.derived, quotes)


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
