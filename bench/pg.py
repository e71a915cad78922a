"""PostgreSQL beside SQLite and DuckDB: the same synthetic log appended to both, the same questions asked.

usage: python -m bench.pg [--sizes 1000000] [--series 2000] [--writers 4] [--pg URL] [--no-write]

Without --pg it starts a throwaway cluster (tests/pgcluster.py, Debian's
postgresql; fsync on, synchronous_commit off: a crash loses the last commits
but never half of one, as SQLite's WAL with synchronous=NORMAL). Writes the
"PostgreSQL" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.run import APPEND_BATCH, HERE, ROOT, machine, timeline_cmd

MARK = "<!-- postgresql -->"


def _batches(n: int, series: int):
    """The synthetic log in append batches of about APPEND_BATCH claims, with every row."""
    from bench.synth import generate

    events, rows, pending = [], [], 0
    for article_events, batch in generate(n, series):
        events.extend(article_events)
        rows.extend(batch)
        pending += len(batch)
        if pending >= APPEND_BATCH:
            yield events, rows
            events, rows, pending = [], [], 0
    if events:
        yield events, rows


def append_rate(log: str, n: int, series: int) -> tuple[float, list]:
    """Claims/s through Store.append (encoding, chain and read model included); and the rows appended."""
    from timeline import Timeline

    tl = Timeline(log)
    seconds, rows = 0.0, []
    for events, batch in _batches(n, series):
        t0 = time.perf_counter()
        tl.store.append(events)
        seconds += time.perf_counter() - t0
        rows.extend(batch)
        if len(rows) % 100_000 < APPEND_BATCH:
            print(f"  {log[:40]}: {len(rows):,} claims", file=sys.stderr, flush=True)
    tl.close()
    return len(rows) / seconds, rows


def sql_asof(log: str, dates: list[dt.date]) -> tuple[float, dict]:
    """Median seconds of asof(D, known_at=D) on the SQL path, warm; and the chosen claim per series."""
    from timeline import Timeline

    tl = Timeline(log, create=False, index="sql")
    tl.asof(dates[0], known_at=dates[0])
    times, answers = [], {}
    for d in dates:
        t0 = time.perf_counter()
        state = tl.asof(d, known_at=d)
        times.append(time.perf_counter() - t0)
        answers[d.isoformat()] = {(v.metric, v.party, v.region): v.claims[0] for v in state.values}
    tl.close()
    return statistics.median(times), answers


def memory_asof(log: str, dates: list[dt.date]) -> tuple[float, float]:
    """Seconds to load the memory index, and the median warm asof on it."""
    from timeline import Timeline

    tl = Timeline(log, create=False, index="memory")
    t0 = time.perf_counter()
    tl.load_index()
    load = time.perf_counter() - t0
    times = []
    for d in dates:
        t0 = time.perf_counter()
        tl.asof(d, known_at=d)
        times.append(time.perf_counter() - t0)
    tl.close()
    return load, statistics.median(times)


def cold_asof(log: str, dates: list[dt.date]) -> tuple[float, float, float]:
    """Median wall and client CPU seconds of `timeline asof` as a fresh process, and the 1-minute load average
    before the runs (on a shared machine the wall time follows the load; the CPU time much less)."""
    load = os.getloadavg()[0]
    walls, cpus = [], []
    for d in dates[:5]:
        args = timeline_cmd() + ["--log", log, "asof", d.isoformat(), "--known-at", d.isoformat(), "--format", "json"]
        t0 = time.perf_counter()
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        walls.append(time.perf_counter() - t0)
        cpus.append(usage.ru_utime + usage.ru_stime)
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"{' '.join(args)} failed: {proc.stderr.read().decode()[-300:]}")
    return statistics.median(walls), statistics.median(cpus), load


WRITER = """
import sys, time
from bench.synth import generate
from timeline import Timeline
url, k, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
tl = Timeline(url)
claims = 0
t0 = time.perf_counter()
for events, rows in generate(n, 2000, seed=100 + k):  # one article and its claims per transaction, as ingest does
    tl.store.append(events)
    claims += len(rows)
