"""`wijzer users create|list|set-password`: staff accounts for the curation area."""

from __future__ import annotations

import sys

import click

from wijzer.catalog.curation import CurationError, CurationErrorCode, audit
from wijzer.catalog.curation.accounts import (
    change_password,
    create_user,
    get_user,
    list_users,
    user_to_dict,
)
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
        click.echo(f"{user['email']}  {user['role']}")


@users_group.command("set-password")
@click.argument("email")
@click.option(
    "--password-stdin",
    is_flag=True,
    required=True,
    help="Read the new password from standard input (never from the command line).",
)
@pass_app
def set_password_command(app: AppContext, email: str, password_stdin: bool) -> None:
    """Give EMAIL a new password (from stdin); every session of the account ends."""
    password = sys.stdin.readline().rstrip("\r\n")
    try:
        with app.services.catalog.session() as session:
            user = get_user(session, email)
            if user is None:
                raise CurationError(
                    "email", f"no staff account {email}", CurationErrorCode.NOT_FOUND
                )
            change_password(session, user, password)
            audit.record(session, "cli", "password_changed", user.email)
    except CurationError as exc:
        fail(f"invalid {exc.field}: {exc.reason}", EXIT_BAD_INPUT)
    click.echo(f"New password set for {email}; its sessions have ended.")
