"""Merge duplicates into one public record, split wrong merges, find likely duplicates."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wijzer.catalog.curation import CurationError, CurationErrorCode, audit, relations
from wijzer.catalog.curation.editing import get_instrument, staff
from wijzer.catalog.curation_models import InstrumentLink
from wijzer.catalog.identity import DIFFERENT, Funder, funder, funder_relation
from wijzer.catalog.models import Instrument, utcnow
from wijzer.catalog.repository import InstrumentStore
from wijzer.catalog.text import words

if TYPE_CHECKING:
    # numpy is imported where near duplicates are computed: the crawl process, which imports
    # this module for merges, never needs it (~0.35 s of its start-up).
    import numpy as np

# Turns instrument content (title, summary, description) into L2-normalised vectors; the
# application layer passes the configured encoder behind it (the catalog knows no encoder).
Embed = Callable[[list[dict[str, Any]]], "np.ndarray"]

# Words every scheme title shares besides function words; they say nothing about which scheme.
_TITLE_NOISE = frozenset(
    {"subsidie", "subsidieregeling", "regeling", "2023", "2024", "2025", "2026"}
)


def _group(session: Session, canonical_id: str) -> list[Instrument]:
    """A public record and every record merged into it."""
    canonical = session.get(Instrument, canonical_id)
    members = list(
        session.scalars(select(Instrument).where(Instrument.merged_into == canonical_id))
    )
    return ([canonical] if canonical is not None else []) + members


def funders_of(session: Session, canonical_id: str) -> list[Funder]:
    return [funder(i.funder) for i in _group(session, canonical_id)]


def _version(
    session: Session,
    instrument: Instrument,
    changed_by: str,
    kind: str,
    changes: dict[str, Any],
    now: dt.datetime,
) -> None:
    instrument.version += 1
    instrument.updated_at = now
    InstrumentStore(session)._add_version(instrument, changed_by, kind, changes, now)


class MergePass:
    """Who is merged into what, and the merge links, read once for many merges in one pass.

    `merge` otherwise asks the database for both on every call, and each question flushed the
    session first: entity resolution of a first crawl (311 merges) spent ~2.4 s of ~25 s
    profiled in those flushes and queries. The pass reads them for the records that may be
    merged away (`ids`), two queries per 500; the caller flushes once, after the last merge.
    Merges chained within the pass (A into B, then B into C) move A and its link along, as
    they would have been found in the database.
    """

    def __init__(self, session: Session, ids: set[str]):
        self.session = session
        self.ids = set(ids)
        self.members: dict[str, list[Instrument]] = defaultdict(list)
        self.links: dict[str, list[InstrumentLink]] = defaultdict(list)
        wanted = sorted(ids)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            members = select(Instrument).where(Instrument.merged_into.in_(chunk))
            for instrument in session.scalars(members.order_by(Instrument.id)):
                self.members[str(instrument.merged_into)].append(instrument)
            links = select(InstrumentLink).where(InstrumentLink.canonical_id.in_(chunk))
            for link in session.scalars(links.order_by(InstrumentLink.id)):
                self.links[link.canonical_id].append(link)

    def fold(
        self, canonical_id: str, merged: Instrument, link: InstrumentLink
    ) -> tuple[list[Instrument], list[InstrumentLink]]:
        """The records and links that pointed at `merged`, from now on the canonical's."""
        if merged.id in self.ids:
            moved = self.members.pop(merged.id, [])
            links = self.links.pop(merged.id, [])
        else:  # not read up front: asked now (after a flush), as a merge on its own does
            moved, links = _pointing_at(self.session, merged.id)
        self.ids.add(canonical_id)
        self.members[canonical_id].extend([*moved, merged])
        self.links[canonical_id].extend([*links, link])
        return moved, links


def _pointing_at(session: Session, merged_id: str) -> tuple[list[Instrument], list[InstrumentLink]]:
    """The records merged into `merged_id` and the links that name it as the canonical."""
    moved = list(session.scalars(select(Instrument).where(Instrument.merged_into == merged_id)))
    links = list(
        session.scalars(select(InstrumentLink).where(InstrumentLink.canonical_id == merged_id))
    )
    return moved, links


