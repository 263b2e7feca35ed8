"""Decentralised regulations: CVDR XML (lokaleregelgeving.overheid.nl) and official
publications (officielebekendmakingen.nl) read into one shape, then into an instrument.

A search for subsidy words also finds regulations that only mention subsidies (a Bibob policy
listing "subsidies" among the permits it covers); `funding_verdict` keeps only regulations
that grant money — a subsidy, loan, guarantee or participation — and names why it drops the
rest. Amounts are read per article with the catalog's money reader, so every amount on the
instrument can be traced to the article that states it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from wijzer.catalog.dates import deadline_dates, parse_date
from wijzer.catalog.money import find_amounts
from wijzer.catalog.text import fold
from wijzer.catalog.vocabulary.places import issuer_provinces, municipality
from wijzer.crawler.normalise.html import summarise
from wijzer.crawler.parsers import ParseError
from wijzer.crawler.parsers.sru import local, text_of

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
CVDR_URL = "https://lokaleregelgeving.overheid.nl/{work}/{version}"
PUBLICATION_URL = "https://zoek.officielebekendmakingen.nl/{}.html"
# Elements whose text is a block of its own (a paragraph, list item, table cell, heading).
_BLOCKS = frozenset({"al", "li", "entry", "titel", "intitule", "tussenkop", "label", "nr"})
_ARTICLE_HEADING = re.compile(r"^(Artikel\s+[0-9IVXL]+[a-z]?\.?)(?:\s+|$)(.*)$")

# A regulation grants money when its articles say so, in the words regulations use.
_GRANTS = re.compile(
    r"\b(?:verstrekt|verstrekken|verleent|verlenen|verstrekking van)\s+(?:op aanvraag\s+)?"
    r"(?:een\s+)?(?:subsidie|lening|krediet|garantie|borgstelling|financiering|bijdrage)"
    r"|\b(?:subsidie|lening|financiering|bijdrage)\s+(?:kan|wordt|worden)\s+(?:op aanvraag\s+)?"
    r"(?:worden\s+)?(?:verstrekt|verleend)"
    r"|\bkomt in aanmerking voor\s+(?:een\s+)?(?:subsidie|lening|financiering|bijdrage)"
    r"|\baanvraag (?:om|voor) (?:een\s+)?(?:subsidie|lening|financiering)",
    re.IGNORECASE,
)
_FUNDING_TITLE = re.compile(
    r"subsidie|bijdrageregeling|stimuleringsregeling|leningen|krediet|garantie|fonds|investeringsreglement"
)
# A framework states how subsidies are handled, not what one can apply for.
_FRAMEWORK_TITLE = re.compile(
    r"^(?:algemene subsidieverordening|kaderverordening subsidies|subsidiebesluit\b)"
)
_CEILING = re.compile(r"plafond|budget", re.IGNORECASE)
_MAXIMUM = re.compile(
    r"maxim|ten hoogste|niet meer dan|bedraagt|tot een bedrag van|hoogte van", re.IGNORECASE
)
_MINIMUM = re.compile(r"minim|ten minste|tenminste|niet minder dan", re.IGNORECASE)
# Who may apply, in the words regulations use for it (definitions of terms are not enough).
_TARGET = re.compile(
    r"\b(?:aanvragers?|doelgroep|komt in aanmerking|komen in aanmerking|verstrekt aan"
    r"|kan worden aangevraagd door|aangevraagd door)\b",
    re.IGNORECASE,
)
_APPLYING = re.compile(r"aanvra|indien|aanvraagperiode|openstelling", re.IGNORECASE)
_SENTENCES = re.compile(r"(?<=[.;:!?])\s+|\n+")


@dataclass
class Article:
    heading: str
    text: str


@dataclass
class Regulation:
    """What a regulation says about itself, in whichever of the two formats it came."""

    format: str  # cvdr | officiele-publicatie
    identifier: str
    title: str
    issuer: str | None = None
    issuer_kind: str | None = None  # gemeente | provincie | waterschap | ...
    issued: dt.date | None = None
    in_force_from: dt.date | None = None
    in_force_until: dt.date | None = None
    modified: dt.date | None = None
    subject: str | None = None
    publication: str | None = None  # the gazette publication a CVDR text consolidates
    preamble: str = ""
    articles: list[Article] = field(default_factory=list)
    text: str = ""


def _iso_date(value: str | None) -> dt.date | None:
    if value and re.match(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _blocks(element: Any) -> list[str]:
    """The element's text as blocks (paragraphs, list items, cells), in document order."""
    out: list[str] = []
    for node in element.iter():
        if not isinstance(node.tag, str) or local(node) not in _BLOCKS:
            continue
        if any(local(a) in _BLOCKS for a in node.iterancestors() if a is not element):
            continue  # nested inside a block already read
        text = text_of(node)
        if text:
            out.append(text)
    return out


