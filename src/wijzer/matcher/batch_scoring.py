"""Score many profiles against many new instruments at once, as matrix operations.

Ranks like `Matcher.score_batch` (vector ranking fused by rank, plus the structured-fit
adjustment; closed and blocked instruments hidden), and gives the same results, but built
for an alert run of thousands of profiles:
* one matrix product gives every similarity, and one sort per block of profiles every rank;
* the rules (`rules.assess_table`) run once per distinct `Asks`, not once per profile: what
  a profile asks of an instrument is often shared (the same region, size and themes), and
  each row's rule reasons are spelled out once for everyone who shares them;
* profiles are scored in blocks, so the score matrices stay small (BLOCK x instruments).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any

import numpy as np

from wijzer.matcher import rules
from wijzer.matcher.profile import Profile
from wijzer.matcher.ranking import RRF_K, MatchResult, result_of
from wijzer.matcher.reasons import Reason
from wijzer.matcher.understanding import understand

# Profiles per block: 1,024 x 1,000 instruments is ~4 MB per float32 matrix.
BLOCK = 1024


class SharedAssessment(rules.Assessment):
    """One assessment for every profile with the same asks: each row's reasons once."""

    @functools.cached_property
    def _spelled_out(self) -> dict[int, list[Reason]]:
        return {}

    def reasons(self, row: int) -> list[Reason]:
        found = self._spelled_out.get(row)
        if found is None:
            found = self._spelled_out[row] = super().reasons(row)
        return found


def score_profiles(
    profiles: Sequence[Profile],
    records: Sequence[dict[str, Any]],
    today: dt.date,
    *,
    profile_vectors: np.ndarray,
    record_vectors: np.ndarray,
    top: int,
    min_similarity: float = -1.0,
) -> list[list[MatchResult]]:
    """Per profile, its `top` fitting records best first: not closed, no blocker, similar
    enough; equal scores by id. Results carry reasons, blockers and the similarity."""
    if not profiles or not records:
        return [[] for _ in profiles]
    table = rules.FitTable(list(records), today)
    understandings = [understand(p.description) for p in profiles]
    groups: dict[rules.Asks, int] = {}
    group_of = np.array(
        [
            groups.setdefault(rules.Asks.of(p, u), len(groups))
            for p, u in zip(profiles, understandings, strict=True)
        ]
    )
    assessments = []
    for asks in groups:
        plain = rules.assess_table(asks, table)
        assessments.append(SharedAssessment(plain.asks, plain.table, plain.outcomes))
    adjustments = np.stack([a.adjustment for a in assessments])
    hidden_by_rules = np.stack([a.closed | a.blocked for a in assessments])
    count = len(records)
    ranks_base = np.arange(1, count + 1)
    out: list[list[MatchResult]] = []
    for start in range(0, len(profiles), BLOCK):
        stop = min(start + BLOCK, len(profiles))
        sims = profile_vectors[start:stop] @ record_vectors.T
        # A stable sort ranks equal similarities by position, as Matcher.score_batch does.
        order = np.argsort(-sims, axis=1, kind="stable")
        ranks = np.empty_like(order)
        np.put_along_axis(ranks, order, np.broadcast_to(ranks_base, order.shape), axis=1)
        block_groups = group_of[start:stop]
        scores = (RRF_K + 1) / (RRF_K + ranks) + adjustments[block_groups]
        hidden = hidden_by_rules[block_groups] | (sims < min_similarity)
        for offset in range(stop - start):
            n = start + offset
            profile = profiles[n]
            row_hidden = hidden[offset]
            if profile.excluded:
                row_hidden = row_hidden | np.isin(table.ids, profile.excluded)
            shown = np.flatnonzero(~row_hidden)
            row_scores = scores[offset]
            best = shown[np.lexsort((table.id_order[shown], -row_scores[shown]))][:top]
            assessment = assessments[block_groups[offset]]
            out.append(
                [
                    result_of(
                        profile, understandings[n], assessment, row_scores, i, sims[offset][i]
                    )
                    for i in best.tolist()
                ]
            )
    return out