def merge(
    session: Session,
    canonical_id: str,
    merged_id: str,
    who: str,
    reason: str = "",
    *,
    auto: bool = False,
    rule: str = "staff",
    evidence: dict[str, Any] | None = None,
    funders_checked: bool = False,
    now: dt.datetime | None = None,
    batch: MergePass | None = None,
) -> None:
    """Fold merged_id into canonical_id: both keep their history, links point at the canonical.

    `who` is a staff e-mail, or for an automatic merge (auto=True) the source that caused it
    ("source:rvo"). Records of different funders are merged only when staff checked them
    (funders_checked); otherwise CurationError names the funder. Within a `batch` nothing is
    read from the database and nothing flushed (the caller flushes after the pass).
    """
    if canonical_id == merged_id:
        raise CurationError(
            "merged_id", "cannot merge an instrument into itself", CurationErrorCode.INTO_ITSELF
        )
    canonical = get_instrument(session, canonical_id)
    merged = get_instrument(session, merged_id)
    if canonical.merged_into:
        raise CurationError(
            "canonical_id",
            f"{canonical_id} is itself merged into {canonical.merged_into}",
            CurationErrorCode.ALREADY_MERGED,
        )
    if merged.merged_into:
        raise CurationError(
            "merged_id",
            f"{merged_id} is already merged into {merged.merged_into}",
            CurationErrorCode.ALREADY_MERGED,
        )
    if not funders_checked and (
        funder_relation(funders_of(session, canonical_id), funders_of(session, merged_id))
        == DIFFERENT
    ):
        raise CurationError(
            "funder",
            f"{canonical.funder!r} and {merged.funder!r} are different funders;"
            " merge only after checking that they fund one instrument",
            CurationErrorCode.DIFFERENT_FUNDERS,
        )
    now = now or utcnow()
    changed_by = who if auto else staff(who)
    new_link = InstrumentLink(
        canonical_id=canonical_id, merged_id=merged_id, merged_by=who, merged_at=now
    )
    # Records merged into the merged one move over, so every link points at the canonical.
    if batch is None:
        moved, links = _pointing_at(session, merged_id)
    else:
        moved, links = batch.fold(canonical_id, merged, new_link)
    for other in moved:
        other.merged_into = canonical_id
    for link in links:
        link.canonical_id = canonical_id
    merged.merged_into = canonical_id
    _version(session, merged, changed_by, "merged", {"merged_into": [None, canonical_id]}, now)
    _version(
        session,
        canonical,
        changed_by,
        "merge_received",
        {"merged_from": [None, merged_id], "merged_source": [None, merged.source]},
        now,
    )
    session.add(new_link)
    relations.put(
        session,
        canonical_id,
        merged_id,
        relations.DUPLICATE,
        relations.MERGED,
        rule,
        evidence,
        decided_by=who,
        now=now,
        flush=batch is None,
    )
    audit.record(
        session,
        who,
        "auto_merge" if auto else "merge",
        canonical_id,
        before={"merged_id": merged_id, "merged_into": None},
        after={
            "merged_id": merged_id,
            "merged_into": canonical_id,
            "moved": [o.id for o in moved],
            "rule": rule,
        },
        reason=reason,
        now=now,
    )


def split(
    session: Session, merged_id: str, who: str, reason: str, now: dt.datetime | None = None
) -> str:
    """Undo a merge: the record is public on its own again, and automatic resolution keeps it
    apart from the record it was merged into (also after recrawls). Returns that record's id."""
    if not (reason or "").strip():
        raise CurationError("reason", "is required to split a merge", CurationErrorCode.MISSING)
    merged = get_instrument(session, merged_id)
    canonical_id = merged.merged_into
    if not canonical_id:
        raise CurationError(
            "merged_id",
            f"{merged_id} is not merged into another record",
            CurationErrorCode.NOT_MERGED,
        )
    canonical = get_instrument(session, canonical_id)
    now = now or utcnow()
    merged.merged_into = None
    for link in session.scalars(
        select(InstrumentLink).where(InstrumentLink.merged_id == merged_id)
    ):
        session.delete(link)
    _version(session, merged, staff(who), "split", {"merged_into": [canonical_id, None]}, now)
    _version(session, canonical, staff(who), "split_off", {"merged_from": [merged_id, None]}, now)
    _mark_kept_apart(session, merged_id, canonical_id, who, now)
    audit.record(
        session,
        who,
        "split",
        canonical_id,
        before={"merged_id": merged_id, "merged_into": canonical_id},
        after={"merged_id": merged_id, "merged_into": None},
        reason=reason.strip(),
        now=now,
    )
    return canonical_id


