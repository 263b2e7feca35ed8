"""The Celery application on Redis, configured from the application's settings."""

from __future__ import annotations

from celery import Celery

from wijzer.app.settings import Settings
from wijzer.jobs.schedule import beat_schedule


def make_app(settings: Settings | None = None) -> Celery:
    settings = settings or Settings.from_env()
    celery = Celery("wijzer", broker=settings.redis_url, include=["wijzer.jobs.tasks"])
    celery.conf.update(
        # No result backend: tasks hand on work by chaining, never by waiting on results.
        task_ignore_result=True,
        task_default_queue=settings.celery_queue,
        # One task at a time per worker process, so a crash loses at most the running one.
        worker_prefetch_multiplier=1,
        task_serializer="json",
        accept_content=["json"],
        timezone="UTC",
        enable_utc=True,
        beat_schedule=beat_schedule(),
        broker_connection_retry_on_startup=True,
        # Queuing from the command line must fail fast (and say so) when Redis is down.
        broker_connection_timeout=5,
        # An unacknowledged (acks_late) task comes back after this many seconds if its worker
        # died; longer than any task runs. Tests shorten it to see redelivery quickly.
        broker_transport_options=_transport_options(settings.celery_visibility_timeout),
        worker_hijack_root_logger=False,
    )
    return celery


def _transport_options(visibility: int) -> dict[str, int]:
    options = {"visibility_timeout": visibility}
    if visibility < 60:
        # A short timeout is only useful if abandoned messages are looked for as often.
        options.update(unacked_restore_interval=1, unacked_restore_throttle=1)
    return options


app = make_app()
