"""Consistency findings: where the claims of a log disagree with each other or with arithmetic.

Every check reads the claims a basis admits with a valid date on or before
its date (all dates, not only the latest, since a falling total needs its
history), plus the derived values of the state. A finding names its check,
a severity, the series and date, the claims involved and one line saying
what was found. Severities:

- info: something holds, or is consistent within its hedging (components
  add up; a reported share matches the levels it implies);
- warning: a tension worth a reader's attention (hedged figures that do not
  overlap, a fall that a correction explains, a share reported a week earlier
  that the later levels do not bear out);
- error: the log says something that cannot be true as recorded (exact
  components that do not add up to their exact total from one claimant, a
  running total that falls with no correction, a level dated after the
  article that reports it, a quote that is not at its span).

Findings are sorted by content and never mention log positions, so the same
claims give the same findings whatever order they were appended in.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from operator import attrgetter
from typing import Any, NamedTuple

from attrs import evolve, frozen

from events.store import gc_paused
from events.vocabulary import metric_table
from projections.state import Basis
from projections.derive import COMPONENTS, PARTIAL_COMPONENTS, bounds
from projections.quotes import quote_at
from projections.series import series_order
from timeline.provenance import _DATES, _ISO, ClaimEntry, Ledger, Provenance, Row
from timeline.formats.text import figure, fmt_number

SEVERITIES = ("error", "warning", "info")
CHECKS = ("components", "falling-total", "share", "competing", "future-level", "daily-count", "quote")
MAX_COMBINATIONS = 16


@frozen
class Finding:
    """One thing `check` found, with the claims it is about."""

    check: str
    severity: str
    metric: str
    party: str
    region: str | None
    date: dt.date | None
    claims: tuple[str, ...]
    message: str

    def to_data(self) -> dict[str, Any]:
        return {"check": self.check, "severity": self.severity, "metric": self.metric, "party": self.party,
                "region": self.region, "date": self.date.isoformat() if self.date else None,
                "claims": list(self.claims), "message": self.message}


@frozen
class Report:
    """The findings of one basis, most severe first."""

    basis: Basis
    findings: tuple[Finding, ...]

    def counts(self) -> dict[str, int]:
        """The findings at each severity, in one pass (a report may hold a quarter of a million)."""
        found = Counter(f.severity for f in self.findings)
        return {s: found[s] for s in SEVERITIES}

    @property
    def exit_code(self) -> int:
        """1 when anything is at error severity, else 0 (most severe first: an error, if any, comes at once)."""
        return 1 if any(f.severity == "error" for f in self.findings) else 0

    def to_data_head(self) -> dict[str, Any]:
        """to_data without the findings."""
        return {"basis": self.basis.to_data(), "counts": self.counts()}

    def to_data(self) -> dict[str, Any]:
        with gc_paused():  # a report may hold a quarter of a million findings: no cycle among their dicts
            return {**self.to_data_head(), "findings": [f.to_data() for f in self.findings]}


# -- helpers -------------------------------------------------------------------------------------------------------


def _b(r: Row) -> tuple[float, float]:
    return bounds(r.value, r.qualifier, r.low, r.high)


def _fig(r: Any) -> str:
    return figure(r.value, r.qualifier)


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _inside(x: float, b: tuple[float, float]) -> bool:
    return b[0] - 1e-9 <= x <= b[1] + 1e-9


def _name(metric: str, party: str, region: str | None) -> str:
    return f"{metric} {party} {region or '-'}"


def _ids(rows: Iterable[Any]) -> tuple[str, ...]:
    return tuple(sorted({r.claim_id for r in rows}))


def _figures(rows: Iterable[Row]) -> list[list[Row]]:
    """Rows grouped by figure (value and unit), in a content order."""
    groups: dict[tuple, list[Row]] = {}
    for r in rows:
        groups.setdefault(r.figure, []).append(r)
    return [sorted(groups[k], key=lambda r: r.claim_id) for k in sorted(groups)]


def _index(rows: Sequence[Row]) -> dict[tuple, dict[dt.date, list[Row]]]:
    """Rows by series key, then valid date (keys and dates in the order the rows first show them)."""
    out: dict[tuple, dict[dt.date, list[Row]]] = {}
    for r in rows:
        key = (r.metric, r.party, r.region, r.shape)
        dates = out.get(key)
        if dates is None:
            out[key] = {r.valid: [r]}
            continue
        same = dates.get(r.valid)
        if same is None:
            dates[r.valid] = [r]
        else:
            same.append(r)
    return out


# -- the checks ----------------------------------------------------------------------------------------------------


def check_components(by_key: dict[tuple, dict[dt.date, list[Row]]]) -> list[Finding]:
    """A total against the sum of its parts reported for the same date."""
    out: list[Finding] = []
    families = [(t, parts, True) for t, parts in COMPONENTS.items()]
    for total, prefix in PARTIAL_COMPONENTS.items():
        parts = tuple(sorted({k[0] for k in by_key if k[0].startswith(prefix) and k[3] == "level"}))
        families.append((total, parts, False))
    for total, parts, closed in families:
        for key, dates in by_key.items():
            metric, party, region, shape = key
            if metric != total or shape != "level":
                continue
            for date, totals in dates.items():
                present = [(m, by_key.get((m, party, region, "level"), {}).get(date, [])) for m in parts]
                present = [(m, rows) for m, rows in present if rows]
                if not present:
                    continue
                complete = closed and len(present) == len(parts)
                choices = [_figures(rows) for _, rows in present]
                combos = list(itertools.islice(itertools.product(*choices), MAX_COMBINATIONS))
                for t in _figures(totals):
                    for combo in combos:
                        out.append(_component_finding(t, combo, complete, metric, party, region, date))
    return out


def _component_finding(total: list[Row], parts: Sequence[list[Row]], complete: bool, metric: str,
                       party: str, region: str | None, date: dt.date) -> Finding:
    t = total[0]
    point = sum(p[0].value for p in parts)
    lo = sum(_b(p[0])[0] for p in parts)
    hi = sum(_b(p[0])[1] for p in parts)
    tb = _b(t)
    rows = [r for group in (total, *parts) for r in group]
    exact = all(r.qualifier == "exact" for r in rows)
    one_source = len({r.claimant for r in rows}) == 1 and t.claimant is not None
    terms = " + ".join(fmt_number(p[0].value) for p in parts)
    what = f"{terms} = {fmt_number(point)}"
    if not complete:
        what = f"the parts listed ({', '.join(p[0].metric.rsplit('.', 1)[1] for p in parts)}) add up to {what}"
    if complete and exact and point == t.value:
        return Finding("components", "info", metric, party, region, date, _ids(rows), f"{what}: holds")
    if complete:
        if _inside(point, tb) or (not exact and _overlap((lo, hi), tb)):
            return Finding("components", "info", metric, party, region, date, _ids(rows),
                           f"{what}, consistent with the total of {_fig(t)}")
        severity = "error" if exact and one_source else "warning"
        return Finding("components", severity, metric, party, region, date, _ids(rows),
                       f"{what}, but the total is {_fig(t)}: off by {fmt_number(t.value - point)}")
    # An open set: the listed parts may leave kinds out, so they may fall short but not exceed the total.
    if point == t.value and exact:
        return Finding("components", "info", metric, party, region, date, _ids(rows), f"{what} = the total: holds")
    if lo <= tb[1]:
        return Finding("components", "info", metric, party, region, date, _ids(rows),
                       f"{what}, within the total of {_fig(t)}")
    severity = "error" if exact and one_source else "warning"
    return Finding("components", severity, metric, party, region, date, _ids(rows),
                   f"{what}, more than the total of {_fig(t)}")


def _is_running_total(metric: str) -> bool:
    return metric_table().running_total(metric)


def check_falling(by_key: dict[tuple, dict[dt.date, list[Row]]], corrected: dict[str, list[str]]) -> list[Finding]:
    """A running total of one claimant that goes down from one of its dates to the next; `corrected` holds the
    reasons of the corrections recorded against each claim by the basis position."""
    out: list[Finding] = []
    for key, dates in by_key.items():
        metric, party, region, shape = key
        if shape != "level" or not _is_running_total(metric):
            continue
        by_claimant: dict[str | None, dict[dt.date, list[Row]]] = {}
        for date, rows in dates.items():
            for r in rows:
                by_claimant.setdefault(r.claimant, {}).setdefault(date, []).append(r)
        for claimant, series in by_claimant.items():
            days = sorted(series)
            for d0, d1 in zip(days, days[1:]):
                before, after = series[d0], series[d1]
                high_after = max(r.value for r in after)
                low_before = min(r.value for r in before)
                if high_after >= low_before:
                    continue
                a = max(after, key=lambda r: (r.value, r.claim_id))
                b = min(before, key=lambda r: (r.value, r.claim_id))
                reasons = sorted({why for r in (*before, *after) for why in corrected.get(r.claim_id, [])})
                out.append(_fall(metric, party, region, claimant, d0, d1, b, a, reasons))
    return out


def _fall(metric: str, party: str, region: str | None, claimant: str | None, d0: dt.date, d1: dt.date, b: Any,
          a: Any, reasons: Sequence[str]) -> Finding:
    """The finding of a running total that falls from `b` (the lowest figure on d0) to `a` (the highest on d1);
    `reasons` are those of the corrections recorded against the claims of either date."""
    return _falling(metric, party, region, _name(metric, party, region), claimant or "an unnamed claimant",
                    d1, d0.isoformat(), d1.isoformat(), b, a, reasons)


def _falling(metric: str, party: str, region: str | None, name: str, who: str, d1: dt.date, iso0: str, iso1: str,
             b: Any, a: Any, reasons: Sequence[str]) -> Finding:
    """_fall with the series' name, the claimant's and the two dates' text given: at scale they are made once."""
    if reasons:
        severity, verdict = "warning", f"; explained by a correction: {reasons[0]}"
    elif (a.value == b.value if a.qualifier == "exact" and b.qualifier == "exact" else _overlap(_b(a), _b(b))):
        severity, verdict = _WITHIN
    else:
        severity, verdict = _UNEXPLAINED
    return Finding("falling-total", severity, metric, party, region, d1, _pair(a.claim_id, b.claim_id),
                   _fall_text(name, who, figure(b.value, b.qualifier), iso0, figure(a.value, a.qualifier), iso1,
                              a.value - b.value, verdict))


