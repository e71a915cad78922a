"""Figures as printed: digits with separators, scales, number words, fractions, ranges, and their qualifiers."""

from __future__ import annotations

import re
from functools import cache

from attrs import frozen

from events.extract.lexicon import alternation, cue_text, fold, has_cue, keywords, lexicon
from events.qualifiers import interval as qualifier_interval

# The spaces that group a figure's digits in threes ("700 000", "20\u2009842"): a space, a no-break, figure, thin
# or narrow no-break space.
GROUP_SPACES = " \u00a0\u2007\u2009\u202f"
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
# the first digit comes before the boundary check so the engine can skip ahead to digits
_NUM_RE = re.compile(
    rf"(?P<a>\d(?<![\w.,:/$€£-]\d)(?:\d{{0,2}}(?:,\d{{3}})+|\d{{0,2}}(?:[{GROUP_SPACES}]\d{{3}})+(?![\d,.])|\d*)(?:\.\d+)?)"
    rf"(?:\s*(?:-|–|—)\s*(?P<b>{_DIGITS}))?"
    r"(?:\s*(?P<scale>million|thousand|billion|trillion|mln|bln|bn|k)\b|(?P<m>m)\b(?=\s+\w))?"
    r"(?P<plus>\+(?![\w+])|-plus\b)?"  # "2,000+ tanks", "1,000-plus soldiers": more than
)
DIGIT_RE = re.compile(r"\d")
_SCALE_WORDS = ("hundred", "thousand", "million", "billion", "trillion")
# "2S19", "9K33": a digit run glued to a capital is a model name, not a figure
_SKIP_AFTER_RE = re.compile(r"(?:st|nd|rd|th)\b|:\d|/\d|-(?!plus\b)[A-Za-z]|\.\d|-\d+/\d|,\d|[A-Z]")


@frozen
class Figure:
    """A number in the text: [start, end) is the figure itself, q_start where its qualifier begins."""

    start: int
    end: int
    value: int | float
    qualifier: str
    q_start: int
    low: int | float | None = None  # a printed range's ends
    high: int | float | None = None
    fraction: bool = False  # "a fifth of": a share, in percent
    word: bool = False  # spelled out


def _num(s: str) -> int | float:
    v = float(re.sub(f"[,{GROUP_SPACES}]", "", s))  # "723,970", "700 000"
    return int(v) if v.is_integer() and abs(v) < 2**53 else v


_WORD_AHEAD_RE = re.compile(r"\s+([\w’'-]+)")


def _counted_follows(text: str, pos: int, end: int) -> bool:
    """Whether a counted noun follows within the next three words ("1.5m Russian soldiers")."""
    noun_re = lexicon().noun_re
    for _ in range(3):
        w = _WORD_AHEAD_RE.match(text, pos, end)
        if w is None:
            return False
        if noun_re.match(text, w.start(1), end):
            return True
        pos = w.end()
    return False


_MODEL_RE = re.compile(r"(?:[A-Z][\w-]*\d[\w-]*\s+|[A-Z][a-z]+\s+(?=[a-z]))?(?:[a-z]+-[a-z]+\s+)?")  # "a Ka-52", "a self-propelled"
_ITEM_BEFORE_RE = re.compile(r"(?:,|\band|\bor)\s*$")
_ITEM_AFTER_RE = re.compile(r"\s+[a-z-]+(?:\s+[a-z-]+)?\s*(?:,|\band\b)")
_NOUN_THEN_ITEM_RE = re.compile(r"\s*(?:,|\band\b)")  # "an armored combat vehicle and two tanks"
_ARTICLE_RE = re.compile(r"\b[Aa]n?\s")


def _one_item(text: str, a: int, b: int, start: int, end: int) -> bool:
    """"a truck" as an item of an enumeration of equipment ("three tanks, a truck and two mortars"): one."""
    lex = lexicon()
    model = _MODEL_RE.match(text, b + 1, end) if b < end and text[b] == " " else None  # "a Ka-52 helicopter"
    nm = lex.noun_re.match(text, model.end(), end) if model else None
    if nm is None or fold(nm.group(0)) not in lex.equipment:
        return False
    return bool(_ITEM_BEFORE_RE.search(text, max(start, a - 5), a) or _ITEM_AFTER_RE.match(text, b, end)
                or _NOUN_THEN_ITEM_RE.match(text, nm.end(), end))


