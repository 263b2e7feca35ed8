"""Entity resolution at import and crawl time: merge what is one instrument into one public
record, queue what may be for staff, and link the rounds of one scheme.

Runs in the transaction that stored the records, over the records that changed, against every
live record in the catalog. The rules are in `catalog.identity`; strong evidence merges at
once (identifiers, one page, same title + funder + dates, one lender's standing facility),
weaker look-alikes become duplicate hints. A merge that would join two different funders is
refused and queued; pairs staff kept apart are never merged again.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wijzer.catalog.curation import relations
from wijzer.catalog.curation.merging import HandoverPass, MergePass, merge
from wijzer.catalog.identity import (
    DIFFERENT,
    SHARED,
    Fingerprint,
    dates_compatible,
    departments_differ,
    fingerprint,
    funder_relation,
    overlap,
    rounds_conflict,
    rounds_differ,
    specific_bodies,
    titles_name_one_instrument,
)
from wijzer.catalog.models import Instrument, utcnow

SAME_IDENTIFIER = "same_identifier"
SAME_PAGE = "same_page"
SAME_TITLE = "same_title"
SAME_FACILITY = "same_facility"
SIMILAR_TITLE = "similar_title"
SCHEME = "scheme_name"
# Strongest evidence first: merges happen in this order, each checked against whole groups.
STRONG_RULES = (SAME_IDENTIFIER, SAME_PAGE, SAME_TITLE, SAME_FACILITY)
# Rules whose evidence is the title and the funder only: dates must agree group-wide.
TITLE_RULES = frozenset({SAME_TITLE, SAME_FACILITY})

# A weak hint needs this much of the title words in common (Jaccard, both languages).
HINT_OVERLAP = 0.6
# A standing facility of one lender on two sites: most product words in common.
FACILITY_OVERLAP = 0.5
# Title words in more records than this are too common to find candidates by.
MAX_POSTINGS = 200


@dataclass(frozen=True)
class Candidate:
    left: str
    right: str
    rule: str
    evidence: dict[str, Any]
    strong: bool


@dataclass
class Resolution:
    """What one resolution run did."""

    merged: list[tuple[str, str, str]] = field(default_factory=list)  # canonical, merged, rule
    refused: list[tuple[str, str, str]] = field(default_factory=list)  # left, right, rule
    queued: list[tuple[str, str, str]] = field(default_factory=list)  # left, right, rule
    linked: int = 0
    # Records whose public state changed (merged away, handed over): the index must follow.
    changed: set[str] = field(default_factory=set)
    # The same merges and changes by what caused them (`who`, or the cause of the record).
    merges_by: Counter[str] = field(default_factory=Counter)
    changed_by: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def _changed(self, cause: str, ids: Iterable[str]) -> None:
        ids = set(ids)
        self.changed |= ids
        self.changed_by[cause] |= ids


def _record(instrument: Instrument) -> dict[str, Any]:
    return {
        "id": instrument.id,
        "title": instrument.title,
        "summary": instrument.summary,
        "funder": instrument.funder,
        "language": instrument.language,
        "instrument_type": instrument.instrument_type,
        "url": instrument.url,
        "source": instrument.source,
        "source_id": instrument.source_id,
        "extra": instrument.extra,
        "deadlines": instrument.deadlines,
        "opens_at": instrument.opens_at,
    }


class _Catalog:
    """The live records, their fingerprints, groups and the indexes candidates come from."""

    def __init__(self, instruments: list[Instrument]):
        self.instruments = {i.id: i for i in instruments}
        self.prints = {i.id: fingerprint(_record(i)) for i in instruments}
        self.parent = {i.id: i.merged_into or i.id for i in instruments}
        # The other way round (members() was a scan of `parent`, ~1% of a crawl's CPU).
        self.children: dict[str, set[str]] = defaultdict(set)
        for member, parent in self.parent.items():
            self.children[parent].add(member)
        self.by_identifier: dict[str, set[str]] = defaultdict(set)
        self.by_page: dict[str, set[str]] = defaultdict(set)
        self.by_core: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.by_scheme: dict[str, set[str]] = defaultdict(set)
        self.by_term: dict[str, set[str]] = defaultdict(set)
        self.raw: dict[tuple[str, str], set[str]] = defaultdict(set)
        for fp in self.prints.values():
            for identifier in fp.identifiers:
                self.by_identifier[identifier].add(fp.id)
            if fp.page:
                self.by_page[fp.page].add(fp.id)
            if fp.core:
                self.by_core[(fp.language, fp.core)].add(fp.id)
            for key in fp.scheme:
                self.by_scheme[key].add(fp.id)
            for term in fp.terms:
                self.by_term[term].add(fp.id)
            if fp.url:
                self.raw[(fp.source, fp.url.strip())].add(fp.id)

    def group(self, instrument_id: str) -> str:
        return self.parent.get(instrument_id, instrument_id)

    def members(self, canonical: str) -> list[str]:
        return sorted(self.children.get(canonical, ()))

    def join(self, merged: str, canonical: str) -> None:
        """The group of `merged` is now part of the group of `canonical`."""
        moved = self.children.pop(merged, set())
        for member in moved:
            self.parent[member] = canonical
        self.children[canonical] |= moved

    def records_on_raw_page(self, fp: Fingerprint) -> int:
        """How many instruments (groups) of the record's own source share its exact address."""
        ids = self.raw.get((fp.source, (fp.url or "").strip()), set())
        return len({self.group(i) for i in ids})

    def candidates(self, fp: Fingerprint) -> set[str]:
        found: set[str] = set()
        for identifier in fp.identifiers:
            found |= self.by_identifier[identifier]
        if fp.page:
            found |= self.by_page[fp.page]
        if fp.core:
            found |= self.by_core[(fp.language, fp.core)]
        for key in fp.scheme:
            found |= self.by_scheme[key]
        shared: Counter[str] = Counter()
        for term in fp.terms:
            postings = self.by_term[term]
            if len(postings) <= MAX_POSTINGS:
                shared.update(postings)
        found |= {i for i, count in shared.items() if count >= 2}
        found.discard(fp.id)
        return found


