"""A shallow clause layer: where a sentence's clauses begin and end, and which clause governs which.

Word distance cannot tell "lost 300 soldiers on Friday, while Ukraine lost 40 on Sunday" (each figure its own
day) from "lost 300 soldiers and 40 tanks on Friday" (one day for both). The clauses can: a time phrase, a figure
or an attribution belongs to the innermost clause that holds it, and what a clause says about time holds for
the clauses it governs (a relative clause, a reported statement, a parenthesis, the items after a colon), never
for its neighbours (clauses coordinated by "; ", ", while", ", and" with a subject of their own).

The split is one left-to-right pass over boundary words and punctuation, so its cost is linear in the sentence:

- *main*: the sentence's first clause;
- *coordinate*: after "; ", ", while", ", whereas", ", but", ", and"/"and" followed by a subject and a verb;
  a sibling of the clause before it (same parent);
- *list*: after a colon, governed by the clause before it (the lead of an inline list); the "; " parts after
  it are its siblings, governed by that lead too;
- *relative*: ", which/who/whom/whose/where/when ..." set off by commas, and *restrictive*: "soldiers who died
  ...", a "that" not after a speech verb ("a town that fell on Friday", "casualties that Russian forces
  suffered"); governed by the clause it interrupts,
  which resumes after the comma that closes it;
- *reported*: after a speech verb and "that" ("said on Monday that ..."), governed by the speech clause;
- *origin*: "since <subject> began/started/launched ..." — the clause names the start of a running total,
  so its dates are origins, never the figure's date;
- *parenthetical*: "( ... )" and a pair of spaced dashes, governed by the clause around it;
- *attribution*: a trailing ", X said ..." with no figure: it governs the clauses before it.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from attrs import field, frozen

from events.extract.lexicon import lexicon


@frozen
class Clause:
    """One clause of a sentence: its kind, the clause that governs it (an index, None for a top-level clause)
    and where it starts (its text may be interrupted by the clauses it governs)."""

    start: int
    kind: str  # main | coordinate | list | relative | restrictive | reported | origin | parenthetical | attribution
    parent: int | None


@frozen
class Clauses:
    """The clauses of a sentence and the segments of text each holds: `segments` are (start, clause index) in
    order, each running to the next one's start; `end` is the sentence's end."""

    clauses: tuple[Clause, ...]
    segments: tuple[tuple[int, int], ...]
    end: int
    starts: tuple[int, ...] = ()
    kinds: frozenset = frozenset(("main",))  # the kinds present: most sentences lack most, and skip their lookups
    colons: dict = field(factory=dict)  # clause index -> the colon of the list it is an item of

    def at(self, pos: int) -> int:
        """The index of the innermost clause holding the position (bisection over the segments)."""
        i = bisect_right(self.starts, pos) - 1
        return self.segments[max(i, 0)][1]

    def chain(self, i: int) -> list[int]:
        """The clause and those that govern it, innermost first."""
        out = []
        seen = 0
        while i is not None and seen <= len(self.clauses):
            out.append(i)
            i = self.clauses[i].parent
            seen += 1
        return out

    def lead_colon(self, pos: int) -> int | None:
        """For a position in the items of a list after a colon ("... had lost: 1,100 soldiers; 12 tanks"), where the
        colon stands; None elsewhere (the "; " parts after the list are its items too)."""
        return self.colons.get(self.at(pos)) if self.colons else None

    def governs(self, outer: int, inner: int) -> bool:
        """Whether clause `outer` is `inner` or one of the clauses that govern it."""
        return outer in self.chain(inner)

    def span(self, i: int) -> tuple[int, int]:
        """The first and last character of the clause's own text (the clauses inside it included)."""
        own = [k for k, (s, c) in enumerate(self.segments) if c == i]
        first, last = own[0], own[-1]
        end = self.segments[last + 1][0] if last + 1 < len(self.segments) else self.end
        return self.segments[first][0], end


_REL_WORDS = r"which|who|whom|whose|where"
MAX_DEPTH = 8  # clauses nested deeper than this are read as part of the one around them
_SUBJECT = (r"(?:(?:the|its|their|his|her|our|a|an|this|that|these|those)\s+(?:[\w’'-]+\s+){0,3}?[\w’'-]+"
            r"|it|they|he|she|we|I|[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})")
_VERB = (r"(?:(?:has|have|had|was|were|is|are|will|would|could|can|may|might|did|does|do)\b|"
         r"[a-z]+ed\b|said|says|told|lost|took|held|holds|hold|hit|shot|put|puts|sent|brought|fell|won|gave|"
         r"seized|seizes|lose|loses|controls|keeps|kept|left|made|claims|reports|estimates)")
