"""`wijzer import` and `wijzer export`: the JSONL exchange format in and out of the catalog."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from wijzer.app.imports import RESUME_HINT, IndexNotUpdated, import_instruments, read_import_file
from wijzer.catalog.exchange import ImportConflict, ImportReport, export_records
from wijzer.catalog.schema import RecordError
from wijzer.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_FAILURE,
    AppContext,
    emit_json,
    fail,
    format_option,
    handle_errors,
    pass_app,
    warn,
)


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--skip-invalid", is_flag=True, help="Import the valid records and list the rest.")
@click.option("--no-index", is_flag=True, help="Do not update the search index afterwards.")
@format_option
@pass_app
@handle_errors
def import_command(
    app: AppContext, file: Path, skip_invalid: bool, no_index: bool, output_format: str
) -> None:
    """Import instruments from a JSONL FILE; all-or-nothing unless --skip-invalid."""
    try:
        parsed = read_import_file(file)
    except RecordError as exc:
        fail(f"{file}: {exc}", EXIT_BAD_INPUT)
    if parsed.errors and not skip_invalid:
        for error in parsed.errors[:20]:
            click.echo(f"Error: {file}: {error}", err=True)
        if len(parsed.errors) > 20:
            click.echo(f"... and {len(parsed.errors) - 20} more errors", err=True)
        fail(
            f"{len(parsed.errors)} invalid record(s); nothing was imported"
            " (use --skip-invalid to import the valid ones)",
            EXIT_BAD_INPUT,
        )
    try:
        report = import_instruments(
            app.services, parsed.records, f"import:{file.name}", index=not no_index, warn=warn
        )
    except ImportConflict as exc:
        fail(f"{file}: {exc}", EXIT_FAILURE)
    except IndexNotUpdated as exc:
        # The catalog committed: say exactly what it holds now and how to finish.
        _report(file, exc.report, parsed.errors, output_format, index_error=exc.reason)
        fail(
            f"the catalog holds this import, but the search index was not updated: {exc.reason};"
            f" {RESUME_HINT}",
            EXIT_FAILURE,
        )
    _report(file, report, parsed.errors, output_format)


def _report(
    file: Path,
    report: ImportReport,
    skipped: list[RecordError],
    output_format: str,
    index_error: str | None = None,
) -> None:
    report.skipped = skipped
    summary = report.as_dict()
    if output_format == "json":
        emit_json({**summary, "index": report.index, "index_error": index_error})
        return
    click.echo(
        f"Imported {file}: {summary['created']} new, {summary['updated']} changed,"
        f" {summary['unchanged']} unchanged, {len(report.skipped)} skipped."
    )
    if summary["merged"] or summary["duplicate_hints"]:
        click.echo(
            f"One record per instrument: {summary['merged']} merged into another source's"
            f" record, {summary['duplicate_hints']} look-alike(s) queued for staff."
        )
    if report.index:
        click.echo(f"Search index: {report.index}.")
    for error in report.skipped:
        click.echo(f"  skipped {error}", err=True)


@click.command("export")
@click.option("--format", "output_format", type=click.Choice(["jsonl"]), default="jsonl")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--all", "include_all", is_flag=True, help="Include withdrawn, hidden and merged.")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day statuses are given for (YYYY-MM-DD; default today).",
)
@pass_app
@handle_errors
def export_command(
    app: AppContext,
    output_format: str,
    output: Path | None,
    include_all: bool,
    today: dt.datetime | None,
) -> None:
    """Export the catalog as JSONL in the seed format, with each record's facts, the quotes
    they rest on and its status as of --today (the contract is in the README)."""
    catalog = app.services.catalog
    day = today.date() if today else None
    if output is None:
        export_records(catalog, sys.stdout, include_unlisted=include_all, today=day)
        return
    tmp = output.with_suffix(output.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        count = export_records(catalog, handle, include_unlisted=include_all, today=day)
    tmp.replace(output)
    click.echo(f"Exported {count} instruments to {output}", err=True)
