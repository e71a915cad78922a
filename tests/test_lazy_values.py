"""A state's values are built when first read, and are then what they would have been when asked."""

from __future__ import annotations

import pickle

from projections.state import LazyValues
from tests.builders import article, claim, day
from timeline import Timeline


def test_lazy_values_read_as_the_tuple_they_stand_for():
    built = []

    def build():
        built.append(1)
        return [3, 1, 2]

    lazy = LazyValues(build, 3)
    assert len(lazy) == 3 and bool(lazy) and not built  # the length is known without building
    assert lazy == (3, 1, 2) and (3, 1, 2) == lazy and lazy == LazyValues(lambda: (3, 1, 2), 3)
    assert lazy[0] == 3 and lazy[1:] == (1, 2) and list(lazy) == [3, 1, 2] and sorted(lazy) == [1, 2, 3]
    assert lazy + (4,) == (3, 1, 2, 4) and (0,) + lazy == (0, 3, 1, 2)
    assert hash(lazy) == hash((3, 1, 2)) and pickle.loads(pickle.dumps(lazy)) == (3, 1, 2)
    assert built == [1]  # built once, whatever reads it


def test_values_read_after_the_log_grew_are_those_of_the_basis(tmp_path):
    a = article("a.txt", day(3))
    with Timeline(tmp_path / "log.sqlite", index="memory") as tl:
        tl.store.append([a, claim(a, "troops.deployed", "RU", 100, as_of=day(1)),
                         claim(a, "troops.deployed", "UA", 50, as_of=day(1))])
        tl.load_index()
        early = tl.asof(day(5))
        b = article("b.txt", day(4))
        tl.store.append([b, claim(b, "troops.deployed", "RU", 300, as_of=day(2)),
                         claim(b, "troops.deployed", "KP", 7, as_of=day(2))])
        later = tl.asof(day(5))  # the index is refreshed with the new claims before `early` is read
        again = tl.asof(day(5), position=early.basis.position)
        assert [(v.party, v.value) for v in later.values] == [("KP", 7), ("RU", 300), ("UA", 50)]
        assert early.values == again.values
        assert [(v.party, v.value) for v in early.values] == [("RU", 100), ("UA", 50)]
