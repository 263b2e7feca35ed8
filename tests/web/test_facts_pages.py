"""End to end from the seed import: what pages, the API and the export show of facts and status.

The catalog is the seed corpus imported with its source documents (tests/web/conftest.py);
every assertion is something a reader sees: the status with the source's words and the day
the source was last seen, an amount with its quote, "not stated by the source" where the
source is silent, and no closed scheme among the default search, match and overview results.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re

from wijzer.catalog.status import status_of

CLOSED_DATED = "nl-rvo-mit-rd-samenwerkingsprojecten-2024"
WITH_AMOUNT = "nl-li-ideeenfonds"
SILENT = "nl-rvo-innovatiekrediet"
CORONA = "nl-kkc"


def page(client, path: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == 200, path
    # Amounts are formatted with no-break spaces ("€\xa015.000").
    return html.unescape(response.get_data(as_text=True)).replace("\xa0", " ")


def test_a_closed_scheme_shows_why_with_the_words_of_its_source(client) -> None:  # type: ignore[no-untyped-def]
    dutch = page(client, f"/instruments/{CLOSED_DATED}")
    assert "Kan ik aanvragen?" in dutch and "Volgens de bron is dit gesloten." in dutch
    assert "“Einddatum: dinsdag 17 september 2024 17:00”" in dutch
    # When the source text was collected: the day the source was last seen.
    assert "Laatst gecontroleerd: 22 november 2026" in dutch
    english = page(client, f"/instruments/{CLOSED_DATED}?lang=en")
    assert (
        "The source says this is closed." in english and "Last checked: 22 November 2026" in english
    )


def test_amounts_are_shown_with_their_quote_and_silence_is_said(client) -> None:  # type: ignore[no-untyped-def]
    with_amount = page(client, f"/instruments/{WITH_AMOUNT}")
    assert "van € 15.000 tot € 50.000" in with_amount
    shown = with_amount[with_amount.index("Bedrag per aanvrager") :].split("</dd>")[0]
    quote = shown.split('<q class="evidence">')[1].split("</q>")[0]
    assert "€ 15.000" in quote and "€ 50.000" in quote
    silent = page(client, f"/instruments/{SILENT}")
    facts = silent[silent.index("Bedrag per aanvrager") :]
    assert facts.split("</dd>")[0].count("Niet vermeld door de bron") == 1
    # The minimum project size on that page is no amount per applicant.
    assert "150.000" not in facts.split("</dd>")[0]
    assert "Not stated by the source" in page(client, f"/instruments/{SILENT}?lang=en")


def test_unknown_status_says_to_check_with_the_funder(client) -> None:  # type: ignore[no-untyped-def]
    dutch = page(client, f"/instruments/{SILENT}")
    assert "Navragen bij de financier" in dutch
    assert "Vraag het na bij de financier voordat u aanvraagt." in dutch


def test_default_search_hides_closed_and_shows_it_when_asked(client) -> None:  # type: ignore[no-untyped-def]
    listed = page(client, "/search?q=corona")
    assert f"/instruments/{CORONA}" not in listed
    assert "Toon ook gesloten regelingen" in listed
    shown = page(client, "/search?q=corona&closed=1")
    assert f"/instruments/{CORONA}" in shown and "Gesloten" in shown
    api = client.get("/api/v1/instruments?q=subsidie&per_page=100").get_json()
    assert api["results"] and all(r["status"] != "closed" for r in api["results"])
    # Confirmed open ones come first; those the source does not tell follow.
    order = [r["status"] for r in api["results"]]
    assert order.index("unknown") > max(
        (i for i, s in enumerate(order) if s in ("open", "forthcoming")), default=-1
    )


def test_default_match_leaves_closed_schemes_out(client) -> None:  # type: ignore[no-untyped-def]
    query = (
        "/match?description=Onze+bakkerij+heeft+door+de+coronacrisis+een+overbruggingslening"
        "+nodig+voor+werkkapitaal&size=micro"
    )
    results = page(client, query)
    ids = re.findall(r'href="/instruments/([^"?]+)"', results)
    assert ids and CORONA not in ids and "nl-col-corona-overbruggingslening" not in ids
    assert "Gesloten" not in results.split("matching instrument")[-1].split("Niet relevant")[0]


def test_overview_counts_closed_only_as_a_status_unless_asked(client) -> None:  # type: ignore[no-untyped-def]
    data = client.get("/api/v1/overview").get_json()
    assert data["by_status"]["closed"] > 0 and data["by_status"]["unknown"] > 0
    default = page(client, "/overview")
    assert "Tel ook gesloten regelingen mee" in default
    everything = page(client, "/overview?closed=1")
    assert "Alle grafieken tellen ook gesloten regelingen mee." in everything


def test_api_gives_status_evidence_quotes_and_last_seen(client) -> None:  # type: ignore[no-untyped-def]
    record = client.get(f"/api/v1/instruments/{WITH_AMOUNT}").get_json()
    assert record["status"] == "closed"
    assert "uitgeput" in record["status_evidence"][0]["quote"]
    assert "€ 15.000" in record["evidence"]["amount_min"]
    assert "€ 50.000" in record["evidence"]["amount_max"]
    assert record["last_seen"] == "2026-11-22"
    assert record["source_document"]["file"] == "roms/roms_pages_excerpts.jsonl"


def test_export_gives_status_as_of_the_day_asked(runner, data_dir, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import SEED
    from wijzer.cli import main

    imported = runner.invoke(main, ["--data-dir", str(data_dir), "import", str(SEED), "--no-index"])
    assert imported.exit_code == 0, imported.output
    rows = {}
    for day in ("2026-11-27", "2027-03-01"):
        out = tmp_path / f"{day}.jsonl"
        done = runner.invoke(
            main, ["--data-dir", str(data_dir), "export", "--all", "--today", day, "-o", str(out)]
        )
        assert done.exit_code == 0, done.output
        rows[day] = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    topic = "eu-sedia-horizon-miss-2027-05-soil-01-two-stage"
    # The captured API said "Forthcoming"; its own opening date decides, day by day.
    assert rows["2026-11-27"][topic]["status"] == "forthcoming"
    assert rows["2027-03-01"][topic]["status"] == "open"
    assert '"startDate":"2027-02-04' in rows["2026-11-27"][topic]["status_evidence"][0]["quote"]
    for record in rows["2026-11-27"].values():
        assert set(record) >= {
            "status",
            "status_evidence",
            "amount_min",
            "amount_max",
            "budget_total",
            "sizes",
            "applicants",
            "purposes",
            "geography",
            "official_url",
            "themes",
            "evidence",
            "last_seen",
            "merged_into",
        }
        for fact, quote in record["evidence"].items():
            assert record[fact] not in (None, []) and quote, (record["id"], fact)
        assert record["status"] == status_of(record, dt.date(2026, 11, 27)).status
    bad = runner.invoke(main, ["--data-dir", str(data_dir), "export", "--today", "27-11-2026"])
    assert bad.exit_code == 2
