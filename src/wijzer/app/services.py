"""The composition root: the one place that builds catalog, backend, encoder, mail and secret.

Everything below the application layer gets what it needs passed in from here; nothing there
reads the environment or the settings.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wijzer.alerts.mail_settings import MailSettings
from wijzer.app.settings import Settings
from wijzer.catalog.db import Catalog
from wijzer.search.backend import SearchBackend
from wijzer.search.factory import make_backend

if TYPE_CHECKING:
    from wijzer.matcher.encoders import Encoder
    from wijzer.matcher.ranking import Matcher


@dataclass
class Services:
    """Lazily opened handles shared by the CLI, the web app, the jobs and the alerts."""

    settings: Settings
    #: Wraps the loaded encoder once (the web app adds its cache and request batching).
    wrap_encoder: Callable[[Encoder], Encoder] | None = None

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
        """The configured encoder; raises EncoderUnavailable when it cannot be loaded."""
        from wijzer.matcher.encoders import load_encoder

        encoder = load_encoder(self.settings.encoder, cache_dir=self.settings.data_dir / "cache")
        return self.wrap_encoder(encoder) if self.wrap_encoder else encoder

    def optional_encoder(self, warn: Callable[[str], None] | None = None) -> Encoder | None:
        """The encoder, or None (indexing without vectors) when it cannot be loaded here."""
        from wijzer.matcher.encoders import EncoderUnavailable

        try:
            return self.encoder
        except EncoderUnavailable as exc:
            if warn:
                warn(f"{exc}; indexing without vectors")
            return None

    def matcher(self, today: dt.date | None = None) -> Matcher:
        """The matcher over the live index and the configured encoder."""
        from wijzer.matcher.ranking import Matcher

        return Matcher(self.backend, self.encoder, today)

    @functools.cached_property
    def secret_key(self) -> str:
        """Signs sessions and email links: WIJZER_SECRET_KEY, else a random key kept in the
        data dir (so the site and the workers of one machine agree without configuration)."""
        if self.settings.secret_key:
            return self.settings.secret_key
        path = self.settings.data_dir / "secret_key"
        if path.exists():
            return path.read_text().strip()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"secret_key.{secrets.token_hex(4)}.tmp")
        tmp.write_text(secrets.token_hex(32))
        tmp.chmod(0o600)
        # Another process may have created it meanwhile; the first one wins.
        with contextlib.suppress(FileExistsError):
            path.hardlink_to(tmp)
        tmp.unlink(missing_ok=True)
        return path.read_text().strip()

    @functools.cached_property
    def mail(self) -> MailSettings:
        settings = self.settings
        return MailSettings(
            secret=self.secret_key,
            host=settings.smtp_host,
            port=settings.smtp_port,
            user=settings.smtp_user,
            password=settings.smtp_password,
            tls=settings.smtp_tls,
            sender=settings.mail_from,
            base_url=settings.base_url,
            lease_seconds=settings.alerts_lease_seconds,
        )

    def close(self) -> None:
        if "backend" in self.__dict__:
            self.backend.close()
        if "catalog" in self.__dict__:
            self.catalog.dispose()
