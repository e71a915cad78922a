"""Who a figure is attributed to: people (name without title), anonymous sources, bodies and outlets.

Names are resolved across the article: a surname or a bare title ("the
Commander-in-Chief said") points back at the person named with it earlier,
and every "the source" is the article's one anonymous source, named by its
most specific description.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache

from attrs import field, frozen

from events.extract.lexicon import fold, lexicon

_NAME_RE = re.compile(r"(?<![\w’'-])[A-Z][a-zà-öø-ÿʼ’'-]+(?:\s+[A-Z][a-zà-öø-ÿʼ’'-]+){1,3}(?![\w-])")
_SOURCE_RE = re.compile(r"(?<![\w-])((?:(?:a|the|one|another|senior|high-ranking|top)\s+){0,3})((?:[\w’'-]+\s+){0,4}?)sources?\b", re.I)
_PEOPLE_GROUP_RE = re.compile(r"\b(?:analysts|researchers|authors)\s*$", re.I)
_SURNAME_RE = re.compile(r"[A-Z][a-zà-öø-ÿ’'-]{2,}")
_ANAPHORIC_SOURCE = frozenset(("same", "that", "this", "other", "the same", "that same"))
_SOURCE_TAIL_RE = re.compile(r"\s+((?:on|in|at|within|inside|close\s+to|familiar\s+with)\s+(?:the\s+)?[A-Z][^,.;:]{2,50}?)"
                             r"(?=\s+(?:told|said|says|who|which|,)|[,.;:])")
_PRONOUN_RE = re.compile(r"(?<![\w])(?:it|he|she|they|the ministry|the military|the (?:same )?(?:report|statement|"
                         r"update|bulletin|briefing|summary|project|study|analysis|survey|assessment|count|tally|"
                         r"database|list|authors|researchers|analysts|think tank|institute|agency|monitor|group))(?:\s+also)?\s*$", re.I)
_BODY_WORD_RE = re.compile(r"\b(?:ministry|military)\s*(?:also\s*)?$", re.I)
_OWNER_RE = re.compile(r"\s+of\s+(?:the\s+)?([^,;]{1,40})")
_DESCRIBES_RE = re.compile(r",\s*(?:who|whose|which)\b[^,]*,", re.I)
_RELATIVE_RE = re.compile(r"\s*(?:who|whom|whose|which)\b", re.I)
_TITLE_ABBR = {"gen": "general", "gen.": "general", "col": "colonel", "col.": "colonel", "lt": "lieutenant"}
_STOP_NAME = {"The", "A", "An", "As", "In", "On", "At", "But", "And", "For", "By", "With", "From", "After", "Before",
              "During", "Since", "Despite", "Overall", "Last", "Now", "This", "That", "It", "Its", "According", "Editors",
              "News", "More", "Read", "Skip", "Edit", "Subscribe", "Updated", "Commander", "President", "Minister",
              "Defense", "Defence", "Forces", "General", "Staff", "Armed", "Ground", "Chief", "Military", "Oblast",
              "Region", "Federation", "Republic", "District", "Ministry", "Times", "World", "War", "Two", "Western",
              "Eastern", "Northern", "Southern", "Kyiv", "Key", "Ukraine", "Russia", "Moscow", "Storm", "Shadow",
              "Financial", "New", "York", "Institute", "Study", "Air", "Force", "Navy", "Command", "Independent",
              "Pravda", "United", "States", "Nations", "Britain", "British", "American", "European", "Union", "NATO",
              "Commander-in-Chief", "Facebook", "Telegram", "Twitter", "Reuters", "Guardian", "Post", "Journal"}


_SPEAKS_RE = re.compile(r"\b(?:said|says|told|wrote|according|reported|claimed|added|stated|announced|confirmed|cited|"
                        r"briefed)\b", re.I)


@frozen
class Claimant:
    name: str | None
    kind: str  # person | source | title | org | media | none
    party: str | None = None


NONE = Claimant(None, "none")


@frozen
class People:
    """Article-wide references: surname -> full name, title -> full name, the anonymous source's name."""

    surnames: dict
    titles: dict
    source: str | None
    acronyms: dict = field(factory=dict)  # "NIS" -> "National Intelligence Service": the lexicon's, and those the article defines
    sides: dict = field(factory=dict)  # "general staff" -> "UA": a body the article names once with its side
    person_sides: dict = field(factory=dict)  # "Andriy Koval" -> "UA": "Andriy Koval, a Ukrainian battalion commander"


