"""`wijzer match`: the instruments that fit a company profile (or a file of them), with reasons."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from wijzer.app.matches import ProfileIn, match_all, profile_in, read_profiles_in
from wijzer.catalog import json_input
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
from wijzer.i18n.catalogs import gettext_for
from wijzer.i18n.wording import match_json, render_all
from wijzer.matcher.profile import ProfileError
from wijzer.matcher.ranking import MatchResult


def _read_profile_file(path: Path) -> dict[str, Any]:
    try:
        data = json_input.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ProfileError("(file)", f"{path.name} is not UTF-8 text") from None
    except JSONInputError as exc:
        raise ProfileError("(json)", f"{path.name}: {exc}") from None
    if not isinstance(data, dict):
        raise ProfileError("(profile)", f"{path.name} must hold one JSON object")
    return data


def _request_from_options(
    profile_file: Path | None, text: str | None, options: dict[str, Any]
) -> ProfileIn:
    data: dict[str, Any] = _read_profile_file(profile_file) if profile_file else {}
    if text is not None:
        data["description"] = text
    # Options given on the command line win over the file's fields.
    for key, value in options.items():
        if value not in (None, (), ""):
            data[key] = list(value) if isinstance(value, tuple) else value
    return profile_in(data)


def _print_results(results: list[MatchResult], language: str) -> None:
    _ = gettext_for(language, "reasons")
    if not results:
        click.echo(_("No matching instruments found."))
    for number, result in enumerate(results, start=1):
        click.echo(f"{number:2}. {result.title}  ({result.id})  score {result.score:.3f}")
        for reason in render_all(result.reasons, language):
            click.echo(f"      + {reason}")
        for blocker in render_all(result.blockers, language):
            click.echo(f"      ! {blocker}")


@click.command("match")
@click.option(
    "--profile",
    "profile_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A profile as JSON (description, language, region, ...).",
)
@click.option("--text", default=None, help="Describe the company in a few sentences.")
@click.option(
    "--profiles",
    "profiles_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSONL of profiles, each with an id; results keyed by id.",
)
@click.option(
    "--language", default=None, help="nl or en: the description's language (default: detected)."
)
@click.option("--region", default=None, help="Province of the company, e.g. Utrecht.")
@click.option("--size", default=None, help="micro, small, medium or large.")
@click.option("--stage", default=None, help="idea, startup, scaleup or established.")
@click.option("--wants", multiple=True, help="Wanted instrument type (repeatable), e.g. loan.")
@click.option("--amount", default=None, help="Amount needed in EUR, e.g. 200000, 200k, '2 ton'.")
@click.option("--top", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--include-closed", is_flag=True, help="Also show closed instruments (blocked).")
@click.option("--hide-blockers", is_flag=True, help="Leave out results with a blocker.")
@format_option
@pass_app
@handle_errors
def match_command(
    app: AppContext,
    profile_file: Path | None,
    text: str | None,
    profiles_file: Path | None,
    top: int,
    include_closed: bool,
    hide_blockers: bool,
    output_format: str,
    **overrides: Any,
) -> None:
    """Rank the instruments that fit a company, each with its reasons and blockers."""
    given = [
        name
        for name, value in (
            ("--profile", profile_file),
            ("--text", text),
            ("--profiles", profiles_file),
        )
        if value is not None
    ]
    if len(given) != 1:
        fail("give exactly one of --profile, --text or --profiles", EXIT_BAD_INPUT)
    if profiles_file is not None and any(v not in (None, (), "") for v in overrides.values()):
        fail(
            "--region/--size/--stage/--wants/--amount/--language apply to one profile;"
            " put them in the profiles file",
            EXIT_BAD_INPUT,
        )

    show = {"top": top, "include_closed": include_closed, "hide_blockers": hide_blockers}
    # Validate all input before any work, so bad input never yields partial output.
    try:
        if profiles_file is not None:
            with profiles_file.open(encoding="utf-8") as handle:
                requests = [r.model_copy(update=show) for r in read_profiles_in(handle)]
        else:
            requests = [_request_from_options(profile_file, text, {**overrides, **show})]
    except UnicodeDecodeError:
        fail("invalid profile: the file is not UTF-8 text", EXIT_BAD_INPUT)
    found = match_all(app.services, requests, notify=lambda message: click.echo(message, err=True))
    results = {str(r.id or ""): rs for r, rs in zip(requests, found, strict=True)}
    if output_format == "json":
        # Reasons as data with their text in the profile's language.
        rendered = {
            pid: {"results": [match_json(r, request.profile().language) for r in rs]}
            for request, (pid, rs) in zip(requests, results.items(), strict=True)
        }
        emit_json(rendered if profiles_file is not None else next(iter(rendered.values())))
        return
    for request, (pid, rs) in zip(requests, results.items(), strict=True):
        if profiles_file is not None:
            click.echo(f"== {pid}")
        _print_results(rs, request.profile().language)
