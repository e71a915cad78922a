"""Read Ukraine's General Staff daily loss tally into claim events.

The tally is the dataset published at
https://github.com/PetroIvaniuk/2022-Ukraine-Russia-War-Dataset: one JSON
array per file, one row per daily General Staff report, every number a running
total of Russian losses since 2022-02-24. Each (row, numeric column) becomes a
`ClaimReported` whose evidence is the dataset cell itself, so every value on
the timeline points back to a file, a row and a column of a pinned commit.

The correction file lists signed adjustments the General Staff made to its
totals on a given date; each nonzero one becomes a `ClaimCorrected` pointing at
the claim it adjusts, because a correction is a new event, never an edit.

`russia_losses_equipment_oryx.json` is ignored: it holds totals per model with
no dates, so it cannot be placed on a timeline.

The reader is pure: it reads files and returns events; it appends nothing.
Which column means which metric is data, in `events/lexicons/tally.json`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import os
import re
from importlib import resources
from pathlib import Path
from collections import Counter
from collections.abc import Iterator
from typing import Any, Union

from attrs import frozen

from events.codec import claim_id
from events.model import Claim, ClaimCorrected, ClaimReported, DatasetRow, Evidence
from events.sources import Batch, Seen, SourceError

__all__ = ["TALLY_CLAIMANT", "TALLY_RULE", "TallyError", "interval", "read", "read_tally"]

TALLY_CLAIMANT = "General Staff of the Armed Forces of Ukraine"
TALLY_RULE = "tally"

TallyEvent = Union[ClaimReported, ClaimCorrected]


MAX_FIGURE = 2**63 - 1  # what SQLite stores as an integer; no tally count comes near it


class TallyError(ValueError):
    """The tally cannot be read: a one-line message naming the file (and the line its row starts on)."""


def _load_lexicon() -> dict[str, Any]:
    text = resources.files("events").joinpath("lexicons", "tally.json").read_text(encoding="utf-8")
    return json.loads(text)


_LEX = _load_lexicon()
_FILES: dict[str, str] = _LEX["files"]
_KIND_OF_FILE = {name: kind for kind, name in _FILES.items()}
_FILE_ORDER = {kind: i for i, kind in enumerate(("personnel", "equipment", "correction"))}
_COLUMNS: dict[str, dict[str, str]] = _LEX["columns"]
_COLUMN_ORDER = {name: i for i, name in enumerate(_COLUMNS)}
_IGNORED = frozenset(_LEX["ignored_columns"])
_QUALIFIER_COLUMN: dict[str, str] = _LEX["qualifier_column"]
_QUALIFIER_WORDS: dict[str, str] = _LEX["qualifier_words"]
_QUOTE_WORDS: dict[str, str] = _LEX["quote_words"]
_PARTY: str = _LEX["party"]
_REGION: str = _LEX["region"]
_SINCE = dt.date.fromisoformat(_LEX["since"])
_DEFAULT_REPOSITORY: str = _LEX["source"]["repository"]
_DEFAULT_COMMIT: str = _LEX["source"]["commit"]


def interval(qualifier: str, value: int) -> tuple[int | float | None, int | float | None]:
    """The [low, high] a qualified tally figure implies: the table every claim uses (events.qualifiers)."""
    from events.qualifiers import interval as qualifier_interval, intervals

    if qualifier not in intervals():
        raise TallyError(f"no interval rule for qualifier {qualifier!r}")
    return qualifier_interval(qualifier, value)


@frozen(slots=True)
class _Source:
    """Where the files come from, quoted in every piece of evidence."""

    repository: str
    commit: str


@frozen(slots=True)
class _Cell:
    """One numeric cell of a main file, read and validated."""

    date: dt.date
    kind: str
    row: int
    column: str
    value: int
    qualifier: str


def read_tally(path: str | os.PathLike[str]) -> list[TallyEvent]:
    """Events of the tally at `path`: a folder holding the three dated files, or one of them.

    Returns ClaimReported and ClaimCorrected events ordered by date, then file
    (personnel, equipment, correction), then column (lexicon order), so the
    same files always give the same list with the same ids. Reading the
    correction file alone also reads the two main files beside it, since a
    correction must name the claim it corrects; only the corrections are
    returned then. Any problem raises TallyError, never another exception.
    """
    try:
        root = Path(path)
    except TypeError:
        raise TallyError(f"not a path: {path!r}") from None
    try:
        is_dir = root.is_dir()
    except OSError as err:
        raise TallyError(f"{root.name}: cannot access: {err.strerror or err}") from None
    if is_dir:
        folder, wanted = root, ("personnel", "equipment", "correction")
    else:
        kind = _KIND_OF_FILE.get(root.name)
        if kind is None:
            if root.name in _LEX["undated_files"]:
                raise TallyError(f"{root.name}: has no dates, so it is not a tally that can be read into events")
            raise TallyError(f"{root.name}: not a tally file (expected one of {', '.join(_FILES.values())})")
        folder, wanted = root.parent, (kind,)

    source = _read_source(folder)
    need_main = tuple(k for k in ("personnel", "equipment") if k in wanted or "correction" in wanted)
    cells: list[_Cell] = []
    for kind in need_main:
        cells.extend(_main_cells(folder / _FILES[kind], kind))
    cells.sort(key=lambda c: (c.date, _FILE_ORDER[c.kind], c.row, _COLUMN_ORDER[c.column]))

    events: list[tuple[tuple[Any, ...], TallyEvent]] = []
    targets: dict[str, tuple[list[dt.date], list[str]]] = {}
    for cell in cells:
        event = _reported(cell, source)
        dates, ids = targets.setdefault(cell.column, ([], []))
        if dates and dates[-1] == cell.date:
            ids[-1] = event.claim_id  # a repeated date: the later row is the one corrected
        else:
            dates.append(cell.date)
            ids.append(event.claim_id)
        if cell.kind in wanted:
            events.append(((cell.date, _FILE_ORDER[cell.kind], cell.row, _COLUMN_ORDER[cell.column]), event))

    if "correction" in wanted:
        events.extend(_corrections(folder / _FILES["correction"], targets))
    events.sort(key=lambda pair: pair[0])
    return [event for _, event in events]


def _read_source(folder: Path) -> _Source:
    """Repository and commit from SOURCE.md beside the files, else the pinned defaults."""
    repository, commit = _DEFAULT_REPOSITORY, _DEFAULT_COMMIT
    try:
        text = (folder / "SOURCE.md").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return _Source(repository, commit)
    found = re.search(r"commit\W*?([0-9a-f]{40})\b", text, re.IGNORECASE)
    if found:
        commit = found.group(1)
    found = re.search(r"Repository:\s*<?(https?://\S+?)>?\s*$", text, re.MULTILINE)
    if found:
        repository = found.group(1)
    return _Source(repository, commit)


def _load_rows(file: Path) -> list[tuple[str, dict[str, Any]]]:
    """The rows of a tally file, each with where a reader finds it: "file: line 3", or "file: line 1, row 2"
    when several rows start on that line (rows counted from 1)."""
    try:
        raw = file.read_bytes()
    except OSError as err:
        raise TallyError(f"{file.name}: cannot read: {err.strerror or err}") from None
    try:
        text = raw.decode(json.detect_encoding(raw), "surrogatepass")  # as json.loads decodes bytes
        data = json.loads(text)
    except (ValueError, RecursionError) as err:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise TallyError(f"{file.name}: invalid JSON: {_one_line(err)}") from None
    if not isinstance(data, list):
        raise TallyError(f"{file.name}: expected a JSON array of rows, got {type(data).__name__}")
    lines = _row_lines(text, len(data))
    shared = {line for line, rows in Counter(lines).items() if rows > 1}
    places = [f"{file.name}: line {line}" + (f", row {index + 1}" if line in shared else "")
              for index, line in enumerate(lines)]
    for at, row in zip(places, data):
        if not isinstance(row, dict):
            raise TallyError(f"{at}: expected an object, got {type(row).__name__}")
    return list(zip(places, data))


def _row_lines(text: str, count: int) -> list[int]:
    """The line on which each of the `count` elements of the JSON array in `text` starts (text json has read)."""
    decoder = json.JSONDecoder()
    lines: list[int] = []
    at, line, counted = text.index("[") + 1, 1, 0
    for _ in range(count):
        while text[at] in " \t\r\n,":
            at += 1
        line, counted = line + text.count("\n", counted, at), at
        lines.append(line)
        _, at = decoder.raw_decode(text, at)
    return lines


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _row_date(at: str, row: dict[str, Any]) -> dt.date:
    value = row.get("date")
    if not isinstance(value, str):
        raise TallyError(f"{at}: missing or non-text 'date': {_short(value)}")
    try:
        if not _ISO_DATE.fullmatch(value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise TallyError(f"{at}: invalid 'date' {_short(value)} (expected YYYY-MM-DD)") from None


def _count(at: str, column: str, value: Any, *, signed: bool) -> int:
    """An integer cell; an integral float is accepted as the integer it is."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TallyError(f"{at}: column {column!r}: expected an integer, got {_short(value)}")
    if abs(value) > MAX_FIGURE:
        raise TallyError(f"{at}: column {column!r}: {_short(value)} is beyond any count"
                         f" (the largest figure a log stores is {MAX_FIGURE:,})")
    if not signed and value < 0:
        raise TallyError(f"{at}: column {column!r}: a running total cannot be negative ({value})")
    return value


