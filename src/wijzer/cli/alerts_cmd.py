"""`wijzer alerts ...` (subscribe, run, list, forget) and `wijzer mail-sink` for demos."""

from __future__ import annotations

import time
from pathlib import Path

import click

from wijzer.app import subscribers
from wijzer.app.alert_runs import run_alerts
from wijzer.catalog import json_input
from wijzer.catalog.alerts_models import FREQUENCIES
from wijzer.catalog.json_input import JSONInputError
from wijzer.cli.common import (
    EXIT_BAD_INPUT,
    AppContext,
    emit_json,
    fail,
    format_option,
    handle_errors,
    pass_app,
)


@click.group("alerts")
def alerts_group() -> None:
    """Email alerts: subscriptions and digest runs."""


def _profile_from_file(path: Path) -> dict:
    """A JSON object, or the first line of a JSONL profiles file."""
    text = path.read_text(encoding="utf-8").strip()
    try:
        return dict(json_input.loads(text))
    except (JSONInputError, TypeError, ValueError):
        pass
    try:
        return dict(json_input.loads(text.splitlines()[0]))
    except (JSONInputError, IndexError, TypeError, ValueError) as exc:
        fail(f"{path}: line 1: not a JSON profile object: {exc}", EXIT_BAD_INPUT)
    raise AssertionError("unreachable")


@alerts_group.command("subscribe")
@click.argument("email")
@click.option(
    "--profile",
    "profile_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A company profile (JSON object) to match.",
)
@click.option("--query", "query", help="Search words of a saved search.")
@click.option("--level", multiple=True, help="Filter: level (repeatable).")
@click.option("--region", multiple=True, help="Filter: province (repeatable).")
@click.option("--type", "instrument_type", multiple=True, help="Filter: instrument type.")
@click.option("--theme", multiple=True, help="Filter: theme (repeatable).")
@click.option("--frequency", type=click.Choice(FREQUENCIES), required=True)
@click.option("--language", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@click.option("--confirmed", is_flag=True, help="Staff-created: active at once, no opt-in mail.")
@format_option
@pass_app
@handle_errors
def subscribe_command(
    app: AppContext,
    email: str,
    profile_file: Path | None,
    query: str | None,
    level: tuple[str, ...],
    region: tuple[str, ...],
    instrument_type: tuple[str, ...],
    theme: tuple[str, ...],
    frequency: str,
    language: str,
    confirmed: bool,
    output_format: str,
) -> None:
    """Subscribe EMAIL to alerts for a profile (--profile) or a saved search (--query)."""
    has_query = query is not None or bool(level or region or instrument_type or theme)
    if (profile_file is not None) == has_query:
        fail("give either --profile FILE or --query/filters (one of the two)", EXIT_BAD_INPUT)
    if profile_file is not None:
        kind, spec = "profile", _profile_from_file(profile_file)
    else:
        kind = "query"
        spec = {
            "q": query,
            "level": list(level),
            "region": list(region),
            "instrument_type": list(instrument_type),
            "theme": list(theme),
        }
    subscription = subscribers.subscribe(
        app.services, email, kind, spec, frequency, language, confirmed=confirmed
    )
    note = "active"
    if not confirmed:
        note = "pending; confirmation email " + (
            "sent"
            if subscription["confirmation"] == "sent"
            else "queued (SMTP unavailable, will retry)"
        )
    if output_format == "json":
        emit_json({**subscription, "note": note})
    else:
        click.echo(f"Subscription {subscription['id']} for {subscription['email']}: {note}.")


@alerts_group.command("run")
@click.option("--now", "force", is_flag=True, help="Treat every frequency as due.")
@format_option
@pass_app
@handle_errors
def run_command(app: AppContext, force: bool, output_format: str) -> None:
    """Detect changes and send the digests that are due (the same code as the worker)."""
    report = run_alerts(app.services, force=force)
    if output_format == "json":
        emit_json(report)
    else:
        outcomes = report["outcomes"]
        click.echo(
            f"Detected {report['detected']} change(s); planned {report['planned']} message(s);"
            f" sent {outcomes.get('sent', 0)}, deferred {outcomes.get('deferred', 0)},"
            f" failed {outcomes.get('failed', 0)}."
        )
    for error in report["errors"][:5]:
        click.echo(f"Error: {error}", err=True)
    if report["outcomes"].get("deferred"):
        fail("some messages could not be sent; they stay queued and are retried on the next run")


@alerts_group.command("list")
@format_option
@pass_app
@handle_errors
def list_command(app: AppContext, output_format: str) -> None:
    """Subscriptions with their outbox (what was sent, pending or failed)."""
    rows = subscribers.list_subscriptions(app.services)
    if output_format == "json":
        emit_json(rows)
        return
    for row in rows:
        sent = sum(1 for m in row["messages"] if m["state"] == "sent")
        click.echo(
            f"{row['id']:>4}  {row['email']:<30} {row['kind']:<8} {row['frequency']:<9}"
            f" {row['status']:<8} {sent} sent"
        )


@alerts_group.command("forget")
@click.argument("email")
@pass_app
@handle_errors
def forget_command(app: AppContext, email: str) -> None:
    """Delete everything kept about EMAIL (subscriptions, exclusions, saved items, mails)."""
    count = subscribers.forget(app.services, email)
    click.echo(f"Forgot {email}: {count} subscription(s) and everything kept for them deleted.")


@click.command("mail-sink")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8025, show_default=True, type=int)
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where .eml files go (default: DATA/mail).",
)
@pass_app
def mail_sink_command(app: AppContext, host: str, port: int, directory: Path | None) -> None:
    """A local SMTP server that keeps every message as an .eml file (for demos)."""
    from wijzer.alerts.mailsink import start_sink

    target = directory or app.services.settings.data_dir / "mail"
    controller = start_sink(target, host, port, lambda line: click.echo(line))
    click.echo(f"SMTP sink on {host}:{port}; mail lands in {target}  (Ctrl-C stops)")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()
