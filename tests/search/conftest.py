"""Fixtures for the search tests: an Elasticsearch backend on its own alias, removed afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from wijzer.search.elasticsearch_backend import ElasticsearchBackend


@pytest.fixture
def es_backend(elasticsearch_url: str) -> Iterator[ElasticsearchBackend]:
    backend = ElasticsearchBackend(elasticsearch_url, f"wijzer-test-{uuid.uuid4().hex[:10]}")
    yield backend
    backend.drop_all()
    backend.close()
