"""Questions through the Python API, in a process of their own so its peak RSS is the API's.

usage: python -m bench.probe LOG DATES_JSON  ->  JSON on stdout
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time


def timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - t0, out


def main() -> None:
    from timeline import Timeline

    log, dates = sys.argv[1], json.loads(sys.argv[2])
    tl = Timeline(log, create=False)
    tl.index = "sql"
    t_open, _ = timed(tl.asof, dates[0], known_at=dates[0])  # opens the log and warms the caches
    sql_times = [timed(tl.asof, d, known_at=d)[0] for d in dates[:5]]
    tl.index = "memory"
    t_index, _ = timed(tl.load_index)  # the first call a notebook makes past its first question
    tl.asof(dates[0], known_at=dates[0])
    asof_times, answers = [], {}
    for d in dates:
        seconds, state = timed(tl.asof, d, known_at=d)
        asof_times.append(seconds)
        answers[d] = {"|".join(str(x) for x in (v.metric, v.party, v.region)): v.claims[0] for v in state.values}
    pairs = list(zip(dates[:5], dates[5:10]))
    diff_times = [timed(tl.diff, a, b, known_at=max(a, b))[0] for a, b in pairs]
    target = next(iter(tl.asof(dates[-1]).values))
    explain_times = [
        timed(tl.explain, target.metric, target.party, target.region, as_of=d)[0] for d in dates[:3]
    ]
    print(json.dumps({
        "first_asof_s": t_open,
        "asof_s": statistics.median(asof_times),
        "asof_sql_s": statistics.median(sql_times),
        "index_load_s": t_index,
        "diff_s": statistics.median(diff_times),
        "explain_s": statistics.median(explain_times),
        "rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "answers": answers,
    }))


if __name__ == "__main__":
    main()
