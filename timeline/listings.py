"""Events as the flat entries `log` and `claims` list (and return as JSON); not the read model's ClaimRow."""

from __future__ import annotations

from typing import Any

from events.envelope import Recorded
from events.model import (
    ArticleIngested,
    ClaimAsserted,
    ClaimCorrected,
    ClaimReported,
    ClaimRetracted,
    ClaimReviewed,
    Event,
)
from timeline.formats.text import fmt_number


def when(claim: Any) -> str:
    """A claim's valid time as text: a date, a period, or 'undated'."""
    if claim.period is not None:
        start = claim.period.start.isoformat() if claim.period.start else "?"
        return f"{start}..{claim.period.end.isoformat()}"
    return claim.as_of.isoformat() if claim.as_of else "undated"


def summary(event: Event) -> str:
    """One line that says what an event is about."""
    if isinstance(event, ArticleIngested):
        published = event.published.isoformat() if event.published else "unknown date"
        return f"{event.file} ({event.outlet or 'unknown outlet'}, {published} [{event.published_origin}])"
    if isinstance(event, (ClaimReported, ClaimAsserted)):
        c = event.claim
        qualifier = "" if c.qualifier == "exact" else f"{c.qualifier} "
        who = f" ({c.claimant})" if c.claimant else ""
        by = f", entered by {event.reviewer}" if isinstance(event, ClaimAsserted) else ""
        return f"{c.metric} {c.party} {c.region or '-'} {qualifier}{fmt_number(c.value)} {c.unit} @ {when(c)}{who}{by}"
    if isinstance(event, ClaimRetracted):
        return f"retracts {event.claim_id[:12]}: {event.reason}"
    if isinstance(event, ClaimCorrected):
        by = f" (by {event.reviewer})" if event.reviewer else ""
        return f"corrects {event.claim_id[:12]}{by}: {event.reason}"
    if isinstance(event, ClaimReviewed):
        note = f": {event.note}" if event.note else ""
        return f"{event.verdict} {event.claim_id[:12]} by {event.reviewer}{note}"
    return type(event).__name__


def log_entry(row: Recorded) -> dict[str, Any]:
    return {
        "position": row.position,
        "type": row.type,
        "id": row.id,
        "recorded_at": row.recorded_at,
        "summary": summary(row.event),
    }


def claim_entry(event: ClaimReported, article_file: str | None, retracted: bool = False) -> dict[str, Any]:
    """The flat shape of a claim that `claims --format json` prints and the scorer reads."""
    c = event.claim
    ev = event.evidence
    return {
        "article": article_file,
        "id": event.claim_id,
        "metric": c.metric,
        "party": c.party,
        "region": c.region,
        "value": c.value,
        "low": c.low,
        "high": c.high,
        "qualifier": c.qualifier,
        "unit": c.unit,
        "as_of": c.as_of.isoformat() if c.as_of else None,
        "since": c.since.isoformat() if c.since else None,
        "period": None if c.period is None else {
            "start": c.period.start.isoformat() if c.period.start else None,
            "end": c.period.end.isoformat(),
        },
        "claimant": c.claimant,
        "outlet": c.outlet,
        "modality": c.modality,
        "quote": ev.quote,
        "span": list(ev.span) if ev.span else None,
        "dataset": None if ev.dataset is None else {
            "repository": ev.dataset.repository, "commit": ev.dataset.commit,
            "file": ev.dataset.file, "row": ev.dataset.row, "column": ev.dataset.column,
        },
        "rule": event.rule,
        "confidence": _confidence(event.rule, event.signals),
        "signals": list(event.signals),
        "published": event.published.isoformat() if event.published else None,
        "retracted": retracted,
    }


def _confidence(rule: str, signals: Any) -> float:
    # Imported here: the extractor's package is a tenth of a second to import, which asof and chart never need.
    from events.extract.confidence import confidence

    return confidence(rule, signals)
