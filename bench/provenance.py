"""`timeline check` and `timeline graph` on synthetic logs, each as a fresh process: wall time and peak RSS.

usage: python -m bench.provenance [--claims 1000000] [--log PATH] [--random-log PATH] [--no-write]

Two logs are built with bench.synth (the dates and articles `python -m bench`
times): one whose loss tallies rise as real ones do (`check` finds a few
falls), and one of random values, `check`'s worst case (a fall at every other
step of a running total). A log is built unless PATH already holds one of that
size: building 1M claims takes a while, so keep them and time again. The
numbers go to the "Provenance commands" section of bench/RESULTS.md
(bench.results keeps the other sections), with the load average beside them,
as the machine is shared."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.run import machine, timeline_cmd

ROUNDS = 3


def build(path: Path, n: int, series: int, rising: bool) -> None:
    """A synthetic log of `n` claims at `path` (bench.synth: `rising` totals or random values), appended in
    transactions of about 10,000 claims."""
    from bench.run import APPEND_BATCH
    from bench.synth import generate
    from timeline import Timeline

    tl = Timeline(path)
    events: list = []
    claims = 0
    for article_events, rows in generate(n, series, rising=rising):
        events.extend(article_events)
        claims += len(rows)
        if len(events) >= APPEND_BATCH:
            tl.store.append(events)
            events = []
            if claims % 100_000 < 60:
                print(f"  appended {claims:,} claims", file=sys.stderr, flush=True)
    if events:
        tl.store.append(events)
    tl.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    tl.close()


def _log(path: Path | None, n: int, series: int, rising: bool) -> Path:
    """`path` (by default one in the temporary directory), built with `n` synthetic claims unless it holds that
    many already."""
    path = path or Path(tempfile.gettempdir()) / f"timeline-bench-{n}{'-rising' if rising else ''}.sqlite"
    if claims_in(path) != n:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        t0 = time.perf_counter()
        build(path, n, series, rising)
        print(f"built {path} in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return path


def claims_in(path: Path) -> int:
    import sqlite3

    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as c:
            return c.execute("SELECT count(*) FROM events WHERE type = 'ClaimReported'").fetchone()[0]
    except sqlite3.Error:
        return -1


# Runs the command as its child and writes the child's wall time and peak RSS (KiB) to the fd it is given. The
# peak of a process started from this one would count this one's memory before its exec (Linux keeps the
# high-water mark across exec, and this process holds a large check report by then): the small process in
# between starts it clean.
_PEAK = ("import os, sys, time\n"
         "t0 = time.perf_counter()\n"
         "pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)\n"
         "_, status, usage = os.wait4(pid, 0)\n"
         "os.write(int(sys.argv[1]), f'{time.perf_counter() - t0} {usage.ru_maxrss}'.encode())\n"
         "sys.exit(os.waitstatus_to_exitcode(status))\n")


def _tree(pid: int) -> list[int]:
    """The processes below `pid` (Linux /proc; none elsewhere)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/task/{p}/children") as f:
                kids = [int(k) for k in f.read().split()]
        except OSError:
            continue
        found += kids
        todo += kids
    return found


def _pss(pids: list[int]) -> int:
    """The proportional set size of these processes together, in bytes: shared pages (a forked worker's) counted
    once in all."""
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            pass
    return total


