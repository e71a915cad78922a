"""Asking questions of the claim log: the engine facade, diff, provenance, checks and the CLI."""

from timeline.api import Timeline
from timeline.errors import TimelineError
from timeline.snapshot import Snapshot

__all__ = ["Snapshot", "Timeline", "TimelineError"]
