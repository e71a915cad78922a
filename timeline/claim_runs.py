"""The claim nodes of a large graph drawn on every core.

A claim drawn from its row (timeline.claim_nodes) is a pure function of the
row and of what the graph knows before its claims go by (the values, the
ledger's retractions and reviews, the series, profiles and articles), so the
rows of a large SQLite log can be read and drawn by worker processes, each a
range of log positions, and put back in log order: the text is the one a
single process writes, byte for byte. The workers are forked once the parent
holds all that, so nothing is sent to them; each reads the log through a
connection of its own. Its read tables up to the basis position are the same
in every state folded that far (they only grow, and `retired`, the one column
updated, is not read), so a worker's rows are the parent's snapshot's. For
node-link JSON a worker reads most claims' text as the read model keeps it
(timeline.claim_texts) rather than drawing it from the row.

A worker hands its range back as its text in a slot of memory it shares with
the parent (a file when the text is larger; a pipe is slower for this much
text) and a list of what the text holds, in log order:

- a DrawnRun for each stretch of claims from sources the range drew before,
  their nodes' text and report edges made in the worker;
- a DrawnClaim for a range's first claim from a source, which the parent
  draws with its source if no earlier range drew it;
- the row itself for a claim entered whole (timeline.provenance enters it).
"""

from __future__ import annotations

import mmap
import os
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from attrs import frozen

from events.store import gc_paused
from events.workers import cores, die_with, fork_context
from timeline import claim_texts
from timeline.errors import TimelineError
from timeline.formats.graph_stream import join_nodes, report_edges
from timeline.graph import DrawnClaim, DrawnRun, ReportRun

MIN_POSITIONS = 100_000  # a basis position below this is drawn by one process: forking costs more than it saves
SPAN = 25_000  # log positions a worker reads at a time (about 25 MB of node-link JSON)
AHEAD = 2  # ranges in flight per worker: every core busy, a few ranges' text in memory
SLOT = 32 << 20  # bytes of shared memory for a range's text; a range with more goes to a file

# A range's contents as a worker lists them, each with the length of its text (in its slot, or its file).
RUN, FIRST, ROW = "run", "first", "row"

# What spread's caller gives for a range: (the position the range starts after, its items in log order).
Spread = Callable[[Any, Any, Any, frozenset, Sequence[int]], Iterator[tuple[int, list]]]


@frozen
class _Job:
    """What every worker of one graph draws with, inherited when the workers are forked."""

    uri: str
    questions: Any  # the read model's module of questions (projections.readmodel)
    position: int
    known_at: int | None
    as_of: int
    fmt: str
    graph: Any  # the parent's GraphRows: names by key
    draw: Any  # the Drawer (timeline.claim_nodes.drawer)
    ledger: Any
    entered: frozenset
    slots: Any  # shared memory (mmap), a SLOT for each range in flight and the one being written out


_JOB: _Job | None = None  # the job of the workers being forked
# In a worker: its job, connection, drawer and (for node-link JSON from a read model that keeps it:
# timeline.claim_texts) its reader of kept texts, made for its first range.
_WORKER: tuple[_Job, Any, Any, Any] | None = None


