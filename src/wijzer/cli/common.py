"""Shared CLI plumbing: the lazily built services, output formats and error exits."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from wijzer.alerts.subscriptions import SubscriptionError
from wijzer.app.crawls import NoSources
from wijzer.app.job_registry import UnknownJob
from wijzer.app.services import Services
from wijzer.app.settings import ConfigError, Settings
from wijzer.catalog.schema_revision import CatalogNotReady
from wijzer.matcher.encoders import EncoderUnavailable
from wijzer.matcher.profile import ProfileError
from wijzer.search.backend import BackendUnavailable, IndexMissing
from wijzer.search.query import QueryError

F = TypeVar("F", bound=Callable[..., Any])

# Exit codes: 1 = a service or resource failed, 2 = the input was wrong.
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2


class AppContext:
    def __init__(self, data_dir: Path | None):
        self._data_dir = data_dir
        self._services: Services | None = None

    @property
    def services(self) -> Services:
        if self._services is None:
            try:
                settings = Settings.from_env().with_data_dir(self._data_dir)
            except ConfigError as exc:
                fail(str(exc), EXIT_BAD_INPUT)
            self._services = Services(settings)
        return self._services

    def close(self) -> None:
        if self._services is not None:
            self._services.close()


def warn(message: str) -> None:
    click.echo(f"Warning: {message}", err=True)


class RootGroup(click.Group):
    """The `wijzer` group: a catalog that is not ready ends any command with one line."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CatalogNotReady as exc:
            fail(str(exc), EXIT_FAILURE)


def fail(message: str, code: int = EXIT_FAILURE) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


def handle_errors(func: F) -> F:
    """Turn known failures into one clear line on stderr and the matching exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except QueryError as exc:
            fail(f"invalid {exc.parameter}: {exc.reason}", EXIT_BAD_INPUT)
        except ProfileError as exc:
            fail(f"invalid profile: {exc}", EXIT_BAD_INPUT)
        except SubscriptionError as exc:
            fail(f"invalid {exc.field}: {exc.reason}", EXIT_BAD_INPUT)
        except (ConfigError, NoSources, UnknownJob) as exc:
            fail(str(exc), EXIT_BAD_INPUT)
        except (BackendUnavailable, IndexMissing, EncoderUnavailable) as exc:
            fail(str(exc), EXIT_FAILURE)

    return wrapper  # type: ignore[return-value]


def format_option(func: F) -> F:
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="json is stable for scripts; text is for people.",
    )(func)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


pass_app = click.make_pass_decorator(AppContext)
