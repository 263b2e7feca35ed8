"""A staff correction of a fact survives recrawls, while the facts it does not touch follow the
source's text; the export says which facts staff set."""

from __future__ import annotations

import datetime as dt

from tests.curation.conftest import CURATOR
from tests.offline_runs import store_offline
from wijzer.catalog.curation.editing import edit_fields, overrides
from wijzer.catalog.curation.review import queue
from wijzer.catalog.db import Catalog
from wijzer.catalog.exchange import iter_export
from wijzer.catalog.schema import parse_record

PAGE = (
    "MIT-Haalbaarheidsprojecten MKB\n\n"
    "Voor wie?\n\nVoor individuele mkb-ondernemers die een haalbaarheidsproject willen "
    "uitvoeren binnen één van de topsectoren die voor de regio relevant zijn.\n\n"
    "De subsidie bedraagt 40% van de subsidiabele kosten en is maximaal € 20.000.\n\n"
    "Het budget voor 2026 is € 800.000."
)


def crawl(catalog: Catalog, page: str) -> None:
    """One run of a page crawler, stored the way every crawl is."""
    record = parse_record(
        {
            "id": "provincie-utrecht:mit-haalbaarheid",
            "title": "MIT-Haalbaarheidsprojecten MKB",
            "description": page,
            "level": "regional",
            "regions": ["Utrecht"],
            "instrument_type": "subsidy",
            "language": "nl",
            "url": "https://www.economicboardutrecht.nl/mit-haalbaarheidsprojecten-mkb",
            "source": "provincie-utrecht",
        }
    )
    stats = store_offline(catalog, "provincie-utrecht", [record])
    assert stats.status == "ok"


def exported(catalog: Catalog) -> dict:  # type: ignore[type-arg]
    return next(iter_export(catalog, include_unlisted=True, today=dt.date(2026, 11, 27)))


def test_a_fact_override_survives_recrawls_and_other_facts_follow_the_text(
    catalog: Catalog,
) -> None:
    crawl(catalog, PAGE)
    first = exported(catalog)
    assert first["amount_max"] == 20_000 and first["budget_total"] == 800_000
    assert "maximaal € 20.000" in first["evidence"]["amount_max"]
    with catalog.session() as session:
        edit_fields(
            session,
            first["id"],
            {"amount_max": 25_000, "applicants": ["sme", "startup"]},
            CURATOR,
            "called the province",
        )

    # The source changes its maximum and its budget: staff's maximum stands, the budget follows.
    crawl(catalog, PAGE.replace("€ 20.000", "€ 30.000").replace("€ 800.000", "€ 900.000"))
    after = exported(catalog)
    assert after["amount_max"] == 25_000 and after["applicants"] == ["sme", "startup"]
    assert after["budget_total"] == 900_000
    assert "€ 900.000" in after["evidence"]["budget_total"]
    assert after["overridden"] == ["amount_max", "applicants"]
    assert after["evidence"]["amount_max"] is None  # no source sentence says 25.000
    with catalog.session() as session:
        kept = overrides(session, first["id"])["amount_max"]
        assert kept.crawled_value == 30_000
        flagged = {item.instrument.id: item.reasons for item in queue(session)}
    assert "source changed an overridden field" in flagged[first["id"]]

    # A crawl with the same text changes nothing.
    crawl(catalog, PAGE.replace("€ 20.000", "€ 30.000").replace("€ 800.000", "€ 900.000"))
    assert exported(catalog)["version"] == after["version"]
