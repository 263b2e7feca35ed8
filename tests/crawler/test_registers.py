"""The Amsterdam subsidy register: the real file is read row by row, a broken file is refused
whole, grants become evidence on the instrument they belong to, unknown schemes wait for staff."""

from __future__ import annotations

import csv
import statistics
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import SHARED
from tests.crawler.conftest import Recordings, by_source
from tests.curation.conftest import ADMIN, add_staff, login
from wijzer.app.settings import Settings
from wijzer.catalog.curation.hooks import source_store
from wijzer.catalog.curation.review import approve
from wijzer.catalog.db import Catalog
from wijzer.catalog.registers import RegisterEntry, candidates, register_summaries
from wijzer.catalog.repository import InstrumentStore
from wijzer.catalog.schema import parse_record
from wijzer.crawler.parsers import ParseError
from wijzer.crawler.parsers.register_csv import read_register
from wijzer.crawler.store import RunStats

REGISTER = SHARED / "data" / "registers" / "subsidieregister_amsterdam_2017-04-18.csv"
URL = "https://api.data.amsterdam.nl/dcatd/datasets/yvlbMxqPKn1ULw/purls/1"
SOURCE = "subsidieregister-amsterdam"


def _expected(scheme: str) -> tuple[int, int, float, int]:
    """(organisations, private persons, median granted, last year), read with the csv module."""
    with REGISTER.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter=";") if r["REGELINGNAAM"] == scheme]
    granted = [r for r in rows if r["BEDRAG_VERLEEND"] != "NULL" and float(r["BEDRAG_VERLEEND"])]
    named = {r["AANVRAGER"].casefold() for r in granted if r["AANVRAGER"] != "(Particulier)"}
    private = sum(r["AANVRAGER"] == "(Particulier)" for r in granted)
    median = statistics.median(float(r["BEDRAG_VERLEEND"]) for r in granted)
    return len(named), private, median, max(int(r["SUBSIDIEJAAR"]) for r in granted)


def test_the_real_register_is_read_row_by_row() -> None:
    register = read_register(REGISTER.read_bytes(), "text/csv")
    assert len(register.rows) == 4911 and register.bad_rows == []
    first = register.rows[0]
    assert first["dossier"] == "SBA-000090" and first["recipient"] == "(Particulier)"
    assert first["scheme"] == "Subsidie Vrijwilligersinitiatieven in Zuid"
    assert (first["amount_requested"], first["amount_granted"], first["year"]) == (1850, 1850, 2016)
    assert first["listed_on"].isoformat() == "2017-04-18"
    # "NULL" is no amount (not granted yet), never zero.
    assert any(r["amount_granted"] is None for r in register.rows)
    # Windows quotes that went through Latin-1 upstream come out as the quotes they were.
    projects = {r["project"] for r in register.rows}
    assert "Project voor minima in de Koperen Knoop “MES voor minima”" in projects


def test_a_file_in_another_shape_is_refused_whole() -> None:
    good = REGISTER.read_bytes()
    cases = {
        "wrong_delimiter": (good.replace(b";", b","), "text/csv"),
        "wrong_encoding": (good.decode("utf-8").encode("utf-16"), "text/csv"),
        "missing_columns": (b"DOSSIER;NAAM\nA;B\n", "text/csv"),
    }
    for code, (body, kind) in cases.items():
        with pytest.raises(ParseError) as info:
            read_register(body, kind)
        assert info.value.code == code
    # Latin-1 is wrong unless the server says so.
    latin = good.decode("utf-8").encode("latin-1", "replace")
    with pytest.raises(ParseError, match="not valid utf-8"):
        read_register(latin, "text/csv")
    assert len(read_register(latin, "text/csv; charset=ISO-8859-1").rows) == 4911
    # A row that does not fit the header is dropped on its own.
    lines = good.decode("utf-8").splitlines()
    lines[5] = lines[5].rsplit(";", 3)[0]
    cut = read_register("\n".join(lines).encode(), "text/csv")
    assert len(cut.rows) == 4910 and cut.bad_rows == [(6, "10 fields, header has 13")]


def _amsterdam_record(title: str) -> dict[str, object]:
    return {
        "id": f"import:{title.lower().replace(' ', '-')}",
        "title": title,
        "funder": "Gemeente Amsterdam",
        "municipality": "Amsterdam",
        "level": "regional",
        "regions": ["Noord-Holland"],
        "instrument_type": "subsidy",
    }


