"""Property: any JSON line given to `wijzer import` ends in exit 0 or 2 with one-line messages,
never a traceback, and a refused file (exit 2) leaves the catalog exactly as it was."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SEED
from wijzer.catalog.db import Catalog
from wijzer.catalog.exchange import export_records, import_records, parse_jsonl
from wijzer.cli import main

ODD_TEXT = st.sampled_from(["", " ", "\x00", "\ud800", "\udfff", "a\x00b", "=cmd", "é", "\u202e"])
TEXT = st.text(max_size=30) | ODD_TEXT
NUMBERS = (
    st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from([0, -1, 1e13, 1e14, 1e308, 5e-324])
)
JSON = st.recursive(
    st.none() | st.booleans() | NUMBERS | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)
# Records close enough to valid that validation, not decoding, has to catch them.
RECORDS = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["prop-1", "a/../x", "./x", "prop:2/ok", "", "x" * 201]) | TEXT,
        "title": TEXT,
        "level": st.sampled_from(["national", "regional", "eu", "galactic", ""]),
        "instrument_type": st.sampled_from(["subsidy", "loan", "lottery"]),
    },
    optional={
        "amount_min": NUMBERS,
        "amount_max": NUMBERS,
        "budget_total": NUMBERS,
        "deadlines": st.lists(st.sampled_from(["2027-01-01", "2024-02-30", "x"]) | TEXT),
        "regions": st.lists(st.sampled_from(["Utrecht", "Atlantis"]) | TEXT, max_size=3),
        "url": st.sampled_from(["https://example.org/x", "javascript:alert(1)"]) | TEXT,
        "extra": JSON,
        "summary": TEXT,
    },
)
RAW = st.sampled_from(
    [
        "[" * 50_000 + "]" * 50_000,
        '{"id": "n", "title": "t", "level": "eu", "instrument_type": "loan", "amount_max": 1'
        + "0" * 5000
        + "}",
        '{"id": "i", "title": "t", "level": "eu", "instrument_type": "loan", "amount_max": 1e309}',
        '{"id": "i", "title": "t", "level": "eu", "instrument_type": "loan", "amount_min": NaN}',
        '{"title": "\\ud800"}',
        "{not json",
        '"just a string"',
    ]
)
LINES = RECORDS.map(json.dumps) | JSON.map(json.dumps) | RAW


def snapshot(catalog: Catalog) -> str:
    from io import StringIO

    out = StringIO()
    export_records(catalog, out, include_unlisted=True)
    return out.getvalue()


@pytest.mark.slow
def test_any_json_line_is_imported_or_refused_cleanly(
    catalog: Catalog, data_dir: Path, tmp_path: Path
) -> None:
    import_records(catalog, parse_jsonl(SEED.read_text().splitlines()[:5]).records)
    env = {"WIJZER_DATA_DIR": str(data_dir)}
    if not catalog.url.startswith("sqlite"):
        env["WIJZER_DATABASE_URL"] = catalog.url
    path = tmp_path / "line.jsonl"
    runner = CliRunner()
    # A deeper run: WIJZER_FUZZ_EXAMPLES=1000 make pytest PYTEST_ARGS=tests/catalog/...
    examples = int(os.environ.get("WIJZER_FUZZ_EXAMPLES", "150"))
    if not catalog.url.startswith("sqlite"):
        examples //= 3

    @given(line=LINES)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    def check(line: str) -> None:
        path.write_text(line + "\n", encoding="utf-8")
        before = snapshot(catalog)
        result: Any = runner.invoke(main, ["import", str(path), "--no-index"], env=env)
        assert result.exit_code in (0, 2), (line[:200], result.output[-2000:])
        assert result.exception is None or isinstance(result.exception, SystemExit), line[:200]
        assert "Traceback" not in result.output
        for message in result.stderr.splitlines():
            assert message.startswith(("Error: ", "Warning: ", "  skipped")), message
        if result.exit_code == 2:
            assert snapshot(catalog) == before

    check()
