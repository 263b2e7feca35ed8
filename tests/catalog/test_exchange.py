"""Import and export through the CLI on SQLite and PostgreSQL: validation, versions, round trip."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import SEED
from wijzer.catalog.db import Catalog
from wijzer.catalog.exchange import import_records, iter_export, parse_jsonl
from wijzer.catalog.repository import InstrumentStore
from wijzer.cli import main


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_seed_imports_completely_and_reimport_changes_nothing(catalog: Catalog) -> None:
    parsed = parse_jsonl(SEED.read_text().splitlines())
    assert parsed.errors == []
    first = import_records(catalog, parsed.records)
    assert first.counts["created"] == 102
    second = import_records(catalog, parse_jsonl(SEED.read_text().splitlines()).records)
    assert second.counts["unchanged"] == 102
    assert second.counts["created"] == 0 and second.counts["updated"] == 0
    with catalog.session() as session:
        store = InstrumentStore(session)
        assert store.count() == 102
        assert len(store.history("nl-rvo-innovatiekrediet")) == 1


def test_changed_record_creates_version_with_the_diff(catalog: Catalog) -> None:
    rows = _lines(SEED)[:3]
    import_records(catalog, parse_jsonl([json.dumps(r) for r in rows]).records)
    rows[1]["summary"] = "Nieuwe samenvatting."
    rows[1]["deadline"] = "2027-03-01"
    report = import_records(catalog, parse_jsonl([json.dumps(r) for r in rows]).records)
    assert report.counts["updated"] == 1 and report.counts["unchanged"] == 2
    with catalog.session() as session:
        history = InstrumentStore(session).history(rows[1]["id"])
    assert [v.change_kind for v in history] == ["created", "updated"]
    assert history[1].changes["summary"][1] == "Nieuwe samenvatting."
    assert history[1].changes["deadlines"] == [
        [rows[1].get("deadline_old")] if False else history[0].snapshot["deadlines"],
        ["2027-03-01"],
    ]


def test_export_round_trips_the_seed(catalog: Catalog) -> None:
    import_records(catalog, parse_jsonl(SEED.read_text().splitlines()).records)
    # Every record, merged ones included (`wijzer export --all`), gives the seed back.
    exported = {row["id"]: row for row in iter_export(catalog, include_unlisted=True)}
    assert len(exported) == len(_lines(SEED))
    merged = {i for i, row in exported.items() if row["merged_into"]}
    public = {row["id"] for row in iter_export(catalog)}
    assert public == set(exported) - merged
    for original in _lines(SEED):
        row = exported[original["id"]]
        for field in (
            "title",
            "funder",
            "level",
            "region",
            "instrument_type",
            "summary",
            "language",
            "url",
            "source_file",
        ):
            assert row[field] == original[field], (original["id"], field)
        if original["deadline"]:
            assert original["deadline"] in row["deadlines"], original["id"]
        elif row["deadline"]:
            # A deadline the seed left out was read from the record's own text, with its words.
            quoted = [s for s in row["status_signals"] if s["date"] == row["deadline"]]
            assert quoted and quoted[0]["quote"], original["id"]


def test_cli_rejects_a_corrupt_file_and_writes_nothing(
    runner, data_dir: Path, tmp_path: Path
) -> None:
    rows = _lines(SEED)[:4]
    rows[2]["level"] = "galactic"
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(json.dumps(r) for r in rows[:3]) + "\n{not json\n")
    result = runner.invoke(main, ["--data-dir", str(data_dir), "import", str(bad)])
    assert result.exit_code == 2
    assert "line 3: level: unknown level 'galactic'" in result.stderr
    assert "line 4: (json): not valid JSON" in result.stderr
    assert "nothing was imported" in result.stderr
    export = runner.invoke(main, ["--data-dir", str(data_dir), "export"])
    assert export.exit_code == 0 and export.stdout == ""


def test_cli_skip_invalid_imports_the_rest_and_reports_lines(
    runner, data_dir: Path, tmp_path: Path
) -> None:
    rows = _lines(SEED)[:4]
    rows[1]["deadline"] = "2024-02-30"
    rows[3]["instrument_type"] = "lottery"
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    result = runner.invoke(
        main,
        [
            "--data-dir",
            str(data_dir),
            "import",
            str(path),
            "--skip-invalid",
            "--format",
            "json",
            "--no-index",
        ],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["created"] == 2
    assert [(s["line"], s["field"]) for s in summary["skipped"]] == [
        (2, "deadlines.0"),
        (4, "instrument_type"),
    ]


def test_cli_export_is_a_round_trip_through_import(runner, data_dir: Path, tmp_path: Path) -> None:
    assert (
        runner.invoke(
            main, ["--data-dir", str(data_dir), "import", str(SEED), "--no-index"]
        ).exit_code
        == 0
    )
    out = tmp_path / "export.jsonl"
    # --all: the records merged into another (one public record per instrument) come along.
    assert (
        runner.invoke(
            main, ["--data-dir", str(data_dir), "export", "--all", "-o", str(out)]
        ).exit_code
        == 0
    )
    second = tmp_path / "second"
    assert runner.invoke(main, ["--data-dir", str(second), "db", "upgrade"]).exit_code == 0
    assert (
        runner.invoke(main, ["--data-dir", str(second), "import", str(out), "--no-index"]).exit_code
        == 0
    )
    again = runner.invoke(
        main, ["--data-dir", str(data_dir), "import", str(out), "--format", "json", "--no-index"]
    )
    assert json.loads(again.stdout)["unchanged"] == 102
