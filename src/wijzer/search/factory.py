"""Choose and construct the configured search backend."""

from __future__ import annotations

from pathlib import Path

from wijzer.search.backend import SearchBackend


def make_backend(
    kind: str, *, index_dir: Path, elasticsearch_url: str = "", index_name: str = ""
) -> SearchBackend:
    if kind == "embedded":
        from wijzer.search.embedded import EmbeddedBackend

        return EmbeddedBackend(index_dir)
    if kind == "elasticsearch":
        from wijzer.search.elasticsearch_backend import ElasticsearchBackend

        return ElasticsearchBackend(elasticsearch_url, index_name)
    raise ValueError(f"unknown search backend {kind!r}; use embedded or elasticsearch")