def _unknown(at: str, column: str) -> TallyError:
    return TallyError(
        f"{at}: unknown column {column!r} (map it in events/lexicons/tally.json)"
    )


def _numbers(file: Path, signed: bool) -> Iterator[tuple[int, str, dict[str, Any], dt.date, str, int]]:
    """(row index, where the row is, row, date, column, number) for every numeric cell; unknown columns are errors."""
    for index, (at, row) in enumerate(_load_rows(file)):
        date = _row_date(at, row)
        for column, value in row.items():
            if column in _IGNORED:
                continue
            if column not in _COLUMNS:
                raise _unknown(at, column)
            yield index, at, row, date, column, _count(at, column, value, signed=signed)


def _main_cells(file: Path, kind: str) -> list[_Cell]:
    cells: list[_Cell] = []
    for index, at, row, date, column, count in _numbers(file, signed=False):
        word_column = _QUALIFIER_COLUMN.get(column)
        qualifier = "exact" if word_column is None else _qualifier(at, word_column, row.get(word_column))
        cells.append(_Cell(date, kind, index, column, count, qualifier))
    return cells


def _qualifier(at: str, column: str, word: Any) -> str:
    """The qualifier a row states for its headline figure; no word means the figure as printed."""
    if word is None:
        return "exact"
    qualifier = _QUALIFIER_WORDS.get(word) if isinstance(word, str) else None
    if qualifier is None:
        raise TallyError(f"{at}: column {column!r}: unknown qualifier {_short(word)}")
    return qualifier


