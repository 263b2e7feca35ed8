"""Queue a job by name for the workers, exactly as beat sends it, or say clearly why not."""

from __future__ import annotations

from celery import Celery
from kombu.exceptions import OperationalError

from wijzer.app import job_registry
from wijzer.jobs.schedule import RUN_JOB


class QueueUnavailable(RuntimeError):
    """The broker (Redis) cannot be reached; nothing was queued."""


def queue_job(name: str, celery: Celery | None = None) -> str:
    """Send RUN_JOB(name) to the broker; returns the task id. UnknownJob for a bad name."""
    job_registry.get(name)
    if celery is None:
        from wijzer.jobs.celery_app import app

        celery = app
    try:
        with celery.connection_for_write() as connection:
            # One attempt, no retries: a person or a script is waiting for the answer.
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0)
            result = celery.send_task(RUN_JOB, args=(name,), connection=connection, retry=False)
    except (OperationalError, OSError) as exc:
        url = celery.conf.broker_url
        raise QueueUnavailable(
            f"could not queue job {name!r}: the broker at {url} cannot be reached ({exc});"
            f" nothing was queued. Try again when it is back, or run the job here with"
            f" `wijzer jobs run {name}`."
        ) from None
    return str(result.id)
