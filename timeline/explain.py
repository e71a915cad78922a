"""The explanation tree: from a value back to each sentence that carries it.

A value is explained by its supporting claims (each with its quote, the
character span the quote sits at, the sentence around it, the article file,
outlet, publication date and where that date came from, the claimant and the
extraction rule), the competing claims with the reason each lost under the
tie rule of projections.choose, and, for a derived value, the values it was
computed from, explained in turn. Quotes are cut from the article text at
the recorded span, so what is shown is exactly what the article says there.
"""

from __future__ import annotations

import re
from typing import Any

from projections.derive import value_id
from projections.series import ClaimRow
from timeline.errors import TimelineError
from timeline.provenance import ClaimEntry, Ledger, Provenance, series_matches

# A sentence ends at . ! ? (and closing quotes) before a capital or an opening quote, or at a line break.
_END = re.compile(r"[.!?…][\"'”’)\]]*[ \t]+(?=[A-Z\"“‘'(\[•*-])|\n")


def sentence_at(text: str, start: int, end: int) -> tuple[int, int]:
    """The [start, end) of the sentence (or list item) that holds text[start:end]."""
    s = 0
    for m in _END.finditer(text, 0, max(start, 0)):
        s = m.end()
    m = _END.search(text, max(end, start))
    e = len(text) if m is None else m.start() + len(m.group(0).rstrip())
    while s < start and text[s].isspace():
        s += 1
    while e > end and text[e - 1].isspace():
        e -= 1
    return s, e


# -- why a competing claim lost -----------------------------------------------------------------------------------


def loss_reasons(ledger: Ledger, value: Any) -> dict[str, str]:
    """For each competing claim of a value, the reason it lost: projections.choose.loss_reason, the tie rule's
    own account, asked of the claims' projection rows."""
    from projections.choose import loss_reason

    if not getattr(value, "competing", ()):
        return {}

    def row(e: ClaimEntry) -> ClaimRow:
        return e.claim if e.claim is not None else e.row.claim_row

    entries = [ledger.claims[c] for c in value.claims if c in ledger.claims]
    support = [row(e) for e in entries]
    win = [row(e) for e in entries if e.row.valid == value.valid and (e.row.value, e.row.qualifier, e.row.unit) ==
           (value.value, value.qualifier, value.unit)] or support
    figures: dict[tuple, list[ClaimRow]] = {}
    for c in value.competing:
        e = ledger.claims.get(c.claim_id)
        if e is not None:
            figures.setdefault(e.row.figure, []).append(row(e))
    out = {}
    reviewed = ledger.standing(ledger.position).reviewed
    for rows in figures.values():
        reason = loss_reason(win, support, rows, reviewed)
        for r in rows:
            out[r.claim_id] = reason
    return out


# -- trees ---------------------------------------------------------------------------------------------------------


