"""JSON API v1 through the Flask test client: shapes, problems, exports, limits, read-only."""

from __future__ import annotations

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET

import pytest
from markupsafe import escape

from tests.web.conftest import CHANGED_ID, HIDDEN_ID, MALICIOUS_ID, MERGED_ID, SOON, make_app
from wijzer.catalog import taxonomy
from wijzer.search.query import MODES
from wijzer.search.results import NOTES
from wijzer.web import feeds


def test_search_returns_results_facets_and_deadline_buckets(client):
    response = client.get("/api/v1/instruments?q=innovatie&type=subsidy&per_page=5")
    assert response.status_code == 200
    data = response.get_json()
    assert data["per_page"] == 5 and len(data["results"]) == 5
    assert data["total"] >= 5
    assert set(data["facets"]) >= {"level", "region", "instrument_type", "theme", "status"}
    assert data["facets"]["instrument_type"] == {"subsidy": data["total"]}
    assert set(data["deadline_buckets"]) == {"30", "90"}
    row = data["results"][0]
    assert set(row) >= {"id", "title", "level", "instrument_type", "deadline", "status", "score"}


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("per_page=101", "per_page"),
        ("level=moon", "level"),
        ("type=gift", "type"),
        ("deadline_from=tomorrow", "deadline_from"),
        ("closes_within=7", "closes_within"),
        ("sort=random", "sort"),
        ("format=xml", "format"),
    ],
)
def test_invalid_parameters_are_problems_naming_the_parameter(client, query, parameter):
    response = client.get(f"/api/v1/instruments?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == 400 and problem["parameter"] == parameter
    assert parameter in problem["detail"]


def test_instrument_by_id_and_unlisted_ones(client):
    data = client.get(f"/api/v1/instruments/{CHANGED_ID}").get_json()
    assert data["id"] == CHANGED_ID and data["amount_max"] == 25000
    assert data["status"] in ("open", "closed", "forthcoming", "unknown")
    for missing in (HIDDEN_ID, "nothing-here"):
        response = client.get(f"/api/v1/instruments/{missing}")
        assert response.status_code == 404
        assert response.get_json()["status"] == 404
    merged = client.get(f"/api/v1/instruments/{MERGED_ID}")
    assert merged.status_code == 301
    assert merged.headers["Location"].endswith(f"/api/v1/instruments/{CHANGED_ID}")


def test_match_returns_reasons_and_blockers_and_honours_excluded(client):
    body = {
        "description": "Wij zijn een startup die een sensor voor waterkwaliteit ontwikkelt.",
        "region": "Utrecht",
        "size": "small",
        "top": 5,
    }
    data = client.post("/api/v1/match", json=body).get_json()
    assert len(data["results"]) == 5
    first = data["results"][0]
    assert set(first) >= {"id", "title", "score", "reasons", "blockers", "status"}
    scores = [r["score"] for r in data["results"]]
    assert scores == sorted(scores, reverse=True)
    again = client.post("/api/v1/match", json={**body, "excluded": [first["id"]]}).get_json()
    assert first["id"] not in [r["id"] for r in again["results"]]


def test_match_reasons_are_data_with_text_in_the_requests_language(client):
    body = {
        "description": "Wij zijn een startup die een sensor voor waterkwaliteit ontwikkelt.",
        "region": "Utrecht",
        "top": 20,
        "include_closed": True,
    }
    # No language asked: the profile's (Dutch by default).
    dutch = client.post("/api/v1/match", json=body)
    assert dutch.headers["Content-Language"] == "nl"
    english = client.post("/api/v1/match?lang=en", json=body)
    assert english.headers["Content-Language"] == "en"
    accept = client.post("/api/v1/match", json=body, headers={"Accept-Language": "en-GB"})
    assert accept.headers["Content-Language"] == "en"
    nl_rows, en_rows = dutch.get_json()["results"], english.get_json()["results"]
    assert [r["id"] for r in nl_rows] == [r["id"] for r in en_rows]
    for nl_row, en_row in zip(nl_rows, en_rows, strict=True):
        for key in ("reasons", "blockers"):
            for nl_reason, en_reason in zip(nl_row[key], en_row[key], strict=True):
                assert set(nl_reason) == {"code", "kind", "params", "quote", "text"}
                # The data is the same in any language; only the text differs.
                assert {k: v for k, v in nl_reason.items() if k != "text"} == {
                    k: v for k, v in en_reason.items() if k != "text"
                }
                assert nl_reason["text"] != en_reason["text"]
    everything = [(r, key) for row in nl_rows for key in ("reasons", "blockers") for r in row[key]]
    utrecht = next(r for r, _ in everything if r["code"] == "region_fits")
    assert utrecht == {
        "code": "region_fits",
        "kind": "fit",
        "params": {"provinces": ["Utrecht"]},
        "quote": None,
        "text": "regionale regeling voor Utrecht",
    }
    closed = next(r for r, key in everything if r["code"] == "closed_since")
    assert closed["kind"] == "blocker" and closed["text"].startswith("gesloten sinds ")
    en_closed = next(r for row in en_rows for r in row["blockers"] if r["code"] == "closed_since")
    assert en_closed["text"].startswith("closed since ")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"description": ""}, "description"),
        ({"description": "x", "region": "Atlantis"}, "region"),
        ({"description": "x", "wants": "loan"}, "wants"),
        ({"description": "x", "top": 500}, "top"),
        ({"description": "x", "include_closed": "maybe"}, "include_closed"),
        ([1, 2], "(body)"),
    ],
)
def test_bad_profiles_name_the_field(client, body, field):
    response = client.post("/api/v1/match", json=body)
    assert response.status_code == 400
    assert response.get_json()["parameter"] == field


