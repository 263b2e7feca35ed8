"""Rebuild the recorded responses from ../shared/data (run from the repository root).

Real responses (SEDIA JSON and topic details, TED XML, CVDR and gazette XML, the Amsterdam
register, robots.txt files) are copied byte for byte. HTML sites exist only as text excerpts,
so their pages are constructed around that real text; sitemaps, listings, missing robots.txt,
the TED and SEDIA search pages, the SRU response wrappers and the TenderNed API pages are
constructed too. See the recordings README.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
HERE = REPO / "src" / "wijzer" / "crawler" / "recordings"
sys.path.insert(0, str(REPO / "src"))

from wijzer.crawler.sites import SITES  # noqa: E402
from wijzer.crawler.spiders.regulations import (  # noqa: E402
    CvdrSpider,
    OfficialPublicationsSpider,
)

SHARED = REPO.parent / "shared" / "data"
CONSTRUCTED = "constructed around real text"
ROBOTS = "User-agent: *\nDisallow: /zoeken\nDisallow: /search\nDisallow: /admin/\n"

# Which excerpt page belongs to which site source (URL prefixes as published).
EXCERPTS = {
    "rvo": ["rvo/rvo_pages_excerpts.jsonl", "rvo/rijksoverheid_pages_excerpts.jsonl"],
    "kvk": [
        "kvk/business_gov_nl_excerpts.jsonl",
        "kvk/kvk_pages_excerpts.jsonl",
        "kvk/qredits_pages_excerpts.jsonl",
    ],
    "provinces": ["provinces/provinces_pages_excerpts.jsonl"],
    "roms": ["roms/roms_pages_excerpts.jsonl"],
    "eu": ["eic/eic_pages_excerpts.jsonl", "eu_misc/eu_pages_excerpts.jsonl"],
}
ROBOTS_DIR = SHARED / "robots_txt"
SKIP_URLS = {
    "https://business.gov.nl./subsidy/bmkb",  # a trailing-dot host; same page as /bmkb/
    # The excerpt starts mid-page without the call's title; no title can be given honestly.
    "https://www.fundingprogrammesportal.gov.cy/en/call/projects-on-legislative-and-policy-"
    "priorities-in-the-fields-of-nature-biodiversity-and-circular-economy-quality-of-life-"
    "agglika-2025",
}
SKIP_LINES = {
    "open voor aanvragen",
    "tijdelijk gesloten voor aanvragen",
    "temporarily closed",
    "open for application",
    "terug naar overzicht",
    "skip to content",
    "mijnrvo.nl",
    "oost nl",
    "corona",
    "base description which applies to whole site",
    "government support for entrepreneurs",
    "service menu right",
    "kerntaken nom",
    "de vries trappen",
    "vragen?",
}
# Pages whose first text line is navigation or a heading of something else.
TITLES = {
    "https://www.economicboardutrecht.nl/mit-haalbaarheidsprojecten-mkb": "MIT-Haalbaarheidsprojecten MKB",  # noqa: E501
    "https://liof.nl/en/archief/mkb-leningenfonds": "MKB Leningenfonds Limburg",
    "https://liof.nl/archief/limburg-business-development-fonds/financiering-voor-starters-ideeenfonds": "Ideeënfonds: financiering voor starters",  # noqa: E501
    "https://www.zeeland.nl/subsidie-aanvragen/interreg-v-vlaanderen-nederland": "Interreg V Vlaanderen-Nederland",  # noqa: E501
    "https://business.gov.nl/subsidy/growth-facility-scheme/": "Growth Facility scheme (GF)",
    "https://english.rvo.nl/subsidies-programmes/energy-investment-allowance-eia": "Energy Investment Allowance (EIA)",  # noqa: E501
    "https://english.rvo.nl/en/subsidies-financing/eurostars": "Eurostars",
    "http://jaarverslag2016.nom.nl/kerntaken-nom/resultaten-en-effecten-in-de-regio-2": "Wat doet NOM Finance?",  # noqa: E501
    "https://zoek.officielebekendmakingen.nl/prb-2018-4958.html": "Beleidsregels Investeringen Brabant Startup Fonds",  # noqa: E501
    "https://monitoroverijssel2018-2.pcportal.nl/p25400/5-3-4-risicofinanciering": "Risicofinanciering",  # noqa: E501
    "https://www.rijksoverheid.nl/actueel/nieuws/2026/02/11/60-miljoen-voor-innovatieve-bedrijven-in-noord-nederland": "60 miljoen voor innovatieve bedrijven in Noord-Nederland",  # noqa: E501
    "https://www.invest-nl.nl/en/news/dutch-government-and-invest-nl-unveil-joint-investment-plan-half-a-billion-for-growth-companies": "Dutch government and Invest-NL unveil joint investment plan: half a billion for growth companies",  # noqa: E501
    "https://horizoneuropencpportal.eu/news/eic-work-programme-2024-adopted": "EIC work programme 2024 adopted",  # noqa: E501
    "https://advisory.eib.org/future-finance-programme/eic-transition": "EIC Transition",
}


# Official gazettes serve every province from one host: the page's publisher decides.
PAGE_SITE = {
    "https://zoek.officielebekendmakingen.nl/prb-2018-4958.html": "provincie-noord-brabant"
}


def site_of(url: str) -> str | None:
    if url in PAGE_SITE:
        return PAGE_SITE[url]
    for site in SITES:
        if any(re.search(p, url) for p in site.scheme_patterns) and any(
            urlsplit(url).netloc.rstrip(".").endswith(d) for d in site.allowed_domains
        ):
            return site.name
    return None


def title_of(url: str, excerpt: str) -> str:
    if url in TITLES:
        return TITLES[url]
    for line in excerpt.splitlines():
        line = line.strip(" •\t")
        if len(line) < 5 or line.lower() in SKIP_LINES or line.lower().startswith("date "):
            continue
        return re.split(r"\s+\|\s+", line)[0][:200]
    return urlsplit(url).path


def paragraphs(excerpt: str) -> str:
    out, items = [], []
    for block in re.split(r"\n\s*\n", excerpt):
        lines = [ln.strip() for ln in block.splitlines() if ln.strip()]
        for line in lines:
            if line.startswith("•"):
                items.append(f"<li>{html.escape(line.lstrip('• '))}</li>")
                continue
            if items:
                out.append("<ul>" + "".join(items) + "</ul>")
                items = []
            out.append(f"<p>{html.escape(line)}</p>")
    if items:
        out.append("<ul>" + "".join(items) + "</ul>")
    return "\n      ".join(out)


def page_html(url: str, title: str, lang: str, text: str, publisher: str) -> str:
    first = next((ln.strip() for ln in text.splitlines() if len(ln.strip()) > 60), "")
    ld = {
        "@context": "https://schema.org",
        "@type": "WebPage",
        "name": title,
        "url": url,
        "inLanguage": lang,
        "description": first[:300],
        "publisher": {"@type": "Organization", "name": publisher},
    }
    host = urlsplit(url).netloc
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
  <meta charset="utf-8">
  <meta name="wijzer-fixture" content="{CONSTRUCTED}">
  <title>{html.escape(title)} | {html.escape(host)}</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta property="og:title" content="{html.escape(title)}">
  <meta property="og:type" content="article">
  <meta property="og:url" content="{html.escape(url)}">
  <meta property="og:locale" content="{"nl_NL" if lang == "nl" else "en_GB"}">
  <script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
  <script>window.dataLayer = window.dataLayer || []; function track() {{}}</script>
  <style>body {{ font-family: sans-serif; }} .cookie {{ position: fixed; }}</style>
</head>
<body>
  <div class="cookie" role="dialog">Wij gebruiken cookies om de website te verbeteren.
    <button>Accepteren</button> <button>Weigeren</button></div>
  <header>
    <a href="/">Home</a>
    <nav aria-label="Hoofdmenu"><ul>
      <li><a href="/">Home</a></li><li><a href="/over-ons">Over ons</a></li>
      <li><a href="/contact">Contact</a></li><li><a href="/zoeken">Zoeken</a></li>
      <li><a href="https://www.linkedin.com/company/example">LinkedIn</a></li>
    </ul></nav>
    <nav aria-label="Kruimelpad"><a href="/">Home</a> &gt; <span>{html.escape(title)}</span></nav>
  </header>
  <main id="content">
    <article>
      <h1>{html.escape(title)}</h1>
      {paragraphs(text)}
    </article>
    <aside><h2>Meer informatie</h2><ul><li><a href="/contact">Neem contact op</a></li>
      <li><a href="/nieuwsbrief">Nieuwsbrief</a></li></ul></aside>
  </main>
  <footer>
    <ul><li><a href="/privacy">Privacy</a></li><li><a href="/cookies">Cookies</a></li>
      <li><a href="/toegankelijkheid">Toegankelijkheid</a></li></ul>
    <p>© {html.escape(publisher)}. Alle rechten voorbehouden.</p>
  </footer>
</body>
</html>
"""


