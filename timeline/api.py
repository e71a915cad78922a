"""The Python API: everything the CLI does, as calls that return data.

Example:
    >>> from timeline import Timeline
    >>> tl = Timeline("claims.sqlite")
    >>> tl.ingest(["seeds/"]).claims_appended
    ...
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from attrs import frozen

from events.chain import VerifyReport
from events.envelope import Recorded
from events.store import Store
from projections.questions import ReadModel
from projections.reader import INDEX_MODES
from timeline.backends import Backend, open_backend, open_store
from timeline.errors import TimelineError
from timeline.state_questions import StateQuestions

if TYPE_CHECKING:
    from events.model import ClaimReported
    from projections.history import History
    from timeline.articles import ArticleDesk
    from timeline.dates import DateLike
    from timeline.provenance_questions import ProvenanceQuestions
    from timeline.review import ReviewDesk
    from timeline.snapshot import Snapshot

DEFAULT_LOG = "timeline.sqlite"


@frozen
class FileResult:
    file: str
    status: str  # new | present | error | skipped (not an article: a folder's manifest given among its files)
    claims: int = 0
    message: str | None = None
    warnings: tuple[str, ...] = ()


@frozen
class IngestReport:
    files: tuple[FileResult, ...]

    @property
    def new(self) -> int:
        return sum(f.status == "new" for f in self.files)

    @property
    def present(self) -> int:
        return sum(f.status == "present" for f in self.files)

    @property
    def errors(self) -> tuple[FileResult, ...]:
        return tuple(f for f in self.files if f.status == "error")

    @property
    def claims_appended(self) -> int:
        return sum(f.claims for f in self.files)

    def to_data(self) -> dict[str, Any]:
        return {
            "articles_new": self.new,
            "articles_present": self.present,
            "claims_appended": self.claims_appended,
            "errors": len(self.errors),
            "files": [
                {"file": f.file, "status": f.status, "claims": f.claims, "message": f.message, "warnings": list(f.warnings)}
                for f in self.files
            ],
        }


@frozen
class ImportReport:
    appended: int
    skipped: int
    unmatched: int = 0  # amendments appended for claims the log does not hold (yet): a correction file alone


def _first_write(method: Callable) -> Callable:
    """A write that, when it fails (an exception, or an ingest with errors), removes the log it created,
    if that log holds nothing: a failed import or ingest into a new log leaves no empty log file behind."""
    @functools.wraps(method)
    def wrapper(self: "Timeline", *args: Any, **kwargs: Any) -> Any:
        try:
            result = method(self, *args, **kwargs)
        except BaseException:
            self._discard_if_new()
            raise
        if getattr(result, "errors", None):
            self._discard_if_new()
        return result

    return wrapper


class Parts:
    """What a Timeline is composed of over one opened log: each part asks the Store and the ReadModel protocols.

    The state questions are made with the parts; provenance, review and articles when first asked for, so that
    a command that asks one state question imports none of their modules."""

    def __init__(self, backend: Backend, resume_file: Path) -> None:
        self.backend = backend
        self.states = StateQuestions(backend.read_model)
        self._resume_file = resume_file

    @classmethod
    def over(cls, backend: Backend, resume_file: Path) -> "Parts":
        return cls(backend, resume_file)

    @functools.cached_property
    def provenance(self) -> "ProvenanceQuestions":
        from timeline.provenance_questions import ProvenanceQuestions

        return ProvenanceQuestions(self.backend.store, self.backend.read_model, self.states)

    @functools.cached_property
    def review(self) -> "ReviewDesk":
        from timeline.review import ReviewDesk

        return ReviewDesk(self.backend.store, self.backend.read_model, self.states, self.provenance, self._resume_file)

    @functools.cached_property
    def articles(self) -> "ArticleDesk":
        from timeline.articles import ArticleDesk

        return ArticleDesk(self.backend.store, self.backend.read_model)


class _Asks:
    """A Timeline method answered by one of its parts, with that part's signature and docstring; the part's
    class ("module:Class.method") is imported when the method is first looked up, not with Timeline."""

    def __init__(self, part: str, where: str) -> None:
        self.part = part
        self.module, _, self.qualname = where.partition(":")
        self._ask: Callable | None = None

    def _function(self) -> Callable:
        if self._ask is None:
            import importlib

            cls_name, name = self.qualname.split(".")
            self._ask = _asks(self.part, getattr(getattr(importlib.import_module(self.module), cls_name), name))
        return self._ask

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        return self._function().__get__(obj, owner)


def _asks(part: str, method: Callable) -> Any:
    """A Timeline method answered by one of its parts, with that part's signature and docstring."""

    @functools.wraps(method)
    def ask(self: "Timeline", *args: Any, **kwargs: Any) -> Any:
        return getattr(getattr(self.parts, part), method.__name__)(*args, **kwargs)

    return ask


