"""Paragraphs, list items and sentences, as character offsets into the article."""

from __future__ import annotations

import re

from attrs import frozen

from events.extract.boilerplate import BULLET_RE, Line
from events.extract.lexicon import lexicon

# A run of terminators, taken whole (possessive, and only from its first character): a long run of dots or
# brackets not followed by a space is then tried once, not once per character with backtracking.
_END_RE = re.compile(r"(?<![.!?…])[.!?…]++[\"”’')\]]*+(?:\[\d{1,3}\])*+(?=\s)")  # "... wounded.[2] In ...": a note
_NEXT_RE = re.compile(r"\s+[\"“‘'(\[]?[A-Z0-9•*–-]")
_INLINE_BULLET_RE = re.compile(r"\s[•*]\s+")


@frozen
class Block:
    """A paragraph or a list item; `lead` is the index of the paragraph a list item hangs from."""

    start: int
    end: int
    sentences: tuple[tuple[int, int], ...]
    item: bool = False
    lead: int | None = None
    heading: bool = False


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans within [start, end), not breaking after known abbreviations or initials.

    Linear in the span: every candidate end looks back only over the word before it, and those words are disjoint.
    """
    abbr = lexicon().abbreviations
    out = []
    s = start
    for m in _END_RE.finditer(text, start, end):
        nxt = _NEXT_RE.match(text, m.end())
        if not nxt or nxt.end() > end:
            continue
        if text[m.start()] == "." and _abbreviation(_word_before(text, s, m.start()), abbr):
            continue
        e = m.end()
        if text[s:e].strip():
            out.append(_trim(text, s, e))
        s = e
    if text[s:end].strip():
        out.append(_trim(text, s, end))
    return _bounded(text, out)


_WORD_CHARS = frozenset(".’'-_")
_LONGEST_WORD = 40  # longer than any abbreviation or run of initials: such a word ends a sentence
_INITIALS_RE = re.compile(r"(?:[A-Z]\.)+[A-Z]")


def _word_before(text: str, lo: int, i: int) -> str:
    """The word (letters, digits, dots, apostrophes, hyphens) ending at i, not before lo; "" when over-long."""
    j = i
    while j > lo and (text[j - 1].isalnum() or text[j - 1] in _WORD_CHARS):
        j -= 1
        if i - j > _LONGEST_WORD:
            return ""
    return text[j:i]


def _abbreviation(token: str, abbr) -> bool:
    return token in abbr or (len(token) == 1 and token.isupper()) or _INITIALS_RE.fullmatch(token) is not None


MAX_SENTENCE = 1200


def _bounded(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """No sentence is longer than MAX_SENTENCE: run-on text is cut at a space, keeping the work per sentence bounded."""
    out = []
    for a, b in spans:
        while b - a > MAX_SENTENCE:
            cut = text.rfind(" ", a + MAX_SENTENCE // 2, a + MAX_SENTENCE)
            cut = cut if cut > a else a + MAX_SENTENCE
            out.append((a, cut))
            a = cut
            while a < b and text[a].isspace():
                a += 1
        if b > a:
            out.append((a, b))
    return out


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def blocks(text: str, lines: list[Line]) -> list[Block]:
    """Body and heading lines as blocks; bullets (leading or inline) become items of the last paragraph."""
    out: list[Block] = []
    last_para: int | None = None
    for ln in lines:
        if ln.role not in ("body", "heading"):
            continue
        a, b = _trim(text, ln.start, ln.end)
        if ln.role == "heading":
            out.append(Block(a, b, ((a, b),), heading=True))
            continue
        m = BULLET_RE.match(text[a:b])
        if m:
            a2 = a + m.end()
            out.append(Block(a2, b, tuple(split_sentences(text, a2, b)), item=True, lead=last_para))
            continue
        parts = [m.start() for m in _INLINE_BULLET_RE.finditer(text, a, b)]
        if parts:
            head_end = parts[0]
            last_para = len(out)
            out.append(Block(a, head_end, tuple(split_sentences(text, a, head_end))))
            for i, p in enumerate(parts):
                q = parts[i + 1] if i + 1 < len(parts) else b
                ia = _INLINE_BULLET_RE.match(text, p).end()
                out.append(Block(ia, q, tuple(split_sentences(text, ia, q)), item=True, lead=last_para))
            continue
        last_para = len(out)
        out.append(Block(a, b, tuple(split_sentences(text, a, b))))
    return out
