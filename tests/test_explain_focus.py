"""explain reads only the events behind a value; its answer is the one the whole log gives."""

from __future__ import annotations

import pytest

from timeline import Timeline
from timeline.explain import explain_ref, explain_series
from timeline.provenance import ledger_of
from timeline.seeds import bundled_seeds


@pytest.fixture(scope="module")
def tl(tmp_path_factory):
    t = Timeline(tmp_path_factory.mktemp("focus") / "log.sqlite")
    t.ingest([bundled_seeds()])
    first = t.claims()[0]["id"]
    t.retract(first, "checking that retractions are read")
    return t


def full(tl: Timeline, as_of: str):
    n = tl.store.head()
    return tl.parts.provenance._provenance(as_of, None, n, ledger_of(tl.store.read(1, n)))


@pytest.mark.parametrize("as_of", ["2024-08-27", "2024-11-10", "2024-11-23"])
def test_every_series_explains_as_from_the_whole_log(tl, as_of):
    prov = full(tl, as_of)
    values = list(prov.state.values) + list(prov.derived)
    assert values
    for v in values:
        assert tl.explain(v.metric, v.party, v.region, as_of=as_of) == explain_series(prov, v.metric, v.party, v.region)


def test_ids_explain_as_from_the_whole_log(tl):
    from projections.derive import value_id

    prov = full(tl, "2024-11-23")
    for v in list(prov.state.values)[:6] + list(prov.derived):
        assert tl.explain(ref=value_id(v)[:10], as_of="2024-11-23") == explain_ref(prov, value_id(v)[:10])
    for cid in list(prov.state.values)[0].claims:
        assert tl.explain(ref=cid[:8], as_of="2024-11-23") == explain_ref(prov, cid[:8])
