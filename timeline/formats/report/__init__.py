"""The offline HTML report: a static site that opens from disk, with no server and no network.

Pages (Jinja2 templates in `templates/`, autoescaped): an index with the
state as of D by section, each value linking to its series' page; a page per
series with its chart (inline SVG), its history and, for each claim, the
quoted sentence in its paragraph with the figure marked, the article's
outlet, date and URL, the claims it competed with and why they lost, and its
corrections and retractions; a diff page between D0 and D; a page of `check`
findings; a search page. Search runs in plain JavaScript over the claims,
written beside the pages as claims.json and, for browsers that refuse to
read files next to a page opened from disk, as claims.js (the same JSON in
one assignment). Article text, titles, outlets and URLs are anyone's text:
everything is escaped, control characters are shown as U+FFFD, and only
http(s) URLs become links.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from attrs import frozen
from markupsafe import Markup

from projections.history import History, HistoryRow, groups
from projections.series import SECTIONS, SeriesKey
from timeline.errors import TimelineError
from timeline.formats.explain import REVIEW_WORDS
from timeline.formats.text import figure, fmt_number
from timeline.outfile import log_files

ASSETS = ("report.css", "search.js")
MARKER = ".timeline-report"  # written into every report: a folder without it is no report to replace
PAGES = ("index.html", "diff.html", "checks.html", "search.html", "claims.json", "claims.js", MARKER)
DEFAULT_SPAN = 30  # days between D0 and D when --from is not given
CONTEXT_CHARS = 700  # of a long paragraph, this much on each side of the quoted sentence
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@frozen
class Built:
    """What `build` wrote."""

    path: Path
    as_of: dt.date
    since: dt.date
    pages: int
    series: int
    claims: int
    values: int

    def to_data(self) -> dict[str, Any]:
        return {"report": str(self.path), "as_of": self.as_of.isoformat(), "from": self.since.isoformat(),
                "pages": self.pages, "series": self.series, "claims": self.claims, "values": self.values}


def clean(text: str | None) -> str:
    """Text as it may appear in a page: control characters (but newline and tab) as U+FFFD."""
    return "" if text is None else _CONTROL.sub("\ufffd", text)


def safe_url(url: str | None) -> str | None:
    """The URL when it is http(s); anything else (javascript:, data:, relative) is not made a link."""
    if not url:
        return None
    u = clean(url).strip()
    return u if re.match(r"https?://", u, re.I) and not re.search(r"\s", u) else None


def slug(key: SeriesKey) -> str:
    metric, party, region, shape = key
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{metric}_{party}_{region or 'none'}_{shape}").strip("-")[:80]
    digest = hashlib.sha1(json.dumps(list(key)).encode()).hexdigest()[:6]
    return f"{base}-{digest}"


def highlight(text: str, start: int, end: int) -> Markup:
    """The paragraph around text[start:end] with its sentence marked and the figure in <mark>."""
    from timeline.explain import sentence_at

    p0 = text.rfind("\n\n", 0, start)
    p0 = 0 if p0 < 0 else p0 + 2
    p1 = text.find("\n\n", end)
    p1 = len(text) if p1 < 0 else p1
    s0, s1 = sentence_at(text, start, end)
    s0, s1 = max(s0, p0), min(max(s1, end), p1)
    p0, p1 = max(p0, s0 - CONTEXT_CHARS), min(p1, s1 + CONTEXT_CHARS)
    before = ("… " if p0 > 0 and text[p0 - 1] not in "\n" else "") + text[p0:s0]
    return Markup(f'{h(before)}<span class="sentence">{h(text[s0:start])}<mark>{h(text[start:end])}</mark>'
                  f'{h(text[end:s1])}</span>{h(text[s1:p1])}')


def mark_figure(quote: str, value: Any) -> Markup:
    """A dataset row's quote with the figure in <mark> (the first place the number appears, else all of it)."""
    for form in (fmt_number(value), fmt_number(value).replace(",", ""), str(value)):
        i = quote.find(form) if form else -1
        if i >= 0:
            return Markup(f"{h(quote[:i])}<mark>{h(form)}</mark>{h(quote[i + len(form):])}")
    return Markup(f"<mark>{h(quote)}</mark>")


