"""Loss tallies printed as label lines under a lead.

    The total combat losses of the enemy from February 24, 2022 to November 18, 2024 are approximately:
    personnel ‒ about 723,970 (+1,500) persons,
    tanks ‒ 9,352 (+5),

The General Staff's daily report is reprinted in this form by many outlets.
The sentence grammar reads "<figure> <noun>"; these lines are "<noun> ‒
<figure>", so they are read here. Each line gives a running total (a level
since the lead's first date, as of its last date or the publication date) and
in brackets the day's increment (a count over the day that ends then). The
lead names the side; the lead or the sentence after the list names who
reported it.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from attrs import evolve

from events.extract import attribution as attr
from events.extract.attribution import party_of_name
from events.extract.claims import _FIXED_WINDOW_RE, _THE_MONTH_RE, Found, _regions, outlet_side, pick_region, resolve_side
from events.extract.dates import find_dates, resolve, shift, time_mentions
from events.extract.lexicon import fold, lexicon
from events.extract.numbers import GROUP_SPACES
from events.model import Claim, Period

_LINE_RE = re.compile(
    r"^[ \t]*(?:[-*•·][ \t]+)?(?P<label>[A-Za-z][A-Za-z /’'()-]{0,60}?)[ \t]*[‒–—:-][ \t]*"
    r"(?P<q>about|approximately|approx\.|around|over|more than)?[ \t]*"
    rf"(?P<n>\d{{1,3}}(?:[,{GROUP_SPACES}]\d{{3}})+|\d+)[ \t]*"
    rf"(?:[(\[][ \t]*(?:\+|plus)[ \t]*(?P<inc>\d{{1,3}}(?:[,{GROUP_SPACES}]\d{{3}})+|\d+)[ \t]*[)\]])?"
    r"(?:[ \t]*\((?P<note>[A-Za-z ,]{1,40})\))?"  # "personnel — 1,904 (killed and wounded)"
    r"[ \t]*(?:persons|people|units|pcs\.?|(?:military )?personnel|servicemen|soldiers|troops)?[ \t]*[,;.]?[ \t]*\r?$",
    re.M | re.I,
)
_MIN_LINES = 3  # a run of lines this long is a tally whatever its lead; two lines are one under a colon lead
_COLON_LEAD_RE = re.compile(r":\s*$")
_SIGNALS = ("side:tally-lead", "metric:tally-label", "date:tally-lead")
_LEAD_CHARS = 300
_LOSS_RE = re.compile(r"\b(?:loss(?:es)?|lost|liquidated|eliminated|destroyed)\b", re.I)
_KILLED_LEAD_RE = re.compile(r"\b(?:killed|dead|deaths|liquidated|fatalities)\b", re.I)
_FROM_RE = re.compile(r"(?:\bfrom|\bsince)\s+$", re.I)
_BETWEEN_RE = re.compile(r"\bbetween\s+(?:the\s+)?$", re.I)
_QUALIFIERS = {"about": "about", "approximately": "about", "approx.": "about", "around": "about", "over": "over",
               "more than": "over"}


@cache
def _labels() -> dict[str, str]:
    """Label (lower case) -> metric: the lexicon's tally labels, then its casualty and equipment nouns."""
    lex = lexicon()
    return {**lex.casualty, **lex.equipment, **{fold(k): v for k, v in lex.raw["metrics"]["tally_labels"].items()}}


_SLASH_RE = re.compile(r"\s*/\s*")
_REPORTING_BODY_RE = re.compile(r"\s*(?:General Staff|Defen[cs]e Ministry|Ministry of Defen[cs]e|[Mm]inistry|"
                                r"(?:military\s+)?intelligence|officials|government)\b")
_ACCORDING_RE = re.compile(r"\baccording\s+to\s+(?:the\s+)?$", re.I)


def _label_metric(label: str) -> str | None:
    """The metric a line's label names; "warships/boats" is "warships / boats" and "warships and boats"."""
    key = fold(" ".join(label.split()))
    labels = _labels()
    if key in labels:
        return labels[key]
    slashed = _SLASH_RE.sub(" / ", key)
    return labels.get(slashed) or labels.get(_SLASH_RE.sub(" and ", key)) or labels.get(slashed.split(" / ")[0])


def _number(s: str) -> int:
    return int(re.sub(f"[,{GROUP_SPACES}]", "", s))


