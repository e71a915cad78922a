"""Asking questions of the claim log: the engine facade, diff, provenance, checks and the CLI."""

from timeline.api import Timeline
from timeline.errors import TimelineError

__all__ = ["Timeline", "TimelineError"]
