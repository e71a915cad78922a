"""Writing an output file (`export -o`, `graph -o`): a regular file, whole or not at all.

The text goes to a temporary file beside the target, which then replaces
it in one rename. A rename replaces whatever name is there, so the target is
looked at first: a device node, a FIFO, a socket or a symbolic link is not
written over (as root, `-o /dev/null` would otherwise replace the device with
a file, and a link would be replaced rather than followed). Nor is the open
log or one of its journals, by whatever path or hard link it is named: the
CLI names the log for the length of a command (`guarding`).
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import IO, Any, TypeVar

from events.files import kind
from timeline.errors import TimelineError

T = TypeVar("T")
REVIEW_PLACES = ".review.json"  # beside an SQLite log: where each reviewer's place in the review queue is kept
# The files of one log: SQLite's own and its journals, and the reviewers' places in the queue.
LOG_COMPANIONS = ("", "-wal", "-shm", "-journal", REVIEW_PLACES)
_GUARDED: ContextVar[tuple[Path, ...]] = ContextVar("guarded_logs", default=())


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
        raise TimelineError(f"{target}: is {kind(mode)}; output is written to regular files only")
    for log in _GUARDED.get():
        for suffix, f in zip(LOG_COMPANIONS, log_files(log)):
            if _same(target, f, mode is not None):
                what = f"the {suffix} file {f} of the log {log}" if suffix else f"the log {log}"
                raise TimelineError(f"{target}: is {what}; give another file for the output")
    parent = target.parent
    if not parent.is_dir():
        raise TimelineError(f"{target}: folder {parent} does not exist")
    return target


def log_files(log: Path) -> list[Path]:
    """The files of the SQLite log at `log`: writing over any of them would break it, or lose where its reviewers
    are in the queue."""
    return [log.with_name(log.name + suffix) for suffix in LOG_COMPANIONS]


@contextmanager
def guarding(log: Any) -> Iterator[None]:
    """While open, `check_target` refuses the files of the SQLite log at `log` (a PostgreSQL URL has none)."""
    token = _GUARDED.set(_GUARDED.get() + ((log,) if isinstance(log, Path) else ()))
    try:
        yield
    finally:
        _GUARDED.reset(token)


def _same(target: Path, f: Path, exists: bool) -> bool:
    """Whether `target` is the file `f`: the same inode when both exist (a hard link, another path to it),
    else the same name in the same folder (a file not yet made is still the log's to make)."""
    try:
        if exists and f.exists():
            return os.path.samefile(target, f)
        return os.path.realpath(target.parent) == os.path.realpath(f.parent) and target.name == f.name
    except OSError:
        return False


def write_regular(path: str | os.PathLike, write: Callable[[IO[str]], T]) -> T:
    """Call `write` with a text stream and put what it wrote at `path` in one rename; nothing is left on failure."""

    def text(tmp: Path) -> T:
        # "r+", not "w": the file is new and empty, and truncating it would have ext4 (auto_da_alloc) write it all
        # back to the disk when it is closed (0.35 s for a gigabyte of graph).
        with open(tmp, "r+", encoding="utf-8", newline="") as f:
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
        if not _swapped(tmp, target):
            os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return result


_RENAME_EXCHANGE = 2  # renameat2's flag (Linux 3.15, glibc 2.28)


def _swapped(tmp: str, target: Path) -> bool:
    """Put `tmp` in place of an existing `target` by swapping the two names at once (renameat2 RENAME_EXCHANGE),
    then remove the old file from `tmp`'s name; False where that cannot be done (no file there yet, not Linux, a
    file system without the exchange): os.replace then. Replacing a file by a rename has ext4 (auto_da_alloc)
    write the new file back to the disk inside the rename, 0.35 s a gigabyte (a graph at 1M claims); the swap
    is as atomic, and leaves the write-back to the kernel's own time. After a power cut in that time the new file
    may be missing its data, as any file just written may be: these files are made again from the log."""
    if not sys.platform.startswith("linux") or not os.path.lexists(target):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        rename = libc.renameat2
        rename.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    except (OSError, AttributeError):
        return False
    at_cwd = -100  # AT_FDCWD
    if rename(at_cwd, os.fsencode(tmp), at_cwd, os.fsencode(target), _RENAME_EXCHANGE) != 0:
        return False
    os.unlink(tmp)  # the old file, now under the temporary name
    return True