def tally_claims(text: str, furniture: tuple[tuple[int, int], ...], pub: dt.date | None,
                 outlet: str | None, ppl: attr.People | None = None) -> list[Found]:
    """Claims of every run of tally lines outside the page furniture (such lines read as headings elsewhere)."""
    lines = [m for m in _LINE_RE.finditer(text) if not any(a <= m.start() < b for a, b in furniture)]
    out: list[Found] = []
    run: list[re.Match] = []
    for m in lines + [None]:  # type: ignore[list-item]
        if m is not None and run and text[run[-1].end():m.start()].strip() == "":  # consecutive lines
            run.append(m)
            continue
        if len(run) >= _MIN_LINES or len(run) >= 2 and _COLON_LEAD_RE.search(text, max(0, run[0].start() - 3), run[0].start()):
            out.extend(_run_claims(text, run, pub, outlet, ppl) or _breakdown_claims(text, run, pub, outlet))
        run = [m] if m is not None else []
    return out


def _run_claims(text: str, run: list[re.Match], pub: dt.date | None, outlet: str | None,
                ppl: attr.People | None) -> list[Found]:
    lex = lexicon()
    lead_start = max(0, run[0].start() - _LEAD_CHARS)
    lead = text[lead_start:run[0].start()]
    if not _LOSS_RE.search(lead):
        return []
    # the side whose losses they are, not the one whose body reports them ("..., according to Ukraine's General Staff:")
    parties = [lex.party_of[m.group(0)] for m in lex.party_re.finditer(lead)
               if not _REPORTING_BODY_RE.match(lead, m.end()) and not _ACCORDING_RE.search(lead, 0, m.start())]
    if not parties:
        return []
    since, as_of, between = None, pub, None
    for dm in find_dates(text, lead_start, run[0].start()):
        d = resolve(dm, pub)
        if d is None:
            continue
        if _FROM_RE.search(text[max(lead_start, dm.start - 8):dm.start]):
            if dm.year is None and pub is not None and d > pub:
                d = resolve(evolve(dm, year=pub.year - 1), pub) or d  # "since Aug. 6" in March: last August's
            since = d
        elif _BETWEEN_RE.search(text[max(lead_start, dm.start - 10):dm.start]):
            between = d  # "the losses ... between Oct. 10, 2023, and Feb. 17, 2024, amounted to:" a count over those days
        else:
            as_of = d
    if between is not None and as_of is not None and between < as_of:
        lead_span: Period | None = Period(between, as_of)
    else:
        lead_span = None
    # the lead's own paragraph: its speaker ("General X, who commanded ..., said the losses ... amounted to:") and
    # the place it names ("in the Avdiivka sector")
    para_start = _paragraph_start(text, max(0, run[0].start() - 1200), run[0].start())
    said = attr.find(text, para_start, run[0].start(), ppl, None) if ppl is not None else None
    who = said.claimant.name if said is not None and said.claimant.name else _reporter(text, lead_start, run[-1].end())
    region = pick_region(_regions(text, para_start, run[0].start()), run[0].start()) or lex.theatre
    # a lead without a date of its own that names a window ("Enemy losses ... over the month, according to ...:"):
    # the lines count over it
    window = lead_span or (_lead_window(text, para_start, run[0].start(), pub) if since is None and as_of == pub else None)
    side = said.claimant.party if said is not None and said.claimant.name else party_of_name(who)
    party = resolve_side(parties[-1], side or outlet_side(outlet))  # "the enemy" of the reporter
    found = []
    for m in run:
        metric = _label_metric(m.group("label"))
        if metric is None:
            continue  # a kind the vocabulary has no metric for ("air defense means")
        if metric == "losses.personnel.killed" and fold(m.group("label").strip()) == "personnel":
            # "personnel" counts what the lead counts: its losses, or its dead ("liquidated", "killed")
            metric = metric if _KILLED_LEAD_RE.search(_last_paragraph(lead)) and not m.group("note") else "losses.personnel"
        unit = "persons" if metric.startswith("losses.personnel") else "units"
        qualifier = _QUALIFIERS.get(fold((m.group("q") or "")), "exact")
        total = Claim(metric, party, _number(m.group("n")), unit, region, qualifier, as_of=None if window else as_of,
                      since=since, period=window, claimant=who, outlet=outlet)
        found.append(Found(total, (m.start("label"), m.end("n")), "tally-line", m.end("n"), signals=_SIGNALS))
        if m.group("inc") is not None and as_of is not None and window is None and _number(m.group("inc")) > 0:
            day = Claim(metric, party, _number(m.group("inc")), unit, region, "exact",
                        period=Period(shift(as_of, -1), as_of), claimant=who, outlet=outlet)
            found.append(Found(day, (m.start("inc") - 1, m.end("inc")), "tally-line-increment", m.end("inc"), signals=_SIGNALS))
    return found