_DEFINED_RE = re.compile(r"(?<![\w’'-])((?:[A-Z][\w’'-]*\s+)(?:(?:[A-Z][\w’'-]*|of|for|the|and|on|in)\s+){0,6}?[A-Z][\w’'-]*)"
                         r"\s+\(([A-Z]{2,6})\)")


def _defines(full: str, acr: str) -> str | None:
    """The full name an acronym in brackets spells ("Center for Strategic and International Studies (CSIS)"), or None:
    the acronym's letters are the initials of the name's last capitalised words."""
    words = full.split()
    caps = [i for i, w in enumerate(words) if w[:1].isupper()]
    if len(caps) < len(acr):
        return None
    first = caps[len(caps) - len(acr)]
    if "".join(words[i][0] for i in caps[len(caps) - len(acr):]) != acr:
        return None
    return " ".join(words[first:])


@cache
def _aliases() -> dict:
    return dict(lexicon().raw["claimants"].get("aliases", {}))


def _named_body(full: str, acr: str) -> str:
    return f"{full} ({acr})"


@cache
def _stop() -> frozenset:
    lex = lexicon()
    words = set(_STOP_NAME)
    for k in lex.party_of:
        words.update(k.split())
    for k in lex.region_of:
        words.update(k.split())
    for k in lex.raw["claimants"]["titles"]:  # "Colonel Andriy Melnyk" is Andriy Melnyk
        words.update(w.rstrip(".") for w in k.split() if w[:1].isupper())
    words.update(("Brigadier", "Lieutenant", "Major", "Captain", "Sergeant", "Admiral", "Marshal"))
    for k in lex.raw["calendar"]["months"]:
        words.add(k.capitalize())
    for k in lex.raw["calendar"]["weekdays"]:
        words.add(k.capitalize())
    return frozenset(words)


def _is_name(s: str) -> bool:
    toks = s.split()
    stop = _stop()
    return len(toks) >= 2 and not any(t in stop or t.rstrip("’'s") in stop for t in toks)


def people(text: str, spans: list[tuple[int, int]]) -> People:
    lex = lexicon()
    surnames: dict[str, str] = {}
    titles: dict[str, str] = {}
    person_sides: dict[str, set] = {}
    for full in lex.people:
        surnames.setdefault(full.split()[-1], full)
    sources: list[str] = []
    seen: dict[str, set] = {}  # a body's bare name -> the sides it is named with where it speaks ("Ukraine's General Staff")
    for a, b in spans:
        bodies = [(m.start(), m.end()) for m in lex.org_re.finditer(text, a, b)] if _SPEAKS_RE.search(text, a, b) else []
        for x, y in bodies:
            pre = _SIDE_BEFORE_RE.search(text, max(a, x - 40), x)
            side = party_of_name((pre.group(1) if pre else "") + text[x:y])
            if side is not None:
                seen.setdefault(_generic(text[x:y]), set()).add(side)
        starts = [x for x, y in bodies]  # in order, not overlapping: one bisection per name keeps this linear
        for m in _NAME_RE.finditer(text, a, b) if _SPEAKS_RE.search(text, a, b) else ():
            k = bisect_left(starts, m.end()) - 1
            if k >= 0 and bodies[k][1] > m.start():
                continue  # "Rapid Response Corps": a body's name, not a person's
            name = m.group(0)
            toks = name.split()
            # drop a leading capitalised non-name word ("President Volodymyr Zelensky" is handled by the stop list)
            while toks and toks[0] in _stop():
                toks = toks[1:]
            name = " ".join(toks)
            if _is_name(name):
                known = next((p for p in lex.people if p.split()[-1] == toks[-1]), None)
                surnames[toks[-1]] = known or surnames.get(toks[-1]) or name
                side = _described_side(text, m.start(), m.end(), b)
                if side is not None:
                    person_sides.setdefault(surnames[toks[-1]], set()).add(side)
        for m in lex.title_re.finditer(text, a, b):
            rest = text[m.end():min(b, m.end() + 90)]
            nm = re.match(r"(?:\s+of\s+[^,.;]{1,50}?)?,?\s+([A-Z][^\s,.;]+(?:\s+[A-Z][^\s,.;]+){1,2})", rest)
            if nm and _is_name(nm.group(1)):
                titles.setdefault(_title_key(m.group(0)), nm.group(1))
        if "source" in fold(text[a:b]):
            for m in _SOURCE_RE.finditer(text, a, b):
                desc = "" if fold(m.group(2).strip()) in _ANAPHORIC_SOURCE else m.group(2).strip()  # "the same source"
                tail = _SOURCE_TAIL_RE.match(text, m.end(), b)  # "a senior source on Ukraine's General Staff"
                sources.append(f"{desc} source {tail.group(1)}".strip() if tail else desc)
    best = None
    scored = [(max((len(m.group(0)) for m in lex.org_re.finditer(s)), default=0), -i, s) for i, s in enumerate(sources)]
    scored = [x for x in scored if x[0]]
    if scored:
        best = max(scored)[2]
    if best is None and sources:
        best = next((s for s in sources if s), None)
    source = (best if f" {best} ".find(" source ") >= 0 else f"{best} source".strip()) if best is not None else None
    if source:
        source = re.sub(r"^(?:a|the|senior|one)\s+", "", source, flags=re.I)
    acronyms = dict(_aliases())
    sides = {k: next(iter(v)) for k, v in seen.items() if len(v) == 1 and k}
    for a, b in spans:
        if "(" in text[a:b]:
            for m in _DEFINED_RE.finditer(text, a, b):
                full = _defines(m.group(1), m.group(2))
                if full:
                    acronyms[m.group(2)] = full
    described = {k: next(iter(v)) for k, v in person_sides.items() if len(v) == 1}
    return People(surnames, titles, source, acronyms, sides, described)


