"""Questions about the state as of a date: asof, diff, retract (methods of Timeline)."""


class StateQueries:
    """Mixed into Timeline; uses `self.store` (an SQLiteStore with the read models)."""
