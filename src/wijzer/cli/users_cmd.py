"""`wijzer users create|list`: staff accounts for the curation area."""

from __future__ import annotations

import sys

import click

from wijzer.catalog.curation import CurationError
from wijzer.catalog.curation.accounts import create_user, get_user, list_users, user_to_dict
from wijzer.catalog.curation_models import ROLES
from wijzer.cli.common import EXIT_BAD_INPUT, AppContext, emit_json, fail, format_option, pass_app


@click.group("users")
def users_group() -> None:
    """Staff accounts (curators and admins)."""


@users_group.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True, help="curator or admin.")
@click.option(
    "--password-stdin",
    is_flag=True,
    required=True,
    help="Read the password from standard input (never from the command line).",
)
@click.option(
    "--exist-ok",
    is_flag=True,
    help="Succeed without changes when the account exists (for repeatable demo scripts).",
)
@pass_app
def create_command(
    app: AppContext, email: str, role: str, password_stdin: bool, exist_ok: bool
) -> None:
    """Create a staff account EMAIL; the password comes from stdin."""
    if not password_stdin:
        fail("--password-stdin is required", EXIT_BAD_INPUT)
    # Only the first line counts, so `echo pw | wijzer users create ...` works as expected.
    password = sys.stdin.readline().rstrip("\r\n")
    try:
        with app.services.catalog.session() as session:
            existing = get_user(session, email) if exist_ok else None
            if existing is not None:
                click.echo(f"{existing.email} exists already ({existing.role}); left unchanged")
                return
            user = create_user(session, email, role, password)
            created = user_to_dict(user)
    except CurationError as exc:
        fail(f"invalid {exc.field}: {exc.reason}", EXIT_BAD_INPUT)
    click.echo(f"Created {created['role']} {created['email']}")


@users_group.command("list")
@format_option
@pass_app
def list_command(app: AppContext, output_format: str) -> None:
    """List staff accounts."""
    with app.services.catalog.session() as session:
        users = [user_to_dict(u) for u in list_users(session)]
    if output_format == "json":
        emit_json(users)
        return
    if not users:
        click.echo("No staff accounts yet; create one with `wijzer users create`.")
    for user in users:
        locked = f"  locked until {user['locked_until']}" if user["locked_until"] else ""
        click.echo(f"{user['email']}  {user['role']}{locked}")
