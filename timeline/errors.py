"""The one error type users see; its message is one line and names the problem."""

from events.store import StoreError


class TimelineError(StoreError):
    """Bad input or a state the user can fix: the CLI prints it and exits 2."""
