"""Match a profile to instruments: retrieve candidates, score fit, explain each result.

First version: vector retrieval plus region/type/deadline fit. The matcher work refines it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from catalog.status import derive_status
from matcher.encoders import Encoder
from matcher.profile import Profile
from search.backend import SearchBackend
from search.query import Filters


@dataclass
class MatchResult:
    id: str
    title: str
    score: float
    reasons: list[str] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)
    record: dict[str, Any] = field(default_factory=dict, repr=False)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "score": round(self.score, 4),
            "reasons": self.reasons,
            "blockers": self.blockers,
        }


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
    ) -> list[MatchResult]:
        vector = self.encoder.encode([profile.description])[0]
        hits = self.backend.vector_search(vector, max(50, top * 5), Filters(), self.today)
        scored = self.score_candidates(profile, [(h.source, h.score) for h in hits])
        if not include_closed:
            scored = [r for r in scored if not _is_closed(r.record, self.today)]
        if hide_blockers:
            scored = [r for r in scored if not r.blockers]
        scored = [r for r in scored if r.id not in profile.excluded]
        return scored[:top]

    def score_candidates(
        self, profile: Profile, candidates: list[tuple[dict[str, Any], float]]
    ) -> list[MatchResult]:
        results = []
        for record, similarity in candidates:
            blockers: list[str] = []
            reasons: list[str] = []
            regions = record.get("regions") or []
            if record.get("level") == "regional" and regions and profile.region:
                if profile.region not in regions:
                    blockers.append(f"only for companies in {', '.join(regions)}")
                else:
                    reasons.append(f"regional scheme for {profile.region}")
            if profile.wants and record.get("instrument_type") in profile.wants:
                reasons.append(f"is a {record['instrument_type']}")
            score = similarity - 0.5 * len(blockers)
            results.append(MatchResult(record["id"], record.get("title", ""), score, reasons,
                                       blockers, record))
        results.sort(key=lambda r: -r.score)
        return results


def _is_closed(record: dict[str, Any], today: dt.date) -> bool:
    opens = record.get("opens_at")
    return derive_status(
        dt.date.fromisoformat(opens) if opens else None, record.get("deadlines") or [], today
    ) == "closed"
