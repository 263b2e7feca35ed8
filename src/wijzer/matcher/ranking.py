"""Match a profile to instruments: hybrid retrieval, structured fit, a reason for each result.

Retrieval fuses the lexical ranking (the profile text expanded with synonyms) and the vector
ranking by reciprocal rank fusion, so scores never depend on one backend's score scale.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from wijzer.matcher import explain
from wijzer.matcher.encoders import Encoder
from wijzer.matcher.explain import assess, instrument_regions
from wijzer.matcher.profile import Profile
from wijzer.matcher.understanding import Understanding, understand
from wijzer.search.backend import SearchBackend
from wijzer.search.documents import embedding_text
from wijzer.search.query import Filters, SearchQuery

MODES = ("hybrid", "vector", "lexical")
# RRF constant: small enough that rank 1 and rank 10 differ clearly in a catalog of hundreds.
RRF_K = 5
# Weights of the two rankings in the fusion; the vector ranking carries cross-language matches.
VECTOR_WEIGHT = 1.0
LEXICAL_WEIGHT = 1.0
MAX_QUERY_CHARS = 4000


@dataclass
class MatchResult:
    id: str
    title: str
    score: float
    reasons: list[str] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)
    record: dict[str, Any] = field(default_factory=dict, repr=False)
    #: Cosine similarity of profile and instrument where known (batch scoring), for thresholds.
    similarity: float | None = None
    #: Past its last deadline (hidden unless include_closed; shown with a blocker).
    closed: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "score": round(self.score, 4),
            "reasons": self.reasons,
            "blockers": self.blockers,
        }


def rank_score(rank: int) -> float:
    """The fused score of rank `rank` in a single ranking (1.0 for the first)."""
    return (RRF_K + 1) / (RRF_K + rank)


def rrf_scores(
    rankings: Sequence[tuple[float, Sequence[str]]], k: int | None = None
) -> dict[str, float]:
    """Reciprocal rank fusion normalised so that rank 1 in every ranking scores 1.0."""
    k = RRF_K if k is None else k
    total = sum(weight for weight, _ in rankings) or 1.0
    scores: dict[str, float] = {}
    for weight, ids in rankings:
        for rank, instrument_id in enumerate(ids, start=1):
            scores[instrument_id] = scores.get(instrument_id, 0.0) + weight * (k + 1) / (k + rank)
    # Divided by the total weight: a document first in every ranking scores 1.0.
    return {i: s / total for i, s in scores.items()}


class Matcher:
    def __init__(self, backend: SearchBackend, encoder: Encoder, today: dt.date | None = None):
        self.backend = backend
        self.encoder = encoder
        self.today = today or dt.date.today()

    def match(
        self,
        profile: Profile,
        top: int = 10,
        include_closed: bool = False,
        hide_blockers: bool = False,
        *,
        mode: str = "hybrid",
        pool: int | None = None,
    ) -> list[MatchResult]:
        """The top instruments for a profile; blockers shown unless hidden, closed ones hidden
        unless include_closed. mode: hybrid (default), vector or lexical (for baselines)."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}")
        understanding = understand(profile.description)
        size = pool or max(100, top * 10)
        rankings: list[tuple[float, list[str]]] = []
        records: dict[str, dict[str, Any]] = {}
        if mode in ("hybrid", "vector"):
            vector = self.encoder.encode([profile.description])[0]
            hits = self.backend.vector_search(vector, size, Filters(), self.today)
            rankings.append((VECTOR_WEIGHT, [h.id for h in hits]))
            records.update((h.id, h.source) for h in hits)
        if mode in ("hybrid", "lexical"):
            text = understanding.lexical_text(profile.description)[:MAX_QUERY_CHARS]
            query = SearchQuery(text=text, per_page=min(size, 100), facets=(), today=self.today)
            result = self.backend.search(query)
            rankings.append((LEXICAL_WEIGHT, [h.id for h in result.hits]))
            for hit in result.hits:
                records.setdefault(hit.id, hit.source)
        fused = rrf_scores(rankings)
        candidates = [(records[i], s) for i, s in fused.items() if i not in profile.excluded]
        # Rank on the structured fit alone, then explain only what is shown (reasons are the
        # costly part); the scores are the same either way.
        ranked = self.score_candidates(
            profile, candidates, understanding=understanding, explain=False
        )
        chosen = _select(ranked, top, include_closed, hide_blockers)
        return self.score_candidates(
            profile, [(r.record, fused[r.id]) for r in chosen], understanding=understanding
        )

    def score_candidates(
        self,
        profile: Profile,
        candidates: list[tuple[dict[str, Any], float]],
        *,
        understanding: Understanding | None = None,
        explain: bool = True,
    ) -> list[MatchResult]:
        """Structured fit on top of each candidate's retrieval score (0..1), best first."""
        understanding = understanding or understand(profile.description)
        results = []
        for record, similarity in candidates:
            fit = assess(profile, record, understanding, self.today, explain=explain)
            results.append(
                MatchResult(
                    record["id"],
                    record.get("title", ""),
                    similarity + fit.adjustment,
                    fit.reasons,
                    fit.blockers,
                    record,
                    closed=fit.closed,
                )
            )
        results.sort(key=lambda r: (-r.score, r.id))
        return results

    def score_batch(
        self,
        profiles: list[Profile],
        records: list[dict[str, Any]],
        *,
        top: int = 10,
        include_closed: bool = False,
        hide_blockers: bool = False,
        min_similarity: float = -1.0,
        profile_vectors: np.ndarray | None = None,
        record_vectors: np.ndarray | None = None,
    ) -> list[list[MatchResult]]:
        """Match many profiles against a set of (new) instruments in one go.

        One encoder call for the profiles, one for the records, one matrix product; the
        structured fit's main terms are vectorised over all records, and the full fit with
        reasons runs only for each profile's best few. Scored like `match(mode="vector")`, so
        both rank alike. `min_similarity` (cosine) drops weak pairs; results carry `similarity`.
        """
        if not profiles or not records:
            return [[] for _ in profiles]
        # Callers that hold vectors already (a cache, a benchmark) skip the encoder.
        queries = (
            profile_vectors
            if profile_vectors is not None
            else self.encoder.encode([p.description for p in profiles])
        )
        documents = (
            record_vectors
            if record_vectors is not None
            else self.encoder.encode([embedding_text(r) for r in records])
        )
        similarities = queries @ documents.T
        features = RecordFeatures.of(records, self.today)
        count = len(records)
        # Only the best few per profile by the vectorised score get the full, explained
        # assessment (the margin covers size/stage/amount/theme terms it leaves out).
        keep = min(count, top + 10)
        positions = np.arange(count)
        excluded_mask = np.zeros(count, dtype=bool)
        out: list[list[MatchResult]] = []
        for row, profile in enumerate(profiles):
            sims = similarities[row]
            # Rank of every record by similarity (ties by position, as the index orders them).
            order = np.lexsort((positions, -sims))
            ranks = np.empty(count, dtype=np.int64)
            ranks[order] = positions + 1
            understanding = understand(profile.description)
            approx = (RRF_K + 1) / (RRF_K + ranks) + features.adjustment(profile, understanding)
            blocked = sims < min_similarity
            if not include_closed:
                blocked = blocked | features.closed
            if profile.excluded:
                excluded_mask[:] = [r["id"] in profile.excluded for r in records]
                blocked = blocked | excluded_mask
            approx = np.where(blocked, -np.inf, approx)
            available = int((~blocked).sum())
            if available == 0:
                out.append([])
                continue
            take = min(keep, available)
            top_indexes = np.argpartition(-approx, take - 1)[:take] if take < count else positions
            best = [int(i) for i in top_indexes if not blocked[i]]
            candidates = [(records[i], rank_score(int(ranks[i]))) for i in best]
            scored = self.score_candidates(profile, candidates, understanding=understanding)
            for result, index in zip(scored, _positions(scored, best, records), strict=True):
                result.similarity = float(sims[index])
            out.append(_select(scored, top, include_closed, hide_blockers))
        return out


