"""Reading an article into events: the public API of the extractor.

`read_article` is deterministic and pure: the same bytes and metadata give the
same events, whatever else has been read. It raises only ArticleError.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right

from attrs import evolve, frozen

from events import codec
from events.extract import attribution as attr
from events.extract.boilerplate import classify, ranges
from events.extract.claims import Ctx, Found, pick_region, sentence_claims, _regions
from events.extract.dates import body_date, find_dates, resolve
from events.extract.lexicon import fold, lexicon
from events.extract.month_lists import month_list_claims
from events.extract.numbers import figures
from events.extract.sentences import Block, blocks
from events.extract.tally_lines import tally_claims
from events.extract.text import ArticleError, decode
from events.model import ArticleIngested, ClaimReported, Evidence

__all__ = ["ArticleMeta", "Extraction", "ArticleError", "read_article"]


@frozen
class ArticleMeta:
    """What is known of an article besides its bytes (from a manifest or a command-line option)."""

    published: dt.date | None = None
    published_origin: str | None = None
    outlet: str | None = None
    title: str | None = None
    url: str | None = None


@frozen
class Extraction:
    article: ArticleIngested
    claims: tuple[ClaimReported, ...]
    warnings: tuple[str, ...] = ()


_OPEN_RE = re.compile(r"^\s*[\"“]")


def _publication(text: str, lines, body_spans, meta: ArticleMeta) -> tuple[dt.date | None, str]:
    if meta.published is not None:
        return meta.published, meta.published_origin or "manifest"
    for ln in lines:
        if ln.role == "meta":
            for dm in find_dates(text, ln.start, ln.end):
                d = resolve(dm, None)
                if d:
                    return d, "text"
    for ln in lines[:12]:
        if ln.role in ("heading", "body") and ln.end - ln.start < 60:
            ds = [resolve(dm, None) for dm in find_dates(text, ln.start, ln.end)]
            ds = [d for d in ds if d]
            if ds and len(re.sub(r"[\W\d]", "", text[ln.start:ln.end])) < 30:
                return ds[0], "text"
    d = body_date(text, body_spans)
    if d is not None:
        return d, "inferred"
    return None, "unknown"


def _quote_state(s: str, inside: bool) -> bool:
    """Whether a quotation is open after s: the last curly quote sets it, each straight quote after that toggles it."""
    last = max(s.rfind("“"), s.rfind("”"))
    if last >= 0:
        inside = s[last] == "“"
    return inside ^ (s.count('"', last + 1) % 2 == 1)


def read_article(raw: bytes, file: str, meta: ArticleMeta) -> Extraction:
    """Decode, find the furniture, and read the claims of one article."""
    try:
        return _read(raw, file, meta)
    except ArticleError:
        raise
    except Exception as err:  # a defect met on one article must not stop the others: it is named and skipped
        detail = " ".join(f"{type(err).__name__}: {err}".split())[:200]
        raise ArticleError(f"{file}: cannot be read (internal error, {detail})") from None


def _read(raw: bytes, file: str, meta: ArticleMeta) -> Extraction:
    text, encoding, warnings = decode(raw, file)
    lines = classify(text)
    bps = ranges(lines)
    blks = blocks(text, lines)
    if not any(b.sentences for b in blks if not b.heading):
        raise ArticleError(f"{file}: no readable sentences outside page furniture")
    body = [b for b in blks if not b.heading]
    body_spans = [(b.start, b.end) for b in body]
    published, origin = _publication(text, lines, body_spans, meta)
    anchor = published
    ppl = attr.people(text, body_spans)
    aid = codec.article_id(raw)
    article = ArticleIngested(
        article_id=aid, file=file, text=text, published=published, published_origin=origin,
        outlet=meta.outlet, title=meta.title, url=meta.url, boilerplate=bps, encoding=encoding)
    reads = _heading_reads(text, blks)
    read = [b for b in blks if not b.heading or id(b) in reads]
    heads = sorted((b.start, b.end, reads[id(b)]) for b in read if b.heading)
    head_starts = [h[0] for h in heads]
    monthly, listed = month_list_claims(text, body_spans, published, meta.outlet, ppl)
    tallied = [evolve(fd, signals=fd.signals + ("claimant:tally" if fd.claim.claimant else "claimant:none",))
               for fd in tally_claims(text, bps, published, meta.outlet, ppl)]
    read_claims = [fd for fd in _claims(text, read, blks, ppl, published, anchor, meta.outlet)
                   if not _in_head(heads, head_starts, fd) and not any(x <= fd.span[0] < y for x, y in listed)]
    # a line read both as a list item and as a tally line is one claim: the tally line's, unless only the list
    # item found its date (the tally line then stands at the publication date)
    items = sorted(fd.span for fd in read_claims if not _undated(fd.claim, published))
    item_starts = [a for a, _ in items]
    tallied = [fd for fd in tallied if not (_undated(fd.claim, published) and _in_line(items, item_starts, fd))]
    lines = sorted(fd.span for fd in tallied)
    line_starts = [a for a, _ in lines]
    read_claims = [fd for fd in read_claims if not _in_line(lines, line_starts, fd)]
    found = read_claims + monthly + tallied
    claims = []
    seen: set = set()
    for fd in found:
        c = fd.claim
        key = (c.metric, c.party, c.value, c.unit, c.valid, c.shape)
        if key in seen:
            continue
        seen.add(key)
        ev = Evidence(quote=text[fd.span[0]:fd.span[1]], article_id=aid, span=fd.span)
        claims.append(ClaimReported(claim_id=codec.claim_id(c, ev), claim=c, evidence=ev, rule=fd.rule, published=published,
                                    signals=fd.signals))
    return Extraction(article, tuple(claims), warnings)


def _undated(c, published) -> bool:
    """A claim stood at the publication date for want of a date of its own."""
    return c.period is None and c.as_of == published


def _in_line(lines: list[tuple[int, int]], starts: list[int], fd: Found) -> bool:
    """Whether a claim's span overlaps one of the spans given (sorted; bisection over their starts)."""
    k = bisect_right(starts, fd.span[0]) - 1
    return k >= 0 and fd.span[0] < lines[k][1] or k + 1 < len(lines) and lines[k + 1][0] < fd.span[1]