print(claims, time.perf_counter() - t0)
"""


def writers(url: str, count: int, per_writer: int) -> dict:
    """`count` processes appending different articles at once: throughput, gaps, duplicates, verify."""
    from timeline import Timeline

    t0 = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, url, str(k), str(per_writer)], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True) for k in range(count)]
    outs = [p.communicate()[0] for p in procs]
    wall = time.perf_counter() - t0
    if any(p.returncode for p in procs):
        raise RuntimeError("a writer failed")
    claims = sum(int(o.split()[0]) for o in outs)
    with Timeline(url, create=False) as tl:
        positions, ids = [], set()
        for r in tl.events():
            positions.append(r.position)
            ids.add(r.id)
        report = tl.verify()
    return {
        "writers": count, "claims": claims, "events": len(positions), "seconds": wall,
        "claims_per_s": claims / wall, "gap_free": positions == list(range(1, len(positions) + 1)),
        "duplicates": len(positions) - len(ids), "verify_ok": report.ok,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.pg", description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000000", help="comma-separated claim counts (default 1000000)")
    ap.add_argument("--series", type=int, default=2000)
    ap.add_argument("--writers", type=int, default=4)
    ap.add_argument("--per-writer", type=int, default=25_000, help="claims each concurrent writer appends")
    ap.add_argument("--pg", help="a server URL (superuser or a database owner); default: a throwaway cluster")
    ap.add_argument("--no-write", action="store_true", help="do not write bench/RESULTS.md")
    args = ap.parse_args(argv)
    from bench.duck import Duck
    from events.pg_store import init_db
    from projections.pg_readmodel import projectors
    from tests.pg import with_schema

    t_start = time.perf_counter()
    cluster = None
    base = args.pg
    if base is None:
        sys.path.insert(0, str(ROOT))
        from tests.pgcluster import Cluster

        cluster = Cluster(durable=True).start()
        base = cluster.url()
    work = Path(tempfile.mkdtemp(prefix="timeline-bench-pg-"))
    rng = random.Random(7)
    results = []
    try:
        from events.pg_store import connect

        admin = connect(base)
        for n in [int(s) for s in args.sizes.split(",")]:
            schema = f"bench_{n}_{os.getpid()}"
            admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            admin.execute(f"CREATE SCHEMA {schema}")
            url = with_schema(base, schema)
            init_db(url, writer=None, reader=None, projectors=projectors())
            path = str(work / f"log-{n}.sqlite")
            print(f"N = {n:,}", file=sys.stderr)
            sqlite_rate, rows = append_rate(path, n, args.series)
            pg_rate, _ = append_rate(url, n, args.series)
            admin.execute(f"VACUUM ANALYZE {schema}.claims")  # as autovacuum would, soon after a bulk load
            admin.execute(f"VACUUM ANALYZE {schema}.events")
            lo, hi = min(r.valid for r in rows), max(r.valid for r in rows)
            dates = sorted(lo + dt.timedelta(days=rng.randint(0, (hi - lo).days)) for _ in range(20))
            duck = Duck(rows)
            del rows
            duck_times = []
            for d in dates:
                t0 = time.perf_counter()
                duck.latest(d, d)
                duck_times.append(time.perf_counter() - t0)
            sqlite_sql, sqlite_answers = sql_asof(path, dates)
            pg_sql, pg_answers = sql_asof(url, dates)
            sqlite_load, sqlite_mem = memory_asof(path, dates)
            pg_load, pg_mem = memory_asof(url, dates)
            result = {
                "claims": n,
                "sqlite_append_per_s": sqlite_rate, "pg_append_per_s": pg_rate,
                "sqlite_asof_sql_s": sqlite_sql, "pg_asof_sql_s": pg_sql, "ratio_sql": pg_sql / sqlite_sql,
                "duckdb_asof_s": statistics.median(duck_times),
                "sqlite_index_load_s": sqlite_load, "pg_index_load_s": pg_load,
                "sqlite_asof_memory_s": sqlite_mem, "pg_asof_memory_s": pg_mem,
                "same_answers": sqlite_answers == pg_answers,
            }
            result["sqlite_cold_s"], result["sqlite_cold_cpu_s"], result["sqlite_cold_load"] = cold_asof(path, dates)
            result["pg_cold_s"], result["pg_cold_cpu_s"], result["pg_cold_load"] = cold_asof(url, dates)
            print("  " + json.dumps(result), file=sys.stderr)
            results.append(result)
        schema = f"bench_writers_{os.getpid()}"
        admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        admin.execute(f"CREATE SCHEMA {schema}")
        url = with_schema(base, schema)
        init_db(url, writer=None, reader=None, projectors=projectors())
        many = writers(url, args.writers, args.per_writer)
        print("  " + json.dumps(many), file=sys.stderr)
        admin.close()
    finally:
        if cluster is not None:
            cluster.stop()
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    text = markdown(results, many, machine(), time.perf_counter() - t_start, server_version(base, cluster))
    print(text)
    if not args.no_write:
        write_section(text)
    return 0 if all(r["same_answers"] for r in results) and many["gap_free"] and many["verify_ok"] \
        and not many["duplicates"] else 1


def server_version(url: str, cluster) -> str:
    if cluster is not None:
        return f"PostgreSQL {cluster.version()} (a throwaway local cluster, Unix socket, fsync on, synchronous_commit off)"
    return "PostgreSQL (the server given with --pg)"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}"


def markdown(results: list[dict], many: dict, info: str, seconds: float, server: str) -> str:
    head = ("| claims | append/s SQLite | append/s PostgreSQL | asof SQL ms SQLite | asof SQL ms PostgreSQL | ratio |"
            " DuckDB ms | index load s SQLite | index load s PostgreSQL | asof memory ms SQLite |"
            " asof memory ms PostgreSQL | cold asof s SQLite | cold asof s PostgreSQL | cold CPU s SQLite |"
            " cold CPU s PostgreSQL | load at cold | same answers |")
    rule = "|" + "---:|" * 17
    body = [
        f"| {r['claims']:,} | {r['sqlite_append_per_s']:,.0f} | {r['pg_append_per_s']:,.0f} | {ms(r['sqlite_asof_sql_s'])}"
        f" | {ms(r['pg_asof_sql_s'])} | {r['ratio_sql']:.2f} | {ms(r['duckdb_asof_s'])} | {r['sqlite_index_load_s']:.2f}"
        f" | {r['pg_index_load_s']:.2f} | {ms(r['sqlite_asof_memory_s'])} | {ms(r['pg_asof_memory_s'])}"
        f" | {r['sqlite_cold_s']:.3f} | {r['pg_cold_s']:.3f} | {r['sqlite_cold_cpu_s']:.3f} | {r['pg_cold_cpu_s']:.3f}"
        f" | {r['sqlite_cold_load']:.1f}, {r['pg_cold_load']:.1f} | {r['same_answers']} |"
        for r in results
    ]
    return "\n".join([
        MARK,
        "## PostgreSQL",
        "",
        f"Machine: {info}; {server}.",
        f"Run on {dt.date.today().isoformat()} in {seconds:.0f} s with `python -m bench.pg`; 2,000 series;"
        f" load average {os.getloadavg()[0]:.1f} at the end of the run (other work on the machine slows every"
        " column alike: compare within a row).",
        "",
        head, rule, *body,
        "",
        f"{many['writers']} writer processes, each appending its own synthetic articles (one article and its"
        f" claims per transaction, as `timeline ingest` does; {many['claims'] / max(many['events'] - many['claims'], 1):.0f}"
        f" claims per article on average) to one PostgreSQL log at once:"
        f" {many['claims']:,} claims ({many['events']:,} events) in {many['seconds']:.1f} s,"
        f" {many['claims_per_s']:,.0f} claims/s in all; positions gap-free: {many['gap_free']};"
        f" duplicate ids: {many['duplicates']}; verify: {'ok' if many['verify_ok'] else 'FAILED'}.",
        "",
        "- append: claims/s through `Store.append` (encoding, hash chain and read model included), the same",
        "  batches of about 10,000 claims into each backend; PostgreSQL takes events and claims by COPY;",
        "- asof SQL: `Timeline.asof(D, known_at=D)` with `index=\"sql\"`, warm, median of 20 random dates;",
        "  ratio = PostgreSQL / SQLite; DuckDB: the same question over an in-memory table, for scale;",
        "- index load, asof memory: the memory index built from each read model, and a warm question on it;",
        "- cold asof: `timeline --log LOG asof D --known-at D --format json` as a fresh process (its modules",
        "  compiled to bytecode, as an installed package's are), wall time, median of 5; cold CPU: the same",
        "  processes' user and system time (the server's work is not in it); load at cold: the 1-minute load",
        "  average before the SQLite and the PostgreSQL runs;",
        "- same answers: the chosen claim of every series agrees between SQLite and PostgreSQL on all 20 dates;",
        "- a writer SIGKILLed in the middle of a transaction leaves whole articles only: that one is a test",
        "  (tests/test_pg_store.py).",
        "",
    ])


def write_section(text: str) -> None:
    """The PostgreSQL section of bench/RESULTS.md, the others kept (bench.results)."""
    from bench import results

    results.write_section(MARK[5:-4], text.removeprefix(MARK + "\n"))


if __name__ == "__main__":
    sys.exit(main())
