"""Elasticsearch-specific behaviour: alias swaps, the versioned mapping, an unreachable node."""

from __future__ import annotations

import json
import re
import socket
import threading
import uuid
from pathlib import Path

import pytest

from tests.conftest import SEED, SEED_INSTRUMENTS
from tests.search.test_backend_contract import TODAY, seed_documents
from wijzer.cli import main
from wijzer.search.backend import IndexMissing
from wijzer.search.elasticsearch_backend import CONFIG_PATH, ElasticsearchBackend
from wijzer.search.query import build_query


def generations(backend: ElasticsearchBackend) -> list[str]:
    found = backend.client.indices.get(index=f"{backend.alias}-*", allow_no_indices=True)
    return sorted(found.body)


def alias_targets(backend: ElasticsearchBackend) -> list[str]:
    return sorted(backend.client.indices.get_alias(name=backend.alias).body)


def test_rebuild_swaps_the_alias_to_a_new_timestamped_index(es_backend) -> None:
    es_backend.rebuild(seed_documents())
    first = alias_targets(es_backend)
    assert len(first) == 1 and re.fullmatch(rf"{es_backend.alias}-\d{{20}}", first[0])

    errors: list[BaseException] = []
    totals: list[int] = []
    stop = threading.Event()

    def keep_searching() -> None:
        while not stop.is_set():
            try:
                totals.append(es_backend.search(build_query("subsidie", today=TODAY)).total)
            except BaseException as exc:  # any failure is what we look for
                errors.append(exc)

    searcher = threading.Thread(target=keep_searching)
    searcher.start()
    try:
        es_backend.rebuild(seed_documents()[:40])
        es_backend.rebuild(seed_documents())
    finally:
        stop.set()
        searcher.join()
    assert errors == []
    # Searches never saw a half-built or missing index: every answer had hits.
    assert totals and all(t > 0 for t in totals)

    live = alias_targets(es_backend)
    assert len(live) == 1 and live[0] > first[0]
    assert generations(es_backend) == live  # older generations are deleted
    assert es_backend.info().name == live[0]
    assert es_backend.info().count == 102


def test_failed_rebuild_deletes_the_half_built_index(es_backend) -> None:
    es_backend.rebuild(seed_documents())
    live = alias_targets(es_backend)

    def broken():  # type: ignore[no-untyped-def]
        yield from seed_documents()[:30]
        raise RuntimeError("catalog went away")

    with pytest.raises(RuntimeError, match="catalog went away"):
        es_backend.rebuild(broken())
    assert alias_targets(es_backend) == live
    assert generations(es_backend) == live
    assert es_backend.search(build_query("", today=TODAY)).total == 102


def test_index_records_mapping_version_and_encoder(es_backend) -> None:
    config = json.loads(CONFIG_PATH.read_text())
    docs = seed_documents(with_vectors=True)
    es_backend.rebuild(docs, encoder="test-random", dimensions=8)
    assert es_backend.mapping_version() == config["_meta"]["version"]
    info = es_backend.info()
    assert (info.encoder, info.dimensions, info.count) == ("test-random", 8, 102)
    assert info.built_at and info.built_at.startswith("20")
    mapping = es_backend.client.indices.get_mapping(index=info.name).body[info.name]["mappings"]
    assert mapping["properties"]["vector"]["dims"] == 8
    assert mapping["properties"]["title_terms"]["analyzer"] == "whitespace"


def test_drop_all_removes_alias_and_indexes(es_backend) -> None:
    es_backend.rebuild(seed_documents()[:5])
    es_backend.drop_all()
    assert generations(es_backend) == []
    with pytest.raises(IndexMissing):
        es_backend.info()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_elasticsearch_fails_clearly_and_the_next_rebuild_recovers(
    runner, data_dir: Path, elasticsearch_url: str
) -> None:
    base = ["--data-dir", str(data_dir)]
    assert runner.invoke(main, [*base, "import", str(SEED), "--no-index"]).exit_code == 0
    before = runner.invoke(main, [*base, "export"])
    assert before.exit_code == 0 and before.output.count("\n") >= SEED_INSTRUMENTS

    dead = f"http://127.0.0.1:{closed_port()}"
    alias = f"wijzer-test-{uuid.uuid4().hex[:10]}"
    env = {
        "WIJZER_SEARCH_BACKEND": "elasticsearch",
        "WIJZER_ELASTICSEARCH_URL": dead,
        "WIJZER_ELASTICSEARCH_INDEX": alias,
    }
    searched = runner.invoke(main, [*base, "search", "subsidie", "--format", "json"], env=env)
    assert searched.exit_code == 1
    assert dead in searched.output and "unreachable" in searched.output
    rebuilt = runner.invoke(main, [*base, "index", "rebuild", "--no-vectors"], env=env)
    assert rebuilt.exit_code == 1
    assert dead in rebuilt.output

    after = runner.invoke(main, [*base, "export"])
    assert after.output == before.output

    live = {**env, "WIJZER_ELASTICSEARCH_URL": elasticsearch_url}
    backend = ElasticsearchBackend(elasticsearch_url, alias)
    try:
        recovered = runner.invoke(main, [*base, "index", "rebuild", "--no-vectors"], env=live)
        assert recovered.exit_code == 0, recovered.output
        assert f"Indexed {SEED_INSTRUMENTS}" in recovered.output
        found = runner.invoke(main, [*base, "search", "leningen", "--format", "json"], env=live)
        assert found.exit_code == 0 and json.loads(found.output)["total"] >= 3
    finally:
        backend.drop_all()
        backend.close()
