"""Merge duplicates into one canonical record, and find likely duplicates to review."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from wijzer.catalog.curation import CurationError, audit
from wijzer.catalog.curation.editing import _new_version, get_instrument
from wijzer.catalog.curation_models import InstrumentLink
from wijzer.catalog.models import Instrument, utcnow
from wijzer.catalog.text import words

# Turns instrument content (title, summary, description) into L2-normalised vectors; the
# application layer passes the configured encoder behind it (the catalog knows no encoder).
Embed = Callable[[list[dict[str, Any]]], np.ndarray]

# Words every scheme title shares besides function words; they say nothing about which scheme.
_TITLE_NOISE = frozenset(
    {"subsidie", "subsidieregeling", "regeling", "2023", "2024", "2025", "2026"}
)


def merge(session: Session, canonical_id: str, merged_id: str, who: str, reason: str = "") -> None:
    """Fold merged_id into canonical_id: both keep their history, links point at the canonical."""
    if canonical_id == merged_id:
        raise CurationError("merged_id", "cannot merge an instrument into itself")
    canonical = get_instrument(session, canonical_id)
    merged = get_instrument(session, merged_id)
    if canonical.merged_into:
        raise CurationError(
            "canonical_id", f"{canonical_id} is itself merged into {canonical.merged_into}"
        )
    if merged.merged_into:
        raise CurationError("merged_id", f"{merged_id} is already merged into {merged.merged_into}")
    now = utcnow()
    # Records merged into the merged one move over, so every link points at the canonical.
    moved = list(session.scalars(select(Instrument).where(Instrument.merged_into == merged_id)))
    for other in moved:
        other.merged_into = canonical_id
    for link in session.scalars(
        select(InstrumentLink).where(InstrumentLink.canonical_id == merged_id)
    ):
        link.canonical_id = canonical_id
    merged.merged_into = canonical_id
    _new_version(session, merged, who, "merged", {"merged_into": [None, canonical_id]}, now)
    _new_version(
        session,
        canonical,
        who,
        "merge_received",
        {"merged_from": [None, merged_id], "merged_source": [None, merged.source]},
        now,
    )
    session.add(
        InstrumentLink(canonical_id=canonical_id, merged_id=merged_id, merged_by=who, merged_at=now)
    )
    audit.record(
        session,
        who,
        "merge",
        canonical_id,
        before={"merged_id": merged_id, "merged_into": None},
        after={"merged_id": merged_id, "merged_into": canonical_id, "moved": [o.id for o in moved]},
        reason=reason,
        now=now,
    )


def linked_sources(session: Session, canonical_id: str) -> list[Instrument]:
    """The records (and so the sources) merged into a canonical one."""
    stmt = select(Instrument).where(Instrument.merged_into == canonical_id).order_by(Instrument.id)
    return list(session.scalars(stmt))


@dataclass(frozen=True)
class DuplicateCandidate:
    left: Instrument
    right: Instrument
    reason: str  # same url | similar title
    score: float


def title_tokens(title: str) -> frozenset[str]:
    return frozenset(w for w in words(title or "") if w not in _TITLE_NOISE and len(w) > 1)


def _norm_url(url: str | None) -> str | None:
    if not url:
        return None
    url = re.sub(r"^https?://(www\.)?", "", url.strip().lower())
    return url.split("#")[0].rstrip("/") or None


def likely_duplicates(
    session: Session, *, min_overlap: float = 0.6, limit: int = 200
) -> list[DuplicateCandidate]:
    """Pairs of live records with the same url or a high title-token overlap (Jaccard)."""
    stmt = (
        select(Instrument)
        .where(Instrument.merged_into.is_(None))
        .where(Instrument.review_state != "rejected")
        .where(Instrument.withdrawn_at.is_(None))
        .order_by(Instrument.id)
    )
    items = list(session.scalars(stmt))
    found: dict[tuple[str, str], DuplicateCandidate] = {}
    by_url: dict[str, list[Instrument]] = defaultdict(list)
    for item in items:
        key = _norm_url(item.url)
        if key:
            by_url[key].append(item)
    for group in by_url.values():
        for i, left in enumerate(group):
            for right in group[i + 1 :]:
                found[(left.id, right.id)] = DuplicateCandidate(left, right, "same url", 1.0)
    # An inverted index on title tokens keeps this far from comparing every pair.
    tokens = {item.id: title_tokens(item.title) for item in items}
    postings: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        for token in tokens[item.id]:
            postings[token].append(index)
    for index, left in enumerate(items):
        mine = tokens[left.id]
        if not mine:
            continue
        seen = {j for token in mine for j in postings[token] if j > index}
        for j in seen:
            right = items[j]
            theirs = tokens[right.id]
            score = len(mine & theirs) / len(mine | theirs)
            if score >= min_overlap and (left.id, right.id) not in found:
                found[(left.id, right.id)] = DuplicateCandidate(
                    left, right, "similar title", round(score, 2)
                )
    ranked = sorted(found.values(), key=lambda c: (-c.score, c.left.id, c.right.id))
    return ranked[:limit]


def near_duplicates(
    session: Session,
    embed: Embed,
    *,
    threshold: float = 0.9,
    limit: int = 100,
    max_items: int = 3000,
) -> list[DuplicateCandidate]:
    """Pairs whose title+summary embeddings are nearly the same (cosine >= threshold).

    Catches copies that reworded the title and moved the url; costs one encoding per record,
    so it runs on request, over the `max_items` most recently changed live records.
    """
    stmt = (
        select(Instrument)
        .where(Instrument.merged_into.is_(None))
        .where(Instrument.review_state != "rejected")
        .where(Instrument.withdrawn_at.is_(None))
        .order_by(Instrument.updated_at.desc())
        .limit(max_items)
    )
    items = sorted(session.scalars(stmt), key=lambda i: i.id)
    if len(items) < 2:
        return []
    contents = [
        {"title": i.title, "summary": i.summary, "description": i.description} for i in items
    ]
    vectors = np.asarray(embed(contents), dtype=np.float32)
    similarity = vectors @ vectors.T
    rows, cols = np.nonzero(np.triu(similarity, k=1) >= threshold)
    found = [
        DuplicateCandidate(items[r], items[c], "similar content", round(float(similarity[r, c]), 2))
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True)
    ]
    return sorted(found, key=lambda c: (-c.score, c.left.id, c.right.id))[:limit]
