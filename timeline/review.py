"""People checking what the machine read: verdicts, corrections and claims entered by hand, and the review queue.

Every decision is an event with who, when and why (ClaimReviewed,
ClaimCorrected with a reviewer, ClaimAsserted); nothing a person decides
edits the log. A batch of decisions is checked whole before anything is
appended, and appended in one transaction, so a bad one writes nothing.
The projections apply the decisions (projections.review).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from attrs import frozen

from events.chain import utc_now
from events.model import QUALIFIERS, Claim, ClaimAsserted, ClaimCorrected, ClaimReviewed, Period, Source
from projections.questions import MIN_PREFIX
from timeline.errors import TimelineError

if TYPE_CHECKING:
    from events.store import Store
    from projections.questions import ReadModel
    from timeline.provenance_questions import ProvenanceQuestions
    from timeline.state_questions import StateQuestions

REVIEWER_ENV = "TIMELINE_REVIEWER"
VERDICT_WORDS = {"confirm": "confirmed", "confirmed": "confirmed", "reject": "rejected", "rejected": "rejected"}
SKIP_WORDS = ("", "skip", "skipped")
QUEUE_COLUMNS = ("claim_id", "decision", "note", "metric", "party", "region", "value", "qualifier", "unit", "valid",
                 "claimant", "outlet", "rule", "confidence", "quote", "source", "feeds", "why")
EDITABLE = ("metric", "party", "region", "value", "qualifier", "as_of", "period", "claimant", "modality")


def reviewer_name(name: str | None) -> str:
    """The reviewer a decision is recorded under; refused when nobody is named."""
    n = " ".join((name or "").split())
    if not n:
        raise TimelineError(f"who is reviewing? name the reviewer or set {REVIEWER_ENV}", param="reviewer")
    if any(ord(c) < 32 or ord(c) == 127 for c in name or ""):
        raise TimelineError("the reviewer's name holds control characters")
    return n


def parse_number(text: Any, what: str = "value") -> int | float:
    """A figure as a person types it ("1,200", "7905", "12.5"); a TimelineError naming it otherwise."""
    if isinstance(text, bool):
        raise TimelineError(f"{what} {text!r} is not a number")
    if isinstance(text, (int, float)):
        number = text
    else:
        raw = str(text).strip().replace(",", "").replace("_", "")
        if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", raw):
            raise TimelineError(f"{what} {text!r} is not a number (expected e.g. 7905 or 1,200 or 12.5)")
        number = float(raw) if "." in raw else int(raw)
    if number != number or number in (float("inf"), float("-inf")) or number < 0 or number > 10**15:
        raise TimelineError(f"{what} {text!r} is not a figure a claim can carry (0 to 10^15)")
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    return number


def parse_day(text: Any, what: str, param: str | None = None) -> dt.date:
    if isinstance(text, dt.date):
        return text
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise TimelineError(f"{what} {text!r} is not a date (expected YYYY-MM-DD, e.g. 2024-11-23)",
                            param=param) from None


def parse_period(text: Any) -> Period:
    """`A..B` (A may be left empty for an open start), both ends inclusive."""
    if isinstance(text, Period):
        return text
    start, sep, end = str(text).partition("..")
    if not sep:
        raise TimelineError(f"period {text!r} is not START..END (e.g. 2024-11-01..2024-11-07)")
    a = parse_day(start, "period start") if start.strip() else None
    b = parse_day(end, "period end")
    if a is not None and a > b:
        raise TimelineError(f"period {text!r} ends before it starts")
    return Period(a, b)


def checked_claim(*, metric: str, party: str, value: Any, region: str | None = None, qualifier: str = "exact",
                  as_of: Any = None, period: Any = None, claimant: str | None = None, outlet: str | None = None,
                  modality: str = "asserted", since: dt.date | None = None, known_region: str | None = None) -> Claim:
    """A Claim from what a person typed, held to the vocabulary; TimelineError names the first field that is wrong."""
    from events.extract.numbers import interval
    from events.model import MODALITIES
    from events.vocabulary import vocabulary

    vocab = vocabulary()
    metric = (metric or "").strip()
    if metric not in vocab.units:
        near = [m for m in vocab.units if m.split(".")[0] == metric.split(".")[0]] or sorted(vocab.units)[:6]
        raise TimelineError(f"metric {metric!r} is not in the vocabulary (e.g. {', '.join(sorted(near)[:6])})")
    p = (party or "").strip().upper()
    if p not in vocab.parties:
        raise TimelineError(f"party {party!r} is not one of {', '.join(sorted(vocab.parties))}")
    canon = None
    if region is not None and region == known_region:
        canon = region  # a region the claim already had (read by the extractor) stands as it is
    elif region not in (None, "", "-"):
        canon = vocab.region(str(region))
        if canon is None:
            raise TimelineError(f"region {region!r} is not in the vocabulary (e.g. Kursk, Donetsk, Ukraine)")
    number = parse_number(value)
    if vocab.units[metric] == "percent" and number > 100:
        raise TimelineError(f"value {value!r} is not a share: {metric} is a percentage (0 to 100)")
    q = (qualifier or "exact").strip().lower().replace("-", "_").replace(" ", "_")
    if q not in QUALIFIERS:
        raise TimelineError(f"qualifier {qualifier!r} is not one of {', '.join(QUALIFIERS)}")
    if modality not in MODALITIES:
        raise TimelineError(f"modality {modality!r} is not one of {', '.join(MODALITIES)}")
    if (as_of in (None, "")) == (period in (None, "")):
        raise TimelineError("a claim is dated by an as-of date or by a period (one of them)",
                            param=("as_of", "period"))
    day = parse_day(as_of, "as-of date") if as_of not in (None, "") else None
    window = parse_period(period) if period not in (None, "") else None
    low, high = interval(q, number)
    name = " ".join(claimant.split()) if claimant else None
    return Claim(metric, p, number, vocab.units[metric], canon, q, low, high, day, since, window, name or None,
                 outlet or None, modality)


def check_field(name: str, text: str, known_region: str | None = None) -> Any:
    """One field of a claim as a person edits it, parsed and held to the vocabulary (empty dates mean none)."""
    from events.model import MODALITIES
    from events.vocabulary import vocabulary

    text = (text or "").strip()
    vocab = vocabulary()
    if name == "metric":
        if text not in vocab.units:
            raise TimelineError(f"metric {text!r} is not in the vocabulary")
        return text
    if name == "party":
        if text.upper() not in vocab.parties:
            raise TimelineError(f"party {text!r} is not one of {', '.join(sorted(vocab.parties))}")
        return text.upper()
    if name == "region":
        if text in ("", "-"):
            return None
        if text == known_region:
            return text
        canon = vocab.region(text)
        if canon is None:
            raise TimelineError(f"region {text!r} is not in the vocabulary (e.g. Kursk, Donetsk, Ukraine)")
        return canon
    if name == "value":
        return parse_number(text)
    if name == "qualifier":
        q = text.lower().replace("-", "_").replace(" ", "_")
        if q not in QUALIFIERS:
            raise TimelineError(f"qualifier {text!r} is not one of {', '.join(QUALIFIERS)}")
        return q
    if name == "as_of":
        return parse_day(text, "as-of date") if text else None
    if name == "period":
        return parse_period(text) if text else None
    if name == "modality":
        if text not in MODALITIES:
            raise TimelineError(f"modality {text!r} is not one of {', '.join(MODALITIES)}")
        return text
    return " ".join(text.split()) or None


def shown_field(item: dict[str, Any], name: str) -> str:
    """A queue item's field as an editor shows it, in the form check_field reads back."""
    if name == "period":
        p = item.get("period")
        return "" if p is None else f"{p['start'] or ''}..{p['end']}"
    value = item.get(name)
    return "" if value is None else str(value)


