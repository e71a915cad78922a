"""Model-based properties of the state: three ways to compute it agree, diffs are exact, append order of
independent articles does not matter."""

from __future__ import annotations

import itertools
import shutil
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule

from events.model import ArticleMetadataCorrected, ClaimRetracted
from events.sqlite_store import SQLiteStore
from events.store import MemoryStore
from projections.state import Basis
from projections.diff import apply, diff, inverse
from projections.fold import fold
from projections.memory import MemoryIndex
from projections import readmodel
from projections.readmodel import projectors
from timeline import Timeline
from timeline.checks import run_checks
from timeline.provenance import assemble
from tests.builders import asserted, claim, correction, review
from tests.strategies_state import VALUES, articles_with_claims, bases, claim_specs, small_days

REASONS = ["misread", "source withdrew it", "duplicate"]


class StateMachine(RuleBasedStateMachine):
    """Appends articles, claims, retractions, corrections, reviews, claims entered by hand, corrections of articles'
    metadata and duplicates to two SQLite logs.

    One log keeps its read model incrementally; the other is rebuilt from its
    events before every check; the reference fold reads the first log's events;
    an in-memory index of the first log is kept up with it across steps (new
    claims inserted, built again after retractions and corrections). After
    each step, for random (D, K, N), all four states must be identical.
    """

    questions = readmodel  # the read model's questions for the backend under test

    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp())
        self.live = self.open("live")
        self.rebuilt = self.open("rebuilt")
        self.batches: list[list] = []
        self.claims: list = []
        self.articles: list = []
        self.index = MemoryIndex(self.questions)
        self.timeline: Timeline | None = None
        self._instants = itertools.count()

    def open(self, name: str):
        return SQLiteStore(self.dir / f"{name}.sqlite", projectors=projectors())

    def location(self, store) -> str:
        """Where a Timeline opens the log of `store`."""
        return str(store.path)

    def teardown(self) -> None:
        if self.timeline is not None:
            self.timeline.close()
        self.live.close()
        self.rebuilt.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def _append(self, batch: list) -> int:
        a, b = self.live.append(batch), self.rebuilt.append(batch)
        assert [r.id for r in a.appended] == [r.id for r in b.appended]
        assert [r.position for r in a.appended] == [r.position for r in b.appended]
        return len(a.appended)

    def _check(self, data: st.DataObject) -> None:
        self.rebuilt.rebuild()
        for _ in range(3):
            basis = Basis(*data.draw(bases(self.live.head()), label="basis"),
                          reviewed=data.draw(st.booleans(), label="reviewed only"))
            incremental = self.questions.state_at(self.live.conn, basis)
            rebuilt = self.questions.state_at(self.rebuilt.conn, basis)
            reference = fold(self.live.read(), basis)
            memory = self.index.state(self.live.conn, basis)
            assert incremental.to_data() == reference.to_data()
            assert rebuilt.to_data() == reference.to_data()
            assert memory.to_data() == reference.to_data()
            assert incremental == rebuilt == reference == memory
        self._check_findings(data)

    def _check_findings(self, data: st.DataObject) -> None:
        """`check` read from the read model gives the report of the checks run over the log's ledger."""
        d, k, n = data.draw(bases(self.live.head()), label="check basis")
        as_of = None if data.draw(st.booleans(), label="latest date") else d
        if self.timeline is None:
            self.timeline = Timeline(self.location(self.live), create=False)
        from_model = self.timeline.check(as_of, k, n)
        from_log = run_checks(assemble(self.live.read(1, n), from_model.basis))
        assert from_model.to_data() == from_log.to_data()

    @rule(item=articles_with_claims(), data=st.data())
    def ingest(self, item, data) -> None:
        art, claims = item
        assert self._append([art, *claims]) == 1 + len(claims)
        self.batches.append([art, *claims])
        self.articles.append(art)
        self.claims.extend(claims)
        self._check(data)

    @precondition(lambda self: self.articles)
    @rule(data=st.data(), specs=st.lists(claim_specs(), min_size=1, max_size=3), published=st.none() | small_days)
    def late_claims(self, data, specs, published) -> None:
        art = data.draw(st.sampled_from(self.articles), label="article")
        claims = [claim(art, **spec, published=published) for spec in specs]
        self._append(claims)
        self.claims.extend(claims)
        self._check(data)

    @precondition(lambda self: self.batches)
    @rule(data=st.data())
    def duplicate_article(self, data) -> None:
        batch = data.draw(st.sampled_from(self.batches), label="duplicate")
        assert self._append(batch) == 0
        self._check(data)

    @precondition(lambda self: self.claims)
    @rule(data=st.data(), reason=st.sampled_from(REASONS), unknown=st.booleans())
    def retract(self, data, reason, unknown) -> None:
        target = data.draw(st.sampled_from(self.claims), label="target").claim_id
        self._append([ClaimRetracted("0" * 64 if unknown else target, reason)])
        self._check(data)

    @rule(item=articles_with_claims(), data=st.data())
    def retract_before_ingest(self, item, data) -> None:
        """A retraction imported ahead of its claim still retracts it when the claim arrives."""
        art, claims = item
        if claims:
            target = data.draw(st.sampled_from(claims), label="ahead")
            self._append([ClaimRetracted(target.claim_id, "withdrawn in advance")])
        self._append([art, *claims])
        self.batches.append([art, *claims])
        self.articles.append(art)
        self.claims.extend(claims)
        self._check(data)

    @precondition(lambda self: self.claims)
    @rule(data=st.data(), value=st.sampled_from(VALUES + [None]), published=st.none() | small_days)
    def correct(self, data, value, published) -> None:
        target = data.draw(st.sampled_from(self.claims), label="target")
        if value is None:
            fix = correction(target, "revised", adjustment=data.draw(st.integers(-5, 5), label="adjustment"))
        else:
            fix = correction(target, "corrected", replacement_value=value, published=published,
                             reviewer=data.draw(st.sampled_from([None, "Ann Reviewer"]), label="reviewer"))
        self._append([fix])
        self._check(data)

    @precondition(lambda self: self.claims)
    @rule(data=st.data(), verdicts=st.lists(st.sampled_from(["confirmed", "rejected"]), min_size=1, max_size=3),
          unknown=st.booleans())
    def review(self, data, verdicts, unknown) -> None:
        """Verdicts on a claim, one after another (a rejection taken back, a confirmation withdrawn)."""
        target = "1" * 64 if unknown else data.draw(st.sampled_from(self.claims), label="target").claim_id
        for verdict in verdicts:
            assert self._append([review(target, verdict, note=verdict)]) == 1
        self._check(data)

    @precondition(lambda self: self.articles)
    @rule(data=st.data(), published=st.none() | small_days, outlet=st.sampled_from([None, "Wire", "Daily"]),
          title=st.sampled_from([None, "A title"]))
    def correct_article(self, data, published, outlet, title) -> None:
        """An article's metadata corrected: its claims' report dates and outlets follow from here on."""
        if published is None and outlet is None and title is None:
            published = data.draw(small_days, label="published")
        art = data.draw(st.sampled_from(self.articles), label="article")
        at = f"2026-01-01T00:00:{next(self._instants):02d}Z"
        assert self._append([ArticleMetadataCorrected(art.article_id, "Ann Reviewer", at, "fixed", outlet=outlet,
                                                      title=title, published=published)]) == 1
        self._check(data)

    @rule(data=st.data(), spec=claim_specs(), published=st.none() | small_days, in_article=st.booleans())
    def assert_claim(self, data, spec, published, in_article) -> None:
        """A claim a person enters, read in an ingested article or at a URL."""
        art = data.draw(st.sampled_from(self.articles), label="article") if in_article and self.articles else None
        entered = asserted(**spec, art=art, published=published)
        if self._append([entered]):  # the same claim entered twice from one source is one claim
            self.claims.append(entered)
        self._check(data)


