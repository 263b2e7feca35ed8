"""`wijzer db upgrade|current`: bring the catalog schema to this version's revision, or show it."""

from __future__ import annotations

import click

from wijzer.catalog.db import make_engine, sqlite_file, upgrade_database
from wijzer.catalog.schema_revision import SchemaState, code_head, schema_state
from wijzer.cli.common import AppContext, emit_json, format_option, pass_app

# An unreachable database raises CatalogNotReady, which the `wijzer` group reports in one line.


@click.group("db")
def db_group() -> None:
    """The catalog database's schema (the migrations shipped with this version)."""


def _revisions(revisions: tuple[str, ...]) -> str:
    return ", ".join(revisions) or "none (no schema yet)"


def _state(url: str) -> SchemaState:
    path = sqlite_file(url)
    if path is not None and not path.exists():  # looking must not create an empty file
        return SchemaState(current=(), head=code_head(), unknown=())
    engine = make_engine(url)
    try:
        return schema_state(engine)
    finally:
        engine.dispose()


@db_group.command("upgrade")
@format_option
@pass_app
def db_upgrade(app: AppContext, output_format: str) -> None:
    """Create the schema, or migrate it to the revision this version of Wijzer expects."""
    before, after = upgrade_database(app.services.settings.catalog_url)
    if output_format == "json":
        emit_json({"before": before.as_dict(), "after": after.as_dict()})
    elif before.up_to_date:
        click.echo(f"The catalog is already at {_revisions(after.current)}.")
    else:
        click.echo(
            f"Upgraded the catalog from {_revisions(before.current)}"
            f" to {_revisions(after.current)}."
        )


@db_group.command("current")
@format_option
@pass_app
def db_current(app: AppContext, output_format: str) -> None:
    """Show the catalog's schema revision and whether it is the one this version expects."""
    state = _state(app.services.settings.catalog_url)
    if output_format == "json":
        emit_json(state.as_dict())
        return
    click.echo(f"current: {_revisions(state.current)}")
    click.echo(f"head:    {_revisions(state.head)}")
    if state.unknown:
        click.echo("The catalog is at a revision this version does not know (a newer one ran).")
    elif not state.up_to_date:
        click.echo("The catalog is not at this version's head; run `wijzer db upgrade`.")