def test_register_crawl_stores_evidence_and_offers_the_rest_to_staff(
    crawl: Callable[..., list[RunStats]], recordings: Recordings, sqlite_catalog: Catalog
) -> None:
    # The catalog already lists one of the register's schemes (from another source).
    listed = _amsterdam_record("Subsidieregeling Burgerschap en Diversiteit")
    with sqlite_catalog.session() as session:
        source_store(session).upsert(parse_record(listed), "import")
    run = by_source(crawl(sqlite_catalog, [SOURCE]))[SOURCE]
    assert run.status == "ok" and run.details["register"]["created"] == 4911
    assert run.new == 207 and run.details["linked_to_catalog"] == 1
    with sqlite_catalog.session() as session:
        assert session.query(RegisterEntry).count() == 4911
        store = InstrumentStore(session)
        # Evidence on the listed scheme: what the register says, nothing more.
        linked = store.get(str(listed["id"]))
        assert linked is not None
        [summary] = register_summaries(session, linked)
        organisations, private, median, year = _expected(str(listed["title"]))
        assert (summary.organisations, summary.private_persons) == (organisations, private)
        assert (summary.median_granted, summary.last_year) == (median, year)
        # Every other scheme is a candidate, its listing waiting in the review queue.
        waiting = candidates(session)
        assert len(waiting) == 207 and all(c.instrument_id for c in waiting)
        names = {c.scheme for c in waiting}
        assert "Subsidieregeling Bewonersinitiatieven" in names
        assert str(listed["title"]) not in names

    # A broken file is refused whole: counted, the run fails, nothing is lost or withdrawn.
    body = recordings.body_path(SOURCE, URL)
    body.write_bytes(body.read_bytes().replace(b";", b","))
    broken = by_source(crawl(sqlite_catalog, [SOURCE]))[SOURCE]
    assert broken.status == "failed" and broken.dropped == {"register_wrong_delimiter": 1}
    assert broken.withdrawn == 0
    with sqlite_catalog.session() as session:
        assert session.query(RegisterEntry).count() == 4911
        assert len(candidates(session)) == 207


@pytest.fixture
def register_app(data_dir: Path, recordings: Recordings) -> Iterator[Flask]:
    """The web app over a catalog holding the crawled register."""
    from tests.crawler.conftest import FAST, NOW
    from wijzer.app.indexing import rebuild_index
    from wijzer.crawler.crawling import run_crawl
    from wijzer.crawler.replay import ReplayServer
    from wijzer.web import create_app, services

    settings = Settings(data_dir=data_dir, secret_key="test-secret", search_backend="embedded")
    app = create_app({"SETTINGS": settings, "TESTING": True})
    svc = services(app)
    with ReplayServer(recordings.root) as server:
        run_crawl(svc.catalog, [SOURCE], replay_url=server.url, settings=FAST, now=NOW)
    add_staff(svc.catalog)
    rebuild_index(svc.catalog, svc.backend)
    yield app
    svc.close()


def _page(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_the_instrument_page_says_who_received_it(register_app: Flask) -> None:
    from wijzer.web import services

    svc = services(register_app)
    scheme = "Subsidieregeling Bewonersinitiatieven"
    with svc.catalog.session() as session:
        candidate = next(c for c in candidates(session) if c.scheme == scheme)
        assert candidate.instrument_id is not None
        approve(session, candidate.instrument_id, ADMIN, "staat in het subsidieregister")
    client = register_app.test_client()
    path = f"/instruments/{candidate.instrument_id}"
    organisations, private, median, year = _expected(scheme)
    assert (organisations, private, median, year) == (6, 45, 2165.0, 2017)
    dutch = " ".join(_page(client, f"{path}?lang=nl").split())
    # (Babel puts a no-break space after the euro sign; whitespace is folded above.)
    assert "Ontvangen door 6 organisaties, mediaan € 2.165, laatst in 2017." in dutch
    assert "Ook 45 subsidies aan particulieren." in dutch
    assert (
        "Volgens het subsidieregister van de gemeente Amsterdam (stand van 18 april 2017)" in dutch
    )
    english = " ".join(_page(client, f"{path}?lang=en").split())
    assert "Received by 6 organisations, median €2,165, last in 2017." in english
    assert "Also 45 grants to private persons." in english
    # Staff see the approved scheme leave the candidates and the rest still there.
    staff = register_app.test_client()
    login(staff, ADMIN)
    listing = _page(staff, "/admin/register-candidates?lang=en")
    assert scheme not in listing and "Subsidieregeling Burgerschap en Diversiteit" in listing
    assert listing.count("Review the listing") == 207
