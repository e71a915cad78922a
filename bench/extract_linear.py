"""Extraction speed in MB/s on pathological text, next to ordinary articles, at two sizes.

Each input repeats one piece built to defeat a naive reader (an abbreviation that never ends a sentence, dates,
digits with commas, unclosed quotes and brackets, a run of spaces, one endless line). Work linear in the size of
the text shows as the same MB/s at both sizes; the ratio column is time(large) / time(small) / (size ratio), about
1.0 when linear, the size ratio itself when quadratic.

usage: python bench/extract_linear.py [--mb 1] [--line-mb 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from events.extract import ArticleError, ArticleMeta, read_article  # noqa: E402
from events.extract.lexicon import lexicon  # noqa: E402

META = ArticleMeta(published=dt.date(2024, 11, 20))
LEAD = "Russia lost 120 tanks in the Kursk region, the General Staff said.\n"
PIECES = {
    "abbreviations (Gen. )": "Gen. ",
    "dates (Nov. 5, 2024 )": "Nov. 5, 2024 ",
    "initials (A. )": "A. ",
    "digits with commas": "1,234,567 ",
    "unclosed quotes": "“Russia lost 1,200 troops ",
    "unclosed brackets": "(Russia lost 1,200 troops [and ",
    "terminators (!)": "!",
    "list items": "• 5 tanks;\n",
    "figure-dense prose": "Russian forces lost 1,200 troops near Kupiansk, the General Staff said. ",
}


def _read(raw: bytes) -> tuple[float, int]:
    t = time.process_time()
    try:
        n = len(read_article(raw, "bench.txt", META).claims)
    except ArticleError:
        n = 0
    return time.process_time() - t, n


def _row(name: str, small: bytes, large: bytes) -> str:
    ts, _ = _read(small)
    tl, claims = _read(large)
    ratio = (tl / max(ts, 1e-9)) / (len(large) / len(small))
    return (f"{name:<28} {len(small) / 1e6:>6.2f} MB {len(small) / 1e6 / max(ts, 1e-9):>7.2f} MB/s"
            f" {len(large) / 1e6:>6.2f} MB {len(large) / 1e6 / max(tl, 1e-9):>7.2f} MB/s   {ratio:>4.2f}  {claims} claims")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=0.5, help="size of the smaller input; the larger is 4 times it")
    ap.add_argument("--line-mb", type=float, default=5.0, help="size of the single-line input (the size cap)")
    args = ap.parse_args()
    lexicon()
    read_article(LEAD.encode(), "warm.txt", META)
    size = int(args.mb * 1e6)
    print(f"{'input':<28} {'small':>9} {'rate':>12} {'large':>9} {'rate':>12}   ratio (1.0 = linear)")
    sys.path.insert(0, str(ROOT / "bench"))
    from extract import corpus  # noqa: E402  ordinary ~5 KB articles built from the seeds

    arts = corpus(400)
    t = time.process_time()
    for i, raw in enumerate(arts):
        read_article(raw, f"a{i}.txt", META)
    secs = time.process_time() - t
    mb = sum(map(len, arts)) / 1e6
    print(f"{'ordinary articles (5 KB)':<28} {mb:>6.2f} MB {mb / secs:>7.2f} MB/s   ({len(arts) / secs:.0f} articles/s)")
    for name, piece in PIECES.items():
        k = max(1, size // len(piece.encode()))
        print(_row(name, (LEAD + piece * k).encode(), (LEAD + piece * 4 * k).encode()), flush=True)
    spaces = " " * 100_000
    print(_row("100k spaces", (LEAD + "Russia lost" + spaces + "5 tanks.").encode(),
               (LEAD + "Russia lost" + spaces * 4 + "5 tanks.").encode()))
    line = "Russian forces lost 1,200 troops near Kupiansk, the General Staff said, and "
    big = int(args.line_mb * 1e6)
    print(_row("one line (no newline)", (LEAD + line * (big // 4 // len(line))).encode(),
               (LEAD + line * (big // len(line))).encode()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