# how a person is described: "Andriy Koval, a Ukrainian battalion commander", "Ukrainian drone pilot Andriy Koval"
_APPOSITION_RE = re.compile(r",\s+(?:a|an|the)\s+(?P<d>[^,;.()“”\"]{3,70})")
_TITLE_BEFORE_RE = re.compile(r"(?P<d>\b[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,2}(?:\s+[a-z][\w-]+){1,3})\s+$")
_NOT_OWN_SIDE_RE = re.compile(r"\b(?:fighting|against|opposing|attacking|facing|targeting|tracking|studying|"
                              r"covering|near|in|into|inside|on|from|held|occupied|captured)\b")


def _described_side(text: str, start: int, end: int, b: int) -> str | None:
    """The side a person's description gives them, before their side is spoken of as a place or an opponent."""
    lex = lexicon()
    found = [_APPOSITION_RE.match(text, end, b), _TITLE_BEFORE_RE.search(text, max(0, start - 50), start)]
    for m in found:
        if m is None:
            continue
        d = m.group("d")
        p = lex.party_re.search(d)
        if p is None or _NOT_OWN_SIDE_RE.search(d, 0, p.start()):
            continue
        side = lex.party_of[p.group(0)]
        if side in lex.opposite:
            return side
    return None


_SIDE_BEFORE_RE = re.compile(r"((?:[A-Z][\w’'-]+\s+){1,2})$")


def _generic(body: str) -> str:
    """A body's name without its side ("Ukraine's General Staff" -> "general staff"): how it is named again later."""
    return fold(" ".join(lexicon().party_re.sub(" ", body).split()))


def _finds(s: str, sub: str) -> list[int]:
    out, k = [], s.find(sub)
    while k >= 0:
        out.append(k)
        k = s.find(sub, k + 1)
    return out


def _title_key(title: str) -> str:
    """"Gen." and "general", "Col." and "colonel" name one title."""
    t = fold(title).split()[-1]
    return _TITLE_ABBR.get(t, t.rstrip("."))


def party_of_name(name: str | None) -> str | None:
    if not name:
        return None
    lex = lexicon()
    if name in lex.people:
        return lex.people[name]
    for m in lex.party_re.finditer(name):
        if lex.party_of[m.group(0)] in lex.opposite:  # a side, not a word relative to the speaker ("enemy")
            return lex.party_of[m.group(0)]
    return None


