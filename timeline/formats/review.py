"""The review desk as text: a queue card (the paragraph with the sentence and the figure marked, the fields, the
rule, the value it feeds), the review status, and one-line receipts of decisions."""

from __future__ import annotations

import textwrap
from typing import Any

import click

from timeline.formats.text import figure, fmt_number, printable

KEYS = "[c]onfirm  [r]eject  [e]dit  [s]kip  [b]ack  [q]uit"
PARAGRAPH_CHARS = 900  # a longer paragraph is cut around the sentence
# Zero-width marks put in the text before wrapping, turned into styles after: the figure, the sentence.
_FIG_ON, _FIG_OFF, _SEN_ON, _SEN_OFF = "\x01", "\x02", "\x03", "\x04"


def _when(item: dict[str, Any]) -> str:
    if item["period"] is not None:
        return f"over {item['period']['start'] or '?'}..{item['period']['end']}"
    return f"as of {item['as_of']}" if item["as_of"] else "undated"


def _marked_paragraph(item: dict[str, Any]) -> str | None:
    para = item.get("paragraph")
    if not para:
        return None
    fs, fe = item["figure"]
    ss, se = item["sentence"]
    marks = sorted([(fs, _FIG_ON), (fe, _FIG_OFF), (ss, _SEN_ON), (se, _SEN_OFF)], key=lambda m: (m[0], m[1] in
                                                                                                   (_FIG_OFF, _SEN_OFF)))
    out, last = [], 0
    for at, mark in marks:
        out.append(para[last:at])
        out.append(mark)
        last = at
    out.append(para[last:])
    text = "".join(out)
    if len(para) > PARAGRAPH_CHARS:  # keep the sentence and what is around it
        start = max(0, text.index(_SEN_ON) - 200)
        end = min(len(text), text.index(_SEN_OFF) + 200)
        text = ("… " if start else "") + text[start:end] + (" …" if end < len(text) else "")
    return text


def _styled(line: str, color: bool) -> str:
    """Turn the marks into styles (bold sentence, reverse-video figure); without colour, the figure in » «."""
    if not color:
        return line.replace(_FIG_ON, "»").replace(_FIG_OFF, "«").replace(_SEN_ON, "").replace(_SEN_OFF, "")
    out = []
    fig = sen = False
    for ch in line:
        if ch in (_FIG_ON, _FIG_OFF, _SEN_ON, _SEN_OFF):
            fig = {_FIG_ON: True, _FIG_OFF: False}.get(ch, fig)
            sen = {_SEN_ON: True, _SEN_OFF: False}.get(ch, sen)
            continue
        out.append(click.style(ch, bold=sen or fig, reverse=fig) if (fig or sen) else ch)
    return "".join(out).replace("\x1b[0m\x1b[1m", "").replace("\x1b[0m\x1b[1m\x1b[7m", "")


def card(item: dict[str, Any], place: int, total: int, width: int | None = None, color: bool = False) -> str:
    """One claim of the queue as a person reviews it."""
    width = max(40, min(width or 100, 120))
    head = (f"[{place}/{total}] {item['why']} · claim {item['claim_id'][:12]} · rule {item['rule']}"
            + ("" if item["confidence"] is None else f" · confidence {item['confidence']:.2f}"))
    lines = textwrap.wrap(printable(head), width=width, subsequent_indent="  ", break_long_words=False)
    where = item["source"] or "no source"
    lines.append(printable(f"  {where} ({item['outlet'] or 'unknown outlet'}, reported {item['report'] or 'unknown'})"))
    lines.append("")
    para = _marked_paragraph(item)
    if para is not None:
        for line in textwrap.wrap(printable_keep_marks(para), width=width - 4, break_on_hyphens=False):
            lines.append("    " + _styled(line, color))
    elif item["quote"]:
        lines.append("    " + printable(f"“{' '.join(item['quote'].split())}” (the article text is not in the log)"))
    lines.append("")
    span = "" if item["low"] == item["high"] else f"  ({fmt_number(item['low'])}..{fmt_number(item['high'])})"
    rows = [("metric", item["metric"]), ("party", item["party"]), ("region", item["region"] or "-"),
            ("value", f"{figure(item['value'], item['qualifier'])} {item['unit']}{span}"), ("date", _when(item)),
            ("claimant", item["claimant"] or "not named"), ("modality", item["modality"])]
    feeds = item["feeds"]
    if feeds is not None:
        rows.append(("feeds", f"{feeds['metric']} {feeds['party']} {feeds['region'] or '-'} = "
                              f"{fmt_number(feeds['value'])} {feeds['unit']} @ {feeds['valid']} "
                              f"({feeds['as']}; {feeds['rule']})"))
    else:
        rows.append(("feeds", "no value of the current state"))
    for k, v in rows:
        lines.extend(textwrap.wrap(printable(f"  {k:<9} {v}"), width=width, subsequent_indent=" " * 12,
                                   break_on_hyphens=False, break_long_words=False) or [f"  {k}"])
    lines.append("")
    lines.append(f"  {KEYS}")
    return "\n".join(lines)


