"""Figures that complete a measure instead of standing before a noun of their own.

"The death toll stood at 9,200", "put the number of Russian soldiers killed since the invasion at 112,000", "when it
stood at 5,937", "the real number was about 90,000": what such a figure counts is read from the measure phrase it
completes (its own word, else its "of" phrase), from a casualty noun heading the clause ("Russia's military losses
in the war ... reached 702,000"), or, when the measure names nothing ("the real number", "it"), from the claim
before it in the article. The vocabulary is data: `measures` and `measure_links` in lexicons/metrics.json.
"""

from __future__ import annotations

import re
from functools import cache

from attrs import frozen

from events.extract.lexicon import alternation, fold, lexicon


@frozen
class Measured:
    """What a bare figure counts: a metric (None: the claim before it decides), the side named in the phrase, and
    where the phrase begins."""

    metric: str | None
    party: str | None
    start: int
    how: str  # "measure" (its own word), "of-phrase", "head-noun", "antecedent"


@cache
def _patterns() -> tuple[re.Pattern, re.Pattern, dict[str, str]]:
    m = lexicon().raw["metrics"]
    measures = {fold(k): v for k, v in m["measures"].items()}
    link = re.compile(r"\b(?:" + alternation(m["measure_links"], boundary=False) + r")\s+(?:(?:somewhere|anywhere|"
                      r"roughly|just|already|now|still|likely|probably)\s+)?$", re.I)
    return re.compile(alternation(list(measures)), re.I), link, measures


_STOP_RE = re.compile(r"[;:.!?]\s|\bbut\b|\bwhile\b|\bwhereas\b")
_PARTICIPLE_RE = re.compile(r"\b(?:killed in action|killed|died|dead|wounded|injured|captured|taken prisoner|missing)\b",
                            re.I)
_PERSON_AFTER_PART = {"killed in action": "killed", "died": "killed", "dead": "killed", "injured": "wounded",
                      "taken prisoner": "captured"}


def measured(text: str, a: int, q_start: int) -> Measured | None:
    """The measure phrase a figure at q_start completes in the sentence [a, ...), or None.

    The figure must follow a link ("stood at", "was", "reached", "at" after "put ... ") and the phrase must stand in
    the same clause: no semicolon, colon or sentence end between, at most 25 words back."""
    measure_re, link_re, measures = _patterns()
    lo = max(a, q_start - 220)
    stop = None
    for stop in _STOP_RE.finditer(text, lo, q_start):
        pass
    if stop is not None:
        lo = stop.end()
    link = link_re.search(text, max(lo, q_start - 40), q_start)
    if link is None:
        return None
    lex = lexicon()
    heads = []
    for hm in measure_re.finditer(text, lo, link.start()):
        heads.append(("measure", hm))
    for nm in lex.noun_re.finditer(text, lo, link.start()):
        key = fold(nm.group(0))
        if key in lex.casualty and key not in lex.person_nouns and not _INCLUDING_RE.search(text, max(lo, nm.start() - 16), nm.start()):
            heads.append(("casualty", nm))
    if not heads:
        verb = _estimate_res()[1].search(text, max(lo, link.start() - 40), link.start())
        if verb is not None and fold(link.group(0).split()[0]) == "at":
            return Measured(None, None, verb.start(), "antecedent")  # "Kyiv puts it at 12,000": the count spoken of
        return None
    heads.sort(key=lambda h: h[1].start())
    kind, head = heads[-1]
    last_measure = next((h for h in reversed(heads) if h[0] == "measure"), None)
    if last_measure is not None and (kind == "measure" or _OF_RE.match(text, last_measure[1].end(), link.start())):
        kind, head = last_measure  # "the number of wounded": the measure reads its own "of" phrase
    if len(text[head.start():q_start].split()) > 25:
        return None
    pre = max(lo, head.start() - 40)
    for verb in _estimate_res()[0].finditer(text, pre, head.start()):
        pre = verb.end()  # "Kyiv puts the figure at": the side before the estimate verb is who estimates, not whose count
    party = _party(text, head.start(), link.start()) or _party(text, pre, head.start(), last=True)
    if kind == "casualty":
        return Measured(lex.casualty[fold(head.group(0))], party, head.start(), "head-noun")
    own = measures[fold(head.group(0))]
    if own:
        return Measured(own, party, head.start(), "measure")
    metric = _of_phrase(text, head.end(), link.start())
    if metric is None and kind == "measure" and _COMPARED_RE.fullmatch(text, head.end(), link.start()):
        # "the Pentagon's estimate is lower, at 120,000", "puts the figure higher, at ...": the count spoken of,
        # estimated again; a side named before the measure is whose estimate it is, not whose count
        return Measured(None, _party(text, head.start(), link.start()), head.start(), "antecedent")
    bare = _THE_RE.search(text, max(lo, head.start() - 7), head.start()) \
        and _AUX_BETWEEN_RE.fullmatch(text, head.end(), link.start()) is not None
    if metric is None and (_OF_RE.match(text, head.end(), link.start()) or not (
            bare or _REFERS_BACK_RE.search(text, max(lo, head.start() - 12), head.start())
            or _PRONOUN_RE.search(text, head.end(), link.start()))):
        return None  # "the combined toll is nearing half a million", "the number of volunteers was 300": no claim
    return Measured(metric, party, head.start(), "of-phrase" if metric else "antecedent")