# ", and its gunners hit", " and Ukrainian forces lost": "and" with a subject and a verb of its own
_AND_CLAUSE_RE = re.compile(rf"\s*,?\s*and\s+(?!(?:another|more|other|also|then|later|now)\b|[a-z]+ed\b)"
                            rf"(?:[A-Za-z’'.-]+\s+){{1,4}}?(?:also\s+|now\s+|still\s+|had\s+|have\s+|has\s+)?{_VERB}")
# a figure or a qualifier after a comma continues an enumeration, it does not close a relative clause
_ITEM_AFTER_RE = re.compile(r"\s*(?:(?:and|or)\s+)?(?:about|some|over|nearly|around|almost|roughly|more than|"
                            r"at least|another)?\s*\d", re.I)
_ORIGIN_RE = re.compile(r"(?:[\w’'.-]+\s+){1,5}?(?:began|begun|started|launched|invaded|attacked|crossed|entered|"
                        r"broke out|erupted|started)\b", re.I)


# Every place a clause may begin or end: punctuation and a few words. The pattern has no groups and each branch
# starts with a literal, so the engine skips ahead to the next candidate; what a candidate is, is read where it stands.
_CANDIDATE_RE = re.compile(r"[;:(),—–]|and\b|that\b|[Ss]ince\b|wh(?:o|ich)\b")
_AFTER_COMMA_RE = re.compile(rf",\s*(?:(?P<rel>(?:{_REL_WORDS})\b)|(?P<when>when\b)|(?P<coord>(?:while|whereas|but)\b)"
                             r"|(?P<and>and\s))|(?P<comma>,\s)")
_REL2_RE = re.compile(r"(?:who|which)(?=\s+[a-z])")


def _mark(text: str, a: int, b: int, pos: int) -> str | None:
    """What the candidate at pos is: semi, colon, open, close, dash, rel, when, coord, and, comma, since, that."""
    ch = text[pos]
    if ch == ",":
        m = _AFTER_COMMA_RE.match(text, pos, b)
        return m.lastgroup if m else None
    if ch in ";:":
        return ("semi" if ch == ";" else "colon") if pos + 1 < b and text[pos + 1].isspace() else None
    if ch == "(":
        return "open"
    if ch == ")":
        return "close"
    if ch in "—–":
        return "dash" if a < pos < b - 1 and text[pos - 1].isspace() and text[pos + 1].isspace() else None
    if pos > a and (text[pos - 1].isalnum() or text[pos - 1] in "’'-"):
        return None  # inside a word ("band", "Swhich")
    if ch == "a":  # after a comma, the comma's candidate read it
        return "and" if pos - 2 >= a and text[pos - 1].isspace() and text[pos - 2] != "," and pos + 3 < b \
            and text[pos + 3].isspace() else None
    if ch == "t":
        return "that" if pos + 4 < b and text[pos + 4].isspace() else None
    if ch in "sS":
        return "since" if pos + 5 < b and text[pos + 5].isspace() else None
    if pos - 2 >= a and text[pos - 1] == " " and text[pos - 2].islower() and _REL2_RE.match(text, pos, b):
        return "rel"  # "soldiers who died", "the tanks which were hit"
    return None


_WORD_BEFORE_RE = re.compile(r"([a-z]+)\s+$")


def _counted_noun_before(text: str, a: int, pos: int) -> bool:
    """Whether a counted noun stands right before "that" ("1,270 casualties that Russian forces suffered"): what
    follows qualifies it, even when its subject is a name."""
    m = _WORD_BEFORE_RE.search(text, max(a, pos - 20), pos)
    if m is None:
        return False
    lex = lexicon()
    w = m.group(1)
    return w in lex.casualty or w in lex.person_nouns or w in lex.equipment


def _after_speech(text: str, a: int, pos: int) -> bool:
    """Whether a speech verb stands at most four words before pos ("said on Monday that", "told reporters that")."""
    m = None
    for m in lexicon().speech_re.finditer(text, max(a, pos - 60), pos):
        pass
    return m is not None and _SPEECH_BEFORE_RE.fullmatch(text, m.end(), pos) is not None


_TIME_ONLY_RE = re.compile(r"\((?:\s|(?:19|20)\d\d|\d{1,2}|[A-Z][a-z]{2,8}\.?|[-–—,/]|to|and|until)+\)")
_SPEECH_BEFORE_RE = re.compile(r"(?:\s+(?:[\w’'.-]+\s+){0,4}?)?$")
_TRAILING_ATTRIBUTION_RE = re.compile(r"[^,;:()\d]{0,80}$")


def whole(a: int, b: int) -> Clauses:
    """A sentence read as one clause: what a sentence without time phrases needs (nothing to bind)."""
    return Clauses((Clause(a, "main", None),), ((a, 0),), b, (a,))