def _when(r: HistoryRow) -> str:
    if r.valid is None:
        return "undated"
    if r.shape == "window":
        return f"{r.period_start.isoformat() if r.period_start else '?'}..{r.valid.isoformat()}"
    return r.valid.isoformat()


def _range(low: Any, high: Any, value: Any) -> str | None:
    if (low is None and high is None) or low == high == value:
        return None
    return f"{fmt_number(low) or '?'}..{fmt_number(high) or '?'}"


def _value_view(v: Any, pages: dict[SeriesKey, str]) -> dict[str, Any]:
    derived = bool(getattr(v, "derived", False))
    return {
        "metric": v.metric, "party": v.party, "region": v.region, "shape": v.shape,
        "value": v.value, "qualifier": v.qualifier, "figure": figure(v.value, v.qualifier),
        "range": _range(v.low, v.high, v.value), "unit": v.unit,
        "valid": v.valid.isoformat() if v.period is None else
        f"{v.period[0].isoformat() if v.period[0] else '?'}..{v.period[1].isoformat()}",
        "valid_iso": v.valid.isoformat(), "stale": v.staleness_days,
        "claimant": None if derived else v.claimant, "formula": getattr(v, "formula", None),
        "outlet": v.outlet, "sources": len(v.articles), "claim": v.claims[0] if v.claims else "",
        "claims": list(v.claims), "derived": derived, "page": pages.get(v.key),
        "competing": [{"claim": c.claim_id, "figure": figure(c.value, c.qualifier)} for c in v.competing],
        "inputs": [{"figure": figure(i.value, i.qualifier), "metric": i.metric, "party": i.party,
                    "region": i.region, "valid": i.valid.isoformat(), "page": pages.get(i.key)}
                   for i in getattr(v, "inputs", ())],
        "adjustments": [{"id": a.correction_id, "adjustment": a.adjustment, "reason": a.reason}
                        for a in v.adjustments],
    }


def _evidence(tl: Any, rows: Sequence[HistoryRow]) -> dict[int, tuple]:
    """Position -> (quote, span start, span end, article id, dataset JSON) for every claim shown."""
    return tl.read_model.evidence([r.position for r in rows])


def _articles(tl: Any, ids: Iterable[str]) -> dict[str, Any]:
    """The articles by id, with their metadata as corrected by the head of the log (projections.metadata)."""
    from attrs import evolve

    found = {}
    corrected = tl.read_model.corrected_articles(tl.store.head())
    for aid in ids:
        p = tl.store.position_of(aid)
        if p is None:
            continue
        for rec in tl.store.read(p, p):
            if rec.type == "ArticleIngested":
                art = rec.event
                m = corrected.get(aid)
                if m is not None:
                    art = evolve(art, outlet=m.outlet, title=m.title, url=m.url, published=m.published,
                                 published_origin=m.published_origin or "unknown")
                found[aid] = art
    return found


def _claim_view(r: HistoryRow, ev: tuple | None, articles: dict[str, Any], by_id: dict[str, HistoryRow],
                replaced: dict[str, HistoryRow]) -> dict[str, Any]:
    quote_html: Markup | None = None
    article = None
    dataset = None
    target = r if ev is not None else replaced.get(r.replaces or "")
    if ev is not None:
        quote, s, t, aid, ds = ev
        a = articles.get(aid) if aid else None
        if a is not None and s is not None and t is not None and 0 <= s <= t <= len(a.text):
            quote_html = highlight(a.text, s, t)
        elif quote:
            quote_html = mark_figure(quote, r.value)
        if a is not None:
            article = {"file": a.file, "title": a.title, "outlet": a.outlet, "url": safe_url(a.url),
                       "url_text": a.url, "published": a.published.isoformat() if a.published else None}
        if ds:
            d = json.loads(ds)
            dataset = {"file": d.get("file"), "row": d.get("row"), "column": d.get("column"),
                       "repository": safe_url(d.get("repository")), "repository_text": d.get("repository"),
                       "commit": d.get("commit")}
    elif target is not None and target is not r:
        quote_html = Markup(f"(a correction of {h(target.claim_id[:12])}; its evidence is that claim's)")
    return {
        "id": r.claim_id, "short": r.claim_id[:10], "when": _when(r), "figure": figure(r.value, r.qualifier),
        "range": _range(r.low, r.high, r.value), "unit": r.unit, "claimant": r.claimant,
        "outlet": r.outlet or (article or {}).get("outlet"), "report": r.report.isoformat() if r.report else None,
        "chosen": r.chosen, "lost_by": r.lost_by, "status": r.status, "rule": r.rule,
        "competing": [{"id": c, "short": c[:10], "figure": figure(by_id[c].value, by_id[c].qualifier)
                       if c in by_id else c[:10]} for c in r.competing],
        "replaces": r.replaces, "replaced_by": r.replaced_by,
        "amendments": [{"kind": a.kind, "reason": a.reason, "position": a.position, "adjustment": a.adjustment,
                        "replacement": a.replacement} for a in r.amendments],
        "quote_html": quote_html, "article": article, "dataset": dataset,
        "quote_text": clean((ev or ("",))[0] or ""),
    }