HEADS_IN_A_ROW = 4  # a title, a section line, a dateline, a dek; more headings in a row are a list of teasers


def _heading_reads(text: str, blks: list[Block]) -> dict[int, set]:
    """The headings to read for claims, each with the figures of the text under it (its run of headings, then
    the text up to the next heading): a heading that prints a figure that text does not (a brief's headline
    may be the only place its figure appears) is read for those figures alone. A heading whose figures are all
    repeated below it is not read, so that each figure is emitted once, from the body's sentence. One pass."""
    out: dict[int, set] = {}
    i, n = 0, len(blks)
    while i < n:
        if not blks[i].heading:
            i += 1
            continue
        j = i
        while j < n and blks[j].heading:
            j += 1
        k = j
        while k < n and not blks[k].heading:
            k += 1
        heads = blks[i:j]
        if k > j and len(heads) <= HEADS_IN_A_ROW:  # headings with no text under them: teasers, not briefs
            below = {f.value for b in blks[j:k] for f in figures(text, b.start, b.end)}
            shown = [{f.value for f in figures(text, h.start, h.end)} for h in heads]
            for m, h in enumerate(heads):
                under = below.union(*shown[m + 1:])
                if shown[m] - under:
                    out[id(h)] = under
        i = k
    return out


def _in_head(heads, starts, fd: Found) -> bool:
    """Whether a claim read from a heading repeats a figure its body prints (blocks do not overlap: one bisection)."""
    i = bisect_right(starts, fd.span[0]) - 1
    return i >= 0 and heads[i][0] <= fd.span[0] < heads[i][1] and fd.claim.value in heads[i][2]


