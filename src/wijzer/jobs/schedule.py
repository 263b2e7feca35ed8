"""The beat schedule, built from the application's one job registry (wijzer.app.job_registry)."""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab

from wijzer.app.job_registry import JOBS, Schedule

# Beat sends every job as this task with the job's name; the worker chains the job's steps.
RUN_JOB = "wijzer.jobs.tasks.run_job"


def celery_schedule(schedule: Schedule) -> crontab | float:
    if schedule.cron:
        minute, hour, day_of_month, month, day_of_week = schedule.cron.split()
        return crontab(
            minute=minute,
            hour=hour,
            day_of_month=day_of_month,
            month_of_year=month,
            day_of_week=day_of_week,
        )
    assert schedule.every_seconds is not None
    return float(schedule.every_seconds)


def beat_schedule() -> dict[str, dict[str, Any]]:
    """Celery's beat_schedule: one entry per job, sent as RUN_JOB(name)."""
    return {
        job.name: {"task": RUN_JOB, "schedule": celery_schedule(job.schedule), "args": (job.name,)}
        for job in JOBS
    }


def entries() -> list[dict[str, Any]]:
    """The beat entries as `wijzer jobs list` shows them (stable JSON)."""
    return [
        {
            "name": job.name,
            "schedule": str(job.schedule),
            "task": RUN_JOB,
            "args": [job.name],
            "steps": [step.as_dict() for step in job.steps],
            "description": job.description,
        }
        for job in JOBS
    ]