def spreader(store: Any, read_model: Any, basis: Any, fmt: str, workers: int | None = None) -> Spread | None:
    """How timeline.provenance.ledger_stream_from_read_model spreads a graph's claims over worker processes, or
    None when one process draws them: a log not in a SQLite file, a basis below MIN_POSITIONS, one core."""
    workers = workers or cores()
    if (workers < 2 or basis.position < MIN_POSITIONS or not hasattr(store, "read_uri")
            or not hasattr(read_model.questions, "graphed_rows_after")):
        return None
    known = None if basis.known_at is None else basis.known_at.toordinal()

    def spread(g: Any, draw: Any, ledger: Any, entered: frozenset, cuts: Sequence[int]) -> Iterator[tuple[int, list]]:
        global _JOB
        n = basis.position
        bounds = sorted({0, n, *range(0, n, SPAN), *(c for c in cuts if 0 <= c < n)})
        # A range's slot is used again only once the range is written out: at most workers * AHEAD ranges are in
        # flight while one is written out (spread's caller is done with a range when it asks for the next).
        count = workers * AHEAD + 1
        # Shared with the workers forked below; unmapped when the last view of it is let go, not closed here (a
        # caller may still hold the last range's views).
        slots = mmap.mmap(-1, count * SLOT)
        _JOB = _Job(store.read_uri(), read_model.questions, n, known, basis.as_of.toordinal(), fmt, g, draw, ledger,
                    entered, slots)
        pool = ProcessPoolExecutor(workers, mp_context=fork_context(), initializer=die_with, initargs=(os.getpid(),))
        pending: deque = deque()
        try:
            for i, (after, upto) in enumerate(zip(bounds, bounds[1:])):
                pending.append((after, pool.submit(_draw_range, after, upto, i % count)))
                if len(pending) >= workers * AHEAD:
                    yield _taken(*pending.popleft())
            while pending:
                yield _taken(*pending.popleft())
        except BrokenProcessPool:
            raise TimelineError("a process drawing the graph ended before its work was done") from None
        finally:
            _JOB = None
            pool.shutdown(wait=True, cancel_futures=True)
            for _, future in pending:  # ranges drawn but not taken (an error came first): their files, if any
                if future.done() and not future.cancelled() and future.exception() is None:
                    where = future.result()[0]
                    if type(where) is str:
                        Path(where).unlink(missing_ok=True)

    return spread


def _taken(after: int, future: Any) -> tuple[int, list]:
    """A range's items, from the list and the text its worker made (in its slot, or a file): runs' nodes as views
    of the text's bytes, written as they are; the report edges (kept until the links are written) copied out."""
    where, listed = future.result()
    if type(where) is tuple:
        slot, size = where
        data = memoryview(_JOB.slots)[slot * SLOT:slot * SLOT + size]  # type: ignore[union-attr]
    else:
        with open(where, "rb") as f:  # mapped, not read: the runs go from the file's pages to the output
            data = memoryview(mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)) if os.fstat(f.fileno()).st_size else b""
        os.unlink(where)
    items: list = []
    at = 0
    edges_at = sum(entry[1] for entry in listed if entry[0] != ROW)  # the report edges follow every node
    for entry in listed:
        kind = entry[0]
        if kind == ROW:
            items.append(entry[1])
        elif kind == FIRST:
            _, size, node, source = entry
            items.append(tuple.__new__(DrawnClaim, (node, str(data[at:at + size], "utf-8"), source)))
            at += size
        else:
            _, size, count, reports = entry
            runs = []
            for source, length, edges in reports:
                runs.append((source, ReportRun(bytes(data[edges_at:edges_at + length]), edges)))
                edges_at += length
            items.append(DrawnRun(data[at:at + size], count, tuple(runs)))
            at += size
    return after, items


class _Out:
    """Where a worker writes a range's text: its slot of the shared memory, or a file once the slot is full."""

    def __init__(self, job: _Job, slot: int) -> None:
        self.job, self.slot, self.size = job, slot, 0
        self.file: Any = None
        self.path = ""

    def write(self, data: bytes) -> None:
        if self.file is None:
            start = self.slot * SLOT + self.size
            if self.size + len(data) <= SLOT:
                self.job.slots[start:start + len(data)] = data
                self.size += len(data)
                return
            fd, self.path = tempfile.mkstemp(prefix="timeline-graph-")  # the parent removes it once read
            self.file = open(fd, "wb")
            self.file.write(self.job.slots[self.slot * SLOT:start])
        self.file.write(data)

    def writelines(self, lines: Iterable[bytes]) -> None:
        for data in lines:
            self.write(data)

    def discard(self) -> None:
        """Remove the file, if the slot was too small for the text."""
        if self.file is not None:
            self.file.close()
            Path(self.path).unlink(missing_ok=True)

    def where(self) -> tuple[int, int] | str:
        """The slot and the size of the text in it, or the file that holds it."""
        if self.file is None:
            return self.slot, self.size
        self.file.close()
        return self.path


