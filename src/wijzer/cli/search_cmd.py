"""`wijzer search` and `wijzer index ...`: query the index and rebuild it from the catalog."""

from __future__ import annotations

import click
from tqdm import tqdm

from wijzer.app import searches
from wijzer.app.indexing import index_gap, listed_records, rebuild_index, repair_index
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
from wijzer.search.query import build_query
from wijzer.search.results import result_json


@click.command("search")
@click.argument("query", required=False, default="")
@click.option("--level", multiple=True, help="regional, national or eu (repeatable).")
@click.option("--region", multiple=True, help="A province, e.g. Utrecht (repeatable).")
@click.option("--type", "instrument_type", multiple=True, help="Instrument type (repeatable).")
@click.option("--theme", multiple=True, help="Theme or KIA mission code (repeatable).")
@click.option("--status", multiple=True, help="open, forthcoming or closed (repeatable).")
@click.option("--deadline-from", default=None, help="Deadline on or after (YYYY-MM-DD).")
@click.option("--deadline-to", default=None, help="Deadline on or before (YYYY-MM-DD).")
@click.option("--amount-min", default=None, help="Can give at least this amount (EUR).")
@click.option("--amount-max", default=None, help="Starts at or below this amount (EUR).")
@click.option("--sort", default="relevance", help="relevance, deadline or newest.")
@click.option(
    "--mode",
    default="hybrid",
    show_default=True,
    help="hybrid (words and meaning) or lexical (words alone; automatic for quoted phrases"
    " and identifiers).",
)
@click.option("--top", default=10, show_default=True, help="Results per page.")
@click.option("--page", default=1, show_default=True)
@format_option
@pass_app
@handle_errors
def search_command(
    app: AppContext, query: str, output_format: str, top: int, page: int, **params: object
) -> None:
    """Search instruments; an empty QUERY with filters lists what the filters select."""
    search_query = build_query(query, per_page=top, page=page, **params)  # type: ignore[arg-type]
    result = searches.search(app.services, search_query, filled=True)
    data = result_json(result, search_query)
    if output_format == "json":
        emit_json(data)
        return
    if "only_common_words" in data["notes"]:
        warn("the query has only common words or punctuation; nothing to search for")
    if "meaning_unavailable" in data["notes"]:
        warn("searching by meaning is unavailable; these results match the words only")
    click.echo(f"{data['total']} instruments")
    far_heading = "  few instruments match; the nearest in meaning:"
    for row in data["results"]:
        if row["nearest_only"] and far_heading:
            click.echo(far_heading)
            far_heading = ""
        deadline = row["deadline"] or "-"
        click.echo(
            f"  {row['score']:7.3f}  {row['title']}  [{row['level']}/{row['instrument_type']}]"
            f"  deadline {deadline}  ({row['id']})"
        )


@click.group("index")
def index_group() -> None:
    """Manage the search index (derived from the catalog)."""


@index_group.command("rebuild")
@click.option("--no-vectors", is_flag=True, help="Skip embeddings (lexical search only).")
@pass_app
@handle_errors
def index_rebuild(app: AppContext, no_vectors: bool) -> None:
    """Rebuild the index from the catalog into a new index and swap it in."""
    services = app.services
    encoder = None if no_vectors else services.optional_encoder(warn)
    total = len(listed_records(services.catalog))
    with tqdm(total=total, unit="doc", desc="Indexing", disable=None) as bar:
        count = rebuild_index(services.catalog, services.backend, encoder, progress=bar.update)
    click.echo(f"Indexed {count} instruments into the {services.backend.name} backend.")


@index_group.command("check")
@click.option("--repair", is_flag=True, help="Bring the index level with the catalog.")
@pass_app
@handle_errors
def index_check(app: AppContext, repair: bool) -> None:
    """Compare the index with the catalog (ids and versions); exit 1 when they differ."""
    services = app.services
    if repair:
        done = repair_index(services, warn)
        click.echo(f"Repaired: {done}." if done else "Nothing to repair.")
        return
    gap = index_gap(services)
    click.echo(f"Index check: {gap.describe()}.")
    if gap:
        fail("the index is behind the catalog; run `wijzer index check --repair`", EXIT_FAILURE)


@index_group.command("info")
@format_option
@pass_app
@handle_errors
def index_info(app: AppContext, output_format: str) -> None:
    """Show what the live index holds."""
    info = app.services.backend.info()
    if output_format == "json":
        emit_json(info.__dict__)
    else:
        for key, value in info.__dict__.items():
            click.echo(f"{key}: {value}")