@frozen
class Decision:
    """A verdict to record: on which claim, which one, and why."""

    claim: str  # an id or a prefix of one
    verdict: str
    note: str = ""


class ReviewDesk:
    """The review verbs: verdicts, corrections and claims entered by hand appended to the log, and the queue read
    from it and the state."""

    def __init__(self, store: Store, read_model: ReadModel, states: StateQuestions, provenance: ProvenanceQuestions,
                 resume_file: Path) -> None:
        self.store = store
        self.read_model = read_model
        self.states = states
        self.provenance = provenance
        self.resume_file = resume_file  # where each reviewer's place in the queue is remembered

    # -- verdicts ------------------------------------------------------------

    def review(self, decisions: Iterable[Decision], reviewer: str | None) -> list[dict[str, Any]]:
        """Record verdicts, all or none: each claim must exist, be unambiguous and still count (not retracted or
        replaced). A rejection needs a note saying why."""
        who = reviewer_name(reviewer)
        events: list[ClaimReviewed] = []
        for n, d in enumerate(decisions, 1):
            events.append(self._verdict(d, who, f"decision {n}: " if n > 1 else ""))
        return self._record(events)

    def _record(self, events: list[ClaimReviewed]) -> list[dict[str, Any]]:
        """Append verdicts, one a claim, but not one that repeats its claim's last verdict (the same reviewer,
        verdict and note: a confirm typed twice, a sheet applied twice), which says nothing new; its answer says
        so."""
        seen: set[str] = set()
        for e in events:
            if e.claim_id in seen:
                raise TimelineError(f"claim {e.claim_id[:12]} has two decisions in one batch: keep one")
            seen.add(e.claim_id)
        last = {c: (p, m, r, note) for c, p, m, r, note, _ in self.read_model.review_marks(
            seen, self.store.head()) if m in ("confirmed", "rejected")}
        repeated = {e.claim_id: last[e.claim_id][0] for e in events
                    if last.get(e.claim_id, (None,))[1:] == (e.verdict, e.reviewer, e.note)}
        fresh = [e for e in events if e.claim_id not in repeated]
        at = {r.id: r.position for r in self.store.append(fresh).appended} if fresh else {}
        from events.codec import event_id

        return [{"claim_id": e.claim_id, "position": repeated[e.claim_id], "verdict": e.verdict,
                 "reviewer": e.reviewer, "note": e.note, "at": None, "already": True} if e.claim_id in repeated
                else {"claim_id": e.claim_id, "position": at.get(event_id(e)), "verdict": e.verdict,
                      "reviewer": e.reviewer, "note": e.note, "at": e.at} for e in events]

    def confirm(self, claim_ids: Sequence[str], reviewer: str | None, note: str = "") -> list[dict[str, Any]]:
        if not claim_ids:
            raise TimelineError("confirm which claim? give one or more claim ids")
        return self.review([Decision(c, "confirmed", note) for c in claim_ids], reviewer)

    def reject(self, claim_id: str, reviewer: str | None, note: str) -> dict[str, Any]:
        return self.review([Decision(claim_id, "rejected", note)], reviewer)[0]

    def _verdict(self, d: Decision, who: str, where: str = "") -> ClaimReviewed:
        verdict = VERDICT_WORDS.get(d.verdict.strip().lower())
        if verdict is None:
            raise TimelineError(f"{where}verdict {d.verdict!r} is not confirm or reject")
        note = " ".join((d.note or "").split())
        if verdict == "rejected" and not note:
            raise TimelineError(f"{where}a rejection needs a note saying why", param="note")
        try:
            claim_id = self._live_claim(d.claim)
        except TimelineError as err:
            raise TimelineError(f"{where}{err}", param=err.param) from None
        return ClaimReviewed(claim_id, verdict, who, utc_now(), note)

    def _live_claim(self, ref: str) -> str:
        """The full id of a claim that still counts; TimelineError when unknown, ambiguous, retracted or replaced."""
        full = self.states.resolve_claim(ref)
        for claim_id, position, kind, reason, _, replacement in self.read_model.amendments([full]):
            if kind == "retraction":
                raise TimelineError(f"claim {full[:12]} is retracted (position {position}: {reason}): "
                                    "a verdict on it would not count")
            if replacement is not None:
                current = self._current(replacement)
                via = "" if current == replacement else f" (by way of {replacement[:12]}, corrected in turn)"
                raise TimelineError(f"claim {full[:12]} was corrected at position {position}; review its "
                                    f"replacement {current[:12]} instead{via}")
        return full

    def _current(self, claim_id: str) -> str:
        """The claim that stands for `claim_id` now: its replacement's replacement, and so on."""
        seen = {claim_id}
        while True:
            nxt = next((r for *_, r in self.read_model.amendments([claim_id]) if r is not None), None)
            if nxt is None or nxt in seen:
                return claim_id
            seen.add(nxt)
            claim_id = nxt

    # -- corrections and claims entered by hand ------------------------------

    def correct(self, claim_id: str, reviewer: str | None, reason: str, **changes: Any) -> dict[str, Any]:
        """Replace a claim by one with some fields changed (validated like a claim entered by hand), recorded as a
        ClaimCorrected with the reviewer; the claim's own event stays as it was."""
        who = reviewer_name(reviewer)
        reason = " ".join((reason or "").split())
        if not reason:
            raise TimelineError("a correction needs a reason", param="reason")
        unknown = [k for k in changes if k not in EDITABLE]
        if unknown:
            raise TimelineError(f"cannot edit {', '.join(unknown)} (editable: {', '.join(EDITABLE)})")
        full = self._live_claim(claim_id)
        old = self._claim_of(full)
        fields = {"metric": old.metric, "party": old.party, "value": old.value, "region": old.region,
                  "qualifier": old.qualifier, "as_of": old.as_of, "period": old.period, "claimant": old.claimant,
                  "outlet": old.outlet, "modality": old.modality, "since": old.since}
        if "as_of" in changes and changes["as_of"] not in (None, ""):
            fields["period"] = None
        if "period" in changes and changes["period"] not in (None, ""):
            fields["as_of"] = None
        fields.update({k: v for k, v in changes.items()})
        new = checked_claim(**fields, known_region=old.region)
        changed = sorted(k for k in EDITABLE if _field(old, k) != _field(new, k))
        if not changed:
            raise TimelineError(f"the correction changes nothing in claim {full[:12]}")
        ev = ClaimCorrected(full, reason, new, reviewer=who)
        result = self.store.append([ev])
        from events.codec import event_id

        return {"claim_id": full, "replacement_id": event_id(ev), "reviewer": who, "reason": reason,
                "position": result.appended[0].position if result.appended else None,
                "changed": changed}

    def _claim_of(self, claim_id: str) -> Claim:
        from events.codec import decode

        p = self.store.position_of(claim_id)
        if p is None:
            raise TimelineError(f"no claim has the id {claim_id[:12]}")
        row = next(self.store.read(p, p))
        ev = decode(row.type, row.payload)
        claim = getattr(ev, "replacement", None) or getattr(ev, "claim", None)
        if claim is None:
            raise TimelineError(f"event {claim_id[:12]} is not a claim")
        return claim

    def add_claim(self, *, metric: str, party: str, value: Any, source: str, reviewer: str | None,
                  region: str | None = None, qualifier: str = "exact", as_of: Any = None, period: Any = None,
                  claimant: str | None = None, quote: str | None = None, outlet: str | None = None,
                  published: Any = None, modality: str = "asserted") -> dict[str, Any]:
        """Append a claim a person read (ClaimAsserted, rule `asserted`), held to the vocabulary. The source is an
        ingested article (its id or a prefix of 6+ characters) or a URL with its outlet and publication date."""
        from events.codec import asserted_claim_id

        who = reviewer_name(reviewer)
        src = self._source(source, outlet, published)
        claim = checked_claim(metric=metric, party=party, value=value, region=region, qualifier=qualifier,
                              as_of=as_of, period=period, claimant=claimant, outlet=src.outlet, modality=modality)
        valid = claim.as_of if claim.period is None else claim.period.end
        if src.published is not None and valid is not None and valid > src.published:
            # A report states figures as of its own date or before; a plan is dated when it was announced.
            raise TimelineError(f"the claim is dated {valid.isoformat()}, after its source was published"
                                f" ({src.published.isoformat()})", param="period" if claim.period else "as_of")
        words = " ".join(quote.split()) if quote else None
        ev = ClaimAsserted(asserted_claim_id(claim, src, words), claim, src, who, words)
        result = self.store.append([ev])
        at = result.appended[0].position if result.appended else self.store.position_of(ev.claim_id)  # entered before
        return {"claim_id": ev.claim_id, "position": at,
                "new": bool(result.appended), "reviewer": who, "source": _source_data(src),
                "claim": _claim_data(claim)}

    def _source(self, source: str, outlet: str | None, published: Any) -> Source:
        text = (source or "").strip()
        if not text:
            raise TimelineError("a claim entered by hand needs a source: a URL or an ingested article's id",
                                param="source")
        if not text.lower().startswith(("http://", "https://")):
            # an ingested article, as `correct-article` finds one: by file name, else by id prefix
            found = self.read_model.articles_matching(text, MIN_PREFIX)
            if len(found) > 1:
                raise TimelineError(f"{len(found)} articles were ingested as {text!r}: give the article's id"
                                    if found[0]["file"] == text else
                                    f"article id {text!r} is ambiguous: give more characters", param="source")
            if found:
                art = found[0]
                day = parse_day(published, "published", "published") if published not in (None, "") else art["published"]
                return Source(article_id=art["article_id"], outlet=outlet or art["outlet"], published=day)
            if re.fullmatch(r"[0-9a-fA-F]{6,64}", text):
                raise TimelineError(f"no ingested article has an id starting with {text.lower()!r}", param="source")
        if not re.match(r"https?://[^\s/]+\.[^\s]+$", text):
            raise TimelineError(f"source {source!r} is neither an ingested article (its file name or id) nor an"
                                " http(s) URL",
                                param="source")
        if not outlet or not outlet.strip():
            raise TimelineError("a claim read at a URL needs its outlet", param="outlet")
        if published in (None, ""):
            raise TimelineError("a claim read at a URL needs its publication date", param="published")
        return Source(url=text, outlet=" ".join(outlet.split()), published=parse_day(published, "published", "published"))

    # -- the queue and the state of review -----------------------------------

    def review_queue(self, reviewer: str | None = None) -> list[dict[str, Any]]:
        """The claims nobody has reviewed that still count, most important first: those behind values of the
        current state, then those competing with them, then the rest by the extractor's confidence (lowest first;
        log order where claims carry none). With `reviewer`, it starts where that reviewer stopped."""
        from timeline.provenance import ledger_of

        records = list(self.store.read())
        ledger = ledger_of(records)
        st = ledger.standing(ledger.position)
        marked = {r.claim_id for r in ledger.reviews}
        prov = self.provenance.provenance()
        feeds: dict[str, tuple[int, int, Any]] = {}
        for rank, v in enumerate(prov.state.values):
            for cid in v.claims:
                feeds.setdefault(cid, (0, rank, v))
            for c in v.competing:
                feeds.setdefault(c.claim_id, (1, rank, v))
        confidence = _confidences(records)
        items = []
        for cid, e in ledger.claims.items():
            if cid in marked or cid in st.rejected or cid in ledger.retired:
                continue
            group, rank, value = feeds.get(cid, (2, 0, None))
            conf = confidence.get(cid)
            key = (group, rank if group < 2 else (conf if conf is not None else 2.0), e.row.position)
            items.append((key, _item(ledger, e, value, group, conf)))
        queue = [item for _, item in sorted(items, key=lambda kv: kv[0])]
        if reviewer:
            last = self._resume_marks().get(reviewer_name(reviewer))
            at = next((i for i, item in enumerate(queue) if item["claim_id"] == last), 0)
            queue = queue[at:] + queue[:at]
        return queue

    def _resume_marks(self) -> dict[str, str]:
        try:
            data = json.loads(self.resume_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def mark_resume(self, reviewer: str, claim_id: str | None) -> None:
        """Remember the claim a reviewer's queue stopped at (best effort: a read-only place just forgets)."""
        marks = self._resume_marks()
        if claim_id is None:
            marks.pop(reviewer, None)
        else:
            marks[reviewer] = claim_id
        try:
            self.resume_file.write_text(json.dumps(marks, sort_keys=True), encoding="utf-8")
        except OSError:
            pass

    def review_status(self) -> dict[str, Any]:
        """Counts by verdict and by reviewer, and the values of the current state that rest on no reviewed claim."""
        prov = self.provenance.provenance()
        ledger = prov.ledger  # the log read and walked once, for the counts and the state alike
        st = ledger.standing(ledger.position)
        live = [c for c in ledger.claims if c not in ledger.retired]
        last = {r.claim_id: r.mark for r in sorted(ledger.reviews, key=lambda r: r.position)}
        marked: dict[str, dict[str, set[str]]] = {}  # the claims each reviewer marked so, each counted once
        for r in ledger.reviews:
            kinds = marked.setdefault(r.reviewer, {"confirmed": set(), "rejected": set(), "asserted": set(),
                                                   "corrected": set()})
            kinds[r.mark].add(r.claim_id)
        by_reviewer = {who: {k: len(ids) for k, ids in kinds.items()} for who, kinds in marked.items()}
        unchecked = [{"metric": v.metric, "party": v.party, "region": v.region, "shape": v.shape, "value": v.value,
                      "unit": v.unit, "valid": v.valid.isoformat(), "claims": list(v.claims)}
                     for v in prov.state.values if not any(c in st.reviewed for c in v.claims)]
        return {
            "basis": prov.basis.to_data(),
            "claims": len(live),
            "confirmed": sum(last.get(c) == "confirmed" for c in live),
            "rejected": sum(last.get(c) == "rejected" for c in live),
            "entered": sum(1 for r in ledger.reviews if r.mark == "asserted"),
            "corrected": sum(1 for r in ledger.reviews if r.mark == "corrected"),
            "unreviewed": sum(1 for c in live if c not in st.reviewed and c not in st.rejected),
            "by_reviewer": dict(sorted(by_reviewer.items())),
            "values": len(prov.state.values),
            "unchecked_values": unchecked,
        }

    # -- spreadsheets ----------------------------------------------------------

    def export_queue(self, out: IO[str]) -> int:
        """The queue as CSV with empty `decision` and `note` columns, to fill in and --apply."""
        w = csv.DictWriter(out, fieldnames=QUEUE_COLUMNS, lineterminator="\n")
        w.writeheader()
        n = 0
        for item in self.review_queue():
            w.writerow(queue_row(item))
            n += 1
        return n

    def apply_decisions(self, stream: IO[str], reviewer: str | None, name: str = "decisions") -> list[dict[str, Any]]:
        """Record the decisions of a filled-in queue CSV (claim_id, decision: confirm | reject | blank to skip,
        note), all in one transaction; a bad row names its row and writes nothing."""
        who = reviewer_name(reviewer)
        try:
            reader = csv.DictReader(stream)
            header = reader.fieldnames or []
            if "claim_id" not in header or "decision" not in header:
                raise TimelineError(f"{name}: not a decisions file (it needs the columns claim_id and decision)")
            events = []
            for row in reader:
                where = f"{name}: row {reader.line_num}: "
                decision = (row.get("decision") or "").strip().lower()
                if decision in SKIP_WORDS:
                    continue
                try:
                    ev = self._verdict(Decision(row.get("claim_id") or "", decision, row.get("note") or ""), who, where)
                except TimelineError as err:  # a row's cell, not a parameter: name its column
                    column = {"note": "note", "claim_id": "claim_id", "verdict": "decision"}.get(str(err.param))
                    raise TimelineError(f"{err} (the {column} column)" if column else str(err)) from None
                if any(e.claim_id == ev.claim_id for e in events):
                    raise TimelineError(f"{where}claim {ev.claim_id[:12]} already has a decision in an earlier row")
                events.append(ev)
        except csv.Error as err:
            raise TimelineError(f"{name}: not readable as CSV ({err})") from None
        try:
            return self._record(events)
        except TimelineError as err:
            raise TimelineError(f"{name}: {err}", param=err.param) from None


def _field(c: Claim, name: str) -> Any:
    return getattr(c, name)


def _confidences(records: Sequence[Any]) -> dict[str, float]:
    """The extractor's confidence in each claim: computed from the signals it recorded (events.extract.confidence),
    else a confidence the event carries (a number, or {score|value: number}); claims with neither have none."""
    from events.extract.confidence import confidence

    out = {}
    for r in records:
        if r.type != "ClaimReported" or ("signals" not in r.payload and "confidence" not in r.payload):
            continue
        d = r.data if r.data is not None else json.loads(r.payload)
        if d.get("signals"):
            found = confidence(d.get("rule") or "", d["signals"])
            if found is not None:
                out[r.id] = float(found)
                continue
        for place in (d, d.get("claim") or {}, d.get("evidence") or {}):
            c = place.get("confidence")
            if isinstance(c, dict):
                c = c.get("score", c.get("value"))
            if isinstance(c, (int, float)) and not isinstance(c, bool):
                out[r.id] = float(c)
                break
    return out


_PARAGRAPH = re.compile(r"\n\s*\n")


def paragraph_at(text: str, start: int, end: int) -> tuple[int, int]:
    """The [start, end) of the paragraph (blank-line separated, else the line) that holds text[start:end]."""
    s = 0
    for m in _PARAGRAPH.finditer(text, 0, max(start, 0)):
        s = m.end()
    m = _PARAGRAPH.search(text, end)
    e = len(text) if m is None else m.start()
    if e - s > 1500:  # no blank lines: a line is a paragraph
        s = text.rfind("\n", 0, start) + 1
        nl = text.find("\n", end)
        e = len(text) if nl < 0 else nl
    return s, e


def _item(ledger: Any, e: Any, value: Any, group: int, confidence: float | None) -> dict[str, Any]:
    """One claim of the queue: its fields, rule, where it was read and the value it feeds."""
    from timeline.explain import sentence_at

    r = e.row
    item: dict[str, Any] = {
        "claim_id": e.claim_id, "position": r.position, "metric": r.metric, "party": r.party, "region": r.region,
        "value": r.value, "qualifier": r.qualifier, "low": r.low, "high": r.high, "unit": r.unit,
        "valid": r.valid.isoformat() if r.valid else None,
        "as_of": r.as_of.isoformat() if r.as_of else None,
        "period": None if r.shape != "window" else {
            "start": r.period_start.isoformat() if r.period_start else None,
            "end": r.period_end.isoformat() if r.period_end else None},
        "claimant": r.claimant, "outlet": r.outlet, "modality": r.modality, "rule": e.rule,
        "report": r.report.isoformat() if r.report else None, "confidence": confidence,
        "quote": e.evidence.quote if e.evidence is not None else None, "source": r.source,
        "why": ("behind a current value", "competes with a current value", "not in the current state")[group],
        "feeds": None, "paragraph": None, "sentence": None, "figure": None,
    }
    if value is not None:
        item["feeds"] = {"as": "support" if group == 0 else "competing", "metric": value.metric,
                         "party": value.party, "region": value.region, "shape": value.shape, "value": value.value,
                         "unit": value.unit, "valid": value.valid.isoformat(), "rule": value.rule}
    article = ledger.articles.get(r.article_id) if r.article_id else None
    span = e.evidence.span if e.evidence is not None else None
    if article is not None:
        text = article.article.text
        if span is None and item["quote"] and item["quote"] in text:
            found = text.index(item["quote"])
            span = (found, found + len(item["quote"]))
        if span is not None and 0 <= span[0] <= span[1] <= len(text):
            ps, pe = paragraph_at(text, *span)
            ss, se = sentence_at(text, *span)
            item["paragraph"] = text[ps:pe]
            item["sentence"] = [max(ss, ps) - ps, min(se, pe) - ps]
            item["figure"] = [span[0] - ps, span[1] - ps]
    return item


def queue_row(item: dict[str, Any]) -> dict[str, Any]:
    """A queue item as a CSV row."""
    feeds = item["feeds"]
    when = item["valid"] if item["period"] is None else f"{item['period']['start'] or ''}..{item['period']['end']}"
    return {
        "claim_id": item["claim_id"], "decision": "", "note": "", "metric": item["metric"], "party": item["party"],
        "region": item["region"] or "", "value": item["value"], "qualifier": item["qualifier"], "unit": item["unit"],
        "valid": when or "", "claimant": item["claimant"] or "", "outlet": item["outlet"] or "", "rule": item["rule"],
        "confidence": "" if item["confidence"] is None else item["confidence"],
        "quote": " ".join((item["quote"] or "").split()), "source": item["source"] or "",
        "feeds": "" if feeds is None else f"{feeds['as']} of {feeds['metric']} {feeds['party']} "
                                          f"{feeds['region'] or '-'} = {feeds['value']}",
        "why": item["why"],
    }


def _source_data(s: Source) -> dict[str, Any]:
    return {"article_id": s.article_id, "url": s.url, "outlet": s.outlet,
            "published": s.published.isoformat() if s.published else None}


def _claim_data(c: Claim) -> dict[str, Any]:
    from events.codec import to_data

    return to_data(c)


__all__ = ["Decision", "ReviewDesk", "check_field", "checked_claim", "shown_field", "paragraph_at", "parse_number", "queue_row", "reviewer_name",
           "REVIEWER_ENV", "EDITABLE"]