def test_match_needs_a_json_body(client):
    response = client.post(
        "/api/v1/match", data="description=x", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
    assert response.mimetype == "application/problem+json"


def test_the_api_is_read_only(client):
    for method, url in [
        ("PUT", "/api/v1/instruments"),
        ("DELETE", f"/api/v1/instruments/{CHANGED_ID}"),
        ("POST", "/api/v1/instruments"),
        ("GET", "/api/v1/match"),
        ("PATCH", "/api/v1/overview"),
    ]:
        response = client.open(url, method=method)
        assert response.status_code == 405, (method, url)
        assert response.mimetype == "application/problem+json"
        assert "Allow" in response.headers
    assert client.get("/api/v1/nothing").get_json()["status"] == 404


def test_csv_export_has_every_result_and_a_header(client):
    response = client.get("/api/v1/instruments.csv?level=national")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    total = client.get("/api/v1/instruments?level=national").get_json()["total"]
    assert len(rows) == total and total > 20
    assert {r["level"] for r in rows} == {"national"}
    same = client.get("/api/v1/instruments?level=national&format=csv").get_data(as_text=True)
    assert same == response.get_data(as_text=True)


def test_csv_cells_cannot_start_a_formula():
    record = {"id": "x", "title": '=HYPERLINK("http://evil")', "funder": "+31 fund"}
    rows = list(csv.reader(io.StringIO(feeds.to_csv([record], dt.date.today()))))
    assert rows[1][1].startswith("'=") and rows[1][2].startswith("'+")


def test_json_export_is_a_list_of_records(client):
    data = client.get("/api/v1/instruments.json?q=innovatie").get_json()
    assert isinstance(data, list) and data
    assert {"id", "title", "status", "deadlines"} <= set(data[0])


def test_ical_feed_has_one_event_per_deadline_and_folded_lines(client):
    body = client.get("/api/v1/instruments.ics?closes_within=30").get_data(as_text=True)
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert f"UID:{MALICIOUS_ID}-{SOON.isoformat()}@wijzer" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    assert body.count("BEGIN:VEVENT") == body.count("END:VEVENT") >= 1


def test_atom_feed_is_valid_xml_newest_first(client):
    response = client.get("/api/v1/instruments.atom?type=subsidy")
    assert response.mimetype == "application/atom+xml"
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring(response.get_data())
    published = [e.findtext("a:published", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert len(published) > 5
    assert published == sorted(published, reverse=True)
    titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert "<script>alert(1)</script> Innovatiesubsidie" in titles  # text, escaped in the XML
    assert b"<script>" not in response.get_data()


def test_overview_counts_add_up(client, app):
    data = client.get("/api/v1/overview").get_json()
    listed = app.extensions["wijzer"].backend.info().count
    assert data["total"] == listed
    # The status counts cover every instrument; the other counts leave closed ones out.
    assert sum(data["by_status"].values()) == listed
    counted = sum(sum(t.values()) for t in data["by_level_and_type"].values())
    assert counted == data["counted"] == listed - data["by_status"]["closed"]


def test_openapi_document_lists_every_api_route(client, app):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    documented = {path for path in spec["paths"]}
    routes = {
        r.rule.replace("<path:instrument_id>", "{instrument_id}")
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/api/v1/") and r.endpoint not in ("api.openapi_json", "api.docs")
    }
    assert routes == documented
    docs = client.get("/api/v1/docs?lang=en").get_data(as_text=True)
    for path in documented:
        assert path in docs


def test_every_operation_shows_an_example_that_the_api_answers(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    docs = client.get("/api/v1/docs?lang=en").get_data(as_text=True)
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            example = operation["description"].split("Example: ", 1)[1]
            assert str(escape(example)) in docs, example
            if method == "get":
                target = example.removeprefix("GET ")
                assert target.startswith(path.split("{")[0]), example
                # The test catalog need not hold the example's instrument: then a 404 problem.
                expected = (200, 404) if "{" in path else (200,)
                assert client.get(target).status_code in expected, example


def test_the_document_offers_the_vocabularies_the_api_accepts(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    search = spec["paths"]["/api/v1/instruments"]["get"]
    params = {p["name"]: p for p in search["parameters"]}
    assert params["level"]["schema"]["items"]["enum"] == list(taxonomy.LEVELS)
    assert params["level"]["explode"] is True
    assert params["mode"]["schema"]["enum"] == list(MODES)
    # The schema lists the codes; the API also takes them as one comma list.
    assert client.get("/api/v1/instruments?level=eu,national").status_code == 200
    result = spec["components"]["schemas"]["SearchResult"]["properties"]
    assert result["notes"]["items"]["enum"] == list(NOTES)
    refused = search["responses"]["400"]["content"]["application/problem+json"]["schema"]
    assert refused == {"$ref": "#/components/schemas/Problem"}
    answer = client.get("/api/v1/instruments?mode=fuzzy")
    assert answer.status_code == 400 and answer.get_json()["parameter"] == "mode"


def test_rate_limit_answers_429_with_retry_after(site):
    limited = make_app(site, API_RATE_LIMIT=3, RATELIMIT_ENABLED=True).test_client()
    statuses = [limited.get("/api/v1/overview").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = limited.get("/api/v1/overview")
    assert int(response.headers["Retry-After"]) >= 1
    assert response.get_json()["status"] == 429
    # The public pages are not limited.
    assert limited.get("/overview").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/instruments.atom?q=innovatie",
        "/api/v1/instruments.ics",
        f"/calendar/{MALICIOUS_ID}",
    ],
)
def test_feeds_link_to_the_configured_address_whatever_the_host_header(client, app, path):
    base = app.extensions["wijzer"].settings.base_url
    response = client.get(path, headers={"Host": "evil.example"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "evil.example" not in body
    assert f"{base}/instruments/" in body