_WITHIN = ("info", ", within the hedging of both figures")
_UNEXPLAINED = ("error", ", and no correction explains it")


def _fall_text(name: str, who: str, fig0: str, iso0: str, fig1: str, iso1: str, drop: Any, verdict: str) -> str:
    """A fall's message, made in one piece (a quarter of a million of them at 1M claims of random figures)."""
    return (f"{name}: {who}'s running total falls from {fig0} on {iso0} to {fig1} on {iso1} ({fmt_number(drop)})"
            f"{verdict}")


def _pair(x: str, y: str) -> tuple[str, ...]:
    """Two claim ids in order, one when they are the same."""
    return (x, y) if x < y else (y, x) if y < x else (x,)


def check_shares(rows: Sequence[Row], derived: Iterable[Any]) -> list[Finding]:
    """A reported share lost against the share the peak and current levels imply."""
    implied = [d for d in derived if d.metric == "area.lost.share"]
    out: list[Finding] = []
    for r in sorted(rows, key=lambda r: r.claim_id):
        if r.metric != "area.lost.share" or r.shape != "level":
            continue
        for d in implied:
            if (d.party, d.region) != (r.party, r.region):
                continue
            peak, current = d.inputs
            formula = f"1 - {fmt_number(current.value)}/{fmt_number(peak.value)} = {fmt_number(d.value)}%"
            when = "" if d.valid == r.valid else f" on {r.valid.isoformat()}"
            at = "" if d.valid == r.valid else f" on {d.valid.isoformat()}"
            head = f"{_fig(r)}% lost{when} (reported) vs {formula}{at} (implied)"
            claims = tuple(sorted({r.claim_id, *d.claims}))
            if _inside(d.value, _b(r)):
                out.append(Finding("share", "info", r.metric, r.party, r.region, r.valid, claims,
                                   f"{head}: consistent"))
            else:
                near = "their intervals overlap" if _overlap(_b(r), bounds(d.value, d.qualifier, d.low, d.high)) \
                    else "their intervals do not overlap"
                out.append(Finding("share", "warning", r.metric, r.party, r.region, r.valid, claims,
                                   f"{head}: a tension ({near})"))
    return out


