"""`wijzer crawl` end to end: --all --offline into an empty data dir, --list, ted --bulk."""

from __future__ import annotations

import json
import shutil
import tarfile
from pathlib import Path

from click.testing import CliRunner

from tests.conftest import SHARED
from wijzer.cli import main
from wijzer.crawler.sources import SOURCES

TED = SHARED / "data" / "ted"


def _invoke(runner: CliRunner, data_dir: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(main, ["--data-dir", str(data_dir), *args], catch_exceptions=False)


def test_crawl_all_offline_fills_an_empty_catalog_and_export_shows_the_fields(
    runner: CliRunner, data_dir: Path
) -> None:
    result = _invoke(
        runner, data_dir, "crawl", "--all", "--offline", "--no-index", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    runs = {r["source"]: r for r in json.loads(result.stdout)}
    assert len(runs) == len(SOURCES) >= 25 and all(r["status"] == "ok" for r in runs.values())
    assert all(r["new"] > 0 for r in runs.values())
    assert runs["rvo"]["new"] == 15 and runs["sedia"]["new"] == 12

    listing = _invoke(runner, data_dir, "crawl", "--list", "--format", "json")
    rows = {r["source"]: r for r in json.loads(listing.stdout)}
    assert rows["ted"]["items"] == 8 and rows["ted"]["last_run"]["status"] == "ok"
    assert rows["kvk"]["last_run"]["new"] == 6
    assert rows["cvdr"]["last_run"]["dropped"] == {"not_about_subsidies": 3}
    assert all(row["refresh_minutes"] <= 30 and row["incremental"] for row in rows.values())
    text = _invoke(runner, data_dir, "crawl", "--list")
    assert len(text.stdout.splitlines()) == len(SOURCES)
    assert "subsidieregister-amsterdam" in text.stdout and "every 30 min" in text.stdout

    exported = _invoke(runner, data_dir, "export", "--all")
    records = {r["id"]: r for r in map(json.loads, exported.stdout.splitlines())}
    # The TED notice and its TenderNed listing are one tender: one public record.
    tender = {"ted:67028-2021", "tenderned:54c78e8bb850db2546fcfd71b862b86a"}
    public = _invoke(runner, data_dir, "export")
    assert len(tender & {r["id"] for r in map(json.loads, public.stdout.splitlines())}) == 1
    assert {records[i]["merged_into"] for i in tender} - {None} <= tender
    topic = records["sedia:HORIZON-MISS-2027-05-SOIL-01-two-stage"]
    assert topic["programme"] == "Horizon Europe (HORIZON)"
    assert topic["call_identifier"] == "HORIZON-MISS-2027-05-two-stage"
    assert topic["deadlines"] == ["2027-04-08", "2027-09-14"]
    assert topic["topic_status"] == "forthcoming"
    notice = records["ted:67028-2021"]
    assert notice["cpv_codes"] == ["50232100"] and notice["region"] == "Noord-Holland"
    assert notice["url"] == "https://ted.europa.eu/en/notice/-/detail/67028-2021"


def test_bulk_import_of_a_directory_and_a_tarball_of_eforms_notices(
    runner: CliRunner, data_dir: Path, tmp_path: Path
) -> None:
    bulk = tmp_path / "bulk"
    shutil.copytree(TED / "eforms_sdk_examples", bulk, ignore=shutil.ignore_patterns("*.md"))
    shutil.copy(TED / "ted_xml_data_converter" / "eforms-xml" / "21-064844-001-EXP.xml", bulk)
    (bulk / "broken.xml").write_text("<ContractNotice><cbc:ID>", encoding="utf-8")
    result = _invoke(
        runner, data_dir, "crawl", "ted", "--bulk", str(bulk), "--no-index", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    [run] = json.loads(result.stdout)
    # 10 readable notices; the award can_24_FRA closes cn_24_FRA (one procedure), so its
    # result is stored on that notice instead of as a listing of its own.
    assert run["fetched"] == 11 and run["new"] == 9 and run["status"] == "partial"
    assert run["details"]["results_attached"] == 1
    assert run["dropped"] == {"malformed_xml": 1}
    assert any("broken.xml" in e for e in run["errors"])
    exported = _invoke(runner, data_dir, "export")
    records = {r["id"]: r for r in map(json.loads, exported.stdout.splitlines())}
    dutch = records["ted:67028-2021"]
    assert dutch["funder"].startswith("Stichting Regionaal Inkoopbureau")
    assert dutch["deadline"] == "2021-03-18" and dutch["cpv_codes"] == ["50232100"]
    assert dutch["place_of_performance"] == ["Heemstede en Bloemendaal."]
    assert dutch["url"] == "https://ted.europa.eu/en/notice/-/detail/67028-2021"
    # The change notice moves the deadline of the same tender: one public record, which
    # carries the moved deadline; the original notice is kept, merged into it.
    [public] = [r for r in records.values() if r["funder"] == "Renfrewshire Council"]
    assert public["deadline"] == "2020-06-12" and run["merged"] == 1
    everything = _invoke(runner, data_dir, "export", "--all")
    every = [json.loads(line) for line in everything.stdout.splitlines()]
    rouen = next(
        r for r in records.values() if r["funder"] == "Rouen Habitat" and not r.get("result_of")
    )
    assert rouen["notice_category"] == "contract_notice" and rouen["source_status"] == "closed"
    assert rouen["result"]["winners"] == ["Espaces Verts Lemire", "ID Verde SASU"]
    assert rouen["result"]["value"] == 390697.84
    renfrew = next(
        r for r in every if r["funder"] == "Renfrewshire Council" and r["deadline"] == "2020-04-03"
    )
    assert renfrew["merged_into"] == public["id"]
    assert renfrew["instrument_type"] == "procurement" and renfrew["budget_total"] == 500000

    archive = tmp_path / "notices.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(bulk / "21-064844-001-EXP.xml", arcname="2021/00067028_2021.xml")
    again = _invoke(
        runner, data_dir, "crawl", "ted", "--bulk", str(archive), "--no-index", "--format", "json"
    )
    [run] = json.loads(again.stdout)
    assert (run["new"], run["unchanged"], run["withdrawn"]) == (0, 1, 0)


def test_bad_crawl_arguments_exit_2_with_a_clear_message(runner: CliRunner, data_dir: Path) -> None:
    unknown = runner.invoke(main, ["--data-dir", str(data_dir), "crawl", "rvo", "nope"])
    assert unknown.exit_code == 2 and "unknown source 'nope'" in unknown.output
    nothing = runner.invoke(main, ["--data-dir", str(data_dir), "crawl"])
    assert nothing.exit_code == 2 and "--all" in nothing.output
    wrong_bulk = runner.invoke(
        main, ["--data-dir", str(data_dir), "crawl", "rvo", "--bulk", str(data_dir)]
    )
    assert wrong_bulk.exit_code == 2 and "--bulk works with the source `ted`" in wrong_bulk.output