def claim_tree(ledger: Ledger, claim_id: str) -> dict[str, Any]:
    """One claim with everything needed to find and judge its sentence."""
    e = ledger.claims.get(claim_id)
    if e is None:
        return {"id": claim_id, "missing": True}
    r = e.row
    withdrawn = [{"id": k.event_id, "reason": k.reason, "position": k.position}
                 for k in ledger.retractions if k.claim_id == claim_id]
    out: dict[str, Any] = {
        "id": claim_id, "value": r.value, "qualifier": r.qualifier, "low": r.low, "high": r.high, "unit": r.unit,
        "valid": r.valid.isoformat() if r.valid else None,
        "period": None if r.shape != "window" else {
            "start": r.period_start.isoformat() if r.period_start else None,
            "end": r.period_end.isoformat() if r.period_end else None},
        "claimant": r.claimant, "outlet": r.outlet, "modality": r.modality, "rule": e.rule,
        "report": r.report.isoformat() if r.report else None, "position": r.position,
        "replaces": e.replaces,
        # retracted: withdrawn by a ClaimRetracted; a claim a correction replaced is not, and names its replacement
        "retracted": bool(withdrawn),
        "retractions": withdrawn,
        "replaced_by": next((cid for cid, x in ledger.claims.items() if x.replaces == claim_id), None)
        if claim_id in ledger.retired else None,  # only a retired claim has a replacement: no walk for the others
        "article": None, "dataset": None, "quote": r.quote, "span": None, "sentence": None, "quote_matches": None,
        "corrections": [
            {"id": c.event_id, "reason": c.reason, "adjustment": c.adjustment, "position": c.position}
            for c in ledger.corrections if c.claim_id == claim_id
        ],
        "reviews": [{"mark": v.mark, "reviewer": v.reviewer, "at": v.at, "note": v.note, "position": v.position}
                    for v in ledger.reviews_of(claim_id)],
        "source": None if e.source is None else {
            "url": e.source.url, "outlet": e.source.outlet,
            "published": e.source.published.isoformat() if e.source.published else None},
    }
    ev = e.evidence
    article = ledger.articles.get(r.article_id) if r.article_id else None
    if article is not None:
        a = article.article
        out["article"] = {"id": a.article_id, "file": a.file, "outlet": a.outlet,
                          "published": a.published.isoformat() if a.published else None,
                          "published_origin": a.published_origin, "title": a.title, "url": a.url}
        span = ev.span if ev is not None else None
        if span is None and e.source is not None and ev is not None and ev.quote and ev.quote in a.text:
            found = a.text.index(ev.quote)  # a quote a person typed: where it first stands in the article
            span = (found, found + len(ev.quote))
        if ev is not None and span is not None:
            s, t = span
            if 0 <= s <= t <= len(a.text):
                out["span"] = [s, t]
                out["quote"] = a.text[s:t]
                out["quote_matches"] = a.text[s:t] == ev.quote
                ss, se = sentence_at(a.text, s, t)
                out["sentence"] = " ".join(a.text[ss:se].split())
    if ev is not None and ev.dataset is not None:
        d = ev.dataset
        out["dataset"] = {"repository": d.repository, "commit": d.commit, "file": d.file, "row": d.row,
                          "column": d.column}
    return out


def value_tree(prov: Provenance, v: Any) -> dict[str, Any]:
    """A value (or derived value) with its supports, its competitors and, if derived, its inputs."""
    ledger = prov.ledger
    derived = bool(getattr(v, "derived", False))
    reasons = loss_reasons(ledger, v)
    out: dict[str, Any] = {
        "id": value_id(v), "derived": derived, "metric": v.metric, "party": v.party, "region": v.region,
        "shape": v.shape, "value": v.value, "low": v.low, "high": v.high, "qualifier": v.qualifier, "unit": v.unit,
        "valid": v.valid.isoformat(),
        "period": None if v.period is None else {
            "start": v.period[0].isoformat() if v.period[0] else None, "end": v.period[1].isoformat()},
        "staleness_days": (prov.basis.as_of - v.valid).days,
        "rule": v.rule,
    }
    if derived:
        out["formula"] = v.formula
        out["inputs"] = [value_tree(prov, i) for i in v.inputs]
        out["supports"] = []
        out["competing"] = []
    else:
        out["held_since"] = v.held_since.isoformat()
        out["supports"] = [claim_tree(ledger, c) for c in v.claims]
        out["competing"] = [dict(claim_tree(ledger, c.claim_id), reason=reasons.get(c.claim_id, "not chosen"))
                            for c in v.competing]
    return out


def _all_values(prov: Provenance) -> list[Any]:
    return list(prov.state.values) + list(prov.derived)