def _positions(
    scored: list[MatchResult], indexes: list[int], records: list[dict[str, Any]]
) -> list[int]:
    """The record position of each scored result (results are re-sorted by score)."""
    by_id = {records[i]["id"]: i for i in indexes}
    return [by_id[r.id] for r in scored]


@dataclass
class RecordFeatures:
    """Per-record arrays of what the structured fit looks at, for vectorised batch scoring."""

    regional: np.ndarray
    regions: list[frozenset[str]]
    eu: np.ndarray
    kinds: np.ndarray
    closed: np.ndarray

    @classmethod
    def of(cls, records: list[dict[str, Any]], today: dt.date) -> RecordFeatures:
        from wijzer.catalog.status import derive_status

        closed = []
        for record in records:
            opens = record.get("opens_at")
            status = derive_status(
                dt.date.fromisoformat(opens) if opens else None,
                record.get("deadlines") or [],
                today,
            )
            closed.append(status == "closed")
        return cls(
            regional=np.array([r.get("level") == "regional" for r in records]),
            regions=[frozenset(instrument_regions(r)) for r in records],
            eu=np.array([r.get("level") == "eu" for r in records]),
            kinds=np.array([r.get("instrument_type") or "" for r in records]),
            closed=np.array(closed),
        )

    @functools.cached_property
    def has_regions(self) -> np.ndarray:
        return np.array([bool(r) for r in self.regions], dtype=bool)

    def in_region(self, region: str) -> np.ndarray:
        cache: dict[str, np.ndarray] = self.__dict__.setdefault("_in_region", {})
        if region not in cache:
            cache[region] = np.array([region in r for r in self.regions], dtype=bool)
        return cache[region]

    def adjustment(self, profile: Profile, understanding: Understanding) -> np.ndarray:
        """The region, level, type and deadline terms of `explain.assess` for every record."""
        region = profile.region or understanding.region
        adjust = np.zeros(len(self.kinds))
        if region:
            in_region = self.in_region(region)
            has = self.has_regions
            adjust += np.where(self.regional & has & in_region, explain.REGION_MATCH, 0.0)
            adjust += np.where(self.regional & has & ~in_region, explain.BLOCKER_REGION, 0.0)
            adjust += np.where(self.regional & ~has, explain.REGION_UNKNOWN, 0.0)
        else:
            adjust += np.where(self.regional, explain.REGION_UNKNOWN, 0.0)
        if understanding.wants_eu:
            adjust += np.where(self.eu, explain.LEVEL_EU_WANTED, 0.0)
        if profile.wants:
            wanted = np.isin(self.kinds, list(profile.wants))
            adjust += np.where(wanted, explain.TYPE_WANTED, explain.TYPE_NOT_WANTED)
        elif understanding.types:
            adjust += np.where(
                np.isin(self.kinds, understanding.types), explain.TYPE_UNDERSTOOD, 0.0
            )
        adjust += np.where(self.closed, explain.BLOCKER_CLOSED, 0.0)
        return adjust


def _select(
    scored: list[MatchResult], top: int, include_closed: bool, hide_blockers: bool
) -> list[MatchResult]:
    if not include_closed:
        scored = [r for r in scored if not r.closed]
    if hide_blockers:
        scored = [r for r in scored if not r.blockers]
    return scored[:top]
