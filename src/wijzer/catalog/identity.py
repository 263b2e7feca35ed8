"""Who an instrument is, in comparable form: its identifiers (SEDIA topic, TED notice, TenderNed
publication), its page, its title and its funder; and the tests that say two records describe
one instrument, two rounds of one scheme, or different things.

The rules (applied by catalog.curation.resolution) rest on these facts only:

* an identifier both records carry (a SEDIA topic id, a TED notice number, a TenderNed id);
* one page: the same address (www., a trailing dot or slash, http/https aside) seen by two
  sources, or by one source under two spellings (two versions of one page). A page that holds
  several instruments of one source (a listing) joins a record of another source only to the
  instrument whose title it carries: a shared URL alone does not make two instruments one;
* the same title (page-section words such as "Voorwaarden" aside) in the same language, by
  the same funder, with compatible dates (both undated, or sharing a year);
* the same standing facility of one lender or fund on two sites: both undated, the same type,
  and most title words in common across Dutch and English ("Microcredit" = "Microkrediet").

Years, round numerals ("II") and dates that differ make rounds of one scheme, never one
instrument; two different funders are never merged automatically; schemes a funder's register
files under different departments (one per city district) are different schemes.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from wijzer.catalog.text import STOPWORDS, TOKEN, fold
from wijzer.catalog.vocabulary.matching import NOT_AFTER_WORD, alternation, load
from wijzer.catalog.vocabulary.organisations import FunderBodies, bodies_in, host_of, registry

# --- identifiers -------------------------------------------------------------------------

_SEDIA_URL = re.compile(
    r"/topic-?details/([A-Za-z0-9][A-Za-z0-9_.-]*?)(?:\.json)?(?:[/?#]|$)", re.I
)
_SEDIA_TEXT = re.compile(
    r"\btopic(?:\s+id(?:entifier)?)?[:\s]+([A-Z][A-Z0-9]+(?:-[A-Za-z0-9_]+){2,})"
)
# An Official Journal S reference: "2020/S 149-365590" is TED notice 365590-2020.
_OJS = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*/\s*S\s*\d{1,3}\s*-\s*(\d{3,7})(?!\d)")
_TED_URL = re.compile(r"ted\.europa\.eu/\S*?(?:detail/|notice/|TED:NOTICE:)(\d{1,8})-(\d{4})", re.I)
_TED_NUMBER = re.compile(r"^(\d{1,8})-(\d{4})$")
_TENDERNED_URL = re.compile(r"tenderned\.nl/\S*?/akid/([0-9a-f]{32})", re.I)
_HEX32 = re.compile(r"^[0-9a-f]{32}$", re.I)


def _ted(number: str, year: str) -> str:
    return f"ted:{int(number)}-{year}"


def identifiers(record: Mapping[str, Any]) -> frozenset[str]:
    """The notice and topic identifiers a record carries, normalised ("ted:365590-2020")."""
    found: set[str] = set()
    source = record.get("source") or ""
    source_id = str(record.get("source_id") or "")
    extra = record.get("extra") or {}
    url = record.get("url") or ""
    text = f"{record.get('title') or ''}\n{record.get('summary') or ''}"
    if source == "sedia" and source_id:
        found.add(f"topic:{source_id.upper()}")
    for match in _SEDIA_URL.finditer(url):
        found.add(f"topic:{match.group(1).upper()}")
    for match in _SEDIA_TEXT.finditer(text):
        found.add(f"topic:{match.group(1).upper()}")
    for key in ("publication_number", "ted_publication_number"):
        number = _TED_NUMBER.match(str(extra.get(key) or ""))
        if number:
            found.add(_ted(*number.groups()))
    for match in _TED_URL.finditer(url):
        found.add(_ted(*match.groups()))
    for match in _OJS.finditer(text):
        found.add(_ted(match.group(2), match.group(1)))
    if source == "tenderned" and _HEX32.match(source_id):
        found.add(f"tenderned:{source_id.lower()}")
    for match in _TENDERNED_URL.finditer(url):
        found.add(f"tenderned:{match.group(1).lower()}")
    return frozenset(found)


def page_key(url: str | None) -> str | None:
    """The page an address points at: no scheme, "www.", trailing dot or slash, or fragment."""
    host = host_of(url)
    if host is None or url is None:
        return None
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/").lower()
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"


# --- titles ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TitleWords:
    translations: dict[str, str]
    sections: re.Pattern[str]
    rounds: re.Pattern[str]
    generic: frozenset[str]
    generic_acronyms: frozenset[str]
    aliases: tuple[tuple[re.Pattern[str], str], ...]


def _phrases(phrases: list[str]) -> re.Pattern[str]:
    return re.compile(f"{NOT_AFTER_WORD}(?:{alternation(phrases, whole=True)})")


@functools.cache
def title_words() -> TitleWords:
    data = load("titles.toml")
    return TitleWords(
        translations=dict(data["translations"]),
        sections=_phrases(data["page_sections"]["phrases"]),
        rounds=_phrases(data["round_words"]["phrases"]),
        generic=frozenset(data["generic"]["words"]),
        generic_acronyms=frozenset(data["generic_acronyms"]["words"]),
        aliases=tuple(
            (_phrases(phrases), code) for code, phrases in data["scheme_aliases"].items()
        ),
    )


_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_NUMERAL = re.compile(r"(?<![\w+])(II|III|IV|V|VI|VII|VIII|IX|X)(?![\w+])")
_ACRONYM = re.compile(r"(?<![\w])([A-Z][A-Z0-9]{1,7})\+?(?![a-z])")
# Where a title's own name ends and a qualifier starts: "Seed Capital – tender 2021".
_MAIN_END = re.compile(r"\s[–—-]\s|:|\(|\?")


def title_years(title: str) -> frozenset[int]:
    return frozenset(int(y) for y in _YEAR.findall(title or ""))


def title_numerals(title: str) -> frozenset[str]:
    return frozenset(_NUMERAL.findall(title or ""))


def _plain_tokens(folded: str, numerals: frozenset[str]) -> list[str]:
    drop = {n.lower() for n in numerals}
    return [
        t for t in TOKEN.findall(_YEAR.sub(" ", folded)) if t not in STOPWORDS and t not in drop
    ]


def title_core(title: str) -> str:
    """The title to compare for equality: folded, without page-section words, years and
    round numerals ("Innovatiekrediet: Voorwaarden" -> "innovatiekrediet")."""
    words = title_words()
    folded = words.sections.sub(" ", fold(title or ""))
    return " ".join(_plain_tokens(folded, title_numerals(title)))


def translated(token: str) -> str:
    return title_words().translations.get(token, token)


def title_terms(title: str, drop: Iterable[str] = ()) -> frozenset[str]:
    """Significant title words across Dutch and English, compounds split at hyphens; `drop`
    names words to leave out (the funder's own name)."""
    words = title_words()
    folded = words.rounds.sub(" ", words.sections.sub(" ", fold(title or "")))
    skip = set(drop) | words.generic
    out = {translated(t) for t in _plain_tokens(folded, title_numerals(title))}
    return frozenset(t for t in out if t not in skip and len(t) > 1)


def scheme_keys(title: str) -> frozenset[str]:
    """Names a title gives its scheme: acronyms ("MIT", "MOOI") and the main name joined up
    across languages ("Innovation Credit (2025)" and "Innovatiekrediet" -> innovatiekrediet)."""
    words = title_words()
    keys = {
        f"acronym:{a}"
        for a in _ACRONYM.findall(title or "")
        if a not in words.generic_acronyms and not a.isdigit() and not _NUMERAL.fullmatch(a)
    }
    folded = fold(title or "")
    keys |= {f"acronym:{code}" for pattern, code in words.aliases if pattern.search(folded)}
    main = _MAIN_END.split(title or "", maxsplit=1)[0]
    main_folded = words.rounds.sub(" ", words.sections.sub(" ", fold(main)))
    stem = "".join(
        translated(t)
        for t in _plain_tokens(main_folded, title_numerals(main))
        if t not in words.generic
    )
    if len(stem) >= 6:
        keys.add(f"name:{stem}")
    return frozenset(keys)


# --- funders -----------------------------------------------------------------------------

SHARED = "shared"
UNKNOWN = "unknown"
DIFFERENT = "different"


@dataclass(frozen=True)
class Funder:
    """A funder text in comparable form: the bodies it names and its distinctive words."""

    text: str
    bodies: FunderBodies
    words: frozenset[str]

    @property
    def only_publishers(self) -> bool:
        """It names only portals or publishers (a crawler's site name, not a funder)."""
        return bool(self.bodies.organisations) and not self.bodies.funders


def funder(text: str | None) -> Funder:
    folded = fold(text or "")
    words = frozenset(
        t
        for t in TOKEN.findall(folded)
        if t not in STOPWORDS and t not in registry().generic_words and len(t) > 2
    )
    return Funder(text or "", bodies_in(text), words)


def _expanded(keys: Iterable[str]) -> set[str]:
    organisations = registry().organisations
    out = set(keys)
    for key in list(out):
        out.update(organisations[key].acts_for)
    return out


def funder_relation(left: Iterable[Funder], right: Iterable[Funder]) -> str:
    """SHARED, UNKNOWN or DIFFERENT for the funders of two records (or two groups of them).

    Listed organisations are compared with the bodies they act for (Oost NL for Gelderland);
    portals are publishers, not funders; unlisted names are compared by their distinctive
    words. Unknown on either side is never "different".
    """
    lefts = [f for f in left if f.text and not f.only_publishers]
    rights = [f for f in right if f.text and not f.only_publishers]
    if not lefts or not rights:
        return UNKNOWN
    left_bodies = _expanded(k for f in lefts for k in f.bodies.funders)
    right_bodies = _expanded(k for f in rights for k in f.bodies.funders)
    if left_bodies and right_bodies:
        # Listed bodies decide: "Provincie Zuid-Holland" and "Provincie Noord-Holland" share a
        # word, not a funder.
        return SHARED if left_bodies & right_bodies else DIFFERENT
    left_words = {w for f in lefts for w in f.words}
    right_words = {w for f in rights for w in f.words}
    if left_words & right_words:
        return SHARED
    if not (left_words or left_bodies) or not (right_words or right_bodies):
        return UNKNOWN
    return DIFFERENT


# --- fingerprints ------------------------------------------------------------------------


@dataclass(frozen=True)
class Fingerprint:
    """What the identity rules compare of one record."""

    id: str
    source: str
    language: str
    instrument_type: str
    url: str | None
    page: str | None
    identifiers: frozenset[str]
    title: str
    core: str
    terms: frozenset[str]
    years: frozenset[int]  # named in the title
    numerals: frozenset[str]
    date_years: frozenset[int]  # of its deadlines and opening date
    funder: Funder
    scheme: frozenset[str]
    # The funder's own departments that run it, as a subsidy register names them.
    departments: frozenset[str] = frozenset()

    @property
    def dated(self) -> bool:
        return bool(self.years or self.date_years or self.numerals)

    @property
    def all_years(self) -> frozenset[int]:
        return self.years | self.date_years


def _date_years(record: Mapping[str, Any]) -> frozenset[int]:
    years = set()
    for value in [*(record.get("deadlines") or []), record.get("opens_at")]:
        if isinstance(value, dt.date):
            years.add(value.year)
        elif isinstance(value, str) and _YEAR.match(value):
            years.add(int(value[:4]))
    return frozenset(years)


def fingerprint(record: Mapping[str, Any]) -> Fingerprint:
    """The comparable form of a record dict (catalog fields)."""
    title = record.get("title") or ""
    who = funder(record.get("funder"))
    return Fingerprint(
        id=record["id"],
        source=record.get("source") or "",
        language=record.get("language") or "",
        instrument_type=record.get("instrument_type") or "",
        url=record.get("url"),
        page=page_key(record.get("url")),
        identifiers=identifiers(record),
        title=title,
        core=title_core(title),
        terms=title_terms(title, drop=who.words),
        years=title_years(title),
        numerals=title_numerals(title),
        date_years=_date_years(record),
        funder=who,
        scheme=scheme_keys(title),
        departments=_departments(record),
    )


def _departments(record: Mapping[str, Any]) -> frozenset[str]:
    named = (record.get("extra") or {}).get("departments") or []
    return frozenset(fold(d).strip() for d in named if isinstance(d, str) and d.strip())


# --- pairwise tests ----------------------------------------------------------------------


def rounds_conflict(left: Fingerprint, right: Fingerprint) -> bool:
    """Both titles name a year or a round numeral, and they differ: two rounds."""
    if left.years and right.years and not left.years & right.years:
        return True
    return bool(left.numerals and right.numerals and left.numerals != right.numerals)


def rounds_differ(left: Fingerprint, right: Fingerprint) -> bool:
    """Two rounds by their titles alone: their years or numerals differ, or only one title
    names a numeral ("Dutch Future Fund II" is not the Dutch Future Fund). One page or one
    identifier outweighs a numeral only one title names ("Interreg V Vlaanderen-Nederland")."""
    return rounds_conflict(left, right) or left.numerals != right.numerals


def departments_differ(left: Fingerprint, right: Fingerprint) -> bool:
    """Both name the funder's departments that run them and none is shared: "Eenmalige
    Initiatieven SD Zuid" and "… SD Noord" are two district schemes, not one spelled twice."""
    return bool(left.departments and right.departments and not left.departments & right.departments)


def dates_compatible(left_years: frozenset[int], right_years: frozenset[int]) -> bool:
    """Both undated, or sharing a year: an undated page may describe any round."""
    if not left_years and not right_years:
        return True
    return bool(left_years & right_years)


def overlap(left: frozenset[str], right: frozenset[str]) -> float:
    """Jaccard overlap of two word sets (0 when either is empty)."""
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def titles_name_one_instrument(left: Fingerprint, right: Fingerprint) -> bool:
    """On a page holding several instruments, which one a record of another source is: the
    shorter title's words all in the longer one, or equal cores."""
    if left.core and left.core == right.core:
        return True
    small, large = sorted((left.terms, right.terms), key=len)
    return len(small) >= 2 and len(small & large) / len(small) >= 0.8


def specific_bodies(left: Funder, right: Funder) -> frozenset[str]:
    """Lenders and funds both records name: one body whose products are few and named."""
    organisations = registry().organisations
    shared = left.bodies.funders & right.bodies.funders
    return frozenset(k for k in shared if organisations[k].kind in ("lender", "fund"))
