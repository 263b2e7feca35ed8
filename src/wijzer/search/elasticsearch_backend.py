"""The Elasticsearch backend: timestamped indexes behind an alias, pre-analysed text."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import functools
import json
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from importlib.resources import files
from typing import Any, TypeVar

import numpy as np
from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout, TransportError
from elasticsearch import ApiError, BadRequestError, Elasticsearch, NotFoundError, helpers

from wijzer.search.backend import (
    BackendUnavailable,
    IndexInfo,
    IndexMissing,
    Progress,
    SearchBackend,
)
from wijzer.search.documents import IndexDocument
from wijzer.search.es_queries import (
    VECTOR_FIELDS,
    filter_clauses,
    hit_score,
    read_facets,
    search_body,
    text_query,
)
from wijzer.search.es_queries import to_source as document_source
from wijzer.search.hybrid import Fusion, compose
from wijzer.search.query import Filters, SearchHit, SearchQuery, SearchResult

# Package data, so an installed wheel reads the same mappings as a checkout.
CONFIG_PATH = files("wijzer.search") / "index_config" / "instruments.json"
# Short timeouts: a search page must fail fast and clearly rather than hang the site.
REQUEST_TIMEOUT = 10
BULK_CHUNK = 500
# Bulk requests in flight at once during a rebuild: a shard indexes one bulk on one write
# thread, so a single stream leaves a core idle while Python analyses the next chunk
# (10k 512-d documents, load 10 on 2 cores: 71 against 42 docs/s in one run).
BULK_THREADS = 2
# One bulk of 512-d vectors can take seconds on a loaded node: a rebuild waits, a search not.
BULK_TIMEOUT = 120
# While loading: no refreshes and no replica to copy every document to; `serving_settings`
# restores the configured values before the alias swap.
LOADING_SETTINGS: dict[str, Any] = {
    "refresh_interval": "-1",
    "number_of_replicas": 0,
    "auto_expand_replicas": "false",
}
T = TypeVar("T")


@functools.lru_cache(maxsize=1)
def load_config() -> dict[str, Any]:
    """The versioned mappings and settings shared with production (index_config/)."""
    return json.loads(CONFIG_PATH.read_text(encoding="utf-8"))


def index_body(dimensions: int | None, encoder: str | None) -> dict[str, Any]:
    """Settings and mappings for a new index, with the vector field sized for the encoder."""
    config = copy.deepcopy(load_config())
    mappings = config["mappings"]
    mappings["_meta"] = {
        "mapping_version": config["_meta"]["version"],
        "encoder": encoder or None,
        "dimensions": dimensions or None,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    if dimensions:
        # Plain hnsw (not the int8 default for large dims) so scores equal exact cosine.
        mappings["properties"]["vector"] = {
            "type": "dense_vector",
            "dims": dimensions,
            "index": True,
            "similarity": "cosine",
            "index_options": {"type": "hnsw"},
        }
    settings = config["settings"]
    settings["index"].update(LOADING_SETTINGS)
    return {"settings": settings, "mappings": mappings}


def serving_settings() -> dict[str, Any]:
    """The configured index settings that LOADING_SETTINGS overrode (None = the default)."""
    configured = load_config()["settings"]["index"]
    restored = {key: configured.get(key) for key in LOADING_SETTINGS}
    if configured.get("auto_expand_replicas"):
        # Auto-expansion sets the replica count itself as nodes come and go.
        del restored["number_of_replicas"]
    return restored


def _serializer() -> dict[str, Any]:
    """orjson when installed: JSON (de)serialisation is most of our per-query overhead."""
    try:
        from elasticsearch.serializer import OrjsonSerializer
    except ImportError:
        return {}
    return {"serializer": OrjsonSerializer()}


def _is_index_missing(exc: ApiError) -> bool:
    return exc.status_code == 404 and "index_not_found" in str(exc.body)


class ElasticsearchBackend(SearchBackend):
    """`index_name` is an alias; each rebuild makes `<alias>-<UTC timestamp>` and swaps it in."""

    name = "elasticsearch"

    def __init__(self, url: str, index_name: str):
        if not url:
            raise BackendUnavailable("WIJZER_ELASTICSEARCH_URL is empty; set it to the node's URL")
        self.url = url
        self.alias = index_name
        # Several nodes of one cluster, comma-separated: the client spreads requests over
        # them and retries on another when one is down (tests/search/test_cluster.py).
        self.client = Elasticsearch(
            [node.strip() for node in url.split(",") if node.strip()],
            request_timeout=REQUEST_TIMEOUT,
            max_retries=1,
            retry_on_timeout=True,
            **_serializer(),
        )
        self._metas: dict[str, dict[str, Any]] = {}
        self._generation = re.compile(rf"^{re.escape(index_name)}-\d{{20}}$")

    # -- plumbing --------------------------------------------------------------------

    def _call(self, action: Callable[[], T]) -> T:
        """Run one client call, turning transport failures into BackendUnavailable."""
        with self._translated():
            return action()

    @contextlib.contextmanager
    def _translated(self) -> Iterator[None]:
        """Client failures as the interface's errors, each naming the node's URL."""
        try:
            yield
        except (TransportConnectionError, ConnectionTimeout) as exc:
            raise BackendUnavailable(
                f"Elasticsearch at {self.url} is unreachable: {exc.message}"
            ) from exc
        except ApiError as exc:
            if _is_index_missing(exc):
                raise IndexMissing(
                    f"no search index {self.alias!r} in Elasticsearch at {self.url};"
                    " run `wijzer index rebuild`"
                ) from exc
            if exc.status_code in (429, 502, 503, 504):
                raise BackendUnavailable(
                    f"Elasticsearch at {self.url} cannot serve requests now: {exc}"
                ) from exc
            raise
        except TransportError as exc:
            raise BackendUnavailable(f"Elasticsearch at {self.url} failed: {exc}") from exc

    def _generations(self) -> list[str]:
        """Every index built for this alias (live, old or half-built), oldest first."""
        found = self._call(
            lambda: self.client.indices.get(
                index=f"{self.alias}-*",
                expand_wildcards="open,closed",
                allow_no_indices=True,
                filter_path="*.settings.index.provided_name",
            )
        )
        return sorted(name for name in found.body or {} if self._generation.match(name))

    def _live_index(self) -> str:
        try:
            found = self._call(lambda: self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            raise IndexMissing(
                f"no search index {self.alias!r} in Elasticsearch at {self.url};"
                " run `wijzer index rebuild`"
            ) from None
        return sorted(found.body)[-1]

    # -- writing ---------------------------------------------------------------------

    def rebuild(
        self,
        documents: Iterable[IndexDocument],
        *,
        encoder: str | None = None,
        dimensions: int | None = None,
        progress: Progress | None = None,
    ) -> int:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S%f")
        new = f"{self.alias}-{stamp}"
        body = index_body(dimensions, encoder)
        self._create(new, body)
        try:
            count = self._load(new, documents, progress)
            self._call(lambda: self.client.indices.refresh(index=new))
            self._call(
                lambda: self.client.indices.put_settings(
                    index=new, settings={"index": serving_settings()}
                )
            )
            self._wait_for_replicas(new)
            self._swap(new)
        except BaseException:
            # Leave the alias where it was; drop only what this rebuild made.
            # The original error matters more than a failed clean-up.
            with contextlib.suppress(Exception):
                self.client.indices.delete(index=new, ignore_unavailable=True)
            raise
        return count

    def _create(self, index: str, body: dict[str, Any]) -> None:
        try:
            self._call(
                lambda: self.client.indices.create(
                    index=index, settings=body["settings"], mappings=body["mappings"]
                )
            )
        except BadRequestError as exc:
            # A create that timed out (a busy cluster allocating the replica) is retried by
            # the client and meets the index its first attempt made: the name is this
            # rebuild's own, so that index is ours.
            if exc.error != "resource_already_exists_exception":
                raise
        # On a busy cluster the create can return before the primary has started; bulk
        # requests would then wait and fail. Milliseconds on an idle node.
        self._call(
            lambda: self.client.options(request_timeout=130).cluster.health(
                index=index, wait_for_status="yellow", timeout="120s"
            )
        )

    def _wait_for_replicas(self, index: str) -> None:
        """Swap only once the restored replicas hold a copy (a file copy, seconds), so one
        node stopping right after a rebuild keeps the index served; a cluster that cannot
        place them (one node without auto-expansion) serves yellow after the wait."""
        with contextlib.suppress(ApiError):  # 408: still yellow when the wait ran out
            self._call(
                lambda: self.client.options(request_timeout=70).cluster.health(
                    index=index, wait_for_status="green", timeout="60s"
                )
            )

    def _actions(self, index: str, documents: Iterable[IndexDocument]) -> Iterator[dict[str, Any]]:
        for document in documents:
            yield {"_index": index, "_id": document.id, "_source": document_source(document)}

    def _load(
        self, index: str, documents: Iterable[IndexDocument], progress: Progress | None
    ) -> int:
        count = 0
        pending = 0
        results = helpers.parallel_bulk(
            self.client.options(request_timeout=BULK_TIMEOUT),
            self._actions(index, documents),
            thread_count=BULK_THREADS,
            queue_size=BULK_THREADS,
            chunk_size=BULK_CHUNK,
            raise_on_error=True,
        )
        with self._translated():
            for ok, _item in results:
                if ok:
                    count += 1
                    pending += 1
                    if progress and pending >= BULK_CHUNK:
                        progress(pending)
                        pending = 0
        if progress and pending:
            progress(pending)
        return count

    def _swap(self, new: str) -> None:
        """Point the alias at the new index in one atomic _aliases call, then drop old ones."""
        try:
            current = list(self._call(lambda: self.client.indices.get_alias(name=self.alias)).body)
        except NotFoundError:
            current = []
        actions: list[dict[str, Any]] = [
            {"remove": {"index": old, "alias": self.alias}} for old in current
        ]
        actions.append({"add": {"index": new, "alias": self.alias}})
        self._call(lambda: self.client.indices.update_aliases(actions=actions))
        # Older generations (and leftovers of crashed rebuilds) are no longer served.
        stale = [name for name in self._generations() if name < new]
        stale.extend(old for old in current if old not in stale and old != new)
        if stale:
            self._call(
                lambda: self.client.indices.delete(index=",".join(stale), ignore_unavailable=True)
            )

    def upsert(self, documents: Sequence[IndexDocument]) -> None:
        if not documents:
            return
        index = self._live_index()
        operations: list[dict[str, Any]] = []
        for document in documents:
            operations.append({"index": {"_index": index, "_id": document.id}})
            operations.append(document_source(document))
        response = self._call(lambda: self.client.bulk(operations=operations, refresh="wait_for"))
        self._check_bulk(response.body)

    def delete(self, ids: Sequence[str]) -> None:
        if not ids:
            return
        index = self._live_index()
        operations = [{"delete": {"_index": index, "_id": i}} for i in ids]
        response = self._call(lambda: self.client.bulk(operations=operations, refresh="wait_for"))
        # Unknown ids come back as 404 "not_found"; that is fine.
        self._check_bulk(response.body, ignore=(404,))

    @staticmethod
    def _check_bulk(body: dict[str, Any], ignore: tuple[int, ...] = ()) -> None:
        if not body.get("errors"):
            return
        for item in body["items"]:
            result = next(iter(item.values()))
            if result.get("error") and result.get("status") not in ignore:
                raise RuntimeError(
                    f"Elasticsearch refused document {result.get('_id')}: {result['error']}"
                )

    # -- reading ---------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResult:
        started = time.perf_counter()
        terms = text_query(query.text)
        if terms is None and query.text.strip():
            # Only stop words: nothing can match, which is a truthful empty result.
            self._live_index()
            return SearchResult(0, [], {f: {} for f in query.facets}, 0.0)
        body = search_body(query, terms)
        response = self._search_retrying(body)
        hits = [
            SearchHit(h["_id"], hit_score(h), h["_source"]["record"])
            for h in response["hits"].get("hits", [])
        ]
        facets = read_facets(response.get("aggregations") or {}, query.facets)
        took = (time.perf_counter() - started) * 1000
        return SearchResult(
            response["hits"]["total"]["value"],
            hits,
            facets,
            took,
            backend_took_ms=float(response["took"]),
        )

    def _search_retrying(self, body: dict[str, Any]) -> dict[str, Any]:
        """One retry when a rebuild deleted the old index between alias lookup and search."""
        for attempt in (1, 2):
            try:
                return self._call(lambda: self.client.search(index=self.alias, **body)).body
            except IndexMissing:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def vector_search(
        self, vector: np.ndarray, k: int, filters: Filters, today: dt.date
    ) -> list[SearchHit]:
        dimensions = self._meta(self._live_index()).get("dimensions")
        if not dimensions or k <= 0:
            return []
        query = np.asarray(vector, dtype=np.float32).reshape(-1)
        if query.shape[0] != dimensions:
            raise ValueError(
                f"query vector has {query.shape[0]} dimensions, the index {dimensions};"
                " rebuild the index with the current encoder"
            )
        knn: dict[str, Any] = {
            "field": "vector",
            "query_vector": query.tolist(),
            "k": k,
            "num_candidates": min(10_000, max(100, 2 * k)),
        }
        clauses = filter_clauses(filters, today)
        if clauses:
            knn["filter"] = clauses
        try:
            response = self._call(
                lambda: self.client.search(
                    index=self.alias, knn=knn, size=k, filter_path=VECTOR_FIELDS
                )
            )
        except BadRequestError as exc:
            raise ValueError(f"Elasticsearch refused the vector query: {exc}") from exc
        # ES reports (1 + cos) / 2 for cosine; the interface promises cos itself, as embedded.
        return [
            SearchHit(h["_id"], 2.0 * float(h["_score"]) - 1.0, h["_source"]["record"])
            for h in response.body.get("hits", {}).get("hits", [])
        ]

    def hybrid_search(self, query: SearchQuery, vector: np.ndarray, fusion: Fusion) -> SearchResult:
        # The fused order (status tiers, the matcher's weighted RRF, lexical order past the
        # pool) is ours, not Elasticsearch's: composed of this backend's own calls.
        return compose(self, query, vector, fusion)

    def get(self, instrument_id: str) -> dict[str, Any] | None:
        try:
            found = self._call(lambda: self.client.get(index=self.alias, id=instrument_id))
        except NotFoundError:
            return None
        return found.body["_source"]["record"]

    def _meta(self, index: str) -> dict[str, Any]:
        """The `_meta` an index was built with; fixed per index, so cached by its name."""
        meta = self._metas.get(index)
        if meta is None:
            mapping = self._call(lambda: self.client.indices.get_mapping(index=index)).body
            meta = self._metas[index] = mapping[index]["mappings"].get("_meta") or {}
        return meta

    def info(self) -> IndexInfo:
        index = self._live_index()
        meta = self._meta(index)
        count = self._call(lambda: self.client.count(index=index)).body["count"]
        return IndexInfo(
            backend=self.name,
            name=index,
            count=count,
            encoder=meta.get("encoder") or None,
            dimensions=meta.get("dimensions") or None,
            built_at=meta.get("built_at"),
        )

    def versions(self) -> dict[str, int | None]:
        index = self._live_index()
        hits = helpers.scan(
            self.client,
            index=index,
            query={"query": {"match_all": {}}},
            _source=["record.version"],
            size=2000,
        )
        with self._translated():
            return {h["_id"]: h["_source"]["record"].get("version") for h in hits}

    def mapping_version(self) -> int | None:
        """The index_config version the live index was built from."""
        return self._meta(self._live_index()).get("mapping_version")

    def drop_all(self) -> None:
        """Delete the alias and every index built for it (test clean-up, decommissioning)."""
        names = self._generations()
        if names:
            self._call(
                lambda: self.client.indices.delete(index=",".join(names), ignore_unavailable=True)
            )

    def close(self) -> None:
        self.client.close()