def listing_html(url: str, links: list[tuple[str, str]]) -> str:
    items = "\n".join(
        f'      <li><a href="{html.escape(u)}">{html.escape(t)}</a></li>' for u, t in links
    )
    return f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8">
<meta name="wijzer-fixture" content="constructed listing page">
<title>Subsidies en financiering</title></head>
<body><header><nav><a href="/">Home</a> <a href="/contact">Contact</a>
<a href="https://twitter.com/example">Twitter</a></nav></header>
<main><h1>Subsidies en financiering</h1>
    <ul>
{items}
    </ul>
</main><footer><a href="/privacy">Privacy</a></footer></body></html>
"""


def sitemap_xml(urls: list[str]) -> str:
    body = "\n".join(f"  <url><loc>{html.escape(u)}</loc></url>" for u in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<!-- wijzer-fixture: constructed sitemap -->\n"
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + body + "\n</urlset>\n"
    )


class Recorder:
    def __init__(self, source: str):
        self.dir = HERE / source
        if self.dir.exists():
            shutil.rmtree(self.dir)
        self.dir.mkdir(parents=True)
        self.entries: list[dict] = []
        self.count = 0

    def add(self, url: str, body: bytes | str, content_type: str, origin: str, **extra) -> None:
        self.count += 1
        ext = {
            "text/html": "html",
            "application/json": "json",
            "application/xml": "xml",
            "text/plain": "txt",
            "text/csv": "csv",
        }[content_type.split(";")[0]]
        name = f"{self.count:03d}.{ext}"
        data = body.encode("utf-8") if isinstance(body, str) else body
        (self.dir / name).write_bytes(data)
        self.entries.append(
            {
                "url": url,
                "status": 200,
                "headers": {"Content-Type": content_type},
                "file": name,
                "origin": origin,
                **extra,
            }
        )

    def robots(self, host_url: str) -> None:
        """The host's real robots.txt where one was collected (served with the status it
        was fetched with: a 404 page stays a 404), else a constructed one."""
        host = urlsplit(host_url).netloc
        real = ROBOTS_DIR / f"{host}.robots.txt"
        if real.exists():
            body = real.read_bytes()
            status = 404 if b"404" in body[:200] and b"<" in body[:20] else 200
            kind = "text/html" if status == 404 else "text/plain"
            self.add(
                f"{host_url}/robots.txt",
                body,
                kind,
                f"real (byte for byte): shared/data/robots_txt/{real.name}",
                status=status,
            )
            return
        self.add(f"{host_url}/robots.txt", ROBOTS, "text/plain", "constructed")

    def save(self) -> None:
        manifest = {"source": self.dir.name, "entries": self.entries}
        (self.dir / "manifest.json").write_text(
            json.dumps(manifest, indent=1, ensure_ascii=False) + "\n"
        )


def build_sites() -> dict[str, int]:
    pages: dict[str, list[dict]] = {}
    for files in EXCERPTS.values():
        for rel in files:
            for line in (SHARED / rel).read_text(encoding="utf-8").splitlines():
                rec = json.loads(line)
                if rec["url"] in SKIP_URLS:
                    continue
                name = site_of(rec["url"])
                if name:
                    pages.setdefault(name, []).append(rec)
    counts = {}
    for site in SITES:
        recorder = Recorder(site.name)
        recs = pages.get(site.name, [])
        hosts = set()
        for rec in recs:
            title = title_of(rec["url"], rec["excerpt"])
            recorder.add(
                rec["url"],
                page_html(rec["url"], title, rec["language"], rec["excerpt"], site.funder),
                "text/html; charset=utf-8",
                CONSTRUCTED,
            )
            parts = urlsplit(rec["url"])
            hosts.add(f"{parts.scheme}://{parts.netloc}")
        for sitemap in site.sitemap_urls:
            host = urlsplit(sitemap).netloc
            urls = [r["url"] for r in recs if urlsplit(r["url"]).netloc == host]
            # A page that is not a scheme, to show the URL patterns filter sitemaps.
            urls.append(f"{urlsplit(sitemap).scheme}://{host}/over-ons/organisatie/")
            recorder.add(sitemap, sitemap_xml(urls), "application/xml", "constructed")
            hosts.add(f"{urlsplit(sitemap).scheme}://{host}")
        for listing in site.listing_urls:
            links = [(r["url"], title_of(r["url"], r["excerpt"])) for r in recs]
            recorder.add(
                listing, listing_html(listing, links), "text/html; charset=utf-8", "constructed"
            )
            parts = urlsplit(listing)
            hosts.add(f"{parts.scheme}://{parts.netloc}")
        for host in sorted(hosts):
            recorder.robots(host)
        recorder.save()
        counts[site.name] = len(recs)
    return counts


SEDIA_SEARCH = (
    "https://api.tech.ec.europa.eu/search-api/prod/rest/search?apiKey=SEDIA&text=***"
    "&pageSize=100&pageNumber=1"
)
TOPIC_DETAILS = "https://ec.europa.eu/info/funding-tenders/opportunities/data/topicDetails/{}.json"
# The five real topic details; the closed Horizon 2020 topic is not a hit of a search for
# open and forthcoming topics, so it is recorded but not listed.
TOPIC_FILES = {
    identifier: f"topicDetails_{name}.json"
    for identifier, name in (
        ("HORIZON-WIDERA-2025-ACCESS-01-01-two-stage",) * 2,
        ("CEF-T-2024-SAFEMOBGEN-EXTBORDER-WORKS",) * 2,
        ("PPPA-2024-SKILL-FOR-TOURISM",) * 2,
        ("ERASMUS-EDU-2025-PI-ALL-INNO-EDU-ENTERP",) * 2,
        ("MIGRATION-05-2018-2020", "H2020_MIGRATION-05-2018-2020"),
    )
}
LISTED_TOPICS = [t for t in TOPIC_FILES if t != "MIGRATION-05-2018-2020"]


def _brussels_iso(millis: str) -> str:
    import datetime as dt
    from zoneinfo import ZoneInfo

    moment = dt.datetime.fromtimestamp(int(millis) / 1000, tz=ZoneInfo("Europe/Brussels"))
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000%z")


def _search_hit(details: dict) -> dict:
    """A search result in the API's shape, holding only facts of the topic's own details."""
    topic = details["TopicDetails"]
    action = topic["actions"][0]
    status = str(action["status"]["id"])
    meta = {
        "identifier": [topic["identifier"]],
        "title": [topic["title"]],
        "callIdentifier": [topic["callIdentifier"]],
        "callTitle": [topic["callTitle"]],
        "status": [status],
        "type": [str(topic["type"])],
        "frameworkProgramme": [str(topic["frameworkProgramme"]["id"])],
        "startDate": [_brussels_iso(action["plannedOpeningDate"])],
        "deadlineDate": [_brussels_iso(d) for d in action["deadlineDates"]],
        "url": [TOPIC_DETAILS.format(topic["identifier"])],
        "DATASOURCE": ["SEDIA"],
        "language": ["en"],
    }
    return {
        "reference": f"{topic['ccm2Id']}TOPICSen",
        "url": meta["url"][0],
        "title": topic["title"],
        "language": "en",
        "databaseLabel": "SEDIA",
        "database": "SEDIA",
        "summary": topic["title"],
        "metadata": meta,
    }


def build_sedia() -> None:
    recorder = Recorder("sedia")
    aarhus = json.loads(
        (
            SHARED / "eu_sedia" / "sedia_search_response_AarhusAI_portal_search_page.json"
        ).read_bytes()
    )
    portal = SHARED / "eu_ft_portal"
    element = json.loads(
        (portal / "sedia_search_result_ERASMUS-EDU-2025-PI-ALL-INNO-EDU-ENTERP.json").read_bytes()
    )
    hits = []
    for identifier in LISTED_TOPICS:
        if identifier == "ERASMUS-EDU-2025-PI-ALL-INNO-EDU-ENTERP":
            hits.append(element)  # the real search element, unchanged
        else:
            hits.append(_search_hit(json.loads((portal / TOPIC_FILES[identifier]).read_bytes())))
    page = {**aarhus, "results": aarhus["results"] + hits}
    page["totalResults"] = len(page["results"])
    recorder.add(
        SEDIA_SEARCH,
        json.dumps(page, ensure_ascii=False, indent=1),
        "application/json",
        "constructed: the 9 results of the real AarhusAI capture unchanged, the real ERASMUS "
        "search element unchanged, 3 hits built from facts of their real topic details",
        method="POST",
    )
    for identifier, name in TOPIC_FILES.items():
        recorder.add(
            TOPIC_DETAILS.format(identifier),
            (portal / name).read_bytes(),
            "application/json",
            f"real (byte for byte, pretty-printed by the repository author): "
            f"shared/data/eu_ft_portal/{name}",
        )
    recorder.robots("https://ec.europa.eu")
    recorder.save()


TED_NOTICES = [
    # (publication number, file copied byte for byte)
    ("365590-2020", "ted_xml_data_converter/ted-xml-R2.0.9/20-377805-001-EXP.xml"),
    ("67028-2021", "ted_xml_data_converter/eforms-xml/21-064844-001-EXP.xml"),
    ("649921-2023", "dutch_buyers_eforms/649921-2023.xml"),
    ("671881-2023", "dutch_buyers_eforms/671881-2023.xml"),
    ("127505-2024", "dutch_buyers_eforms/2024-OJS044-00127505.xml"),
    ("137599-2024", "dutch_buyers_eforms/2024-OJS047-00137599.xml"),
    ("191536-2024", "dutch_buyers_eforms/2024-OJS065-00191536.xml"),
    ("8380-2021", "ted_xml_legacy_nl/008380-2021.xml"),
]


def _number_key(number: str) -> tuple[int, int]:
    serial, year = number.split("-")
    return int(year), int(serial)


def build_ted() -> None:
    recorder = Recorder("ted")
    notices = []
    for number, rel in TED_NOTICES:
        url = f"https://ted.europa.eu/en/notice/{number}/xml"
        recorder.add(
            url,
            (SHARED / "ted" / rel).read_bytes(),
            "application/xml",
            f"real (byte for byte): shared/data/ted/{rel}",
        )
        notices.append(
            {
                "publication-number": number,
                "links": {
                    "xml": {"MUL": url},
                    "html": {"ENG": f"https://ted.europa.eu/en/notice/-/detail/{number}"},
                },
            }
        )
    notices.sort(key=lambda n: _number_key(n["publication-number"]), reverse=True)
    search = {
        "notices": notices,
        "totalNoticeCount": len(notices),
        "iterationNextToken": None,
        "timedOut": False,
    }
    recorder.add(
        "https://api.ted.europa.eu/v3/notices/search",
        json.dumps(search, indent=1),
        "application/json",
        "constructed in the documented v3 shape, newest first",
        method="POST",
    )
    recorder.robots("https://ted.europa.eu")
    recorder.save()


def build_tenderned() -> None:
    recorder = Recorder("tenderned")
    # Facts from the real Dutch TED notices (both were published on TenderNed as well).
    notices = [
        {
            "publicatieId": "54c78e8bb850db2546fcfd71b862b86a",
            "publicatieDatum": "2021-02-09",
            "typePublicatie": "Aankondiging van een opdracht",
            "aanbestedingNaam": "Raamovereenkomst onderhoud openbare verlichting gemeenten "
            "Bloemendaal en Heemstede",
            "opdrachtgeverNaam": "Stichting Regionaal Inkoopbureau IJmond & Kennemerland",
            "sluitingsDatum": "2021-03-18T12:00:00",
            "procedure": "Openbaar",
            "typeOpdracht": "Diensten",
            "opdrachtBeschrijving": "De opdracht betreft het onderhoud van de openbare "
            "verlichting binnen de gemeente Bloemendaal en de gemeente Heemstede.",
            "cpvCodes": [{"code": "50232100", "omschrijving": "Onderhoud van straatverlichting"}],
            "plaatsUitvoering": "Heemstede en Bloemendaal",
            "europees": True,
            "tedPublicatieNummer": "67028-2021",
            "link": {
                "href": "https://www.tenderned.nl/tenderned-web/aankondiging/detail/"
                "publicatie/akid/54c78e8bb850db2546fcfd71b862b86a"
            },
        },
        {
            "publicatieId": "wur-dps-sequencing-2020",
            "publicatieDatum": "2020-08-04",
            "typePublicatie": "Aankondiging van een opdracht",
            "aanbestedingNaam": "Dynamic Purchasing System (DPS) Sequencing",
            "opdrachtgeverNaam": "Wageningen University and Research",
            "sluitingsDatum": "2020-09-18T00:00:00",
            "procedure": "Niet-openbaar",
            "typeOpdracht": "Diensten",
            "opdrachtBeschrijving": "Dynamic Purchasing System for sequencing services.",
            "cpvCodes": [{"code": "71620000"}, {"code": "71610000"}, {"code": "71900000"}],
            "plaatsUitvoering": "Wageningen",
            "europees": True,
            "tedPublicatieNummer": "365590-2020",
        },
    ]
    for page, notice in enumerate(notices):
        body = {
            "content": [notice],
            "number": page,
            "size": 1,
            "totalElements": len(notices),
            "totalPages": len(notices),
            "first": page == 0,
            "last": page == len(notices) - 1,
        }
        recorder.add(
            f"https://www.tenderned.nl/papi/tenderned-rs-tns/v2/publicaties?page={page}&size=1",
            json.dumps(body, indent=1, ensure_ascii=False),
            "application/json",
            "constructed in the documented shape from real notice facts",
        )
    recorder.robots("https://www.tenderned.nl")
    recorder.save()


# --- decentral regulations (CVDR, officielebekendmakingen) and registers -------------------

SRU_NS = "http://docs.oasis-open.org/ns/search-ws/sruResponse"


def _search_url(spider: type) -> str:
    """The first search page exactly as the spider asks for it."""
    from urllib.parse import urlencode

    params = {**spider.search_params, "startRecord": "1", "maximumRecords": "50"}
    return f"{spider.search_url}?{urlencode(params)}"


CVDR_XML = "https://repository.officiele-overheidspublicaties.nl/cvdr/{work}/{n}/xml/{work}_{n}.xml"
CVDR_HTML = "https://lokaleregelgeving.overheid.nl/{work}/{n}"
OEP_XML = (
    "https://repository.overheid.nl/frbr/officielepublicaties/{kind}/{year}/{id}/1/xml/{id}.xml"
)
OEP_HTML = "https://zoek.officielebekendmakingen.nl/{id}.html"
CONSTRUCTED_SRU = (
    "<!-- wijzer-fixture: constructed SRU 2.0 searchRetrieveResponse (OASIS searchRetrieve "
    "schema); see the recordings README for the origin of each record -->"
)


def _excerpt(url: str) -> str:
    rec = next(
        json.loads(line)
        for line in (SHARED / "provinces" / "provinces_pages_excerpts.jsonl")
        .read_text()
        .splitlines()
        if json.loads(line)["url"] == url
    )
    return rec["excerpt"]


def _al(text: str) -> str:
    return f"<al>{html.escape(text, quote=False)}</al>"


def _quote(excerpt: str, text: str) -> str:
    """Text taken from a real excerpt: checked to be there word for word."""
    flat = " ".join(excerpt.split())
    assert " ".join(text.split()) in flat, text
    return text


def constructed_cvdr_mkb_deals() -> bytes:
    """CVDR656685_2 in the real CVDR format, around the real text of its page excerpt."""
    ex = _excerpt("https://lokaleregelgeving.overheid.nl/CVDR656685/2")
    title = "Subsidieregeling MKB-Deals Zuid-Holland"
    intitule = _quote(
        ex,
        "Besluit van Gedeputeerde Staten van de provincie Zuid-Holland van 2 maart 2021, "
        "PZH-2021-764375632, houdende regels omtrent de subsidie voor MKB-Deals "
        "(Subsidieregeling MKB-Deals Zuid-Holland)",
    )
    preamble = [
        _quote(ex, "Gedeputeerde staten van Zuid-Holland,"),
        _quote(ex, "Gelet op artikel 3 van de Algemene subsidieverordening Zuid-Holland 2013;"),
        _quote(
            ex,
            "Overwegende dat het wenselijk is het ondernemersklimaat voor het MKB in de provincie "
            "te versterken door in te zetten op de thema’s toepassing van innovatie en nieuwe "
            "kennis, digitalisering, toegang tot talent en financiering, dienstverlening en "
            "netwerkvorming zodat het MKB ook in de toekomst succesvol kan blijven ondernemen en "
            "bijdraagt aan een concurrerend Zuid-Holland;",
        ),
        _quote(ex, "Besluiten vast te stellen de volgende regeling:"),
    ]
    definitions = [
        _quote(ex, "Asv: Algemene subsidieverordening Zuid-Holland 2013;"),
        _quote(ex, "activiteit: activiteit genoemd in de MKB-Deal;"),
        _quote(ex, "MKB: midden- en kleinbedrijf;"),
    ]
    deal = _quote(
        ex,
        "MKB-Deal: schriftelijke overeenkomst met als doel het ondernemersklimaat voor het MKB "
        "in de provincie te versterken, gesloten tussen:",
    )
    parties = [
        _quote(ex, "tenminste één gemeente gelegen in de provincie Zuid-Holland;"),
        _quote(ex, "één of meer organisaties die de belangen van het bedrijfsleven behartigen; en"),
        _quote(ex, "de provincie Zuid-Holland."),
    ]
    members = [
        _quote(ex, "Subsidie kan worden verstrekt voor activiteiten genoemd in de MKB-Deal."),
        _quote(
            ex,
            "Subsidie als bedoeld in het eerste lid wordt verstrekt in de vorm van een "
            "projectsubsidie.",
        ),
        # The excerpt ends in this sentence; the text stops where the excerpt stops.
        _quote(
            ex,
            "De activiteiten, bedoeld in het eerste lid, dragen bij aan de vorming van een robuust "
            "en toekomstbestendig ondernemersklimaat voor het MKB en draagt bij aan een "
            "concurrerend Zuid",
        ),
    ]
    items = "".join(f'<li nr="•">{_al(d)}</li>' for d in definitions)
    items += (
        f'<li nr="•">{_al(deal)}<lijst>'
        + "".join(f'<li nr="{i}.">{_al(p)}</li>' for i, p in enumerate(parties, 1))
        + "</lijst></li>"
    )
    leden = "".join(f"<lid><lidnr>{i}.</lidnr>{_al(m)}</lid>" for i, m in enumerate(members, 1))
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        "<!-- wijzer-fixture: constructed around the real text of "
        "https://lokaleregelgeving.overheid.nl/CVDR656685/2 (an excerpt; the text stops where "
        "it stops), in the format of the real CVDR documents -->"
        '<cvdr xmlns="http://standaarden.overheid.nl/cvdr/terms/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:overheid="http://standaarden.overheid.nl/owms/terms/" '
        'xmlns:overheidrg="http://standaarden.overheid.nl/cvdr/meta/">'
        "<meta><owmskern><dcterms:identifier>CVDR656685_2</dcterms:identifier>"
        f"<dcterms:title>{title}</dcterms:title><dcterms:language>nl</dcterms:language>"
        '<dcterms:type scheme="overheid:Informatietype">regeling</dcterms:type>'
        '<dcterms:creator scheme="overheid:Provincie">Zuid-Holland</dcterms:creator>'
        "</owmskern><owmsmantel>"
        f"<dcterms:alternative>{title}</dcterms:alternative>"
        '<overheid:isRatifiedBy scheme="overheid:BestuursorgaanProvincie">gedeputeerde staten'
        "</overheid:isRatifiedBy><dcterms:issued>2021-03-02</dcterms:issued></owmsmantel>"
        "<cvdripm><overheidrg:inwerkingtredingDatum>2023-01-27</overheidrg:inwerkingtredingDatum>"
        "</cvdripm></meta>"
        f"<body><intitule>{html.escape(intitule, quote=False)}</intitule><regeling><aanhef>"
        "<preambule>" + "".join(_al(p) for p in preamble) + "</preambule></aanhef>"
        "<regeling-tekst>"
        "<artikel><kop><label>Artikel</label><nr>1</nr><titel>Begripsbepalingen</titel></kop>"
        + _al(_quote(ex, "In deze regeling wordt verstaan onder:"))
        + f"<lijst>{items}</lijst></artikel>"
        "<artikel><kop><label>Artikel</label><nr>2</nr><titel>Subsidiabele activiteiten en "
        f"prestatie</titel></kop>{leden}</artikel>"
        "</regeling-tekst></regeling></body></cvdr>"
    ).encode("utf-8")


def constructed_prb_utrecht() -> bytes:
    """prb-2025-4732 in the real gazette format, around the real text of its page excerpt."""
    ex = _excerpt("https://zoek.officielebekendmakingen.nl/prb-2025-4732.html")
    title = _quote(
        ex,
        "Besluit van gedeputeerde staten van Utrecht van 18 maart 2025, nr. "
        "UTSP-852987353-47585, tot wijziging van de Uitvoeringsverordening MKB "
        "Innovatiestimulering Topsectoren provincie Utrecht",
    )
    preamble = [
        _quote(ex, "Gedeputeerde staten van Utrecht;"),
        _quote(
            ex,
            "Gelet op artikel 1.4 van de Algemene subsidieverordening provincie Utrecht 2022 "
            "(AsvpU 2022);",
        ),
        _quote(
            ex,
            "Overwegende dat het wenselijk is de Uitvoeringsverordening MKB Innovatiestimulering "
            "Topsectoren provincie Utrecht te actualiseren, zodat de regeling ook in 2025 "
            "uitgevoerd kan worden;",
        ),
        _quote(ex, "Besluiten:"),
    ]
    body = [
        _quote(
            ex,
            "De Uitvoeringsverordening MKB Innovatiestimulering Topsectoren provincie Utrecht "
            "wordt als volgt gewijzigd:",
        ),
        "A",
        _quote(ex, "Artikel 1 wordt als volgt gewijzigd:"),
        _quote(ex, "Onderdeel b komt als volgt te luiden:"),
        _quote(ex, "AsvpU: Algemene subsidieverordening provincie Utrecht 2022;"),
        "B",
        _quote(ex, "Artikel 2, eerste lid, komt als volgt te luiden:"),
        # The excerpt ends in this sentence; the text stops where the excerpt stops.
        _quote(
            ex,
            "Subsidie kan worden verstrekt voor een project dat past binnen een Kennis- en "
            "Innovatie-Agenda (KIA), als bedoeld in bijlage 3.4.1. behorende bij artikelen 3.3.2, "
            "eerste lid, en 3.4.2, eerste lid, van de Regeling nationale EZK- en LNV-subsidies, en "
            "dat bijdraagt aan de realisatie van één of meerdere van de volgende doelstellingen "
            "van de Regionale Eco",
        ),
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<!-- wijzer-fixture: constructed around the real text of "
        "https://zoek.officielebekendmakingen.nl/prb-2025-4732.html (an excerpt; the text stops "
        "where it stops), in the format of the real Provinciaal blad XML -->\n"
        '<officiele-publicatie xsi:noNamespaceSchemaLocation="http://technische-documentatie.'
        'oep.overheid.nl/schema/op-xsd-2012-3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-'
        'instance"><metadata><meta name="OVERHEIDop.externMetadataRecord" content="https://'
        'zoek.officielebekendmakingen.nl/prb-2025-4732/metadata.xml" scheme=""/></metadata>'
        "<kop><titel>PROVINCIAAL BLAD</titel><subtitel>Officiële uitgave van provincie Utrecht."
        f"</subtitel></kop><provinciaalblad><kop><titel>{html.escape(title, quote=False)}</titel>"
        "</kop><regeling><aanhef><preambule>"
        + "".join(_al(p) for p in preamble)
        + "</preambule></aanhef><regeling-tekst><artikel><kop><label>Artikel</label><nr>I</nr>"
        "</kop>" + "".join(_al(b) for b in body) + "</artikel></regeling-tekst></regeling>"
        "</provinciaalblad></officiele-publicatie>\n"
    ).encode("utf-8")


def _sru_envelope(records: list[str]) -> bytes:
    body = "".join(
        f"<sru:record>{record}<sru:recordPosition>{n}</sru:recordPosition></sru:record>"
        if not record.startswith("<record>")
        else record.replace("</record>", f"<recordPosition>{n}</recordPosition></record>")
        for n, record in enumerate(records, 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"{CONSTRUCTED_SRU}\n"
        f'<sru:searchRetrieveResponse xmlns:sru="{SRU_NS}">'
        f"<sru:numberOfRecords>{len(records)}</sru:numberOfRecords>"
        f"<sru:records>{body}</sru:records></sru:searchRetrieveResponse>\n"
    ).encode()


def _cvdr_record(document: bytes, kind: str, work: str, n: str) -> str:
    """An SRU record whose metadata is the document's own <meta>, copied unchanged."""
    from lxml import etree

    root = etree.fromstring(document)
    meta = next(e for e in root if isinstance(e.tag, str) and etree.QName(e).localname == "meta")
    xml_url = CVDR_XML.format(work=work, n=n)
    html_url = xml_url.replace("/xml/", "/html/").replace(".xml", ".html")
    return (
        "<sru:recordSchema>http://standaarden.overheid.nl/sru/</sru:recordSchema>"
        "<sru:recordPacking>xml</sru:recordPacking><sru:recordData>"
        '<gzd xmlns="http://standaarden.overheid.nl/sru"><originalData>'
        + etree.tostring(meta, encoding="unicode")
        + f"</originalData><enrichedData><organisatietype>{kind}</organisatietype>"
        f"<publicatieurl_xhtml>{html_url}</publicatieurl_xhtml>"
        f"<publicatieurl_xml>{xml_url}</publicatieurl_xml>"
        f"<preferred_url>{CVDR_HTML.format(work=work, n=n)}</preferred_url>"
        "</enrichedData></gzd></sru:recordData>"
    )


