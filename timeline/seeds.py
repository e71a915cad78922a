"""Where the bundled seed articles are: in a checkout, or inside an installed wheel."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def bundled_seeds() -> Path:
    """The folder holding the five seed articles and their manifest."""
    for candidate in (_HERE / "_seeds", _HERE.parent / "seeds"):
        if (candidate / "manifest.csv").is_file():
            return candidate
    from timeline.errors import TimelineError

    raise TimelineError("the bundled seeds are missing from this installation")
