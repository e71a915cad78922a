"""Extraction throughput: articles per second on ~5 KB articles built from the seeds.

usage: python bench/extract.py [--n 600]
"""

from __future__ import annotations

import argparse
import os
import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from events.extract import ArticleMeta, read_article  # noqa: E402
from events.extract.lexicon import lexicon  # noqa: E402


def corpus(n: int) -> list[bytes]:
    """n distinct ~5 KB articles: seeds cut and rejoined, with figures varied so no two are equal."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    paras = [p for s in seeds for p in s.split("\n\n") if p.strip()]
    out = []
    for i in range(n):
        parts, size, j = [], 0, i * 7
        while size < 5000:
            p = paras[j % len(paras)].replace("000", f"{i % 997:03d}", 1)
            parts.append(p)
            size += len(p) + 2
            j += 3
        out.append("\n\n".join(parts).encode("utf-8"))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=600)
    args = ap.parse_args()
    arts = corpus(args.n)
    lexicon()  # loading the vocabularies is a one-off cost, not per article
    read_article(arts[0], "warm.txt", ArticleMeta())
    meta = ArticleMeta(published=dt.date(2024, 11, 20))
    t0, c0 = time.perf_counter(), time.process_time()
    claims = 0
    for i, raw in enumerate(arts):
        claims += len(read_article(raw, f"a{i}.txt", meta).claims)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    kb = sum(map(len, arts)) / len(arts) / 1024
    print(f"{len(arts)} articles of {kb:.1f} KB, {claims} claims in {secs:.2f} s wall, {cpu:.2f} s CPU: "
          f"{len(arts) / secs:.0f} articles/s (wall), {len(arts) / cpu:.0f} articles/s (CPU), one process")
    workers = os.cpu_count() or 1
    print(f"{parallel_rate(arts, meta, workers):.0f} articles/s (wall) on {workers} workers, as `timeline ingest` reads many files")
    return 0


def parallel_rate(arts: list[bytes], meta: ArticleMeta, workers: int) -> float:
    """Articles per second through events.extract.pool, worker start-up included."""
    from events.extract.pool import read_many

    t0 = time.perf_counter()
    n = sum(1 for _ in read_many([(raw, f"a{i}.txt", meta) for i, raw in enumerate(arts)], workers))
    return n / (time.perf_counter() - t0)


if __name__ == "__main__":
    sys.exit(main())
