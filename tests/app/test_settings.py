"""Settings come from WIJZER_* variables with the README's defaults; a bad value is named."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import REPO
from wijzer.app.settings import ConfigError, Settings
from wijzer.cli import main


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    import os

    for name in list(os.environ):
        if name.startswith("WIJZER_"):
            monkeypatch.delenv(name)
    return monkeypatch


def readme_table() -> dict[str, str]:
    """{variable: default} from the README's configuration table."""
    rows: dict[str, str] = {}
    for line in (REPO / "README.md").read_text().splitlines():
        if not line.startswith("| `WIJZER_"):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        names = re.findall(r"`(WIJZER_[A-Z_]+)`", cells[0])
        defaults = re.findall(r"`([^`]*)`", cells[1])
        for number, name in enumerate(names):
            rows[name] = defaults[number] if len(defaults) == len(names) else ""
    return rows


def test_every_setting_is_in_the_readme_with_its_default(clean_env: Any) -> None:
    table = readme_table()
    settings = Settings.from_env()
    for field in Settings.model_fields:
        name = f"WIJZER_{field.upper()}"
        assert name in table, f"{name} is missing from the README's configuration table"
        documented = table[name]
        actual = getattr(settings, field)
        if not documented:  # described in words (e.g. "random, kept in the data dir")
            assert actual is None, name
        elif isinstance(actual, Path):
            assert actual == Path(documented), name
        elif isinstance(actual, bool):
            assert str(actual).lower() == documented, name
        else:
            assert str(actual) == documented, name


def test_values_come_from_the_environment(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("WIJZER_SMTP_PORT", "2525")
    clean_env.setenv("WIJZER_SMTP_TLS", "true")
    clean_env.setenv("WIJZER_BASE_URL", "https://wijzer.example/")
    clean_env.setenv("WIJZER_DATABASE_URL", "")  # empty means unset
    settings = Settings.from_env()
    assert (settings.smtp_port, settings.smtp_tls) == (2525, True)
    assert settings.base_url == "https://wijzer.example"
    assert settings.database_url is None


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("WIJZER_SMTP_PORT", "smtp"),
        ("WIJZER_SMTP_PORT", "70000"),
        ("WIJZER_SEARCH_BACKEND", "solr"),
        ("WIJZER_SMTP_TLS", "perhaps"),
        ("WIJZER_API_RATE_LIMIT", "-1"),
    ],
)
def test_a_bad_value_names_the_variable(
    clean_env: pytest.MonkeyPatch, runner: CliRunner, tmp_path: Path, variable: str, value: str
) -> None:
    clean_env.setenv(variable, value)
    with pytest.raises(ConfigError) as error:
        Settings.from_env()
    assert f"{variable}={value!r}" in str(error.value)
    result = runner.invoke(main, ["--data-dir", str(tmp_path), "search", "water"])
    assert result.exit_code == 2
    assert variable in result.output and "Traceback" not in result.output