def check_competing(by_key: dict[tuple, dict[dt.date, list[Row]]]) -> list[Finding]:
    """Claims of one series and date whose intervals cannot both hold."""
    out: list[Finding] = []
    for key, dates in by_key.items():
        metric, party, region, _ = key
        for date, rows in dates.items():
            if len(rows) < 2:  # one claim: no two figures to compare
                continue
            figures = _figures(rows)
            for f1, f2 in itertools.combinations(figures, 2):
                a, b = f1[0], f2[0]
                if a.unit != b.unit or _overlap(_b(a), _b(b)):
                    continue
                who = lambda r: r.claimant or r.source or "unnamed"  # noqa: E731
                out.append(Finding(
                    "competing", "warning", metric, party, region, date, _ids((*f1, *f2)),
                    f"{_name(metric, party, region)} on {date.isoformat()}: {_fig(a)} ({who(a)}) and {_fig(b)} "
                    f"({who(b)}) do not overlap",
                ))
    return out


def check_future(rows: Sequence[Row]) -> list[Finding]:
    """A level dated after the publication of the article that reports it: a plan read as a fact, or a misdated claim."""
    out: list[Finding] = []
    for r in rows:
        if r.shape != "level" or r.report is None or r.valid is None or r.valid <= r.report:
            continue
        days = (r.valid - r.report).days
        head = (f"{_name(r.metric, r.party, r.region)} {_fig(r)} is dated {r.valid.isoformat()}, {days} day"
                f"{'' if days == 1 else 's'} after {r.source or 'its source'} was published ({r.report.isoformat()})")
        if r.modality == "planned" or r.metric.endswith(".planned"):
            out.append(Finding("future-level", "info", r.metric, r.party, r.region, r.valid, (r.claim_id,),
                               f"{head}: a plan, recorded as one"))
        else:
            out.append(Finding("future-level", "error", r.metric, r.party, r.region, r.valid, (r.claim_id,),
                               f"{head}: a plan read as a fact, or a misdated claim"))
    return out