def tidy(v: float) -> int | float:
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return int(v)
    return round(v, 6) if isinstance(v, float) else v


@cache
def _word_re() -> re.Pattern:
    nu = lexicon().numbers
    small = [*nu["units"], *nu["tens"]]
    one = alternation(small + ["a", "an"], boundary=False)
    scale = alternation(_SCALE_WORDS, boundary=False)
    tens = alternation(nu["tens"], boundary=False)
    units = alternation(nu["units"], boundary=False)
    word = rf"(?:{tens}[- ]{units}|{one})(?:\s+{scale}(?:\s+(?:and\s+)?(?:{tens}[- ]{units}|{alternation(small, boundary=False)}))?)*"
    frac = alternation(nu["fractions"], boundary=False)
    dozen = alternation(nu["dozen"], boundary=False)
    return re.compile(rf"(?<![\w-])(?:(?P<frac>{frac})(?=\s+of\b)|(?P<dozen>{dozen})|(?P<word>{word}))(?![\w-])", re.I)


@cache
def _partial_re() -> re.Pattern:
    """A part of a scale written just before "a million", "a thousand": "half", "a quarter of"."""
    return re.compile(r"(?<![\w-])(" + alternation(lexicon().numbers["partial_scales"], boundary=False) + r")\s+$", re.I)


@cache
def _partials() -> dict[str, float]:
    return {re.sub(r"[\s-]+", " ", fold(k)): v for k, v in lexicon().numbers["partial_scales"].items()}


@cache
def _word_cues() -> re.Pattern:
    """Words one of which every spelled-out figure contains (a bare "a" or "an" is never one)."""
    nu = lexicon().numbers
    return keywords([*nu["units"], *nu["tens"], *_SCALE_WORDS, *nu["fractions"], *nu["dozen"]])


def _parse_words(s: str) -> int | None:
    nu = lexicon().numbers
    total, cur, seen = 0, 0, False
    for w in re.split(r"[\s-]+", fold(s)):
        if w == "and":
            continue
        if w in nu["units"] or w in nu["tens"]:
            cur += nu["units"].get(w) or nu["tens"][w]
            seen = True
        elif w in ("a", "an"):
            cur += 1
        elif w == "hundred":
            cur = (cur or 1) * 100
            seen = True
        elif w in nu["scales"]:
            total += (cur or 1) * nu["scales"][w]
            cur = 0
            seen = True
    return total + cur if seen else None


def _qualifier(text: str, start: int, floor: int) -> tuple[str, int]:
    lex = lexicon()
    lo = max(floor, start - 40)
    m = lex.qualifier_re.search(text, lo, start)
    if m and text[m.end():start].strip() == "":
        return lex.qualifier_of[re.sub(r"\s+", " ", fold(m.group(0).strip()))], m.start()
    return "exact", start