def h(text: Any) -> str:
    """Escaped text for a page (quotes included, control characters as U+FFFD); "" for None."""
    if text is None:
        return ""
    text = str(text)
    if not text.isprintable():
        text = clean(text)
    return html.escape(text, quote=True)


def _status_html(c: dict[str, Any]) -> str:
    if c["chosen"]:
        out = "<strong>chosen</strong>"
    elif c["status"] == "active":
        out = "not chosen" + (f": lost on {h(c['lost_by'])}" if c["lost_by"] else "")
    else:
        out = h(c["status"])
    if c["competing"]:
        out += "<br>competing: " + ", ".join(f'<a href="#claim-{h(o["id"])}">{h(o["figure"])}</a>'
                                             for o in c["competing"])
    if c["replaced_by"]:
        out += f'<br>replaced by <a href="#claim-{h(c["replaced_by"])}">{h(c["replaced_by"][:10])}</a>'
    if c["replaces"]:
        out += f'<br>corrects <a href="#claim-{h(c["replaces"])}">{h(c["replaces"][:10])}</a>'
    for a in c["amendments"]:
        adj = "" if a["adjustment"] is None else f" ({fmt_number(a['adjustment'])})"
        out += f'<br><span class="note">{h(a["kind"])} at position {a["position"]}{h(adj)}: {h(a["reason"])}</span>'
    for r in c.get("reviews", ()):
        note = f": {h(r['note'])}" if r["note"] else ""
        out += (f'<br><span class="review">{h(REVIEW_WORDS.get(r["mark"], r["mark"]))} by {h(r["reviewer"])}, '
                f'{h(r["at"][:16].replace("T", " "))} UTC{note}</span>')
    return out


def _source_html(c: dict[str, Any]) -> str:
    out = ""
    a = c["article"]
    if a is not None:
        out += f'<p class="source">{h(a["outlet"] or "unknown outlet")}, {h(a["published"] or "date unknown")}'
        if a["title"]:
            out += f": “{h(a['title'])}”"
        if a["url"]:
            out += f' · <a href="{h(a["url"])}" rel="noopener noreferrer">{h(a["url_text"])}</a>'
        elif a["url_text"]:
            out += f" · {h(a['url_text'])}"
        out += f" · {h(a['file'])}</p>"
    d = c["dataset"]
    if d is not None:
        out += f'<p class="source">{h(d["file"])}, row {h(d["row"])}, column “{h(d["column"])}”'
        if d["repository"]:
            out += f' · <a href="{h(d["repository"])}" rel="noopener noreferrer">{h(d["repository_text"])}</a>'
        if d["commit"]:
            out += f" @ {h(str(d['commit'])[:10])}"
        out += "</p>"
    return out


