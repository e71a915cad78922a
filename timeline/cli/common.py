"""What every command shares: the group that turns failures into one line, the log handle, options."""

from __future__ import annotations

import datetime as dt
import gc
import importlib
import os
import re
import select
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click

from events.store import StoreError
from timeline.api import DEFAULT_LOG, Timeline
from timeline.errors import TimelineError
from timeline.formats.jsontext import to_json
from timeline.formats.table import terminal_width
from timeline.formats.text import clip, printable

# What would break a one-line message or drive the terminal showing it: C0 and C1 controls (newline, escape),
# DEL, line and paragraph separators, and the marks and overrides that reorder text.
_UNSHOWN = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
PROGRESS_THRESHOLD = 20


class Group(click.Group):
    """Turns every expected failure into one line and exit code 2; imports each command's module when it is run.

    `lazy` maps a command's name to (module under timeline.cli, attribute):
    the module is imported on the command's first use, or for --help.
    """

    def __init__(self, *args: Any, lazy: dict[str, tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            module, name = self.lazy[cmd_name]
            self.add_command(getattr(importlib.import_module(f"timeline.cli.{module}"), name), cmd_name)
        return self.commands.get(cmd_name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """The command as a process (the `timeline` script): the objects made by the imports so far are kept
        out of the collector's sweeps (gc.freeze) and the young generation is collected less often; a
        one-shot command otherwise spends tens of milliseconds walking the same module objects, and a
        question that builds thousands of values several more. (Tests call `main` in process, not this.)"""
        gc.freeze()
        gc.set_threshold(10_000, *gc.get_threshold()[1:])
        return super().__call__(*args, **kwargs)

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        """Click's own usage errors, also in one line (click prints a usage block by default)."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, False, **extra)
            sys.stdout.flush()  # what is still buffered meets a closed pipe here, not in Python's exit
        except BrokenPipeError as err:
            if stdout_closed():
                quiet_exit()
            fail(f"I/O: {err.strerror or err}")
        except click.UsageError as err:
            where = err.ctx.command_path if err.ctx is not None else "timeline"
            click.echo(one_line(f"Error: {err.format_message()} (see `{where} --help`)"), err=True)
            sys.exit(2)
        except click.ClickException as err:
            click.echo(one_line(f"Error: {err.format_message()}"), err=True)
            sys.exit(err.exit_code)
        except click.Abort:
            click.echo("Aborted.", err=True)
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (StoreError, TimelineError) as err:
            fail(cli_message(err, ctx.invoked_subcommand))
        except sqlite3.DatabaseError as err:
            fail(f"the log is not usable: {err}")
        except OSError as err:
            if isinstance(err, BrokenPipeError) and stdout_closed():
                quiet_exit()
            fail(f"{getattr(err, 'filename', None) or 'I/O'}: {err.strerror or err}")
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as err:  # a bug: one line for users, the traceback on request
            if os.environ.get("TIMELINE_DEBUG"):
                raise
            broken = _broken(ctx)
            if broken:
                fail(broken)
            fail(f"internal error: {type(err).__name__}: {err} (set TIMELINE_DEBUG=1 for the traceback)", 1)


def _broken(ctx: click.Context) -> str | None:
    """After a command failed unexpectedly on a log it opened: one line saying that the log fails verification, when
    it does (events removed or altered behind the store's back leave read models that the questions trip on)."""
    handle = ctx.find_object(LogHandle)
    if handle is None or handle._tl is None:
        return None
    from events.chain import refusal

    try:
        report = handle._tl.verify()
    except Exception:
        return None
    if report.ok:
        return None
    what = f"`{ctx.invoked_subcommand}` cannot answer from it" if ctx.invoked_subcommand else "nothing was done"
    return f"{handle._tl.path}: {refusal(report, what)}"


# API parameter -> the option that sets it, and where a command names it otherwise
OPTIONS = {"known_at": "--known-at", "position": "--position", "reason": "--reason TEXT", "start": "--from",
           "end": "--to", "reviewer": "--reviewer NAME", "note": "--note TEXT", "as_of": "--as-of DATE",
           "period": "--period START..END", "source": "--source URL", "outlet": "--outlet NAME",
           "published": "--published YYYY-MM-DD", "require_end": "--no-end-line",
           "claim_id": "see `timeline claims --format json`",  # where to look an id up, rather than an option
           "ref": "see `timeline claims --format json` or `timeline graph --format json`",
           "url": "create one with `timeline --log URL init-db`",
           "path": "create one with `timeline ingest` or `timeline import`"}
COMMAND_OPTIONS = {"report": {"as_of": "--asof", "since": "--from"},
                   "copy": {"source": "--from", "destination": "--to"},
                   "correct-article": {"title": "--title TEXT", "url": "--url URL"}}


def cli_message(err: Exception, command: str | None = None) -> str:
    """An API error as the CLI says it: the option in place of each parameter the message starts with or gives
    a value of ("start 2024-11-09 is after end 2024-11-02"), and the options of the others after it."""
    message, params = str(err), getattr(err, "param", None)
    if not params:
        return message
    options = {**OPTIONS, **COMMAND_OPTIONS.get(command or "", {})}
    unnamed = []
    for param in (params,) if isinstance(params, str) else params:
        option = options.get(param)
        if option is None:
            continue
        p = re.escape(param)
        named = re.sub(rf"^{p}(?= )|(?<= ){p}(?= ['\"\d])", option.split()[0], message)
        if named == message:
            unnamed.append(option)
        message = named
    return f"{message} ({', '.join(unnamed)})" if unnamed else message


def stdout_closed() -> bool:
    """Whether stdout is a pipe that nobody reads any more (`timeline export | head`, once head has its lines);
    a broken pipe elsewhere (a worker process, a socket) is an error to report."""
    try:
        poll = select.poll()
        poll.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _, events in poll.poll(0))
    except (AttributeError, OSError, ValueError):  # no poll on this platform; stdout no file (a test's runner)
        return False


def quiet_exit() -> NoReturn:
    """End with no message and exit 0: the reader has what it asked for, and a pipeline's status is no error.
    stdout is pointed at /dev/null first, so that Python's own flush at exit finds no pipe to fail on."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
    sys.exit(0)


def one_line(text: str) -> str:
    """A message as one line that shows the names in it whole: a file name may hold a newline or an escape
    sequence, and each such character is shown escaped as Python writes it in a string ("\\n", "\\x1b")."""
    return _UNSHOWN.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def fail(message: str, code: int = 2) -> None:
    click.echo(one_line(f"Error: {message}"), err=True)
    sys.exit(code)


def note(message: str) -> None:
    click.echo(one_line(f"timeline: {message}"), err=True)


def text_writer(stream: Any = None) -> Callable[[Any], None]:
    """What writes a streamed graph's chunks (timeline.formats.graph_stream.Text) to a text stream's bytes,
    stdout's by default: a str in UTF-8, UTF-8 bytes (a memoryview too) as they are. The text layer is flushed
    once, first, and then passed by: flushing it before each chunk of bytes cost 44k system calls at 1M claims."""
    target = sys.stdout if stream is None else stream
    target.flush()
    out = target.buffer

    def write(text: Any) -> None:
        out.write(text.encode() if type(text) is str else text)

    return write


class WriteProgress:
    """What a long write has written so far, on one line of a terminal's stderr, at most twice a second
    (`graph -o` writes about a gigabyte at a million claims); a pipe or a file gets nothing but the final note."""

    def __init__(self, write: Callable[[str], Any], label: str, stream: Any = None, every: float = 0.5) -> None:
        self._write, self.label, self.every = write, label, every
        self.stream = sys.stderr if stream is None else stream
        self.live = self.stream.isatty()
        self.size = 0
        self.last = 0.0
        self.width = 0

    def __call__(self, text: str) -> None:
        self._write(text)
        self.size += len(text)
        if self.live:
            now = time.monotonic()
            if now - self.last >= self.every:
                self.last = now
                line = one_line(f"timeline: {self.label}, about {self.size / 1e6:,.0f} MB so far")
                line = clip(line, max(20, (terminal_width() or 80) - 1)) or ""  # a wrapped line is not rewritten
                self.width = max(self.width, len(line))
                self.stream.write("\r" + line)
                self.stream.flush()

    def close(self) -> None:
        """Clear the line, if one was shown."""
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0


class LogHandle:
    """Opens the log on first use; builds the default log from the bundled seeds if it is missing."""

    def __init__(self, path: str | None) -> None:
        from events.pg_store import is_url

        self.explicit = path is not None
        self.raw = path
        self.path: Any = path if is_url(path) else Path(path if path is not None else DEFAULT_LOG)
        self._tl: Timeline | None = None

    def open(self, *, must_exist: bool = True) -> Timeline:
        if self._tl is None:
            if not self.explicit and not self.path.exists():
                self._tl = bootstrap(self.path)
            else:
                self._tl = Timeline(self.path, create=not must_exist or not self.explicit)
        return self._tl

    def close(self) -> None:
        if self._tl is not None:
            self._tl.close()


@contextmanager
def _held(lock: Path) -> Iterator[None]:
    """An exclusive lock on `lock` (flock) while a default log is built beside it: the system lets it go when the
    process ends, however it ends, which is how _sweep tells a build whose process was killed."""
    try:
        import fcntl
    except ImportError:  # not on Unix: nothing is swept either
        yield
        return
    with open(lock, "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        yield


_STALE = 60.0  # seconds: a build holds its lock within milliseconds of making its folder, and takes about one


def _sweep(folder: Path, prefix: str) -> None:
    """Remove the folders of default-log builds whose process was killed: a minute old and their lock free (a
    build under way holds it from its first milliseconds on)."""
    try:
        import fcntl
    except ImportError:
        return
    import shutil

    for building in folder.glob(f"{prefix}*.building"):
        lock = building / "lock"
        try:
            if time.time() - (lock if lock.exists() else building).stat().st_mtime < _STALE:
                continue
            if lock.exists():
                with open(lock) as f:
                    fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # held by a build under way, or gone meanwhile
            continue
        shutil.rmtree(building, ignore_errors=True)


def bootstrap(path: Path) -> Timeline:
    """Build the default log from the bundled seeds, out of sight: in a temporary folder beside it, then linked
    into place whole (a link, unlike a rename, never replaces a file). Processes started together each build one;
    the first to finish puts its log in place, and the others open that one: none answers from a log half-built.
    """
    import shutil
    import tempfile

    from timeline.seeds import bundled_seeds

    folder = path.parent
    if not os.access(folder, os.W_OK):
        return Timeline(path)  # which says that the folder is not writable, or opens a log made meanwhile
    prefix = f".{path.name}."
    _sweep(folder, prefix)
    building = Path(tempfile.mkdtemp(prefix=prefix, suffix=".building", dir=folder))
    try:
        staged = building / path.name
        with _held(building / "lock"), Timeline(staged) as tl:
            report = tl.ingest([bundled_seeds()])
        try:
            os.link(staged, path)
        except FileExistsError:
            return Timeline(path)  # another process's, finished first
        except OSError:  # a file system without hard links
            if path.exists():
                return Timeline(path)
            os.replace(staged, path)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    note(f"no log at {path}: built it from the {report.new} bundled seed articles ({report.claims_appended} claims)")
    return Timeline(path)


def timeline_of(ctx: click.Context, must_exist: bool = True) -> Timeline:
    return ctx.find_object(LogHandle).open(must_exist=must_exist)


def format_option(*choices: str, default: str | None = None) -> Callable:
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default=default or choices[0], show_default=True,
        help="Output format.",
    )


def emit(fmt: str, data: Any, text: Callable[[], str]) -> None:
    click.echo(to_json(data) if fmt == "json" else printable(text()))


class Date(click.ParamType):
    """An ISO date, with a message that says what is valid."""

    name = "DATE"

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not a valid date (expected YYYY-MM-DD, e.g. 2024-11-23)", param, ctx)


DATE = Date()


def parse_position(text: str | None) -> int | None:
    """A --position value; taken as text so that a bad one is a one-line error, not a usage block."""
    if text is None:
        return None
    if not text.strip().isascii() or not text.strip().isdigit():  # "²" and "٣" are digits to isdigit, not to int
        raise TimelineError(f"--position {text!r} is not a log position (expected a whole number, 0 or more)")
    return int(text)


def wide_option(f: Callable) -> Callable:
    return click.option("--wide", is_flag=True, help="Print every column in full, whatever the terminal width.")(f)


def width_of(wide: bool) -> int | None:
    """The width tables are fitted to: None (no limit) with --wide, or when stdout is no terminal and COLUMNS is unset."""
    return None if wide else terminal_width()

