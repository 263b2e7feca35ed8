"""Shared fixtures: real SQLite and PostgreSQL catalogs, real search backends, the CLI runner."""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from wijzer.catalog.db import Catalog, upgrade_database

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEED = SHARED / "data" / "instruments_seed.jsonl"
PROFILES_DEV = SHARED / "eval" / "profiles_dev.jsonl"
# The seed's 102 records describe 100 instruments: the BMKB page in two versions and Qredits'
# loans on two sites become one public record each when the seed is imported.
SEED_INSTRUMENTS = 100


def service_url(variable: str) -> str:
    """The URL of a real service started by scripts/services.sh; a clear failure if unset.

    Tests that need a service never skip: `make test` starts every service first.
    """
    url = os.environ.get(variable)
    if not url:
        pytest.fail(f"{variable} is not set; run the suite with `make test` (it starts services)")
    return url


def upgraded_catalog(url: str) -> Catalog:
    """A catalog opened after `wijzer db upgrade` would have run on it (opening never migrates)."""
    upgrade_database(url)
    return Catalog(url)


@pytest.fixture(scope="session")
def upgraded_sqlite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite catalog at the code's head, migrated once and copied (0.2 s saved each)."""
    path = tmp_path_factory.mktemp("schema") / "catalog.sqlite"
    upgraded_catalog(f"sqlite:///{path}").dispose()  # the last close folds the WAL into the file
    return path


def upgraded_data_dir(path: Path, template: Path) -> Path:
    """`path` as `wijzer db upgrade` leaves a new data dir: an empty catalog at the head."""
    path.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, path / "catalog.sqlite")
    return path


@pytest.fixture
def data_dir(tmp_path: Path, upgraded_sqlite_file: Path) -> Path:
    """A data dir after `wijzer db upgrade`: the catalog exists, empty, at the code's head."""
    return upgraded_data_dir(tmp_path / "data", upgraded_sqlite_file)


@pytest.fixture
def sqlite_catalog(data_dir: Path) -> Iterator[Catalog]:
    catalog = Catalog(f"sqlite:///{data_dir / 'catalog.sqlite'}")
    yield catalog
    catalog.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, uniquely named database on the real PostgreSQL server, dropped afterwards."""
    import psycopg

    base = service_url("WIJZER_TEST_DATABASE_URL")
    name = f"wijzer_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = base.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_catalog(postgres_url: str) -> Iterator[Catalog]:
    catalog = upgraded_catalog(postgres_url)
    yield catalog
    catalog.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def catalog(request: pytest.FixtureRequest) -> Catalog:
    """The catalog on each real database engine."""
    return request.getfixturevalue(f"{request.param}_catalog")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def elasticsearch_url() -> str:
    return service_url("WIJZER_ELASTICSEARCH_URL")


@pytest.fixture(scope="session")
def es_cluster():  # type: ignore[no-untyped-def]
    """A two-node Elasticsearch cluster (tests/es_cluster.py) for the session, stopped after."""
    from tests.es_cluster import Cluster

    cluster = Cluster()
    try:
        started = time.monotonic()
        cluster.start()
        print(f"\ntwo-node cluster green in {time.monotonic() - started:.1f} s")
        yield cluster
    finally:
        cluster.close()


def make_test_backend(kind: str, tmp_path: Path, url: str = ""):  # type: ignore[no-untyped-def]
    """A real backend of the given kind with an isolated, uniquely named index."""
    from wijzer.search.factory import make_backend

    if kind == "embedded":
        return make_backend("embedded", index_dir=tmp_path / "index")
    return make_backend(
        "elasticsearch",
        index_dir=tmp_path / "index",
        elasticsearch_url=url or service_url("WIJZER_ELASTICSEARCH_URL"),
        index_name=f"wijzer-test-{uuid.uuid4().hex[:10]}",
    )


@pytest.fixture(params=["embedded", "elasticsearch"])
def backend_kind(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def backend(backend_kind: str, tmp_path: Path, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    if backend_kind == "elasticsearch-cluster":
        cluster = request.getfixturevalue("es_cluster")
        backend = make_test_backend("elasticsearch", tmp_path, cluster.url)
    else:
        backend = make_test_backend(backend_kind, tmp_path)
    yield backend
    drop = getattr(backend, "drop_all", None)
    if drop:
        drop()
    backend.close()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Debian's headless Chromium, one for the whole session (Playwright allows one sync loop)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
