"""Writing an output file (`export -o`, `graph -o`): a regular file, whole or not at all.

The text goes to a temporary file beside the target, which then replaces
it in one rename. A rename replaces whatever name is there, so the target is
looked at first: a device node, a FIFO, a socket or a symbolic link is not
written over (as root, `-o /dev/null` would otherwise replace the device with
a file, and a link would be replaced rather than followed).
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, TypeVar

from timeline.errors import TimelineError

T = TypeVar("T")
LOG_COMPANIONS = ("", "-wal", "-shm", "-journal")  # SQLite's files of one database: its own and its journals

KINDS = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def check_target(path: str | os.PathLike) -> Path:
    """The target as a Path; TimelineError when it exists and is not a regular file, or its folder is missing."""
    target = Path(path)
    if not str(path).strip():
        raise TimelineError("an empty path names no output file")
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as err:
        raise TimelineError(f"{target}: cannot write there ({err.strerror or err})") from None
    if mode is not None and not stat.S_ISREG(mode):
        kind = next((name for test, name in KINDS if test(mode)), "not a regular file")
        raise TimelineError(f"{target}: is {kind}; output is written to regular files only")
    parent = target.parent
    if not parent.is_dir():
        raise TimelineError(f"{target}: folder {parent} does not exist")
    return target


def log_files(log: Path) -> list[Path]:
    """The files of the SQLite log at `log`: writing over any of them would break it."""
    return [log.with_name(log.name + suffix) for suffix in LOG_COMPANIONS]


def write_regular(path: str | os.PathLike, write: Callable[[IO[str]], T]) -> T:
    """Call `write` with a text stream and put what it wrote at `path` in one rename; nothing is left on failure."""

    def text(tmp: Path) -> T:
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            return write(f)

    return write_file(path, text)


def write_file(path: str | os.PathLike, write: Callable[[Path], T]) -> T:
    """Call `write` with a fresh file beside `path` and rename it into place; nothing is left on failure.

    For writers that want a path of their own (Parquet, matplotlib); `write_regular` is the text case."""
    target = check_target(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as err:
        raise TimelineError(f"{target}: cannot write there ({err.strerror or err})") from None
    os.close(fd)
    try:
        result = write(Path(tmp))
        if target.exists():
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        check_target(target)  # nothing else appeared there meanwhile
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return result
