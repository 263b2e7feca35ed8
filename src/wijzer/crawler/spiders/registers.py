"""Municipal subsidy registers: every grant stored as evidence, every scheme a candidate.

A register row says who received which scheme, in which year and how much; rows are stored
in the catalog's register table (catalog.registers). Each scheme also becomes a candidate
listing that waits in the staff review queue, unless the catalog already lists that scheme of
that municipality (the store links them instead).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response

from wijzer.catalog.registers import scheme_key
from wijzer.catalog.vocabulary.places import municipality
from wijzer.crawler.parsers import ParseError
from wijzer.crawler.parsers.register_csv import read_register
from wijzer.crawler.pipelines import REGISTER_ROWS
from wijzer.crawler.spiders.base import WijzerSpider


class RegisterSpider(WijzerSpider):
    """One register file of one municipality."""

    register_url: ClassVar[str] = ""
    municipality_name: ClassVar[str] = ""
    level = "regional"
    default_type = "subsidy"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.request(
            self.register_url,
            self.parse_register,
            discovery=True,
            conditional=True,
            headers={"Accept": "text/csv"},
        )

    def parse_register(self, response: Response) -> Iterator[Any]:
        if self.not_modified(response):
            return
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        try:
            register = read_register(response.body, content_type)
        except ParseError as exc:
            # The whole file is refused: nothing stored from it, nothing withdrawn.
            self.crawler.stats.inc_value("wijzer/discovery_errors")
            self.drop(f"register_{exc.code}", f"{response.url}: {exc.reason}")
            return
        self.remember(response.url, response)
        for line, reason in register.bad_rows:
            self.drop("register_row_malformed", f"line {line}: {reason}")
        found = municipality(self.municipality_name)
        town = found[0] if found else self.municipality_name
        schemes: dict[str, dict[str, Any]] = {}
        fetched = self.fetched_now()
        common = {"source": self.source, "municipality": town, "source_url": response.url}
        yield {
            "_kind": REGISTER_ROWS,
            "rows": [{**row, **common, "fetched_at": fetched} for row in register.rows],
        }
        for row in register.rows:
            key = scheme_key(row["scheme"], town)
            scheme = schemes.setdefault(
                key, {"name": row["scheme"], "areas": set(), "departments": set()}
            )
            if row["policy_area"]:
                scheme["areas"].add(row["policy_area"])
            if row["department"]:
                scheme["departments"].add(row["department"])
        regions = [found[1]] if found else []
        for key, scheme in schemes.items():
            if not key:
                continue
            fields = {
                "title": scheme["name"],
                "funder": f"Gemeente {town}",
                "regions": regions,
                "municipality": town,
                "instrument_type": "subsidy",
                "language": "nl",
                "url": None,
                "source_id": key,
                "extra": {
                    "register_scheme": key,
                    "candidate_from_register": self.source,
                    "policy_areas": sorted(scheme["areas"]),
                    "departments": sorted(scheme["departments"]),
                },
            }
            yield self.make_item(key, fields, response)


class AmsterdamRegisterSpider(RegisterSpider):
    name = "subsidieregister-amsterdam"
    source = "subsidieregister-amsterdam"
    funder = "Gemeente Amsterdam"
    description = "Gemeente Amsterdam subsidy register"
    allowed_domains = ["api.data.amsterdam.nl"]
    # The register's persistent link on the city's data portal (dataset yvlbMxqPKn1ULw).
    register_url = "https://api.data.amsterdam.nl/dcatd/datasets/yvlbMxqPKn1ULw/purls/1"
    municipality_name = "Amsterdam"
