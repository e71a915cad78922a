"""Run the extractor over seeds/ (with seeds/manifest.csv) and write the claims as score-claims JSON.

usage: python bench/score_seeds.py [OUT.json] [--seeds DIR]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from events.extract import ArticleMeta, read_article  # noqa: E402


def seed_claims(seeds: Path) -> list[dict]:
    rows = []
    with open(seeds / "manifest.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            pub = dt.date.fromisoformat(row["published"]) if row.get("published") else None
            meta = ArticleMeta(published=pub, published_origin="manifest" if pub else None,
                               outlet=row.get("outlet") or None, title=row.get("title") or None, url=row.get("url") or None)
            result = read_article((seeds / row["file"]).read_bytes(), row["file"], meta)
            for cr in result.claims:
                c = cr.claim
                rows.append({
                    "article": row["file"], "metric": c.metric, "party": c.party, "region": c.region,
                    "value": c.value, "qualifier": c.qualifier, "unit": c.unit,
                    "as_of": c.as_of.isoformat() if c.as_of else None,
                    "period": {"start": c.period.start.isoformat() if c.period.start else None,
                               "end": c.period.end.isoformat()} if c.period else None,
                    "claimant": c.claimant, "quote": cr.evidence.quote, "span": list(cr.evidence.span), "rule": cr.rule,
                })
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?", default="-")
    ap.add_argument("--seeds", default=str(ROOT / "seeds"))
    args = ap.parse_args()
    data = json.dumps(seed_claims(Path(args.seeds)), indent=1, ensure_ascii=False)
    if args.out == "-":
        print(data)
    else:
        Path(args.out).write_text(data + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