def _articles(body: Any) -> list[Article]:
    """Articles as marked up (<artikel> with a <kop>) or, in gazettes that only put the
    heading in bold, split at "Artikel N" lines."""
    articles = []
    for node in body.iter():
        if not isinstance(node.tag, str) or local(node) != "artikel":
            continue
        kop = next((c for c in node if local(c) == "kop"), None)
        heading = " ".join(_blocks(kop)) if kop is not None else ""
        blocks = [b for c in node if c is not kop and isinstance(c.tag, str) for b in _blocks(c)]
        articles.append(Article(heading, "\n".join(blocks)))
    if articles:
        return articles
    current: Article | None = None
    for block in _blocks(body):
        match = _ARTICLE_HEADING.match(block)
        if match:
            current = Article(block, "")
            articles.append(current)
        elif current is not None:
            current.text = f"{current.text}\n{block}".strip()
    return articles


def parse_regulation(data: bytes) -> Regulation:
    """A CVDR regulation or an official publication; ParseError for anything else."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a UTF-8 byte order mark (real gazette files carry one)
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"malformed XML: {exc.msg}") from None
    if local(root) == "cvdr":
        return _cvdr(root)
    if local(root) == "officiele-publicatie":
        return _publication(root)
    raise ParseError(f"not a regulation: root element {local(root)!r}")


def _first(root: Any, *names: str) -> Any:
    for node in root.iter():
        if isinstance(node.tag, str) and local(node) in names:
            return node
    return None


def _cvdr(root: Any) -> Regulation:
    meta = _first(root, "meta")
    body = _first(root, "body")
    if meta is None or body is None:
        raise ParseError("CVDR document without meta or body")
    found: dict[str, Any] = {}
    for node in meta.iter():
        if isinstance(node.tag, str) and local(node) not in found:
            found[local(node)] = node
    identifier = text_of(found.get("identifier"))
    title = text_of(found.get("title"))
    if not identifier or not title:
        raise ParseError("CVDR document without identifier or title")
    creator = found.get("creator")
    scheme = (creator.get("scheme") or "") if creator is not None else ""
    publication = found.get("isFormatOf")
    regeling = _first(body, "regeling")
    preamble = _first(body, "aanhef")
    articles = _articles(regeling if regeling is not None else body)
    return Regulation(
        format="cvdr",
        identifier=identifier,
        title=title,
        issuer=text_of(creator) or None,
        issuer_kind=scheme.split(":")[-1].lower() or None,
        issued=_iso_date(text_of(found.get("issued"))),
        in_force_from=_iso_date(text_of(found.get("inwerkingtredingDatum"))),
        in_force_until=_iso_date(text_of(found.get("uitwerkingtredingDatum"))),
        modified=_iso_date(text_of(found.get("modified"))),
        subject=text_of(found.get("subject")) or None,
        publication=(publication.get("resourceIdentifier") or text_of(publication) or None)
        if publication is not None
        else None,
        preamble="\n".join(_blocks(preamble)) if preamble is not None else "",
        articles=articles,
        text="\n".join(_blocks(body)),
    )


_ISSUER_LINE = re.compile(
    r"uitgave van (?:de |het )?(?P<kind>gemeente|provincie|waterschap|gemeenschappelijke regeling"
    r"|koninkrijk)\s*(?:der nederlanden)?\s*(?P<name>[^.]*)",
    re.IGNORECASE,
)


def _publication(root: Any) -> Regulation:
    record = _first(root, "meta")
    identifier = ""
    if record is not None and record.get("content"):
        # ".../gmb-2017-100002/metadata.xml" names the publication.
        match = re.search(r"/([a-z]+-\d{4}-\d+)/", record.get("content"))
        identifier = match.group(1) if match else ""
    blad = next(
        (c for c in root if isinstance(c.tag, str) and local(c) not in ("metadata", "kop")), None
    )
    if blad is None or not identifier:
        raise ParseError("publication without identifier or content")
    heading = next((c for c in blad if local(c) == "kop"), None)
    title = text_of(_first(heading, "titel")) if heading is not None else ""
    if not title:
        raise ParseError(f"publication {identifier} without title")
    subtitle = text_of(_first(next((c for c in root if local(c) == "kop"), root), "subtitel"))
    issuer = _ISSUER_LINE.search(subtitle)
    kind = issuer.group("kind").lower() if issuer else None
    name = issuer.group("name").strip(" .") if issuer else None
    regeling = _first(blad, "regeling")
    content = regeling if regeling is not None else blad
    preamble = _first(content, "aanhef")
    return Regulation(
        format="officiele-publicatie",
        identifier=identifier,
        title=title,
        issuer=name if kind != "koninkrijk" else "Rijksoverheid",
        issuer_kind=kind,
        preamble="\n".join(_blocks(preamble)) if preamble is not None else "",
        articles=_articles(content) if regeling is not None else [],
        text="\n".join(b for b in _blocks(blad) if b != title),
    )


# --- what the regulation is about ----------------------------------------------------------


def funding_verdict(regulation: Regulation) -> str | None:
    """None when the regulation grants money (a scheme to apply for); otherwise the reason
    to drop it: not_about_subsidies or subsidy_framework_only."""
    title = fold(regulation.title)
    if _FRAMEWORK_TITLE.search(title):
        return "subsidy_framework_only"
    article_text = "\n".join(a.text for a in regulation.articles) or regulation.text
    if _GRANTS.search(article_text):
        return None
    if _FUNDING_TITLE.search(title) and re.search(r"aanvra", article_text, re.IGNORECASE):
        return None
    return "not_about_subsidies"


def in_force_verdict(regulation: Regulation, today: dt.date) -> str | None:
    """no_longer_in_force when the regulation says it ended before today."""
    if regulation.in_force_until and regulation.in_force_until < today:
        return "no_longer_in_force"
    return None


@dataclass
class AmountStatement:
    article: str
    amounts: list[float]
    kind: str  # ceiling | maximum | minimum | amount
    sentence: str


def amount_statements(regulation: Regulation) -> list[AmountStatement]:
    """Every sentence of an article that states a euro amount, with what kind of amount."""
    found = []
    for article in regulation.articles:
        for sentence in _SENTENCES.split(article.text):
            amounts = [a.value for a in find_amounts(sentence)]
            if not amounts:
                continue
            if _CEILING.search(sentence):
                kind = "ceiling"
            elif _MINIMUM.search(sentence) and not _MAXIMUM.search(sentence):
                kind = "minimum"
            elif _MAXIMUM.search(sentence):
                kind = "maximum"
            else:
                kind = "amount"
            found.append(AmountStatement(article.heading, amounts, kind, sentence.strip()[:500]))
    return found


def _sentences_matching(regulation: Regulation, pattern: re.Pattern[str], limit: int) -> list[str]:
    out: list[str] = []
    for article in regulation.articles:
        for sentence in _SENTENCES.split(article.text):
            sentence = sentence.strip(" •;")
            if len(sentence) > 20 and pattern.search(sentence) and sentence not in out:
                out.append(sentence[:400])
            if len(out) >= limit:
                return out
    return out


def regulation_fields(
    regulation: Regulation, metadata: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Catalog record fields (without id/source) for a regulation that grants money.

    `metadata` is what the search record said (issuer kind, preferred URL, dates) where the
    document itself is silent.
    """
    metadata = metadata or {}
    kind = (regulation.issuer_kind or metadata.get("issuer_kind") or "").lower()
    issuer = regulation.issuer or metadata.get("issuer")
    provinces = issuer_provinces(kind, issuer)
    town = municipality(issuer) if kind.startswith("gemeente") else None
    funder = _funder(kind, issuer)
    statements = amount_statements(regulation)
    ceilings = [v for s in statements if s.kind == "ceiling" for v in s.amounts]
    maxima = [v for s in statements if s.kind == "maximum" for v in s.amounts]
    minima = [v for s in statements if s.kind == "minimum" for v in s.amounts]
    amount_max = max(maxima) if maxima else None
    amount_min = min(minima) if minima else None
    if amount_min is not None and amount_max is not None and amount_min > amount_max:
        amount_min = None
    applying = "\n".join(
        s for s in _sentences_matching(regulation, _APPLYING, 20) if _APPLYING.search(s)
    )
    opens, deadlines = deadline_dates(applying)
    purpose = next((a.text for a in regulation.articles if "doel" in fold(a.heading)), "")
    body = (
        "\n\n".join(
            part
            for part in [regulation.preamble]
            + [f"{a.heading}\n{a.text}".strip() for a in regulation.articles]
            if part
        )
        or regulation.text
    )
    in_force = regulation.in_force_from or _iso_date(metadata.get("in_force_from"))
    if regulation.format == "cvdr":
        work, _, version = regulation.identifier.removeprefix("CVDR").partition("_")
        url = metadata.get("preferred_url") or CVDR_URL.format(
            work=f"CVDR{work}", version=version or "1"
        )
    else:
        url = metadata.get("preferred_url") or PUBLICATION_URL.format(regulation.identifier)
    return {
        "title": regulation.title,
        "summary": summarise(purpose) if purpose else "",
        "description": body,
        "funder": funder,
        "level": "regional" if provinces or kind else "national",
        "regions": list(provinces),
        "municipality": town[0] if town else None,
        "instrument_type": _instrument_type(regulation),
        "amount_min": amount_min,
        "amount_max": amount_max,
        "budget_total": max(ceilings) if ceilings else None,
        "opens_at": opens.isoformat() if opens else None,
        "deadlines": [d.isoformat() for d in deadlines],
        "language": "nl",
        "url": url,
        "extra": {
            "regulation_format": regulation.format,
            "expression": regulation.identifier,
            "issuer": issuer,
            "issuer_kind": kind or None,
            "issued": _date_text(regulation.issued),
            "in_force_from": _date_text(in_force),
            "in_force_until": _date_text(regulation.in_force_until),
            "modified": _date_text(regulation.modified),
            "publication_id": regulation.publication or metadata.get("publication_id"),
            "subject": regulation.subject,
            "amount_articles": [
                {"article": s.article, "kind": s.kind, "amounts": s.amounts, "text": s.sentence}
                for s in statements
            ],
            "target_group": _sentences_matching(regulation, _TARGET, 3),
            "application_period": applying[:1000] or None,
            **({"source_status": "forthcoming"} if _future(in_force, metadata) else {}),
        },
    }