def printable_keep_marks(text: str) -> str:
    """printable() without losing the four marks (they are control characters too)."""
    parts = []
    for ch_run in _split_marks(text):
        parts.append(ch_run if ch_run in (_FIG_ON, _FIG_OFF, _SEN_ON, _SEN_OFF) else printable(ch_run))
    return "".join(parts)


def _split_marks(text: str) -> list[str]:
    out, cur = [], []
    for ch in text:
        if ch in (_FIG_ON, _FIG_OFF, _SEN_ON, _SEN_OFF):
            out.append("".join(cur))
            out.append(ch)
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def receipt(row: dict[str, Any]) -> str:
    note = f": {row['note']}" if row.get("note") else ""
    if row.get("already"):
        return printable(f"already {row['verdict']} {row['claim_id'][:12]} by {row['reviewer']} at position"
                         f" {row['position']}{note}: nothing appended")
    return printable(f"{row['verdict']} {row['claim_id'][:12]} by {row['reviewer']} at position {row['position']}{note}")


def status_text(s: dict[str, Any]) -> str:
    b = s["basis"]
    lines = [f"review status at log position {b['position']} (current state as of {b['as_of']}):",
             f"  claims not retracted: {s['claims']}; confirmed {s['confirmed']}, rejected {s['rejected']}, "
             f"unreviewed {s['unreviewed']}; counting (all but the rejected): {s['claims'] - s['rejected']}",
             f"  entered by hand {s['entered']}; corrected by a person {s['corrected']}"]
    if s["by_reviewer"]:
        lines.append("  by reviewer:")
        for name, counts in s["by_reviewer"].items():
            shown = ", ".join(f"{k} {v}" for k, v in counts.items() if v)
            lines.append(printable(f"    {name}: {shown}"))
    unchecked = s["unchecked_values"]
    lines.append(f"  values of the current state that rest on no reviewed claim: {len(unchecked)} of {s['values']}")
    for v in unchecked:
        lines.append(printable(f"    {v['metric']} {v['party']} {v['region'] or '-'} = {fmt_number(v['value'])} "
                               f"{v['unit']} @ {v['valid']}  (claim {v['claims'][0][:12]})"))
    return "\n".join(lines)


def entered_text(r: dict[str, Any]) -> str:
    c = r["claim"]
    when = c.get("as_of") or f"{(c.get('period') or {}).get('start') or '?'}..{(c.get('period') or {}).get('end')}"
    src = r["source"]["url"] or f"article {r['source']['article_id'][:12]}"
    verb = "entered" if r["new"] else "already in the log:"
    return printable(f"{verb} claim {r['claim_id'][:12]} at position {r['position'] or '-'}: {c['metric']} {c['party']} "
                     f"{c.get('region') or '-'} {figure(c['value'], c.get('qualifier', 'exact'))} {c['unit']} @ {when}"
                     f" ({src}; by {r['reviewer']})")
