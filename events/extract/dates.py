"""Calendar dates and time expressions, resolved against the publication date.

Anything relative (weekdays, "overnight", "now", a month and day without a
year) needs the publication date; without one it stays unknown rather than
guessed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import cache

from attrs import frozen

from events.extract.lexicon import alternation, cue_text, fold, has_cue, keywords, lexicon
from events.model import Period


@frozen
class DateMention:
    start: int
    end: int
    year: int | None
    month: int
    day: int | None  # None: a month and year only


@frozen
class TimeMention:
    """A time expression: kind is as_of | since | window | now | level."""

    start: int
    end: int
    kind: str
    date: dt.date | None = None
    period: Period | None = None


@cache
def _date_res() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    lex = lexicon()
    month = alternation(lex.months, boundary=False)
    wd = alternation(lex.weekdays, boundary=False)
    mdy = re.compile(
        rf"(?<![\w])(?:{wd},?\s+)?(?P<m>{month})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?![\d])(?:,?\s+(?P<y>(?:19|20)\d\d)(?!\d))?", re.I)
    dmy = re.compile(
        rf"(?<![\w])(?:{wd},?\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{month})\b\.?(?:,?\s+(?P<y>(?:19|20)\d\d)(?!\d))?", re.I)
    my = re.compile(rf"(?<![\w])(?P<m>{month})\.?,?\s+(?P<y>(?:19|20)\d\d)(?!\d)", re.I)
    iso = re.compile(r"(?<![\w-])(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)(?![\w-])")
    return mdy, dmy, my, iso


@cache
def _cues() -> dict[str, re.Pattern]:
    """Words one of which any match of each time rule contains: a sentence without them skips the rule."""
    lex = lexicon()
    return {
        "month": keywords(lex.months),
        "window_n": keywords(lex.window_units),
        "window_fixed": keywords(lex.windows),
        "this": keywords(["year", "month"]),
        "weekday": keywords(lex.weekdays),
        "origin": keywords(["since", "from"]),  # an origin only counts after one of these
        "now": keywords(lex.raw["calendar"]["now"]),
        "days_before": keywords(lex.raw["calendar"]["days_before"]),
    }


def _month(s: str) -> int:
    return lexicon().months[fold(s).rstrip(".")]


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[DateMention]:
    """Calendar dates in [start, end); a 'May' that is a verb is not a month unless a day or year follows."""
    end = len(text) if end is None else end
    return _find_dates(text, start, end, cue_text(text[start:end]))


_DOTTED_RE = re.compile(r"(?<![\w.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>(?:19|20)\d\d)(?![\w]|\.\d)")


def _find_dates(text: str, start: int, end: int, low: str | None) -> list[DateMention]:
    """find_dates with the span's cue_text already computed; most sentences name no month and skip the month rules."""
    mdy, dmy, my, iso = _date_res()
    out: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    months = has_cue(low, _cues()["month"])
    span = text[start:end]
    if ".20" in span or ".19" in span:  # "01.03.2025": day, month and year as the region's outlets print them
        for m in _DOTTED_RE.finditer(text, start, end):
            d, mo = int(m.group("d")), int(m.group("m"))
            if 1 <= d <= 31 and 1 <= mo <= 12:
                out.append(DateMention(m.start(), m.end(), int(m.group("y")), mo, d))
                taken.append((m.start(), m.end()))
    if not months and "-" not in span:
        return sorted(out, key=lambda x: x.start)

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    for rx in (iso, mdy, dmy) if months else (iso,):
        for m in rx.finditer(text, start, end):
            if not free(m.start(), m.end()):
                continue
            mo = int(m.group("m")) if rx is iso else _month(m.group("m"))
            d = int(m.group("d"))
            y = int(m.group("y")) if m.group("y") else None
            if not 1 <= d <= 31 or not 1 <= mo <= 12:
                continue
            out.append(DateMention(m.start(), m.end(), y, mo, d))
            taken.append((m.start(), m.end()))
    for m in my.finditer(text, start, end) if months else ():
        if free(m.start(), m.end()):
            out.append(DateMention(m.start(), m.end(), int(m.group("y")), _month(m.group("m")), None))
            taken.append((m.start(), m.end()))
    out.sort(key=lambda x: x.start)
    return out