def split(text: str, a: int, b: int) -> Clauses:
    """The clauses of the sentence text[a:b]."""
    clauses: list[Clause] = [Clause(a, "main", None)]
    segments: list[tuple[int, int]] = [(a, 0)]
    stack: list[int] = [0]  # the clause being read, with the clauses it interrupts below it
    closes_at_comma: set[int] = set()  # relative and origin clauses end at the next comma that closes them
    dashes = text.count(" — ", a, b) + text.count(" – ", a, b) >= 2
    colons: dict[int, int] = {}  # a list's clauses -> where its colon stands

    def push(start: int, kind: str, parent: int | None) -> int:
        clauses.append(Clause(start, kind, parent))
        k = len(clauses) - 1
        segments.append((start, k))
        return k

    def resume(pos: int) -> None:
        if segments[-1][0] == pos:
            segments[-1] = (pos, stack[-1])
        else:
            segments.append((pos, stack[-1]))

    for c in _CANDIDATE_RE.finditer(text, a, b):
        pos = c.start()
        g = _mark(text, a, b, pos)
        if g is None:
            continue
        cur = stack[-1]
        if len(stack) >= MAX_DEPTH and g in ("rel", "when", "that", "since", "open", "colon"):
            continue  # nested deeper than prose goes: read as the clause around it (chains stay short)
        if g == "comma":
            # the comma closes the innermost relative or origin clause, and the statements reported inside it
            depth = len(stack) - 1
            while depth > 0 and clauses[stack[depth]].kind == "reported":
                depth -= 1
            if depth > 0 and stack[depth] in closes_at_comma and not _ITEM_AFTER_RE.match(text, pos + 1, b):
                del stack[depth:]
                resume(pos + 1)
            continue
        if g in ("rel", "when"):
            k = push(pos + (text[pos] == ","), "relative" if text[pos] == "," else "restrictive", cur)
            stack.append(k)
            closes_at_comma.add(k)
            continue
        if g == "that":
            if _after_speech(text, a, pos):
                k = push(pos, "reported", cur)  # "said on Monday that ...": governed by the speech clause
                stack.append(k)
            elif pos - 2 >= a and text[pos - 1] == " " and text[pos - 2].islower() and pos + 5 < b \
                    and (text[pos + 5].islower() or _counted_noun_before(text, a, pos)):
                k = push(pos, "restrictive", cur)  # "a town that fell on Friday"
                stack.append(k)
                closes_at_comma.add(k)
            continue
        if g == "since":
            if _ORIGIN_RE.match(text, pos + 6, b):  # "since the invasion began on Feb. 24": an origin
                k = push(pos, "origin", cur)
                stack.append(k)
                closes_at_comma.add(k)
            continue
        if g == "open":
            if _TIME_ONLY_RE.match(text, pos, b):  # "in the Vietnam War (1955-1975)": a date, not a clause
                continue
            k = push(pos, "parenthetical", cur)
            stack.append(k)
            continue
        if g == "close":
            if clauses[cur].kind != "parenthetical":  # close what the parenthesis interrupted first
                while len(stack) > 1 and clauses[stack[-1]].kind != "parenthetical":
                    stack.pop()
            if len(stack) > 1 and clauses[stack[-1]].kind == "parenthetical":
                stack.pop()
                resume(pos + 1)
            continue
        if g == "dash":
            if not dashes:
                continue
            if clauses[cur].kind == "parenthetical" and text[clauses[cur].start] != "(":
                stack.pop()
                resume(pos + 1)
            elif len(stack) < MAX_DEPTH:
                k = push(pos, "parenthetical", cur)
                stack.append(k)
            continue
        # the rest begins a new clause at the level of the current one: close the relative, origin and reported
        # clauses it ends, but not a parenthesis
        if g == "and" and not _AND_CLAUSE_RE.match(text, pos, b):
            continue
        while len(stack) > 1 and clauses[stack[-1]].kind in ("relative", "restrictive", "origin", "reported") \
                and (g in ("semi", "coord") or clauses[stack[-1]].kind != "reported"):
            stack.pop()
        cur = stack[-1]
        if g == "colon":
            k = push(pos + 1, "list", cur)
            colons[k] = pos
            stack.append(k)
            continue
        # semi, coord, and: a sibling
        parent = clauses[cur].parent
        k = push(pos + (g == "semi"), "coordinate", parent)
        if cur in colons and clauses[cur].kind in ("list", "coordinate"):
            colons[k] = colons[cur]  # a "; " part after a list is one of its items
        stack[-1] = k
    _trailing_attribution(text, b, clauses, segments)
    return Clauses(tuple(clauses), tuple(segments), b, tuple(s for s, _ in segments), frozenset(c.kind for c in clauses),
                   colons)


