"""The views on the seeds plus the General Staff tally: `timeline report` and `timeline chart` as fresh processes.

Targets: the whole report under 10 s, `chart losses.personnel.killed:RU:Ukraine` under 2 s (wall time of the
command, Python's start included). CPU is the command's own user + system time (the report's check process
included); on a shared machine it says what the wall time would be with the cores free.

usage: python bench/views.py [--tally ../shared/data/russia-losses] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMELINE = [str(Path(sys.executable).with_name("timeline"))]  # the console script beside this interpreter


def run(args: list[str], log: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one `timeline --log LOG ...` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([*TIMELINE, "--log", str(log), *args], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tally", default=str(ROOT.parent / "shared" / "data" / "russia-losses"))
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="timeline-bench-views-"))
    try:
        log = work / "log.sqlite"
        run(["ingest", str(ROOT / "seeds")], log)
        run(["import-tally", args.tally], log)
        cases = {
            "report": ["report", "-o", str(work / "site")],
            "chart killed (png)": ["chart", "losses.personnel.killed:RU:Ukraine", "-o", str(work / "killed.png")],
            "chart killed (svg)": ["chart", "losses.personnel.killed:RU:Ukraine", "-o", str(work / "killed.svg")],
            "history killed (json)": ["history", "losses.personnel.killed", "RU", "Ukraine", "--format", "json"],
        }
        print(f"load average at start: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print("| command | wall s (median) | CPU s (median) | runs |")
        print("|---|---:|---:|---:|")
        for name, cmd in cases.items():
            walls, cpus = zip(*(run(cmd, log) for _ in range(args.runs)))
            print(f"| {name} | {statistics.median(walls):.2f} | {statistics.median(cpus):.2f} | {args.runs} |")
        size = sum(p.stat().st_size for p in (work / "site").rglob("*") if p.is_file())
        print(f"report size: {size / 1e6:.1f} MB in {sum(1 for _ in (work / 'site').rglob('*.html'))} pages")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
