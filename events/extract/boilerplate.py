"""Page furniture found before anything is read: no claim and no publication date comes from it.

Lines are classified one by one (prompts, cookie notices, captions, truncated
teasers, foreign-language sidebars), then by position: a feed or sidebar marker
after the body has begun turns the rest of the page into furniture, and a
headline glued to a one-line dek is a teaser of another article.
"""

from __future__ import annotations

import re

from attrs import frozen

from events.extract.lexicon import fold, lexicon

BULLET_RE = re.compile(r"^\s*(?:[•*·▪●◦‣–-]|\d{1,2}[.)])\s+")
TERMINAL_RE = re.compile(r"[.!?:;\"”’'»)\]]\s*$")
BYLINE_RE = re.compile(r"^\s*(?:by\b|updated\b|published\b|posted\b|last updated\b|first published\b)", re.I)


@frozen
class Line:
    start: int
    end: int
    role: str  # body | heading | meta | boiler | blank


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for chunk in text.splitlines(keepends=True):
        body = chunk.rstrip("\r\n")
        out.append((pos, pos + len(body)))
        pos += len(chunk)
    return out


_LETTER_RE = re.compile(r"[^\W\d_]")
_NON_LATIN_RE = re.compile(r"[^\W\d_A-Za-z\u00C0-\u024F]")


def _foreign(line: str) -> bool:
    """Mostly non-Latin letters: a sidebar in another language."""
    if line.isascii() or not _NON_LATIN_RE.search(line):
        return False  # the common case (curly quotes, accents) is settled by one scan
    letters = len(_LETTER_RE.findall(line))
    return letters > 0 and len(_NON_LATIN_RE.findall(line)) * 2 > letters


def _is_prose(line: str) -> bool:
    return bool(TERMINAL_RE.search(line)) and len(line.split()) >= 12


def is_heading(line: str) -> bool:
    """A short line without closing punctuation: a headline, a section title, a teaser's title."""
    s = line.strip()
    return bool(s) and not TERMINAL_RE.search(s) and not BULLET_RE.match(s) and len(s.split()) <= 30 and not s.endswith(("…", "..."))


_BY_TIME_RE = re.compile(r"^\s*by\s+(?:the\s+(?:end|start|beginning|middle|time)\b|(?:early|mid|late|then|now|this|last|that|\d)|(?P<w>[A-Za-z]+))", re.I)


def _by_time(line: str, lex) -> bool:
    """"By February 2024, Russia had ...", "By the end of the year ...": a sentence about time, not a byline."""
    m = _BY_TIME_RE.match(line)
    if m is None:
        return False
    w = m.group("w")
    return w is None or fold(w) in lex.months or fold(w) in lex.weekdays


def classify(text: str) -> list[Line]:
    lex = lexicon()
    spans = _lines(text)
    roles: list[str] = []
    for a, b in spans:
        line = text[a:b]
        s = line.strip()
        if not s:
            roles.append("blank")
        elif ((len(s) < 160 and lex.boiler_line_re.match(s)) or (s.endswith(")") and lex.caption_re.search(s))
              or _foreign(s) or s.endswith(("…", "..."))):
            roles.append("boiler")
        elif BYLINE_RE.match(s) and not _by_time(s, lex):
            roles.append("meta")
        elif is_heading(s):
            roles.append("heading")
        else:
            roles.append("body")
    # a feed or sidebar marker after the body has begun: the rest is furniture
    body_seen = False
    for i, (a, b) in enumerate(spans):
        s = text[a:b].strip()
        if roles[i] == "body" and _is_prose(s):
            body_seen = True
        elif body_seen and s and lex.tail_re.match(s):
            for j in range(i, len(spans)):
                if roles[j] != "blank":
                    roles[j] = "boiler"
            break
    # a headline glued to one line of text, standing alone: a teaser of another article
    first_content = next((i for i, r in enumerate(roles) if r not in ("blank", "boiler")), None)
    # a sentence without its full stop right above bulleted lines leads them ("Russia lost over the past day" over
    # "- 1,210 soldiers"), as a sentence ending in a colon would: body, not a section title
    for i in range(len(spans) - 1):
        if roles[i] != "heading" or i == first_content or not _LEAD_WORDS_RE.match(text, *spans[i]):
            continue
        nxt = next((j for j in range(i + 1, len(spans)) if roles[j] != "blank"), None)
        if nxt is not None and roles[nxt] == "body" and BULLET_RE.match(text[spans[nxt][0]:spans[nxt][1]]):
            roles[i] = "body"
    for i in range(len(spans) - 1):
        if roles[i] != "heading" or i == first_content or (i > 0 and roles[i - 1] in ("heading", "body")):
            continue  # the last lines of a list run on from the line before: not standing alone
        nxt = i + 1
        after = nxt + 1
        if _full_paragraph(text, spans[nxt]):
            continue  # a section title over a paragraph of several sentences: the article's own text, not a teaser
        if roles[nxt] in ("body", "boiler") and (after >= len(spans) or roles[after] in ("blank", "boiler")):
            roles[i] = roles[nxt] = "boiler"
    return [Line(a, b, r) for (a, b), r in zip(spans, roles)]


_SENTENCE_END_RE = re.compile(r"[.!?][\"”’)]?\s+[\"“A-Z0-9]")


# a lead reads as a sentence: five words or more, some of them lower-case function words or verbs
_LEAD_WORDS_RE = re.compile(r"\s*\S+(?:\s+\S+){4,}.*\b(?:the|of|over|in|since|to|has|have|had|was|were|lost|said|says|"
                            r"according|destroyed|killed|as)\b")


def _full_paragraph(text: str, span: tuple[int, int]) -> bool:
    """A line of 250 characters or more holding at least two sentences: a paragraph, not a teaser's one-line dek."""
    a, b = span
    return b - a >= 250 and _SENTENCE_END_RE.search(text, a, b) is not None


def ranges(lines: list[Line]) -> tuple[tuple[int, int], ...]:
    """Merged (start, end) character ranges of the boilerplate lines."""
    out: list[list[int]] = []
    for ln in lines:
        if ln.role != "boiler":
            continue
        if out and ln.start - out[-1][1] <= 2:
            out[-1][1] = ln.end
        else:
            out.append([ln.start, ln.end])
    return tuple((a, b) for a, b in out)