def run(args: list[str]) -> tuple[float, int, int]:
    """Wall time and peak RSS of a command, and the peak of its processes' PSS together (sampled every 100 ms: the
    graph's workers); exit 1 is an answer here (`check` found an error)."""
    import subprocess

    read, write = os.pipe()
    proc = subprocess.Popen([sys.executable, "-c", _PEAK, str(write), *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, pass_fds=(write,))
    os.close(write)
    together = 0
    while True:
        pid, status, _ = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        together = max(together, _pss(_tree(proc.pid)))
        time.sleep(0.1)
    measured = os.read(read, 128).split()
    os.close(read)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise RuntimeError(f"{' '.join(args)} failed ({code}): {proc.stderr.read().decode()[-300:]}")
    return float(measured[0]), int(measured[1]) * 1024, together


def findings(args: list[str]) -> str:
    """How many findings `check` reports, in words."""
    import json
    import subprocess

    counts = json.loads(subprocess.run(args, capture_output=True, check=False).stdout)["counts"]
    return ", ".join(f"{k:,} {s}{'s' if k != 1 else ''}" for s, k in counts.items() if k) or "no finding"


def timed(args: list[str], rounds: int) -> tuple[float, float, int, int, float]:
    """Median wall seconds, median CPU seconds (user + system), largest peak RSS and largest peak PSS of all its
    processes of `rounds` runs, with the 1-minute load average before the first. Each run starts once what the
    one before wrote is on the disk: the kernel writing back a gigabyte of graph takes a core meanwhile."""
    load = os.getloadavg()[0]
    walls, cpus, rss, pss = [], [], 0, 0
    for _ in range(rounds):
        os.sync()  # the previous run's gigabyte written back first, not while this one runs
        before = os.times()
        wall, peak, together = run(args)
        after = os.times()
        walls.append(wall)
        cpus.append(after.children_user - before.children_user + after.children_system - before.children_system)
        rss, pss = max(rss, peak), max(pss, together)
    return statistics.median(walls), statistics.median(cpus), rss, pss, load


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.provenance", description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--series", type=int, default=2000)
    ap.add_argument("--log", type=Path, help="the log of rising totals to time (built there when it does not hold"
                    " --claims claims)")
    ap.add_argument("--random-log", type=Path, help="the log of random values to time check on (its worst case),"
                    " built likewise")
    ap.add_argument("--rounds", type=int, default=ROUNDS, help=f"runs of each command (default {ROUNDS})")
    ap.add_argument("--no-write", action="store_true", help="do not write bench/RESULTS.md")
    args = ap.parse_args(argv)
    rising = _log(args.log, args.claims, args.series, True)
    scattered = _log(args.random_log, args.claims, args.series, False)
    out = Path(tempfile.mkdtemp(prefix="timeline-bench-graph-"))
    n = f"{args.claims:,} claims"

    def check(log: Path) -> list[str]:
        return timeline_cmd() + ["--log", str(log), "check", "--format", "json"]

    rows = [
        (f"`timeline check --format json`, {n}, rising totals ({findings(check(rising))})",
         timed(check(rising), args.rounds)),
        (f"`timeline check --format json`, {n}, random values ({findings(check(scattered))})",
         timed(check(scattered), args.rounds)),
        (f"`timeline graph -o g.json` (node-link JSON), {n}",
         timed(timeline_cmd() + ["--log", str(rising), "graph", "-o", str(out / "g.json")], args.rounds)),
    ]
    graph_mib = (out / "g.json").stat().st_size / 2**20
    for f in out.iterdir():
        f.unlink()
    out.rmdir()
    lines = [
        "## Provenance commands: check and graph at scale (`python -m bench.provenance`)",
        "",
        f"Machine: {machine()}.",
        f"Run on {dt.date.today().isoformat()}; synthetic logs (bench.synth) in {args.series:,} series (rising totals:"
        " a loss tally rises with the date, one step in a thousand falls; random values: every figure random, so"
        " every other step of a running total falls),"
        " each command a fresh process, median of"
        f" {args.rounds}; CPU = user + system; the load average is the 1-minute one as each command started (2 cores,"
        " shared: with a load above 2, wall time is mostly waiting for a core, and CPU time is the one to compare):",
        "",
        "| command | wall s | CPU s | peak RSS MiB | peak PSS MiB, all processes | load average |",
        "|---|---:|---:|---:|---:|---:|",
        *[f"| {name} | {wall:.2f} | {cpu:.2f} | {rss / 2**20:,.0f} | {pss / 2**20:,.0f} | {load:.1f} |"
          for name, (wall, cpu, rss, pss, load) in rows],
        "",
        f"The graph's node-link JSON is {graph_mib:,.0f} MiB. Targets: at most 5 s and 1 GiB at 1M claims. How the"
        " commands came to these figures: the next section (written by hand).",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        from bench.results import write_section

        write_section("provenance", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