def explain_series(prov: Provenance, metric: str, party: str, region: str | None) -> dict[str, Any]:
    """Every value (reported and derived) of the series a user named, or a message naming the nearest dates."""
    found = [v for v in _all_values(prov) if series_matches(metric, party, region, v.key)]
    out: dict[str, Any] = {"basis": prov.basis.to_data(),
                           "query": {"metric": metric, "party": party, "region": region},
                           "values": [value_tree(prov, v) for v in found], "message": None}
    if found:
        return out
    basis = prov.basis
    known = [e for e in prov.ledger.claims.values() if series_matches(metric, party, region, e.row.key)]
    if not known:
        raise TimelineError(_unknown_series(prov.ledger, metric, party, region))
    admitted = {e.claim_id for e in prov.ledger.admitted(basis)}
    dates = sorted({e.row.valid for e in known if e.claim_id in admitted and e.row.valid is not None})
    name = f"{metric} {party} {region or '-'}"
    cut = "" if basis.known_at is None else f" as reported by {basis.known_at.isoformat()}"
    if not dates:
        out["message"] = (f"{name} has no value as of {basis.as_of.isoformat()}{cut}: none of its claims is dated "
                          f"and admitted at this basis.")
        return out
    before = [d for d in dates if d <= basis.as_of]
    after = [d for d in dates if d > basis.as_of]
    near = ([f"{before[-1].isoformat()} (before)"] if before else []) + \
           ([f"{after[0].isoformat()} (after)"] if after else [])
    out["message"] = (f"{name} has no value as of {basis.as_of.isoformat()}{cut}; "
                      f"the nearest dates with one: {', '.join(near)}.")
    out["nearest"] = [d.split(" ")[0] for d in near]
    return out


def _unknown_series(ledger: Ledger, metric: str, party: str, region: str | None) -> str:
    keys = sorted({e.row.key for e in ledger.claims.values() if e.row.metric == metric},
                  key=lambda k: (k[1], k[2] or ""))
    if keys:
        shown = ", ".join(f"{k[1]} {k[2] or '-'}" for k in keys[:8]) + (", ..." if len(keys) > 8 else "")
        return f"no claims about {metric} {party} {region or '-'} in the log ({metric} is known for: {shown})"
    metrics = sorted({e.row.metric for e in ledger.claims.values()})
    shown = ", ".join(metrics[:12]) + (", ..." if len(metrics) > 12 else "")
    return f"no claims about {metric} in the log (metrics: {shown or 'none: the log holds no claims yet'})"


def explain_ref(prov: Provenance, ref: str) -> dict[str, Any]:
    """Explain a value, derived value or claim by its id (or a unique prefix of at least 6 characters)."""
    raw = ref.strip().lower()
    kind, _, p = raw.partition(":") if ":" in raw else ("", "", raw)
    if len(p) < 6 or not re.fullmatch(r"[0-9a-f]+", p):
        raise TimelineError(f"{ref!r} is not an id: give a value or claim id (or a prefix of at least 6 hex digits)")
    out: dict[str, Any] = {"basis": prov.basis.to_data(), "query": {"id": ref}, "values": [], "message": None}
    values = [v for v in _all_values(prov) if kind in ("", "value", "derived") and value_id(v).startswith(p)]
    claims = [c for c in prov.ledger.claims if kind in ("", "claim") and c.startswith(p)]
    if len(values) + len(claims) > 1:
        shown = [value_id(v)[:12] for v in values] + [c[:12] for c in claims]
        raise TimelineError(f"id {ref!r} is ambiguous: {', '.join(shown[:3])}{', ...' if len(shown) > 3 else ''}; "
                            "give more characters")
    if values:
        out["values"] = [value_tree(prov, values[0])]
        return out
    if not claims:
        raise TimelineError(f"no value or claim has an id starting with {p!r} at this basis", param="ref")
    cid = claims[0]
    tree = claim_tree(prov.ledger, cid)
    tree["in_values"] = [
        {"id": value_id(v), "as": "support" if cid in v.claims else "competing",
         "metric": v.metric, "party": v.party, "region": v.region, "value": v.value}
        for v in prov.state.values if cid in v.claims or any(c.claim_id == cid for c in v.competing)
    ]
    out["claim"] = tree
    return out


__all__ = ["claim_tree", "explain_ref", "explain_series", "loss_reasons", "sentence_at",
           "value_tree", "ClaimEntry"]