_DOCUMENT = r"(?:report|study|analysis|paper|assessment|survey|estimate|count|calculation|review)"
_DOCUMENT_RE = re.compile(rf"\b{_DOCUMENT}\b", re.I)
_THE_DOCUMENT_RE = re.compile(rf"(?:^|,\s*)(?:the|this|that|its|their)\s+(?:same\s+|new\s+|latest\s+)?{_DOCUMENT}(?:\s+also)?$", re.I)


def names_document(text: str, a: int, b: int) -> bool:
    """Whether [a, b) speaks of a document ("a report published on June 3 by X"): what "the report" refers to later."""
    return a < b and _DOCUMENT_RE.search(text, a, b) is not None


def resolve(phrase: str, ppl: People, previous: Claimant | None, document: Claimant | None = None) -> Claimant | None:
    """The claimant a phrase names; NONE for known non-claimants; None when the phrase names nobody."""
    lex = lexicon()
    p = phrase.strip(" ,\"“”'’")
    if not p:
        return None
    low = fold(p)
    vague = next((w for w in lex.not_claimants if low.endswith(w) or low == w), None)
    if vague is not None:
        # "the ISW data", "Ukrainian General Staff figures": the body whose data they are; "available information": nobody
        rest = p[:len(p) - len(vague)].strip()
        named = lex.org_re.search(rest) or any(w in ppl.acronyms for w in re.findall(r"[A-Z][\w’'-]+", rest))
        return (resolve(rest, ppl, previous, document) or NONE) if rest and named else NONE
    if document is not None and _THE_DOCUMENT_RE.search(p):  # "the report says": the report named before, not
        return document                                       # whoever spoke last
    if _PRONOUN_RE.search(p) and len(p.split(",")[-1].split()) <= 3 \
            and (previous is not None or not _PEOPLE_GROUP_RE.search(p)):  # "In all, the project lists"
        body = _BODY_WORD_RE.search(p)
        if body is None or previous is None or fold(body.group(0)) in fold((previous.name or "")):
            return previous  # "the analysts said" with nobody before them: the analysts
        # "the ministry said" after another speaker: not them, but the article's ministry (when it names one)
    # "Gen. X, who commanded the Tavria group, said": the relative clause describes the speaker, it does not name one
    # (the comma that closed it may have been stripped with the phrase's end)
    closed = phrase.rstrip(" \"“”'’").endswith(",")
    p = _DESCRIBES_RE.sub("", p + "," if closed else p).rstrip(", ") or p
    bodies = [(m.start(), m.end()) for m in lexicon().org_re.finditer(p)]
    bodies += [(k, k + len(full)) for full in set(ppl.acronyms.values()) if full in p for k in _finds(p, full)]
    names = [m for m in _NAME_RE.finditer(p) if not any(x < m.end() and m.start() < y for x, y in bodies)]
    if not names:
        defined = max(((k, full) for full in set(ppl.acronyms.values()) if full in p for k in _finds(p, full)),
                      default=None)
        if defined is not None:  # "a paper by the Royal United Services Institute (RUSI)"
            short = next(k for k, v in ppl.acronyms.items() if v == defined[1])
            return Claimant(_named_body(defined[1], short), "org", party_of_name(defined[1]))
    for m in reversed(names):
        toks = m.group(0).split()
        while toks and toks[0] in _stop():
            toks = toks[1:]
        if _is_name(" ".join(toks)):
            full = ppl.surnames.get(toks[-1], " ".join(toks))
            return Claimant(full, "person", party_of_name(full) or ppl.person_sides.get(full))
    if re.search(r"(?<![\w-])sources?\b", p, re.I):  # not "open-source"
        return Claimant(ppl.source, "source", party_of_name(ppl.source))
    words = re.findall(r"[A-Z][\w’'-]+", p)
    for w in reversed(words):
        full = ppl.acronyms.get(w)
        if full is not None and len(words) <= 4:  # "the NIS", "South Korea's NIS": the body its acronym stands for
            k = p.rfind(w)
            pre = re.search(r"((?:[A-Z][\w’'-]+\s+){0,2})$", p[:k]) if k >= 0 else None
            lead = re.sub(r"^(?:The|A|An|As|In|But|And)\s+", "", pre.group(1)) if pre else ""
            return Claimant(lead + _named_body(full, w), "org", party_of_name(lead + full))
        if w in ppl.surnames and w not in _stop():
            full = ppl.surnames[w]
            return Claimant(full, "person", party_of_name(full) or ppl.person_sides.get(full))
    orgs = list(lex.org_re.finditer(p))
    titles = list(lex.title_re.finditer(p))
    if titles and (not orgs or titles[-1].end() > orgs[-1].end()):
        t = _title_key(titles[-1].group(0))
        if t in ppl.titles:
            full = ppl.titles[t]
            full = ppl.surnames.get(full.split()[-1], full)
            return Claimant(full, "person", party_of_name(full))
        if re.fullmatch(r"(?:the\s+)?" + re.escape(titles[-1].group(0)), p, re.I) and previous is not None \
                and previous.kind == "person":
            return previous  # "the general said": the person last quoted, named with another title
    if orgs:
        o = orgs[-1]
        # keep a side adjective written just before the body ("Ukrainian military", "Britain's defence ministry")
        pre = re.search(r"((?:[A-Z][\w’'-]+\s+){0,2})$", p[:o.start()])
        name = ((pre.group(1) if pre else "") + o.group(0)).strip()
        name = re.sub(r"^(?:The|A|An|As|In|But|And)\s+", "", name)
        acr = re.search(r"\s*\(([A-Z]{2,6})\)", p[o.end():o.end() + 9])
        lead = name[:len(name) - len(o.group(0))]  # "South Korea's" of "South Korea's Joint Chiefs of Staff"
        if acr and ppl.acronyms.get(acr.group(1)) in (name, o.group(0)):  # "the Center ... Studies (CSIS)"
            name = _named_body(ppl.acronyms[acr.group(1)], acr.group(1))
        elif o.group(0) in ppl.acronyms:  # "the ISW"
            name = lead + _named_body(ppl.acronyms[o.group(0)], o.group(0))
        else:
            for short, full in ppl.acronyms.items():
                if full == o.group(0):
                    name = lead + _named_body(full, short)
                    break
        kind = "media" if fold(o.group(0)) in lex.media or fold(name) in lex.media else "org"
        owner = _OWNER_RE.match(p, o.end())  # "the 7th Corps of Ukraine's Air Assault Forces": Ukraine's
        # "the General Staff" after "Ukraine's General Staff": the side the article named it with
        return Claimant(name, kind, party_of_name(name) or (party_of_name(owner.group(1)) if owner else None)
                        or ppl.sides.get(_generic(o.group(0))))
    pw = lex.party_re.fullmatch(re.sub(r"^(?:The|the|As|In)\s+", "", p))
    if pw and lex.party_of[pw.group(0)] in lex.opposite:
        return Claimant(pw.group(0), "org", lex.party_of[pw.group(0)])
    if titles:
        # the clause that holds the title: "..., down from 1,300, a senior commander told" -> "senior commander"
        clause = p[p.rfind(",", 0, titles[-1].start()) + 1:].strip()
        return Claimant(re.sub(r"^(?:the|a|an)\s+", "", clause, flags=re.I), "title", party_of_name(clause))
    last = p.split(",")[-1].strip()
    if _SURNAME_RE.fullmatch(last) and last not in _stop() and last not in lex.region_of:
        return Claimant(last, "person", None)  # "Medvedev said": a person named by the surname alone
    return None


