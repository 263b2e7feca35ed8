"""The dependency rule holds: the import-linter contracts in pyproject.toml are kept, and an
upward import added anywhere below the application layer breaks them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import REPO

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter on the `wijzer` package under project/src with project's contracts."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(project / "pyproject.toml")],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project / "src")},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_layers_are_the_documented_ones() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["type"] == "layers")["layers"]
    assert layers == [
        "wijzer.cli",
        "wijzer.web | wijzer.jobs",
        "wijzer.app",
        "wijzer.alerts | wijzer.crawler",
        "(wijzer.i18n)",
        "wijzer.matcher",
        "wijzer.search",
        "wijzer.catalog",
    ]
    crawler = next(c for c in config["contracts"] if c["type"] == "forbidden")
    assert crawler["source_modules"] == ["wijzer.crawler"]
    assert set(crawler["forbidden_modules"]) == {"wijzer.search", "wijzer.matcher", "wijzer.alerts"}


def test_every_contract_is_kept() -> None:
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.fixture(scope="module")
def copy_of_the_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Python sources and contracts, in a place a test may break."""
    root = tmp_path_factory.mktemp("project")
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(
        REPO / "src" / "wijzer",
        root / "src" / "wijzer",
        ignore=lambda folder, names: (
            [n for n in names if not (n.endswith(".py") or (Path(folder) / n).is_dir())]
            + ["__pycache__"]
        ),
    )
    return root


@pytest.mark.parametrize(
    ("module", "statement", "broken"),
    [
        ("catalog/probe.py", "from wijzer.app.settings import Settings", "wijzer.app"),
        ("search/probe.py", "import wijzer.matcher.ranking", "wijzer.matcher"),
        ("matcher/probe.py", "from wijzer.app import services", "wijzer.app"),
        ("alerts/probe.py", "from wijzer.app.settings import Settings", "wijzer.app"),
        ("alerts/probe.py", "import wijzer.crawler.sources", "wijzer.crawler"),
        ("crawler/probe.py", "import wijzer.search.analysis", "wijzer.search"),
        ("app/probe.py", "import wijzer.web", "wijzer.web"),
        ("jobs/probe.py", "import wijzer.web", "wijzer.web"),
    ],
)
def test_an_upward_import_breaks_a_contract(
    copy_of_the_project: Path, module: str, statement: str, broken: str
) -> None:
    probe = copy_of_the_project / "src" / "wijzer" / module
    probe.write_text(f'"""An import against the rule."""\n\n{statement}\n')
    try:
        result = lint_imports(copy_of_the_project)
    finally:
        probe.unlink()
    assert result.returncode == 1, result.stdout
    assert "BROKEN" in result.stdout
    assert f"wijzer.{module[:-3].replace('/', '.')} -> {broken}" in result.stdout
