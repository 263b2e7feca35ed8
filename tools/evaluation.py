"""Ranking quality on judged profiles and queries: nDCG@k and recall@k (graded 2/1), and the
seed corpus indexed once for the evaluation benches."""

from __future__ import annotations

import contextlib
import json
import math
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wijzer.app.indexing import rebuild_index
from wijzer.catalog.db import Catalog, upgrade_database
from wijzer.catalog.exchange import import_records, read_jsonl
from wijzer.matcher.encoders import Encoder, load_encoder
from wijzer.matcher.profile import Profile, ProfileError, parse_profile
from wijzer.search.embedded import EmbeddedBackend

SEED = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "instruments_seed.jsonl"


@dataclass
class JudgedProfile:
    profile: Profile
    judgments: dict[str, int]


@dataclass
class Scores:
    ndcg: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    per_profile: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def mean_ndcg(self) -> float:
        return sum(self.ndcg) / len(self.ndcg) if self.ndcg else 0.0

    @property
    def mean_recall(self) -> float:
        return sum(self.recall) / len(self.recall) if self.recall else 0.0


def read_judged(path: Path) -> list[JudgedProfile]:
    """Profiles with a `judgments` object {instrument id: 2 (needed) | 1 (useful)}."""
    out = []
    with path.open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                data: Any = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise ProfileError("(json)", f"not valid JSON: {exc.msg}", number) from None
            profile = parse_profile(data, number)
            judgments = data.get("judgments")
            if not isinstance(judgments, dict) or not judgments:
                raise ProfileError("judgments", "expected a non-empty object", number)
            out.append(JudgedProfile(profile, {str(k): int(v) for k, v in judgments.items()}))
    return out


def ndcg_at(ranked: list[str], judgments: dict[str, int], k: int = 10) -> float:
    dcg = sum(
        (2 ** judgments.get(i, 0) - 1) / math.log2(pos + 2) for pos, i in enumerate(ranked[:k])
    )
    ideal = sorted(judgments.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(pos + 2) for pos, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall_at(ranked: list[str], judgments: dict[str, int], k: int = 10) -> float:
    relevant = {i for i, g in judgments.items() if g > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def evaluate(
    judged: Iterable[JudgedProfile], rank: Callable[[Profile], list[str]], k: int = 10
) -> Scores:
    scores = Scores()
    for item in judged:
        ranked = rank(item.profile)
        n, r = ndcg_at(ranked, item.judgments, k), recall_at(ranked, item.judgments, k)
        scores.ndcg.append(n)
        scores.recall.append(r)
        scores.per_profile[item.profile.id or "?"] = (n, r)
    return scores


@dataclass
class SeedIndex:
    """The seed corpus in a temporary catalog, indexed on the embedded backend with vectors."""

    data: Path  # the temporary data directory (room for more indexes)
    catalog: Catalog
    encoder: Encoder
    backend: EmbeddedBackend
    count: int  # instruments indexed
    seconds: float  # to build the index


@contextlib.contextmanager
def seed_index(seed: Path, encoder: str, cache_dir: Path | None = None) -> Iterator[SeedIndex]:
    """Import `seed` into a temporary data directory and index it with the named encoder
    (embeddings kept in `cache_dir`, by default in the temporary directory); closed after."""
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        url = f"sqlite:///{data / 'catalog.sqlite'}"
        upgrade_database(url)
        catalog = Catalog(url)
        import_records(catalog, read_jsonl(seed).records, changed_by="eval")
        loaded = load_encoder(encoder, cache_dir=cache_dir or data / "cache")
        backend = EmbeddedBackend(data / "index")
        started = time.perf_counter()
        count = rebuild_index(catalog, backend, loaded)
        try:
            yield SeedIndex(data, catalog, loaded, backend, count, time.perf_counter() - started)
        finally:
            backend.close()
            catalog.dispose()
