"""`wijzer crawl`: run the crawlers (live or replayed), import TED bulk packages, list sources."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from wijzer.app import crawls
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


def _print_run(row: dict[str, Any]) -> None:
    dropped = ", ".join(f"{k} {v}" for k, v in sorted(row["dropped"].items())) or "none"
    click.echo(
        f"{row['source']:<26} {row['status']:<8} fetched {row['fetched']:>4}  new {row['new']:>4}"
        f"  changed {row['changed']:>3}  unchanged {row['unchanged']:>4}"
        f"  withdrawn {row['withdrawn']:>3}  merged {row.get('merged', 0):>3}  dropped: {dropped}"
    )
    for error in row["errors"][:5]:
        click.echo(f"    {error}", err=True)


@click.command("crawl")
@click.argument("sources", nargs=-1)
@click.option("--all", "crawl_all", is_flag=True, help="Crawl every enabled source.")
@click.option("--list", "list_only", is_flag=True, help="List sources with their last run.")
@click.option("--offline", is_flag=True, help="Replay the recorded responses over a local server.")
@click.option(
    "--bulk",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="With source `ted`: import a directory or tarball of TED notice XML files.",
)
@click.option(
    "--incremental",
    is_flag=True,
    help="Fetch only what changed since each source's last good crawl (never withdraws).",
)
@click.option("--no-index", is_flag=True, help="Do not update the search index afterwards.")
@format_option
@pass_app
@handle_errors
def crawl_command(
    app: AppContext,
    sources: tuple[str, ...],
    crawl_all: bool,
    list_only: bool,
    offline: bool,
    bulk: Path | None,
    incremental: bool,
    no_index: bool,
    output_format: str,
) -> None:
    """Crawl SOURCES (or --all) into the catalog; --list shows the sources and their last run."""
    from wijzer.crawler.crawling import CrawlError
    from wijzer.crawler.sources import UnknownSource

    if list_only:
        rows = crawls.list_sources(app.services)
        if output_format == "json":
            emit_json(rows)
            return
        for row in rows:
            run = row["last_run"]
            last = (
                f"last run {run['finished_at'][:16]} {run['kind']} {run['status']}"
                f" ({len(run['errors'])} errors)"
                if run
                else "never crawled"
            )
            click.echo(
                f"{row['source']:<26} {row['kind']:<9} {row['items']:>4} items"
                f"  every {row['refresh_minutes']} min  {last}"
            )
        return
    if crawl_all and sources:
        fail("give either source names or --all, not both", EXIT_BAD_INPUT)
    try:
        if bulk is not None:
            if list(sources) != ["ted"]:
                fail(
                    "--bulk works with the source `ted` only: wijzer crawl ted --bulk PATH",
                    EXIT_BAD_INPUT,
                )
            report = crawls.import_ted_bulk(app.services, bulk, index=not no_index, warn=warn)
        else:
            names = crawls.source_names(crawls.ALL if crawl_all else sources)
            if output_format == "text":
                how = (" offline" if offline else "") + (" (incremental)" if incremental else "")
                click.echo(f"Crawling {len(names)} source(s){how}...", err=True)
            report = crawls.crawl(
                app.services,
                names,
                offline=offline,
                index=not no_index,
                warn=warn,
                incremental=incremental,
            )
    except UnknownSource as exc:
        fail(f"invalid source: {exc}", EXIT_BAD_INPUT)
    except CrawlError as exc:
        fail(str(exc), EXIT_BAD_INPUT if bulk is not None else EXIT_FAILURE)
    rows = report.rows()
    if output_format == "json":
        emit_json(rows)
    else:
        for row in rows:
            _print_run(row)
        click.echo(f"{len(report.changed)} instrument(s) new, changed or withdrawn.")
    if report.all_failed:
        raise SystemExit(EXIT_FAILURE)