def _draw_range(after: int, upto: int, slot: int) -> tuple[tuple[int, int] | str, list]:
    """In a worker: the claims of positions after..upto, drawn, in its slot (or a file) and a list (see the
    module's doc)."""
    global _WORKER
    job = _JOB
    if job is None:
        raise TimelineError("internal error: a graph worker started without its job")
    q = job.questions
    if _WORKER is None or _WORKER[0] is not job:  # this worker's first range: its connection and drawer, kept
        conn = q.reader(job.uri)
        g = job.graph.reading(lambda key: q.detail(conn, key), ())
        texts = None
        if job.fmt == "json" and hasattr(q, "graphed_nodes_after"):
            texts = claim_texts.drawing(job.draw, g, job.ledger, job.entered)
        _WORKER = (job, conn, job.draw(g, job.ledger), texts)
    _, conn, quick, texts = _WORKER
    entered, meta = job.entered, list(job.graph.meta)

    def whole(at: int) -> Iterator[Any]:
        """The claim at a position whose kept text is not read (none kept, or the graph names the claim)."""
        return _drawn_here(q.graphed_rows_after(conn, at - 1, at, job.known_at, job.as_of, meta), quick, entered)

    with q.read_transaction(conn), gc_paused():  # millions of rows and texts, no cycle among them
        if q.folded_to(conn) < job.position:
            raise TimelineError("the log's read tables changed while the graph was drawn; run the command again")
        if texts is not None:
            items: Iterable[Any] = texts(q.graphed_nodes_after(conn, after, upto, job.known_at, job.as_of, meta), whole)
        else:
            rows = q.graphed_rows_after(conn, after, upto, job.known_at, job.as_of, meta)
            items = _drawn_here(rows, quick, entered)
        out = _Out(job, slot)
        try:
            listed = _drawn(items, job.fmt, out)
        except BaseException:
            out.discard()
            raise
    return out.where(), listed


_BATCH = 256  # nodes' texts encoded and written at once: a few hundred kilobytes, the memory used again and again


def _drawn_here(rows: Iterable[tuple], quick: Callable[[tuple], Any], entered: frozenset) -> Iterator[Any]:
    """The rows not entered already, each drawn (a DrawnClaim) or as it is (to be entered whole)."""
    for raw in rows:
        if raw[1] not in entered:
            drawn = quick(raw)
            yield raw if drawn is None else drawn


def _drawn(items: Iterable[Any], fmt: str, f: Any) -> list:
    """The list of a range's claims (see the module's doc), each a DrawnClaim or a row to enter whole, their
    nodes' text written to `f` (UTF-8) as they come, then their report edges' text."""
    edges: list[bytes] = []
    listed: list = []
    seen: set[str] = set()  # the sources a claim of this range came from
    batch: list[str] = []
    run = [0, 0]  # the open run's size in bytes, and its claims
    reports: dict[str, list[str]] = {}  # the open run's claims by source

    def spill() -> None:
        if batch:
            data = join_nodes(fmt, batch, after=run[0] > 0).encode()
            f.write(data)
            run[0] += len(data)
            batch.clear()

    def close() -> None:
        spill()
        if not run[1]:
            return
        made = []
        for source, targets in reports.items():
            edge = report_edges(fmt, source, targets).encode()
            edges.append(edge)
            made.append((source, len(edge), len(targets)))
        listed.append((RUN, run[0], run[1], tuple(made)))
        run[0] = run[1] = 0
        reports.clear()

    for item in items:
        if type(item) is not DrawnClaim:
            close()
            listed.append((ROW, item))
            continue
        node, text, source = item
        if source is None or source in seen:
            batch.append(text)
            run[1] += 1
            if len(batch) >= _BATCH:
                spill()
            if source is not None:
                targets = reports.get(source)
                if targets is None:
                    reports[source] = [node]
                else:
                    targets.append(node)
        else:
            seen.add(source)
            close()
            data = text.encode()
            f.write(data)
            listed.append((FIRST, len(data), node, source))
    close()
    f.writelines(edges)
    return listed


__all__ = ["MIN_POSITIONS", "SPAN", "Spread", "spreader"]
