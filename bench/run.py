"""The benchmark: a synthetic log at N = 10k, 100k and 1M claims, side by side with DuckDB.

usage: python -m bench [--quick] [--sizes 10000,100000] [--series 2000] [--keep DIR]

Prints a table and writes its section of bench/RESULTS.md (bench.results keeps the others) with the machine
it ran on.
DuckDB is a bench-only extra (`pip install -e '.[bench]'`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def machine() -> str:
    cpu = "unknown cpu"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import duckdb

    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), {mem:.0f} GiB; "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, DuckDB {duckdb.__version__}")


def run_child(args: list[str]) -> tuple[float, int, str]:
    """Wall time, peak RSS and stdout of a child process (reaped here, so its own rusage is read)."""
    with tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=err, cwd=ROOT, text=True)
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise RuntimeError(f"{' '.join(args)} failed: {err.read().strip()[-300:]}")
    return wall, usage.ru_maxrss * 1024, out


def timeline_cmd() -> list[str]:
    """The `timeline` command, its modules compiled to bytecode first (compiled()), as an installed one is."""
    compiled()
    exe = Path(sys.executable).with_name("timeline")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "timeline"]


def compiled() -> None:
    """Compile the package's modules to bytecode (__pycache__), as `pip install` does for an installed package.

    A cold command is timed as a user runs it: from bytecode. A source checkout under PYTHONDONTWRITEBYTECODE
    never writes it, so every cold run would compile some sixty modules again (about 0.1 s of CPU here),
    which is the compiler's time, not the command's.
    """
    import compileall

    for package in ("events", "projections", "timeline"):
        compileall.compile_dir(ROOT / package, quiet=1)


def extraction_rate(seconds: float = 3.0) -> tuple[float, float]:
    """Articles per second over the seeds, each read as a distinct article: one process, then every core."""
    from events.extract import ArticleMeta, read_article
    from events.extract.pool import read_many

    seeds = [p.read_bytes() for p in sorted((ROOT / "seeds").glob("*.txt"))]
    meta = ArticleMeta(published=dt.date(2024, 11, 23), published_origin="option")
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        raw = seeds[n % len(seeds)] + f"\n\n{n}\n".encode()
        read_article(raw, f"seed-{n}.txt", meta)
        n += 1
    single = n / (time.perf_counter() - t0)
    jobs = [(seeds[i % len(seeds)] + f"\n\n{i}\n".encode(), f"seed-{i}.txt", meta) for i in range(max(n, 200))]
    t0 = time.perf_counter()
    done = sum(1 for _ in read_many(jobs))
    return single, done / (time.perf_counter() - t0)


APPEND_BATCH = 10_000  # claims per transaction: many synthetic articles per append, as import and import-tally do


def append(tl, events: list) -> float:
    """Seconds to append one batch of events (encoding included) in one transaction."""
    t0 = time.perf_counter()
    tl.store.append(events)
    return time.perf_counter() - t0


ROUNDS = 3


def side_by_side(path: Path, duck, dates: list[dt.date]) -> tuple[float, float, float, bool, float]:
    """Median seconds of the warm API (the state, and the snapshot's chosen claims) and of DuckDB on the same
    questions, timed alternately; whether the snapshot chose DuckDB's claim for every series on every date; and
    the state with every one of its values read (the state builds them when first read).

    The machine's speed drifts (a shared host): asking each question of one
    and then the other, in one process, lets the drift fall on both alike.
    """
    from bench.synth import series_key
    from timeline import Timeline

    tl = Timeline(path, create=False, index="memory")
    tl.load_index()
    tl.asof(dates[0], known_at=dates[0])
    tl.at(dates[0], known_at=dates[0]).chosen()
    duck.latest(dates[0], dates[0])
    api, snap, theirs, read = [], [], [], []
    same = True
    for _ in range(ROUNDS):
        for d in dates:
            t0 = time.perf_counter()
            state = tl.asof(d, known_at=d)
            t1 = time.perf_counter()
            tuple(state.values)
            read.append(time.perf_counter() - t0)
            t1b = time.perf_counter()
            chosen = tl.at(d, known_at=d).chosen()
            t2 = time.perf_counter()
            latest = duck.latest(d, d)
            t3 = time.perf_counter()
            api.append(t1 - t0)
            snap.append(t2 - t1b)
            theirs.append(t3 - t2)
            same = same and {series_key(k): v for k, v in latest.items()} == {k[:3]: v for k, v in chosen.items()}
    tl.close()
    return statistics.median(api), statistics.median(snap), statistics.median(theirs), same, statistics.median(read)


def bench_size(n: int, series: int, workdir: Path, rng: random.Random) -> dict:
    from bench.duck import Duck
    from bench.synth import series_key, generate
    from timeline import Timeline

    path = workdir / f"log-{n}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    tl = Timeline(path)
    rows, appended, append_s = [], 0, 0.0
    events: list = []
    for article_events, batch in generate(n, series):
        events.extend(article_events)
        rows.extend(batch)
        if len(rows) - appended >= APPEND_BATCH:
            append_s += append(tl, events)
            appended, events = len(rows), []
            if appended % 100_000 < APPEND_BATCH:
                print(f"  appended {appended:,} claims", file=sys.stderr, flush=True)
    if events:
        append_s += append(tl, events)
        appended = len(rows)
    tl.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    tl.close()
    size = sum(Path(str(path) + s).stat().st_size for s in ("", "-wal") if Path(str(path) + s).exists())
    from bench.floor import floor

    store_floor = floor(path, APPEND_BATCH)

    lo, hi = min(r.valid for r in rows), max(r.valid for r in rows)
    dates = sorted(lo + dt.timedelta(days=rng.randint(0, (hi - lo).days)) for _ in range(20))
    iso = [d.isoformat() for d in dates]
    duck = Duck(rows)
    del rows  # so that the API timed below shares this process with as little as possible
    gc.collect()

    _, probe_rss, out = run_child([sys.executable, "-m", "bench.probe", str(path), json.dumps(iso)])
    probe = json.loads(out)
    cold = []
    cold_rss = 0
    for d in iso[:5]:
        wall, rss, _ = run_child(timeline_cmd() + ["--log", str(path), "asof", d, "--known-at", d, "--format", "json"])
        cold.append(wall)
        cold_rss = max(cold_rss, rss)
    rebuild_s, rebuild_rss, _ = run_child(timeline_cmd() + ["--log", str(path), "rebuild"])

    equal = all(
        {"|".join(series_key(k)): v for k, v in duck.latest(d, d).items()} == probe["answers"][s]
        for d, s in zip(dates, iso)
    )
    api_s, snap_s, duck_s, snap_equal, read_s = side_by_side(path, duck, dates)
    return {
        "claims": n,
        "series": series,
        "append_per_s": appended / append_s,
        "floor_per_s": store_floor["claims_per_s"],
        "asof_api_s": api_s,
        "asof_api_alone_s": probe["asof_s"],
        "asof_sql_s": probe["asof_sql_s"],
        "index_load_s": probe["index_load_s"],
        "asof_cold_s": statistics.median(cold),
        "diff_s": probe["diff_s"],
        "rebuild_s": rebuild_s,
        "explain_s": probe["explain_s"],
        "peak_rss_bytes": max(probe_rss, cold_rss, rebuild_rss, probe["rss_bytes"]),
        "log_bytes": size,
        "bytes_per_claim": size / n,
        "duckdb_asof_s": duck_s,
        "duckdb_load_s": duck.load_seconds,
        "ratio_api_to_duckdb": api_s / duck_s,
        "asof_read_s": read_s,
        "ratio_read_to_duckdb": read_s / duck_s,
        "snapshot_s": snap_s,
        "ratio_snapshot_to_duckdb": snap_s / duck_s,
        "answers_equal": equal and snap_equal,
    }


COLUMNS = [
    ("claims", "claims", "{:,}"),
    ("append_per_s", "append/s", "{:,.0f}"),
    ("floor_per_s", "SQLite floor/s", "{:,.0f}"),
    ("asof_api_s", "asof API ms", "ms"),
    ("duckdb_asof_s", "DuckDB ms", "ms"),
    ("ratio_api_to_duckdb", "ratio", "{:.2f}"),
    ("asof_read_s", "asof read ms", "ms"),
    ("ratio_read_to_duckdb", "read ratio", "{:.2f}"),
    ("snapshot_s", "snapshot ms", "ms"),
    ("ratio_snapshot_to_duckdb", "snapshot ratio", "{:.2f}"),
    ("answers_equal", "same answers", "{}"),
    ("index_load_s", "index load s", "{:.2f}"),
    ("asof_sql_s", "asof SQL ms", "ms"),
    ("asof_cold_s", "asof cold s", "{:.3f}"),
    ("diff_s", "diff ms", "ms"),
    ("rebuild_s", "rebuild s", "{:.2f}"),
    ("explain_s", "explain ms", "ms"),
    ("peak_rss_bytes", "peak RSS MiB", "mib"),
    ("bytes_per_claim", "bytes/claim", "{:,.0f}"),
]


def cell(value, fmt: str) -> str:
    if fmt == "ms":
        return f"{value * 1000:,.1f}"
    if fmt == "mib":
        return f"{value / 2**20:,.0f}"
    return fmt.format(value)


def markdown(results: list[dict], extraction: tuple[float, float], info: str, seconds: float) -> str:
    head = "| " + " | ".join(h for _, h, _ in COLUMNS) + " |"
    rule = "|" + "|".join("---:" for _ in COLUMNS) + "|"
    body = ["| " + " | ".join(cell(r[k], f) for k, _, f in COLUMNS) + " |" for r in results]
    return "\n".join([
        "# Benchmark results",
        "",
        f"Machine: {info}.",
        f"Run on {dt.date.today().isoformat()} in {seconds:.0f} s with `python -m bench`"
        f"{' --quick' if len(results) == 1 and results[0]['claims'] <= 10_000 else ''}; "
        f"{results[0]['series']:,} series, valid dates over four years, report lag 0-30 days.",
        "",
        head, rule, *body,
        "",
        f"Extraction on the seeds: {extraction[0]:,.0f} articles/s in one process, {extraction[1]:,.0f} articles/s"
        f" on {os.cpu_count()} worker processes (as `timeline ingest` reads many files).",
        "",
        "- append: claims/s through `Store.append` (encoding, hash chain and read model included), in transactions",
        "  of about 10,000 claims: many synthetic articles of 50 claims per call, as `import` and `import-tally` do;",
        "  SQLite floor: the same events and claims rows inserted again into a fresh log in transactions of the",
        "  same size, with nothing else to do (`python -m bench.floor LOG`): what SQLite alone allows here;",
        "- asof API: `Timeline.asof(D, known_at=D)` warm on the memory index; DuckDB: the same question (latest",
        "  claim per series with valid <= D and report <= K) over an in-memory table; both are medians over 3",
        "  rounds of 20 random dates, each question asked of one and then the other in one process, so that the",
        "  shared machine's drift in speed falls on both alike; ratio = API / DuckDB; same answers = the chosen",
        "  claim of every series agrees on all 20; the state builds its values when one is first read, so asof",
        "  read: the same question with every value read (a `tuple` of them), read ratio = asof read / DuckDB;",
        "  index load: building that index from the read model",
        "  (`Timeline.load_index`, what a second question costs in the default `index=\"auto\"` mode);",
        "  snapshot: `Timeline.at(D, known_at=D).chosen()`, DuckDB's own question (the chosen claim of every",
        "  series) answered by the snapshot without building its values, timed in the same rounds; snapshot ratio",
        "  = snapshot / DuckDB (same answers covers it too); asof SQL:",
        "  the same question on the SQL path (what one-shot commands use), warm, median of 5;",
        "- asof cold: `timeline asof D --known-at D --format json` as a fresh process (its modules compiled to",
        "  bytecode, as an installed package's are), wall time, median of 5;",
        "- diff, explain: through the API, medians; rebuild: `timeline rebuild` as a fresh process;",
        "- peak RSS: the largest of the API, cold and rebuild processes; bytes/claim: the SQLite file after a",
        "  checkpoint (events, hash chain and read models) divided by the number of claims.",
        "",
    ])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="only N = 10k (under a minute)")
    ap.add_argument("--sizes", help="comma-separated claim counts (default 10000,100000,1000000)")
    ap.add_argument("--series", type=int, default=2000)
    ap.add_argument("--keep", type=Path, help="keep the logs in this folder")
    ap.add_argument("--no-write", action="store_true", help="do not write bench/RESULTS.md")
    args = ap.parse_args(argv)
    sizes = [10_000] if args.quick else [int(s) for s in (args.sizes or "10000,100000,1000000").split(",")]
    t0 = time.perf_counter()
    info = machine()
    rng = random.Random(7)
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="timeline-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results = []
    print(f"machine: {info}", file=sys.stderr)
    for n in sizes:
        print(f"N = {n:,}", file=sys.stderr)
        results.append(bench_size(n, args.series, workdir, rng))
        print("  " + json.dumps({k: v for k, v in results[-1].items()}), file=sys.stderr)
    extraction = extraction_rate()
    text = markdown(results, extraction, info, time.perf_counter() - t0)
    print(text)
    if not args.no_write:
        from bench.results import FIRST, write_section

        write_section(FIRST, text)  # the other benchmarks' sections stay
    if not args.keep:
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if all(r["answers_equal"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