def check_daily(by_key: dict[tuple, dict[dt.date, list[Row]]]) -> list[Finding]:
    """A count over a window against the running totals at the window's two ends."""
    out: list[Finding] = []
    for key, dates in by_key.items():
        metric, party, region, shape = key
        if shape != "window" or not _is_running_total(metric):
            continue
        totals = by_key.get((metric, party, region, "level"), {})
        for rows in dates.values():
            for w in sorted(rows, key=lambda r: r.claim_id):
                start, end = w.period_start, w.period_end
                if start is None or end is None or start >= end or start not in totals or end not in totals:
                    continue
                for t0, t1 in itertools.islice(itertools.product(_figures(totals[start]), _figures(totals[end])),
                                               MAX_COMBINATIONS):
                    a, b = t0[0], t1[0]
                    diff = b.value - a.value
                    claims = _ids((w, *t0, *t1))
                    head = (f"{_name(metric, party, region)}: {_fig(w)} over {start.isoformat()}..{end.isoformat()} "
                            f"vs running totals {fmt_number(b.value)} - {fmt_number(a.value)} = {fmt_number(diff)}")
                    if _inside(diff, _b(w)):
                        verdict, severity = ("holds" if diff == w.value else "consistent"), "info"
                    else:
                        verdict, severity = f"disagrees by {fmt_number(w.value - diff)}", "warning"
                    out.append(Finding("daily-count", severity, metric, party, region, end, claims,
                                       f"{head}: {verdict}"))
    return out


def check_quotes(quoted: Iterable[tuple[Row, str, tuple[int, int], str, str]]) -> list[Finding]:
    """Evidence whose recorded quote is not the article text at its recorded span; `quoted` holds each claim read
    from an article span (not a correction's replacement) as (row, quote, span, article file, article text)."""
    out: list[Finding] = []
    for r, quote, (s, t), file, text in quoted:
        if quote_at(text, (s, t), quote):
            continue
        out.append(Finding("quote", "error", r.metric, r.party, r.region, r.valid, (r.claim_id,),
                           f"{_name(r.metric, r.party, r.region)} {_fig(r)}: the quote {quote!r} is not the text of "
                           f"{file} at [{s}, {t})"))
    return out


def _ledger_quotes(entries: Sequence[ClaimEntry], ledger: Ledger) -> Iterator[tuple[Row, str, tuple[int, int], str, str]]:
    for e in entries:
        ev = e.evidence
        art = ledger.articles.get(e.row.article_id) if e.row.article_id else None
        if ev is None or ev.span is None or art is None or e.replaces is not None:
            continue
        yield e.row, ev.quote, ev.span, art.article.file, art.article.text


