"""JSON text of any answer's `to_data()`: indented, UTF-8 as is, dates as ISO strings."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any


def to_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)


def fast_json(data: Any, values: Iterable[Any]) -> str:
    """What `to_json` writes, in a tenth of the time: a state of thousands of values is a lot of JSON.

    orjson writes the same text as json.dumps(indent=2, ensure_ascii=False)
    except for floats the json module writes with an exponent (below 1e-4 or
    from 1e16) and non-finite ones; when `values` (the Values and Derived
    values behind `data`) hold such a figure, the json module writes it.
    """
    import orjson

    if all(_plain(v) for v in values):
        try:
            return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS, default=str).decode()
        except TypeError:
            pass
    return to_json(data)


def plain_number(x: Any) -> bool:
    """Whether orjson and the json module write this number alike."""
    return type(x) is not float or x == 0 or 1e-4 <= abs(x) < 1e16


def _plain(v: Any) -> bool:
    """Whether every figure a value's JSON shows is written alike by orjson and the json module."""
    if v is None:
        return False
    for x in (v.value, v.low, v.high):
        if type(x) is float and not plain_number(x):
            return False
    if v.competing and not all(plain_number(c.value) for c in v.competing):
        return False
    if v.adjustments and not all(plain_number(a.adjustment) for a in v.adjustments):
        return False
    inputs = getattr(v, "inputs", None)
    return not inputs or all(_plain(i) for i in inputs)
