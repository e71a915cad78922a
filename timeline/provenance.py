"""Provenance questions: explain, check, graph (methods of Timeline)."""


class ProvenanceQueries:
    """Mixed into Timeline; uses `self.store` and the state queries."""
