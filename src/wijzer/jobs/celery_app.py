"""The Celery application on Redis; settings from WIJZER_* variables."""

from __future__ import annotations

import os

from celery import Celery

from wijzer.jobs.schedule import BEAT_SCHEDULE


def make_app(env: dict[str, str] | None = None) -> Celery:
    env = dict(os.environ if env is None else env)
    broker = env.get("WIJZER_REDIS_URL", "redis://127.0.0.1:6379/0")
    celery = Celery("wijzer", broker=broker, include=["wijzer.jobs.tasks"])
    celery.conf.update(
        # No result backend: tasks hand on work by chaining, never by waiting on results.
        task_ignore_result=True,
        task_default_queue=env.get("WIJZER_CELERY_QUEUE", "wijzer"),
        # One task at a time per worker process, so a crash loses at most the running one.
        worker_prefetch_multiplier=1,
        task_serializer="json",
        accept_content=["json"],
        timezone="UTC",
        enable_utc=True,
        beat_schedule=BEAT_SCHEDULE,
        broker_connection_retry_on_startup=True,
        # An unacknowledged (acks_late) task comes back after this many seconds if its worker
        # died; longer than any task runs. Tests shorten it to see redelivery quickly.
        broker_transport_options=_transport_options(env),
        worker_hijack_root_logger=False,
    )
    return celery


def _transport_options(env: dict[str, str]) -> dict[str, int]:
    visibility = int(env.get("WIJZER_CELERY_VISIBILITY_TIMEOUT", "3600"))
    options = {"visibility_timeout": visibility}
    if visibility < 60:
        # A short timeout is only useful if abandoned messages are looked for as often.
        options.update(unacked_restore_interval=1, unacked_restore_throttle=1)
    return options


app = make_app()
