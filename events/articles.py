"""Finding article files and their metadata (a manifest.csv beside them, or options).

Problems are collected per file rather than raised, so that one bad row does
not stop a folder of good articles; the caller decides the exit code.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from attrs import evolve, frozen

from events.extract import ArticleMeta

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


def read_manifest(folder: Path) -> Manifest:
    """The manifest rows of a folder; rows that cannot be used are problems."""
    path = folder / MANIFEST
    rows: dict[str, Source] = {}
    rejected: set[str] = set()
    problems: list[Problem] = []
    if not path.is_file():
        return Manifest(rows, frozenset(), ())
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            if not reader.fieldnames or "file" not in reader.fieldnames:
                return Manifest(rows, frozenset(), (Problem(str(path), "manifest has no 'file' column"),))
            for n, row in enumerate(reader, 2):
                name = (row.get("file") or "").strip()
                if not name:
                    problems.append(Problem(f"{path}:{n}", "manifest row names no file"))
                    continue
                target = folder / name
                if not target.is_file():
                    problems.append(Problem(f"{path}:{n}", f"manifest names {name}, which does not exist"))
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
                rows[name] = Source(target, ArticleMeta(
                    published=published,
                    published_origin="manifest" if published else None,
                    outlet=_blank(row.get("outlet")),
                    title=_blank(row.get("title")),
                    url=_blank(row.get("url")),
                ))
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        problems.append(Problem(str(path), f"unreadable manifest ({err})"))
    return Manifest(rows, frozenset(rejected), tuple(problems))


def _blank(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def collect(paths: Iterable[str | Path], **options: object) -> tuple[list[Source], list[Problem]]:
    """Article files under `paths`, each with its metadata; options override the manifest."""
    sources: list[Source] = []
    problems: list[Problem] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            manifest = read_manifest(path)
            problems.extend(manifest.problems)
            files = sorted(
                p for p in path.iterdir()
                if p.is_file() and not p.name.startswith(".") and p.name != MANIFEST
                and (p.suffix.lower() in ARTICLE_SUFFIXES or p.name in manifest.rows)
            )
            if not files and not manifest.problems:
                problems.append(Problem(str(path), "folder holds no article files (*.txt, *.md)"))
            for p in files:
                if p.name not in manifest.rejected:
                    sources.append(_with_options(manifest.rows.get(p.name) or Source(p), options))
        elif path.is_file():
            manifest = read_manifest(path.parent)
            if path.name in manifest.rejected:
                problems.extend(b for b in manifest.problems if path.name in b.message)
                continue
            sources.append(_with_options(manifest.rows.get(path.name) or Source(path), options))
        else:
            problems.append(Problem(str(path), "no such file or folder"))
    return sources, problems


def _with_options(source: Source, options: dict[str, object]) -> Source:
    fields = {k: v for k, v in options.items() if v is not None}
    if not fields:
        return source
    if "published" in fields:
        fields["published_origin"] = "option"
    return Source(source.path, evolve(source.meta, **fields))
