"""Read models kept in the log's SQLite file."""


def projectors() -> tuple:
    return ()