def _reported(cell: _Cell, source: _Source) -> ClaimReported:
    spec = _COLUMNS[cell.column]
    low, high = interval(cell.qualifier, cell.value)
    claim = Claim(
        metric=spec["metric"],
        party=_PARTY,
        value=cell.value,
        unit=spec["unit"],
        region=_REGION,
        qualifier=cell.qualifier,
        low=low,
        high=high,
        as_of=cell.date,
        since=_SINCE,
        claimant=TALLY_CLAIMANT,
        outlet=None,
        modality="asserted",
    )
    evidence = Evidence(
        quote=f"{cell.column}: {_QUOTE_WORDS[cell.qualifier]}{cell.value} ({cell.date.isoformat()})",
        dataset=DatasetRow(
            repository=source.repository,
            commit=source.commit,
            file=_FILES[cell.kind],
            row=cell.row,
            column=cell.column,
        ),
    )
    return ClaimReported(
        claim_id=claim_id(claim, evidence),
        claim=claim,
        evidence=evidence,
        rule=TALLY_RULE,
        published=cell.date,
    )


def _corrections(
    file: Path, targets: dict[str, tuple[list[dt.date], list[str]]]
) -> list[tuple[tuple[Any, ...], ClaimCorrected]]:
    """Each nonzero adjustment, aimed at the claim of the same column on that date.

    When the main files have no claim of that column on that date, the nearest
    earlier one is the total being adjusted, and the reason says so. Dates, not
    the `day` column, are relied on (two rows carry day 850).
    """
    out: list[tuple[tuple[Any, ...], ClaimCorrected]] = []
    for index, where, _row, date, column, adjustment in _numbers(file, signed=True):
        if adjustment == 0:
            continue
        dates, ids = targets.get(column, ([], []))
        at = bisect.bisect_right(dates, date) - 1
        if at < 0:
            raise TallyError(
                f"{where}: correction of {column!r} on {date.isoformat()} "
                "has no claim on or before that date to correct"
            )
        reason = f"General Staff correction of {column} by {adjustment:+d} on {date.isoformat()}"
        if dates[at] != date:
            reason += f" (no {column} figure on that date: applied to the figure of {dates[at].isoformat()})"
        event = ClaimCorrected(
            claim_id=ids[at], reason=reason, replacement=None, adjustment=adjustment, published=date
        )
        out.append(((date, _FILE_ORDER["correction"], index, _COLUMN_ORDER[column]), event))
    return out


def _short(value: Any, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _one_line(err: Exception) -> str:
    return " ".join(str(err).split())


def read(path: str | os.PathLike[str], *, seen: Seen | None = None) -> Iterator[Batch]:
    """The tally at `path` (a folder, or one of its files) as one Batch: a dataset goes in whole or not at all.
    SourceError (one line, naming the file and the line of the row) when any of it cannot be read."""
    try:
        events = read_tally(path)
    except TallyError as err:
        raise SourceError(str(err)) from None
    yield Batch(Path(path).name, tuple(events), of=1)
