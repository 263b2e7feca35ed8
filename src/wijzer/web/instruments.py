"""One instrument for the public: listed check, readable version history, similar ones."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from wijzer.catalog.curation import relations
from wijzer.catalog.curation.editing import overrides
from wijzer.catalog.db import Catalog
from wijzer.catalog.links import FUNDER_DOMAIN, FUNDER_SITE, LinkVerdict, judge_record
from wijzer.catalog.repository import InstrumentStore, instrument_to_dict
from wijzer.catalog.tender_fields import lacks_tender_fields, with_tender_fields
from wijzer.matcher.encoders import EncoderUnavailable
from wijzer.search.backend import SearchBackend
from wijzer.search.documents import embedding_text
from wijzer.search.query import Filters, build_query

log = logging.getLogger(__name__)

# Long texts in the history are cut, the full current text is on the page anyway.
MAX_DIFF_TEXT = 280


class NotPublic(LookupError):
    """No listed instrument with this id (unknown, hidden, withdrawn)."""


class MergedInto(LookupError):
    """The instrument was merged into a canonical one, which is listed."""

    def __init__(self, canonical_id: str):
        super().__init__(canonical_id)
        self.canonical_id = canonical_id


@dataclass
class FieldChange:
    name: str
    old: str | None
    new: str | None
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


@dataclass
class VersionView:
    version: int
    changed_at: dt.datetime
    kind: str
    by: str
    changes: list[FieldChange]


def load_public(catalog: Catalog, instrument_id: str) -> dict[str, Any]:
    """The record of a listed instrument; MergedInto or NotPublic otherwise."""
    with catalog.session() as session:
        store = InstrumentStore(session)
        instrument = store.get(instrument_id)
        if instrument is None:
            raise NotPublic(instrument_id)
        if instrument.is_listed:
            record = instrument_to_dict(instrument)
            record["overridden"] = sorted(overrides(session, instrument.id))
            if lacks_tender_fields(record):
                # A tender listed without its codes: its merged notice states them.
                record = with_tender_fields(record, relations.group(session, instrument.id)[1:])
            return record
        if instrument.merged_into:
            canonical = store.get(instrument.merged_into)
            if canonical is not None and canonical.is_listed:
                raise MergedInto(canonical.id)
        raise NotPublic(instrument_id)


@dataclass
class SourceView:
    """One source's record of a public instrument: its link, official or not, last seen."""

    record: dict[str, Any]
    verdict: LinkVerdict
    public: bool  # the public record itself (the others were merged into it)


@dataclass
class Provenance:
    """Where a public instrument comes from: the link to show first and every source."""

    link: SourceView | None
    sources: list[SourceView]
    rounds: list[dict[str, Any]]
    # When any source last showed the instrument (the public record's own crawl, or another's).
    last_checked: str | None


def _link_rank(view: SourceView) -> tuple[bool, bool, bool]:
    """Official before third party; the funder's own site before a portal; the public record
    before the others."""
    own_site = view.verdict.rule in (FUNDER_SITE, FUNDER_DOMAIN) and view.verdict.kind not in (
        "portal",
        "gazette",
    )
    return (view.verdict.official is not True, not own_site, not view.public)


def provenance(catalog: Catalog, instrument_id: str) -> Provenance:
    """The sources of a public record (merged ones included), the link to show first (an
    official one when any source has it), and the other rounds of its scheme."""
    with catalog.session() as session:
        members = relations.group(session, instrument_id)
        sources = [
            SourceView(record, judge_record(record), instrument.id == instrument_id)
            for instrument in members
            if instrument.withdrawn_at is None or instrument.id == instrument_id
            for record in [instrument_to_dict(instrument)]
        ]
        rounds = [instrument_to_dict(i) for i in relations.scheme_relatives(session, instrument_id)]
    linked = [s for s in sources if s.verdict.official is not None]
    link = min(linked, key=_link_rank) if linked else None
    seen = [str(s.record["fetched_at"]) for s in sources if s.record.get("fetched_at")]
    return Provenance(link, sources, rounds, max(seen, default=None))


def _short(value: Any) -> str | None:
    if value in (None, "", [], {}):
        return None
    text = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return text if len(text) <= MAX_DIFF_TEXT else text[: MAX_DIFF_TEXT - 1] + "…"


def _change(name: str, old: Any, new: Any) -> FieldChange:
    if isinstance(old, list) or isinstance(new, list):
        before = [str(v) for v in old or []]
        after = [str(v) for v in new or []]
        return FieldChange(
            name,
            _short(before),
            _short(after),
            added=[v for v in after if v not in before],
            removed=[v for v in before if v not in after],
        )
    return FieldChange(name, _short(old), _short(new))


def _who(changed_by: str) -> str:
    # Only the kind of author is public; staff e-mail addresses stay in the staff area.
    kind = changed_by.split(":", 1)[0]
    return kind if kind in ("source", "import", "staff") else "other"


# Bookkeeping of a merge: record ids and source codes. The version's sentence already says
# "combined with the same instrument from another source" and the sources are listed by name.
MERGE_BOOKKEEPING = frozenset({"merged_from", "merged_source"})


def history(catalog: Catalog, instrument_id: str) -> list[VersionView]:
    """Versions newest first, each with the fields it changed (the created one lists none)."""
    with catalog.session() as session:
        versions = InstrumentStore(session).history(instrument_id)
        views = []
        for version in versions:
            changes = []
            if version.change_kind != "created":
                changes = [
                    _change(name, pair[0], pair[1])
                    for name, pair in sorted((version.changes or {}).items())
                    if isinstance(pair, list) and len(pair) == 2 and name not in MERGE_BOOKKEEPING
                ]
            views.append(
                VersionView(
                    version.version,
                    version.changed_at,
                    version.change_kind,
                    _who(version.changed_by),
                    changes,
                )
            )
    return list(reversed(views))


def similar(
    backend: SearchBackend, record: dict[str, Any], encoder: Any | None, today: dt.date, k: int = 5
) -> list[dict[str, Any]]:
    """The nearest instruments by meaning; a title search when no vectors are available.

    BackendUnavailable and IndexMissing reach the caller: without the backend there is
    nothing to fall back on.
    """
    try:
        if encoder is not None:
            vector = encoder.encode([embedding_text(record)])[0]
            hits = backend.vector_search(vector, k + 1, Filters(), today)
        else:
            hits = None
    except (ValueError, EncoderUnavailable) as exc:
        log.info("similar instruments by title for %s: %s", record["id"], exc)
        hits = None
    if hits is None:
        query = build_query(record.get("title") or "", per_page=k + 1, today=today)
        hits = backend.search(query).hits
    return [h.source for h in hits if h.id != record["id"]][:k]