def _paragraph_start(text: str, lo: int, pos: int) -> int:
    """Where the paragraph that ends at pos (the lead of a run of lines) begins, not before lo."""
    body = text[lo:pos].rstrip()
    cut = body.rfind("\n")
    return lo + cut + 1 if cut >= 0 else lo


def _lead_window(text: str, start: int, end: int, pub: dt.date | None) -> Period | None:
    """The window the last sentence of a lead's paragraph names ("over the past week", "in August"), with "over the
    month" read as the month the paragraph named before it ("... its results for August. Enemy losses over the month
    ...:"); None when that sentence counts from an origin ("since the invasion") or names no window."""
    last = max(text.rfind(". ", start, end) + 1, start)
    times = time_mentions(text, start, end, pub, pub)
    own = [t for t in times if t.start >= last]
    if not own or any(t.kind == "since" for t in own):
        return None
    windows = [t for t in own if t.kind == "window" and t.period is not None]
    if not windows:
        return None
    t = windows[-1]
    if _THE_MONTH_RE.fullmatch(text, t.start, t.end):
        named = [x for x in times if x.start < last and x.kind == "window" and x.period is not None
                 and _FIXED_WINDOW_RE.search(text, x.start, x.end) and (x.period.end - x.period.start).days <= 31]
        return named[-1].period if named else None
    return t.period


def _last_paragraph(s: str) -> str:
    return next((p for p in reversed(s.split("\n")) if p.strip()), "")


def _reporter(text: str, start: int, end: int) -> str | None:
    """The body the lead or the sentence after the list names ("... reported by the General Staff ...")."""
    lex = lexicon()
    after = [p for p in text[end:end + 700].split("\n") if p.strip()][:3]
    lead = text[start:end]
    # a body that speaks ("... published these figures", "..., the General Staff said") before one merely named
    for parts, speaking in ((after, True), ([lead], True), (after[:1], False), ([lead], False)):
        for part in parts:
            orgs = [m.group(0) for m in lex.org_re.finditer(part)]
            if orgs and (not speaking or lex.speech_re.search(part)):
                return max(orgs, key=len)
    return None



_PLACE_LABEL_RE = re.compile(r"(?:[A-Z][\w’'-]+[ \t]+){0,2}?[A-Z][\w’'-]+(?:[ \t]+(?P<kind>region|oblast|krai|republic|province))?")
_BREAKDOWN_SIGNALS = ("side:tally-lead", "metric:lead", "date:tally-lead")


def _breakdown_claims(text: str, run: list[re.Match], pub: dt.date | None, outlet: str | None) -> list[Found]:
    """A breakdown by place under a lead that names what is counted ("The regions with the most confirmed dead
    were:" / "Bashkortostan – 5,945" / "Sverdlovsk region – 4,439"): each line is the lead's metric in its place.

    Every label must be a place (one the lexicon knows, or capitalised words with an optional "region"); the lead's
    last paragraph must name a casualty noun and, with the paragraph before, a side."""
    lex = lexicon()
    labels = [m.group("label").strip() for m in run]
    if not all(_PLACE_LABEL_RE.fullmatch(lb) for lb in labels):
        return []
    lead_start = max(0, run[0].start() - _LEAD_CHARS)
    last = _last_paragraph(text[lead_start:run[0].start()])
    nouns = [fold(nm.group(0)) for nm in lex.noun_re.finditer(last)]
    counted = [n for n in nouns if n in lex.casualty and n not in lex.person_nouns]
    if not counted:
        return []
    metric = lex.casualty[counted[-1]]
    para_start = _paragraph_start(text, max(0, run[0].start() - 1200), run[0].start())
    parties = [lex.party_of[m.group(0)] for m in lex.party_re.finditer(text, para_start, run[0].start())]
    party = resolve_side(parties[-1], outlet_side(outlet)) if parties else None
    if party is None:
        return []
    as_of = pub
    for dm in find_dates(text, para_start, run[0].start()):
        d = resolve(dm, pub)
        if d is not None:
            as_of = d
    who = _reporter(text, para_start, run[-1].end())
    found = []
    for m, label in zip(run, labels):
        place = _PLACE_LABEL_RE.fullmatch(label)
        name = label[:place.start("kind")].strip() if place.group("kind") else label
        region = lex.region_of.get(label) or lex.region_of.get(name) or name
        qualifier = _QUALIFIERS.get(fold((m.group("q") or "")), "exact")
        claim = Claim(metric, party, _number(m.group("n")), "persons", region, qualifier, as_of=as_of, claimant=who,
                      outlet=outlet)
        found.append(Found(claim, (m.start("label"), m.end("n")), "breakdown-line", m.end("n"), signals=_BREAKDOWN_SIGNALS))
    return found