def _claims(text, body: list[Block], blks: list[Block], ppl, pub, anchor, outlet) -> list[Found]:
    lex = lexicon()
    out: list[Found] = []
    index = {id(b): i for i, b in enumerate(blks)}
    # sentences in reading order with their block position
    flat: list[tuple[int, int, int, int]] = []  # (block#, sent#, start, end)
    for bi, blk in enumerate(body):
        for si, (a, b) in enumerate(blk.sentences):
            flat.append((bi, si, a, b))
    atts: dict[tuple[int, int], attr.Attribution | None] = {}
    inquote: dict[tuple[int, int], bool] = {}
    endquote: dict[tuple[int, int], bool] = {}
    prev_claimant: attr.Claimant | None = None
    prev_document: attr.Claimant | None = None
    state = False
    for bi, blk in enumerate(body):
        if state and not _OPEN_RE.match(text, blk.start):
            state = False
        for si, (a, b) in enumerate(blk.sentences):
            inquote[(bi, si)] = state or bool(_OPEN_RE.match(text, a))
            state = _quote_state(text[a:b], state)
            endquote[(bi, si)] = state
            at = attr.find(text, a, b, ppl, prev_claimant, prev_document)
            atts[(bi, si)] = at
            if at is not None and at.claimant.name:
                prev_claimant = at.claimant
                if attr.names_document(text, at.start, at.end) or attr.names_document(text, a, at.start):
                    prev_document = at.claimant  # "A report published by X estimates": what "the report" is later
    leads: dict[int, Ctx] = {}
    speakers: dict[int, attr.Claimant | None] = {}
    region_hist: list[tuple[int, str]] = []
    pos_of = {k: n for n, k in enumerate((x[0], x[1]) for x in flat)}
    body_pos = {id(x): j for j, x in enumerate(body)}
    para = 0
    said: dict[str, dt.date] = {}  # each speaker's last dated statement
    last_date: dt.date | None = None  # the last dated statement's date, whoever made it: "the same day", "a day earlier"
    month = None  # (paragraph, period) of the last month named: "Over the month, 84 tanks ..."
    # a party that fights on one front only ("KP": Kursk) is placed there when the article names it
    fronts = {p: r for p, r in lex.raw["parties"].get("fronts", {}).items() if not p.startswith("_") and r in text}
    for bi, blk in enumerate(body):
        if not blk.item:
            para += 1
        lead_ctx = None
        if blk.item and blk.lead is not None:
            lead_blk = blks[blk.lead]
            lb = body_pos.get(id(lead_blk))
            lead_ctx = leads.get(lb) if lb is not None else None
        block_speaker: attr.Claimant | None = None
        named: attr.Claimant | None = None  # the block's own attribution: what the next block may carry
        stated: dt.date | None = None  # the date a statement earlier in the paragraph was made: "In the same post he said"
        stated_by: str | None = None  # and who made it: another speaker's own statement in the paragraph is not dated by it
        for si, (a, b) in enumerate(blk.sentences):
            at = atts[(bi, si)]
            own = at if at is not None and not at.backref else None  # the sentence's own attribution
            who = _claimant(bi, si, blk, body, atts, inquote, endquote, flat, pos_of, speakers, lead_ctx, block_speaker, text)
            theatre = lex.theatre
            # the last named region, if it is recent enough (the history is in paragraph order)
            carry = _carried_region(region_hist, para, text, a, b)
            regions = _regions(text, a, b)
            found, ctx = sentence_claims(
                text, a, b, pub=pub, anchor=anchor, who=who, lead=lead_ctx, carry_region=carry,
                att_span=(at.start, at.end) if at else None, outlet=outlet, item=blk.item, regions=regions,
                carry_date=(stated if stated is not None and (own is None or own.claimant.name in (None, stated_by)
                                                              or _RELAYED_RE.search(text, a, b)) else None)
                or (said.get(who.name) if who is not None and who.name else None),
                prev_date=last_date, prev_month=month[1] if month is not None and month[0] >= para - 1 else None,
                antecedent=out[-1].claim if out else None,
                para_claim=out[-1].claim if out and out[-1].span[0] >= blk.start else None,
                opens_list=not blk.item and si == len(blk.sentences) - 1 and bi + 1 < len(body)
                and body[bi + 1].item and body[bi + 1].lead is not None and blks[body[bi + 1].lead] is blk)
            if ctx.month is not None:
                month = (para, ctx.month)
            if ctx.stated and (own is None or own.states):
                stated, stated_by = ctx.stated, who.name if who is not None else None
                last_date = ctx.stated
            if ctx.stated and own is not None and own.states and who is not None and who.name \
                    and not _EARLIER_RE.search(text, max(own.start, own.end - 40), own.end):  # the speaker's own statement
                # "Gerasimov told Putin on Wednesday": what Gerasimov says next, too; each speaker keeps their latest
                # statement's date, not that of a look back told later ("In January, the agency estimated ..."), nor
                # one in the past perfect ("In January, the agency had estimated"), after which the agency speaks now
                said[who.name] = max(ctx.stated, said.get(who.name, ctx.stated))
            how = "none" if who is None or not who.name else "own-sentence" if at is not None and who is at.claimant else "context"
            out.extend(evolve(fd, signals=fd.signals + (f"claimant:{how}",)) for fd in found)
            if found and fronts:
                out[len(out) - len(found):] = [_on_front(fd, fronts, theatre) for fd in out[len(out) - len(found):]]
            for s, r in reversed(regions):  # the first place a sentence names is what it is about, last in the history
                if r != theatre:
                    region_hist.append((para, r))
            if at is not None and not at.backref:
                block_speaker = named = at.claimant
            elif found and who is not None:
                block_speaker = who
                if who is not speakers.get(bi - 1):  # found in this block (a quote's close, a back-reference)
                    named = named or who
            if not blk.item:
                # a lead that only names the list ("The main categories as of Thursday:") takes what it lists from
                # the sentence before it ("... lists 9,110 pieces of Russian equipment lost.")
                before = leads.get(bi)
                if before is not None and ctx.cue is None and not found:
                    ctx = evolve(ctx, cue=before.cue, party=ctx.party or before.party,
                                 unit_kind=ctx.unit_kind or before.unit_kind)
                leads[bi] = ctx
        if blk.item and lead_ctx is not None:
            speakers[bi] = lead_ctx.claimant
        else:
            speakers[bi] = named
    return out