@frozen
class Attribution:
    claimant: Claimant
    start: int  # span of the attributing phrase, so its words are not read as the figure's subject
    end: int
    backref: bool = False  # "X wrote that on Facebook": points at what came before
    closing: bool = False  # the verb follows a closing quote
    states: bool = True  # a statement made at a time ("said on Monday"), not a count cited ("by X's own count")


# an opening phrase before the subject: "By the end of May, the Russian service of the BBC ..."
_OPENER_RE = re.compile(r"[^,\d]{2,40},\s*(?:the\s+|a\s+)?(?:[\w’'-]+\s+){0,4}(?:of\s+(?:the\s+)?)?$")
_BY_COUNT_RE = re.compile(r"\bby\s+(?:the\s+)?([A-Z][\w’' -]{1,40}?|(?:the\s+)?(?:group|project|ministry|agency))[’']s?\s+(?:own\s+)?"
                          r"(?:count|tally|estimate|estimates|calculations?|reckoning|figures|data|map|maps)\b")
_AND_BODY_RE = re.compile(r"\s+(?:and|with)\s+(?:the\s+)?")
_ASIDE_RE = re.compile(r"\s*,\s*(?:which|who|[a-z]+ing)\b[^,;]{0,120},")  # ", which counts ...,", ", working with ...,"
# a body that keeps a count says what it counts: "Oryx has recorded", "the registry lists", "Mediazona has identified"
_COUNTS_RE = re.compile(r"\s+(?:has\s+|have\s+|had\s+)?(?:now\s+|also\s+|so\s+far\s+)?(?:recorded|counted|documented|"
                        r"identified|verified|confirmed|tallied|registered|lists|listed|estimates|estimated)\b")
