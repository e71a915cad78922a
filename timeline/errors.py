"""The one error type users see; its message is one line and names the problem."""

from __future__ import annotations

from events.store import StoreError


class TimelineError(StoreError):
    """Bad input or a state the user can fix: the CLI prints it and exits 2.

    `param` names the API parameter at fault (known_at, position, reason):
    the API's message speaks of the parameter, and the CLI says which option
    to change (timeline.cli.common.cli_message), so neither names the other's.
    """