def run_checks(prov: Provenance) -> Report:
    """Every check over the claims a Provenance's basis admits up to its date (the log's ledger: the reference)."""
    basis = prov.basis
    entries = [e for e in prov.ledger.admitted(basis) if e.row.valid is not None and e.row.valid <= basis.as_of]
    entries.sort(key=lambda e: e.claim_id)
    corrected: dict[str, list[str]] = {}
    for c in prov.ledger.corrections:
        if c.position <= basis.position:
            corrected.setdefault(c.claim_id, []).append(c.reason)
    return checks_of(basis, [e.row for e in entries], corrected, prov.derived,
                     check_quotes(_ledger_quotes(entries, prov.ledger)))


def checks_of(basis: Basis, rows: Sequence[Row], corrected: dict[str, list[str]], derived: Sequence[Any],
              quote_findings: Sequence[Finding]) -> Report:
    """Every check over `rows` (the claims the basis admits up to its date, by claim id), whether they come from
    the log's ledger (run_checks) or from the read model (Timeline.check): one set of rules for both. The quote
    findings come in computed (check_quotes), as the read model streams the quotes rather than keep them."""
    by_key = _index(rows)
    findings = (
        check_components(by_key) + check_falling(by_key, corrected) + check_shares(rows, derived)
        + check_competing(by_key) + check_future(rows) + check_daily(by_key) + list(quote_findings)
    )
    return report_of(basis, findings)


def report_of(basis: Basis, findings: Iterable[Finding]) -> Report:
    """The Report of these findings: one line per thing found (the same message from two equal figures is one
    finding, with the claims of both), most severe first."""
    merged: dict[tuple, Finding] = {}
    for f in findings:
        k = (f.check, f.severity, f.metric, f.party, f.region, f.message)
        prior = merged.get(k)
        merged[k] = f if prior is None else evolve(prior, claims=tuple(sorted(set(prior.claims) | set(f.claims))))
    orders: dict[tuple, tuple] = {}

    def order(f: Finding) -> tuple:
        s = (f.metric, f.party, f.region)
        o = orders.get(s)
        if o is None:
            o = orders[s] = series_order((f.metric, f.party, f.region, "level"))
        return (SEVERITIES.index(f.severity), CHECKS.index(f.check), o, f.date or dt.date.min, f.message, f.claims)

    return Report(basis, tuple(sorted(merged.values(), key=order)))


class _Fig(NamedTuple):
    """What a falling-total finding reads of a claim."""

    claim_id: str
    value: Any
    qualifier: str
    low: Any
    high: Any


def _families() -> Callable[[str], bool]:
    """Whether a metric takes part in the components check (a total, a part, an open set's total or part) or is
    a reported share (the share check)."""
    closed = set(COMPONENTS) | {p for parts in COMPONENTS.values() for p in parts} | set(PARTIAL_COMPONENTS)
    prefixes = tuple(PARTIAL_COMPONENTS.values())
    return lambda m: m in closed or m.startswith(prefixes) or m == "area.lost.share"


def window_series(keys: dict[int, tuple]) -> set[int]:
    """The series of counts over a window of a running total: checks_at_scale reads them first."""
    table = metric_table()
    return {sid for sid, k in keys.items() if k[3] == "window" and table.running_total(k[0])}


def _matched(keys: dict[int, tuple], family: dict[int, dict[int, Any]]) -> list[int]:
    """Of the claims of the components' and shares' series (by series id, then date: a position, or a list of
    them), those the components check can bring together (a total and a part at one date), and every reported
    share."""
    sid_of = {k: sid for sid, k in keys.items()}
    levels: dict[tuple, list[str]] = {}  # (party, region) -> the metrics with a level series there
    out: list[int] = []
    for sid in family:
        metric, party, region, shape = keys[sid]
        if metric == "area.lost.share":
            for positions in family[sid].values():
                out.extend(positions if isinstance(positions, list) else (positions,))
        if shape == "level":
            levels.setdefault((party, region), []).append(metric)
    families = [(t, parts) for t, parts in COMPONENTS.items()]
    families += [(t, tuple(m for ms in levels.values() for m in ms if m.startswith(prefix)))
                 for t, prefix in PARTIAL_COMPONENTS.items()]
    taken: set[tuple[int, int]] = set()
    for (party, region), metrics in levels.items():
        for total, parts in families:
            t = sid_of.get((total, party, region, "level"))
            if t is None or t not in family:
                continue
            for part in parts:
                s = sid_of.get((part, party, region, "level"))
                if s is None or s not in family:
                    continue
                for day in family[t].keys() & family[s].keys():
                    taken.add((t, day))
                    taken.add((s, day))
    for sid, day in taken:
        positions = family[sid][day]
        out.extend(positions if isinstance(positions, list) else (positions,))
    return out


