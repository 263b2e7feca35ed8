"""TED notices as what they are: only calls invite tenders; an award is its procedure's result,
attached to the notice of that procedure when it is known, else kept as a closed record."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from tests.conftest import SHARED
from wijzer.catalog.db import Catalog
from wijzer.catalog.fact_records import with_facts
from wijzer.catalog.repository import InstrumentStore
from wijzer.catalog.schema import parse_record
from wijzer.catalog.status import status_of
from wijzer.crawler.crawling import import_bulk
from wijzer.crawler.parsers.ted_xml import notice_category, notice_to_fields, parse_notice

TED = SHARED / "data" / "ted"
NOW = dt.datetime(2026, 6, 1, 9)


@pytest.mark.parametrize(
    ("notice_type", "form", "text", "category"),
    [
        ("cn-standard", None, "", "contract_notice"),
        ("cn-social", None, "", "contract_notice"),
        ("pin-cfc-standard", None, "", "call_for_competition"),
        ("pin-cfc-social", None, "", "call_for_competition"),
        ("qu-sy", None, "", "qualification_system"),
        ("pin-only", None, "", "prior_information"),
        ("pin-only", None, "Marktconsultatie slimme meters", "market_consultation"),
        ("can-standard", None, "", "result"),
        ("veat", None, "", "result"),
        (None, "F02_2014", "", "contract_notice"),
        (None, "F03_2014", "", "result"),
        (None, "F06_2014", "", "result"),
        (None, "F07_2014", "", "qualification_system"),
        (None, "F14_2014", "", "other"),
    ],
)
def test_notice_categories(
    notice_type: str | None, form: str | None, text: str, category: str
) -> None:
    assert notice_category(notice_type, form, text) == category


@pytest.mark.parametrize(
    ("path", "category", "status"),
    [
        ("dutch_buyers_eforms/649921-2023.xml", "call_for_competition", None),
        ("dutch_buyers_eforms/671881-2023.xml", "call_for_competition", None),
        ("dutch_buyers_eforms/2024-OJS044-00127505.xml", "call_for_competition", None),
        ("dutch_buyers_eforms/2024-OJS047-00137599.xml", "call_for_competition", None),
        ("dutch_buyers_eforms/2024-OJS065-00191536.xml", "result", "closed"),
        ("ted_xml_legacy_nl/008380-2021.xml", "result", "closed"),
        ("eforms_sdk_examples/pin-only_24_lots.xml", "market_consultation", "forthcoming"),
    ],
)
def test_the_real_notices_are_classified(path: str, category: str, status: str | None) -> None:
    fields = notice_to_fields(parse_notice((TED / path).read_bytes()))
    assert fields["extra"]["notice_category"] == category
    assert fields["extra"].get("source_status") == status
    assert fields["instrument_type"] == "procurement"


def test_a_dutch_award_names_winner_value_and_the_notice_it_closes() -> None:
    fields = notice_to_fields(
        parse_notice((TED / "dutch_buyers_eforms/2024-OJS065-00191536.xml").read_bytes())
    )
    result = fields["extra"]["result"]
    assert result == {
        "winners": ["Hegeman Bouw & Infra B.V."],
        "value": 3_887_000.0,
        "currency": "EUR",
        "award_date": "2024-02-14",
        "tenders_received": 3,
    }
    assert fields["extra"]["result_of"] == {
        "procedure_id": "9974ccf1-1d0a-4393-9198-33b67d6e2cb7",
        "notices": ["629133-2023"],
    }
    legacy = notice_to_fields(
        parse_notice((TED / "ted_xml_legacy_nl/008380-2021.xml").read_bytes())
    )
    assert legacy["extra"]["result"]["winners"] == ["Park Line Aqua bv"]
    assert legacy["extra"]["result"]["value"] is None  # the notice states no value
    assert legacy["extra"]["result_of"]["notices"] == ["447718-2020"]


def _bulk(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "-".join(Path(n).stem for n in names)
    folder.mkdir()
    for name in names:
        shutil.copy(TED / "eforms_sdk_examples" / name, folder / name)
    return folder


def test_an_award_published_later_closes_the_stored_notice(
    sqlite_catalog: Catalog, tmp_path: Path
) -> None:
    notice = import_bulk(sqlite_catalog, _bulk(tmp_path, "cn_24_FRA_comments.xml"), now=NOW)
    assert notice.new == 1
    later = NOW + dt.timedelta(days=30)
    award = import_bulk(sqlite_catalog, _bulk(tmp_path, "can_24_FRA_comments.xml"), now=later)
    assert (award.new, award.changed) == (0, 1)
    assert award.details["results_attached"] == 1
    with sqlite_catalog.session() as session:
        store = InstrumentStore(session)
        [record] = [i for i in store.all() if i.source == "ted"]
        assert record.extra["notice_category"] == "contract_notice"
        assert record.extra["source_status"] == "closed"
        assert record.extra["result"]["winners"] == ["Espaces Verts Lemire", "ID Verde SASU"]
        assert record.extra["result"]["value"] == 390697.84
        assert [v.change_kind for v in store.history(record.id)] == ["created", "updated"]
    # An award whose procedure is unknown stays a record of its own, closed.
    alone = import_bulk(sqlite_catalog, _bulk(tmp_path, "can_24_UKRI.xml"), now=later)
    assert alone.new == 1 and "results_attached" not in alone.details
    with sqlite_catalog.session() as session:
        ukri = next(i for i in InstrumentStore(session).all() if i.funder.startswith("UK Research"))
        assert ukri.extra["source_status"] == "closed" and ukri.deadlines == []
        # The reader sees it closed on the award's words, never "check with the funder".
        shown = status_of({"status_signals": ukri.status_signals}, later.date())
        winners = ukri.extra["result"]["winners"]
        assert shown.status == "closed" and winners
        assert shown.evidence[0].quote.startswith(f"Contract award notice: awarded to {winners[0]}")


@pytest.mark.parametrize(
    ("path", "status", "quote"),
    [
        # A 2023 call for competition that states no time limit is a past year's tender.
        ("dutch_buyers_eforms/671881-2023.xml", "closed", "Tender notice published on 2023-11-03"),
        ("ted_xml_legacy_nl/008380-2021.xml", "closed", "Contract award notice: awarded to Park"),
    ],
)
def test_what_the_register_states_decides_the_status_a_reader_sees(
    path: str, status: str, quote: str
) -> None:
    fields = notice_to_fields(parse_notice((TED / path).read_bytes()))
    record = with_facts(parse_record({**fields, "id": f"ted:{path}", "source": "ted"}))
    shown = status_of(record.model_dump(mode="json"), dt.date(2026, 11, 27))
    assert shown.status == status
    assert any(e.quote.startswith(quote) for e in shown.evidence)
    # In the year it was published the same notice is no past tender.
    published = dt.date.fromisoformat(fields["extra"]["publication_date"])
    if not fields["extra"].get("result"):
        assert status_of(record.model_dump(mode="json"), published).status == "unknown"
