"""The application's services wired from settings: catalog, search backend and encoder."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from wijzer.app.settings import Settings
from wijzer.catalog.db import Catalog
from wijzer.search.backend import SearchBackend
from wijzer.search.factory import make_backend

if TYPE_CHECKING:
    from wijzer.matcher.encoders import Encoder


@dataclass
class Services:
    """Lazily opened handles shared by the CLI, the web app and the jobs."""

    settings: Settings
    _cache: dict[str, object] = field(default_factory=dict)

    @functools.cached_property
    def catalog(self) -> Catalog:
        if self.settings.database_url is None:
            self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        return Catalog(self.settings.catalog_url)

    @functools.cached_property
    def backend(self) -> SearchBackend:
        return make_backend(
            self.settings.search_backend,
            index_dir=self.settings.index_dir,
            elasticsearch_url=self.settings.elasticsearch_url,
            index_name=self.settings.elasticsearch_index,
        )

    @functools.cached_property
    def encoder(self) -> Encoder:
        from wijzer.matcher.encoders import load_encoder

        return load_encoder(self.settings.encoder, cache_dir=self.settings.data_dir / "cache")

    def optional_encoder(self, warn: Callable[[str], None] | None = None) -> Encoder | None:
        """The encoder, or None (indexing without vectors) when it cannot be loaded here."""
        from wijzer.matcher.encoders import EncoderUnavailable

        try:
            return self.encoder
        except EncoderUnavailable as exc:
            if warn:
                warn(f"{exc}; indexing without vectors")
            return None

    def close(self) -> None:
        if "backend" in self.__dict__:
            self.backend.close()
        if "catalog" in self.__dict__:
            self.catalog.dispose()
