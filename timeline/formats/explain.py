"""An explanation tree (timeline.explain) as indented text, basis first."""

from __future__ import annotations

from typing import Any

from timeline.formats.text import QUALIFIER_WORDS, fmt_number

REVIEW_WORDS = {"confirmed": "confirmed", "rejected": "rejected", "asserted": "entered",
                "corrected": "correction written"}


def _figure(value: Any, qualifier: str, unit: str) -> str:
    return f"{QUALIFIER_WORDS.get(qualifier, qualifier + ' ')}{fmt_number(value)} {unit}"


def _claim_lines(c: dict[str, Any], indent: str) -> list[str]:
    if c.get("missing"):
        return [f"{indent}claim {c['id'][:12]}: not in the log at this position"]
    when = c["valid"] if c["period"] is None else f"{c['period']['start'] or '?'}..{c['period']['end']}"
    lines = [f"{indent}claim {c['id'][:12]}: {_figure(c['value'], c['qualifier'], c['unit'])} @ {when}"
             + (" [retracted]" if c["retracted"] else "")
             + (f" [corrected: replaced by {c['replaced_by'][:12]}]" if c.get("replaced_by") else "")]
    pad = indent + "    "
    if c["quote"] is not None:
        span = f" at [{c['span'][0]}, {c['span'][1]})" if c["span"] else ""
        lines.append(f'{pad}quote: "{" ".join(c["quote"].split())}"{span}')
    if c["sentence"] and " ".join(c["quote"].split()) != c["sentence"]:
        lines.append(f"{pad}sentence: {c['sentence']}")
    if c["article"] is not None:
        a = c["article"]
        lines.append(f"{pad}article: {a['file']}, {a['outlet'] or 'unknown outlet'}, published "
                     f"{a['published'] or 'unknown'} ({a['published_origin']})")
    if c["dataset"] is not None:
        d = c["dataset"]
        lines.append(f"{pad}dataset: {d['file']} row {d['row']} column {d['column']!r} ({d['repository']} @ "
                     f"{d['commit'][:12]})")
    lines.append(f"{pad}claimant: {c['claimant'] or 'not named'}; rule: {c['rule']}; reported "
                 f"{c['report'] or 'unknown'}")
    if c.get("source"):
        src = c["source"]
        lines.append(f"{pad}source: {src['url'] or 'no URL'}, {src['outlet'] or 'unknown outlet'}, published "
                     f"{src['published'] or 'unknown'}")
    for k in c.get("retractions", ()):
        lines.append(f"{pad}retracted at position {k['position']}: {k['reason']}")
    for k in c["corrections"]:
        lines.append(f"{pad}corrected at position {k['position']}: {k['reason']}")
    for v in c.get("reviews", ()):
        note = f": {v['note']}" if v["note"] else ""
        lines.append(f"{pad}{REVIEW_WORDS.get(v['mark'], v['mark'])} by {v['reviewer']} at "
                     f"{v['at'][:19].replace('T', ' ')} UTC{note}")
    if c.get("quote_matches") is False:
        lines.append(f"{pad}note: the recorded quote differs from the text at this span")
    return lines


def _value_lines(v: dict[str, Any], indent: str = "") -> list[str]:
    when = v["valid"] if v["period"] is None else f"{v['period']['start'] or '?'}..{v['period']['end']}"
    tag = "derived " if v["derived"] else ""
    lines = [f"{indent}{tag}{v['metric']} {v['party']} {v['region'] or '-'}: "
             f"{_figure(v['value'], v['qualifier'], v['unit'])} @ {when} "
             f"({v['staleness_days']} days before the basis date; value {v['id'][:12]})"]
    pad = indent + "  "
    if v["derived"]:
        lines.append(f"{pad}= {v['formula']} ({v['rule']}), from:")
        for i in v["inputs"]:
            lines.extend(_value_lines(i, pad + "  "))
        return lines
    lines.append(f"{pad}chosen by: {v['rule']}; supported by {len(v['supports'])} claim"
                 f"{'' if len(v['supports']) == 1 else 's'}:")
    for c in v["supports"]:
        lines.extend(_claim_lines(c, pad + "  "))
    if v["competing"]:
        lines.append(f"{pad}competing claims:")
        for c in v["competing"]:
            lines.extend(_claim_lines(c, pad + "  "))
            lines.append(f"{pad}      lost: {c['reason']}")
    return lines


def render_text(tree: dict[str, Any]) -> str:
    """The explanation as indented text, basis first."""
    b = tree["basis"]
    lines = [f"basis: as of {b['as_of']}, known at {b['known_at']}, log position {b['position']}"]
    if tree.get("message"):
        lines.append(tree["message"])
    for v in tree["values"]:
        lines.append("")
        lines.extend(_value_lines(v))
    if tree.get("claim") is not None:
        c = tree["claim"]
        lines.append("")
        lines.extend(_claim_lines(c, ""))
        for v in c["in_values"]:
            lines.append(f"  {v['as']} of value {v['id'][:12]}: {v['metric']} {v['party']} {v['region'] or '-'} "
                         f"= {fmt_number(v['value'])}")
        if not c["in_values"]:
            lines.append("  not part of any value at this basis")
    return "\n".join(lines)