_COUNT_RE = re.compile(r"\d,\d{3}|(?<![\d,.])(?!(?:19|20)\d\d\b)\d+(?![\d,.]*\d)")  # a figure, not a year
_BACKREF_RE = re.compile(r"^\s*(?:that|this|it|so|as much)\b\s*(?:(?:on|in|at|to|via)\s+[\w’' -]{1,30})?\s*[.!]?\s*$", re.I)


# what a reporting body as the subject does when it gives figures, its own or those of the sentences after it ("The
# Russian Defence Ministry gave new figures on Monday. The enemy lost ...": the ministry speaks)
_BODY_VERB_RE = re.compile(r"\s+(?:has\s+|have\s+|had\s+)?(?:also\s+)?(?:increased|raised|updated|put|reported|recorded|"
                           r"gave|give|gives|released|releases|issued|issues|published|publishes|presented|presents|"
                           r"briefed|briefs|provided|provides)\b")
_DATELINE_LEFT_RE = re.compile(r"\s*[A-Z][A-Z .’'-]{2,30},\s*[^,—–]{0,40}?\s*[—–-]{1,2}\s+(?=[A-Z])")
_INVERTING = frozenset({"said", "says", "added", "adds", "wrote", "writes", "claimed", "claims", "noted", "notes",
                        "stated", "states", "explained", "reported", "reports", "announced", "concluded", "estimated"})
# the speaker after an inverted verb, with one description: "said Maj. Oleh Marchuk, a Ukrainian company commander"
_INVERTED_RE = re.compile(r"\s+(?P<who>(?:the\s+|a\s+|an\s+)?(?:[A-Z][a-z]{0,4}\.\s+){0,2}[A-Z][^.;:!?,“”\"]{1,80}(?:,\s+(?:a|an|the)\s+[^.;:!?,“”\"]{1,80})?)"
                          r"\s*(?=[.;:!?,]|$)")


