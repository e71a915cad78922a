"""Dates as the API takes them: a date, a datetime, an ISO string, or anything with .date() (a pandas Timestamp)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from timeline.errors import TimelineError

DateLike = Any  # a date, a datetime, an ISO string, or anything with .date() (a pandas Timestamp)


def parse_date(value: DateLike, what: str = "date", param: str | None = None) -> dt.date:
    """A date from a date, a datetime (its day), anything with .date() (a pandas Timestamp) or an ISO
    string (a date, or a date and time); a TimelineError that says what is valid otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) and callable(getattr(value, "date", None)):
        day = value.date()
        if isinstance(day, dt.date):
            return day
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        raise TimelineError(f"{what} {value!r} is not a valid date (expected YYYY-MM-DD, e.g. 2024-11-23)",
                            param=param) from None


def parse_known_at(value: DateLike | None) -> dt.date | None:
    """None or 'latest' mean the whole log; otherwise a report-time cut-off date."""
    if value is None or (isinstance(value, str) and value.strip().lower() == "latest"):
        return None
    try:
        return parse_date(value, "known_at")
    except TimelineError:
        raise TimelineError(f"known_at {value!r} is not a date (expected YYYY-MM-DD or 'latest')",
                            param="known_at") from None
