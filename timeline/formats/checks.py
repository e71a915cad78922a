"""A check report (timeline.checks) as text: one line per finding, most severe first."""

from __future__ import annotations

from timeline.checks import SEVERITIES, Report


def render_text(report: Report) -> str:
    """One line per finding, most severe first, after a line with the basis and the counts."""
    b = report.basis.to_data()
    counts = ", ".join(f"{report.count(s)} {s}{'' if report.count(s) == 1 else 's'}" for s in SEVERITIES)
    lines = [f"check as of {b['as_of']} (known at {b['known_at']}, log position {b['position']}): {counts}"]
    for f in report.findings:
        ids = ", ".join(c[:12] for c in f.claims[:6]) + (", ..." if len(f.claims) > 6 else "")
        lines.append(f"{f.severity:<7}  {f.check:<13}  {f.message}  [claims {ids}]")
    return "\n".join(lines)
