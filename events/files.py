"""What a file that is not a regular one is, in a few words, as refusals name it (an article to read, an output
file to write)."""

from __future__ import annotations

import stat

KINDS = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def kind(mode: int) -> str:
    """The kind of file `mode` (an st_mode) is, for a file that is not a regular one."""
    return next((name for test, name in KINDS if test(mode)), "not a regular file")