def figures(text: str, start: int, end: int) -> list[Figure]:
    """Figures within [start, end), in order; dates' days, times, ordinals and model names are not figures."""
    out: list[Figure] = []
    for m in _NUM_RE.finditer(text, start, end) if DIGIT_RE.search(text, start, end) else ():
        a = m.start()
        if a >= 2 and text[a - 1] == "-" and text[a - 2].isalpha():
            continue
        if _SKIP_AFTER_RE.match(text, m.end("a") if not m.group("b") else m.end("b")):
            continue
        if m.group("m") and not _counted_follows(text, m.end(), end):
            continue  # "advanced 500m": metres, not a figure of anything counted
        scale = m.group("scale") or m.group("m")  # "1.5m soldiers": a million
        mult = lexicon().numbers["scales"].get(fold(scale), 1) if scale else 1
        va = tidy(_num(m.group("a")) * mult)
        if abs(va) >= 2**53:
            continue  # past exact float integers: noise, and it could not be quoted back as printed
        low = high = None
        if m.group("b"):
            vb = tidy(_num(m.group("b")) * mult)
            if vb <= va or vb >= 2**53:
                continue  # "2-1" is not a range
            low, high = va, vb
        q, qs = _qualifier(text, a, start)
        if m.group("plus") and q == "exact":
            q = "over"
        if low is not None:
            out.append(Figure(a, m.end(), high, "up_to" if q == "exact" else q, qs, low=low, high=high))
        else:
            out.append(Figure(a, m.end(), va, q, qs))
    # a bare "a" or "an" is a figure only as an item of an enumeration of equipment (_one_item)
    for m in _word_re().finditer(text, start, end) if has_cue(cue_text(text[start:end]), _word_cues()) \
            or _ARTICLE_RE.search(text, start, end) else ():
        a = m.start()
        if any(f.start <= a < f.end for f in out):
            continue
        if m.group("frac"):
            v = lexicon().numbers["fractions"][re.sub(r"\s+", " ", fold(m.group("frac")))]
            q, qs = _qualifier(text, a, start)
            out.append(Figure(a, m.end(), v, q if q != "exact" else "about", qs, fraction=True, word=True))
            continue
        if m.group("dozen"):
            v = lexicon().numbers["dozen"][re.sub(r"\s+", " ", fold(m.group("dozen")))]
        else:
            s = m.group("word")
            if fold(s) in ("a", "an") and not _one_item(text, a, m.end(), start, end):
                continue
            v = 1 if fold(s) in ("a", "an") else _parse_words(s)
            if v is None:
                continue
            part = _partial_re().search(text, max(start, a - 25), a)  # "half a million": a part of the scale
            if part is not None and fold(s).split()[0] in ("a", "an") and len(s.split()) > 1:
                v = tidy(v * _partials()[re.sub(r"[\s-]+", " ", fold(part.group(1)))])
                out = [f for f in out if not part.start() <= f.start < a]  # "a quarter" was read as a share
                a = part.start()
        q, qs = _qualifier(text, a, start)
        out.append(Figure(a, m.end(), v, q, qs, word=True))
    out.sort(key=lambda f: f.start)
    return _ranges(text, out, start)


_TO_GAP_RE = re.compile(r"\s+(?:to|and)\s+")
_NOT_RANGE_BEFORE_RE = re.compile(r"\b(?:from|by)\s*$", re.I)
_BETWEEN_BEFORE_RE = re.compile(r"\bbetween\s*$", re.I)


def _ranges(text: str, figs: list[Figure], start: int) -> list[Figure]:
    """"70,000 to 80,000", "between 10,000 and 13,000": one figure, the upper end, up to, with both ends kept.

    "from 100,000 to 120,000" and "by 137,000 to 1,150,628" are changes, not ranges; an end ten times the other
    is a different quantity ("1.5 to 2 million" is read as two figures)."""
    out: list[Figure] = []
    i = 0
    while i < len(figs):
        f = figs[i]
        g = figs[i + 1] if i + 1 < len(figs) else None
        if g is not None and f.low is None and g.low is None and not f.fraction and not g.fraction \
                and g.qualifier == "exact" and f.value < g.value <= 10 * f.value:
            gap = _TO_GAP_RE.fullmatch(text, f.end, g.start)
            before = text[max(start, f.q_start - 12):f.q_start]
            between = _BETWEEN_BEFORE_RE.search(before)
            if gap and (gap.group(0).strip() == "to" and not _NOT_RANGE_BEFORE_RE.search(before)
                        or gap.group(0).strip() == "and" and between):
                q_start = f.q_start - len(between.group(0)) if between and f.q_start == f.start else f.q_start
                q = f.qualifier if f.qualifier != "exact" else "up_to"
                out.append(Figure(f.start, g.end, g.value, q, min(q_start, f.start), low=f.value, high=g.value,
                                  word=f.word and g.word))
                i += 2
                continue
        out.append(f)
        i += 1
    return out


def interval(qualifier: str, value: int | float) -> tuple[int | float | None, int | float | None]:
    """(low, high) implied by a qualifier: the one table in events/qualifiers.py."""
    return qualifier_interval(qualifier, value)
