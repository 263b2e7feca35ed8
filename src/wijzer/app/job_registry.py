"""Scheduled jobs by name: one registry (name, schedule, steps) for beat and `wijzer jobs`.

Celery beat's schedule is built from JOBS (wijzer.jobs.schedule), and its worker chains a
job's steps as tasks; `wijzer jobs run NAME` runs the same steps here, in order. A step is a
use case of this layer, so a scheduled job and a command run exactly the same code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from wijzer.app import alert_runs, crawls
from wijzer.app.indexing import rebuild_index
from wijzer.app.services import Services
from wijzer.crawler.sources import SOURCES

STEP_KINDS = ("crawl", "index", "detect", "alerts")


@dataclass(frozen=True)
class Step:
    """One use case in a job: crawl (all enabled sources, or the named ones; in full or
    only what changed), index, detect or alerts."""

    kind: str
    frequency: str | None = None  # alerts: immediate | daily | weekly
    sources: tuple[str, ...] = ()  # crawl: these sources instead of all enabled ones
    incremental: bool = False  # crawl: only what changed, indexed at once

    def __post_init__(self) -> None:
        if self.kind not in STEP_KINDS:
            raise ValueError(f"unknown step {self.kind!r}")

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        if self.frequency:
            out["frequency"] = self.frequency
        if self.sources:
            out["sources"] = list(self.sources)
        if self.incremental:
            out["incremental"] = True
        return out


@dataclass(frozen=True)
class Schedule:
    """When beat sends a job: a crontab (minute hour day-of-month month day-of-week, UTC)
    or a fixed interval in seconds."""

    cron: str | None = None
    every_seconds: float | None = None

    def __str__(self) -> str:
        return self.cron if self.cron else f"every {self.every_seconds:g}s"


@dataclass(frozen=True)
class Job:
    name: str
    schedule: Schedule
    steps: tuple[Step, ...]
    description: str = ""


JOBS: tuple[Job, ...] = (
    Job(
        "nightly-crawl",
        Schedule(cron="0 2 * * *"),
        (Step("crawl"), Step("index"), Step("detect"), Step("alerts", "immediate")),
        "crawl every enabled source, rebuild the index, detect changes, send immediate alerts",
    ),
    Job(
        "index-refresh",
        Schedule(cron="15 * * * *"),
        (Step("index"),),
        "rebuild the index, so imports and edits reach search within the hour without a crawl",
    ),
    Job(
        "immediate-alerts",
        Schedule(every_seconds=300),
        (Step("detect"), Step("alerts", "immediate")),
        "changes not made by a crawl (imports, staff edits) to immediate subscribers",
    ),
    Job(
        "daily-digests",
        Schedule(cron="0 7 * * *"),
        (Step("detect"), Step("alerts", "daily")),
        "the daily digests (and closing-soon reminders)",
    ),
    Job(
        "weekly-digests",
        Schedule(cron="5 7 * * 1"),
        (Step("detect"), Step("alerts", "weekly")),
        "the weekly digests on Monday morning",
    ),
)


def _refresh_jobs() -> tuple[Job, ...]:
    """One incremental crawl per source every `refresh_minutes` (30): a new item on a source
    is stored and indexed within the hour, while the nightly crawl still refetches all.
    Start minutes are spread so the sources do not all crawl at once."""
    jobs = []
    for number, source in enumerate(s for s in SOURCES.values() if s.enabled):
        every = source.refresh_minutes
        first = (number * 7) % every
        minutes = ",".join(str(m) for m in range(first, 60, every))
        jobs.append(
            Job(
                f"refresh-{source.name}",
                Schedule(cron=f"{minutes} * * * *"),
                (Step("crawl", sources=(source.name,), incremental=True),),
                f"incremental crawl of {source.name} ({source.incremental}); changes indexed",
            )
        )
    return tuple(jobs)


JOBS += _refresh_jobs()
BY_NAME = {job.name: job for job in JOBS}


class UnknownJob(ValueError):
    def __init__(self, name: str):
        super().__init__(f"unknown job {name!r}; known jobs: {', '.join(BY_NAME)}")
        self.name = name


def get(name: str) -> Job:
    try:
        return BY_NAME[name]
    except KeyError:
        raise UnknownJob(name) from None


def run_step(
    services: Services,
    step: Step,
    *,
    offline: bool = False,
    now: dt.datetime | None = None,
    dispatch: Callable[[int], None] | None = None,
    warn: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Run one step; returns its report (JSON-ready). `dispatch` queues deliveries instead
    of sending them here (the Celery worker passes one)."""
    if step.kind == "crawl":
        # A full crawl is followed by an index rebuild, so it leaves the index alone; an
        # incremental one indexes what it changed at once (that is what makes it fresh).
        return crawls.crawl(
            services,
            step.sources or crawls.ALL,
            offline=offline,
            index=step.incremental,
            incremental=step.incremental,
            now=now,
            warn=warn,
        ).as_dict()
    if step.kind == "index":
        return {
            "indexed": rebuild_index(
                services.catalog, services.backend, services.optional_encoder(warn)
            )
        }
    if step.kind == "detect":
        return {"detected": alert_runs.detect(services, now)}
    return alert_runs.plan_and_send(
        services, [step.frequency or "immediate"], now=now, dispatch=dispatch
    )


@dataclass
class JobReport:
    name: str
    steps: list[dict[str, Any]] = field(default_factory=list)

    @property
    def failed_sources(self) -> list[str]:
        return [s for step in self.steps for s in step.get("failed", [])]

    def as_dict(self) -> dict[str, Any]:
        return {"job": self.name, "steps": self.steps}


def run_job(
    services: Services,
    name: str,
    *,
    offline: bool = False,
    warn: Callable[[str], None] | None = None,
    progress: Callable[[Step], None] | None = None,
) -> JobReport:
    """Run a job's steps here, in order, exactly as the worker chains them."""
    job = get(name)
    report = JobReport(name)
    for step in job.steps:
        if progress:
            progress(step)
        report.steps.append(
            {"step": step.kind, **run_step(services, step, offline=offline, warn=warn)}
        )
    return report
