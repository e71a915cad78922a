"""Article files and their metadata (a manifest.csv beside them, or options), read into events (`read`).

Problems are collected rather than raised; the caller decides the exit code.
A folder whose manifest has any problem (a row naming no file, or a file
that is not there, even by case; a malformed date; two rows that disagree
about one file; a quote left open, which would take in the rows after it; a
manifest that is not UTF-8, has no `file` column or cannot be read) is not
read at all: its articles would otherwise be stored without their metadata,
and re-ingesting the same bytes after the manifest is fixed appends nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from attrs import evolve, frozen

from events.extract import ArticleMeta
from events.files import kind
from events.sources import Batch, Seen

MANIFEST = "manifest.csv"
ARTICLE_SUFFIXES = frozenset({".txt", ".text", ".md"})


@frozen
class Source:
    """One article file to read, with what its manifest row or the options say of it."""

    path: Path
    meta: ArticleMeta = ArticleMeta()


@frozen
class Problem:
    """A file that cannot be read, and why, in one line."""

    file: str
    message: str


def parse_date(text: str) -> dt.date:
    """An ISO date (YYYY-MM-DD); ValueError with a readable message otherwise."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"malformed date {text.strip()!r} (expected YYYY-MM-DD)") from None


@frozen
class Manifest:
    """Usable rows by file name, and the names whose rows were rejected (never read)."""

    rows: dict[str, Source]
    rejected: frozenset[str]
    problems: tuple[Problem, ...]
    unusable: bool = False  # the manifest as a whole could not be read


def read_manifest(folder: Path) -> Manifest:
    """The manifest rows of a folder; rows that cannot be used are problems.

    A manifest that cannot be read whole (not UTF-8, no `file` column,
    unreadable) is one problem, with `unusable` set.
    """
    path = folder / MANIFEST
    rows: dict[str, Source] = {}
    rejected: set[str] = set()
    problems: list[Problem] = []
    if not path.is_file():
        if path.is_symlink() or path.exists():
            return Manifest(rows, frozenset(), (Problem(str(path), "the manifest is not a readable file"),), unusable=True)
        return Manifest(rows, frozenset(), ())
    try:
        text = _manifest_text(path)
    except ValueError as err:
        return Manifest(rows, frozenset(), (Problem(str(path), str(err)),), unusable=True)
    try:
        records = _records(text)
        header = next(records, (1, []))[1]
        if "file" not in header:
            columns = ", ".join(c for c in header if c) or "none"
            return Manifest(rows, frozenset(), (Problem(str(path), f"manifest has no 'file' column (its columns: {columns})"),),
                            unusable=True)
        present = {p.name for p in folder.iterdir()}
        folded = {name.casefold(): name for name in present}
        first: dict[str, tuple[int, Source]] = {}  # each file's first usable row: its line and what it says
        for n, fields in records:
            row = dict(zip(header, fields))
            name = (row.get("file") or "").strip()
            if not name:
                problems.append(Problem(f"{path}:{n}", "manifest row names no file"))
                continue
            target = folder / name
            if name not in present or not target.is_file():
                other = folded.get(name.casefold())
                hint = f" ({other} differs only in case)" if other and other != name else ""
                what = "does not exist" if name not in present else f"is not a regular file ({_kind(target)})"
                problems.append(Problem(f"{path}:{n}", f"manifest names {name}, which {what}{hint}"))
                continue
            published = None
            raw = (row.get("published") or "").strip()
            if raw:
                try:
                    published = parse_date(raw)
                except ValueError as err:
                    problems.append(Problem(f"{path}:{n}", f"{name}: {err}"))
                    rejected.add(name)
                    continue
            source = Source(target, ArticleMeta(
                published=published,
                published_origin="manifest" if published else None,
                outlet=_blank(row.get("outlet")),
                title=_blank(row.get("title")),
                url=_blank(row.get("url")),
            ))
            if name in first:
                line, earlier = first[name]
                differ = [label for k, label in (("published", "published date"), ("outlet", "outlet"),
                                                 ("title", "title"), ("url", "url"))
                          if getattr(earlier.meta, k) != getattr(source.meta, k)]
                if differ:  # the same row twice says nothing new; two rows that disagree say nothing sure
                    problems.append(Problem(f"{path}:{n}", f"{name} has a second row (the first is line {line})"
                                            f" giving another {' and '.join(differ)}"))
                    rejected.add(name)
                    rows.pop(name, None)
                continue
            first[name] = (n, source)
            if name not in rejected:
                rows[name] = source
    except _Quoting as err:
        return Manifest({}, frozenset(), (Problem(f"{path}:{err.line}", str(err)),), unusable=True)
    except (OSError, csv.Error) as err:
        return Manifest({}, frozenset(), (Problem(str(path), f"unreadable manifest ({err})"),), unusable=True)
    return Manifest(rows, frozenset(rejected), tuple(problems))


class _Quoting(ValueError):
    """A manifest record whose quotes are broken; `line` is the line the record starts on."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """Each record of the manifest that is not blank, with the line it starts on (a quoted field may hold line
    breaks). A quote never closed, or one closed before anything but a comma or the line's end, is a _Quoting:
    read leniently, it would take the rows after it into one field, and their files would lose their metadata."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        start = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            if "end of data" in str(err):
                raise _Quoting(start, "a quote opened in this row is never closed"
                                      " (read as it is, it would take in every line after it)") from None
            runs = f"; the quote opened in this row runs on to line {reader.line_num}" if reader.line_num > start else ""
            raise _Quoting(start, f"broken quoting ({err}{runs})") from None
        if fields:
            yield start, fields


