"""bench/RESULTS.md by sections: each benchmark rewrites its own section and keeps every other one.

A section starts at a marker line `<!-- NAME -->` and runs to the next marker
(or the end of the file). The text before the first marker is the section
`python -m bench` writes (its name is "synthetic").
"""

from __future__ import annotations

import re
from pathlib import Path

PATH = Path(__file__).resolve().parent / "RESULTS.md"
FIRST = "synthetic"
_MARK = re.compile(r"^<!-- ([a-z0-9-]+) -->$", re.MULTILINE)


def sections(text: str) -> list[tuple[str, str]]:
    """(name, body) of each section in order; the body excludes the marker line."""
    out: list[tuple[str, str]] = []
    marks = list(_MARK.finditer(text))
    out.append((FIRST, text[: marks[0].start()] if marks else text))
    for m, nxt in zip(marks, [*marks[1:], None]):
        out.append((m.group(1), text[m.end() + 1 : nxt.start() if nxt else len(text)]))
    return out


def write_section(name: str, body: str, path: Path = PATH) -> None:
    """Replace the section `name` with `body` (appended at the end when the file has none), keeping the others."""
    current = sections(path.read_text()) if path.exists() else [(FIRST, "")]
    body = body.rstrip("\n") + "\n"
    if any(n == name for n, _ in current):
        current = [(n, body if n == name else b) for n, b in current]
    else:
        current.append((name, body))
    parts = []
    for n, b in current:
        if n != FIRST:
            parts.append(f"<!-- {n} -->\n")
        elif not b.strip():
            continue
        parts.append(b if b.endswith("\n\n") or n == current[-1][0] else b.rstrip("\n") + "\n\n")
    path.write_text("".join(parts).rstrip("\n") + "\n")
