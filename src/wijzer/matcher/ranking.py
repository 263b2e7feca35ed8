"""Match a profile to instruments: hybrid retrieval, structured fit, a reason for each result.

Retrieval fuses the lexical ranking (the profile text expanded with synonyms) and the vector
ranking by reciprocal rank fusion, so scores never depend on one backend's score scale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from wijzer.matcher import rules
from wijzer.matcher.encoders import Encoder
from wijzer.matcher.explain import explain
from wijzer.matcher.profile import Profile
from wijzer.matcher.reasons import Reason
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
    #: Why it fits, and what is true of it whoever asks (`Kind.FIT`, `Kind.CONTEXT`).
    reasons: list[Reason] = field(default_factory=list)
    #: Why the profile is probably not eligible (`Kind.BLOCKER`).
    blockers: list[Reason] = field(default_factory=list)
    record: dict[str, Any] = field(default_factory=dict, repr=False)
    #: Cosine similarity of profile and instrument where known (batch scoring), for thresholds.
    similarity: float | None = None
    #: Past its last deadline (hidden unless include_closed; shown with a blocker).
    closed: bool = False
    #: Has a blocker (known before the reasons are spelled out; hidden by hide_blockers).
    blocked: bool = False

    def as_json(self) -> dict[str, Any]:
        """The result as data; `wijzer.i18n.wording.match_json` adds the reasons' words."""
        return {
            "id": self.id,
            "title": self.title,
            "score": round(self.score, 4),
            "reasons": [r.as_json() for r in self.reasons],
            "blockers": [r.as_json() for r in self.blockers],
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
        return self.score_candidates(
            profile,
            candidates,
            understanding=understanding,
            top=top,
            include_closed=include_closed,
            hide_blockers=hide_blockers,
        )

    def score_candidates(
        self,
        profile: Profile,
        candidates: list[tuple[dict[str, Any], float]],
        *,
        understanding: Understanding | None = None,
        top: int | None = None,
        include_closed: bool = True,
        hide_blockers: bool = False,
    ) -> list[MatchResult]:
        """Structured fit on top of each candidate's retrieval score (0..1), best first; only
        the results kept are explained (reasons are the costly part)."""
        understanding = understanding or understand(profile.description)
        table = rules.FitTable([record for record, _ in candidates], self.today)
        assessment = rules.assess_table(rules.Asks.of(profile, understanding), table)
        scores = np.array([s for _, s in candidates]) + assessment.adjustment
        hidden = _hidden(assessment, include_closed, hide_blockers)
        best = _best(scores, hidden, assessment, len(table) if top is None else top)
        return [result_of(profile, understanding, assessment, scores, i) for i in best]

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
        structured-fit rules run vectorised over all records for each profile, and reasons are
        spelled out only for each profile's results. Scored like `match(mode="vector")`, so
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
        table = rules.FitTable(records, self.today)
        count = len(records)
        positions = np.arange(count)
        out: list[list[MatchResult]] = []
        for row, profile in enumerate(profiles):
            sims = similarities[row]
            # Rank of every record by similarity (ties by position, as the index orders them).
            order = np.lexsort((positions, -sims))
            ranks = np.empty(count, dtype=np.int64)
            ranks[order] = positions + 1
            understanding = understand(profile.description)
            assessment = rules.assess_table(rules.Asks.of(profile, understanding), table)
            scores = (RRF_K + 1) / (RRF_K + ranks) + assessment.adjustment
            hidden = _hidden(assessment, include_closed, hide_blockers) | (sims < min_similarity)
            if profile.excluded:
                hidden |= np.isin(table.ids, profile.excluded)
            out.append(
                [
                    result_of(profile, understanding, assessment, scores, i, similarity=sims[i])
                    for i in _best(scores, hidden, assessment, top)
                ]
            )
        return out


def _hidden(assessment: rules.Assessment, include_closed: bool, hide_blockers: bool) -> np.ndarray:
    hidden = np.zeros(len(assessment.table), dtype=bool)
    if not include_closed:
        hidden |= assessment.closed
    if hide_blockers:
        hidden |= assessment.blocked
    return hidden


def _best(
    scores: np.ndarray, hidden: np.ndarray, assessment: rules.Assessment, top: int
) -> list[int]:
    """The rows of the `top` best scores that are not hidden; equal scores by id. Rows the
    profile may not apply for (`Assessment.ineligible`) come after every row it may apply for:
    pushed down and shown with their blockers, never above a scheme that fits.

    An instrument whose status the source does not tell scores a little less than a
    confirmed open one (`rules.STATUS_UNKNOWN`), so of two that fit alike the open one comes
    first; a strict order would fill the top with poor fits, since few sources confirm.
    """
    table = assessment.table
    shown = np.flatnonzero(~hidden)
    order = np.lexsort((table.id_order[shown], -scores[shown], assessment.ineligible[shown]))
    return [int(i) for i in shown[order][:top]]


def result_of(
    profile: Profile,
    understanding: Understanding,
    assessment: rules.Assessment,
    scores: np.ndarray,
    row: int,
    similarity: float | None = None,
) -> MatchResult:
    """One row as a result with its reasons and blockers spelled out (and its cosine, if known)."""
    record = assessment.table.records[row]
    found, blockers = explain(profile, understanding, assessment, row)
    return MatchResult(
        record["id"],
        record.get("title", ""),
        float(scores[row]),
        found,
        blockers,
        record,
        similarity=None if similarity is None else float(similarity),
        closed=bool(assessment.closed[row]),
        blocked=bool(assessment.blocked[row]),
    )
