"""Gains listed by month under a lead.

    Russian forces captured the following ground in 2024, according to DeepState:
    January - 427 km2, 14 settlements;
    February - 380 km2, 9 settlements;

The items follow their month, not a verb, so the sentence grammar cannot read
them. Each item is a count over its month (`area.gained` for an area,
`settlements.captured` for settlements), of the side the lead names as the
taker; the lead's verb or noun of gain ("captured", "gains", "advance") is
required. Lines or one sentence with ";" between the months read alike.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from events.extract import attribution as attr
from events.extract.claims import (_MI2_KM2, Found, _area, _cues, _noun_after, _parties, _regions, _subject,
                                   outlet_side, pick_region, speaker_side)
from events.extract.dates import _month_span
from events.extract.lexicon import alternation, fold, lexicon
from events.extract.numbers import figures
from events.model import Claim, Period

_MIN_MONTHS = 2
_LEAD_CHARS = 400
_SIGNALS = ("side:lead", "metric:lead", "date:month-item")
_GAIN_NOUN_RE = re.compile(r"\b(?:gains?|advances?|advanced|captures?)\b", re.I)
_YEAR_RE = re.compile(r"\b(?:in|of|during|for|over|throughout)\s+((?:19|20)\d\d)\b")
_SEP_RE = re.compile(r"[-–—:][ \t]*(?:about |around |over |more than |nearly |almost |some )?\d")
_GAP_RE = re.compile(r"[\s;,.]*(?:and\s+)?(?:[-*•]\s+)?")
_METRIC = {"km2": ("area.gained", "km2"), "settlements": ("settlements.captured", "settlements")}


@cache
def _segment_re() -> re.Pattern:
    """"January - ", "March 2024: ": a month opening its item (full names only: "May" alone is too common a word)."""
    names = [k for k in lexicon().months if len(k) > 4 or k in ("may", "june", "july")]
    month = alternation([n.capitalize() for n in names], boundary=False)
    return re.compile(rf"(?<![\w])(?P<m>{month})(?:\s+(?P<y>(?:19|20)\d\d))?\s*(?:[-–—:])\s*(?=(?:about|around|over|"
                      rf"more than|nearly|almost|some)?\s*\d)")


def month_list_claims(text: str, spans: list[tuple[int, int]], pub: dt.date | None, outlet: str | None,
                      ppl: attr.People) -> tuple[list[Found], list[tuple[int, int]]]:
    """Claims of every list of two or more months with their gains, and the spans the lists take (what the
    sentence grammar leaves to this reader)."""
    out: list[Found] = []
    taken: list[tuple[int, int]] = []
    segs: list[tuple[re.Match, int]] = []  # each month with the end of its paragraph (a list may run over lines)
    seg_re = _segment_re()
    for a, b in spans:
        for d in _SEP_RE.finditer(text, a, b):  # the separators first: the engine skips ahead to them
            m = seg_re.search(text, max(a, d.start() - 20), d.end())  # "September 2024 - ": the month before it
            if m is not None and d.start() < m.end() <= d.end():
                segs.append((m, b))
    if len(segs) < _MIN_MONTHS:
        return out, taken
    runs: list[list[tuple[re.Match, int]]] = [[segs[0]]]
    for m, b in segs[1:]:
        prev, pb = runs[-1][-1]
        if _GAP_RE.fullmatch(text, _items_end(text, prev, pb), m.start()):
            runs[-1].append((m, b))
        else:
            runs.append([(m, b)])
    for run in runs:
        if len(run) < _MIN_MONTHS:
            continue
        found = _run(text, run, pub, outlet, ppl)
        if found:
            out.extend(found)
            taken.append((run[0][0].start(), _items_end(text, run[-1][0], run[-1][1])))
    return out, taken


def _items_end(text: str, seg: re.Match, limit: int) -> int:
    """Where a month's items end: at ";", a full stop or the end of the line, or at the next month."""
    k = seg.end()
    while k < limit and text[k] not in ";\n" and not (text[k] == "." and (k + 1 >= len(text) or not text[k + 1].isdigit())):
        k += 1
    return k


def _lead_span(text: str, first: re.Match) -> tuple[int, int]:
    """The lead: the text before the first month in its paragraph, else the paragraph before it."""
    lo = max(0, first.start() - _LEAD_CHARS)
    before = text[lo:first.start()]
    own = before.rsplit("\n", 1)[-1]
    if own.strip(" -*•\t"):
        return first.start() - len(own), first.start()
    body = before.rstrip()
    cut = body.rfind("\n")
    return lo + cut + 1, lo + len(body)


def _run(text: str, run: list[tuple[re.Match, int]], pub: dt.date | None, outlet: str | None,
         ppl: attr.People) -> list[Found]:
    lex = lexicon()
    la, lb = _lead_span(text, run[0][0])
    if lb <= la:
        return []
    cues = [c for c in _cues(text, la, lb) if "gain" in c[2] or "reclaim" in c[2]]
    noun = _GAIN_NOUN_RE.search(text, la, lb)
    if not cues and noun is None:
        return []
    said = attr.find(text, la, lb, ppl, None)
    if said is None or not said.claimant.name:  # "...; May - 160 km2, the analysts said."
        last, end = run[-1]
        said = attr.find(text, last.end(), end, ppl, None)
    who = said.claimant if said is not None and said.claimant.name else None
    speaker = speaker_side(who, outlet) or outlet_side(outlet)
    parties = _parties(text, la, lb, [(said.start, said.end)] if said is not None and said.start < lb else [], speaker)
    at = cues[0][0] if cues else noun.start()
    party = _subject(parties, at + 1) or next((p for s, p in parties if p), None)
    if party is None or party not in lex.opposite:
        return []
    region = pick_region(_regions(text, la, lb), la) or lex.theatre
    ym = _YEAR_RE.search(text, la, lb)
    found = []
    for seg, b in run:
        mo = lex.months[fold(seg.group("m"))]
        year = int(seg.group("y") or (ym.group(1) if ym else 0)) or (
            None if pub is None else pub.year - (mo > pub.month))
        span = _month_span(year, mo) if year is not None else None
        if span is None:
            continue
        start, end = span
        if pub is not None and start > pub:
            continue
        if pub is not None and end > pub:
            end = pub  # the month under way: counted up to the report
        stop = _items_end(text, seg, b)
        for f in figures(text, seg.end(), stop):
            kind, _key, np_end, _p = _noun_after(text, f.end, stop)
            value = f.value
            if kind in ("mi2", "ha"):
                value = _area(value * (_MI2_KM2 if kind == "mi2" else 0.01))
                kind = "km2"
            if kind not in _METRIC:
                continue
            metric, unit = _METRIC[kind]
            claim = Claim(metric, party, value, unit, region, f.qualifier, period=Period(start, end),
                          claimant=who.name if who else None, outlet=outlet)
            found.append(Found(claim, (seg.start(), max(np_end, f.end)), "month-item", max(np_end, f.end),
                               "gain", _SIGNALS))
    return found