# The columns of a row of checked_rows (projections.readmodel), read by index in the pass: 0 series id, 1 log
# position, 2 valid date (a day ordinal), 3 value, 4 profile id, 5 flags (1: the quote is to be read again; 2:
# dated after its report), and in the series of counts over a window only, START: the start of the window. The
# id and bounds of a claim are read only for the claims a fall names.
START = 6


def _ends(ends: set[tuple], core: tuple, group: Sequence[tuple], valid: int) -> None:
    """The dates at the two ends of these counts over a window (start, and the valid date: the end)."""
    for r in group:
        if r[START] is not None:
            ends.add((*core, r[START]))
    ends.add((*core, valid))


@frozen
class _Scan:
    """What one pass over the ordered rows keeps: the positions of the claims each check reads whole, and the
    falls of the running totals as (series id, claimant, d0, d1, rows of d0, rows of d1, highest of d1, lowest
    of d0)."""

    family: dict[int, dict[int, Any]]
    competing_at: list[int]
    future_at: list[int]
    daily_at: list[int]
    again_at: list[int]
    falls: list[tuple]


_END = (None,) * 7


def _scan(rows: Iterable[tuple], keys: dict[int, tuple], running: set[int], windows: set[int], other: set[int],
          who: dict[int, Any]) -> _Scan:
    """One pass over rows ordered by series and valid date. Most dates of most series hold one claim, so a date's
    rows are gathered as they come and a date of one row takes the short way; the code stays inline, as it runs
    once a claim."""
    family: dict[int, dict[int, Any]] = {}
    competing_at: list[int] = []
    future_at: list[int] = []
    daily_at: list[int] = []
    again_at: list[int] = []
    ends: set[tuple] = set()  # (metric, party, region, day) at either end of a window count
    falls: list[tuple] = []
    current = None
    last: dict[Any, tuple] = {}  # the claimant's latest date in the series and its rows
    dates: dict[int, Any] = {}
    core: tuple = ()
    is_running = is_window = is_family = level = False
    g: list[tuple] = []  # the rows of one series at one date
    gs = gv = None
    for r in itertools.chain(rows, (_END,)):
        if r[2] == gv and r[0] == gs:
            g.append(r)
            continue
        if g:
            sid, valid = gs, gv
            if sid != current:
                current, last = sid, {}
                key = keys[sid]
                is_running, is_window, is_family = sid in running, sid in windows, sid in other
                level = key[3] == "level"
                core = key[:3]
                if is_family:
                    dates = family[sid] = {}
            if len(g) == 1:
                one = g[0]
                if one[5]:
                    if one[5] & 1:
                        again_at.append(one[1])
                    if one[5] & 2 and level:
                        future_at.append(one[1])
                if is_family:
                    dates[valid] = one[1]
                if is_window:
                    daily_at.append(one[1])
                    _ends(ends, core, g, valid)
                if is_running:
                    if ends and (*core, valid) in ends:
                        daily_at.append(one[1])
                    claimant = who[one[4]]
                    prior = last.get(claimant)
                    last[claimant] = (valid, g)
                    if prior is not None:
                        before = prior[1]
                        low = before[0][3] if len(before) == 1 else min(x[3] for x in before)
                        if one[3] < low:
                            falls.append((sid, claimant, prior[0], valid, before, g, one[3], low))
            else:
                _date(g, sid, valid, core, level, is_running, is_window, dates if is_family else None, who, last,
                      ends, competing_at, future_at, daily_at, again_at, falls)
        g = [r]
        gs, gv = r[0], r[2]
    return _Scan(family, competing_at, future_at, daily_at, again_at, falls)


