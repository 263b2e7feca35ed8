"""Print nDCG@10, recall@10 and hit@10 of search on judged queries, per mode, language and kind.

Imports the seed corpus into a temporary data directory, builds the embedded index with the
encoder, then runs every judged query (eval/JUDGEMENTS.md) through the search use case:

- `lexical-v1`: words alone, analysed as before Dutch compounds were split (a second index);
- `lexical`: words alone (`mode=lexical`);
- `vector`: the encoder's nearest neighbours alone (a baseline, not offered to users);
- `hybrid`: what users get (`mode=hybrid`; quoted phrases and identifiers stay lexical).

No status filter: the judgments grade closed instruments too (search shows them with their
status). hit@10 is the share of queries with at least one relevant instrument in the top 10.

    python bench/eval_search.py [QUERIES.jsonl] [--encoder usem3] [--per-query MODE]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src"), str(REPO / "tools")]

from evaluation import SEED, ndcg_at, recall_at, seed_index  # noqa: E402

from wijzer.app.indexing import rebuild_index  # noqa: E402
from wijzer.app.searches import run  # noqa: E402
from wijzer.matcher.encoders import Encoder  # noqa: E402
from wijzer.search import analysis, compounds  # noqa: E402
from wijzer.search.embedded import EmbeddedBackend  # noqa: E402
from wijzer.search.query import build_query  # noqa: E402

QUERIES = REPO / "eval" / "search_queries_judged.jsonl"
# The day the judgments were written (statuses are as of that day).
TODAY = dt.date(2026, 11, 27)
K = 10
MODES = ("lexical-v1", "lexical", "vector", "hybrid")


@contextlib.contextmanager
def without_compounds() -> Iterator[None]:
    """Analysis as it was before compound splitting (whole words' stems only)."""
    original = compounds.split
    compounds.split = lambda word: ()  # type: ignore[assignment]
    analysis.search_stems.cache_clear()
    try:
        yield
    finally:
        compounds.split = original
        analysis.search_stems.cache_clear()


def read_queries(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def rankers(
    backend: EmbeddedBackend, old: EmbeddedBackend, encoder: Encoder
) -> dict[str, Callable[[str], list[str]]]:
    def lexical_v1(text: str) -> list[str]:
        with without_compounds():
            hits = old.search(build_query(text, per_page=K, today=TODAY, mode="lexical")).hits
        return [h.id for h in hits]

    def lexical(text: str) -> list[str]:
        query = build_query(text, per_page=K, today=TODAY, mode="lexical")
        return [h.id for h in run(backend, None, query).hits]

    def vector(text: str) -> list[str]:
        query = build_query(text, per_page=K, today=TODAY)
        found = backend.vector_search(encoder.encode([text])[0], K, query.filters, TODAY)
        return [h.id for h in found]

    def hybrid(text: str) -> list[str]:
        query = build_query(text, per_page=K, today=TODAY, mode="hybrid")
        return [h.id for h in run(backend, encoder, query, filled=True).hits]

    return {"lexical-v1": lexical_v1, "lexical": lexical, "vector": vector, "hybrid": hybrid}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("queries", nargs="?", type=Path, default=QUERIES)
    parser.add_argument("--seed", type=Path, default=SEED)
    parser.add_argument("--encoder", default="usem3")
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--per-query", choices=MODES, default=None, help="list every query")
    args = parser.parse_args()
    judged = read_queries(args.queries)

    with seed_index(args.seed, args.encoder, args.cache_dir) as corpus:
        backend, encoder = corpus.backend, corpus.encoder
        started = time.perf_counter()
        old = EmbeddedBackend(corpus.data / "index-v1")
        with without_compounds():
            rebuild_index(corpus.catalog, old, encoder)
        print(
            f"indexed {corpus.count} instruments with {encoder.name} in"
            f" {corpus.seconds + time.perf_counter() - started:.1f} s (twice: with and without"
            f" compound splitting); {len(judged)} judged queries; today={TODAY}"
        )
        table: dict[tuple[str, str], list[tuple[float, float, float]]] = defaultdict(list)
        for mode, rank in rankers(backend, old, encoder).items():
            for row in judged:
                ranked = rank(row["query"])
                relevant: dict[str, int] = row["relevant"]
                scores = (
                    ndcg_at(ranked, relevant, K),
                    recall_at(ranked, relevant, K),
                    float(any(i in relevant for i in ranked[:K])),
                )
                for group in ("all", f"lang={row['language']}", f"kind={row['kind']}"):
                    table[(mode, group)].append(scores)
                if args.per_query == mode:
                    print(f"  {row['id']} {row['query'][:40]:40} nDCG {scores[0]:.3f} {ranked[:3]}")
        groups = sorted({g for _, g in table}, key=lambda g: (g != "all", g))
        print(f"{'group':22} {'n':>3}  " + "  ".join(f"{m:>22}" for m in MODES))
        print(f"{'':22} {'':>3}  " + "  ".join(f"{'nDCG  recall  hit':>22}" for _ in MODES))
        for group in groups:
            n = len(table[(MODES[0], group)])
            cells = []
            for mode in MODES:
                rows = table[(mode, group)]
                means = [sum(r[i] for r in rows) / len(rows) for i in range(3)]
                cells.append(f"{means[0]:6.3f} {means[1]:7.3f} {means[2]:5.2f}")
            print(f"{group:22} {n:3}  " + "  ".join(f"{c:>22}" for c in cells))
        old.close()


if __name__ == "__main__":
    main()