def find(text: str, a: int, b: int, ppl: People, previous: Claimant | None,
         document: Claimant | None = None) -> Attribution | None:
    """The attribution of the sentence [a, b), if it has one."""
    lex = lexicon()
    nobody = None  # "According to our estimates, ...," the general said: a later verb may still name the speaker
    for m in lex.speech_re.finditer(text, a, b):
        verb = fold(m.group(0))
        if verb == "according to":
            tail = re.match(r"[^,.;:]{1,90}", text[m.end():b])
            phrase = tail.group(0) if tail else ""
            who = resolve(phrase, ppl, previous, document)
            if who is None or who is NONE:
                nobody = nobody or Attribution(NONE, m.start(), m.end() + len(phrase))
                continue
            return Attribution(who, m.start(), m.end() + len(phrase))
        left_start = max(a, m.start() - 110)
        left = text[left_start:m.start()]
        cut = max(left.rfind("”"), left.rfind('"'), left.rfind(";"), left.rfind("“"))
        closing = cut >= 0 and left[cut] in "”\""
        if cut >= 0:
            left_start += cut + 1
            left = left[cut + 1:]
        dl = _DATELINE_LEFT_RE.match(left)  # "KYIV, Ukraine — The head of ... says": the wire's dateline names no one
        if dl is not None:
            left_start += dl.end()
            left = left[dl.end():]
        that = list(re.finditer(r"\bthat\b", left))
        before_that = None
        if that:
            before_that = left[:that[-1].start()]  # "Documents from the Pentagon that leaked in April put": the subject
            left_start += that[-1].end()
            left = left[that[-1].end():]
        commas = [i for i, ch in enumerate(left) if ch == ","]
        while commas and not left[commas[-1] + 1:].strip():
            commas.pop()
        inv = _INVERTED_RE.match(text, m.end(), b) if verb in _INVERTING and (
            not left.strip(" ,\"“”'’") or left.rstrip().endswith(",")) else None
        if inv is not None:  # "..., said Maj. Oleh Marchuk, a company commander": the speaker after the verb
            who = resolve(inv.group("who"), ppl, previous, document)
            if who is not None and who.name:
                return Attribution(who, m.start(), inv.end("who"), closing=closing)
        who = resolve(left, ppl, previous, document)
        if who is None and before_that and not commas and not _COUNT_RE.search(left):
            who = resolve(before_that, ppl, previous)
        head = left[:commas[-1]] if commas else ""
        if commas and (any(ch.isdigit() for ch in head) or len(head.split()) >= 4):
            # "<a clause with its figure>, Kyiv said": the clause before the verb names the speaker, unless it is
            # only a title and the whole phrase names someone; "The source, who is on ..., said" keeps its subject
            near = resolve(left[commas[-1] + 1:], ppl, previous, document)
            if _RELATIVE_RE.match(left, commas[-1] + 1):
                near = None  # "Gen. X, who commanded the Tavria group, said": the clause describes the speaker
            elif near is not None and lexicon().title_re.search(left, commas[-1] + 1):
                # "Gen. Mark Milley, the chairman of the Joint Chiefs of Staff, said": a title in apposition to the
                # person named just before it describes that person
                named = resolve(left[(commas[-2] + 1) if len(commas) > 1 else 0:commas[-1]], ppl, previous)
                if named is not None and named.kind == "person":
                    near = named
            if near is not None and (near.kind != "title" or who is None or who.kind == "title"):
                who = near
        if who is None:
            continue
        back = bool(_BACKREF_RE.match(text[m.end():b]))
        span_start = left_start + (commas[-1] + 1 if commas else 0)
        return Attribution(who, span_start, m.end(), backref=back, closing=closing)
    # "by DeepState's own count", "by the ministry's estimate": whose count the figures are
    bm = _BY_COUNT_RE.search(text, a, b)
    if bm is not None:
        who = resolve(bm.group(1), ppl, previous, document)
        if who is not None and who.name:
            return Attribution(who, bm.start(), bm.end(), states=False)
    # a reporting body as the subject: "The Ukrainian military increased its running tally ..."
    head = text[a:min(b, a + 200)]
    om = lex.org_re.search(head)
    if om and (om.start() < 40 or (om.start() < 80 and _OPENER_RE.match(head, 0, om.start()))):
        rest = head[om.end():]
        both = _AND_BODY_RE.match(rest)  # "Mediazona and the BBC Russian Service had identified ..."
        second = lex.org_re.match(rest, both.end()) if both else None
        if second is not None:
            tail = re.match(r"(?:\s+[A-Z][\w’'-]+){0,2}", rest[second.end():])
            end = second.end() + (tail.end() if tail else 0)
            after = rest[end:]
            aside2 = _ASIDE_RE.match(after)  # "Mediazona and BBC News Russian, working with volunteers, have ..."
            if _COUNTS_RE.match(after[aside2.end():] if aside2 else after):
                return Attribution(Claimant(re.sub(r"^(?:The|the)\s+", "", head[om.start():om.end() + end]), "org"),
                                   a, a + om.end() + end)
        aside = _ASIDE_RE.match(rest)  # "Oryx, which counts only losses it can see, has recorded ..."
        rest = rest[aside.end():] if aside else rest
        reporting = any(fold(om.group(0)).endswith(r) for r in lex.reporting_bodies)
        if (reporting and (lex.tally_re.match(rest.lstrip())
                           or _BODY_VERB_RE.match(rest))) \
                or _COUNTS_RE.match(rest):
            who = resolve(head[:om.end()], ppl, previous)
            if who is not None:
                return Attribution(who, a, a + om.end())
    return nobody  # "..., according to an update to its database": the body that counts, else nobody
