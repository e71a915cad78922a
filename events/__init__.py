"""What was reported: the event model, the append-only log, and reading articles into events."""
