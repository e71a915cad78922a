"""The claims a provenance graph draws, as a backend's read tables give them (projections.readmodel.graphed_claims).

A graph of a million claims reads a million rows, so each row holds only what
the claims table and the claim's event hold (the `GRAPH_COLUMNS`), and the
names behind its keys (series, profile, article file, article id) are looked
up here in small dictionaries rather than by a subquery per row. `claim`
turns a row into what timeline.provenance reads; a writer that needs only a
node's text (timeline.claim_nodes) reads the row itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from attrs import frozen

from projections.metadata import follow
from projections.series import ClaimRow

# The columns of a graphed row, in order: the claim's series id, id (bytes: .hex() gives the id), log position, valid
# and report dates (day ordinals), value, low, high, profile id, article key and dataset key (details ids), as_of,
# since, period start, the claim it replaces, its event type, the evidence's quote and span (start, end), and what
# the claim was read from when it is not an article's span: a dataset row's evidence (JSON text), an entered claim's
# payload.
GRAPH_COLUMNS = ("series", "claim_id", "position", "valid", "report", "value", "low", "high", "profile", "article",
                 "dataset", "as_of", "since", "period_start", "replaces", "type", "quote", "span_start", "span_end",
                 "data")


class _Details(dict):
    """Details id -> text, each looked up once (article ids, dataset files, page URLs: few, shared by many rows)."""

    def __init__(self, lookup: Callable[[int], str | None], known: dict[int, str]) -> None:
        super().__init__(known)
        self.lookup = lookup

    def __missing__(self, key: int | None) -> str | None:
        text = self[key] = None if key is None else self.lookup(key)
        return text


@frozen
class GraphRows:
    """The rows of one graph's claims and what they refer to: series keys, profiles, the corrected articles'
    metadata (`meta`, by article key), article files and the text of details ids (article ids, dataset files)."""

    keys: dict[int, tuple]
    profiles: dict[int, tuple]
    meta: dict[int, Any]
    files: dict[int, str]
    details: dict[int | None, str | None]
    rows: Iterable[tuple]
    extra: Iterable[tuple] = ()  # the rows of claims asked for by id, after `rows`

    @classmethod
    def of(cls, keys: dict[int, tuple], profiles: dict[int, tuple], meta: dict[int, Any], articles: Iterable[tuple],
           detail: Callable[[int], str | None], rows: Iterable[tuple], extra: Iterable[tuple] = ()) -> "GraphRows":
        """From the read tables' answers; `articles` are (article key, article id, file)."""
        files, ids = {}, {}
        for key, aid, file in articles:
            files[key], ids[key] = file, aid
        return cls(keys, profiles, meta, files, _Details(detail, ids), rows, extra)

    def reading(self, detail: Callable[[int], str | None], rows: Iterable[tuple]) -> "GraphRows":
        """These names with other rows, the details not yet known looked up by `detail` (another connection's)."""
        return GraphRows(self.keys, self.profiles, self.meta, self.files, _Details(detail, dict(self.details)), rows,
                         ())

    def source(self, raw: tuple) -> str | None:
        """The file a claim was read from: its article's, else its dataset's (or the page it was entered from)."""
        file = self.files.get(raw[9])
        if file is None and raw[10] is not None:
            return self.details[raw[10]]
        return file

    def claim(self, raw: tuple, known_at: int | None) -> tuple[ClaimRow, str | None, str, Any] | None:
        """A row as (claim row with its article id, the claim it replaces, event type, evidence data or entered
        claim's payload), the claim row following its article's corrected metadata; None when, so followed, it
        was reported after `known_at`."""
        qualifier, unit, claimant, outlet, modality, rule = self.profiles[raw[8]]
        metric, party, region, shape = self.keys[raw[0]]
        valid = raw[3]
        row = ClaimRow(metric, party, region, shape, raw[1].hex(), raw[2], valid, raw[4], raw[5], raw[6], raw[7],
                       qualifier, unit, claimant, outlet, modality, self.details[raw[9]], self.source(raw), raw[11],
                       raw[12], raw[13], valid if shape == "window" else None, rule)
        m = self.meta.get(raw[9])
        if m is not None:
            row = follow(row, m)
            if known_at is not None and (row.report is None or row.report > known_at):
                return None
        kind, data = raw[15], raw[19]
        if kind == "ClaimReported" and data is None:  # an article's span: the evidence is in the row
            data = {"quote": raw[16], "article_id": row.article_id}
            if raw[17] is not None:
                data["span"] = [raw[17], raw[18]]
        return row, raw[14], kind, data


__all__ = ["GRAPH_COLUMNS", "GraphRows"]
