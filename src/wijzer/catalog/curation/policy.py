"""Per-source publishing policy: trusted API sources go live at once, HTML sources wait."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from wijzer.catalog.curation import CurationError
from wijzer.catalog.curation_models import SourcePolicy
from wijzer.catalog.models import utcnow

# Structured feeds we trust to be what the publisher meant; scraped HTML gets a human look.
TRUSTED_SOURCES = frozenset({"sedia", "ted", "tenderned", "import", "seed", "manual"})


def auto_publishes(session: Session | None, source: str) -> bool:
    """Whether a source's listings go live without review (a stored policy beats the default)."""
    if session is not None:
        policy = session.get(SourcePolicy, source)
        if policy is not None:
            return bool(policy.auto_publish)
    return source in TRUSTED_SOURCES or source.startswith("import")


def review_state_for_new(source: str, session: Session | None = None) -> str:
    """The review_state a new instrument of this source gets: "published" or "pending".

    The crawler's store pipeline passes it to InstrumentStore.upsert(review_state=...).
    """
    return "published" if auto_publishes(session, source) else "pending"


def set_policy(session: Session, source: str, auto_publish: bool, who: str) -> bool | None:
    """Store a policy; returns the previous explicit setting (None when there was none)."""
    source = (source or "").strip()
    if not source or len(source) > 100:
        raise CurationError("source", "must be 1-100 characters")
    policy = session.get(SourcePolicy, source)
    before = None if policy is None else bool(policy.auto_publish)
    if policy is None:
        policy = SourcePolicy(source=source)
        session.add(policy)
    policy.auto_publish = auto_publish
    policy.changed_by = who
    policy.changed_at = utcnow()
    return before


def policies(session: Session, sources: list[str]) -> list[tuple[str, bool, bool]]:
    """(source, auto_publish, explicitly set) for every known source and stored policy."""
    stored = {p.source: p for p in session.scalars(select(SourcePolicy))}
    names = sorted(set(sources) | set(stored))
    return [(s, auto_publishes(session, s), s in stored) for s in names]