def _safe(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def resolve(mention: DateMention, anchor: dt.date | None) -> dt.date | None:
    """A full date; a month and day without a year is the occurrence nearest the anchor (or None without one)."""
    if mention.day is None:
        return None
    if mention.year is not None:
        return _safe(mention.year, mention.month, mention.day)
    if anchor is None:
        return None
    cands = [_safe(anchor.year + k, mention.month, mention.day) for k in (-1, 0, 1)]
    cands = [c for c in cands if c]
    return min(cands, key=lambda c: (abs((c - anchor).days), c > anchor)) if cands else None


def latest_weekday(weekday: int, on_or_before: dt.date) -> dt.date:
    return shift(on_or_before, -((on_or_before.weekday() - weekday) % 7))


def body_date(text: str, spans: list[tuple[int, int]]) -> dt.date | None:
    """The latest explicit date in the body: yearless dates resolve against the latest dated one."""
    mentions = [m for a, b in spans for m in find_dates(text, a, b)]
    full = [resolve(m, None) for m in mentions if m.year is not None and m.day is not None]
    full = [d for d in full if d]
    years = [m.year for m in mentions if m.year is not None]
    if full:
        anchor = max(full)
    elif years:
        anchor = dt.date(max(years), 7, 1)
    else:
        return None
    dates = [d for d in (resolve(m, anchor) for m in mentions) if d]
    return max(dates) if dates else None


@cache
def _time_res() -> dict[str, re.Pattern]:
    lex = lexicon()
    nw = alternation([*lex.numbers["units"], *lex.numbers["tens"], "a", "an", "a few", "several"], boundary=False)
    unit = alternation(lex.window_units, boundary=False)
    month = alternation(lex.months, boundary=False)
    wd = alternation(lex.weekdays, boundary=False)
    return {
        "window_n": re.compile(
            rf"(?<![\w])(?:(?:over|in|during|within|for)\s+)?(?:the\s+)?(?:past|last|previous|preceding)\s+(?P<n>\d+|{nw})?\s*(?P<u>{unit})\b"
            rf"|(?<![\w])(?:in|over|within|during)\s+(?:just\s+)?(?P<n2>\d+|{nw})\s+(?P<u2>{unit})\b", re.I),
        "window_fixed": re.compile(alternation(lex.windows, icase=True)),
        "this": re.compile(r"(?<![\w])(?:this|so far this|since the (?:start|beginning) of the)\s+(?P<u>year|month)\b", re.I),
        "in_month": re.compile(rf"(?<![\w])(?:in|during|throughout|for|over|(?P<last>last))\s+{_PART_OF_MONTH}(?P<m>{month})\b(?!\.?\s*\d)"
                               r"(?P<ly>\s+(?:of\s+)?last\s+year\b)?", re.I),
        "since_bare_month": re.compile(rf"(?<![\w])since\s+(?P<m>{month})\b(?!\.?,?\s*\d)", re.I),  # "since March"
        "by_month": re.compile(rf"(?<![\w])(?:by|as\s+of|until|end\s+of)\s+(?:the\s+end\s+of\s+)?{_PART_OF_MONTH}(?P<m>{month})\b(?!\.?\s*\d)", re.I),
        "day_range": re.compile(
            rf"(?<![\w])(?:(?P<m>{month})\.?\s+(?P<a>\d{{1,2}})\s*[-–]\s*(?P<b>\d{{1,2}})"
            rf"|(?P<a2>\d{{1,2}})\s*[-–]\s*(?P<b2>\d{{1,2}})\s+(?P<m2>{month})\b\.?)(?:,?\s+(?P<y>(?:19|20)\d\d))?(?![\w-])", re.I),
        "past_year": re.compile(r"(?<![\w])(?:over|in|during|within|for)\s+the\s+(?:past|last|previous)\s+(?:year|12 months|twelve months)\b", re.I),
        "last_year": re.compile(r"(?<![\w])(?:last\s+year|a\s+year\s+(?P<ago>ago|earlier))\b", re.I),
        "years": re.compile(r"(?<![\w])(?:(?:between|from)\s+(?P<a>(?:19|20)\d\d)\s+(?:and|to)\s+(?P<b>(?:19|20)\d\d)"
                            r"|\((?P<a2>(?:19|20)\d\d)\s*[-–]\s*(?P<b2>(?:19|20)\d\d)\))(?![\w])", re.I),
        "in_year": re.compile(r"(?<![\w])(?:in|during|throughout)\s+(?:the\s+year\s+)?(?P<y>(?:19|20)\d\d)\b(?!\s*[-–/]\s*\d)", re.I),
        "weekday": re.compile(rf"(?<![\w])(?:on\s+|last\s+)?(?P<w>{wd})\b", re.I),
        # "between January and June", "from March to May 2024", "in May and June", "January-June 2025"
        "month_range": re.compile(
            rf"(?<![\w])(?:(?:between|from)\s+(?P<m1>{month})\.?\s+(?:and|to|through|until|till)\s+"
            rf"|(?:in|during|over|throughout)\s+(?P<m3>{month})\.?\s+and\s+|(?P<m5>{month})\.?\s*[-–]\s*)"
            rf"(?P<m2>{month})\b\.?(?!\s*\d{{1,2}}\b)(?:,?\s+(?P<y>(?:19|20)\d\d)\b)?", re.I),
        # "the first six months of 2025", "the first half of the year", "the third quarter", "the second half of 2024"
        "part_of_year": re.compile(
            r"(?<![\w])(?:(?:in|during|over|for|throughout)\s+)?the\s+(?P<o>first|second|third|fourth|last|final)\s+"
            rf"(?:(?P<n>\d{{1,2}}|{nw})\s+months|(?P<u>half|quarter))"
            r"(?:\s+of\s+(?:(?P<y>(?:19|20)\d\d)|(?P<this>the|this|the\s+current)\s+year|(?P<last>last|the\s+previous)\s+year)\b"
            r"|(?!\s+of\b)\b)",  # "the first six months of the war" counts from another start: not this rule
            re.I),
        "since": re.compile(r"(?<![\w])since\s+", re.I),
        "since_month": re.compile(rf"(?<![\w])since\s+the\s+(?P<p>start|beginning|end)\s+of\s+(?P<m>{month})\b"
                                  r"(?:,?\s+(?P<y>(?:19|20)\d\d))?", re.I),
        "days_before": re.compile(alternation(lex.raw["calendar"]["days_before"], icase=True)),
        "origin": re.compile(alternation(lex.origins, icase=True)),
        # an operation or a document named by its month: "the May counterattack", "a March assessment", "its June update"
        "event_month": re.compile(rf"(?<![\w])(?:the|its|their|his|her|this|last|an?|[A-Z][\w-]*[’']s)\s+(?P<m>{month})\s+"
                                  r"(?:counter-?offensive|counter-?attack|offensive|incursion|assault|push|operation|"
                                  r"attack|advance|breakthrough|campaign|assessment|report|update|estimate|study|survey|"
                                  r"briefing|analysis|paper|bulletin|tally|intelligence\s+update)s?\b", re.I),
        # "in the spring", "in the summer of 2024", "last winter", "this autumn"
        "season": re.compile(r"(?<![\w])(?:(?:in|during|over|throughout|by)\s+(?:the\s+)?|(?P<last>last)\s+|this\s+)"
                             r"(?:(?P<part>early|late|mid)[\s-]+)?(?P<s>spring|summer|autumn|fall|winter)\b"
                             r"(?:\s+of\s+(?P<y>(?:19|20)\d\d)\b)?", re.I),
        # "in early 2025", "in mid-2024", "late last year"
        "part_year": re.compile(r"(?<![\w])(?:(?:in|during|by|until|since)\s+)?(?:the\s+)?(?P<part>early|mid|late|"
                                r"(?:the\s+)?(?:start|beginning|middle|end)\s+of)[\s-]+(?:(?P<y>(?:19|20)\d\d)\b|(?P<ly>last\s+year)\b)",
                                re.I),
        # "in the three months to March", "over the four weeks to the end of May", "in the 12 months through June 2024"
        "months_to": re.compile(rf"(?<![\w])(?:in|over|during)\s+the\s+(?P<n>\d{{1,2}}|{nw})\s+(?P<u>weeks|months)\s+"
                                rf"(?:to|through|until|ending(?:\s+in)?)\s+(?:the\s+end\s+of\s+)?(?P<m>{month})\b\.?"
                                r"(?:\s+(?P<d>\d{1,2})\b)?(?:,?\s+(?P<y>(?:19|20)\d\d)\b)?", re.I),
        # "at the beginning of March", "at the end of May 2024": a level at that part of the month
        "at_part": re.compile(rf"(?<![\w])at\s+the\s+(?P<part>start|beginning|middle|end)\s+of\s+(?P<m>{month})\b\.?"
                              r"(?!\s*\d{1,2}\b)(?:,?\s+(?P<y>(?:19|20)\d\d)\b)?", re.I),
        # "two months ago", "three weeks ago", "10 days ago"
        "ago": re.compile(rf"(?<![\w])(?P<n>\d{{1,2}}|{nw})\s+(?P<u>day|week|month)s?\s+ago\b", re.I),
        "level": re.compile(r"(?<![\w])(?:to|reaching|reached|bringing the (?:total|tally|number) to|total of|totall?ing)\s*$", re.I),
    }


_PART_OF_MONTH = r"(?:(?:the\s+)?(?P<part>early|mid|late|start|beginning|middle|end)(?:\s+of)?[\s-]*)?"  # "in late May"
_PARTS = {"early": (1, 10), "start": (1, 10), "beginning": (1, 10), "mid": (11, 20), "middle": (11, 20), "late": (21, 31),
          "end": (21, 31)}


def shift(d: dt.date, days: float) -> dt.date:
    """d moved by a number of days, clamped to the calendar's ends (a publication date of 0001-01-01 is not a crash)."""
    try:
        return d + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.min if days < 0 else dt.date.max


def _month_span(year: int, month: int, part: str | None = None) -> tuple[dt.date, dt.date] | None:
    """The first and last day of a month, or of its early, middle or late third ("in early January": 1-10); None
    for a month before the calendar begins ("in December" published in January of year 1)."""
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        return None
    first = dt.date(year, month, 1)
    last = first.replace(day=calendar.monthrange(year, month)[1])
    if part is None:
        return first, last
    a, b = _PARTS[fold(part)]
    return first.replace(day=a), min(last, first.replace(day=min(b, 28)) + dt.timedelta(days=max(0, b - 28)))


def _year_span(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


_DOCUMENT_RE = re.compile(r"(?i)(?:assessment|report|update|estimate|study|survey|briefing|analysis|paper|bulletin|"
                          r"tally)s?$")
def _after_origin(found: list[TimeMention], text: str, a: int, b: int) -> bool:
    """Whether [a, b) ("in", or nothing) follows an origin ("since the full-scale invasion") right away."""
    return any(t.kind == "since" and t.end <= a and _ORIGIN_DATE_GAP_RE.fullmatch(text, t.end, a) for t in found) \
        and fold(text[a:b].strip()) in ("", "in")


_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}  # the first month of each


def _season(m: re.Match, pub: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """The three months of a season ("in the spring": March to May; winter from December), or its early, mid or late
    month: of the year named, else the latest such season begun by the publication date ("last winter": the latest
    one that ended more than a month before it); the end clamped to the publication date."""
    first = _SEASONS[fold(m.group("s"))]
    if m.group("y"):
        y = int(m.group("y"))
    elif pub is None:
        return None
    else:
        y = pub.year if dt.date(pub.year, first, 1) <= pub else pub.year - 1
        ends = _months_until(y, first, y + (first + 1) // 12, (first + 1) % 12 + 1, None)
        if m.group("last") and (ends is None or (pub - ends[1]).days <= 31):
            # "last winter" in January or just after it: the one before; "last autumn" in June: the latest one
            y -= 1
    months = [(y + (first + k - 1) // 12, (first + k - 1) % 12 + 1) for k in range(3)]
    if m.group("part"):
        months = [months[{"early": 0, "mid": 1, "late": 2}[fold(m.group("part"))]]]
    (y1, m1), (y2, m2) = months[0], months[-1]
    return _months_until(y1, m1, y2, m2, pub)


def _months_until(y1: int, m1: int, y2: int, m2: int, pub: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """From the first day of month m1 of y1 to the last of m2 of y2, ended at the publication date; None for a
    span outside the calendar or one that begins after the publication."""
    if not (dt.MINYEAR <= y1 and y2 <= dt.MAXYEAR):
        return None
    a, b = dt.date(y1, m1, 1), _month_span(y2, m2)[1]
    if pub is not None:
        if a > pub:
            return None
        b = min(b, pub)
    return a, b


_SINCE_BEFORE_RE = re.compile(r"(?i)\bsince\s+$")
_AT_END_RE = re.compile(r"(?i)\b(?:at|by|as\s+of|until|till)\s+(?:the\s+)?end\b")
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}


def _part_of_year(m: re.Match, pub: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """The months "the first six months", "the second half", "the third quarter" [of YEAR | of the year] cover: of the
    year named, else of the publication's year (the year before when that part has not begun by then); the end is
    clamped to the publication date."""
    o = fold(m.group("o"))
    if o in ("last", "final") and not (m.group("y") or m.group("this") or m.group("last")):
        return None  # "in the last six months": the six months up to now, a window of its own rule
    if m.group("u"):
        size = 6 if fold(m.group("u")) == "half" else 3
        count = 2 if size == 6 else 4
        k = count if o in ("last", "final") else _ORDINALS[o]
        if k > count:
            return None
        first_month = (k - 1) * size + 1
    else:
        size = _n(m.group("n"))
        if not 1 <= size <= 12:
            return None
        first_month = 13 - size if o in ("last", "final") else 1
        if o not in ("first", "last", "final"):
            return None
    last_month = first_month + size - 1
    if m.group("y"):
        year = int(m.group("y"))
    elif pub is None:
        return None
    elif m.group("last"):
        year = pub.year - 1
    else:
        year = pub.year if (m.group("this") or dt.date(pub.year, first_month, 1) <= pub) else pub.year - 1
    return _months_until(year, first_month, year, last_month, pub)


def _month_range(m1: int, m2: int, year: int | None, pub: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """"Between January and June [2025]": the first day of one month to the last of the other; without a year, the
    latest such span that has begun by the publication date (and its end clamped to it)."""
    if year is None:
        if pub is None:
            return None
        year = pub.year if m1 <= pub.month else pub.year - 1  # the year the span starts in
        y1, y2 = year, year + (m2 < m1)
    else:
        y1, y2 = (year - 1, year) if m2 < m1 else (year, year)  # "from November to February 2024": to that February
    if y1 == y2 and m2 < m1:
        return None
    return _months_until(y1, m1, y2, m2, pub)


_ORIGIN_DATE_GAP_RE = re.compile(r"\s*,?\s*(?:on|in)?\s*")


def _n(s: str | None) -> int:
    if not s:
        return 1
    if s.isdigit():
        return int(s)
    s = fold(s)
    nu = lexicon().numbers
    if s in ("a", "an"):
        return 1
    if s in ("a few", "several"):
        return 3
    return nu["units"].get(s) or nu["tens"].get(s) or 1


def _calendar_month_before(m: re.Match, unit: str) -> bool:
    """Bare "last month" / "previous month" names the calendar month before; "the last month", "the past month"
    and "over the last month" are the thirty days up to the day."""
    phrase = fold(m.group(0)).split()
    return unit == "month" and len(phrase) == 2 and phrase[0] in ("last", "previous") and m.group("n") is None


def _holds(low: str | None, *words: str) -> bool:
    """Whether a prefilter lets a rule run: low is None when lower-casing could hide a match (cue_text)."""
    return low is None or any(w in low for w in words)


# "from 24.02.2022 to 10.06.2024": the first date is the origin of what the second dates
_TO_DATE_RE = re.compile(r"\s*(?:to|until|till|through|[-–—])\s*\d")


def time_mentions(text: str, start: int, end: int, pub: dt.date | None, anchor: dt.date | None) -> list[TimeMention]:
    """Time expressions within a sentence, resolved; unresolvable ones keep date/period None."""
    lex = lexicon()
    rx = _time_res()
    cues = _cues()
    low = cue_text(text[start:end])
    out: list[TimeMention] = []
    taken: list[tuple[int, int]] = []

    def add(tm: TimeMention) -> None:
        p = tm.period
        if p is not None and p.start is not None and p.start > p.end:  # no window ends before it begins
            return
        if all(tm.end <= a or tm.start >= b for a, b in taken):
            out.append(tm)
            taken.append((tm.start, tm.end))

    def window(days: float, a: int, b: int, end_day: dt.date | None) -> None:
        if end_day is None:
            add(TimeMention(a, b, "window"))
        else:
            add(TimeMention(a, b, "window", period=Period(shift(end_day, -max(1, round(days))), end_day)))

    for m in rx["months_to"].finditer(text, start, end) if has_cue(low, cues["month"]) and _holds(low, "weeks", "months") \
            and pub is not None else ():
        mo = _month(m.group("m"))
        y = int(m.group("y")) if m.group("y") else pub.year - (mo > pub.month)
        span = _month_span(y, mo) if dt.MINYEAR <= y <= dt.MAXYEAR and m.group("m") != "may" else None
        last = None if span is None else (_safe(y, mo, int(m.group("d"))) if m.group("d") else span[1])
        if last is not None:
            days = _n(m.group("n")) * (7 if fold(m.group("u")) == "weeks" else 30)
            months = y * 12 + mo - 1 - (_n(m.group("n")) - 1)  # whole months: from the first of the first one
            if fold(m.group("u")) == "months" and not m.group("d") and months // 12 >= dt.MINYEAR:
                first = dt.date(months // 12, months % 12 + 1, 1)
            else:
                first = shift(last, -days)
            add(TimeMention(m.start(), m.end(), "window", period=Period(first, min(last, pub))))
    for m in rx["at_part"].finditer(text, start, end) if has_cue(low, cues["month"]) and pub is not None else ():
        mo = _month(m.group("m"))
        y = int(m.group("y")) if m.group("y") else pub.year - (mo > pub.month)
        span = _month_span(y, mo, m.group("part")) if dt.MINYEAR <= y <= dt.MAXYEAR and m.group("m") != "may" else None
        if span is not None and span[0] <= pub:
            add(TimeMention(m.start(), m.end(), "as_of", date=min(span[1], pub)))
    for m in rx["part_of_year"].finditer(text, start, end) if _holds(low, "half", "quarter", "months") else ():
        span = _part_of_year(m, pub)
        if span is not None:
            add(TimeMention(m.start(), m.end(), "window", period=Period(*span)))
    for m in rx["month_range"].finditer(text, start, end) if has_cue(low, cues["month"]) else ():
        first_word = m.group("m1") or m.group("m3") or m.group("m5")
        if "may" in (first_word, m.group("m2")):  # "may" in lower case is the verb
            continue
        span = _month_range(_month(first_word), _month(m.group("m2")), int(m.group("y")) if m.group("y") else None, pub)
        if span is not None:
            add(TimeMention(m.start(), m.end(), "window", period=Period(*span)))
    for m in rx["since_month"].finditer(text, start, end) if has_cue(low, cues["month"]) and pub is not None else ():
        mo = _month(m.group("m"))  # "since the start of May": its first day, the latest May up to pub
        y = int(m.group("y")) if m.group("y") else pub.year - (mo > pub.month)
        span = _month_span(y, mo) if dt.MINYEAR <= y <= dt.MAXYEAR else None
        if span is not None and span[0] <= pub:
            add(TimeMention(m.start(), m.end(), "since", date=span[0] if fold(m.group("p")) != "end" else span[1]))
    for m in rx["origin"].finditer(text, start, end) if has_cue(low, cues["origin"]) else ():
        before = fold(text[max(start, m.start() - 12):m.start()])
        if "since" in before or "from" in before:
            add(TimeMention(m.start(), m.end(), "since", date=dt.date.fromisoformat(lex.origins[re.sub(r"\s+", " ", fold(m.group(0)))])))
    for m in rx["window_n"].finditer(text, start, end) if has_cue(low, cues["window_n"]) else ():
        n = _n(m.group("n") or m.group("n2"))
        u = fold(m.group("u") or m.group("u2"))
        if _calendar_month_before(m, u) and pub is not None and pub.year * 12 + pub.month > dt.MINYEAR * 12 + 1:
            y, mo = divmod(pub.year * 12 + pub.month - 2, 12)  # "last month": the calendar month before
            add(TimeMention(m.start(), m.end(), "window", period=Period(*_month_span(y, mo + 1))))
            continue
        window(n * lex.window_units[u], m.start(), m.end(), pub)
    for m in rx["window_fixed"].finditer(text, start, end) if has_cue(low, cues["window_fixed"]) else ():
        window(lex.windows[re.sub(r"\s+", " ", fold(m.group(0)))], m.start(), m.end(), pub)
    for m in rx["days_before"].finditer(text, start, end) if has_cue(low, cues["days_before"]) else ():
        back = lex.raw["calendar"]["days_before"][re.sub(r"\s+", " ", fold(m.group(0)))]
        add(TimeMention(m.start(), m.end(), "as_of", date=None if pub is None else shift(pub, -back)))
    for m in rx["this"].finditer(text, start, end) if has_cue(low, cues["this"]) else ():
        if pub is None:
            add(TimeMention(m.start(), m.end(), "window"))
        else:
            first = dt.date(pub.year, 1, 1) if fold(m.group("u")) == "year" else pub.replace(day=1)
            add(TimeMention(m.start(), m.end(), "window", period=Period(first, pub)))
    for m in rx["day_range"].finditer(text, start, end) if has_cue(low, cues["month"]) else ():
        mo = _month(m.group("m") or m.group("m2"))
        a, b = int(m.group("a") or m.group("a2")), int(m.group("b") or m.group("b2"))
        y = int(m.group("y")) if m.group("y") else (None if pub is None else pub.year - (mo > pub.month))
        first, last = (_safe(y, mo, a), _safe(y, mo, b)) if y is not None else (None, None)
        if first is not None and last is not None and first <= last:
            add(TimeMention(m.start(), m.end(), "window", period=Period(first, last)))  # "November 11-17"
    for dm in _find_dates(text, start, end, low):
        before = fold(text[max(start, dm.start - 8):dm.start])
        d = resolve(dm, anchor)
        if dm.day is None:
            if dm.year is not None and re.search(r"since\s*$", before):  # "since February 2022": its first day
                add(TimeMention(dm.start, dm.end, "since", date=dt.date(dm.year, dm.month, 1)))
                continue
            before = fold(text[max(start, dm.start - 20):dm.start])
            by = re.search(r"(?:\bby|\bend\s+of|\bas\s+of|\buntil)\s+" + _PART_OF_MONTH + r"$", before)  # "by February 2024": its last day
            within = re.search(r"(?:\bin|\bduring|\bthroughout)\s+" + _PART_OF_MONTH + r"$", before)  # "in February 2024": the month
            y = dm.year if dm.year is not None or not by else (None if pub is None else pub.year - (dm.month > pub.month))
            if y is None or (not (by or within) and (dm.year is None or re.search(r"(?:\bfrom|\bsince)\s*$", before))):
                continue  # a bare "March 2025" ("Russian losses, March 2025:") is that month
            span = _month_span(y, dm.month, (by or within).group("part") if (by or within) else None)
            if span is None:
                continue
            first, last = span
            if pub is not None and first > pub:
                continue
            if within and _after_origin(out, text, within.start() + max(start, dm.start - 20), dm.start):
                continue  # "since the full-scale invasion in February 2022": the origin's own month
            last = last if pub is None else min(last, pub)
            add(TimeMention(dm.start, dm.end, "as_of", date=last) if by
                else TimeMention(dm.start, dm.end, "window", period=Period(first, last)))
            continue
        kind = "since" if re.search(r"since\s*$", before) or (re.search(r"\bfrom\s*$", before)
                                                            and _TO_DATE_RE.match(text, dm.end, end)) else "as_of"
        if any(t.kind == "since" and t.end <= dm.start and _ORIGIN_DATE_GAP_RE.fullmatch(text, t.end, dm.start)
               for t in out):
            continue  # "since the start of the invasion on Feb. 24, 2022": the origin's own date
        add(TimeMention(dm.start, dm.end, kind, date=d))
    for name, kind in (("in_month", "window"), ("by_month", "as_of")):  # "in October", "by the end of October"
        for m in rx[name].finditer(text, start, end) if has_cue(low, cues["month"]) else ():
            if m.group("m") == "may" or pub is None:  # "May" capitalised is the month
                continue
            mo = _month(m.group("m"))
            back = 1 if name == "in_month" and m.group("ly") else 0  # "in August of last year"
            if name == "in_month" and m.group("last"):  # "last February": the latest one before the current month
                y = pub.year - (mo >= pub.month)
            else:
                y = pub.year - back - (mo > pub.month and not back)
            span = _month_span(y, mo, m.group("part"))
            if span is not None and span[0] > pub and name == "in_month" and not back:
                span = _month_span(y - 1, mo, m.group("part"))  # "in late June" said on June 12: last year's
            if span is None:
                continue
            first, last = span
            last = min(last, pub)
            add(TimeMention(m.start(), m.end(), kind, date=last) if kind == "as_of"
                else TimeMention(m.start(), m.end(), kind, period=Period(first, last)))
    for m in rx["since_bare_month"].finditer(text, start, end) if has_cue(low, cues["month"]) and pub is not None else ():
        mo = _month(m.group("m"))  # "since March": the first day of the latest March up to pub
        span = _month_span(pub.year - (mo > pub.month), mo) if m.group("m") != "may" else None
        if span is not None:
            add(TimeMention(m.start(), m.end(), "since", date=span[0]))
    for m in rx["event_month"].finditer(text, start, end) if has_cue(low, cues["month"]) and pub is not None else ():
        mo = _month(m.group("m"))  # "Ukraine's September counterattack": that month, its latest occurrence
        span = _month_span(pub.year - (mo > pub.month), mo)
        if span is None or (m.group("m") == "may" and not m.group(0)[0].isupper()):
            continue
        if _DOCUMENT_RE.search(m.group(0)):  # "a March assessment put ...": dated by its month, it counts no window
            add(TimeMention(m.start("m"), m.end(), "as_of", date=min(span[1], pub)))
        else:
            add(TimeMention(m.start("m"), m.end(), "window", period=Period(span[0], min(span[1], pub))))
    for m in rx["season"].finditer(text, start, end) if _holds(low, "spring", "summer", "autumn", "fall", "winter") else ():
        span = _season(m, pub)
        if span is not None:
            add(TimeMention(m.start(), m.end(), "window", period=Period(*span)))
    for m in rx["part_year"].finditer(text, start, end) if _holds(low, "early", "mid", "late", "start", "beginning",
                                                                    "middle", "end") and _holds(low, "20", "19", "last year") \
            else ():
        y = int(m.group("y")) if m.group("y") else (pub.year - 1 if pub is not None else None)
        part = fold(m.group("part")).split()[-2] if " " in m.group("part") else fold(m.group("part"))
        first, last = {"early": (1, 4), "start": (1, 2), "beginning": (1, 2), "mid": (5, 8), "middle": (5, 8),
                       "late": (9, 12), "end": (11, 12)}[part]
        if y is None or not dt.MINYEAR <= y <= dt.MAXYEAR or (pub is not None and dt.date(y, first, 1) > pub):
            continue
        b_ = _month_span(y, last)[1]
        if fold(m.group(0)).startswith("since"):  # "since the end of 2023": a running count from then
            add(TimeMention(m.start(), m.end(), "since", date=b_ if part == "end" else dt.date(y, first, 1)))
            continue
        if part == "end" and _AT_END_RE.search(text, max(start, m.start() - 10), m.end()):
            # "at the end of 2023", "by the end of last year": the year's last day, a level's date
            add(TimeMention(m.start(), m.end(), "as_of", date=b_ if pub is None else min(b_, pub)))
            continue
        add(TimeMention(m.start(), m.end(), "window", period=Period(dt.date(y, first, 1), b_ if pub is None else min(b_, pub))))
    for m in rx["ago"].finditer(text, start, end) if _holds(low, "ago") and pub is not None else ():
        days = _n(m.group("n")) * {"day": 1, "week": 7, "month": 30}[fold(m.group("u"))]
        add(TimeMention(m.start(), m.end(), "as_of", date=shift(pub, -days)))
    for m in rx["past_year"].finditer(text, start, end) if _holds(low, "year", "months") else ():
        window(365, m.start(), m.end(), pub)
    for m in rx["last_year"].finditer(text, start, end) if _holds(low, "year") and pub is not None else ():
        if m.group("ago"):  # "a year ago": that day
            add(TimeMention(m.start(), m.end(), "as_of", date=shift(pub, -365)))
        else:  # "last year": the calendar year before
            if pub.year > dt.MINYEAR:
                add(TimeMention(m.start(), m.end(), "window", period=Period(*_year_span(pub.year - 1))))
    for m in rx["years"].finditer(text, start, end) if _holds(low, "20", "19") else ():
        y1, y2 = int(m.group("a") or m.group("a2")), int(m.group("b") or m.group("b2"))
        if y1 < y2 and (pub is None or y2 <= pub.year):  # "between 2003 and 2011", "(1955–1975)": those years
            add(TimeMention(m.start(), m.end(), "window", period=Period(_year_span(y1)[0], _year_span(y2)[1])))
    for m in rx["in_year"].finditer(text, start, end) if _holds(low, " 20", " 19") else ():
        y = int(m.group("y"))
        if pub is not None and y > pub.year:
            continue
        if _after_origin(out, text, m.start(), m.start()):
            continue  # "since the invasion in 2022": the origin's own year
        first, last = _year_span(y)
        add(TimeMention(m.start(), m.end(), "window", period=Period(first, last if pub is None else min(last, pub))))
    for m in rx["weekday"].finditer(text, start, end) if has_cue(low, cues["weekday"]) else ():
        d = latest_weekday(lex.weekdays[fold(m.group("w"))], pub) if pub else None
        since_day = _SINCE_BEFORE_RE.search(text, max(start, m.start() - 8), m.start()) is not None
        add(TimeMention(m.start(), m.end(), "since" if since_day else "as_of", date=d))  # "since Saturday": from then
    for m in lex.now_re.finditer(text, start, end) if has_cue(low, cues["now"]) else ():
        add(TimeMention(m.start(), m.end(), "now", date=pub))
    out.sort(key=lambda t: t.start)
    return out


_RELATIVE_DAY_RE = re.compile(
    r"(?i)(?<![\w])(?:(?:on\s+)?(?:the|that)\s+(?:very\s+|same\s+)?day(?!\s+(?:before|after))|the\s+same\s+day"
    r"|(?:(?P<n>a|one|two|three|four|five|six|seven|\d{1,2}|a\s+few|several)\s+)?(?P<u>days?|weeks?|months?)\s+"
    r"(?:(?P<dir>earlier|later)|(?P<dirp>before|after)(?!\s+(?:the|that|it|he|she|they|a|an|[A-Z])))"
    r"|the\s+(?P<nx>next|following|previous|preceding)\s+(?P<u2>day|week)|the\s+day\s+(?P<dir2>before|after))\b")
_SMALL = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "a few": 3, "several": 3}


def relative_days(text: str, start: int, end: int, previous: dt.date | None) -> list[TimeMention]:
    """"The same day", "a day earlier", "two weeks later", "the next day": a date counted from the statement
    before, which the sentence does not repeat; nothing without one."""
    if previous is None or "day" not in (low := fold(text[start:end])) and "week" not in low and "month" not in low:
        return []
    out = []
    for m in _RELATIVE_DAY_RE.finditer(text, start, end):
        if m.group("u"):  # "days later" without a number: a few
            n = _SMALL.get(" ".join(fold(m.group("n") or "a few").split())) or int(m.group("n"))
            unit = fold(m.group("u")).rstrip("s")
            days = n * {"day": 1, "week": 7, "month": 30}[unit]
            sign = -1 if fold(m.group("dir") or m.group("dirp")) in ("earlier", "before") else 1
        elif m.group("nx"):
            days = {"day": 1, "week": 7}[fold(m.group("u2"))]
            sign = 1 if fold(m.group("nx")) in ("next", "following") else -1
        elif m.group("dir2"):
            days, sign = 1, (-1 if fold(m.group("dir2")) == "before" else 1)
        else:
            days, sign = 0, 1
        out.append(TimeMention(m.start(), m.end(), "as_of", date=shift(previous, sign * days)))
    return out