# a total for the whole war or the whole front is not about the place the paragraphs before were about
_WHOLE_WAR_RE = re.compile(r"(?i)\b(?:since the (?:start|beginning|outset) of (?:the )?(?:full-scale |special military )?"
                           r"(?:war|invasion|operation|hostilities)|since (?:the )?(?:full-scale )?invasion|"
                           r"since february(?: 24,?)? 2022|across the (?:entire |whole )?front(?:line)?|"
                           r"in total|in all|overall|official (?:figure|toll|count)|total combat losses)\b")


# a statement in the past perfect ("had estimated", "had put") looks back from the article's own time
_EARLIER_RE = re.compile(r"\bhad\s+(?:(?:also|already|previously|earlier|first|last)\s+)?[\w’'-]+\s*$")


# "estimates cited by the newspaper": a statement relayed by the speaker before, dated by that report
_RELAYED_RE = re.compile(r"\b(?:cited|quoted|reported|relayed)\s+by\b")
_WHOLE_WAR_WORDS = ("since", "front", "total", "all", "overall", "official")


def _carried_region(hist: list[tuple[int, str]], para: int, text: str, a: int, b: int) -> str | None:
    """The place a sentence that names none is about: the last one named in the two paragraphs before (a country
    only from its own paragraph), unless the sentence counts the whole war or the whole front."""
    lex = lexicon()
    if not hist or hist[-1][0] < para - 2:
        return None
    low = fold(text[a:b])
    if any(w in low for w in _WHOLE_WAR_WORDS) and _WHOLE_WAR_RE.search(text, a, b):
        return None
    for p_, r in reversed(hist):
        if p_ < para - 2:
            break
        if r in lex.countries and p_ < para:
            continue
        return r
    return None


def _carries(c: attr.Claimant | None) -> bool:
    return c is not None and c.name is not None and c.kind in ("person", "source", "title", "org")


def _on_front(fd: Found, fronts: dict[str, str], theatre: str) -> Found:
    """A figure of a party that fought on one front, placed nowhere more precise than the theatre: that front."""
    c = fd.claim
    if c.region == theatre and c.party in fronts:
        return evolve(fd, claim=evolve(c, region=fronts[c.party]))
    return fd


def _claimant(bi, si, blk, body, atts, inquote, endquote, flat, pos_of, speakers, lead_ctx, block_speaker, text):
    at = atts[(bi, si)]
    if at is not None and not at.backref:
        return at.claimant
    # inside a quotation: the attribution where it closes
    if inquote[(bi, si)] or endquote[(bi, si)]:
        n = pos_of[(bi, si)]
        for k in range(n + 1, min(len(flat), n + 12)):
            b2, s2, a2, e2 = flat[k]
            if b2 > bi + 2:
                break
            at2 = atts[(b2, s2)]
            if at2 is not None and at2.closing:
                return at2.claimant
            if not endquote[(b2, s2)] and at2 is None and not inquote[(b2, s2)]:
                break
    # "X wrote that on Facebook" in the next sentence or paragraph
    n = pos_of[(bi, si)]
    for k in range(n + 1, min(len(flat), n + 3)):
        b2, s2, a2, e2 = flat[k]
        if b2 > bi + 1:
            break
        at2 = atts[(b2, s2)]
        if at2 is not None and at2.backref:
            return at2.claimant
        if b2 != bi:
            break
    if at is not None and at.backref:
        return at.claimant
    if si > 0 and block_speaker is not None:
        return block_speaker if block_speaker.name else None
    if lead_ctx is not None and blk.item:
        return lead_ctx.claimant
    prevb = speakers.get(bi - 1)
    if _carries(prevb) or (prevb is not None and prevb.name and _OPEN_RE.match(text, blk.start)):
        return prevb
    return None
