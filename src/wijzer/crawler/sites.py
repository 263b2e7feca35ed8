"""Per-site configuration of the generic HTML spider: where to start, what a scheme page is."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SiteConfig:
    """One HTML source: discovery (sitemaps, listings), scope and defaults for its records."""

    name: str
    funder: str
    level: str
    allowed_domains: tuple[str, ...]
    sitemap_urls: tuple[str, ...] = ()
    listing_urls: tuple[str, ...] = ()
    # Regexes over the full URL; a link matching one is a scheme page to extract.
    scheme_patterns: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    # When set, every record has this type; otherwise it is inferred from the text.
    instrument_type: str | None = None
    kind: str = "national"  # national | province | rom — for listings and the CLI
    extra: dict[str, str] = field(default_factory=dict)


SITES: tuple[SiteConfig, ...] = (
    SiteConfig(
        name="rvo",
        funder="Rijksdienst voor Ondernemend Nederland (RVO)",
        level="national",
        allowed_domains=("rvo.nl",),
        sitemap_urls=("https://www.rvo.nl/sitemap.xml",),
        listing_urls=("https://english.rvo.nl/en/subsidies-financing",),
        scheme_patterns=(
            r"rvo\.nl/(?:en/)?subsidies-(?:financiering|regelingen|financing|programmes)/.+",
            r"rvo\.nl/subsidie-en-financieringswijzer/.+",
            r"mijn\.rvo\.nl/[a-z0-9-]+$",
        ),
    ),
    SiteConfig(
        name="kvk",
        funder="KVK / Ondernemersplein",
        level="national",
        allowed_domains=("business.gov.nl", "kvk.nl", "ondernemersplein.nl"),
        sitemap_urls=("https://business.gov.nl/sitemap.xml",),
        listing_urls=("https://www.kvk.nl/financiering/", "http://startup.ondernemersplein.nl/"),
        scheme_patterns=(
            r"business\.gov\.nl/(?:subsidy|subsidies-and-schemes)/.+",
            r"kvk\.nl/(?:corona|en/finance)/.+",
            r"startup\.ondernemersplein\.nl/.+/funding/.+",
        ),
    ),
    SiteConfig(
        name="provincie-utrecht",
        funder="Provincie Utrecht",
        level="regional",
        allowed_domains=("economicboardutrecht.nl", "zoek.officielebekendmakingen.nl"),
        sitemap_urls=("https://www.economicboardutrecht.nl/sitemap.xml",),
        listing_urls=("https://www.economicboardutrecht.nl/subsidies",),
        scheme_patterns=(r"economicboardutrecht\.nl/mit-.+", r"officielebekendmakingen\.nl/prb-.+"),
        regions=("Utrecht",),
        kind="province",
    ),
    SiteConfig(
        name="provincie-zuid-holland",
        funder="Provincie Zuid-Holland",
        level="regional",
        allowed_domains=("zuid-holland.nl", "zuid-holland.eu", "lokaleregelgeving.overheid.nl"),
        listing_urls=("https://www.zuid-holland.nl/onderwerpen/subsidies/",),
        scheme_patterns=(
            r"zuid-holland\.(?:nl|eu)/.+/(?:nieuws|news)/.+",
            r"lokaleregelgeving\.overheid\.nl/CVDR.+",
        ),
        regions=("Zuid-Holland",),
        kind="province",
    ),
    SiteConfig(
        name="provincie-noord-brabant",
        funder="Provincie Noord-Brabant",
        level="regional",
        allowed_domains=("brabant.nl", "zoek.officielebekendmakingen.nl"),
        listing_urls=("https://www.brabant.nl/subsidies",),
        scheme_patterns=(r"officielebekendmakingen\.nl/prb-.+",),
        regions=("Noord-Brabant",),
        kind="province",
    ),
    SiteConfig(
        name="provincie-overijssel",
        funder="Provincie Overijssel",
        level="regional",
        allowed_domains=("monitoroverijssel2018-2.pcportal.nl", "overijssel.nl"),
        listing_urls=("https://monitoroverijssel2018-2.pcportal.nl/p25400/",),
        scheme_patterns=(r"pcportal\.nl/p\d+/.+",),
        regions=("Overijssel",),
        kind="province",
    ),
    SiteConfig(
        name="provincie-limburg",
        funder="Provincie Limburg",
        level="regional",
        allowed_domains=("limburg.nl",),
        sitemap_urls=("https://www.limburg.nl/sitemap.xml",),
        scheme_patterns=(r"limburg\.nl/actueel/kennisgevingen/kennisgevingen/.+",),
        regions=("Limburg",),
        kind="province",
    ),
    SiteConfig(
        name="provincie-zeeland",
        funder="Provincie Zeeland",
        level="regional",
        allowed_domains=("zeeland.nl",),
        listing_urls=("https://www.zeeland.nl/subsidie-aanvragen",),
        scheme_patterns=(r"zeeland\.nl/subsidie-aanvragen/.+",),
        regions=("Zeeland",),
        kind="province",
    ),
    SiteConfig(
        name="innovationquarter",
        funder="InnovationQuarter",
        level="regional",
        allowed_domains=("innovationquarter.nl",),
        sitemap_urls=("https://www.innovationquarter.nl/sitemap.xml",),
        scheme_patterns=(r"innovationquarter\.nl/[a-z0-9-]+/$",),
        regions=("Zuid-Holland",),
        kind="rom",
    ),
    SiteConfig(
        name="oost-nl",
        funder="Oost NL",
        level="regional",
        allowed_domains=("oostnl.nl", "oostnv.nl"),
        listing_urls=("https://oostnl.nl/nl/financiering",),
        scheme_patterns=(r"oostnl\.nl/nl/nieuws/.+", r"oostnv\.nl/page/.+"),
        regions=("Gelderland", "Overijssel"),
        kind="rom",
    ),
    SiteConfig(
        name="liof",
        funder="LIOF",
        level="regional",
        allowed_domains=("liof.nl",),
        sitemap_urls=("https://liof.nl/sitemap.xml",),
        scheme_patterns=(r"liof\.nl/(?:en/)?archief/.+",),
        regions=("Limburg",),
        kind="rom",
    ),
    SiteConfig(
        name="nom",
        funder="NOM (Investerings- en Ontwikkelingsmaatschappij Noord-Nederland)",
        level="regional",
        allowed_domains=("nom.nl",),
        listing_urls=("http://jaarverslag2016.nom.nl/",),
        scheme_patterns=(r"nom\.nl/kerntaken-nom/.+",),
        regions=("Groningen", "Friesland", "Drenthe"),
        instrument_type="equity",
        kind="rom",
    ),
)

SITES_BY_NAME = {site.name: site for site in SITES}