def build_cvdr() -> None:
    recorder = Recorder("cvdr")
    documents = [
        # (file or None for constructed, organisation type, work, expression number)
        ("cvdr_example1.xml", "Gemeente", "CVDR112779", "1"),
        ("cvdr_example2.xml", "Gemeente", "CVDR100394", "2"),
        ("cvdr_example3.xml", "Gemeente", "CVDR680781", "1"),
        (None, "Provincie", "CVDR656685", "2"),
    ]
    records = []
    for name, kind, work, n in documents:
        if name:
            body = (SHARED / "overheid" / "cvdr" / name).read_bytes()
            origin = f"real (byte for byte): shared/data/overheid/cvdr/{name}"
        else:
            body = constructed_cvdr_mkb_deals()
            origin = "constructed around real text (CVDR656685/2 page excerpt)"
        recorder.add(CVDR_XML.format(work=work, n=n), body, "application/xml", origin)
        records.append(_cvdr_record(body, kind, work, n))
    recorder.add(
        _search_url(CvdrSpider),
        _sru_envelope(records),
        "application/xml",
        "constructed SRU wrapper; each record's metadata is its document's own <meta>",
    )
    recorder.save()


def _oep_record(identifier: str, title: str, creator: str, kind: str, blad: str) -> str:
    """A constructed SRU record with only what the publication's own XML states."""
    year = identifier.split("-")[1]
    scheme = {"gemeente": "OVERHEID.Gemeente", "provincie": "OVERHEID.Provincie"}.get(
        kind, "OVERHEID.Organisatie"
    )
    xml_url = OEP_XML.format(kind=identifier.split("-")[0], year=year, id=identifier)
    return (
        "<sru:recordSchema>http://standaarden.overheid.nl/sru/</sru:recordSchema>"
        "<sru:recordPacking>xml</sru:recordPacking><sru:recordData>"
        '<gzd xmlns="http://standaarden.overheid.nl/sru"><originalData><meta><owmskern>'
        f"<identifier>{identifier}</identifier><title>{html.escape(title, quote=False)}</title>"
        f'<language>nl</language><creator scheme="{scheme}">{creator}</creator></owmskern>'
        f"<tpmeta><organisatietype>{kind}</organisatietype><publicatienaam>{blad}"
        f"</publicatienaam><jaargang>{year}</jaargang></tpmeta></meta></originalData>"
        f"<enrichedData><url>{xml_url}</url>"
        f"<preferredUrl>{OEP_HTML.format(id=identifier)}</preferredUrl>"
        f'<itemUrl manifestation="xml">{xml_url}</itemUrl></enrichedData></gzd>'
        "</sru:recordData>"
    )