def claim_row_html(c: dict[str, Any]) -> Markup:
    """One claim's table row. Written here rather than in the template: a tally's series has a claim a day,
    and a row of f-strings over html.escape is several times quicker than the same row through the
    template engine. Every value from the log passes through h()."""
    cls = h(c["status"]) + (" chosen" if c["chosen"] else "")
    quote = f'<blockquote class="quote">{c["quote_html"]}</blockquote>' if c["quote_html"] else ""
    return Markup(
        f'<tr id="claim-{h(c["id"])}" class="claim {cls}" data-claim="{h(c["id"])}"><td class="date">{h(c["when"])}</td>'
        f'<td class="num">{h(c["figure"])}</td><td>{h(c["range"])}</td><td>{h(c["claimant"] or "-")}</td>'
        f'<td>{h(c["outlet"] or "-")}</td><td class="date">{h(c["report"] or "-")}</td><td>{_status_html(c)}</td>'
        f'<td class="evidence">{quote}{_source_html(c)}<p class="id">claim {h(c["short"])} · rule '
        f'{h(c["rule"] or "-")}</p></td></tr>\n')


def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(loader=PackageLoader("timeline.formats.report", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = fmt_number
    env.filters["clean"] = clean
    return env


def prepare_dir(out: Path, log: Any = None) -> Path:
    """A fresh folder beside `out` to build in; TimelineError when `out` cannot be a report folder."""
    if not str(out).strip():
        raise TimelineError("an empty path names no report folder")
    if out.exists() and not out.is_dir():
        raise TimelineError(f"{out}: exists and is not a folder; give a folder for the report")
    replaceable(out, log)
    parent = out.absolute().parent
    if not parent.is_dir():
        raise TimelineError(f"{out}: folder {parent} does not exist")
    try:
        return Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".part", dir=parent))
    except OSError as err:
        raise TimelineError(f"{out}: cannot write there ({err.strerror or err})") from None


def replaceable(out: Path, log: Any = None) -> None:
    """TimelineError unless `out` is missing, empty or an earlier report (its marker, and nothing but what a
    report writes): replacing a folder deletes what is in it, and what someone else put there must stay.
    The log (`log`, its path) is refused in the folder also by another name, as a hard link."""
    if not out.is_dir():
        return
    logs = log_files(Path(log)) if isinstance(log, (str, os.PathLike)) else []
    if logs and out.resolve() in logs[0].resolve().parents:
        raise TimelineError(f"{out}: holds the log {log}; give another folder for the report")
    if not any(out.iterdir()):
        return
    found = _foreign(out)
    if found is not None:
        raise TimelineError(f"{out}: holds {found}, which no report writes; give a new or empty folder for the report")
    if not (out / MARKER).is_file():
        raise TimelineError(f"{out}: is not empty and is no report (it has no {MARKER}); "
                            "give a new or empty folder for the report")
    ids = {(st.st_dev, st.st_ino) for st in map(_stat, logs) if st is not None}
    if any((st.st_dev, st.st_ino) in ids for st in map(_stat, out.rglob("*")) if st is not None):
        raise TimelineError(f"{out}: holds the log {log}; give another folder for the report")


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.lstat()
    except OSError:
        return None


def _foreign(out: Path) -> str | None:
    """The first entry of `out` (as a path under it) that a report does not write, or None."""
    for entry in sorted(out.iterdir()):
        folder = entry.name in ("series", "assets")
        if entry.is_symlink() or not (entry.is_dir() if folder else entry.name in PAGES and entry.is_file()):
            return entry.name
        for inner in sorted(entry.iterdir()) if folder else ():
            ok = inner.name in ASSETS if entry.name == "assets" else inner.suffix == ".html"
            if inner.is_symlink() or not inner.is_file() or not ok:
                return f"{entry.name}/{inner.name}"
    return None