def classify(cat: _Catalog, x: Fingerprint, y: Fingerprint) -> Candidate | None:
    """Whether two records are one instrument (strong), may be (weak), or neither (None)."""
    shared_ids = x.identifiers & y.identifiers
    if shared_ids:
        return Candidate(x.id, y.id, SAME_IDENTIFIER, {"identifier": sorted(shared_ids)[0]}, True)
    if x.page and x.page == y.page:
        same_spelling = x.source == y.source and (x.url or "").strip() == (y.url or "").strip()
        if same_spelling:
            # One source, one address, two records: a page holding several instruments.
            if x.core and x.core == y.core:
                return Candidate(x.id, y.id, SAME_TITLE, {"page": x.page}, True)
        elif not rounds_conflict(x, y) and (
            (cat.records_on_raw_page(x) == 1 and cat.records_on_raw_page(y) == 1)
            or titles_name_one_instrument(x, y)
        ):
            return Candidate(x.id, y.id, SAME_PAGE, {"page": x.page}, True)
    related = funder_relation([x.funder], [y.funder])
    if related == DIFFERENT or rounds_differ(x, y) or departments_differ(x, y):
        return None
    if x.language == y.language and len(x.core) >= 8 and x.core == y.core and related == SHARED:
        return Candidate(x.id, y.id, SAME_TITLE, {"title": x.core}, True)
    common = x.terms & y.terms
    if (
        not x.dated
        and not y.dated
        and x.instrument_type == y.instrument_type
        and specific_bodies(x.funder, y.funder)
        and len(common) >= 2
        and overlap(x.terms, y.terms) >= FACILITY_OVERLAP
    ):
        evidence = {"funder": sorted(specific_bodies(x.funder, y.funder)), "words": sorted(common)}
        return Candidate(x.id, y.id, SAME_FACILITY, evidence, True)
    if (
        dates_compatible(x.all_years, y.all_years)
        and len(common) >= 2
        and overlap(x.terms, y.terms) >= HINT_OVERLAP
    ):
        score = round(overlap(x.terms, y.terms), 2)
        return Candidate(
            x.id, y.id, SIMILAR_TITLE, {"words": sorted(common), "score": score}, False
        )
    return None