def _trailing_attribution(text: str, b: int, clauses: list[Clause], segments: list[tuple[int, int]]) -> None:
    """A last clause ", X said ..." with no figure governs the top-level clauses before it."""
    cut = text.rfind(",", segments[0][0], b)
    if cut < 0 or not _TRAILING_ATTRIBUTION_RE.fullmatch(text, cut + 1, b):
        return
    if lexicon().speech_re.search(text, cut + 1, b) is None:
        return
    k = len(clauses)
    clauses.append(Clause(cut + 1, "attribution", None))
    i = bisect_right([s for s, _ in segments], cut + 1)
    tops = {c for _, c in segments[:i] if clauses[c].parent is None}
    del segments[i:]
    segments.append((cut + 1, k))
    for c in tops:
        clauses[c] = Clause(clauses[c].start, clauses[c].kind, k)


_ASIDES = frozenset(("relative", "parenthetical", "origin"))


def main_line(cl: Clauses, pos: int) -> bool:
    """Whether a position lies outside every relative clause set off by commas, parenthesis and origin clause of its
    sentence (a restrictive relative clause belongs to the phrase it qualifies: "documents that leaked in April")."""
    return cl.kinds.isdisjoint(_ASIDES) or not any(cl.clauses[c].kind in _ASIDES for c in cl.chain(cl.at(pos)))


_DESCRIBES_RE = re.compile(r"[\s,]*(?:who|which|that)\s+(?:had\s+|have\s+|has\s+|were\s+|was\s+|are\s+|is\s+)?(?:been\s+|also\s+)?"
                           r"(?:[a-z]+ed|died|fell|fought|served|lost|went|were|was)\b")


# "1,270 casualties that Russian forces suffered over the past day": a subject of its own, but the verb is the
# suffering the figure counts, so its time is the figure's
_SUFFERED_BY_RE = re.compile(r"[\s,]*(?:that|which)?\s*(?:the\s+)?(?:[\w’'-]+\s+){1,3}(?:have\s+|has\s+|had\s+)?"
                             r"(?:suffered|sustained|incurred)\b", re.I)


def describing(cl: Clauses, text: str, np_end: int) -> int | None:
    """The relative clause right after a figure's noun phrase that says what befell what it counts ("15,000 soldiers
    who died in Afghanistan between 1979 and 1989", "1,200 soldiers that were killed on Friday"): its time phrases
    are the figure's own. None when the clause has a subject of its own ("the ground its troops seized")."""
    if "relative" not in cl.kinds and "restrictive" not in cl.kinds:
        return None
    i = cl.at(np_end + 1) if np_end + 1 < cl.end else None
    if i is None or cl.clauses[i].kind not in ("relative", "restrictive") \
            or not (_DESCRIBES_RE.match(text, np_end, cl.end) or _SUFFERED_BY_RE.match(text, np_end, cl.end)):
        return None
    gap = text[np_end:cl.clauses[i].start]
    return i if not gap.strip(" ,") else None


@frozen
class Dating:
    """The dated time phrases of a sentence by clause: a figure is dated by its own clause first, then by the
    clauses that govern it, innermost first; phrases of other clauses (neighbours, relative clauses, parentheses,
    origins) do not date it."""

    cl: Clauses
    by_clause: dict

    @classmethod
    def of(cls, cl: Clauses, mentions: list) -> Dating:
        by: dict = {}
        for t in mentions:
            by.setdefault(cl.at(t.start), []).append(t)
        return cls(cl, by)

    def date_for(self, pos: int, also: int | None = None):
        """The time phrase that dates a figure at pos: in its own clause (or `also`, a clause describing it) the
        first after the figure, else the last before it; else the first of the nearest clause governing it."""
        own = self.by_clause.get(self.cl.at(pos), []) + (self.by_clause.get(also, []) if also is not None else [])
        if own:
            after = [t for t in own if t.start >= pos]
            return min(after, key=lambda t: t.start) if after else max(own, key=lambda t: t.start)
        for c in self.cl.chain(self.cl.at(pos))[1:]:
            if self.by_clause.get(c):
                return self.by_clause[c][0]
        return None

    def reaches(self, phrase_at: int, pos: int, also: int | None = None) -> bool:
        """Whether a time phrase at phrase_at lies in the clause of the figure at pos or one governing it."""
        c = self.cl.at(phrase_at)
        return c == also or self.cl.governs(c, self.cl.at(pos))

    def kind_at(self, pos: int) -> str:
        return self.cl.clauses[self.cl.at(pos)].kind