def build_officielebekendmakingen() -> None:
    recorder = Recorder("officielebekendmakingen")
    pub = SHARED / "overheid" / "officiele_publicaties"
    records = [(pub / "searchrec.xml").read_text(encoding="utf-8").strip()]
    documents = [
        ("prb-2025-4732", None, "Utrecht", "provincie", "Provinciaal blad"),
        ("gmb-2017-100002", "gmb.xml", "Oldambt", "gemeente", "Gemeenteblad"),
        ("prb-2017-1003", "prb.xml", "Utrecht", "provincie", "Provinciaal blad"),
        (
            "bgr-2024-715",
            "bgr.xml",
            "Regio Achterhoek",
            "gemeenschappelijke regeling",
            "Blad gemeenschappelijke regeling",
        ),
    ]
    for identifier, name, creator, kind, blad in documents:
        if name:
            body = (pub / name).read_bytes()
            origin = f"real (byte for byte): shared/data/overheid/officiele_publicaties/{name}"
        else:
            body = constructed_prb_utrecht()
            origin = "constructed around real text (prb-2025-4732 page excerpt)"
        kind_code = identifier.split("-")[0]
        url = OEP_XML.format(kind=kind_code, year=identifier.split("-")[1], id=identifier)
        recorder.add(url, body, "application/xml", origin)
        from lxml import etree

        root = etree.fromstring(body.removeprefix(b"\xef\xbb\xbf"))
        title = (
            " ".join(root.find("./*/kop/titel").itertext())
            if root.find("./*/kop/titel") is not None
            else identifier
        )
        records.append(_oep_record(identifier, title, creator, kind, blad))
    recorder.add(
        _search_url(OfficialPublicationsSpider),
        _sru_envelope(records),
        "application/xml",
        "constructed SRU wrapper; record 1 is the real searchrec.xml record unchanged, the "
        "others hold only what their publication's own XML states",
    )
    recorder.save()


REGISTER_URL = "https://api.data.amsterdam.nl/dcatd/datasets/yvlbMxqPKn1ULw/purls/1"


def build_register() -> None:
    recorder = Recorder("subsidieregister-amsterdam")
    name = "subsidieregister_amsterdam_2017-04-18.csv"
    recorder.add(
        REGISTER_URL,
        (SHARED / "registers" / name).read_bytes(),
        "text/csv; charset=utf-8",
        f"real (byte for byte): shared/data/registers/{name}",
    )
    recorder.save()


if __name__ == "__main__":
    build_sedia()
    build_ted()
    build_tenderned()
    build_cvdr()
    build_officielebekendmakingen()
    build_register()
    for name, count in build_sites().items():
        print(f"{name}: {count} pages")