def build(tl: Any, out: str | os.PathLike, as_of: Any = None, since: Any = None, known_at: Any = None) -> Built:
    """Write the report of the state as of `as_of` (default: the latest valid date in the log) into `out`.

    The site is built in a folder beside `out` and moved into place whole:
    a failure leaves `out` as it was.
    """
    from projections.derive import with_derived
    from timeline.history import as_date

    out = Path(out)
    n = tl.head()  # every page is computed at this log position, whatever is appended meanwhile
    d = as_date(as_of, "as_of")
    d0 = as_date(since, "since")
    if d is not None and d0 is not None and d0 > d:
        raise TimelineError(f"since {d0.isoformat()} is after as_of {d.isoformat()}", param=("since", "as_of"))
    if not tl.read_model.known_values()["metric"]:  # "*" below would match no metric
        raise TimelineError("the log holds no claims: there is nothing to report")
    everything = tl.history("*", known_at=known_at, end=d, position=n)
    if d is None:
        dated = [r.valid for r in everything.rows if r.valid is not None]
        if not dated:
            raise TimelineError("the log holds no dated claims: there is nothing to report")
        d = max(dated)
    if d0 is None:
        d0 = d - dt.timedelta(days=DEFAULT_SPAN)
    elif d0 > d:
        raise TimelineError(f"since {d0.isoformat()} is after as_of {d.isoformat()}", param=("since", "as_of"))
    state = with_derived(tl.asof(d, known_at, n))
    if not state.values:
        raise TimelineError(state.note or f"no claim is dated on or before {d.isoformat()}: the report would be empty")
    log = tl.path if isinstance(tl.path, Path) else None
    work = prepare_dir(out, log)
    checks = _Checks(tl, d, known_at, n)
    try:
        built = _write(tl, work, state, everything, d, d0, known_at, checks)
        replaceable(out, log)  # again: the folder may have changed while the pages were written
        _swap(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return Built(out, d, d0, *built)


def _swap(work: Path, out: Path) -> None:
    """Put the built folder at `out`; an empty folder or an older report there (see `replaceable`) is replaced."""
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.absolute().parent))
        os.replace(out, old / "report")
        os.replace(work, out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(work, out)
    os.chmod(out, 0o755 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class _Checks:
    """`check` at the report's basis, run in a process of its own while the pages are written: it reads the
    whole log, and on a second core it costs the report nothing. Where no process can be started, it runs here."""

    def __init__(self, tl: Any, d: dt.date, known_at: Any, n: int) -> None:
        self.args = (tl, d, known_at, n)
        self.future = None
        self.pool = None
        if isinstance(tl.path, Path) and tl.path.exists():
            try:
                import multiprocessing
                from concurrent.futures import ProcessPoolExecutor

                self.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
                self.future = self.pool.submit(check_data, type(tl), str(tl.path), d, known_at, n)
            except (OSError, ImportError, RuntimeError):
                self.future = None

    def result(self) -> dict[str, Any]:
        try:
            if self.future is not None:
                try:
                    return self.future.result()
                except Exception:  # the process could not run it: ask here, where errors surface as they should
                    pass
            tl, d, known_at, n = self.args
            return _check_of(tl, d, known_at, n)
        finally:
            if self.pool is not None:
                self.pool.shutdown(wait=False, cancel_futures=True)


def check_data(opener: Any, path: str, d: dt.date, known_at: Any, n: int) -> dict[str, Any]:
    """In the check process: `opener` is the Timeline class (passed in, so that this module needs no import
    of the API that calls it)."""
    with opener(path, create=False, index="sql") as tl:
        return _check_of(tl, d, known_at, n)


def _check_of(tl: Any, d: dt.date, known_at: Any, n: int) -> dict[str, Any]:
    report = tl.check(d, known_at, n)
    return {"counts": report.counts(),
            "findings": [_finding(f) for f in report.findings]}


def _write(tl: Any, work: Path, state: Any, everything: History, d: dt.date, d0: dt.date,
           known_at: Any, checks: _Checks) -> tuple[int, int, int, int]:
    from timeline.formats.report.svg import series_svg

    env = _environment()
    by_series = groups(everything)
    keys = list(dict.fromkeys([v.key for v in state.values] + list(by_series)))
    pages = {k: f"series/{slug(k)}.html" for k in keys}
    basis = state.basis.to_data()
    evidence = _evidence(tl, everything.rows)
    articles = _articles(tl, {ev[3] for ev in evidence.values() if ev[3]})
    by_id = {r.claim_id: r for r in everything.rows}
    claim_page = {r.claim_id: pages[r.key] for r in everything.rows}
    marks: dict[str, list[dict[str, Any]]] = {}
    for claim_id, position, mark, reviewer, note, at in tl.read_model.review_marks(list(by_id), basis["position"]):
        marks.setdefault(claim_id, []).append({"mark": mark, "reviewer": reviewer, "note": note, "at": at,
                                               "position": position})
    (work / "series").mkdir()
    (work / "assets").mkdir()
    common = {"basis": basis, "as_of": d.isoformat(), "since": d0.isoformat(),
              "generated_from": f"log position {basis['position']}, known at {basis['known_at']}"}

    values = [_value_view(v, pages) for v in state.values]
    sections = [(name, [v for v, raw in zip(values, state.values) if raw.section == name]) for name in SECTIONS]
    _render(env, "index.html", work / "index.html", root="", sections=[s for s in sections if s[1]],
            count=len(values), **common)

    search_rows = []
    for key in keys:
        rows, steps = by_series.get(key, ([], []))
        views = [_claim_view(r, evidence.get(r.position), articles, by_id, by_id) for r in rows]
        for v in views:
            v["reviews"] = marks.get(v["id"], [])
            v["html"] = claim_row_html(v)
        current = [v for v, raw in zip(values, state.values) if raw.key == key]
        unit = (steps[-1].unit if steps else rows[-1].unit if rows else current[0]["unit"] if current else "")
        chart = series_svg(rows, steps, unit, d) if rows or steps else Markup("")
        metric, party, region, shape = key
        _render(env, "series.html", work / pages[key], root="../", key={"metric": metric, "party": party,
                "region": region, "shape": shape}, current=current, claims=views, chart=chart, unit=unit,
                claim_page=claim_page, page=pages[key], **common)
        for v in views:
            search_rows.append({
                "id": v["id"], "metric": metric, "party": party, "region": region, "shape": shape,
                "valid": v["when"], "figure": v["figure"], "unit": v["unit"], "claimant": clean(v["claimant"]),
                "outlet": clean(v["outlet"]), "report": v["report"], "status": v["status"], "chosen": v["chosen"],
                "quote": v["quote_text"][:300], "page": f"{pages[key]}#claim-{v['id']}",
            })

    diff = tl.diff(d0, d, known_at, state.basis.position)
    changes = []
    for c in diff.changes:
        data = c.to_data()
        changes.append(dict(data, page=pages.get(c.key), before_text=None if c.before is None else
                            figure(c.before.value, c.before.qualifier), after_text=None if c.after is None else
                            figure(c.after.value, c.after.qualifier),
                            change_text=None if data["change"] is None else f"{data['change']:+,}"))
    _render(env, "diff.html", work / "diff.html", root="", changes=changes, **common)

    found = checks.result()
    findings = [dict(f, page=pages.get((f["metric"], f["party"], f["region"], "level")),
                     links=[{"short": c[:10], "page": claim_page.get(c)} for c in f["claims"]])
                for f in found["findings"]]
    _render(env, "checks.html", work / "checks.html", root="", findings=findings, counts=found["counts"], **common)

    _render(env, "search.html", work / "search.html", root="", total=len(search_rows), **common)
    text = json.dumps(search_rows, ensure_ascii=False, separators=(",", ":"))
    (work / "claims.json").write_text(text, encoding="utf-8")
    (work / MARKER).write_text("This folder is a report written by `timeline report`, which replaces it whole.\n",
                               encoding="utf-8")
    (work / "claims.js").write_text("window.TIMELINE_CLAIMS = " + text + ";\n", encoding="utf-8")
    here = Path(__file__).parent / "assets"
    for name in ASSETS:
        shutil.copyfile(here / name, work / "assets" / name)
    return len(keys) + 4, len(keys), len(everything.rows), len(values)


def _finding(f: Any) -> dict[str, Any]:
    return {"check": f.check, "severity": f.severity, "metric": f.metric, "party": f.party, "region": f.region,
            "date": f.date.isoformat() if f.date else None, "claims": list(f.claims), "message": f.message}


def _render(env: Any, template: str, path: Path, **context: Any) -> None:
    path.write_text(env.get_template(template).render(**context), encoding="utf-8")


__all__ = ["Built", "build", "claim_row_html", "clean", "h", "highlight", "mark_figure", "safe_url", "slug"]
