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
    kind: str = "national"  # national | province | rom | eu — for listings and the CLI
    extra: dict[str, str] = field(default_factory=dict)
    # For sites that publish much besides schemes (news, all national laws): a page whose
    # title and text do not match this regex is dropped as not_a_scheme.
    relevance: str | None = None


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

# Words of a page that offers money to companies, for sites that publish other things too.
FUNDING_WORDS = (
    r"(?i)subsidie|financiering|\bfonds|lening|krediet|garantie|investering|funding|grant"
    r"|\bloan|investment"
)

SITES += (
    SiteConfig(
        name="rijksoverheid",
        funder="Rijksoverheid",
        level="national",
        allowed_domains=("rijksoverheid.nl",),
        # The news sitemap robots.txt names; news about funding only (slug words).
        sitemap_urls=("https://www.rijksoverheid.nl/nieuws-sitemap.xml",),
        scheme_patterns=(
            r"rijksoverheid\.nl/actueel/nieuws/\d{4}/\d{2}/\d{2}/"
            r"[a-z0-9-]*(?:subsidie|financiering|fonds|miljoen|regeling|krediet|investe)[a-z0-9-]*$",
        ),
        relevance=FUNDING_WORDS,
    ),
    SiteConfig(
        name="wetten-overheid",
        funder="Rijksoverheid",
        level="national",
        allowed_domains=("wetten.overheid.nl",),
        sitemap_urls=("https://wetten.overheid.nl/sitemap.xml",),
        scheme_patterns=(r"wetten\.overheid\.nl/(?:jci)?1\.3:c:BWBR\d+",),
        # Every national law is in the sitemap; only regulations that grant money are kept.
        relevance=r"(?i)verstrekken van subsidie|subsidie\w*|leningen|garantstelling",
        instrument_type="subsidy",
    ),
    SiteConfig(
        name="invest-nl",
        funder="Invest-NL",
        level="national",
        allowed_domains=("invest-nl.nl",),
        listing_urls=("https://www.invest-nl.nl/en/news",),
        scheme_patterns=(r"invest-nl\.nl/(?:en/)?(?:news|nieuws)/.+",),
        relevance=FUNDING_WORDS,
    ),
    SiteConfig(
        name="qredits",
        funder="Qredits Microfinanciering Nederland",
        level="national",
        allowed_domains=("qredits.nl",),
        listing_urls=("https://qredits.nl/krediet/",),
        scheme_patterns=(r"qredits\.nl/krediet/.+",),
        instrument_type="loan",
    ),
    SiteConfig(
        name="eib-advisory",
        funder="European Investment Bank (EIB Advisory)",
        level="eu",
        allowed_domains=("advisory.eib.org",),
        listing_urls=("https://advisory.eib.org/future-finance-programme",),
        scheme_patterns=(r"advisory\.eib\.org/future-finance-programme/.+",),
        kind="eu",
    ),
    SiteConfig(
        name="horizon-ncp-portal",
        funder="Horizon Europe NCP Portal",
        level="eu",
        allowed_domains=("horizoneuropencpportal.eu",),
        listing_urls=("https://horizoneuropencpportal.eu/news",),
        scheme_patterns=(r"horizoneuropencpportal\.eu/news/.+",),
        relevance=FUNDING_WORDS,
        kind="eu",
    ),
    SiteConfig(
        name="ncp-brussels",
        funder="NCP Brussels (Horizon Europe contact point)",
        level="eu",
        allowed_domains=("ncp.brussels",),
        sitemap_urls=("https://ncp.brussels/sitemap.xml",),
        scheme_patterns=(r"ncp\.brussels/horizon-europe/.+\.html$",),
        kind="eu",
    ),
    SiteConfig(
        name="funding-portal-cy",
        funder="Funding Programmes Portal of Cyprus (EU calls)",
        level="eu",
        allowed_domains=("fundingprogrammesportal.gov.cy",),
        listing_urls=("https://www.fundingprogrammesportal.gov.cy/en/calls",),
        scheme_patterns=(r"fundingprogrammesportal\.gov\.cy/en/call/.+",),
        kind="eu",
    ),
)

SITES_BY_NAME = {site.name: site for site in SITES}