def _date(g: list[tuple], sid: int, valid: int, core: tuple, level: bool, is_running: bool, is_window: bool,
          dates: dict[int, Any] | None, who: dict[int, Any], last: dict[Any, tuple], ends: set[tuple],
          competing_at: list[int], future_at: list[int], daily_at: list[int], again_at: list[int],
          falls: list[tuple]) -> None:
    """_scan's work on a date with two claims or more in one series."""
    competing_at.extend(r[1] for r in g)
    for r in g:
        if r[5] & 1:
            again_at.append(r[1])
        if r[5] & 2 and level:
            future_at.append(r[1])
    if dates is not None:
        dates[valid] = [r[1] for r in g]
    if is_window:
        daily_at.extend(r[1] for r in g)
        _ends(ends, core, g, valid)
    if not is_running:
        return
    if ends and (*core, valid) in ends:
        daily_at.extend(r[1] for r in g)
    split: dict[Any, list] = {}
    for r in g:
        split.setdefault(who[r[4]], []).append(r)
    for claimant, after in split.items():
        prior = last.get(claimant)
        last[claimant] = (valid, after)
        if prior is None:
            continue
        before = prior[1]
        high = max(r[3] for r in after)
        low = min(r[3] for r in before)
        if high < low:
            falls.append((sid, claimant, prior[0], valid, before, after, high, low))


def checks_at_scale(basis: Basis, keys: dict[int, tuple], profile: dict[int, tuple], rows: Iterable[tuple],
                    followed: Sequence[tuple[Any, bool]], rows_at: Callable[[Collection[int]], dict[int, Any]],
                    ids_at: Callable[[Collection[int]], dict[int, str]],
                    bounds_at: Callable[[Collection[int]], dict[int, tuple]], corrected_at: dict[int, list[str]],
                    derived: Sequence[Any],
                    quotes: Callable[[dict[int, Row]], Sequence[Finding]]) -> Report:
    """checks_of's report, from the read tables' rows (projections.readmodel.checked_rows: the columns 0 to
    START) in one pass by series and valid date, reading whole only the claims a check needs: the running
    totals' falls are found on the rows as they come (the rows of the two dates of a fall are all that is kept,
    and the ids and bounds of the two claims it names are read after), and the other checks run as checks_of
    runs them over the claims that can take part in them (the series of components and shares, the dates with
    two claims or more, levels dated after their report, counts over a window and the totals at their ends,
    quotes to read again). `rows` come with the series of window_series first (the ends of the windows are
    known before the totals go by); `followed` are the claims of corrected articles (ClaimRow, whether to read
    the quote again); `rows_at` reads claims by position, `ids_at` their ids, `bounds_at` their (low, high); `corrected_at`
    holds the reasons of the corrections recorded by the basis position, by the position of the claim they
    correct; `quotes` gives the quote findings of the claims to read again (Row by position)."""
    table = metric_table()
    family = _families()
    sid_of = {k: sid for sid, k in keys.items()}
    running = {sid for sid, k in keys.items() if k[3] == "level" and table.running_total(k[0])}
    windows = window_series(keys)
    other = {sid for sid, k in keys.items() if family(k[0])}
    whole: dict[int, Any] = {}  # the followed claims, by position
    if followed:
        prof = dict(profile)
        extra = []
        for i, (c, again) in enumerate(followed):
            pid = -1 - i  # a profile of its own: the outlet follows the article
            prof[pid] = (c.qualifier, c.unit, c.claimant, c.outlet, c.modality, c.rule)
            whole[c.position] = c
            late = 2 if c.report is not None and c.valid > c.report else 0
            extra.append((sid_of[(c.metric, c.party, c.region, c.shape)], c.position, c.valid, c.value, pid,
                          int(again) | late, c.period_start))
        rank = lambda r: (r[0] not in windows, r[0], r[2])  # noqa: E731
        rows = heapq.merge(rows, sorted(extra, key=rank), key=rank)
        profile = prof
    who = {pid: p[2] for pid, p in profile.items()}  # the claimant of each profile
    with gc_paused():
        return _report(basis, keys, profile, rows, whole, running, windows, other, who, rows_at, ids_at,
                       bounds_at, corrected_at, derived, quotes)


def _report(basis: Basis, keys: dict[int, tuple], profile: dict[int, tuple], rows: Iterable[tuple],
            whole: dict[int, Any], running: set[int], windows: set[int], other: set[int], who: dict[int, Any],
            rows_at: Callable[[Collection[int]], dict[int, Any]], ids_at: Callable[[Collection[int]], dict[int, str]],
            bounds_at: Callable[[Collection[int]], dict[int, tuple]], corrected_at: dict[int, list[str]], derived: Sequence[Any],
            quotes: Callable[[dict[int, Row]], Sequence[Finding]]) -> Report:
    """checks_at_scale's pass and findings."""
    scan = _scan(rows, keys, running, windows, other, who)
    family_at = _matched(keys, scan.family)
    keep: set[int] = set()  # the claims read whole
    for group in (family_at, scan.competing_at, scan.future_at, scan.daily_at, scan.again_at):
        keep.update(group)
    read = {p: Row.of(c, None) for p, c in rows_at(keep - whole.keys()).items()}
    read.update((p, Row.of(c, None)) for p, c in whole.items() if p in keep)
    found = _falls(scan.falls, keys, profile, whole, ids_at, bounds_at, corrected_at)

    def rows_of(positions: Iterable[int]) -> list[Row]:
        return sorted({read[p] for p in positions}, key=attrgetter("claim_id"))

    fam = rows_of(family_at)
    findings = (check_components(_index(fam)) + found + check_shares(fam, derived)
                + check_competing(_index(rows_of(scan.competing_at))) + check_future(rows_of(scan.future_at))
                + check_daily(_index(rows_of(scan.daily_at))) + list(quotes({p: read[p] for p in scan.again_at})))
    return report_of(basis, findings)