def _group_years(cat: _Catalog, canonical: str) -> frozenset[int]:
    years: set[int] = set()
    for member in cat.members(canonical):
        years |= cat.prints[member].all_years
    return frozenset(years)


def _group_prints(cat: _Catalog, canonical: str) -> list[Fingerprint]:
    return [cat.prints[m] for m in cat.members(canonical)]


def _other_rounds(cat: _Catalog, left: str, right: str) -> bool:
    """Two groups whose dates or titles make them different rounds of one scheme."""
    if not dates_compatible(_group_years(cat, left), _group_years(cat, right)):
        return True
    return any(
        rounds_differ(a, b) for a in _group_prints(cat, left) for b in _group_prints(cat, right)
    )


def _canonical_of(cat: _Catalog, left: str, right: str) -> tuple[str, str]:
    """The older public record stays the public one (its id and links keep working)."""

    def key(instrument_id: str) -> tuple[bool, dt.datetime, str]:
        instrument = cat.instruments[instrument_id]
        return (not instrument.is_listed, instrument.created_at, instrument.id)

    first, second = sorted((left, right), key=key)
    return first, second


def _kept_apart(cat: _Catalog, apart: set[tuple[str, str]], left: str, right: str) -> bool:
    lefts, rights = cat.members(left), cat.members(right)
    return any(relations.ordered(a, b) in apart for a in lefts for b in rights)


def _queue(
    session: Session,
    candidate: Candidate,
    now: dt.datetime,
    refusal: str | None = None,
) -> bool:
    """Put a duplicate hint in the staff queue unless staff or a merge already decided."""
    existing = relations.get(session, candidate.left, candidate.right, relations.DUPLICATE)
    if existing is not None and existing.state != relations.OPEN:
        return False
    relations.put(
        session,
        candidate.left,
        candidate.right,
        relations.DUPLICATE,
        relations.OPEN,
        candidate.rule,
        candidate.evidence,
        refusal=refusal,
        now=now,
        flush=False,  # _link_schemes flushes them all at the end of the run
    )
    return True


def _live(session: Session) -> list[Instrument]:
    stmt = (
        select(Instrument)
        .where(Instrument.withdrawn_at.is_(None))
        .where(Instrument.review_state != "rejected")
        .order_by(Instrument.id)
    )
    return list(session.scalars(stmt))


