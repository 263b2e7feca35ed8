"""docker-compose.yml describes a working deployment: all services, and commands that exist."""

from __future__ import annotations

import importlib
from pathlib import Path

import click
import pytest
import yaml

from tests.conftest import REPO
from wijzer.cli import main

COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def test_every_part_of_the_product_is_a_service() -> None:
    assert {"elasticsearch", "redis", "postgres", "web", "worker", "beat", "mail"} <= set(SERVICES)


def test_app_services_use_postgres_elasticsearch_and_redis() -> None:
    env = SERVICES["web"]["environment"]
    assert env["WIJZER_SEARCH_BACKEND"] == "elasticsearch"
    assert env["WIJZER_DATABASE_URL"].startswith("postgresql://")
    assert env["WIJZER_ELASTICSEARCH_URL"] == "http://elasticsearch:9200"
    assert env["WIJZER_REDIS_URL"].startswith("redis://redis:")
    assert env["WIJZER_SMTP_HOST"] == "mail"
    for name in ("web", "worker", "beat"):
        assert set(SERVICES[name]["depends_on"]) >= {"postgres", "elasticsearch", "redis"}


def test_the_schema_is_upgraded_before_anything_opens_the_catalog() -> None:
    assert SERVICES["migrate"]["command"] == ["wijzer", "db", "upgrade"]
    assert "migrate" not in SERVICES["migrate"]["depends_on"]
    for name in ("web", "worker", "beat"):
        condition = SERVICES[name]["depends_on"]["migrate"]["condition"]
        assert condition == "service_completed_successfully", name


def _resolve_wijzer(args: list[str]) -> click.Command:
    command: click.Command = main
    for word in args:
        if word.startswith("-"):
            break
        assert isinstance(command, click.Group), f"{command.name} has no subcommand {word}"
        sub = command.get_command(click.Context(command), word)
        assert sub is not None, f"`wijzer {' '.join(args)}`: no command {word!r}"
        command = sub
    return command


def test_every_service_command_exists_in_the_project() -> None:
    for name, service in SERVICES.items():
        command = service.get("command")
        if not command:
            continue
        if command[0] == "wijzer":
            resolved = _resolve_wijzer(command[1:])
            options = {o for p in resolved.params for o in getattr(p, "opts", [])}
            for word in command[1:]:
                if word.startswith("--"):
                    assert word.split("=")[0] in options, f"{name}: unknown option {word}"
        elif command[0] == "celery":
            module_name = command[command.index("-A") + 1]
            module = importlib.import_module(module_name)
            assert hasattr(module, "app"), f"{name}: {module_name} has no Celery app"
        else:
            raise AssertionError(f"{name}: unexpected command {command[0]}")


def test_the_image_is_built_from_the_repo() -> None:
    dockerfile = (REPO / "Dockerfile").read_text()
    for line in dockerfile.splitlines():
        if line.startswith("COPY "):
            source = line.split()[1]
            assert (REPO / source).exists(), f"Dockerfile copies missing {source}"
    assert Path(REPO / "src/wijzer/search/index_config").is_dir()


def test_the_deployment_sends_cookies_over_https_only_and_shares_rate_limits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wijzer.app.settings import Settings
    from wijzer.web import create_app, security

    env = SERVICES["web"]["environment"]
    for name in ("WIJZER_SESSION_COOKIE_SECURE", "WIJZER_RATE_LIMIT_STORAGE", "WIJZER_REDIS_URL"):
        monkeypatch.setenv(name, env[name])
    monkeypatch.setenv("WIJZER_DATA_DIR", str(tmp_path))
    settings = Settings.from_env()
    assert security.storage_uri(settings) == "redis://redis:6379/0"
    app = create_app({"SETTINGS": settings})
    response = app.test_client().get("/admin/login")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=") and "Secure" in cookie and "HttpOnly" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