class Timeline:
    """One event log and the questions it can answer: the log verbs here, the questions answered by its parts
    (the state, provenance and review, over the log's Store and ReadModel)."""

    def __init__(self, path: str | os.PathLike | None = None, *, create: bool = True, index: str = "auto") -> None:
        """Open (or, with `create`, make) the log at `path`: an SQLite file, or a PostgreSQL URL
        (`postgresql://user@host:port/db`, whose schema `timeline init-db` made).

        `index` chooses how states are computed: "sql" (read models only),
        "memory" (an in-memory index, loaded once), or "auto" (SQL for the
        first question, the index from the second): projections.reader.
        """
        from events.pg_store import is_url

        self.path: Any = path if is_url(path) else Path(path if path is not None else DEFAULT_LOG)
        self._create = create
        self._backend: Backend | None = None
        self._parts: Parts | None = None
        self.index = index

    @property
    def index(self) -> str:
        return self._index

    @index.setter
    def index(self, mode: str) -> None:
        if mode not in INDEX_MODES:
            raise TimelineError(f"index {mode!r} is not one of {', '.join(INDEX_MODES)}")
        self._index = mode
        if self._backend is not None:
            self._backend.read_model.index = mode  # type: ignore[attr-defined]

    @property
    def backend(self) -> Backend:
        """The log's store and read model, opened on first use."""
        if self._backend is None:
            self._backend = open_backend(self.path, create=self._create, index=self._index)
        return self._backend

    @property
    def parts(self) -> Parts:
        """The parts that answer the questions, over the log (opened on first use)."""
        backend = self.backend
        if self._parts is None or self._parts.backend is not backend:
            self._parts = Parts.over(backend, self._resume_file())
        return self._parts

    def _resume_file(self) -> Path:
        """Where each reviewer's place in the review queue is remembered: beside an SQLite log, else here."""
        from timeline.outfile import REVIEW_PLACES

        if isinstance(self.path, Path):
            return self.path.with_name(self.path.name + REVIEW_PLACES)
        return Path.cwd() / ".timeline-review.json"

    @property
    def store(self) -> Store:
        """The log: an SQLiteStore, or a PostgresStore for a postgresql:// URL."""
        return self.backend.store

    @property
    def read_model(self) -> ReadModel:
        """The questions the log's read model answers (projections.questions)."""
        return self.backend.read_model

    def load_index(self) -> Any:
        """Build (or bring up to date) the in-memory index now; returns its load report."""
        return self.read_model.load_index()  # type: ignore[attr-defined]

    def _discard_if_new(self) -> None:
        """After a failed first write: remove the log this Timeline created, if it holds nothing."""
        if self._backend is not None and self._backend.store.discard_if_new():  # type: ignore[attr-defined]
            self._backend = self._parts = None

    def close(self) -> None:
        if self._backend is not None:
            self._backend.close()
            self._backend = self._parts = None

    def __enter__(self) -> "Timeline":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the state at a basis -------------------------------------------------

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

        basis, filters = self.parts.states.basis(as_of, known_at, position, metric=metric, party=party,
                                                 region=region, reviewed=reviewed)
        return Snapshot(self, basis, filters)

    asof = _asks("states", StateQuestions.asof)
    diff = _asks("states", StateQuestions.diff)
    diff_known = _asks("states", StateQuestions.diff_known)
    resolve_claim = _asks("states", StateQuestions.resolve_claim)

    # -- provenance ------------------------------------------------------------

    provenance = _Asks("provenance", "timeline.provenance_questions:ProvenanceQuestions.provenance")
    explain = _Asks("provenance", "timeline.provenance_questions:ProvenanceQuestions.explain")
    check = _Asks("provenance", "timeline.provenance_questions:ProvenanceQuestions.check")
    graph = _Asks("provenance", "timeline.provenance_questions:ProvenanceQuestions.graph")
    write_graph = _Asks("provenance", "timeline.provenance_questions:ProvenanceQuestions.write_graph")

    # -- review ----------------------------------------------------------------

    # -- article metadata ----------------------------------------------------------

    article = _Asks("articles", "timeline.articles:ArticleDesk.article")
    correct_article = _Asks("articles", "timeline.articles:ArticleDesk.correct_article")
    update_metadata = _Asks("articles", "timeline.articles:ArticleDesk.update_metadata")

    review = _Asks("review", "timeline.review:ReviewDesk.review")
    confirm = _Asks("review", "timeline.review:ReviewDesk.confirm")
    reject = _Asks("review", "timeline.review:ReviewDesk.reject")
    correct = _Asks("review", "timeline.review:ReviewDesk.correct")
    add_claim = _Asks("review", "timeline.review:ReviewDesk.add_claim")
    review_queue = _Asks("review", "timeline.review:ReviewDesk.review_queue")
    mark_resume = _Asks("review", "timeline.review:ReviewDesk.mark_resume")
    review_status = _Asks("review", "timeline.review:ReviewDesk.review_status")
    export_queue = _Asks("review", "timeline.review:ReviewDesk.export_queue")
    apply_decisions = _Asks("review", "timeline.review:ReviewDesk.apply_decisions")

    # -- the log -------------------------------------------------------------

    def events(self, start: int = 1, stop: int | None = None) -> Iterator[Recorded]:
        return self.store.read(start, stop)

    def log(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Position, type, id and a one-line summary of each event."""
        from timeline.listings import log_entry

        rows = []
        for row in self.store.read():
            rows.append(log_entry(row))
            if limit is not None and len(rows) >= limit:
                break
        return rows

    def head(self) -> int:
        return self.store.head()

    def verify(self) -> VerifyReport:
        """Walk the hash chain; the first altered or missing event, or a head that is not the last event's.

        A log not yet opened is opened for this alone, without its read models and without the check at
        opening that refuses a log whose head does not match its events, so that the walk names the first
        break rather than that refusal.
        """
        if self._backend is not None or (isinstance(self.path, Path) and not self.path.exists()):
            return self.store.verify()
        store, _ = open_store(self.path, create=False, check_head=False, read_models=False)
        try:
            return store.verify()
        finally:
            store.close()

    def audit(self) -> Any:
        """Fold the log again, apart, and compare every read-model table with the log's (projections.audit).

        A projections.audit.Audit; TimelineError when the events themselves fail verification.
        """
        from events.chain import BrokenChain, refusal

        try:
            return self.read_model.questions.audit(self.store)  # type: ignore[attr-defined]
        except BrokenChain as broken:
            raise TimelineError(f"{self.path}: {refusal(broken.report, 'the read models were not compared')}") from None

    def export(self, out: IO[str]) -> int:
        """Write the log as JSON Lines; a log that fails verification is refused before anything is written."""
        from events.chain import refusal
        from events.jsonl import export_lines

        report = self.verify()
        if not report.ok:
            raise TimelineError(f"{self.path}: {refusal(report, 'nothing was exported')}")
        for line in export_lines(self.store.read(1, report.count)):
            out.write(line)
        return report.count

    @_first_write
    def import_jsonl(self, stream: IO[str], name: str = "input", *, require_end: bool = True) -> ImportReport:
        """Check the whole file, then append what the log lacks, in one transaction.

        `require_end=False` takes an export without its end line (one written before exports had it).
        """
        return self.import_from("jsonl", stream, name=name, require_end=require_end)

    def rebuild(self) -> int:
        return self.store.rebuild()

    def retract(self, claim_id: str, reason: str, reviewer: str | None = None) -> dict[str, Any]:
        """Append a ClaimRetracted for the claim whose id is (or starts with) `claim_id`, naming who withdrew it
        when given."""
        from events.model import ClaimRetracted
        from timeline.review import reviewer_name

        reviewer = reviewer_name(reviewer) if reviewer and reviewer.strip() else None  # optional here
        reason = (reason or "").strip()
        if not reason:
            raise TimelineError("a retraction needs a reason", param="reason")
        full = self.resolve_claim(claim_id)
        done = self.read_model.retraction(full)
        if done is not None:
            raise TimelineError(f"claim {full[:12]} is already retracted (position {done[0]}: {done[1]})")
        result = self.store.append([ClaimRetracted(full, reason, reviewer)])
        position = result.appended[0].position if result.appended else self.store.head()
        return {"claim_id": full, "position": position, "reason": reason, "reviewer": reviewer}

    # -- articles ------------------------------------------------------------

    @_first_write
    def ingest(
        self,
        paths: Iterable[str | os.PathLike],
        *,
        published: Any = None,
        outlet: str | None = None,
        title: str | None = None,
        url: str | None = None,
        progress: Callable[[FileResult, int], None] | None = None,
        workers: int | None = None,
    ) -> IngestReport:
        """Read articles into the log: each article and its claims in one transaction.

        Many articles are read on every core (`workers`, default: the number of
        cores) and appended in the order given, so the log is the same either way.
        `progress(result, total)` is called as each article file is done.
        """
        from events.sources import reader
        from timeline.dates import parse_date

        paths = list(paths)
        if any(not os.fspath(p).strip() for p in paths):
            raise TimelineError("an empty path names no article file or folder")
        if published is not None:
            published = parse_date(published, "published", "published")  # a date, a datetime or ISO text
        store = self.store  # open (or refuse) the log before reading anything
        results = []
        for batch in reader("articles")(paths, seen=store.contains, workers=workers, published=published,
                                        outlet=outlet, title=title, url=url):
            result = self._file_result(batch)
            if progress is not None and batch.of is not None:
                progress(result, batch.of)
            results.append(result)
        return IngestReport(tuple(results))

    def _file_result(self, batch: Any) -> FileResult:
        """One article and its claims appended in one transaction, or why not."""
        if batch.problem is not None:
            return FileResult(batch.name, "error", message=batch.problem)
        if batch.passed_over is not None:
            return FileResult(batch.name, "skipped", message=batch.passed_over)
        if batch.present:
            return FileResult(batch.name, "present")
        result = self.store.append(batch.events)
        if not result.appended:  # another process ingested it meanwhile
            return FileResult(batch.name, "present", warnings=batch.warnings)
        claims = sum(r.type == "ClaimReported" for r in result.appended)
        return FileResult(batch.name, "new", claims=claims, warnings=batch.warnings)

    @_first_write
    def import_tally(self, path: str | os.PathLike) -> ImportReport:
        """Append the General Staff daily tally (a folder or one of its files) in one transaction."""
        return self.import_from("tally", path)

    @_first_write
    def import_from(self, source: str, where: Any, **options: Any) -> ImportReport:
        """Append what a source (a key of events.sources.READERS: "tally", "jsonl", or a new dataset's) reads at
        `where`, each of its batches in one transaction; a source that cannot be read appends nothing."""
        from events.sources import SourceError, reader

        store = self.store  # open (or refuse) the log before reading anything
        appended = skipped = 0
        targets: set[str] = set()  # the claims the appended corrections and retractions name
        try:
            for batch in reader(source)(where, seen=store.contains, **options):
                if batch.problem is not None:
                    raise TimelineError(f"{batch.name}: {batch.problem}")
                result = store.append(batch.events)
                appended, skipped = appended + len(result.appended), skipped + len(result.skipped)
                targets.update(r.event.claim_id for r in result.appended
                               if r.type in ("ClaimCorrected", "ClaimRetracted"))
        except SourceError as err:
            raise TimelineError(str(err), param=err.param) from None
        return ImportReport(appended, skipped, len(targets - store.contains(targets)) if targets else 0)

    # -- series over time ---------------------------------------------------

    def history(self, metric: str, party: str | None = None, region: str | None = None, *, known_at: Any = None,
                start: Any = None, end: Any = None, position: int | None = None, reviewed: bool = False) -> "History":
        """Every claim of the matching series in valid-time order, and the value chosen at each date.

        `known_at` keeps the claims reported by then (what a reader knew),
        `start`/`end` cut the valid dates shown; `reviewed` counts reviewed claims only; `.to_data()`,
        `.to_pandas()`.
        """
        from timeline.history import history_of

        return history_of(self.parts.states, metric, party, region, known_at=known_at, start=start, end=end, position=position,
                          reviewed=reviewed)

    def chart(self, series: str | Iterable[str], path: str | os.PathLike, *, known_at: Any = None,
              start: Any = None, end: Any = None, position: int | None = None, title: str | None = None) -> Path:
        """Draw series (each `metric[:party[:region]]`) into an .svg or .png file (matplotlib); returns its path."""
        from timeline.formats.chart import ChartError, write
        from timeline.history import histories_of

        out = Path(path)
        if out.suffix.lower() not in (".svg", ".png"):
            raise TimelineError(f"{out}: a chart is written as .svg or .png")
        if out.is_dir():
            raise TimelineError(f"{out}: is a directory; give a file name ending in .svg or .png")
        if not out.parent.is_dir():
            raise TimelineError(f"{out.parent}: no such directory")
        h = histories_of(self.parts.states, list([series] if isinstance(series, str) else series), known_at=known_at,
                         start=start, end=end, position=position)
        try:
            return write(h, out, title=title)
        except ChartError as err:
            raise TimelineError(str(err)) from None

    def report(self, path: str | os.PathLike, *, as_of: Any = None, since: Any = None, known_at: Any = None) -> Any:
        """Write the offline HTML report (index, a page per series, changes since `since`, checks, search) into
        the folder `path`; `as_of` defaults to the latest valid date in the log, `since` to 30 days before it."""
        from timeline.formats.report import build

        return build(self, path, as_of=as_of, since=since, known_at=known_at)

    # -- claims --------------------------------------------------------------

    def claims(self, article: str | None = None, metric: str | None = None) -> list[dict[str, Any]]:
        """Every reported claim with its evidence, in log order."""
        from events.model import ArticleIngested, ClaimRetracted
        from projections.metadata import meta_at
        from timeline.listings import claim_entry

        files: dict[str, str] = {}
        reported: list[ClaimReported] = []
        retracted: set[str] = set()
        ingested: dict[str, dict[str, Any]] = {}
        fixes: list[tuple[int, str, dict[str, Any]]] = []
        for row in self.store.read():
            if row.type == "ArticleIngested":
                ev = row.event
                assert isinstance(ev, ArticleIngested)
                files[ev.article_id] = ev.file
                ingested.setdefault(ev.article_id, {"outlet": ev.outlet, "published": ev.published})
            elif row.type == "ArticleMetadataCorrected":
                fix = row.event
                fixes.append((row.position, fix.article_id, fix.changes()))  # type: ignore[union-attr]
            elif row.type == "ClaimReported":
                reported.append(row.event)  # type: ignore[arg-type]
            elif row.type == "ClaimRetracted":
                ev = row.event
                assert isinstance(ev, ClaimRetracted)
                retracted.add(ev.claim_id)
        out = []
        for ev in reported:
            file = files.get(ev.evidence.article_id or "") or (ev.evidence.dataset.file if ev.evidence.dataset else None)
            if article is not None and article not in (file, ev.evidence.article_id):
                continue
            if metric is not None and not _metric_matches(metric, ev.claim.metric):
                continue
            out.append(claim_entry(ev, file, ev.claim_id in retracted))
        if fixes:  # the outlet and report date a claim took from its article follow the article's corrections
            meta = meta_at(ingested, fixes, self.head())
            by_id = {ev.claim_id: ev for ev in reported}
            for c in out:
                m = meta.get(by_id[c["id"]].evidence.article_id or "")
                if m is None:
                    continue
                if c["outlet"] == m.ingested_outlet:
                    c["outlet"] = m.outlet
                if c["published"] == (m.ingested_published.isoformat() if m.ingested_published else None):
                    c["published"] = m.published.isoformat() if m.published else None
        return out


def _metric_matches(pattern: str, metric: str) -> bool:
    """`losses` matches losses and every losses.*; shell wildcards work too."""
    from fnmatch import fnmatchcase

    return metric == pattern or metric.startswith(pattern + ".") or fnmatchcase(metric, pattern)

