"""The curation use cases: staff actions on instruments, each visible in search at once.

Every action runs in one transaction (CurationError, naming the field, rolls it back), then the
instruments it touched are reindexed; `index_warning` says when search could not follow.
Alert subscribers hear of the change through the next detection (the immediate-alerts job).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session

from wijzer.app.indexing import update_index
from wijzer.app.services import Services
from wijzer.catalog.curation import audit
from wijzer.catalog.curation.editing import edit_fields, remove_override
from wijzer.catalog.curation.manual import create_manual
from wijzer.catalog.curation.merging import (
    DuplicateCandidate,
    keep_apart,
    likely_duplicates,
    merge,
    near_duplicates,
    split,
)
from wijzer.catalog.curation.policy import set_policy
from wijzer.catalog.curation.relations import Hint, kept_apart, open_hints, ordered
from wijzer.catalog.curation.resolution import Resolution, resolve
from wijzer.catalog.curation.review import approve, decide_many, reject
from wijzer.catalog.curation.tagging import bulk_tag
from wijzer.search.backend import BackendUnavailable
from wijzer.search.documents import embedder

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class Done(Generic[T]):
    """What an action returned, and why search may not show it yet (None: it does)."""

    value: T
    index_warning: str | None = None


def _act(
    services: Services, action: Callable[[Session], T], ids: Callable[[T], Sequence[str]]
) -> Done[T]:
    with services.catalog.session() as session:
        value = action(session)
    return Done(value, refresh_search(services, ids(value)))


def refresh_search(services: Services, ids: Sequence[str]) -> str | None:
    """Reindex changed instruments; the reason when search could not be updated."""
    if not ids:
        return None
    try:
        update_index(services, ids, log.warning)
    except BackendUnavailable as exc:
        log.warning("search not updated: %s", exc)
        return f"search could not be updated: {exc}"
    return None


def approve_instrument(services: Services, instrument_id: str, who: str, reason: str) -> Done[Any]:
    return _act(
        services, lambda s: approve(s, instrument_id, who, reason), lambda _: [instrument_id]
    )


def reject_instrument(services: Services, instrument_id: str, who: str, reason: str) -> Done[Any]:
    return _act(
        services, lambda s: reject(s, instrument_id, who, reason), lambda _: [instrument_id]
    )


def decide_instruments(
    services: Services, ids: Sequence[str], decision: str, who: str, reason: str
) -> Done[list[str]]:
    """Approve or reject many queue items at once (one transaction, one reindex); value: the
    decided ids. A reject needs a reason, as for one item."""
    return _act(
        services, lambda s: decide_many(s, list(ids), decision, who, reason), lambda done: done
    )


def edit_instrument(
    services: Services, instrument_id: str, values: dict[str, Any], who: str, reason: str
) -> Done[Any]:
    """Staff values over the crawled ones (kept as overrides); value: the changed fields."""
    return _act(
        services,
        lambda s: edit_fields(s, instrument_id, values, who, reason),
        lambda changes: [instrument_id] if changes else [],
    )


def drop_override(services: Services, instrument_id: str, field: str, who: str) -> Done[Any]:
    """Show the crawled value of a field again."""
    return _act(
        services,
        lambda s: remove_override(s, instrument_id, field, who),
        lambda removed: [instrument_id] if removed else [],
    )


def create_instrument(
    services: Services, values: dict[str, Any], who: str, reason: str
) -> Done[str]:
    """A listing staff write by hand; value: its new id."""
    return _act(services, lambda s: create_manual(s, values, who, reason), lambda new: [new])


def merge_instruments(
    services: Services,
    canonical_id: str,
    merged_id: str,
    who: str,
    reason: str,
    *,
    funders_checked: bool = False,
) -> Done[None]:
    """One public record for two records of one instrument; records of different funders
    only when staff say they checked (funders_checked), else CurationError names the funder."""
    return _act(
        services,
        lambda s: merge(s, canonical_id, merged_id, who, reason, funders_checked=funders_checked),
        lambda _: [canonical_id, merged_id],
    )


def split_instrument(services: Services, merged_id: str, who: str, reason: str) -> Done[str]:
    """Undo a wrong merge; the split record stays apart after recrawls. Value: the record it
    was merged into."""
    return _act(
        services,
        lambda s: split(s, merged_id, who, reason),
        lambda canonical_id: [canonical_id, merged_id],
    )


def keep_apart_instruments(
    services: Services, left_id: str, right_id: str, who: str, reason: str
) -> Done[None]:
    """Dismiss a duplicate hint: the two records are different instruments."""
    return _act(services, lambda s: keep_apart(s, left_id, right_id, who, reason), lambda _: [])


def duplicate_hints(services: Services) -> list[Hint]:
    """Look-alikes entity resolution queued for staff, refused merges first."""
    with services.catalog.session() as session:
        return open_hints(session)


def resolve_duplicates(services: Services, who: str) -> Done[Resolution]:
    """Entity resolution over the whole catalog (after the rules or the organisation list
    changed); imports and crawls resolve what they bring in by themselves."""
    return _act(services, lambda s: resolve(s, None, who), lambda r: sorted(r.changed))


def tag_instruments(
    services: Services,
    ids: Sequence[str],
    field: str,
    who: str,
    *,
    add: Sequence[str],
    remove: Sequence[str],
    reason: str,
) -> Done[list[str]]:
    """Add or remove codes of a tag field on many instruments; value: the changed ids."""
    return _act(
        services,
        lambda s: bulk_tag(
            s, list(ids), field, who, add=list(add), remove=list(remove), reason=reason
        ),
        lambda changed: changed,
    )


def set_source_policy(services: Services, source: str, auto_publish: bool, who: str) -> None:
    """Whether a source's new instruments are published at once or wait for review."""
    with services.catalog.session() as session:
        before = set_policy(session, source, auto_publish, who)
        audit.record(
            session,
            who,
            "source_policy",
            source,
            before={"auto_publish": before},
            after={"auto_publish": auto_publish},
        )


def duplicates(services: Services, *, by_content: bool) -> list[DuplicateCandidate]:
    """Likely duplicates by title and url; by_content also compares embeddings (it encodes
    every record, so only on request; EncoderUnavailable reaches the caller)."""
    with services.catalog.session() as session:
        candidates = likely_duplicates(session)
        if by_content:
            known = {(c.left.id, c.right.id) for c in candidates}
            candidates += [
                c
                for c in near_duplicates(session, embedder(services.encoder))
                if (c.left.id, c.right.id) not in known
            ]
        # Pairs staff already kept apart are not offered again.
        apart = kept_apart(session)
    return [c for c in candidates if ordered(c.left.id, c.right.id) not in apart]
