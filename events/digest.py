"""Canonical JSON and sha256 digests: what ids and the hash chain are computed over.

Kept apart from the converter so that reading a log (verify, asof) does not
pay for importing cattrs.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import orjson


def dumps(obj: Any) -> str:
    """Canonical JSON text of plain data.

    orjson writes the same text as `json.dumps(sort_keys=True, separators=(",", ":"),
    ensure_ascii=False)` ten times faster; integers beyond 64 bits, which it
    refuses, take the standard library's path.
    """
    try:
        return orjson.dumps(obj, option=orjson.OPT_SORT_KEYS).decode()
    except TypeError:
        return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def loads(text: str | bytes) -> Any:
    """Plain data from JSON text (orjson where it can, the standard library for huge integers)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def sha256(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def chain_hash(prev_hash: str, type_name: str, event_id_: str, recorded_at: str, payload: str, version: int = 1) -> str:
    """Each link covers the previous link and everything the row says, its schema version included.

    A row of schema version 1 is hashed as logs have always hashed it, without
    the version, so that every log written so far still verifies; any other
    version is hashed with it. The version is covered either way: changing a
    row's 1 to anything else (or back) changes the formula, and so the hash
    its row must have.
    """
    parts = (prev_hash, type_name, event_id_, recorded_at, payload)
    if version != 1:
        parts += (f"version {version}",)
    return sha256("\n".join(parts))
