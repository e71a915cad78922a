"""Vocabularies as data: loaded once from events/lexicons, compiled into matchers.

Everything a rule matches against lives in the JSON files so that a new outlet's
phrasing is a data change, not a code change.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from attrs import frozen

LEXICON_DIR = Path(__file__).resolve().parent.parent / "lexicons"

_NAMES = ("metrics", "units", "cues", "parties", "regions", "claimants", "qualifiers", "numbers", "calendar", "boilerplate")


# The four characters that a case-insensitive regex matches to an ASCII letter and str.lower() does not turn into
# it: İ and ı match i, ſ matches s, K (the Kelvin sign) matches k.
_REGEX_CASE = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def fold(text: str) -> str:
    """Text a case-insensitive pattern matched, lower-cased as the pattern compared it: the key of its entry in a
    vocabulary ("loſt" is matched as "lost", and looked up so)."""
    return text.lower() if text.isascii() else text.translate(_REGEX_CASE).lower()  # most text: no table walk


class Folded(dict):
    """A vocabulary whose keys a case-insensitive pattern matched: a key met as "hourſ" or "KİLLED" (lower-cased
    by str.lower, which leaves ſ and gives İ two characters) is looked up as the pattern compared it."""

    def __missing__(self, key: Any) -> Any:
        if isinstance(key, str):
            folded = fold(key)
            if folded != key and folded in self:
                return self[folded]
        raise KeyError(key)


def _load(name: str) -> dict[str, Any]:
    with open(LEXICON_DIR / f"{name}.json", encoding="utf-8") as f:
        return json.load(f)


@cache
def _case_variants(chars: str) -> dict[str, tuple[str, ...]]:
    """Each character of chars -> every character a case-insensitive regex matches to it (itself first), e.g.
    s -> (s, S, ſ): the exact-case alternatives that let a case-insensitive pattern start with a literal."""
    bmp = "".join(map(chr, [*range(0xD800), *range(0xE000, 0x10000)]))
    found = re.findall("[" + "".join(map(re.escape, chars)) + "]", bmp, re.I)
    return {c: (c, *sorted({x for x in found if x != c and re.fullmatch(re.escape(c), x, re.I)})) for c in chars}


def _trie_regex(words: list[str], guard: str | None = None, icase: bool = False) -> str:
    """A regex equivalent to an alternation of words, shaped as a trie so the engine never retries a shared prefix.

    Longer continuations are tried before a word ends, so the longest phrase wins as with a sorted alternation.
    icase: for a pattern compiled without IGNORECASE, each first character becomes its exact-case variants, one
    branch each, with the rest of the phrase under (?i:...): the same matches, but the pattern starts with literals
    the engine can skip ahead to.
    """
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict, top: bool = False) -> str:
        end = "" in node
        branches = []
        firsts = "".join(sorted(k for k in node if k))
        variants = _case_variants(firsts) if top and icase else {}
        for ch in firsts:
            if ch in variants:
                rest = emit(node[ch])
                rest = f"(?i:{rest})" if rest else ""
                for v in variants[ch]:
                    atom = re.escape(v)
                    branches.append(f"{atom}(?<!{guard}{atom}){rest}" if guard is not None else atom + rest)
                continue
            atom = r"\s+" if ch == " " else re.escape(ch)
            if top and guard is not None:
                atom = f"{atom}(?<!{guard}{atom})"  # the left boundary, checked once the first character matched
            branches.append(atom + emit(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not end else "(?:" + "|".join(branches) + ")"
        if end:
            body = (body if body.startswith("(?:") else "(?:" + body + ")") + "?"
        return body

    return emit(trie, top=True)


def alternation(phrases: Any, *, boundary: bool = True, cased: bool = False, icase: bool = False) -> str:
    """A regex matching any of the phrases (longest first), spaces matching any run of blanks.

    cased: for a case-sensitive pattern, the left boundary is checked after the first character, so the pattern
    starts with a literal and the engine skips ahead to the characters a phrase can start with (under a global
    IGNORECASE flag the engine cannot, and the check-first form is faster).
    icase: matches case-insensitively by itself, to be compiled without IGNORECASE: the first characters are
    spelled out in their exact-case variants so the engine can skip ahead as for a cased pattern.
    """
    items = sorted({p for p in phrases if p})
    guard = r"[\w’'-]"
    if not boundary:
        return f"(?:{_trie_regex(items)})"
    if (cased or icase) and not any(p[0].isspace() for p in items):
        return rf"(?:{_trie_regex(items, guard, icase)})(?![\w-])"
    if icase:
        return rf"(?i:(?<!{guard})(?:{_trie_regex(items)})(?![\w-]))"
    return rf"(?<!{guard})(?:{_trie_regex(items)})(?![\w-])"


# The only characters that a case-insensitive regex matches to an ASCII letter while str.lower() does not map them
# to that letter alone: where one occurs, keyword prefilters cannot speak for the regex and every rule runs.
_CASE_ODD_RE = re.compile("[\u0130\u0131\u017f\u212a]")


def cue_text(s: str) -> str | None:
    """s lower-cased for keyword prefilters (`has_cue`), or None when lower-casing could hide a case-insensitive match."""
    return None if _CASE_ODD_RE.search(s) else s.lower()


def has_cue(low: str | None, cues: re.Pattern) -> bool:
    """Whether a regex whose every match contains one of the `keywords` cues can match text whose cue_text is low."""
    return low is None or cues.search(low) is not None


def keywords(phrases: Any) -> re.Pattern:
    """Lower-case words one of which every match of alternation(phrases) contains (each phrase's longest word, the
    last of equals, usually its head), as one case-sensitive pattern for lower-cased text, which the engine scans fast.

    A rule whose regex is built from the phrases can be skipped, with the same result, on text holding none of them.
    """
    words = {max(reversed(p.lower().split()), key=len) for p in phrases if p and p.split()}
    return re.compile(_trie_regex(sorted(w for w in words if not any(o != w and o in w for o in words))))


@frozen
class Lexicon:
    raw: dict
    # phrase -> value maps, keys lower-cased where matching is case-insensitive
    person_nouns: frozenset
    casualty: dict
    equipment: dict
    np_skip_re: re.Pattern
    noun_re: re.Pattern  # any counted noun at a position
    unit_re: re.Pattern  # km2, mi2, percent, settlements, distance, other
    unit_kind: dict
    cue_re: re.Pattern
    cue_classes: dict  # phrase(lower) -> tuple of classes
    party_re: re.Pattern
    party_of: dict
    self_re: re.Pattern
    opposite: dict
    outlet_side_re: re.Pattern
    outlet_sides: dict
    location_preps: frozenset
    region_re: re.Pattern
    region_of: dict
    theatre: str
    countries: frozenset
    qualifier_re: re.Pattern  # ends right before a number
    qualifier_of: dict
    interval: dict
    speech_re: re.Pattern
    tally_re: re.Pattern
    title_re: re.Pattern
    org_re: re.Pattern
    media: frozenset
    reporting_bodies: frozenset
    people: dict
    not_claimants: frozenset
    persons_not: frozenset
    months: dict
    weekdays: dict
    windows: dict
    window_units: dict
    now_re: re.Pattern
    origins: dict
    abbreviations: frozenset
    numbers: dict
    boiler_line_re: re.Pattern
    caption_re: re.Pattern
    tail_re: re.Pattern


def _lower_map(d: dict) -> Folded:
    return Folded((k.lower(), v) for k, v in d.items())


def _with_singulars(d: dict) -> dict:
    """Equipment nouns with the singular of each plural ("an infantry fighting vehicle", "a Krab self-propelled
    artillery system"): the last word loses its plural -s; a phrase of several nouns ("ships and boats") is left."""
    out = dict(d)
    for k, v in d.items():
        if " and " in k or "/" in k or not k.endswith("s") or k.endswith(("ss", "S")):
            continue
        out.setdefault(k[:-1], v)
    return out


def _region_aliases(reg: dict) -> dict[str, str]:
    aliases: dict[str, str] = {}
    suffixes = reg["suffixes"]
    for canon, extra in reg["oblasts"].items():
        for name in [canon, *extra]:
            aliases[name] = canon
            for s in suffixes:
                aliases[f"{name} {s}"] = canon
    for canon, extra in reg["suffixed"].items():
        for name in [canon, *extra]:
            for s in suffixes:
                if s.lower() not in ("direction", "sector", "axis", "area", "areas"):
                    aliases[f"{name} {s}"] = canon
    for canon, names in reg["named"].items():
        for name in names:
            aliases[name] = canon
    for canon, names in reg.get("countries", {}).items():
        for name in names:
            aliases[name] = canon
    for name in reg["theatre_aliases"]:
        aliases[name] = reg["theatre"]
    return aliases


@cache
def lexicon() -> Lexicon:
    d = {n: _load(n) for n in _NAMES}
    m, u, c, p, r, cl, q, nu, cal, bp = (d[n] for n in _NAMES)
    for vocabulary in (nu, cal):  # number words and calendar phrases, looked up as matched
        for k, v in vocabulary.items():
            if isinstance(v, dict):
                vocabulary[k] = Folded(v)
    unit_kind: dict[str, str] = Folded()
    for kind in ("km2", "mi2", "ha", "percent", "settlements", "distance", "other"):
        for w in u[kind]:
            unit_kind.setdefault(w.lower(), kind)
    cue_classes: dict[str, tuple] = Folded()
    for cls, words in c.items():
        if cls.startswith("_"):
            continue
        for w in words:
            cue_classes[w.lower()] = cue_classes.get(w.lower(), ()) + (cls,)
    equipment = _with_singulars(m["equipment"])
    nouns = [*m["persons"], *m["casualties"], *equipment, *m["persons_not"]]
    regions = _region_aliases(r)
    unit_words = list(unit_kind)
    percent_sym = [w for w in unit_words if not w[0].isalnum()]
    return Lexicon(
        raw=d,
        person_nouns=frozenset(w.lower() for w in m["persons"]),
        casualty=_lower_map(m["casualties"]),
        equipment=_lower_map(equipment),
        np_skip_re=re.compile(r"\s*" + alternation(m["np_skip"]) + r"\s*", re.I),
        noun_re=re.compile(alternation(nouns), re.I),
        unit_re=re.compile(r"(?:" + alternation(percent_sym, boundary=False) + "|" + alternation([w for w in unit_words if w[0].isalnum()]) + ")", re.I),
        unit_kind=unit_kind,
        cue_re=re.compile(alternation(cue_classes), re.I),
        cue_classes=cue_classes,
        party_re=re.compile(alternation(p["words"], cased=True)),
        party_of=dict(p["words"]),
        self_re=re.compile(alternation(p["self"], cased=True)),
        opposite=dict(p["opposite"]),
        outlet_side_re=re.compile(alternation(cl["outlet_sides"], cased=True)),
        outlet_sides=dict(cl["outlet_sides"]),
        location_preps=frozenset(p["location_preps"]),
        region_re=re.compile(alternation(regions, cased=True)),
        region_of=regions,
        theatre=r["theatre"],
        countries=frozenset(r.get("countries", {})),
        qualifier_re=re.compile(r"(?:" + alternation(q["words"], icase=True) + r")\s*$"),
        qualifier_of=_lower_map(q["words"]),
        interval=q["interval"],
        speech_re=re.compile(alternation(cl["speech_verbs"]), re.I),
        tally_re=re.compile(alternation(cl["tally_verbs"], cased=True)),
        title_re=re.compile(alternation(cl["titles"], cased=True)),
        org_re=re.compile(alternation([*cl["organisations"], *cl["media"]], cased=True)),
        media=frozenset(w.lower() for w in cl["media"]),
        reporting_bodies=frozenset(w.lower() for w in cl["reporting_bodies"]),
        people=dict(cl["people"]),
        not_claimants=frozenset(w.lower() for w in cl["not_claimants"]),
        persons_not=frozenset(w.lower() for w in m["persons_not"]),
        months=cal["months"],
        weekdays=cal["weekdays"],
        windows=_lower_map(cal["windows"]),
        window_units=cal["window_units"],
        now_re=re.compile(alternation(cal["now"], icase=True)),
        origins=_lower_map(cal["origins"]),
        abbreviations=frozenset(cal["abbreviations"]),
        numbers=nu,
        boiler_line_re=re.compile(r"^\s*(?:" + "|".join(bp["lines"]) + r")\s*$", re.I),
        caption_re=re.compile("|".join(bp["captions"]), re.I),
        tail_re=re.compile(r"^\s*(?:" + "|".join(bp["tail"]) + r")\s*$", re.I),
    )
