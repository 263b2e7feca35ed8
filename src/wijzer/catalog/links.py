"""Official or not: is an instrument's link the funder's own page or an official portal or
publication for it, or a third-party page? Decided from the URL's host against the documented
list of organisations (vocabulary/organisations.toml), the funder the record names, and the
kind of source the record came from. An unknown host is not official."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from wijzer.catalog.text import STOPWORDS, fold
from wijzer.catalog.vocabulary.organisations import (
    NAMED_ONLY_KINDS,
    PROCUREMENT_KINDS,
    PUBLIC_KINDS,
    Organisation,
    bodies_in,
    for_host,
    host_of,
    registry,
)

# Rules, in the order they are tried; each verdict names the one that decided.
NO_URL = "no_url"
FUNDER_SITE = "funder_site"  # the host belongs to an organisation the record names as funder
FUNDER_DOMAIN = "funder_domain"  # an unlisted host that is the named funder's own name
PUBLIC_PORTAL = "public_portal"  # government, agency, portal, gazette, province, ROM site
EU_PORTAL = "eu_portal"  # European Commission sites for an EU-funded instrument
TENDER_PORTAL = "tender_portal"  # TED, TenderNed or a buyer's platform for a procurement
THIRD_PARTY = "third_party"  # a known third party (news, consultancy, ...)
NOT_FOR_THIS_SCHEME = "not_for_this_scheme"  # an official body that is neither funder nor portal
UNKNOWN_HOST = "unknown_host"

# Source kinds, from where a record came from.
THIRD_PARTY_NOTE = "third_party_note"  # paraphrased facts of a third-party page (seed)
PAGE_EXCERPT = "page_excerpt"  # verbatim text of an archived page (seed)
CRAWL = "crawl"
STAFF = "staff"
IMPORT = "import"


@dataclass(frozen=True)
class LinkVerdict:
    """Whether a link is official, the rule that decided, and what it rests on."""

    official: bool | None
    rule: str
    host: str | None = None
    kind: str | None = None  # the organisation kind of the host (portal, news, ...)
    organisation: str | None = None  # the name of the organisation behind the host
    source_kind: str | None = None

    def evidence(self) -> dict[str, Any]:
        """JSON-ready: what the export and the API carry beside `official_url`."""
        return {k: v for k, v in asdict(self).items() if k != "official" and v is not None}


def source_kind(source: str | None, extra: Mapping[str, Any] | None) -> str:
    """The kind of source a record rests on (the seed's `source_file` names it)."""
    source_file = str((extra or {}).get("source_file") or "")
    if source_file.startswith("thirdparty/"):
        return THIRD_PARTY_NOTE
    if source_file:
        return PAGE_EXCERPT
    if source == "manual":
        return STAFF
    if source in (None, "", "import", "seed"):
        return IMPORT
    return CRAWL


def _name_keys(funder: str) -> set[str]:
    """Each organisation in a funder text as one run of letters ("Bright Move" -> brightmove)."""
    generic = registry().generic_words | STOPWORDS
    keys = set()
    for part in re.split(r"[/;,()]| en | and | via | namens ", fold(funder)):
        letters = [w for w in re.findall(r"[a-z0-9]+", part) if w not in generic]
        if letters:
            keys.add("".join(letters))
    return keys


def _is_funders_domain(host: str, funder: str) -> bool:
    """An unlisted host named after the funder itself: brightmove.nl for "Bright Move"."""
    labels = host.split(".")
    if len(labels) < 2:
        return False
    name = labels[-2].replace("-", "")
    return len(name) >= 4 and name in _name_keys(funder)


def judge(
    url: str | None,
    funder: str | None,
    *,
    level: str | None = None,
    instrument_type: str | None = None,
    source: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> LinkVerdict:
    """Official or not for one link of one instrument."""
    kind_of_source = source_kind(source, extra)
    host = host_of(url)
    if host is None:
        return LinkVerdict(None, NO_URL, source_kind=kind_of_source)
    organisation = for_host(host)
    bodies = bodies_in(funder)

    def verdict(official: bool, rule: str, org: Organisation | None = organisation) -> LinkVerdict:
        return LinkVerdict(
            official,
            rule,
            host=host,
            kind=org.kind if org else None,
            organisation=org.name if org else None,
            source_kind=kind_of_source,
        )

    if organisation is None:
        if funder and _is_funders_domain(host, funder):
            return verdict(True, FUNDER_DOMAIN)
        return verdict(False, UNKNOWN_HOST)
    if organisation.third_party:
        rule = NOT_FOR_THIS_SCHEME if organisation.kind == "audit" else THIRD_PARTY
        return verdict(False, rule)
    if organisation.key in bodies.organisations:
        return verdict(True, FUNDER_SITE)
    kind = organisation.kind
    if kind in PROCUREMENT_KINDS:
        return verdict(
            instrument_type == "procurement",
            TENDER_PORTAL if instrument_type == "procurement" else NOT_FOR_THIS_SCHEME,
        )
    if kind in NAMED_ONLY_KINDS:
        return verdict(False, NOT_FOR_THIS_SCHEME)
    if kind == "eu":
        eu_funded = bodies.eu or (not funder and level == "eu")
        return verdict(eu_funded, EU_PORTAL if eu_funded else NOT_FOR_THIS_SCHEME)
    if kind in PUBLIC_KINDS:
        # A Dutch site restating an instrument that only EU bodies fund is a contact point.
        dutch = bodies.dutch_public or (not bodies.eu and level != "eu")
        if kind == "portal":
            dutch = dutch or not bodies.eu
        return verdict(dutch, PUBLIC_PORTAL if dutch else NOT_FOR_THIS_SCHEME)
    return verdict(False, UNKNOWN_HOST)


def judge_record(record: Mapping[str, Any]) -> LinkVerdict:
    """The verdict for a record dict (catalog fields: url, funder, level, ...)."""
    return judge(
        record.get("url"),
        record.get("funder"),
        level=record.get("level"),
        instrument_type=record.get("instrument_type"),
        source=record.get("source"),
        extra=record.get("extra"),
    )


def preferred(records: Iterable[Mapping[str, Any]]) -> tuple[Mapping[str, Any], LinkVerdict] | None:
    """The record whose link to show first: an official link before a third-party one, then
    the order given (the public record first). None when no record has a link."""
    best: tuple[Mapping[str, Any], LinkVerdict] | None = None
    for record in records:
        verdict = judge_record(record)
        if verdict.official is None:
            continue
        if best is None or (verdict.official and not best[1].official):
            best = (record, verdict)
    return best
