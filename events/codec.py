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
    Claim,
    ClaimCorrected,
    ClaimReported,
    ClaimRetracted,
    Event,
    Number,
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
        return "; ".join(str(e) for e in leaves[:3]) or str(err)
    return str(err)


def article_id(raw: bytes) -> str:
    """An article is identified by its exact bytes."""
    return sha256(raw)


def claim_id(claim: Claim, evidence: Any) -> str:
    """A claim is identified by what it says and where it was read."""
    return sha256(dumps({"claim": to_data(claim), "evidence": to_data(evidence)}))


def event_id(event: Event) -> str:
    """The content-derived id of an event: appending it twice appends it once."""
    if isinstance(event, ArticleIngested):
        return event.article_id
    if isinstance(event, ClaimReported):
        return event.claim_id
    if isinstance(event, (ClaimRetracted, ClaimCorrected)):
        return sha256(type(event).__name__ + "\n" + encode(event))
    raise TypeError(f"not an event: {type(event).__name__}")