def _kind(path: Path) -> str:
    """What a path that is not a regular file is, in a few words."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return "a link to nothing" if path.is_symlink() else "not there"
    return kind(mode)


def _manifest_text(path: Path) -> str:
    """The manifest's text; ValueError naming what is wrong when it is not readable UTF-8."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ValueError(f"cannot read the manifest: {err.strerror or err}") from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:200]:
        raise ValueError("the manifest is UTF-16 text; save it as UTF-8")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise ValueError(f"the manifest is not UTF-8 text (byte 0x{raw[err.start]:02x} on line {line};"
                         " Latin-1 or Windows-1252?); save it as UTF-8") from None


def _blank(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


NOT_AN_ARTICLE = "the folder's manifest (the metadata of the articles beside it), not an article: not ingested"


@frozen
class PassedOver:
    """A path given that is no article at all (a folder's manifest among its files), and why it is not read."""

    file: str
    message: str = NOT_AN_ARTICLE


def collect(paths: Iterable[str | Path], **options: object) -> tuple[list[Source], list[Problem | PassedOver]]:
    """Article files under `paths`, each with its metadata; options override the manifest. Beside them, in the
    order given, what is not read: the Problems, and the paths PassedOver.

    A folder's manifest.csv given among its files (as `folder/*` lists it) is passed over, as the folder
    passes it over. The files take their metadata from it.
    """
    sources: list[Source] = []
    problems: list[Problem | PassedOver] = []
    for given in paths:
        path = Path(given)
        if path.name == MANIFEST and not path.is_dir() and (path.is_file() or path.is_symlink()):
            problems.append(PassedOver(str(path)))
        elif path.is_dir():
            manifest = read_manifest(path)
            if manifest.problems:
                problems.append(_stopped(path, manifest))
                continue
            files = sorted(
                p for p in path.iterdir()
                if p.is_file() and not p.name.startswith(".") and p.name != MANIFEST
                and (p.suffix.lower() in ARTICLE_SUFFIXES or p.name in manifest.rows)
            )
            if not files:
                problems.append(Problem(str(path), "folder holds no article files (*.txt, *.md)"))
            for p in files:
                sources.append(_with_options(manifest.rows.get(p.name) or Source(p), options))
        elif path.is_file():
            manifest = read_manifest(path.parent)
            if manifest.unusable:
                problems.append(Problem(str(path), f"not ingested: {manifest.problems[0].file}: {manifest.problems[0].message}"))
                continue
            if path.name in manifest.rejected:
                problems.extend(b for b in manifest.problems if path.name in b.message)
                continue
            sources.append(_with_options(manifest.rows.get(path.name) or Source(path), options))
        elif path.exists():  # a FIFO, a socket, a device: never opened (reading a FIFO would wait for a writer)
            problems.append(Problem(str(path), f"not a regular file ({_kind(path)})"))
        else:
            problems.append(Problem(str(path), "no such file or folder"))
    return sources, problems


def _stopped(folder: Path, manifest: Manifest) -> Problem:
    """One line for a folder whose manifest has problems: none of its articles is read, so none is stored
    without the metadata its manifest meant to give it (a later fixed manifest could not correct it)."""
    first = manifest.problems[0]
    where = first.file.removeprefix(str(folder / MANIFEST)).lstrip(":")
    more = len(manifest.problems) - 1
    return Problem(str(folder / MANIFEST), f"{('line ' + where + ': ') if where else ''}{first.message}"
                   f"{f' (and {more} more)' if more else ''}; nothing from {folder} was ingested")


def _with_options(source: Source, options: dict[str, object]) -> Source:
    fields = {k: v for k, v in options.items() if v is not None}
    if not fields:
        return source
    if "published" in fields:
        fields["published_origin"] = "option"
    return Source(source.path, evolve(source.meta, **fields))


def read(paths: Iterable[str | os.PathLike], *, seen: Seen, workers: int | None = None,
         **meta: Any) -> Iterator[Batch]:
    """Each article under `paths` (files, or folders with their manifest.csv) as a Batch of the article and its
    claims; `meta` (published, outlet, title, url) overrides the manifest. Articles are read on `workers`
    processes (default: every core) and yielded in the order given; one the log holds is not read again."""
    from events.codec import article_id
    from events.extract import ArticleError
    from events.extract.pool import read_many
    from events.extract.text import too_large

    sources, problems = collect(paths, **meta)
    for p in problems:
        if isinstance(p, PassedOver):
            yield Batch(p.file, passed_over=p.message)
        else:
            yield Batch(p.file, problem=p.message)
    total = len(sources)
    settled: deque[Batch] = deque()  # files settled as they are read (unreadable, already in the log), in order
    names: deque[str] = deque()

    def jobs() -> Iterator[tuple[bytes, str, ArticleMeta]]:
        """Files read one at a time as the extractor asks for them: a folder is never all in memory."""
        for source in sources:
            name = source.path.name
            try:
                reason = too_large(source.path.stat().st_size)
                raw = b"" if reason else source.path.read_bytes()
            except OSError as err:
                settled.append(Batch(name, problem=f"cannot read: {err.strerror or err}", of=total))
                continue
            if reason:
                settled.append(Batch(name, problem=reason, of=total))
            elif seen([article_id(raw)]):
                settled.append(Batch(name, present=True, of=total))
            else:
                names.append(name)
                yield raw, name, source.meta

    for extraction in read_many(jobs(), workers):
        while settled:
            yield settled.popleft()
        name = names.popleft()
        if isinstance(extraction, ArticleError):
            yield Batch(name, problem=str(extraction).removeprefix(f"{name}: "), of=total)
        else:
            yield Batch(name, (extraction.article, *extraction.claims), warnings=tuple(extraction.warnings), of=total)
    while settled:
        yield settled.popleft()
