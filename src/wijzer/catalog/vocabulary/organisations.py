"""Organisations and their web sites: which body a host speaks for, which bodies a funder names."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from wijzer.catalog.text import fold
from wijzer.catalog.vocabulary.matching import (
    NOT_AFTER_WORD,
    alternation,
    load,
    phrase_key,
)

#: Kinds whose sites are official for some instruments (see organisations.toml).
PUBLIC_KINDS = frozenset({"government", "agency", "portal", "gazette", "province", "rom"})
PROCUREMENT_KINDS = frozenset({"ted", "tender_portal", "tender_platform"})
NAMED_ONLY_KINDS = frozenset({"fund", "lender", "investor", "eu_body", "programme"})
THIRD_PARTY_KINDS = frozenset(
    {
        "news",
        "regional_media",
        "consultancy",
        "subsidy_portal",
        "contact_point",
        "foreign_portal",
        "legal_database",
        "association",
        "wiki",
        "regional_organisation",
        "audit",
    }
)
#: Organisations that publish other bodies' schemes: naming them says nothing of the funder.
PUBLISHER_KINDS = frozenset({"portal", "gazette", "ted", "tender_portal", "tender_platform"})


@dataclass(frozen=True)
class Organisation:
    key: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    domains: tuple[str, ...]
    acts_for: tuple[str, ...] = ()

    @property
    def third_party(self) -> bool:
        return self.kind in THIRD_PARTY_KINDS


@dataclass(frozen=True)
class Registry:
    organisations: dict[str, Organisation]
    #: domain -> organisation key (a host matches its longest listed domain).
    domains: dict[str, str]
    #: Folded aliases -> organisation key; the pattern finds them as whole words.
    aliases: dict[str, str]
    alias_pattern: re.Pattern[str]
    public_pattern: re.Pattern[str]
    eu_pattern: re.Pattern[str]
    #: Words any organisation's name may carry ("provincie", "stichting").
    generic_words: frozenset[str]


def _words_pattern(phrases: list[str]) -> re.Pattern[str]:
    return re.compile(f"{NOT_AFTER_WORD}(?:{alternation(phrases, whole=True)})")


@functools.cache
def registry() -> Registry:
    data = load("organisations.toml")
    organisations: dict[str, Organisation] = {}
    domains: dict[str, str] = {}
    aliases: dict[str, str] = {}
    for key, entry in data["organisations"].items():
        organisation = Organisation(
            key=key,
            name=entry["name"],
            kind=entry["kind"],
            aliases=tuple(entry.get("aliases", ())),
            domains=tuple(d.lower() for d in entry.get("domains", ())),
            acts_for=tuple(entry.get("acts_for", ())),
        )
        organisations[key] = organisation
        for domain in organisation.domains:
            domains[domain] = key
        for alias in organisation.aliases:
            aliases[phrase_key(fold(alias))] = key
    unknown = {a for o in organisations.values() for a in o.acts_for} - set(organisations)
    if unknown:
        raise ValueError(f"organisations.toml: acts_for names unknown keys {sorted(unknown)}")
    return Registry(
        organisations=organisations,
        domains=domains,
        aliases=aliases,
        alias_pattern=_words_pattern(list(aliases)),
        public_pattern=_words_pattern(data["public_words"]["phrases"]),
        eu_pattern=_words_pattern(data["eu_words"]["phrases"]),
        generic_words=frozenset(data["name_words"]["generic"]),
    )


def host_of(url: str | None) -> str | None:
    """The lower-case host of a URL without "www." and a trailing dot; None if there is none."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.lower().rstrip(".")
    return host.removeprefix("www.") or None


def for_host(host: str | None) -> Organisation | None:
    """The organisation whose listed domain is the longest suffix of the host."""
    if not host:
        return None
    reg = registry()
    parts = host.split(".")
    for start in range(len(parts) - 1):
        key = reg.domains.get(".".join(parts[start:]))
        if key is not None:
            return reg.organisations[key]
    return None


@dataclass(frozen=True)
class FunderBodies:
    """What a funder text names: listed organisations, and whether it names public or EU bodies."""

    organisations: frozenset[str]
    dutch_public: bool
    eu: bool

    def with_acts_for(self) -> frozenset[str]:
        """The named organisations and those they act for (a ROM -> its provinces)."""
        reg = registry().organisations
        out = set(self.organisations)
        for key in self.organisations:
            out.update(reg[key].acts_for)
        return frozenset(out)

    @property
    def funders(self) -> frozenset[str]:
        """The named organisations less the publishers (a portal restates others' schemes)."""
        reg = registry().organisations
        return frozenset(k for k in self.organisations if reg[k].kind not in PUBLISHER_KINDS)


@functools.lru_cache(maxsize=4096)
def bodies_in(funder: str | None) -> FunderBodies:
    """The organisations a funder text names ("RVO / Ministerie van EZK" -> rvo, ezk)."""
    reg = registry()
    folded = fold(funder or "")
    found = {reg.aliases[phrase_key(m)] for m in reg.alias_pattern.findall(folded)}
    kinds = {reg.organisations[k].kind for k in found}
    dutch_public = bool(reg.public_pattern.search(folded)) or bool(
        kinds & {"government", "agency", "province", "rom"}
    )
    eu = bool(reg.eu_pattern.search(folded)) or "eu" in kinds or "eu_body" in kinds
    return FunderBodies(frozenset(found), dutch_public, eu)
