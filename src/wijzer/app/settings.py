"""Settings from the environment (WIJZER_*) with sensible single-machine defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

BACKENDS = ("embedded", "elasticsearch")


class ConfigError(ValueError):
    """A setting that cannot work; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=lambda: Path("data"))
    database_url: str | None = None
    search_backend: str = "embedded"
    elasticsearch_url: str = "http://127.0.0.1:9200"
    elasticsearch_index: str = "wijzer-instruments"
    encoder: str = "usem3"
    redis_url: str = "redis://127.0.0.1:6379/0"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_tls: bool = False
    mail_from: str = "Wijzer <alerts@wijzer.localhost>"
    base_url: str = "http://127.0.0.1:5000"
    secret_key: str | None = None

    @property
    def catalog_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir.resolve() / 'catalog.sqlite'}"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    def with_data_dir(self, data_dir: Path | str | None) -> Settings:
        return self if data_dir is None else replace(self, data_dir=Path(data_dir))

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        backend = env.get("WIJZER_SEARCH_BACKEND", "embedded").strip() or "embedded"
        if backend not in BACKENDS:
            raise ConfigError(
                f"WIJZER_SEARCH_BACKEND={backend!r} is not a backend;"
                f" use one of {', '.join(BACKENDS)}"
            )
        port = env.get("WIJZER_SMTP_PORT", "8025")
        if not port.isdigit():
            raise ConfigError(f"WIJZER_SMTP_PORT={port!r} is not a port number")
        return cls(
            data_dir=Path(env.get("WIJZER_DATA_DIR") or "data"),
            database_url=env.get("WIJZER_DATABASE_URL") or None,
            search_backend=backend,
            elasticsearch_url=env.get("WIJZER_ELASTICSEARCH_URL", cls.elasticsearch_url),
            elasticsearch_index=env.get("WIJZER_ELASTICSEARCH_INDEX", cls.elasticsearch_index),
            encoder=env.get("WIJZER_ENCODER", cls.encoder),
            redis_url=env.get("WIJZER_REDIS_URL", cls.redis_url),
            smtp_host=env.get("WIJZER_SMTP_HOST", cls.smtp_host),
            smtp_port=int(port),
            smtp_user=env.get("WIJZER_SMTP_USER") or None,
            smtp_password=env.get("WIJZER_SMTP_PASSWORD") or None,
            smtp_tls=env.get("WIJZER_SMTP_TLS", "").lower() in ("1", "true", "yes"),
            mail_from=env.get("WIJZER_MAIL_FROM", cls.mail_from),
            base_url=env.get("WIJZER_BASE_URL", cls.base_url).rstrip("/"),
            secret_key=env.get("WIJZER_SECRET_KEY") or None,
        )
