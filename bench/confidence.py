"""Confidence against correctness: precision per confidence band on the dev corpus, and the fit of the model.

Each extracted claim of the dev corpus is marked right or wrong by the shared scorer (a claim the scorer lists as
"extra" matches no claim of the answer key). `--fit` fits the logistic model of events/extract/confidence.py to
those marks (rule and signals as inputs, L2-regularised) and writes events/lexicons/confidence.json. The table shows
precision per band in sample (the fitted model on the claims it was fitted on) and leaving each article out (each
article scored by a model fitted on all the others), on the held-out corpus of tests/corpus/holdout (never used
to fit: the nearest thing to unseen text), and the ranking power (AUC).

usage: python bench/confidence.py [--fit] [--shared ../shared]
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from events.extract.confidence import _FILE, features  # noqa: E402
from timeline import Timeline  # noqa: E402

L2 = 8.0
BANDS = [(0.0, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.01)]


HOLDOUT = ROOT / "tests" / "corpus" / "holdout"


def marked_claims(articles: Path, gold: Path, scorer: Path) -> list[dict]:
    """Every claim extracted from a corpus, with `right` set from the scorer's verdict against its key."""
    with tempfile.TemporaryDirectory() as tmp:
        with Timeline(Path(tmp) / "corpus.sqlite") as tl:
            tl.ingest([articles])
            rows = tl.claims()
        marked = Path(tmp) / "marked.json"
        marked.write_text(json.dumps([{**r, "quote": r["id"]} for r in rows]), encoding="utf-8")
        out = subprocess.run([sys.executable, str(scorer), str(gold), str(marked)],
                             capture_output=True, text=True).stdout
    wrong = {line.rsplit('"', 2)[-2] for line in out.splitlines() if line.lstrip().startswith("+ extra")}
    return [{**r, "right": r["id"] not in wrong} for r in rows]


def fit(rows: list[dict], l2: float = 1.0, steps: int = 3000, rate: float = 0.5) -> dict:
    """Logistic regression by gradient descent: intercept and one weight per feature seen."""
    xs = [features(r["rule"], r["signals"]) for r in rows]
    ys = [1.0 if r["right"] else 0.0 for r in rows]
    names = sorted({f for x in xs for f in x})
    w = dict.fromkeys(names, 0.0)
    b = math.log((sum(ys) + 1) / (len(ys) - sum(ys) + 1))
    n = len(rows)
    for _ in range(steps):
        gb, gw = 0.0, dict.fromkeys(names, 0.0)
        for x, y in zip(xs, ys):
            p = 1.0 / (1.0 + math.exp(-(b + sum(w[f] for f in x))))
            gb += p - y
            for f in x:
                gw[f] += p - y
        b -= rate * gb / n
        for f in names:
            w[f] -= rate * (gw[f] + l2 * w[f]) / n
    return {"intercept": round(b, 4), "weights": {f: round(v, 4) for f, v in w.items() if abs(v) >= 1e-4}}


def predict(model: dict, row: dict) -> float:
    z = model["intercept"] + sum(model["weights"].get(f, 0.0) for f in features(row["rule"], row["signals"]))
    return 1.0 / (1.0 + math.exp(-z))


def auc(pairs: list[tuple[float, bool]]) -> float:
    pos = [p for p, ok in pairs if ok]
    neg = [p for p, ok in pairs if not ok]
    if not pos or not neg:
        return float("nan")
    return sum((p > n) + 0.5 * (p == n) for p in pos for n in neg) / (len(pos) * len(neg))


def table(pairs: list[tuple[float, bool]]) -> list[str]:
    lines = [f"{'band':<11} {'claims':>6} {'right':>6} {'precision':>9} {'mean confidence':>16}"]
    for lo, hi in BANDS:
        inside = [(p, ok) for p, ok in pairs if lo <= p < hi]
        if not inside:
            lines.append(f"{lo:.1f}-{min(hi, 1.0):.1f}    {0:>6} {'':>6} {'-':>9} {'-':>16}")
            continue
        right = sum(ok for _, ok in inside)
        mean = sum(p for p, _ in inside) / len(inside)
        lines.append(f"{lo:.1f}-{min(hi, 1.0):.1f}    {len(inside):>6} {right:>6} {right / len(inside):>9.2f} {mean:>16.2f}")
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fit", action="store_true", help="write the fitted weights to events/lexicons/confidence.json")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--l2", type=float, default=L2, help="regularisation: larger trusts single signals less")
    args = ap.parse_args()
    scorer = args.shared / "bin" / "score-claims"
    rows = marked_claims(args.shared / "dev" / "articles", args.shared / "dev" / "gold.yaml", scorer)
    print(f"{len(rows)} claims on the dev corpus, {sum(r['right'] for r in rows)} right "
          f"(precision {sum(r['right'] for r in rows) / max(1, len(rows)):.3f})")
    model = fit(rows, l2=args.l2)
    if args.fit:
        data = json.loads(_FILE.read_text(encoding="utf-8"))
        data.update(model)
        _FILE.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {_FILE.relative_to(ROOT)}")
    print("\nIn sample (fitted on all the dev claims, scored on them):")
    print("\n".join(table([(predict(model, r), r["right"]) for r in rows])))
    held_out = []
    for article in sorted({r["article"] for r in rows}):
        m = fit([r for r in rows if r["article"] != article], l2=args.l2, steps=1000)
        held_out += [(predict(m, r), r["right"]) for r in rows if r["article"] == article]
    print("\nLeaving each article out (scored by a model fitted on the other articles: what to expect on unseen text):")
    print("\n".join(table(held_out)))
    print(f"ranking (AUC, the chance a right claim is ranked above a wrong one): in sample "
          f"{auc([(predict(model, r), r['right']) for r in rows]):.2f}, leaving each article out {auc(held_out):.2f}")
    unseen = marked_claims(HOLDOUT / "articles", HOLDOUT / "gold.yaml", scorer)
    pairs = [(predict(model, r), r["right"]) for r in unseen]
    print(f"\nOn the held-out corpus ({len(unseen)} claims, {sum(r['right'] for r in unseen)} right; the model "
          f"fitted on the whole dev corpus):")
    print("\n".join(table(pairs)))
    print(f"ranking (AUC) on the held-out corpus: {auc(pairs):.2f}")
    weights = Counter(model["weights"])
    print("\nStrongest signals: " + ", ".join(f"{f} {v:+.2f}" for f, v in weights.most_common(4)) + "; weakest: "
          + ", ".join(f"{f} {v:+.2f}" for f, v in weights.most_common()[-4:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