def _mark_kept_apart(
    session: Session, left_id: str, right_id: str, who: str, now: dt.datetime
) -> None:
    """Staff's decision that a pair is two instruments; automatic merging never joins it."""
    previous = relations.get(session, left_id, right_id, relations.DUPLICATE)
    relations.put(
        session,
        left_id,
        right_id,
        relations.DUPLICATE,
        relations.KEPT_APART,
        previous.rule if previous else "staff",
        previous.evidence if previous else {},
        decided_by=who,
        now=now,
    )


def keep_apart(session: Session, left_id: str, right_id: str, who: str, reason: str = "") -> None:
    """Staff decided two records are different instruments (a duplicate hint dismissed)."""
    get_instrument(session, left_id)
    get_instrument(session, right_id)
    now = utcnow()
    _mark_kept_apart(session, left_id, right_id, who, now)
    audit.record(
        session,
        who,
        "keep_apart",
        left_id,
        before={"other": right_id},
        after={"other": right_id, "state": relations.KEPT_APART},
        reason=reason,
        now=now,
    )


class HandoverPass:
    """The handovers of one pass over many records, with two queries per 500 records instead
    of up to three per record (1,286 queries for the 654 records of a first crawl).

    The records are loaded up front (and held: the session keeps only records in use), with
    which of them other records are merged into. That answer holds until a handover moves
    records; after one, the pass asks the database again.
    """

    def __init__(self, session: Session, ids: list[str]):
        self.session = session
        self.records: list[Instrument] = []
        self.members_of: set[str] | None = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            self.records.extend(session.scalars(select(Instrument).where(Instrument.id.in_(chunk))))
            self.members_of.update(
                str(i)
                for i in session.scalars(
                    select(Instrument.merged_into).where(Instrument.merged_into.in_(chunk))
                )
            )

    def handover(self, canonical_id: str, changed_by: str, now: dt.datetime) -> list[str]:
        changed = handover(self.session, canonical_id, changed_by, now, members_of=self.members_of)
        if changed:
            self.members_of = None
        return changed


def handover(
    session: Session,
    canonical_id: str,
    changed_by: str,
    now: dt.datetime | None = None,
    *,
    members_of: set[str] | None = None,
) -> list[str]:
    """When a public record is withdrawn or rejected while other sources still list the
    instrument, the oldest of those becomes the public record. Returns the ids that changed.

    `members_of` (from a HandoverPass) answers which records have any record merged into them
    without asking the database.
    """
    canonical = session.get(Instrument, canonical_id)
    if canonical is None or canonical.merged_into or canonical.is_listed:
        return []
    if members_of is not None and canonical_id not in members_of:
        return []
    members = [i for i in _group(session, canonical_id)[1:] if _live(i)]
    if not members:
        return []
    now = now or utcnow()
    heir = min(members, key=lambda i: (i.created_at, i.id))
    heir.merged_into = None
    _version(session, heir, changed_by, "handed_over", {"merged_into": [canonical_id, None]}, now)
    for link in session.scalars(select(InstrumentLink).where(InstrumentLink.merged_id == heir.id)):
        session.delete(link)
    for link in session.scalars(
        select(InstrumentLink).where(InstrumentLink.canonical_id == canonical_id)
    ):
        link.canonical_id = heir.id
    for other in [canonical, *(m for m in members if m is not heir)]:
        other.merged_into = heir.id
    session.add(
        InstrumentLink(
            canonical_id=heir.id, merged_id=canonical_id, merged_by=changed_by, merged_at=now
        )
    )
    return [canonical_id, heir.id, *(m.id for m in members if m is not heir)]


def _live(instrument: Instrument) -> bool:
    return instrument.withdrawn_at is None and instrument.review_state == "published"


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
    import numpy as np

    vectors = np.asarray(embed(contents), dtype=np.float32)
    similarity = vectors @ vectors.T
    rows, cols = np.nonzero(np.triu(similarity, k=1) >= threshold)
    found = [
        DuplicateCandidate(items[r], items[c], "similar content", round(float(similarity[r, c]), 2))
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True)
    ]
    return sorted(found, key=lambda c: (-c.score, c.left.id, c.right.id))[:limit]
