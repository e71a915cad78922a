"""`timeline check` and `timeline graph` on a synthetic log, each as a fresh process: wall time and peak RSS.

usage: python -m bench.provenance [--claims 1000000] [--log PATH] [--graph-claims N] [--no-write]

The log is built with bench.synth (the same log `python -m bench` times) unless
PATH already holds one of that size: building 1M claims takes a while, so keep
it and time again. The numbers go to the "Provenance commands" section of
bench/RESULTS.md (bench.results keeps the other sections), with the load
average beside them, as the machine is shared.
"""

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


def build(path: Path, n: int, series: int) -> None:
    """A synthetic log of `n` claims at `path`, appended in transactions of about 10,000 claims."""
    from bench.run import APPEND_BATCH
    from bench.synth import generate
    from timeline import Timeline

    tl = Timeline(path)
    events: list = []
    claims = 0
    for article_events, rows in generate(n, series):
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


def _log(path: Path, n: int, series: int) -> Path:
    """`path`, built with `n` synthetic claims unless it holds that many already."""
    if claims_in(path) != n:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        t0 = time.perf_counter()
        build(path, n, series)
        print(f"built {path} in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return path


def claims_in(path: Path) -> int:
    import sqlite3

    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as c:
            return c.execute("SELECT count(*) FROM events WHERE type = 'ClaimReported'").fetchone()[0]
    except sqlite3.Error:
        return -1


def run(args: list[str]) -> tuple[float, int]:
    """Wall time and peak RSS of a child process; exit 1 is an answer here (`check` found an error)."""
    import subprocess

    t0 = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise RuntimeError(f"{' '.join(args)} failed ({code}): {proc.stderr.read().decode()[-300:]}")
    return wall, usage.ru_maxrss * 1024


def timed(args: list[str], rounds: int) -> tuple[float, float, int, float]:
    """Median wall seconds, median CPU seconds (user + system) and largest peak RSS of `rounds` runs, with the
    1-minute load average before the first."""
    load = os.getloadavg()[0]
    walls, cpus, rss = [], [], 0
    for _ in range(rounds):
        before = os.times()
        wall, peak = run(args)
        after = os.times()
        walls.append(wall)
        cpus.append(after.children_user - before.children_user + after.children_system - before.children_system)
        rss = max(rss, peak)
    return statistics.median(walls), statistics.median(cpus), rss, load


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.provenance", description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--series", type=int, default=2000)
    ap.add_argument("--log", type=Path, help="the log to time (built there when it does not hold --claims claims)")
    ap.add_argument("--graph-claims", type=int, help="time graph on a log of this many claims (default: --claims)")
    ap.add_argument("--rounds", type=int, default=ROUNDS, help=f"runs of each command (default {ROUNDS})")
    ap.add_argument("--no-write", action="store_true", help="do not write bench/RESULTS.md")
    args = ap.parse_args(argv)
    path = _log(args.log or Path(tempfile.gettempdir()) / f"timeline-bench-{args.claims}.sqlite", args.claims,
                args.series)
    graph_claims = args.graph_claims or args.claims
    graph_log = path if graph_claims == args.claims else _log(
        Path(tempfile.gettempdir()) / f"timeline-bench-{graph_claims}.sqlite", graph_claims, args.series)
    out = Path(tempfile.mkdtemp(prefix="timeline-bench-graph-"))
    base = timeline_cmd() + ["--log", str(path)]
    rows = [
        (f"`timeline check --format json`, {args.claims:,} claims", timed(base + ["check", "--format", "json"], args.rounds)),
        (f"`timeline graph -o g.json` (node-link JSON), {graph_claims:,} claims",
         timed(timeline_cmd() + ["--log", str(graph_log), "graph", "-o", str(out / "g.json")], args.rounds)),
    ]
    graph_mib = (out / "g.json").stat().st_size / 2**20
    for f in out.iterdir():
        f.unlink()
    out.rmdir()
    lines = [
        "## Provenance commands: check and graph at scale (`python -m bench.provenance`)",
        "",
        f"Machine: {machine()}.",
        f"Run on {dt.date.today().isoformat()}; synthetic logs (bench.synth) in {args.series:,} series,"
        " each command a fresh process, median of"
        f" {args.rounds}; CPU = user + system; the load average is the 1-minute one as each command started (2 cores,"
        " shared: with a load above 2, wall time is mostly waiting for a core, and CPU time is the one to compare):",
        "",
        "| command | wall s | CPU s | peak RSS MiB | load average |",
        "|---|---:|---:|---:|---:|",
        *[f"| {name} | {wall:.2f} | {cpu:.2f} | {rss / 2**20:,.0f} | {load:.1f} |"
          for name, (wall, cpu, rss, load) in rows],
        "",
        f"The graph's node-link JSON is {graph_mib:,.0f} MiB. Targets: at most 5 s and 1 GiB at 1M claims.",
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
