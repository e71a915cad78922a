"""The one cattrs converter, canonical JSON, and content-derived ids.

Canonical JSON (sorted keys, no insignificant whitespace, ISO dates, integral
floats written as integers, fields at their default left out) is what the hash
chain and the ids are computed over, so the same fact always has the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import cattrs

from events.digest import chain_hash, dumps, loads, sha256  # noqa: F401  (re-exported)
from events.model import (
    EVENT_TYPES,
    ArticleIngested,
    ArticleMetadataCorrected,
    Claim,
    ClaimAsserted,
    ClaimCorrected,
    ClaimReported,
    ClaimRetracted,
    ClaimReviewed,
    DatasetRow,
    Event,
    Evidence,
    Number,
    Period,
    Source,
)

converter = cattrs.Converter(omit_if_default=True)
converter.register_unstructure_hook(dt.date, lambda d: d.isoformat())
converter.register_structure_hook(dt.date, lambda v, _: dt.date.fromisoformat(v))


def _number(value: Any, _: Any = None) -> Number:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


converter.register_structure_hook(Number, _number)
converter.register_unstructure_hook(float, lambda f: int(f) if f.is_integer() and abs(f) < 2**53 else f)
converter.register_structure_hook(Number | None, lambda v, _: None if v is None else _number(v))


def _num(value: Any) -> Any:
    """The float hook above, for values typed Number: integral floats become ints."""
    return int(value) if type(value) is float and value.is_integer() and abs(value) < 2**53 else value


# The claim types are written out by hand: appending a claim encodes it, and cattrs' generated
# functions (optional and union dispatch per field) cost about 14 us a claim where these cost 3.
# They give what `cattrs.gen.make_dict_unstructure_fn(..., _cattrs_omit_if_default=True)` gives;
# tests/test_codec.py holds them to it.


def _period_data(p: Period) -> dict[str, Any]:
    return {"start": None if p.start is None else p.start.isoformat(), "end": p.end.isoformat()}


def _dataset_data(d: DatasetRow) -> dict[str, Any]:
    return {"repository": d.repository, "commit": d.commit, "file": d.file, "row": d.row, "column": d.column}


def _claim_data(c: Claim) -> dict[str, Any]:
    res: dict[str, Any] = {"metric": c.metric, "party": c.party, "value": _num(c.value), "unit": c.unit}
    if c.region is not None:
        res["region"] = c.region
    if c.qualifier != "exact":
        res["qualifier"] = c.qualifier
    if c.low is not None:
        res["low"] = _num(c.low)
    if c.high is not None:
        res["high"] = _num(c.high)
    if c.as_of is not None:
        res["as_of"] = c.as_of.isoformat()
    if c.since is not None:
        res["since"] = c.since.isoformat()
    if c.period is not None:
        res["period"] = _period_data(c.period)
    if c.claimant is not None:
        res["claimant"] = c.claimant
    if c.outlet is not None:
        res["outlet"] = c.outlet
    if c.modality != "asserted":
        res["modality"] = c.modality
    return res


def _evidence_data(e: Evidence) -> dict[str, Any]:
    res: dict[str, Any] = {"quote": e.quote}
    if e.article_id is not None:
        res["article_id"] = e.article_id
    if e.span is not None:
        res["span"] = tuple(e.span)
    if e.dataset is not None:
        res["dataset"] = _dataset_data(e.dataset)
    return res


def _claim_reported_data(ev: ClaimReported) -> dict[str, Any]:
    res = {"claim_id": ev.claim_id, "claim": _claim_data(ev.claim), "evidence": _evidence_data(ev.evidence),
           "rule": ev.rule}
    if ev.published is not None:
        res["published"] = ev.published.isoformat()
    if ev.signals:
        res["signals"] = list(ev.signals)
    return res


WRITTEN_OUT = {Period: _period_data, DatasetRow: _dataset_data, Claim: _claim_data, Evidence: _evidence_data,
               ClaimReported: _claim_reported_data}
for _cls, _hook in WRITTEN_OUT.items():
    converter.register_unstructure_hook(_cls, _hook)


class DecodeError(ValueError):
    """A payload that is not a valid event of its type."""


def to_data(event: Any) -> Any:
    """Plain data (dicts, lists, str, numbers) of any model object; integral floats become ints."""
    return converter.unstructure(event)


def encode(event: Event) -> str:
    """Canonical JSON payload of an event."""
    return dumps(to_data(event))


def decode(type_name: str, payload: str | dict) -> Event:
    """An event from its type name and payload; DecodeError when either is wrong."""
    cls = EVENT_TYPES.get(type_name)
    if cls is None:
        raise DecodeError(f"unknown event type {type_name!r} (known: {', '.join(EVENT_TYPES)})")
    try:
        data = loads(payload) if isinstance(payload, str) else payload
        return converter.structure(data, cls)
    except (ValueError, TypeError, KeyError, cattrs.BaseValidationError) as err:
        raise DecodeError(f"not a valid {type_name}: {_short(err)}") from None


def _short(err: Exception) -> str:
    if isinstance(err, cattrs.BaseValidationError):
        leaves = [e for e in err.exceptions]
        return "; ".join(_first_line(e) for e in leaves[:3]) or str(err)
    return _first_line(err)


def _first_line(err: Exception) -> str:
    """An attrs validator's error carries the attribute and the options after its message: the message alone."""
    first = err.args[0] if len(err.args) > 1 and isinstance(err.args[0], str) else str(err)
    return first


def article_id(raw: bytes) -> str:
    """An article is identified by its exact bytes."""
    return sha256(raw)


def claim_id(claim: Claim, evidence: Any) -> str:
    """A claim is identified by what it says and where it was read."""
    return sha256(dumps({"claim": to_data(claim), "evidence": to_data(evidence)}))


def asserted_claim_id(claim: Claim, source: Source, quote: str | None) -> str:
    """A claim entered by hand is identified by what it says, where it was read and the words quoted."""
    return sha256(dumps({"asserted": to_data(claim), "source": to_data(source), "quote": quote}))


def encoded(event: Event) -> tuple[str, str, Any]:
    """An event's id, type name and plain data; a reported claim without the converter's dispatch."""
    if type(event) is ClaimReported:
        return event.claim_id, "ClaimReported", _claim_reported_data(event)
    return event_id(event), type(event).__name__, to_data(event)


def event_id(event: Event) -> str:
    """The content-derived id of an event: appending it twice appends it once."""
    if isinstance(event, ArticleIngested):
        return event.article_id
    if isinstance(event, (ClaimReported, ClaimAsserted)):
        return event.claim_id
    if isinstance(event, (ClaimRetracted, ClaimCorrected, ClaimReviewed, ArticleMetadataCorrected)):
        return sha256(type(event).__name__ + "\n" + encode(event))
    raise TypeError(f"not an event: {type(event).__name__}")