def resolve(
    session: Session,
    ids: Iterable[str] | None,
    who: str,
    now: dt.datetime | None = None,
    *,
    causes: Mapping[str, str] | None = None,
) -> Resolution:
    """Resolve the records `ids` (None: every record) against the whole catalog.

    `who` is what caused the run ("source:rvo", "import:seed.jsonl"); merges are recorded
    under it in the version history and the audit log. `causes` names another cause for some
    records (one pass over several sources' crawls: each merge is recorded under the source
    whose record led to it).
    """
    now = now or utcnow()
    result = Resolution()

    def cause(instrument_id: str) -> str:
        return (causes or {}).get(instrument_id, who)

    wanted = None if ids is None else set(ids)
    pending = sorted(wanted or ())
    handovers = HandoverPass(session, pending)
    for instrument_id in pending:
        by = cause(instrument_id)
        result._changed(by, handovers.handover(instrument_id, by, now))
    session.flush()
    cat = _Catalog(_live(session))
    todo = sorted(cat.prints if wanted is None else wanted & set(cat.prints))
    strong: list[Candidate] = []
    weak: list[Candidate] = []
    schemes: dict[str, set[str]] = defaultdict(set)
    seen: set[tuple[str, str]] = set()
    for instrument_id in todo:
        x = cat.prints[instrument_id]
        for other in sorted(cat.candidates(x)):
            pair = relations.ordered(instrument_id, other)
            if pair in seen:
                continue
            seen.add(pair)
            y = cat.prints[other]
            if x.scheme & y.scheme:
                schemes[instrument_id].add(other)
            if cat.group(instrument_id) == cat.group(other):
                continue
            candidate = classify(cat, x, y)
            if candidate is not None:
                (strong if candidate.strong else weak).append(candidate)
    strong.sort(key=lambda c: (STRONG_RULES.index(c.rule), c.left, c.right))
    # The duplicate relations of these records, read once: merges and hints ask per pair.
    with relations.preloaded(session, todo, relations.DUPLICATE):
        apart = relations.kept_apart(session)
        # The merges are flushed together, by _link_schemes below. Only the public records of
        # the strong candidates' groups are ever merged away (a join keeps one of the two).
        batch = MergePass(session, {cat.group(i) for c in strong for i in (c.left, c.right)})
        for candidate in strong:
            left, right = cat.group(candidate.left), cat.group(candidate.right)
            if left == right or _kept_apart(cat, apart, left, right):
                continue
            if candidate.rule in TITLE_RULES and _other_rounds(cat, left, right):
                continue
            left_funders = [p.funder for p in _group_prints(cat, left)]
            right_funders = [p.funder for p in _group_prints(cat, right)]
            if funder_relation(left_funders, right_funders) == DIFFERENT:
                if _queue(session, candidate, now, refusal=relations.DIFFERENT_FUNDERS):
                    result.refused.append((candidate.left, candidate.right, candidate.rule))
                continue
            canonical, merged = _canonical_of(cat, left, right)
            # Recorded under the cause of the record folded away when it is one of those
            # resolved (two sources' new records in one pass: the newcomer's source), else
            # of the resolved record (candidate.left: classify keeps the order it was given).
            by = cause(merged) if merged in (causes or {}) else cause(candidate.left)
            merge(
                session,
                canonical,
                merged,
                by,
                auto=True,
                rule=candidate.rule,
                evidence={**candidate.evidence, "records": [candidate.left, candidate.right]},
                funders_checked=True,
                now=now,
                batch=batch,
            )
            cat.join(merged, canonical)
            result.merged.append((canonical, merged, candidate.rule))
            result.merges_by[by] += 1
            result._changed(by, (canonical, merged))
        for candidate in weak:
            left, right = cat.group(candidate.left), cat.group(candidate.right)
            if left == right or _other_rounds(cat, left, right):
                continue
            if _queue(session, candidate, now):
                result.queued.append((candidate.left, candidate.right, candidate.rule))
    result.linked = _link_schemes(session, cat, todo, schemes, now)
    return result


def _link_schemes(
    session: Session,
    cat: _Catalog,
    todo: list[str],
    schemes: dict[str, set[str]],
    now: dt.datetime,
) -> int:
    """Rounds, years, regions and components of one scheme: linked, never merged. The links
    of the resolved records are worked out anew (staff-made links are kept)."""
    # Every link a resolved record keeps is among these, so one query replaces one per pair
    # (asking per pair was 40% of storing a crawl: 2,700 queries and flushes for 650 records).
    linked: set[tuple[str, str]] = set()
    for row in relations.of(session, todo, relations.SAME_SCHEME):
        if row.decided_by is None:
            session.delete(row)
        else:
            linked.add((row.left_id, row.right_id))
    session.flush()
    count = 0
    for instrument_id in todo:
        x = cat.prints[instrument_id]
        for other in sorted(schemes.get(instrument_id, ())):
            if cat.group(instrument_id) == cat.group(other):
                continue
            pair = relations.ordered(instrument_id, other)
            if pair in linked:
                continue
            linked.add(pair)
            relations.create(
                session,
                instrument_id,
                other,
                relations.SAME_SCHEME,
                relations.LINKED,
                SCHEME,
                {"names": sorted(x.scheme & cat.prints[other].scheme)},
                now=now,
            )
            count += 1
    session.flush()
    return count