def _falls(falls: Sequence[tuple], keys: dict[int, tuple], profile: dict[int, tuple], whole: dict[int, Any],
           ids_at: Callable[[Collection[int]], dict[int, str]], bounds_at: Callable[[Collection[int]], dict[int, tuple]],
           corrected_at: dict[int, list[str]]) -> list[Finding]:
    """The findings of the falls _scan found: each names the highest figure after and the lowest before (by id
    among equal figures), whose ids are read here, for these claims only, and their bounds for those hedged (an
    exact figure is its own bounds)."""
    qualifier = {pid: p[0] for pid, p in profile.items()}
    exact = {pid for pid, q in qualifier.items() if q == "exact"}
    named = [(after if len(after) == 1 else [r for r in after if r[3] == high],
              before if len(before) == 1 else [r for r in before if r[3] == low])
             for _, _, _, _, before, after, high, low in falls]  # (tops, bottoms)
    rows = [r for tops, bottoms in named for r in (*tops, *bottoms)]
    want = {r[1] for r in rows}
    hedged = {r[1] for r in rows if r[4] not in exact}
    del rows
    ids = ids_at(want - whole.keys())
    ids.update((p, c.claim_id) for p, c in whole.items())
    spans = bounds_at(hedged - whole.keys())
    spans.update((p, (c.low, c.high)) for p, c in whole.items())
    new = tuple.__new__
    unbounded = (None, None)

    def fig(r: tuple) -> _Fig:
        p = r[1]
        s = spans.get(p, unbounded)
        return new(_Fig, (ids[p], r[3], qualifier[r[4]], s[0], s[1]))

    date = _DATES
    names: dict[int, tuple] = {}  # each series' key and name
    found: list[Finding] = []
    for (sid, claimant, d0, d1, before, after, _, _), (tops, bottoms) in zip(falls, named):
        named_as = names.get(sid)
        if named_as is None:
            metric, party, region, _ = keys[sid]
            named_as = names[sid] = (metric, party, region, _name(metric, party, region))
        metric, party, region, name = named_as
        who = claimant or "an unnamed claimant"
        if len(tops) == 1 and len(bottoms) == 1 and tops[0][4] in exact and bottoms[0][4] in exact \
                and not corrected_at:
            # The common case, _falling's finding made from the two rows: an exact figure is its own text, and a
            # fall between two exact figures (the later lower) is within no hedging.
            top, bottom = tops[0], bottoms[0]
            found.append(Finding("falling-total", _UNEXPLAINED[0], metric, party, region, date[d1],
                                 _pair(ids[top[1]], ids[bottom[1]]),
                                 _fall_text(name, who, fmt_number(bottom[3]), _ISO[d0], fmt_number(top[3]), _ISO[d1],
                                            top[3] - bottom[3], _UNEXPLAINED[1])))
            continue
        a = fig(tops[0]) if len(tops) == 1 else max(map(fig, tops), key=lambda f: (f.value, f.claim_id))
        b = fig(bottoms[0]) if len(bottoms) == 1 else min(map(fig, bottoms), key=lambda f: (f.value, f.claim_id))
        reasons: list[str] = []
        if corrected_at:
            reasons = sorted({why for r in (*before, *after) for why in corrected_at.get(r[1], [])})
        found.append(_falling(metric, party, region, name, who, date[d1], _ISO[d0], _ISO[d1], b, a, reasons))
    return found


__all__ = ["CHECKS", "Finding", "Report", "SEVERITIES", "checks_at_scale", "checks_of", "report_of", "run_checks",
           "window_series"]
