"""`wijzer jobs list|run|queue`: the scheduled jobs by name, as beat runs them."""

from __future__ import annotations

from typing import Any

import click

from wijzer.app import job_registry
from wijzer.cli.common import (
    EXIT_FAILURE,
    AppContext,
    emit_json,
    fail,
    format_option,
    handle_errors,
    pass_app,
    warn,
)


@click.group("jobs")
def jobs_group() -> None:
    """Scheduled jobs: what beat sends, run here or queued for the workers."""


@jobs_group.command("list")
@format_option
@handle_errors
def list_command(output_format: str) -> None:
    """The beat schedule's entries: name, schedule (cron, UTC) and the task beat sends."""
    from wijzer.jobs.schedule import entries

    rows = entries()
    if output_format == "json":
        emit_json(rows)
        return
    for row in rows:
        click.echo(f"{row['name']:<36} {row['schedule']:<14} {row['description']}")


def _print_step(step: dict[str, Any]) -> None:
    kind = step["step"]
    if kind == "crawl":
        for row in step["sources"]:
            errors = f"  ({len(row['errors'])} errors)" if row["errors"] else ""
            click.echo(
                f"  crawl {row['source']:<26} {row['status']:<8} new {row['new']:>4}"
                f"  changed {row['changed']:>3}{errors}"
            )
    elif kind == "index":
        click.echo(f"  index: {step['indexed']} instruments")
    elif kind == "detect":
        click.echo(f"  detect: {step['detected']} change(s)")
    else:
        outcomes = ", ".join(f"{k} {v}" for k, v in sorted(step["outcomes"].items())) or "none"
        click.echo(
            f"  alerts ({', '.join(step['frequencies'])}): planned {step['planned']}; {outcomes}"
        )


@jobs_group.command("run")
@click.argument("name")
@click.option("--offline", is_flag=True, help="Crawls replay the recorded responses.")
@format_option
@pass_app
@handle_errors
def run_command(app: AppContext, name: str, offline: bool, output_format: str) -> None:
    """Run job NAME here and now, exactly the steps beat's worker would run."""
    from wijzer.crawler.crawling import CrawlError

    job = job_registry.get(name)
    if output_format == "text":
        click.echo(f"Running {job.name}: {job.description}", err=True)
    try:
        report = job_registry.run_job(
            app.services,
            name,
            offline=offline,
            warn=warn,
            progress=lambda step: click.echo(f"- {step.kind}", err=True),
        )
    except CrawlError as exc:
        fail(str(exc), EXIT_FAILURE)
    if output_format == "json":
        emit_json(report.as_dict())
    else:
        for step in report.steps:
            _print_step(step)
    crawled = [s for s in report.steps if s["step"] == "crawl"]
    if crawled and all(len(s["failed"]) == len(s["sources"]) for s in crawled):
        fail("every source failed; see the report above")
    if report.failed_sources:
        warn(f"these sources failed: {', '.join(report.failed_sources)}; the others were stored")


@jobs_group.command("queue")
@click.argument("name")
@pass_app
@handle_errors
def queue_command(app: AppContext, name: str) -> None:
    """Queue job NAME for the workers (Redis), as beat sends it."""
    from wijzer.jobs.celery_app import make_app
    from wijzer.jobs.queueing import QueueUnavailable, queue_job

    job_registry.get(name)
    try:
        task_id = queue_job(name, make_app(app.services.settings))
    except QueueUnavailable as exc:
        fail(str(exc), EXIT_FAILURE)
    click.echo(f"Queued {name} (task {task_id}).")
