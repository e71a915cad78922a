"""The grammar: from a figure to a claim.

A figure becomes a claim when what it counts (a unit or a counted noun, read
after the figure or, failing that, just before it) and what happened to it (a
cue verb or noun) together name a metric of the vocabulary. Side, region,
time and claimant are read from the sentence first, then from the list lead,
the paragraph and the article, in that order; what cannot be read is left
unknown (the region defaults to the theatre).
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right

from attrs import evolve, frozen

from events.extract import attribution as attr
from events.extract import clauses
from events.extract.dates import TimeMention, relative_days, shift, time_mentions
from events.extract.lexicon import fold, lexicon
from events.extract.measures import measured
from events.extract.numbers import DIGIT_RE, GROUP_SPACES, Figure, figures, interval
from events.extract.sentences import Block
from events.model import Claim, Period
from events.vocabulary import metric_table, vocabulary

_ADJ_GAP_RE = re.compile(r"\s*(?:[\w’'-]+\s+){0,1}?")
_PART = r"(?:killed in action|killed|died|wounded|injured|captured|taken prisoner|missing in action|missing)"
# people described by a participle of sending before their fate: "soldiers sent to fight for Russia are believed to have
# been killed", "conscripts deployed to the border have died"
_SENT_REL = (r"(?:\s+(?:(?:who|that)\s+(?:were|had\s+been|have\s+been)\s+)?(?:sent|deployed|dispatched|transferred|"
             r"mobili[sz]ed|drafted|moved)\b[^,;:.()\d]{0,60}?"
             r"|\s*,\s*(?:who|whom|which|that)\b[^,;:.()\d]{1,90},)?")  # ", whom he began throwing at Bakhmut,"
_AUX = (r"(?:were|was|have been|had been|has been|are|is|being|"
        r"(?:are|were|is|was)\s+(?:now\s+)?(?:believed|thought|estimated|reported|said|feared|presumed|assumed|understood|known)"
        r"\s+to\s+have(?:\s+been)?|have|had|has)")
_POST_RE = re.compile(
    rf"{_SENT_REL}\s+(?:{_AUX}\s+)?(?:\w+ly\s+)?(?:(?:listed|reported|registered|counted)\s+as\s+)?(?P<p>{_PART}(?:\s*,\s*{_PART})*(?:\s*,?\s+(?:or|and)\s+{_PART})?)\b", re.I)
_PART_RE = re.compile(_PART, re.I)
_FROM_RE = re.compile(r"\s+(?:from|of|launched by|fired by|sent by|belonging to)\s+(?:the\s+)?", re.I)
# "14 of its 31 tanks", "8 out of 12 helicopters": the first figure is the count, the second the stock it is part of
_OF_FIGURE_RE = re.compile(r"\s+(?:out\s+)?of\s+(?:the\s+|its\s+|their\s+|his\s+|her\s+|our\s+|a\s+total\s+of\s+)?", re.I)
_FOR_EVERY_RE = re.compile(r"(?i)\bfor\s+(?:every|each\s+one)\b")
_TO_ONE_GAP_RE = re.compile(r"\s*(?:-|to|:)\s*")  # "five to one", "3:1"
_RATIO_GAP_RE = re.compile(r"\s+(?:in|out\s+of)\s+every\s+|\s+in\s+", re.I)  # "one in five", "1 in every 10": a ratio
_SHARE_OBJ_RE = re.compile(r"\s+of\s+(?:the\s+|its\s+|their\s+|that\s+)?(?:(?:[\w’'-]+\s+){0,3}?)(?P<o>territory|territories|land|lands|ground|area|region|oblast|country)\b", re.I)
_SHARE_HELD_BEFORE_RE = re.compile(r"\bshare\s+(?:of\s+[\w’' -]{1,40}?\s+)?(?:(?:it|they|Russia|Ukraine|Moscow|Kyiv)\s+)?"
                                   r"(?:now\s+)?(?:holds?|controls?|occupies|occupy)\s+(?:to|at)\s*$", re.I)
_PAREN_BEFORE_RE = re.compile(r"\(\s*(?:about|some|around|approximately|roughly)?\s*$", re.I)
_LEVEL_BEFORE_RE = re.compile(r"(?:\bto|\breaching|\breached|\bbringing the (?:total|tally|number) to|\btotal of|\btotall?ing|\btotal(?:ed|led)?|\boverall)\s*$", re.I)
_BY_BEFORE_RE = re.compile(r"\bby\s*$", re.I)
_BARE_AFTER_RE = re.compile(r"\s*(?:[,.;:)!?”\"]|$|(?:overnight|to|in|on|as|and|from|by|at|over|during|since|this|last|the past|so far)\b"
                            r"|(?:(?:are|is|were|was)\s+(?:believed|thought|estimated|reported|said|feared|presumed)\s+to\s+(?:have\s+)?)?(?:have\s+|has\s+|had\s+)?died\b"
                            r"|(?:of\s+(?:which|them)\s+)?(?:were|was|have\s+been|had\s+been|has\s+been|"
                            r"(?:are|is|were|was)\s+(?:believed|thought|estimated|reported|said|feared|presumed)\s+to\s+have\s+been)"
                            r"\s+(?:shot|destroyed|downed|brought\s+down|intercepted|neutrali[sz]ed|hit|killed|captured"
                            r"|wounded|injured|eliminated|taken\s+prisoner|(?:listed\s+as\s+|reported\s+)?missing)\b)", re.I)
_MI2_KM2 = 2.589988
_CONVERTED_RE = re.compile(r"\s*\(\s*(?:about|some|around|approximately|roughly|nearly|over|more than)?\s*\d[\d,.]*\s*"
                           r"(?:square kilomet(?:re|er)s|sq\.? ?km|km2|km²)", re.I)


def _area(v: float) -> int | float:
    """A converted area as printed would be: whole km2 from 10 up, one decimal below."""
    return int(round(v)) if v >= 10 else round(v, 1)


_SET_RE = re.compile(r"\b(?:set|sets|setting|raised?|raising|increased?|increasing|expand(?:ed|ing)?|bring|brought|"
                     r"grow|ordered|decree[ds]?)\b", re.I)
_SHARED_NOUN_RE = re.compile(r"\s*(?:to|or|-|–)\s*")
_RATE_AFTER_RE = re.compile(r"\s*,?\s*(?:(?:a|per|every|each)\s+(?:single\s+)?(?:day|week|month)\b|on\s+an?\s+(?:average|typical)\s+day\b"
                            r"|daily\b)", re.I)
_RATE_BEFORE_RE = re.compile(r"\b(?:an?\s+average\s+of|on\s+average|averag(?:ed|ing))\s+$", re.I)
_RATIO_AFTER_RE = re.compile(r"\s+(?:and\s+a\s+half\s+)?times\b|-fold\b", re.I)
_STRONG_STOP_RE = re.compile(r"[;:]|\bbut\b|\bwhile\b|\bwhereas\b|\bhowever\b")
_WS_RUN_RE = re.compile(r"\s+")
_BLANKS_RE = re.compile(r"\s*")
_PREV_WORD_RE = re.compile(r"([\w-]+)\s*(?:the\s+)?$")
_BODY_AFTER_RE = re.compile(r"\s*(?:General Staff|Defen[cs]e Ministry|Armed Forces|armed forces chief|military source)")
_INTO_BEFORE_RE = re.compile(r"(?:\bin|\binto|\bto|\binside|\bacross|\bwithin)\s+$")
_POSSESSIVE_RE = re.compile(r"[’']s\b")
# "of Ukraine's territory": the possessor is the place itself, where "Russia's Kursk region" names another place
_OWN_LAND_RE = re.compile(r"[’']s\s+(?:own\s+|entire\s+|whole\s+|internationally\s+recogni[sz]ed\s+)?(?:territory|territories|land|lands|soil)\b", re.I)
_AS_OF_RE = re.compile(r"(?i)as\s+of")
_AS_OF_BEFORE_RE = re.compile(r"(?i)as\s+of\s*$")
_AND_GAP_RE = re.compile(r"\s*(?:,\s*)?and\s*")
_AND_THE_RE = re.compile(r"\s*(?:,\s*)?and\s+(?:the\s+|its\s+|their\s+)?", re.I)
_NOT_RE = re.compile(r"\b(?:has|have)\s+not\b")
_OF_THE_RE = re.compile(r"\s+of\s+(?:the\s+)?")

PERSON_CUES = metric_table().person_cues()  # verb cue -> the metric of a count of persons (lexicons/metrics.json)
HOSTILE = {"kill", "eliminate", "wound", "capture", "destroy", "deploy_opposed", "reclaim"}
TROOP_NOUNS = {"troops", "soldiers", "forces", "servicemen", "military personnel", "personnel", "fighters",
               "servicemembers", "service members", "mercenaries", "conscripts", "reservists", "contract soldiers"}


@frozen
class Found:
    """A claim before ids: the claim, its evidence span, the rule, and what a list item may inherit."""

    claim: Claim
    span: tuple[int, int]
    rule: str
    np_end: int
    cue: str | None = None
    signals: tuple[str, ...] = ()  # how side, metric and date were found ("side:subject", ...): what confidence rests on


@frozen
class Ctx:
    """What a sentence hands down to a list hanging from it."""

    cue: str | None = None
    party: str | None = None
    region: str | None = None
    as_of: dt.date | None = None
    period: Period | None = None
    claimant: attr.Claimant | None = None
    unit_kind: str | None = None
    stated: dt.date | None = None  # the date the sentence's statement was made ("said on Wednesday", "In October, ...")
    month: Period | None = None  # the month the sentence names ("in August"): what "over the month" refers back to


def _norm(s: str) -> str:
    """Blank runs as one space, lower-cased: the key a matched phrase has in its vocabulary."""
    return fold(" ".join(s.split()))


def _noun_after(text: str, pos: int, end: int) -> tuple[str | None, str | None, int, str | None]:
    """(kind, key, end, party) of what a figure counts, reading forward from pos."""
    lex = lexicon()
    if pos < end and text[pos] in "\"”»":  # a figure quoted on its own ('"more than 6,000" soldiers')
        pos += 1
    um = lex.unit_re.match(text, pos, end)
    if um is None:
        um = lex.unit_re.match(text, pos + (1 if pos < end and text[pos] == " " else 0), end)
    if um:
        kind = lex.unit_kind.get(_norm(um.group(0)))
        if kind:
            return kind, _norm(um.group(0)), um.end(), None
    party = None
    p = pos
    for _ in range(5):
        m = lex.np_skip_re.match(text, p, end)
        if m and m.end() > p:
            p = m.end()
            continue
        pm = _BLANKS_RE.match(text, p, end)
        q = pm.end()
        own = _OWN_PRONOUN_RE.match(text, q, end) if p > pos else None
        if own is not None and party is None:  # "20,000 of his fighters", "498 of our comrades": the speaker's;
            # "2,100 of its servicemen": the subject's, else the speaker's
            party, p = "its" if own.group(1) in ("its", "their") else "self", own.end()
            continue
        pw = lex.party_re.match(text, q, end)
        if pw:
            party = party or lex.party_of[pw.group(0)]
            if lex.noun_re.match(text, q, end):  # "invaders", "Russians": a side and the counted noun at once
                break
            p = pw.end()
            continue
        break
    q = _BLANKS_RE.match(text, p, end).end()
    nm = lex.noun_re.match(text, q, end)
    if not nm and q > pos:  # "155mm M777 howitzer": letters glued to the figure make a calibre, not a count
        nm = _after_modifiers(text, q, end)  # "6,120 battle tanks", "332 self-propelled howitzers"
    if not nm:
        return None, None, pos, party
    key = _norm(nm.group(0))
    if key in lex.persons_not:
        return "not", key, nm.end(), party
    fm = _FROM_RE.match(text, nm.end(), end)
    if fm and party is None:
        pw = lex.party_re.match(text, fm.end(), end)
        if pw:
            party = lex.party_of[pw.group(0)]
    if key in lex.casualty and key not in lex.person_nouns:
        return "casualty", key, nm.end(), party
    if key in lex.equipment:
        return "equipment", key, nm.end(), party
    return "persons", key, nm.end(), party


_OWN_PRONOUN_RE = re.compile(r"(his|her|our|its|their)\s+(?=[a-z])")
_MODIFIER_RE = re.compile(r"(?=[\w-]*[A-Za-z])([A-Za-z0-9][\w-]*[A-Za-z0-9])\s+(?:\d{1,2}[A-Z]?\d?\s+)?")  # "battle", "self-propelled", "Iskander-K", "D-30", "Leopard 2"
_NOT_MODIFIERS = frozenset("of the and or to in on at by for from with were was have has had been being are is a an their its "
                           "his her our this that these those which who whom more than over about some as".split())


def _after_modifiers(text: str, q: int, end: int):
    """A known noun after one or two modifiers the vocabulary does not know; a function word or a cue stops it."""
    lex = lexicon()
    p = q
    for _ in range(2):
        m = _MODIFIER_RE.match(text, p, end)
        w = fold(m.group(1)) if m else ""
        if m is None or w in _NOT_MODIFIERS or lex.cue_re.fullmatch(w) or w.endswith("ly") or lex.party_re.fullmatch(m.group(1)) \
                or w in lex.numbers["units"] or w in lex.numbers["tens"]:  # "three of its ten tanks": another figure
            return None
        p = m.end()
        nm = lex.noun_re.match(text, p, end)
        if nm:
            return nm
    return None


_NAMES_RE = re.compile(r"\s+names\b", re.I)
_DEATHS_RE = re.compile(r"\b(?:dead|deaths|killed|died|fallen|obituaries|war graves)\b", re.I)
_OF_THEM_RE = re.compile(r"\s+of\s+(?:them|those(?:\s+(?P<who>mobili[sz]ed|sent|deployed|called up|drafted))?|whom)\b", re.I)


def _persons_before(text: str, a: int, pos: int, prev, reach: int = 150) -> bool:
    """Whether "N of them" counts people: the figure before it in the sentence does, or a person noun (or a
    casualty noun, with `reach` given) precedes it."""
    if prev is not None:
        return prev.claim.unit == "persons"
    lex = lexicon()
    nouns = [m for m in lex.noun_re.finditer(text, max(a, pos - reach), pos)]
    if not nouns:
        return False
    key = _norm(nouns[-1].group(0))
    return key in lex.person_nouns or (reach != 150 and key in lex.casualty)


_QUESTION_RE = re.compile(r"[^.!?\n]{3,160}\?[\"”’']?\s*$")


def _question_before(text: str, a: int) -> tuple[str, str | None] | None:
    """(casualty key, side) of the question just before a sentence that answers it with a bare figure."""
    lex = lexicon()
    m = _QUESTION_RE.search(text, max(0, a - 170), a)
    if m is None:
        return None
    keys = [k for k in (_norm(n.group(0)) for n in lex.noun_re.finditer(text, m.start(), m.end()))
            if k in lex.casualty and k not in lex.person_nouns]
    if not keys:
        return None
    pm = lex.party_re.search(text, m.start(), m.end())
    return keys[-1], lex.party_of[pm.group(0)] if pm else None


def _antecedent_persons(text: str, a: int, pos: int, prev, antecedent: Claim | None) -> bool:
    """Whether "N of them" opening its sentence counts the people of the claim before it."""
    return (prev is None and antecedent is not None and antecedent.unit == "persons"
            and not any(True for _ in lexicon().noun_re.finditer(text, a, pos)))


_HEAD_WORD_RE = re.compile(r"[A-Za-z][\w-]*")


def _kind_named_before(text: str, a: int, start: int, pos: int, end: int) -> tuple[str, str, int] | None:
    """(kind, key, end) of "N of the <word>" when <word> is the last word of an equipment noun named shortly before
    ("launched 84 cruise missiles ...; 43 of the missiles were shot down"): the part counts what the whole counted."""
    lex = lexicon()
    hm = _HEAD_WORD_RE.match(text, pos, end)
    if hm is None:
        return None
    head = fold(hm.group(0))
    best = None
    for m in lex.noun_re.finditer(text, max(0, a - 200), start):
        k = _norm(m.group(0))
        if k in lex.equipment and k.endswith(" " + head):
            best = k
    return ("equipment", best, hm.end()) if best is not None else None


def _noun_before(text: str, a: int, start: int) -> tuple[str | None, str | None, str | None]:
    """A counted noun just before the figure ("its forces up to 690,000", "tally of Russian dead by 1,030")."""
    lex = lexicon()
    lo = max(start, a - 60)
    window = text[lo:a]
    if _STRONG_STOP_RE.search(window):
        lo += _STRONG_STOP_RE.search(window).end()
    best = None
    for m in lex.noun_re.finditer(text, lo, a):
        best = m
    if best is None:
        return None, None, None
    key = _norm(best.group(0))
    if key in lex.persons_not:
        return None, None, None
    between = text[best.end():a]
    if len(between.split()) > 5:
        return None, None, None
    pm = None
    for m in lex.party_re.finditer(text, max(start, best.start() - 30), best.start()):
        pm = m
    party = lex.party_of[pm.group(0)] if pm else None
    if key in lex.casualty and key not in lex.person_nouns:
        return "casualty", key, party
    if key in lex.equipment:
        return "equipment", key, party
    return "persons", key, party


def _participles_metric(words: str) -> str:
    """One participle names its metric ("killed"); a list of different ones ("killed, wounded or captured") is the sum."""
    lex = lexicon()
    metrics = {lex.casualty.get(_norm(m.group(0)), "losses.personnel") for m in _PART_RE.finditer(words)}
    return metrics.pop() if len(metrics) == 1 else "losses.personnel"


_VERB_LIST_GAP_RE = re.compile(r"\s*(?:,\s*)?(?:(?:or|and)\s+)?(?:(?:were|was|been|had been|have been)\s+)?")
_CASUALTY_CLASSES = ("kill", "eliminate", "wound", "capture")


def _merge_verb_lists(cues: list) -> list:
    """Casualty verbs in a list ("killed, wounded or captured", "killed or wounded") are one loss: their sum."""
    out: list = []
    for c in cues:
        if out and out[-1][3] and c[3] and out[-1][3] != c[3] and _VERB_LIST_GAP_RE.fullmatch(c[4], out[-1][1], c[0]):
            out[-1] = (out[-1][0], c[1], ("loss",), "list", c[4])
            continue
        out.append(c)
    return out


def _casualty(classes: tuple) -> str | None:
    return next((k for k in classes if k in _CASUALTY_CLASSES), None)


_AUX_RE = re.compile(r"\s+(?:not\s+|also\s+|already\s+|now\s+|since\s+|still\s+|just\s+|reportedly\s+|never\s+)*"
                     r"(?:been|[a-z]+ed|said|told|seen|known|made|given|gone|become|come|done|taken|sent|left|fled|lost|fought|held|won|begun|run|put|set|brought)\b")


def _cues(text: str, a: int, b: int) -> list[tuple[int, int, tuple[str, ...]]]:
    """Cue words in [a, b) with their classes; "has"/"have" before a participle is an auxiliary, not possession."""
    lex = lexicon()
    out = []
    for m in lex.cue_re.finditer(text, a, b):
        w = _norm(m.group(0))
        if w in ("has", "have") and _AUX_RE.match(text, m.end(), b):
            continue
        classes = lex.cue_classes[w]
        out.append((m.start(), m.end(), classes, _casualty(classes), text))
    return [(s_, e_, c_) for s_, e_, c_, *_ in _merge_verb_lists(out)]


def _pick_cue(cues, before: int, after: int, allowed: set[str], sent_end: int, text: str,
              tail: int | None = None, lead_at: int | None = None) -> tuple[str | None, bool]:
    """(class, passive): the nearest cue before the figure, else one just after its noun, else one just after the
    enumeration the figure is an item of (`tail`: "two tanks, four armored vehicles and two cars were destroyed"),
    else, for an item of a list after a colon, the cue of its lead (`lead_at`, the colon: "Russia had lost: 1,100
    soldiers; 12 tanks").

    Cues are in order and do not overlap: the nearest allowed cue before the figure is the only one to look at (a
    strong stop between it and the figure lies between any earlier cue and the figure too), and the ones after the
    noun are found by bisection, so the work per figure does not grow with the number of cues in the sentence.
    """
    ends = [e for s, e, classes in cues]
    for i in range(bisect_right(ends, before) - 1, -1, -1):
        hit = [c for c in cues[i][2] if c in allowed]
        if hit:
            if _STRONG_STOP_RE.search(text[cues[i][1]:before]) is None:
                return hit[0], False
            break
    starts = [s for s, e, classes in cues]
    for start in (after, tail) if tail is not None and tail > after else (after,):
        for i in range(bisect_left(starts, start), bisect_right(starts, start + 45)):
            s, e, classes = cues[i]
            if not _FIGURE_DIGITS_RE.search(text, start, s):  # past another figure: that one's cue ("47th" is none)
                hit = [c for c in classes if c in allowed]
                if hit:
                    return hit[0], True
    if lead_at is not None:
        for i in range(bisect_right(ends, lead_at) - 1, -1, -1):
            hit = [c for c in cues[i][2] if c in allowed]
            if hit:
                return (hit[0], False) if _STRONG_STOP_RE.search(text[cues[i][1]:lead_at]) is None else (None, False)
    return None, False


_FIGURE_DIGITS_RE = re.compile(r"\d+(?![\d,.]*\d)(?!st\b|nd\b|rd\b|th\b)")
_LIST_GAP_RE = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+|as well as\s+|plus\s+)?|\s(?:and|or|as well as|plus)\s+)")
_COORD_RE = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)(?:other\s+|similar\s+)?", re.I)
_OWNER_NOUN_RE = re.compile(r"\s*(?:armed forces|forces|army|military|troops|units|formations)\b", re.I)


def _item_end(text: str, np_end: int, b: int) -> int:
    """Where an enumeration item's noun phrase ends: past nouns coordinated inside it with no figure of their own
    ("19,162 tanks and other armoured combat vehicles", "1,812 trucks, vans and jeeps") and past its owner
    ("... of the Ukrainian armed forces"), so that the next item or the cue after the list is found beyond it."""
    lex = lexicon()
    end = np_end
    for _ in range(4):
        cm = _COORD_RE.match(text, end, b)
        if cm is None:
            break
        nm = lex.noun_re.match(text, cm.end(), b) or _after_modifiers(text, cm.end(), b)
        if nm is None or _norm(nm.group(0)) not in lex.equipment:
            break
        end = nm.end()
    fm = _FROM_RE.match(text, end, b)
    if fm:
        pw = lex.party_re.match(text, fm.end(), b)
        if pw:
            om = _OWNER_NOUN_RE.match(text, pw.end(), b)
            end = om.end() if om else pw.end()
    return end


def _enumerations(text: str, figs: list[Figure], b: int, a: int = 0) -> dict[int, tuple[int, str | None]]:
    """For each figure that is an item of an enumeration of counted nouns ("37,355 servicepeople, 226 tanks and 38
    multiple rocket launchers of the enemy were destroyed"): the end of the last item and the side it names."""
    out: dict[int, tuple[int, str | None]] = {}
    items = []
    for f in figs:
        kind, key, np_end, party = _noun_after(text, f.end, b) if not f.fraction else (None, None, f.end, None)
        om = _OF_FIGURE_RE.match(text, f.end, b) if kind is None and not f.fraction else None
        if om is not None:  # "43 of the missiles and 13 of the drones were brought down": the kind named before
            kind, key, np_end = _kind_named_before(text, a, f.start, om.end(), b) or (kind, key, np_end)
        if kind == "equipment":
            np_end = _item_end(text, np_end, b)
        items.append((f, kind in ("persons", "equipment", "casualty", "km2", "settlements"), np_end, party))
    tail: tuple[int, str | None] | None = None
    for i in range(len(items) - 1, -1, -1):
        f, counted, np_end, party = items[i]
        if not counted:
            tail = None
            continue
        nxt = items[i + 1] if i + 1 < len(items) else None
        if tail is not None and nxt is not None and nxt[1] and _LIST_GAP_RE.fullmatch(text, np_end, nxt[0].q_start):
            out[f.start] = tail
        else:
            tail = (np_end, party)
            out[f.start] = tail
    return out


def _parties(text: str, a: int, b: int, exclude: list[tuple[int, int]], speaker: str | None = None) -> list[tuple[int, str | None]]:
    """Side words that can be a subject: not after a place preposition, not inside an attribution, not a region's possessive.

    Words relative to the speaker ("the enemy", "our", "its forces") are resolved through the speaker's side."""
    lex = lexicon()
    out = []
    for m in lex.party_re.finditer(text, a, b):
        if any(x <= m.start() < y for x, y in exclude):
            continue
        prev = _PREV_WORD_RE.search(text[max(a, m.start() - 20):m.start()])
        if prev and fold(prev.group(1)) in lex.location_preps:
            continue
        nxt = text[m.end():m.end() + 40]
        if lex.region_re.match(nxt.lstrip()) or _BODY_AFTER_RE.match(nxt):
            continue
        out.append((m.start(), resolve_side(lex.party_of[m.group(0)], speaker)))
    for m in lex.self_re.finditer(text, a, b):
        if not any(x <= m.start() < y for x, y in exclude):
            out.append((m.start(), speaker))
    if "roup" in text[a:b]:  # "its North group of forces", "our 'Centre' grouping": the speaker's own units
        for m in _OWN_GROUP_RE.finditer(text, a, b):
            if not any(x <= m.start() < y for x, y in exclude):
                out.append((m.start(), speaker))
    out.sort()
    return out


_OF_FRONT_RE = re.compile(r"\s*Of\s+(?:the|its|their|these|those)\s+(?:(?:some|about|around|nearly|almost|roughly)\s+)?")
_SAID_IT_RE = re.compile(r"\b(?:said|says|reported|announced|claimed|stated|added|told\s+[\w ]{1,30}?)\s+(?:that\s+)?"
                         r"(?:it|they|he|she)\s+(?:had|has|have|now|also|was|were|still|already|would|will)\b")
_DIED_RE = re.compile(r"\bdied\b")
_OWN_GROUP_RE = re.compile(r"\b(?:its|their|our)\s+[\"“'‘]?[A-Z][\w-]*[\"”'’]?\s+(?:battle)?group(?:ing)?\b")
_SEND_RE = re.compile(r"(?i)\b(?:send|sends|sending|sent|deploy|deploying|dispatch|dispatching|transfer|move|to fight)\b")
_CLAUSE_MARK_RE = re.compile(r"[,;:]")


def _refused(text: str, cues, a: int, start: int, end: int, b: int) -> bool:
    """Whether the figure's clause counts people who left, signed up or deserted, or gives an age (`not_claim` cues)."""
    left = max((m.end() for m in _CLAUSE_MARK_RE.finditer(text, a, start)), default=a)
    right = _CLAUSE_MARK_RE.search(text, end, b)
    right = right.start() if right else b
    return any("not_claim" in c and left <= s and e <= right for s, e, c in cues)


_COST_RE = re.compile(r"(?i)cost(?:s|ing)?")


def _cost_to(text: str, cues, parties, before: int) -> str | None:
    """The side a loss verb "cost" names as its indirect object, between the verb and the figure."""
    cp = max(((s, e) for s, e, c in cues if e <= before and "loss" in c), default=None)
    if cp is None or not _COST_RE.fullmatch(text, cp[0], cp[1]):
        return None
    return next((p for s, p in parties if cp[1] <= s < before), None)


_LOSS_OF_RE = re.compile(r"(?i)(?:loss(?:es)?|casualties)\s+(?:of|among|in\s+the\s+ranks\s+of|suffered\s+by|"
                         r"sustained\s+by)\s+(?:the\s+)?")
_ON_RE = re.compile(r"(?i)\s+(?:on|upon)\s+(?:the\s+)?")
_INFLICT_RE = re.compile(r"(?i)\binflict(?:ed|s|ing)?\s+(?:heavy\s+|significant\s+|further\s+)?(?:losses|casualties)\b")
_AND_ANOTHER_RE = re.compile(r"(?i)\b(?:and|plus|with)\s+(?:another|a\s+further)\s+$")
_INFLICT_VERB_RE = re.compile(r"(?i)\binflict(?:ed|s|ing)?\s+(?:[a-z]+\s+){0,3}$")
_AMOUNTED_RE = re.compile(r"(?i)\b(?:amount(?:ed|s)?|c(?:a|o)me)\s+to\s*$")


def _loser_named(text: str, cues, parties, before: int, np_end: int, end: int, speaker: str | None) -> str | None:
    """The side a loss noun names as the one that suffered: "the losses of the Ukrainian armed forces amounted to
    N", "casualties among Russian units"; or, after "inflicted losses of N", the side they were inflicted on."""
    lex = lexicon()
    for s, e, c in sorted(((s, e, c) for s, e, c in cues if e <= before and "loss" in c), reverse=True):
        m = _LOSS_OF_RE.match(text, s, before)
        if m is None:
            continue
        if m.end() >= before - 1:  # "inflicted losses of up to 520 servicemen on the enemy": named after the noun
            if not _INFLICT_RE.search(text, max(0, s - 30), m.end()):
                return None
            on = _ON_RE.match(text, np_end, end)
            p = lex.party_re.match(text, on.end(), end) if on else None
            return resolve_side(lex.party_of[p.group(0)], speaker) if p else None
        return next((p for ps, p in parties if m.start() < ps <= m.end()), None)
    return None


def _subject(parties, before: int) -> str | None:
    cand = [p for s, p in parties if s < before]
    return cand[-1] if cand else None


# a place the lexicon does not know, named after a preposition of place: "near Udachne", "on the approaches to
# Dobropillia", "in the area of Kolesnikovka"; kept as written
_NEAR_RE = re.compile(r"\b(?:near|outside|around|approaches\s+to|in\s+the\s+(?:area|vicinity|direction)\s+of|"
                      r"on\s+the\s+outskirts\s+of|towards?)\s+((?:[A-Z][a-zà-öø-ÿ’'-]+)(?:[ -][A-Z][a-zà-öø-ÿ’'-]+)?)"
                      r"(?![\w’'-])")
_NEAR_WORDS = ("near", "outside", "around", "approaches", "area of", "vicinity", "outskirts", "direction of", "toward")
_NOT_PLACES = frozenset("The A An This That Christmas Easter New Year Soviet Western Eastern Northern Southern Central "
                        "Ukrainian Russian European American NATO".split())


def _places(text: str, a: int, b: int, known: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Places the lexicon does not name, after a preposition of place."""
    low = fold(text[a:b])
    if not any(w in low for w in _NEAR_WORDS):
        return []
    lex = lexicon()
    out = []
    for m in _NEAR_RE.finditer(text, a, b):
        name = m.group(1)
        first = name.split()[0].split("-")[0]
        if (first in _NOT_PLACES or first.rstrip("’'s") in lex.party_of or fold(first) in lex.months
                or fold(first) in lex.weekdays or lex.region_re.match(text, m.start(1))
                or any(s == m.start(1) for s, r in known)):
            continue
        out.append((m.start(1), name))
    return out


_PART_OF_RE = re.compile(r"\b(?:including|excluding|except|not counting)\b")
_CLAUSE_END_RE = re.compile(r"[,;:.]\s")


def _regions(text: str, a: int, b: int) -> list[tuple[int, str]]:
    lex = lexicon()
    out = []
    inc = [(m.end(), _CLAUSE_END_RE.search(text, m.end(), b).start() if _CLAUSE_END_RE.search(text, m.end(), b) else b)
           for m in _PART_OF_RE.finditer(text, a, b)] if "clud" in text[a:b] or "xcept" in text[a:b] else []
    for m in lex.region_re.finditer(text, a, b):
        g = m.group(0)
        canon = lex.region_of[g] if g in lex.region_of else lex.region_of.get(_WS_RUN_RE.sub(" ", g))
        if canon is None:
            continue
        if _OWN_LAND_RE.match(text, m.end(), b):
            out.append((m.start(), canon))
            continue
        if inc and any(x <= m.start() < y for x, y in inc):
            continue  # "Ukraine's territory, including Crimea and parts of the Donbas": parts named, not the place counted
        if canon in lex.countries and not _INTO_BEFORE_RE.search(text[max(a, m.start() - 8):m.start()]):
            continue
        if (canon == lex.theatre or canon in lex.countries) and _POSSESSIVE_RE.match(text[m.end():m.end() + 3]):
            continue
        out.append((m.start(), canon))
    extra = _places(text, a, b, out)
    return sorted(out + extra) if extra else out


_NEXT_CLAUSE_RE = re.compile(r";|,\s*(?:when|which|who|while|whereas|but)\b")


def pick_region(regions: list[tuple[int, str]], pos: int) -> str | None:
    lex = lexicon()
    for tier in (lambda r: r != lex.theatre and r not in lex.countries, lambda r: r in lex.countries):
        specific = [(s, r) for s, r in regions if tier(r)]
        after = [r for s, r in specific if s >= pos]
        if after:
            return after[0]
        before = [r for s, r in specific if s < pos]
        if before:
            return before[-1]
    return lex.theatre if regions else None


def speaker_side(who: attr.Claimant | None, outlet: str | None) -> str | None:
    """The side the sentence's speaker stands for: the claimant's, else the outlet's when it speaks for one."""
    if who is not None and who.party:
        return who.party
    return outlet_side(outlet)


def outlet_side(outlet: str | None) -> str | None:
    if not outlet:
        return None
    lex = lexicon()
    m = lex.outlet_side_re.search(outlet)
    return lex.outlet_sides[m.group(0)] if m else None


def resolve_side(code: str | None, speaker: str | None, subject: str | None = None) -> str | None:
    """A side as read: "self" words are the speaker's side, "enemy" words the side opposite it (RU when unknown);
    "its" words ("of its servicemen") the side of the clause's subject, else the speaker's."""
    if code == "self":
        return speaker
    if code == "its":
        return subject or speaker
    if code == "enemy":
        return lexicon().opposite.get(speaker, "RU") if speaker else "RU"
    return code


def sentence_claims(text: str, a: int, b: int, *, pub: dt.date | None, anchor: dt.date | None,
                    who: attr.Claimant | None, lead: Ctx | None, carry_region: str | None,
                    att_span: tuple[int, int] | None, outlet: str | None, item: bool,
                    regions: list[tuple[int, str]] | None = None,
                    carry_date: dt.date | None = None, prev_date: dt.date | None = None,
                    prev_month: Period | None = None, antecedent: Claim | None = None,
                    para_claim: Claim | None = None,
                    opens_list: bool = False) -> tuple[list[Found], Ctx]:
    """Claims of one sentence, and the context a following list inherits; `regions` is _regions of it when known.

    `antecedent` is the claim read before this sentence in the article: what "the real number was ..." counts;
    `para_claim` that claim when it was read in the same paragraph.
    `opens_list`: list items hang from the sentence, which leads them as a colon would ("Russia lost over the past
    day" above bulleted lines)."""
    lex = lexicon()
    figs = figures(text, a, b)
    leads = opens_list or text[a:b].rstrip().endswith(":")
    if not figs and not leads:
        # a statement without figures still dates what its speaker says next ("X said on Wednesday that ... He said")
        months = _MONTH_WORD_RE.search(text, a, b) is not None
        times = _times(text, a, b, pub, anchor, prev_date) if att_span or months else []
        if att_span and times:
            cl = clauses.split(text, a, b)
            stated = _statement_date(text, a, b, [t for t in times if clauses.main_line(cl, t.start)], [], pub)
        else:
            stated = None
        named = [t.period for t in times if t.kind == "window" and t.period is not None
                 and _FIXED_WINDOW_RE.search(text, t.start, t.end) and (t.period.end - t.period.start).days <= 31]
        return [], Ctx(claimant=who, stated=stated, month=named[-1] if named else None)
    times = _times(text, a, b, pub, anchor, prev_date)
    if prev_month is not None:  # "over the month", "that month": the month named before
        times = [evolve(t, period=prev_month) if t.kind == "window" and _THE_MONTH_RE.fullmatch(text, t.start, t.end)
                 else t for t in times]
    regions = _regions(text, a, b) if regions is None else regions
    exclude = [att_span] if att_span else []
    speaker = speaker_side(who, outlet)
    parties = _parties(text, a, b, exclude, speaker)
    cues = _cues(text, a, b)
    times = [t for t in times if not _dateline(text, a, t)]
    earlier = _earlier_figures(text, figs, times, b) if len(figs) > 1 else {}
    if earlier:  # "up from 1,210 a day earlier": that time phrase dates the earlier figure, not the sentence
        own = {id(t) for t, _ in earlier.values() if t is not None}
        times = [t for t in times if id(t) not in own]
    cl = clauses.split(text, a, b) if times else clauses.whole(a, b)
    # a date in a clause that names the start of a running total ("since the offensive began on May 10") is its origin
    origins = [t for t in times if t.kind == "as_of" and cl.clauses[cl.at(t.start)].kind == "origin"]
    dating = clauses.Dating.of(cl, [t for t in times if t.kind in ("as_of", "now") and t not in origins])
    # a date inside a relative clause ("Prigozhin, who declared the town taken on Saturday, said ...") is that clause's
    as_of_mentions = [t for t in times if t.kind == "as_of" and clauses.main_line(cl, t.start) and t not in origins]
    explicit = [t for t in as_of_mentions if _AS_OF_BEFORE_RE.search(text[max(a, t.start - 8):t.start])]
    chosen = explicit[0] if explicit else (as_of_mentions[0] if as_of_mentions else None)
    # "since March, when it put it at 1,351": the date of that statement, not an origin
    since = next((t.date for t in times if t.kind == "since" and not _WHEN_RE.match(text, t.end, b)), None) \
        or (origins[0].date if origins else None)
    # the statement's date comes from the sentence's main line, not from a relative clause, a parenthesis or an origin
    stated = _statement_date(text, a, b, [t for t in times if t not in origins and clauses.main_line(cl, t.start)],
                             figs, pub)
    # the sentence's date, for a figure whose clauses carry none: its statement's, then the list lead's or the
    # paragraph's; a date in another clause of the sentence is not the figure's
    if stated is not None:
        f_date, f_dated = stated, True
    elif any(t.kind == "now" for t in times):
        f_date, f_dated = pub, True
    elif lead is not None and lead.as_of is not None:
        f_date, f_dated = lead.as_of, True
    elif carry_date is not None and not _SINCE_THEN_RE.search(text, a, b):
        f_date, f_dated = carry_date, True
    else:
        f_date, f_dated = pub, False
    # what a list hanging from the sentence inherits: any date it names
    if explicit:
        s_date, dated = explicit[0].date, True
    elif stated is None and chosen is not None:
        s_date, dated = chosen.date, True
    else:
        s_date, dated = f_date, f_dated
    windows = [t for t in times if t.kind == "window"]
    taken = {i for t in times for i in range(t.start, t.end)}  # positions inside a time phrase: no figure there
    found: list[Found] = []
    party_starts = [s_ for s_, p_ in parties]
    in_found: set[int] = set()  # parties inside a figure's noun phrase already read: not a later figure's subject
    prev: Found | None = None
    ctx_cue = None
    civil_end: int | None = None  # where the last figure of people (not a side's soldiers) ended
    enums = _enumerations(text, figs, b, a) if len(figs) > 1 else {}
    for_every = _FOR_EVERY_RE.search(text, a, b)
    # a fronted partitive ("Of the 75 drones Russia launched overnight, 52 were shot down"): the part after its comma
    # counts what the whole counted, over the whole's window
    front = _OF_FRONT_RE.match(text, a, b) if len(figs) > 1 else None
    front_end = _CLAUSE_MARK_RE.search(text, front.end(), b) if front is not None else None
    front_end = front_end.start() if front_end is not None else None
    front_fig = next((g for g in figs if front is not None and g.q_start == front.end()), None)
    shared = _shared_windows(text, a, b, figs, windows) if len(figs) > 1 and windows else {}
    for fi, f in enumerate(figs):
        if f.start in taken:
            continue
        if fi + 1 < len(figs) and _RATIO_GAP_RE.fullmatch(text, f.end, figs[fi + 1].start):
            taken.update(range(figs[fi + 1].start, figs[fi + 1].end))
            continue  # "one in five soldiers": a ratio, neither figure a count
        if fi > 0 and f.value == 1 and _TO_ONE_GAP_RE.fullmatch(text, figs[fi - 1].end, f.start):
            continue  # "loss ratios as high as five to one": a ratio, not one more item
        if for_every is not None and for_every.start() < f.start:
            continue  # "For every one of ours, the invaders have lost roughly six": a ratio
        enum_tail, enum_party = enums.get(f.start, (None, None))
        lead_at = cl.lead_colon(f.start)  # an item of a list after a colon: what its lead says holds for it
        if _PAREN_BEFORE_RE.search(text, max(a, f.start - 20), f.q_start if f.q_start < f.start else f.start) and prev is not None \
                and not text[prev.np_end:f.q_start].strip(" (\u00a0"):
            continue  # "1,376 km2 (531 square miles)": the conversion of the figure just before
        kind, key, np_end, np_party = (None, None, f.end, None)
        inc = None
        if f.fraction:
            so = _SHARE_OBJ_RE.match(text, f.end, b) or _region_object(text, f.end, b)
            if not so:
                continue
            kind, key, np_end = "percent", "fraction", so.end()
        else:
            inc = _INCREMENT_RE.match(text, f.end, b)  # "9,512 (+10) tanks": the total, the day's increment aside
            if inc is not None:
                taken.update(range(inc.start(), inc.end()))
            kind, key, np_end, np_party = _noun_after(text, inc.end() if inc else f.end, b)
            np_party = resolve_side(np_party, speaker, _subject(parties, f.q_start))
            if inc is None and kind in ("persons", "casualty", "equipment"):
                inc = _INCREMENT_RE.match(text, np_end, b)  # "9,512 tanks (+10)"
                if inc is not None:
                    taken.update(range(inc.start(), inc.end()))
            om = _OF_FIGURE_RE.match(text, f.end, b)
            if kind is None and om:
                total = next((g for g in figs if g.start == om.end()), None)
                if total is not None:
                    kind, key, np_end, np_party = _noun_after(text, total.end, b)
                    np_party = resolve_side(np_party, speaker, _subject(parties, f.q_start))
                    taken.update(range(total.start, total.end))
            if kind is None and om:  # "84 cruise missiles ...; 43 of the missiles": the kind named before
                kind, key, np_end = _kind_named_before(text, a, f.start, om.end(), b) or (kind, key, np_end)
            if kind is None and _NAMES_RE.match(text, f.end, b) and _DEATHS_RE.search(text, max(0, a - 300), f.start):
                kind, key, np_end = "casualty", "killed", _NAMES_RE.match(text, f.end, b).end()  # a list of the dead
            them = _OF_THEM_RE.match(text, f.end, b) if kind is None else None
            if them and (them.group("who") or _persons_before(text, a, f.q_start, prev)
                         or _antecedent_persons(text, a, f.q_start, prev, antecedent)):
                kind, key, np_end = "persons", "them", them.end()  # "30,000 personnel, with 14,000 of them killed"
                if _antecedent_persons(text, a, f.q_start, prev, antecedent):
                    np_party = antecedent.party  # "Pyongyang sent 9,000 soldiers. About 4,000 of them ...": those
            elif them and prev is not None and prev.claim.unit == "units" and not them.group("who"):
                kind, key, np_end = "inherit", None, them.end()  # "downed 69 drones overnight, 21 of them over X"
        taken.update(range(f.end + 1, np_end))  # "three Leopard 2 tanks": a digit of the model's name is no figure
        if f.start in earlier:
            if prev is None or kind in ("distance", "other", "mi2", "not") or (kind == "percent") != (prev.claim.unit == "percent"):
                continue
            kind, key = "inherit", None  # "up from 1,210 a day earlier": the figure before, at an earlier date
        rule = None
        if kind in ("mi2", "ha"):
            if kind == "mi2" and (_CONVERTED_RE.match(text, np_end, b) or text[max(a, f.q_start - 3):f.q_start].strip().endswith("(")):
                continue  # "100 square miles (259 square kilometres)", "1,376 km2 (531 square miles)": the km2 is the claim
            factor = _MI2_KM2 if kind == "mi2" else 0.01  # "165 square miles" alone: 427 km2; "350 hectares": 3.5 km2
            f = evolve(f, value=_area(f.value * factor), low=None if f.low is None else _area(f.low * factor),
                       high=None if f.high is None else _area(f.high * factor))
            kind = "km2"
        if kind in ("distance", "other", "mi2", "not"):
            continue
        if kind == "percent" and key != "fraction":
            so = _SHARE_OBJ_RE.match(text, np_end, b) or _region_object(text, np_end, b)
            held = None if so else _SHARE_HELD_BEFORE_RE.search(text, max(a, f.q_start - 80), f.q_start)
            if not so and not held:
                continue
            if held:  # "Russian forces took ..., bringing the share of Ukraine they hold to 19.1%": the subject's
                np_party = np_party or _subject(parties, held.start())
            np_end = so.end() if so else np_end
        if kind is None:
            if not f.word and isinstance(f.value, int) and 1900 <= f.value <= 2100 and "," not in text[f.start:f.end]:
                continue
            if not _BARE_AFTER_RE.match(text, f.end, b) and f.end < b:
                continue
            if _RATIO_AFTER_RE.match(text, f.end, b):
                continue  # "roughly one and a half times the first estimate": a ratio
            elided = _SHARED_NOUN_RE.match(text, f.end, b)
            nxt = next((g for g in figs if elided and g.start == elided.end()), None)
            if nxt is not None and _noun_after(text, nxt.end, b)[0] in ("distance", "other", "mi2", "not"):
                continue  # "by 200 to 300 metres a day": the first figure counts what the second does
            level_prev = _LEVEL_BEFORE_RE.search(text[max(a, f.q_start - 30):f.q_start])
            meas = measured(text, a, f.q_start)  # "the death toll stood at 9,200", "when it stood at 5,937"
            if meas is not None and meas.metric is not None:
                kind, key, np_party, rule = "measured", meas, resolve_side(meas.party, speaker), "measure"
            elif front_end is not None and front_fig is not None and front_fig.end <= front_end < f.q_start \
                    and _noun_after(text, front_fig.end, b)[0] in ("persons", "casualty", "equipment") \
                    and not any(front_end < g.start < f.start for g in figs):
                kind, key, _, np_party = _noun_after(text, front_fig.end, b)  # "Of the 75 drones ..., 52 were shot down"
                np_party = resolve_side(np_party, speaker)
                rule = "partitive"
            else:
                kind, key, np_party = _noun_before(text, f.q_start, a)
                np_party = resolve_side(np_party, speaker)
                rule = "noun-before-figure"
            if kind == "casualty" and _POST_RE.match(text, f.end, b):
                kind = "persons"  # "... casualties, of whom 19,000 were killed in action": the participle counts them
            if kind is None and prev is not None and (level_prev or _elided(text, prev.np_end, f, times, b)):
                kind, key = "inherit", None  # "took 610 km2 in October and 725 in November": the same noun
            if kind is None and _POST_RE.match(text, f.end, b) and (
                    _persons_before(text, a, f.q_start, None, 250)
                    or para_claim is not None and para_claim.unit == "persons" and not any(g.start < f.start for g in figs)):
                # "..., of whom 19,000 were killed": people counted before, in the sentence or, for the sentence's first
                # figure, in the paragraph ("Russia lost 1,800 soldiers there in May. Another 2,300 were wounded.")
                kind, key = "persons", "them"
            if kind is None and item and lead is not None and lead.unit_kind:
                kind, key = "inherit-lead", None
            if kind is None and not figs[0].start < f.start:
                q = _question_before(text, a)  # "How many have died? Roughly 38,000.": the question names it
                if q is not None:
                    kind, key, np_party = "casualty", q[0], resolve_side(q[1], speaker)
                    rule = "answer"
            # the count a bare figure after a loss or estimate verb restates: the figure before it in the sentence,
            # else, for the sentence's first figure, the paragraph's last claim
            src = prev.claim if prev is not None else (
                para_claim if para_claim is not None and not any(g.start < f.start for g in figs) else None)
            if kind is None and src is not None and src.unit == "persons" \
                    and _LOSS_VERB_BEFORE_RE.search(text, max(a, f.q_start - 24), f.q_start):
                # "Kyiv says 31,000 of its soldiers were killed, while Russia has lost some 180,000": that count, lost
                # by the verb's subject (a strength lost is a loss of soldiers)
                kind, key, rule = "lost-like", src, "lost-like"
            if kind is None and src is not None and _ESTIMATE_VERB_BEFORE_RE.search(text, max(a, f.q_start - 40), f.q_start):
                kind, key, rule = "estimated", src, "estimated"  # "... 150,000 troops. In June he counted roughly 111,000"
            if kind is None:
                if meas is not None and (antecedent is not None or prev is not None):  # "the real number was 90,000": the claim before
                    kind, key, np_party = "measured", meas, resolve_side(meas.party, speaker)
                    rule = "measure"
            if kind is None:
                continue
        if isinstance(f.value, int) and 1900 <= f.value <= 2100 and not f.word and "," not in text[f.start:f.end] and kind in ("persons",) and rule:
            continue
        if kind in ("persons", "casualty", "measured", "inherit") and _refused(text, cues, a, f.q_start, max(np_end, f.end), b):
            continue  # "650,000 Russians have left the country", "signed contracts with 450,000 soldiers": no toll, no force
        post = _POST_RE.match(text, np_end, b)
        if f.start not in earlier and _RATE_AFTER_RE.match(text, post.end() if post else np_end, b) or _RATE_BEFORE_RE.search(text, max(a, f.q_start - 20), f.q_start):
            continue  # "an average of 1,271 soldiers killed or wounded every day": a rate, not a count or a level
        # what happened to it
        metric = None
        party = np_party
        passive = False
        cue = None
        unit = None
        via = None  # how the metric was read, when not from a cue word near the figure
        if kind == "measured":
            restated = prev.claim if prev is not None else antecedent  # "..., with officials putting the figure at N"
            src_metric = key.metric or restated.metric
            if key.metric is None:
                party = party or restated.party
            metric, via = src_metric, ("measure" if key.metric else "antecedent")
            if metric == "troops.deployed" and (_planned(cues, f.q_start, text)
                                                or _SET_RE.search(text, max(a, key.start - 40), f.q_start)):
                metric = "troops.planned"  # "ordered the number of servicemen raised to 1.15 million": a target
            unit = vocabulary().units[metric]
        elif kind in ("inherit", "inherit-lead"):
            src = prev.claim if kind == "inherit" else None
            if src is None:
                continue
            metric, unit, party = src.metric, src.unit, party or src.party
            via = "inherited"
            if metric == "troops.deployed" and _planned(cues, f.q_start, text):
                metric = "troops.planned"  # "has 40,000 troops there and intends to raise that figure to 60,000"
        elif kind == "lost-like":
            metric = key.metric if key.metric.startswith("losses.") else "losses.personnel"
            unit, cue, via = key.unit, "loss", "loss-verb"
        elif kind == "estimated":
            metric, unit, party, via = key.metric, key.unit, party or key.party, "estimate-verb"
        elif kind == "casualty":
            metric = lex.casualty[key]
            unit = "persons"
            via = "casualty-noun"
            cue, passive = _pick_cue(cues, f.q_start, np_end, {"loss", "kill", "eliminate", "destroy", "capture", "wound"}, b, text,
                                     enum_tail, lead_at=lead_at)
            passive = True
        elif kind == "persons":
            unit = "persons"
            post = _POST_RE.match(text, np_end, b)
            if post:
                metric = _participles_metric(post.group("p"))
                via = "participle"
                np_end = post.end()
                passive = True
                cue = "kill"
            else:
                cue, passive = _pick_cue(cues, f.q_start, np_end, set(PERSON_CUES), b, text, enum_tail, lead_at=lead_at)
                if cue is None and lead is not None and item:
                    cue, via = (lead.cue, "lead") if lead.cue in PERSON_CUES else (None, None)
                if cue == "deploy" and _planned(cues, f.q_start, text):
                    cue = "plan"  # "aims to have 690,000 troops": the plan governs the verb it opens
                if cue is not None:
                    metric = PERSON_CUES[cue]
                    if cue == "eliminate" and any("wound" in c for s_, e_, c in cues):
                        metric = "losses.personnel.killed"  # "eliminated, and another 774 wounded": the dead
                elif key in TROOP_NOUNS and f.value >= 100:
                    metric, cue, via = "troops.deployed", "deploy", "troops-default"
                    rule = rule or "troop-count"
                else:
                    continue
        elif kind == "equipment":
            unit = "units"
            cue, passive = _pick_cue(cues, f.q_start, np_end, {"loss", "destroy", "kill", "eliminate", "capture"}, b, text,
                                     enum_tail, lead_at=lead_at)
            if cue is None and lead is not None and item:
                cue, via = lead.cue, "lead"
            if cue is None:
                continue
            metric = lex.equipment[key]
        elif kind == "km2":
            unit = "km2"
            cue, passive = _pick_cue(cues, f.q_start, _past_apposition(text, np_end, b), {"control", "gain", "reclaim", "deploy"}, b,
                                     text, enum_tail)
            if cue is None and lead is not None and item:
                cue, via = lead.cue, "lead"
            if cue not in ("control", "gain", "reclaim", "deploy"):
                continue
            peak = any(c == ("peak",) or "peak" in c for s, e, c in cues if e <= f.q_start)
            if peak:
                metric, rule = "area.controlled.peak", "area-peak"
            elif cue in ("gain", "reclaim"):  # "took 610 km2 in October", "retook 1,100 km2": taken, by the taker
                metric, rule, cue = "area.gained", "area-gained", "gain"
            else:
                metric, rule = "area.controlled", "area-level"
        elif kind == "settlements":
            unit = "settlements"
            cue, passive = _pick_cue(cues, f.q_start, _past_apposition(text, np_end, b), {"control", "gain", "reclaim"}, b, text,
                                     enum_tail)
            if cue is None and lead is not None and item:
                cue, via = lead.cue, "lead"
            if cue is None:
                continue
            if cue in ("gain", "reclaim"):  # "captured 41 settlements since October", "had retaken 24 settlements"
                metric, rule, cue = "settlements.captured", "settlements-captured", "gain"
            else:
                metric, rule = "settlements.controlled", "settlements"
        elif kind == "percent":
            unit = "percent"
            cue, passive = _pick_cue(cues, f.q_start, _past_apposition(text, np_end, b), {"control", "gain", "reclaim", "loss"}, b, text)
            if cue is None:
                continue
            metric = "area.lost.share" if cue in ("loss", "reclaim") else "area.controlled.share"
            rule = "area-share"
        else:
            continue
        # whose
        side = "noun-phrase" if party is not None else None
        if party is None and key == "them" and prev is not None and prev.claim.unit == "persons":
            party, side = prev.claim.party, "previous-figure"  # "165,000 killed, nearly 100,000 of them in 2024": theirs
        if party is None and enum_party is not None and kind in ("persons", "equipment", "casualty"):
            party = resolve_side(enum_party, speaker, _subject(parties, f.q_start))  # "two tanks and four mortars of the enemy"
            side = "enumeration"
        if party is None and kind in ("percent", "km2", "settlements") and cue in ("control", "gain"):
            party = _holder(text, _past_apposition(text, np_end, b), b, speaker)  # "27% of it is under Russian occupation"
            side = "holder" if party else None
        if party is None and passive and cue == "gain" and kind in ("km2", "settlements"):
            party = _taker_of_passive(text, cues, max(np_end, enum_tail or 0), b, speaker, item)  # "retaken by X": X's
            side = "passive-taker" if party else None
        if party is None and passive and cue in HOSTILE:
            # "destroyed by Ukraine's drone units": the other side lost; after a list, the agent follows its last item
            agent = _passive_agent(text, max(np_end, enum_tail or 0), b, speaker)
            party = lex.opposite.get(agent) if agent else None
            side = "passive-agent" if party else None
        if party is None and kind == "measured" and prev is not None and _AND_THE_RE.fullmatch(text, prev.np_end, key.start):
            party, side = prev.claim.party, "previous-figure"  # "killed at 498 and the number of wounded at 1,597"
        if party is None and prev is not None and prev.claim.unit == unit and kind in ("casualty", "persons") \
                and _AND_ANOTHER_RE.search(text, max(a, f.q_start - 20), f.q_start):
            party, side = prev.claim.party, "previous-figure"  # "388 soldiers were eliminated ... and another 87 wounded"
        if party is None and kind in ("casualty", "persons") and _INFLICT_VERB_RE.search(text, max(a, f.q_start - 40), f.q_start):
            on = _ON_RE.match(text, np_end, b)  # "inflicted over 1,300 casualties on Ukrainian forces": theirs
            pw = lex.party_re.match(text, on.end(), b) if on else None
            party = resolve_side(lex.party_of[pw.group(0)], speaker) if pw else None
            side = "inflicted-on" if party else None
        if party is None and cue == "loss":
            party = _cost_to(text, cues, parties, f.q_start)  # "the assault cost Russia 2,300 soldiers": Russia's
            side = "indirect-object" if party else None
        if party is None and cue == "loss":
            party = _loser_named(text, cues, parties, f.q_start, np_end, b, speaker)
            side = "loss-of" if party else None  # "the losses of the Ukrainian armed forces amounted to ..."
        if party is None:
            live = [pt for i, pt in enumerate(parties) if i not in in_found]
            cue_at = max((s_ for s_, e_, c_ in cues if e_ <= f.q_start and cue in c_), default=f.q_start)
            subj = _subject(live, cue_at if not passive else f.q_start)
            if cue in HOSTILE and not passive:
                actor = subj
                cue_pos = max((s for s, e, c in cues if e <= f.q_start and cue in c), default=None)
                if cue_pos is not None:
                    actor = _subject(live, cue_pos)
                if actor is None:
                    actor = speaker
                party = lex.opposite.get(actor) if actor else None
                side = "opposite-of-actor"
            else:
                party = subj
                side = "subject"
                if party is None and speaker is not None and _SAID_IT_RE.search(text, a, f.q_start):
                    party, side = speaker, "speakers-own"  # "the brigade said it had cleared 350 hectares": its own
        if party is None and kind == "inherit" and prev is not None:
            party, side = prev.claim.party, "previous-figure"
        if party is None and lead is not None and item:
            party, side = lead.party, "lead"
        if party is None and prev is not None:
            party, side = prev.claim.party, "previous-figure"
        if party is None and (kind == "measured" or np_end > f.end and _NAMES_RE.match(text, f.end, b)) \
                and antecedent is not None and antecedent.unit == unit:
            party, side = antecedent.party, "antecedent"  # "which put the death toll at 47,000": the toll discussed
        if party is None and kind == "casualty":
            party = resolve_side(_side_of_people_after(text, np_end, b), speaker)  # "27,423 dead Russian soldiers"
            side = "noun-phrase"
        if party is None and kind == "casualty" and antecedent is not None and antecedent.unit == "persons" \
                and measured(text, a, f.q_start) is not None:
            party, side = antecedent.party, "antecedent"  # "the figure stands at 299,210 killed and wounded": that toll
        if party is None and kind in ("casualty", "equipment"):
            party = resolve_side(_sufferer_after(text, np_end, b), speaker)  # "1,500 casualties Russian forces suffered"
            side = "sufferer"
        if party is None and passive and cue in HOSTILE and speaker is not None and not item \
                and (_OWN_LOSSES_RE.search(text, a, f.q_start) or _DIED_RE.search(text, f.end, np_end)
                     or _OUR_LOSSES_RE.search(text, max(text.rfind("\n", 0, a) + 1, a - 250), f.q_start)
                     or _own_figures_told(text, max(text.rfind("\n", 0, a) + 1, a - 250), f.q_start, speaker)):
            # "has not published its own death toll since ..., when it said N"; "it said 1,351 servicemen had died":
            # nobody's act, the speaker's own dead
            party, side = speaker, "speakers-own"
        if party is None and para_claim is not None and not item:
            # a figure that names no side, in a paragraph that has counted one side's figures: that side's ("... puts
            # Russian missiles downed at 315. The same tally counts 268 aircraft destroyed"; "Russia has lost 1,200
            # soldiers there since May. Another 300 were captured")
            party, side = para_claim.party, "paragraph"
        if party is None and passive and cue in HOSTILE and speaker is not None and not item:
            party = lex.opposite.get(speaker)  # "38 tanks were destroyed, Ukraine's General Staff said": the enemy's
            side = "speakers-enemy"
        if party is None:
            continue
        # where
        # the figure's own clause: a place named after ", when ..." or "; ..." is another clause's
        cut = _NEXT_CLAUSE_RE.search(text, max(f.end, np_end), b)
        near = [x for x in regions if x[0] < cut.start()] if cut else regions
        own = [r for x, r in near if f.end <= x < np_end] if kind == "percent" else []
        region = own[0] if own else pick_region(near, f.start)  # "18.4% of Ukraine's territory": the share's object
        if region is None and metric == "troops.planned" and not item and not _SEND_RE.search(text, a, b):
            region = lex.raw["regions"]["home_countries"].get(party)  # "ordered the army to grow to 1.5 million": its own
        if region is None or (region == lex.theatre and lead is not None and lead.region and lead.region != lex.theatre):
            region = (lead.region if lead is not None and item else None) or region or carry_region or lex.theatre
        # when
        qual = f.qualifier
        if qual == "exact" and unit == "km2" and text[max(a, f.q_start - 3):f.q_start].strip().endswith("("):
            conv = next((g for g in reversed(figs) if g.end <= f.q_start - 1 and _noun_after(text, g.end, b)[0] == "mi2"), None)
            if conv is not None and _CONVERTED_RE.match(text, _noun_after(text, conv.end, b)[2], b):
                qual = conv.qualifier  # "about 100 square miles (259 square kilometres)": the printed area's qualifier
        if qual == "exact" and prev is not None and prev.claim.qualifier != "exact":
            if _AND_GAP_RE.fullmatch(text[prev.np_end:f.q_start]):
                qual = prev.claim.qualifier
        level = bool(_LEVEL_BEFORE_RE.search(text[max(a, f.q_start - 30):f.q_start]))
        if level and since is None and cue == "loss" and _AMOUNTED_RE.search(text, max(a, f.q_start - 30), f.q_start):
            level = False  # "losses over the past day amounted to N": what the window counts, not a running total
        level = level or (np_end > f.end and bool(_NAMES_RE.match(text, f.end, b)))  # a list's size is a level
        period = None
        describes = clauses.describing(cl, text, np_end)
        own_t = dating.date_for(f.start, describes)
        # "now" in the figure's clause is the time of the statement, whenever that was made
        own_t = own_t if own_t is not None and own_t.date is not None and own_t.kind != "now" else None
        as_of, dated = (own_t.date, True) if own_t is not None else (f_date, f_dated)
        window = None
        as_of_day = as_of
        if not level and windows:
            bound = [t for t in windows if ((_binds(text, a, f, np_end, t) and dating.reaches(t.start, f.start, describes))
                                            or (describes is not None and cl.at(t.start) == describes))
                     and not _dates_speech(text, t, f.q_start)]
            if not bound and rule == "partitive":
                bound = [t for t in windows if front.end() <= t.start and t.end <= front_end]
            if not bound and lead_at is not None:  # "losses over the past day were: 1,100 soldiers; 12 tanks"
                bound = [t for t in windows if t.end <= lead_at and dating.reaches(t.start, f.start)
                         and _DURATION_RE.match(text, t.start, t.end)]
            window = min(bound, key=lambda t: abs(t.start - f.end)) if bound else shared.get(f.start)
        if window is None and item and lead is not None and lead.period is not None:
            period = lead.period
            as_of = None
        elif window is None and prev is not None and prev.claim.period is not None and prev.claim.unit == unit \
                and _OF_THEM_RE.match(text, f.end, b):
            period, as_of = prev.claim.period, None  # "69 drones overnight, 21 of them over X": the whole's window
        elif window is not None:
            as_of = None
            if window.period is not None and (_FIXED_WINDOW_RE.search(text, window.start, window.end)
                                              or (prev_month is not None and window.period == prev_month)):
                period = window.period  # "in October", "between 2003 and 2011": a window of its own
            elif window.period is not None:
                end = as_of_day if dated and as_of_day else window.period.end
                span_days = window.period.end - window.period.start
                period = Period(shift(end, -span_days.days), end) if end else None
        if metric == "area.controlled.peak":
            level = True
        if metric in _TAKEN and period is not None and _pick_cue(cues, f.q_start, np_end, {"gain"}, b, text)[0]:
            metric, rule = _TAKEN[metric]  # "occupied 36 km2 over the month": held is a level, taken over a window a count
        if f.start in earlier:
            as_of, period = _earlier_date(earlier[f.start], prev.claim)
            if as_of is None and period is None:
                continue
            rule = "earlier-figure"
        if metric.startswith("losses.") and np_party is None and not any(p_ and s_ < f.start for s_, p_ in parties) and (
                key in _CIVIL_NOUNS or kind == "casualty" and civil_end is not None
                and _CIVIL_AND_RE.fullmatch(text, civil_end, f.q_start)):
            civil_end = np_end  # "at least 19 people were killed and 105 injured": the dead of a strike
            continue
        if _FORECAST_RE.search(text, max(a, f.q_start - 80), f.q_start) and (
                not metric.startswith("troops.") or any("loss" in c_ for s_, e_, c_ in cues if e_ <= f.q_start)):
            continue  # "Russia will pass one million killed and wounded this summer": a forecast, not a claim
        low, high = (f.low, f.high) if f.low is not None else interval(qual, f.value)
        modality = "planned" if metric == "troops.planned" else "asserted"
        if any("deny" in c for s, e, c in cues if e <= f.q_start) and not _NOT_RE.search(text[a:f.q_start]):
            modality = "denied"
        claim = Claim(
            metric=metric, party=party, value=f.value, unit=unit, region=region, qualifier=qual, low=low, high=high,
            as_of=as_of if period is None else None, since=since if period is None else None, period=period,
            claimant=who.name if who else None, outlet=outlet, modality=modality)
        if rule is None:
            if period is not None:
                rule = "window-count"
            elif level and kind in ("inherit", "casualty", "persons") and _LEVEL_BEFORE_RE.search(text[max(a, f.q_start - 30):f.q_start]):
                rule = "running-total"
            elif qual != "exact":
                rule = "qualified-count"
            else:
                rule = "count"
        if item:
            rule = "list-item"
        start = min(f.q_start, f.start)
        if period is not None:
            when = "lead-window" if window is None else "window"
        elif as_of is None:
            when = "unknown"
        else:
            when = "explicit" if own_t is not None else "now" if as_of == pub and dated else "lead" if dated else "publication"
        signals = (f"side:{side}", f"metric:{via or ('cue-after' if passive else 'cue-before')}", f"date:{when}")
        fd = Found(claim, (start, max(np_end, f.end)), rule, max(np_end, f.end), cue, signals)
        found.append(fd)
        if inc is not None and claim.as_of is not None and kind in ("persons", "casualty", "equipment"):
            n = int(re.sub(f"[,{GROUP_SPACES}]", "", inc.group("n")))
            if n > 0:  # the increment counts the day that ends on the total's date
                day = evolve(claim, value=n, low=n, high=n, qualifier="exact", as_of=None, since=None,
                             period=Period(shift(claim.as_of, -1), claim.as_of))
                found.append(Found(day, (inc.start("n") - 1, inc.end("n")), "increment", inc.end("n"), cue, signals))
        in_found.update(range(bisect_left(party_starts, fd.span[0]), bisect_left(party_starts, fd.np_end)))
        prev = fd
        ctx_cue = cue or ctx_cue
    last = found[-1] if found else None
    named = [t.period for t in windows if t.period is not None and _FIXED_WINDOW_RE.search(text, t.start, t.end)
             and (t.period.end - t.period.start).days <= 31]
    ctx = Ctx(
        cue=ctx_cue or (_last_cue(cues) if not found else None),
        party=last.claim.party if last else _subject(parties, b),
        region=last.claim.region if last else pick_region(regions, a),
        as_of=s_date if dated else (last.claim.as_of if last else None),
        # a list's lead counts its items over its window: "Enemy losses over the month, according to the brigade:"
        period=windows[-1].period if windows and not found and leads else None,
        claimant=who,
        unit_kind=last.claim.unit if last else None,
        stated=stated,
        month=named[-1] if named else (prev_month if any(_THE_MONTH_RE.fullmatch(text, t.start, t.end) for t in windows)
                                       else None),
    )
    return found, ctx


# a loss verb standing right before a figure that has no noun of its own: "while Russia has lost some 180,000"
_LOSS_VERB_BEFORE_RE = re.compile(r"\b(?:lost|loses|losing|lose)\s+(?:(?:a\s+further|another|an\s+estimated)\s+)?$", re.I)
# an estimate verb whose object is the bare figure: "he counted roughly 111,000", "Britain estimates that there are"
_ESTIMATE_VERB_BEFORE_RE = re.compile(r"\b(?:estimates|estimated|reckons|reckoned|counted|counts|puts\s+it\s+at|put\s+it\s+at)\s+"
                                      r"(?:that\s+)?(?:(?:there|they|it)\s+(?:are|were|is|was|had|have|has)\s+)?"
                                      r"(?:(?:been|lost|deployed|sent)\s+)?$", re.I)
_EARLIER_BEFORE_RE = re.compile(r"(?:\b(?:up|down|rising|falling|increasing|decreasing|climbing|dropping)\s+from|"
                                r"\bcompared\s+(?:with|to)|\bagainst|\bversus)\s+(?:the\s+)?$", re.I)
_EARLIER_AFTER_RE = re.compile(r"\s*(?:(?P<n>a|an|one|two|three|four|six|\d{1,2})\s+(?P<u>day|week|month|year)s?\s+"
                               r"(?:earlier|before|ago|previously)|(?:the\s+)?(?:previous|preceding|prior)\s+"
                               r"(?P<u2>day|night|week|month|year)|(?:last|a)\s+(?P<u3>week|month|year)\s+ago)\b", re.I)
_EARLIER_GAP_RE = re.compile(r"\s*(?:(?:at|by|on)\s+)?")  # "against 59% at the end of 2023"
_EARLIER_UNITS = {"day": 1, "night": 1, "week": 7, "month": 30, "year": 365}
_EARLIER_N = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "six": 6}


def _earlier_figures(text: str, figs: list[Figure], times: list[TimeMention], b: int) -> dict:
    """Figures compared with the one before them ("up from 1,210 a day earlier", "compared with 61 the previous
    night", "up from 310 in October"): figure start -> (its own time phrase or None, days back or None)."""
    out = {}
    for f in figs[1:]:
        if not _EARLIER_BEFORE_RE.search(text, max(0, f.q_start - 30), f.q_start):
            continue
        np_end = _noun_after(text, f.end, b)[2]
        rel = _EARLIER_AFTER_RE.match(text, np_end, b)
        if rel is not None:
            n = rel.group("n")
            days = _EARLIER_UNITS[fold(rel.group("u") or rel.group("u2") or rel.group("u3"))]
            days *= (_EARLIER_N[fold(n)] if n and fold(n) in _EARLIER_N else int(n)) if n else 1
            own = next((t for t in times if rel.start() <= t.start < rel.end() + 1), None)
            out[f.start] = (own, days)
            continue
        # with no time of its own it is no claim: "up from 470,000" is not dated
        out[f.start] = (next((t for t in times if np_end <= t.start <= np_end + 6 and t.kind in ("window", "as_of")
                              and _EARLIER_GAP_RE.fullmatch(text, np_end, t.start)), None), None)
    return out


def _earlier_date(found: tuple, current: Claim) -> tuple[dt.date | None, Period | None]:
    """(as_of, period) of an earlier figure: a level at its own date, or a count over its own window."""
    t, days = found
    if t is None and days is None:
        return None, None
    if days is not None:
        if current.period is not None:
            p = current.period
            return None, Period(shift(p.start, -days), shift(p.end, -days))
        return (shift(current.as_of, -days) if current.as_of else None), None
    if t.kind == "window" and t.period is not None:
        return (None, t.period) if current.period is not None else (t.period.end, None)
    return t.date, None


_DATELINE_RE = re.compile(r"[A-Z][A-Z/ .’'-]*,\s*")
_DATELINE_END_RE = re.compile(r"\s*(?:\(\w+\)\s*)?[-–—]|\.\s*/")


def _dateline(text: str, a: int, t) -> bool:
    """"KYIV, March 16 - ...", "MOSCOW, December 2. /TASS/.": the wire's dateline, the publication date, not a claim's."""
    return bool(_DATELINE_RE.fullmatch(text, a, t.start) and _DATELINE_END_RE.match(text, t.end))
_FIXED_WINDOW_RE = re.compile(r"\b(?:(?:19|20)\d\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|last\s+year|half|quarter|summer|winter|spring|autumn|fall|"
                              r"first\s+[\w-]+\s+months)", re.I)
_SPOKEN_GAP_RE = re.compile(r"\s*(?:(?:[A-Z][\w.’'-]*|the|a|an|of|to|in a statement|in an interview|"
                            r"in a post|on Telegram|on Facebook|reporters|journalists|lawmakers|MPs|parliament|(?:news |press )?briefing|"
                            r"(?:news |press )?conference|meeting|interview|statement|address|speech|video|television|"
                            r"state|national|his|her|its|their)\s+){0,5}(?:on\s+)?")
# a window that measures a span ("over the past week", "during the preceding five days") counts the figures; it does not
# date the statement that reports them, as "last month" or "in October" at the head of a sentence does
_DURATION_RE = re.compile(r"(?i)(?:over|during|within|for|throughout|in)\s+(?:the\s+|that\s+)?(?:past|last|previous|preceding|same|month|week|day)\b|(?:the\s+)?(?:past|previous|preceding)\b")
_BEFORE_FIGURE_GAP_RE = re.compile(r"[,;:]|\b(?:that|when|which)\b")
_LAST_MONTH_RE = re.compile(r"\blast\s+month\b", re.I)
_LAST_WEEK_RE = re.compile(r"\blast\s+week\b", re.I)


_WHEN_RE = re.compile(r"\s*,?\s*when\b")


# "has since lost", "have since retaken": up to now, not at the date of the statement before
_CIVIL_NOUNS = frozenset({"people"})  # killed or injured with no side in the sentence: civilians
_CIVIL_AND_RE = re.compile(r"\s*(?:(?:were|have\s+been|had\s+been)\s+)?(?:killed|dead|died|wounded|injured)?\s*"
                           r"(?:,\s*(?:and\s+)?|and\s+)(?:another\s+|at\s+least\s+|some\s+|about\s+)?")
_INCREMENT_RE = re.compile(rf"\s*[(\[]\s*(?:\+|plus\s+)\s*(?P<n>\d{{1,3}}(?:[,{GROUP_SPACES}]\d{{3}})+|\d+)\s*[)\]]")
_FORECAST_RE = re.compile(
    r"\b(?:will|would|could|might|(?:is|are|was|were)\s+(?:expected|set|likely|projected|forecast|on\s+(?:course|track)|"
    r"poised)\s+to)\s+(?:soon\s+|probably\s+|likely\s+|easily\s+|then\s+)?(?:pass|reach|exceed|top|hit|surpass|cross|"
    r"rise\s+to|climb\s+to|grow\s+to|approach)\s+(?:the\s+)?(?:(?:mark|milestone|threshold)\s+of\s+)?$", re.I)
_MONTH_WORD_RE = re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
                            r"December)\b")
_THE_MONTH_RE = re.compile(r"(?i)(?:(?:over|during|in|throughout|for)\s+)?(?:the|that|the same)\s+month")
_OWN_LOSSES_RE = re.compile(r"\b(?:its|their|his|her|our)\s+own\s+(?:death\s+toll|toll|losses|casualt(?:y|ies)|dead|"
                            r"casualty\s+figures?|figures?)\b", re.I)
# the speaker's own losses named in the sentence or the one before it in the paragraph: "there are losses among our
# comrades. As of today, 1,351 servicemen have been killed"
_OUR_LOSSES_RE = re.compile(r"\b(?:our|we\s+have)\s+(?:own\s+)?(?:losses|dead|casualties|fallen)\b|"
                            r"\b(?:losses|casualties)\s+(?:among|in)\s+(?:our|the\s+ranks\s+of\s+our)\b", re.I)
# a side's officials disclosing their figures, earlier in the paragraph: "Ukrainian officials have given figures only
# rarely": what a speaker of that side then says was killed are its own dead
_OWN_FIGURES_RE = re.compile(r"\b(?:officials|authorities|government|leaders|military|commanders?)\s+(?:have\s+|has\s+|had\s+)?"
                             r"(?:(?:only|rarely|seldom|occasionally|not)\s+){0,2}(?:given|published|released|disclosed|"
                             r"revealed|acknowledged|admitted|updated)\s+(?:(?:their|its|any|own|official|casualty|death)\s+)*"
                             r"(?:figures?|losses|casualties|tolls?|numbers?)\b", re.I)


def _own_figures_told(text: str, lo: int, hi: int, speaker: str | None) -> bool:
    """Whether [lo, hi) tells of the speaker's side's officials disclosing their figures."""
    lex = lexicon()
    for m in _OWN_FIGURES_RE.finditer(text, lo, hi):
        pw = lex.party_re.search(text, max(lo, m.start() - 30), m.start())
        if pw is not None and lex.party_of[pw.group(0)] == speaker:
            return True
    return False


_SINCE_THEN_RE = re.compile(r"\b(?:has|have)\s+since\b", re.I)


def _times(text: str, a: int, b: int, pub, anchor, prev_date) -> list[TimeMention]:
    """The sentence's time phrases, with those counted from the statement before ("the same day", "a day earlier")."""
    times = time_mentions(text, a, b, pub, anchor)
    rel = relative_days(text, a, b, prev_date)
    if rel:
        times = sorted([*times, *(r for r in rel if all(r.end <= t.start or r.start >= t.end for t in times))],
                       key=lambda t: t.start)
    return times


_SEMI_RE = re.compile(r"[:;]")
_FRONT_WHEN_RE = re.compile(r"\s*(?:When|After|As)\s+[^,;:]{0,80}$")
_CLAUSE_COMMA_RE = re.compile(r",")


def _clause_start(text: str, a: int, pos: int) -> int:
    """Where the clause holding pos begins: after the last colon or semicolon before it ("...: in August, officials put")."""
    k = max(text.rfind(":", a, pos), text.rfind(";", a, pos))
    return a if k < 0 else k + 1


def _statement_date(text: str, a: int, b: int, times, figs, pub: dt.date | None) -> dt.date | None:
    """When the sentence's statement was made: a time phrase attached to its speech verb ("told Reuters on Nov. 23",
    "said in February that") or one that opens the sentence before its first figure ("In October, the ministry put
    ..."). A figure read from that statement is dated by it, not by the publication date."""
    cands = [t for t in times if (t.kind in ("as_of", "window") and (t.date or t.period))
             or (t.kind == "since" and t.date and _WHEN_RE.match(text, t.end, b))]  # "since September 2022, when"
    if not cands:
        return None
    lex = lexicon()
    verbs = [(m.start(), m.end()) for m in lex.speech_re.finditer(text, a, b)]
    # the first figure, not one inside a time phrase nor a lone "one" ("In one update this month, he said ...")
    first = next((f.q_start for f in figs if not any(t.start <= f.start < t.end for t in times)
                  and not (f.word and f.value == 1)), b)
    for t in cands:
        attached = any((ve <= t.start and _SPOKEN_GAP_RE.fullmatch(text, ve, t.start))
                       or (t.end <= vs and text[t.end:vs].strip(" ,") == "") for vs, ve in verbs)
        when = _WHEN_RE.match(text, t.end, b)  # "in September 2022, when the minister said 5,937 ...": that statement
        opening = when is not None or (t.end <= first and len(text[_clause_start(text, a, t.start):t.start].split()) <= 4
                   and _BEFORE_FIGURE_GAP_RE.search(text, t.end, first) and not _DURATION_RE.match(text, t.start, t.end)
                   # "As X pointed out, in May 2024, it was confirmed ...": the time of what X reports, not of X saying it
                   and not any(_clause_start(text, a, t.start) <= vs and ve <= t.start for vs, ve in verbs))
        # in the speaker's own phrase, before its verb and any figure: "A report published on June 3 by X estimates
        # that ...", "Documents that leaked in April 2023 put ..."
        subject = any(t.end <= vs <= first and "," not in text[t.end:vs] for vs, ve in verbs) \
            and not _DURATION_RE.match(text, t.start, t.end) \
            and not _SEMI_RE.search(text, t.end, first)
        # after a publishing verb and its short object, before any figure: "The General Staff published new figures in
        # March", "the ministry released its tally on Monday"
        published = t.end <= first and _PUBLISHED_RE.search(text, max(a, t.start - 70), t.start) is not None \
            and not _DURATION_RE.match(text, t.start, t.end)
        # in a fronted "When ..." clause before the first figure: "When he visited the front in May, he counted ..."
        fronted = t.end <= first and _FRONT_WHEN_RE.fullmatch(text, a, t.start) is not None \
            and _CLAUSE_COMMA_RE.search(text, t.end, first) is not None and not _DURATION_RE.match(text, t.start, t.end)
        if attached or opening or subject or published or fronted:
            return _date_of(text, t, pub)
    return None


_PUBLISHED_RE = re.compile(r"\b(?:published|publishes|released|releases|issued|issues|updated|updates|posted|posts|"
                           r"presented|presents|unveiled|unveils|gave|gives|provided|provides)\s+"
                           r"(?:(?!(?:had|has|have|was|were|is|are|been|that|which|who|when|and|but)\b)[a-z][\w’'-]*\s+){1,5}$")


def _date_of(text: str, t, pub: dt.date | None) -> dt.date | None:
    """The day a time phrase points at when it dates a statement: a window's end; "last month" the month before."""
    if t.kind in ("as_of", "since"):  # "since September 2022, when it said": that month's start
        return t.date
    if pub is not None and _LAST_MONTH_RE.search(text, t.start, t.end):
        return shift(pub.replace(day=1), -1)
    if pub is not None and _LAST_WEEK_RE.search(text, t.start, t.end):
        return shift(pub, -7)
    return t.period.end


_TAKEN = {"area.controlled": ("area.gained", "area-gained"),
          "settlements.controlled": ("settlements.captured", "settlements-captured")}
_REL_RE = re.compile(r"[;:]|\b(?:that|which|who|when|after|before|since|where|while|as)\b", re.I)


# a subject and its verb between a figure and a time phrase: the phrase is in a clause of its own ("about 64% of the
# ground its troops seized in August": August dates the seizing, not the share)
_OWN_CLAUSE_RE = re.compile(r"\b(?:(?:it|they|he|she|we)|(?:its|their|his|her|our|the|whose)\s+[a-z]+)\s+"
                            r"(?:had\s+|has\s+|have\s+|were\s+|was\s+)?[a-z]+(?:ed|ook|eld|ent|ought|ought|ade|on)\b")


_SPEECH_VERB_RE = re.compile(r"\b(?:said|says|told|tells|reported|reports|claimed|claims|stated|announced|"
                             r"estimated|estimates|wrote|put|puts|confirmed|added)\b(?!\s*,)")


def _dates_speech(text: str, t: TimeMention, pos: int) -> bool:
    """Whether a time phrase before a figure dates the statement that reports it rather than counting it: a speech verb
    stands between them ("In March the Pentagon said Russia had lost 315,000 troops": a level the Pentagon gave in
    March). A window that measures a span ("Over the past week, the ministry said, ...") or one the attribution only
    interrupts ("In 2023, Kyiv said, Russia lost ...") still counts the figure."""
    return t.end <= pos and _SPEECH_VERB_RE.search(text, t.end, pos) is not None \
        and not _DURATION_RE.match(text, t.start, t.end)


_ELIDED_GAP_RE = re.compile(r"\s*(?:,\s*)?(?:and|then|with)?\s*")


def _elided(text: str, prev_end: int, f: Figure, times: list[TimeMention], b: int) -> bool:
    """Whether a bare figure repeats the figure before it with the noun left out, each with its own window: "610 square
    kilometres in October and 725 in November"."""
    if not 0 <= f.q_start - prev_end < 60:
        return False
    gap, p = [], prev_end
    for t in times:
        if prev_end <= t.start and t.end <= f.q_start:
            gap.append(text[p:t.start])
            p = t.end
    gap.append(text[p:f.q_start])
    if p == prev_end or not _ELIDED_GAP_RE.fullmatch("".join(gap)):
        return False
    return any(t.kind == "window" and not text[f.end:t.start].strip() and t.start >= f.end for t in times)


_NOW_RE = re.compile(r"\bnow\b")


def _binds(text: str, a: int, f: Figure, np_end: int, t: TimeMention) -> bool:
    """A window counts the figure it stands in the same clause with."""
    if t.start >= np_end:
        gap = text[np_end:t.start]
        return len(gap) < 80 and not _REL_RE.search(gap) and "," not in gap and not _OWN_CLAUSE_RE.search(gap)
    gap = text[t.end:f.q_start]
    if "," in gap and t.start - a > 3:
        return False
    # "took 40 km2 over the past day and now controls 74 settlements": "now" makes its own clause a level
    return not _REL_RE.search(gap) and len(gap) < 120 and _NOW_RE.search(gap) is None


# what may stand between two coordinated figures: a comma, "and", and one aside ("lost 2,100 soldiers, counting the
# wounded, and 15 tanks near X in May")
_COORD_GAP_RE = re.compile(r"\s*(?:,\s*(?:including|counting|among them|excluding|not counting|plus|mostly|most of them)"
                           r"\b[^,;:()\d]{0,60})?\s*,?\s*(?:(?:and|or|as well as)\s+)?(?:another\s+|more\s+)?", re.I)


def _shared_windows(text: str, a: int, b: int, figs: list[Figure], windows: list[TimeMention]) -> dict:
    """A window after the last of coordinated figures counts each of them ("lost 2,100 soldiers and 15 tanks near X
    in May"): figure start -> the window its coordinated successor is bound to."""
    out: dict = {}
    ends = [_noun_after(text, g.end, b)[2] if not g.fraction else g.end for g in figs]
    carried = None
    for i in range(len(figs) - 1, -1, -1):
        g = figs[i]
        own = [t for t in windows if t.start >= ends[i] and _binds(text, a, g, ends[i], t)]
        if own:
            carried = min(own, key=lambda t: t.start)
        elif carried is not None and i + 1 < len(figs) and _COORD_GAP_RE.fullmatch(text, ends[i], figs[i + 1].q_start) \
                and not _OF_THEM_RE.match(text, figs[i + 1].end, b):  # "N, M of them in 2024": M's window, a part of N
            out[g.start] = carried
        else:
            carried = None
    return out


def _last_cue(cues) -> str | None:
    for s, e, classes in reversed(cues):
        for c in classes:
            if c in ("loss", "destroy", "kill", "eliminate", "capture", "deploy", "control"):
                return c
    return None


_SUFFERER_LEAD_RE = re.compile(r"\s+(?:that\s+|which\s+)?(?:the\s+)?", re.I)
_SUFFERED_RE = re.compile(r"\s*(?:forces|troops|army|military|units)?\s*(?:have\s+|has\s+|had\s+)?(?:suffered|sustained|incurred|lost)\b", re.I)


def _side_of_people_after(text: str, np_end: int, end: int) -> str | None:
    """The side of the people a casualty noun is said of, right after it ("dead Russian soldiers")."""
    lex = lexicon()
    q = _BLANKS_RE.match(text, np_end, end).end()
    m = lex.party_re.match(text, q, end)
    if m is None:
        return None
    nm = lex.noun_re.match(text, _BLANKS_RE.match(text, m.end(), end).end(), end)
    return lex.party_of[m.group(0)] if nm and _norm(nm.group(0)) in lex.person_nouns else None


def _sufferer_after(text: str, np_end: int, end: int) -> str | None:
    """The side named right after a loss figure's noun as the one that suffered it, or None."""
    lex = lexicon()
    lead = _SUFFERER_LEAD_RE.match(text, np_end, end)
    m = lex.party_re.match(text, lead.end() if lead else np_end, end)
    if m is None or not _SUFFERED_RE.match(text, m.end(), end):
        return None
    return lex.party_of.get(m.group(0))


_AGENT_RE = re.compile(r"\bby\s+(?:the\s+)?")
_CLAUSE_BREAK_RE = re.compile(r"[,;:()]|\b(?:and|but|while|which|that|who)\b")


def _planned(cues, before: int, text: str) -> bool:
    """Whether a plan cue opens the clause of the figure at `before` ("intends to raise that figure to 60,000")."""
    for s_, e_, c_ in cues:
        if "plan" in c_ and e_ <= before and before - e_ < 80 and not _STRONG_STOP_RE.search(text, e_, before) \
                and "," not in text[e_:before]:
            return True
    return False


def _passive_agent(text: str, np_end: int, end: int, speaker: str | None) -> str | None:
    """The side named as the agent of a passive after the figure's noun ("were destroyed by Ukraine's drone units")."""
    m = _AGENT_RE.search(text, np_end, min(end, np_end + 90))
    if m is None or _CLAUSE_BREAK_RE.search(text, np_end, m.start()):
        return None
    if not any(HOSTILE.intersection(c) for s, e, c in _cues(text, np_end, m.start())):
        return None
    return _agent_side(text, m.end(), end, speaker)


def _agent_side(text: str, at: int, end: int, speaker: str | None) -> str | None:
    """The side an agent after "by" names at `at`: a party ("by Ukrainian troops"), or the speaker's own ("by our
    forces"); None for anyone else."""
    lex = lexicon()
    pw = lex.party_re.match(text, at, end)
    if pw:
        return resolve_side(lex.party_of[pw.group(0)], speaker)
    if lex.self_re.match(text, at, end):
        return speaker
    return None


def _taker_of_passive(text: str, cues, np_end: int, end: int, speaker: str | None, item: bool) -> str | None:
    """Who took an area or settlements named before a gain verb in the passive: the agent after "by" ("7 villages
    were retaken by Ukrainian troops"), else the speaker's own side ("23 settlements had been liberated", "14 villages
    were captured during the week, the Russian Defence Ministry said"): a side reports its own gains so."""
    lex = lexicon()
    cm = _AND_OR_RE.match(text, np_end, end)
    if cm is not None and lex.unit_re.match(text, cm.end(), end):  # "190 towns and villages had been liberated"
        np_end = lex.unit_re.match(text, cm.end(), end).end()
    verb = next(((s, e, c) for s, e, c in cues if np_end <= s <= np_end + 45 and ("gain" in c or "reclaim" in c)), None)
    if verb is None or _CLAUSE_BREAK_RE.search(text, np_end, verb[0]):
        return None
    m = _AGENT_RE.match(text, _BLANKS_RE.match(text, verb[1], end).end(), end)
    if m is not None:
        return _agent_side(text, m.end(), end, speaker)
    return speaker if not item else None


_AND_OR_RE = re.compile(r"\s+(?:and|or)\s+")


_HOLDER_IN_RE = re.compile(r"\b(?:under|in)\s+(?:the\s+)?")
_HOLDER_HEAD_RE = re.compile(r"(?:[’']s)?\s+(?:[a-z-]+\s+)?(?:control|occupation|hands)\b")
_HOLDER_BY_RE = re.compile(r"\b(?:in the hands of|under the control of|held by|controlled by|occupied by|seized by|"
                           r"captured by|taken by)\s+(?:the\s+)?", re.I)
_HOLDER_STOP_RE = re.compile(r"[,;:()]")


_PLACE = r"(?:the\s+)?(?:[A-Z][\w’'-]*\s+)?(?:territory|land|ground|soil|[A-Z][\w’'-]*(?:\s+(?:region|oblast))?)"
_APPOSITION_RE = re.compile(rf"(?:\s+of\s+{_PLACE})?(?:\s+(?:in|near|around)\s+{_PLACE})?"
                            r"(?:\s*,[^,;:]{0,60}?\d[^,;:]{0,60}?,|\s*,(?=\s+(?:is|are|was|were|remains?|has|have)\b))?")


def _past_apposition(text: str, pos: int, end: int) -> int:
    """Where an area's own clause goes on: past its place ("of Russian territory in the Kursk region") and an
    apposition that restates it ("110,000 km2 of Ukraine, about 18% of its territory, is under ...") or the comma
    that closes one ("18% of its territory, is under ...")."""
    m = _APPOSITION_RE.match(text, pos, end)
    return m.end() if m else pos


def _holder(text: str, pos: int, end: int, speaker: str | None) -> str | None:
    """The side named as holding an area after it: "under Russian occupation", "in Russian hands", "in the hands of
    Russian troops", "held by the invaders", "controlled by Russian forces or contested"."""
    lex = lexicon()
    stop = _HOLDER_STOP_RE.search(text, pos, min(end, pos + 90))
    hi = stop.start() if stop else min(end, pos + 90)
    for m in _HOLDER_BY_RE.finditer(text, pos, hi):
        pw = lex.party_re.match(text, m.end(), hi)
        if pw:
            return resolve_side(lex.party_of[pw.group(0)], speaker)
        if lex.self_re.match(text, m.end(), hi):
            return speaker
    for m in _HOLDER_IN_RE.finditer(text, pos, hi):
        pw = lex.party_re.match(text, m.end(), hi)
        if pw and _HOLDER_HEAD_RE.match(text, pw.end(), hi):
            return resolve_side(lex.party_of[pw.group(0)], speaker)
    return None


def _region_object(text: str, pos: int, end: int):
    m = _OF_THE_RE.match(text, pos, end)
    if not m:
        return None
    r = lexicon().region_re.match(text, m.end(), end)
    return r