_OF_RE = re.compile(r"\s+of\s+", re.I)
_THE_RE = re.compile(r"\b(?:the|that|this|these|those|its|their)\s+$", re.I)  # "the count stood at", "that figure was": the one just spoken of
# an estimate set beside the one before it: "is higher, at", "far lower, at", "was even higher at"
_COMPARED_RE = re.compile(r"\s+(?:(?:is|was|are|were|would\s+be|could\s+be|may\s+be|might\s+be)\s+)?"
                          r"(?:(?:far|much|even|still|considerably|significantly|substantially|somewhat|slightly)\s+)?"
                          r"(?:higher|lower|larger|smaller|greater|bigger)\s*,?\s*", re.I)


@cache
def _estimate_res() -> tuple[re.Pattern, re.Pattern]:
    """An estimate verb (the lexicon's estimate_verbs: "puts", "estimated", "reckons"), and one whose object is a
    pronoun for the count spoken of: "puts it at", "estimated them at"."""
    verbs = alternation(lexicon().raw["claimants"]["estimate_verbs"])
    return re.compile(verbs, re.I), re.compile(verbs + r"\s+(?:it|them)\s+$", re.I)


# what may stand between a measure and its link: "the figure could be", "the real number may well be"
_AUX_BETWEEN_RE = re.compile(r"(?:\s+(?:is|was|are|were|could|may|might|would|will|well|probably|likely|now|still))*\s*", re.I)
_PREP_BEFORE_RE = re.compile(r"(\w+)\s+(?:the\s+)?$")
_INCLUDING_RE = re.compile(r"\b(?:including|excluding|with|without|besides)\s+(?:the\s+)?$", re.I)
# "the real number", "the true toll": a measure that corrects or restates the figure before it
_REFERS_BACK_RE = re.compile(r"\b(?:real|true|actual|official|correct|final|overall|latest|own)\s+$", re.I)
_PRONOUN_RE = re.compile(r"\b(?:when|which|as)\s+(?:it|they|the \w+)\b.*\bit\s*$|\bwhen\s+it\b", re.I)


def _of_phrase(text: str, pos: int, end: int) -> str | None:
    """The metric a measure's "of" phrase names: "the number of Russian troops killed", "the number of wounded"."""
    lex = lexicon()
    om = _OF_RE.match(text, pos, end)
    if om is None:
        return None
    part = _PARTICIPLE_RE.search(text, om.end(), end)
    for nm in lex.noun_re.finditer(text, om.end(), end):
        key = fold(nm.group(0))
        if key in lex.casualty and key not in lex.person_nouns:
            return lex.casualty[key]
        if key in lex.equipment:
            return lex.equipment[key] if part is None else None
        if key in lex.person_nouns and part is not None:
            w = fold(part.group(0))
            return lex.casualty[_PERSON_AFTER_PART.get(w, w)]
        if key in lex.person_nouns and key not in lex.casualty:
            return "troops.deployed"  # "the number of servicemen": a strength (a plan when it is set or raised)
    return None


def _party(text: str, a: int, b: int, last: bool = False) -> str | None:
    """The side named in [a, b): the first one ("the number of Russian soldiers"), or the last one before a head
    ("Kyiv said Russia's losses")."""
    lex = lexicon()
    found = None
    for pm in lex.party_re.finditer(text, a, b):
        prep = _PREP_BEFORE_RE.search(text, max(a, pm.start() - 12), pm.start())
        if prep and fold(prep.group(1)) in lex.location_preps:
            continue  # "casualties in Ukraine": a place, not the side
        if found is None or last:
            found = lex.party_of[pm.group(0)]
    return found
