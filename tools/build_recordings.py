"""Rebuild the recorded responses from ../shared/data (run from the repository root).

Real responses (SEDIA JSON, TED XML) are copied byte for byte. HTML sites exist only as text
excerpts, so their pages are constructed around that real text; sitemaps, listings,
robots.txt, the TED search page and the TenderNed API pages are constructed too. See README.md.
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

SHARED = REPO.parent / "shared" / "data"
CONSTRUCTED = "constructed around real text"
ROBOTS = "User-agent: *\nDisallow: /zoeken\nDisallow: /search\nDisallow: /admin/\n"

# Which excerpt page belongs to which site source (URL prefixes as published).
EXCERPTS = {
    "rvo": ["rvo/rvo_pages_excerpts.jsonl"],
    "kvk": ["kvk/business_gov_nl_excerpts.jsonl", "kvk/kvk_pages_excerpts.jsonl"],
    "provinces": ["provinces/provinces_pages_excerpts.jsonl"],
    "roms": ["roms/roms_pages_excerpts.jsonl"],
}
SKIP_URLS = {"https://business.gov.nl./subsidy/bmkb"}  # a trailing-dot host; same page as /bmkb/
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


def build_sedia() -> None:
    recorder = Recorder("sedia")
    src = SHARED / "eu_sedia" / "sedia_search_response_AarhusAI_portal_search_page.json"
    recorder.add(
        "https://api.tech.ec.europa.eu/search-api/prod/rest/search?apiKey=SEDIA&text=***"
        "&pageSize=100&pageNumber=1",
        src.read_bytes(),
        "application/json",
        "real (byte for byte)",
        method="POST",
    )
    recorder.save()


TED_NOTICES = [
    # (publication number, file copied byte for byte, schema)
    ("365590-2020", "ted_xml_data_converter/ted-xml-R2.0.9/20-377805-001-EXP.xml"),
    ("67028-2021", "ted_xml_data_converter/eforms-xml/21-064844-001-EXP.xml"),
]


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
        "constructed in the documented v3 shape",
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


if __name__ == "__main__":
    build_sedia()
    build_ted()
    build_tenderned()
    for name, count in build_sites().items():
        print(f"{name}: {count} pages")