def _date_text(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _future(day: dt.date | None, metadata: dict[str, Any]) -> bool:
    today = metadata.get("today")
    return bool(day and isinstance(today, dt.date) and day > today)


def _funder(kind: str, issuer: str | None) -> str:
    if not issuer:
        return ""
    if kind.startswith("gemeente"):
        found = municipality(issuer)
        return f"Gemeente {found[0] if found else issuer}"
    if kind.startswith("provincie"):
        return issuer if fold(issuer).startswith("provincie") else f"Provincie {issuer}"
    if kind.startswith("waterschap") and not fold(issuer).startswith(
        ("waterschap", "hoogheem", "wetterskip")
    ):
        return f"Waterschap {issuer}"
    return issuer


def _instrument_type(regulation: Regulation) -> str:
    text = fold(f"{regulation.title}\n" + "\n".join(a.text for a in regulation.articles[:10]))
    if "subsidie" in text:
        return "subsidy"
    if re.search(r"converteerbare lening|participatie|aandelen", text):
        return "equity" if "participatie" in fold(regulation.title) else "loan"
    if re.search(r"\blening|krediet", text):
        return "loan"
    if re.search(r"garantie|borgstelling", text):
        return "guarantee"
    return "subsidy"


def publication_date(metadata: dict[str, Any]) -> dt.date | None:
    """The date a search record says the text was published or last changed."""
    for key in ("modified", "available", "issued"):
        day = _iso_date(metadata.get(key)) or (
            parse_date(metadata.get(key) or "") if metadata.get(key) else None
        )
        if day:
            return day
    return None
