"""Wijzer installed from a wheel (not editable) works from any directory: package data ships.

The wheel is built from a copy of the source tree and installed into a fresh virtual
environment; the third-party dependencies already installed for the suite are made visible
through a `.pth` line, which adds their site-packages without running that directory's own
`.pth` files, so the editable install of this checkout is not on the path there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO, SEED
from wijzer.catalog.schema_revision import code_head

pytestmark = pytest.mark.slow

# Files that are built or cached next to the sources, never shipped.
NOT_SHIPPED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "*.egg-info")
SEED_ROWS = 12


@dataclass
class Installed:
    python: Path
    wijzer: Path
    package: Path  # site-packages/wijzer inside the fresh environment
    elsewhere: Path  # a working directory outside the checkout
    env: dict[str, str]

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(self.wijzer), *args],
            cwd=self.elsewhere,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        return result


def _run(*command: str | Path, cwd: Path | None = None) -> str:
    result = subprocess.run(
        [str(c) for c in command], cwd=cwd, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, (command, result.stdout, result.stderr)
    return result.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("installed")
    tree = root / "tree"
    tree.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, tree / name)
    shutil.copytree(REPO / "src", tree / "src", ignore=NOT_SHIPPED)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    _run(*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", root, tree)
    wheel = next(root.glob("wijzer-*.whl"))

    venv = root / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    _run(*pip, "--python", python, "install", "--no-deps", "--no-index", wheel)
    site = Path(
        _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip()
    )
    suite_site = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "suite_dependencies.pth").write_text("\n".join(sorted(suite_site)) + "\n")

    elsewhere = root / "elsewhere"
    elsewhere.mkdir()
    env = {
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(root),
        "LANG": "C.UTF-8",
        "HF_HUB_OFFLINE": "1",
        "WIJZER_DATA_DIR": str(elsewhere / "data"),
        "WIJZER_SEARCH_BACKEND": "embedded",
    }
    return Installed(python, venv / "bin" / "wijzer", site / "wijzer", elsewhere, env)


def test_the_installed_package_is_the_wheel_not_the_checkout(installed: Installed) -> None:
    located = subprocess.run(
        [str(installed.python), "-c", "import wijzer; print(wijzer.__file__)"],
        cwd=installed.elsewhere,
        env=installed.env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(located) == installed.package / "__init__.py"
    assert not Path(located).resolve().is_relative_to(REPO)


def test_every_file_of_the_package_is_installed(installed: Installed) -> None:
    """Templates, static files, migrations, mappings, recordings: all of src/wijzer ships."""
    source = REPO / "src" / "wijzer"
    expected = {
        path.relative_to(source).as_posix()
        for path in source.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".mo")
    }
    shipped = {
        path.relative_to(installed.package).as_posix()
        for path in installed.package.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".mo"
    }
    assert expected - shipped == set()


def test_upgrade_import_index_search_from_outside_the_checkout(
    installed: Installed, tmp_path: Path
) -> None:
    records = tmp_path / "records.jsonl"
    with SEED.open(encoding="utf-8") as seed:
        records.write_text("".join(next(seed) for _ in range(SEED_ROWS)), encoding="utf-8")

    upgraded = installed.run("db", "upgrade")
    (head,) = code_head()
    assert upgraded.stdout.strip().endswith(f"to {head}.")
    imported = installed.run("import", str(records), "--no-index", "--format", "json")
    assert json.loads(imported.stdout)["created"] == SEED_ROWS
    rebuilt = installed.run("index", "rebuild", "--no-vectors")
    assert f"Indexed {SEED_ROWS} instruments" in rebuilt.stdout

    def top(query: str) -> list[str]:
        found = json.loads(installed.run("search", query, "--format", "json").stdout)
        return [row["id"] for row in found["results"]]

    assert top("innovatiekrediet")[0] == "nl-rvo-innovatiekrediet"
    assert top("R&D tax credit for developers")[0] == "nl-wbso"


def test_site_pages_and_static_files_render_when_installed(installed: Installed) -> None:
    script = """
import sys
from pathlib import Path
from wijzer.app.settings import Settings
from wijzer.web import create_app
app = create_app({"SETTINGS": Settings(data_dir=Path(sys.argv[1])), "TESTING": True})
client = app.test_client()
for path in ("/?lang=nl", "/static/favicon.svg"):
    response = client.get(path)
    print(path, response.status_code, len(response.data))
print(client.get("/?lang=nl").get_data(as_text=True))
"""
    result = subprocess.run(
        [str(installed.python), "-c", script, str(installed.elsewhere / "site")],
        cwd=installed.elsewhere,
        env=installed.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:2] == ["/?lang=nl", "200"]
    assert lines[1].split()[:2] == ["/static/favicon.svg", "200"]
    assert "Vind financiering voor uw bedrijf" in result.stdout  # Dutch catalog compiled
