"""A snapshot: the log as of one basis (valid date, report cut-off, log position), as XTDB's db(node, basis).

`Timeline.at(as_of, known_at=None, position=None)` fixes the basis once; the
snapshot then answers every question at it: its values (reported and
derived, exactly what `timeline asof` prints), one series' values, an
explanation, the checks, the provenance graph, and the diff against another
snapshot. Values are computed when first asked for, so a snapshot that is
only asked about one series (`value_of`) never builds the rest.
"""

from __future__ import annotations

from typing import Any

from attrs import field, frozen

from projections.state import Basis, State, Value
from projections.series import Filters


@frozen
class Explanation:
    """The tree from a value (or a claim) back to its quoted sentences (timeline.explain)."""

    tree: dict[str, Any]

    def to_data(self) -> dict[str, Any]:
        return self.tree


@frozen
class ProvenanceGraph:
    """The provenance graph of a snapshot: article -> claim -> value -> derived value (timeline.graph)."""

    digraph: Any  # a networkx DiGraph

    def to_data(self) -> dict[str, Any]:
        """networkx's node-link data, the edges under "links" (what `timeline graph --format json` writes)."""
        from timeline.formats.graph import to_node_link

        return to_node_link(self.digraph)

    def counts(self) -> dict[str, Any]:
        from timeline.graph import counts

        return counts(self.digraph)


@frozen
class Snapshot:
    """Every answer at one basis. Build it with Timeline.at(...)."""

    timeline: Any = field(eq=False, repr=False)
    basis: Basis
    filters: Filters = Filters()
    _cache: dict[str, Any] = field(factory=dict, eq=False, repr=False)

    def _get(self, key: str, make: Any) -> Any:
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    @property
    def state(self) -> State:
        """The reported values only (no derived ones), as diffs and the provenance graph read them."""
        b, f = self.basis, self.filters
        return self._get("state", lambda: self.timeline.asof(b.as_of, b.known_at, b.position, metric=f.metric,
                                                               party=f.party, region=f.region, reviewed=b.reviewed))

    @property
    def shown(self) -> State:
        """The state with its derived values after the reported ones: what `timeline asof` prints."""
        from projections.derive import with_derived

        return self._get("shown", lambda: with_derived(self.state))

    @property
    def values(self) -> tuple[Any, ...]:
        """Reported and derived values, in the order `timeline asof` prints them."""
        return self.shown.values

    def value_of(self, metric: str, party: str, region: str | None = None, shape: str = "level") -> tuple[Any, ...]:
        """The values (reported, then derived) of one series, computed for that series alone."""
        from projections.derive import with_derived

        if "shown" in self._cache:
            found = self.shown.values
        else:
            one = self.timeline.at(self.basis.as_of, self.basis.known_at, self.basis.position, metric=metric,
                                   party=party, region=region, reviewed=self.basis.reviewed)
            found = with_derived(one.state).values
        key = (metric, party.casefold(), (region or "").casefold(), shape)
        return tuple(v for v in found if (v.metric, v.party.casefold(), (v.region or "").casefold(), v.shape) == key)

    def chosen(self) -> dict[tuple, str]:
        """The chosen claim id of every series, by (metric, party, region, shape): the state's choice without
        building its values (on the memory index, milliseconds for thousands of series)."""
        if "state" in self._cache:
            return {v.key: v.claims[0] for v in self.state.values}
        return self.timeline.read_model.chosen(self.basis, self.filters)

    def to_data(self) -> dict[str, Any]:
        """What `timeline asof --format json` prints."""
        return self.shown.to_data()

    def diff(self, other: "Snapshot") -> Any:
        """What changed from this snapshot to `other`, series by series (projections.diff.Diff)."""
        from projections.diff import diff

        return diff(self.state, other.state)

    def explain(self, metric: str | None = None, party: str | None = None, region: str | None = None, *,
                ref: str | None = None) -> Explanation:
        """A series (metric, party, region) or a value or claim id, back to the sentences that carry it."""
        b = self.basis
        return Explanation(self.timeline.explain(metric, party, region, ref=ref, as_of=b.as_of,
                                                 known_at=b.known_at, position=b.position))

    def check(self) -> Any:
        """The consistency findings at this basis (timeline.checks.Report)."""
        b = self.basis
        return self.timeline.check(b.as_of, b.known_at, b.position)

    def history(self, metric: str, party: str | None = None, region: str | None = None, *,
                start: Any = None) -> Any:
        """The claims of the matching series valid by this snapshot's date, as reported by its known-at and
        appended by its position, with the value chosen at each date (projections.history.History)."""
        b = self.basis
        return self.timeline.history(metric, party, region, known_at=b.known_at, start=start, end=b.as_of,
                                     position=b.position)

    def graph(self) -> ProvenanceGraph:
        b = self.basis
        return ProvenanceGraph(self.timeline.graph(b.as_of, b.known_at, b.position))


__all__ = ["Explanation", "ProvenanceGraph", "Snapshot", "Value"]