StateMachine.TestCase.settings = settings(
    max_examples=min(settings.default.max_examples, 30), stateful_step_count=8, deadline=None
)
test_state_machine = StateMachine.TestCase


def _log(batches, retracted=()) -> list:
    store = MemoryStore()
    for art, claims in batches:
        store.append([art, *claims])
    claims = [c for _, cs in batches for c in cs]
    store.append([ClaimRetracted(claims[i % len(claims)].claim_id, "withdrawn") for i in retracted] if claims else [])
    return list(store.read())


@given(batches=st.lists(articles_with_claims(), max_size=6), retracted=st.lists(st.integers(0, 30), max_size=3),
       a=small_days, b=small_days, k=st.none() | small_days)
def test_diff_is_exact(batches, retracted, a, b, k):
    log = _log(batches, retracted)
    sa, sb = fold(log, Basis(a, k, len(log))), fold(log, Basis(b, k, len(log)))
    assert diff(sa, sa).changes == ()
    d = diff(sa, sb)
    assert apply(sa.values, d) == sb.values
    assert diff(sb, sa) == inverse(d)
    for c in d.changes:
        assert c.before != c.after
        if c.change is not None:
            assert c.before.value + c.change == c.after.value


@given(batches=st.lists(articles_with_claims(), min_size=1, max_size=6), data=st.data(), d=small_days,
       k=st.none() | small_days)
def test_append_order_of_independent_articles_changes_no_state(batches, data, d, k):
    order = data.draw(st.permutations(range(len(batches))), label="order")
    log1, log2 = _log(batches), _log([batches[i] for i in order])
    assert fold(log1, Basis(d, k, len(log1))) == fold(log2, Basis(d, k, len(log2)))
