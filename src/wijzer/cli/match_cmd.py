"""`wijzer match`: the instruments that fit a company profile (or a file of them), with reasons."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click

from wijzer.app.indexing import encoder_mismatch, ensure_index_encoder
from wijzer.catalog.money import parse_amount
from wijzer.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_FAILURE,
    AppContext,
    emit_json,
    fail,
    format_option,
    handle_errors,
    pass_app,
)
from wijzer.i18n.catalogs import gettext_for
from wijzer.i18n.wording import match_json, render_all
from wijzer.matcher.encoders import EncoderUnavailable
from wijzer.matcher.profile import Profile, ProfileError, parse_profile, read_profiles
from wijzer.matcher.ranking import Matcher, MatchResult
from wijzer.search import analysis

_DUTCH_HINTS = frozenset(
    "de het een en van wij zijn voor met onze ons willen zoeken naar".split()  # noqa: SIM905
)
_ENGLISH_HINTS = frozenset(
    "the a an and of we are for with our us want looking to".split()  # noqa: SIM905
)


def guess_language(text: str) -> str:
    """nl or en from common function words; Dutch (the default) when undecided."""
    words = [analysis.fold(w) for w in text.split()]
    dutch = sum(w in _DUTCH_HINTS for w in words)
    english = sum(w in _ENGLISH_HINTS for w in words)
    return "en" if english > dutch else "nl"


def _read_profile_file(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ProfileError("(file)", f"{path.name} is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise ProfileError(
            "(json)", f"{path.name} is not valid JSON: {exc.msg} (line {exc.lineno})"
        ) from None
    if not isinstance(data, dict):
        raise ProfileError("(profile)", f"{path.name} must hold one JSON object")
    return data


def _profile_from_options(
    profile_file: Path | None, text: str | None, overrides: dict[str, Any]
) -> Profile:
    data: dict[str, Any] = _read_profile_file(profile_file) if profile_file else {}
    if text is not None:
        data["description"] = text
        data.setdefault("language", overrides.get("language") or guess_language(text))
    # Options given on the command line win over the file's fields.
    for key, value in overrides.items():
        if value not in (None, (), ""):
            data[key] = list(value) if isinstance(value, tuple) else value
    amount = data.get("amount")
    if isinstance(amount, str) and amount.strip():
        # "200k", "2 ton", "€ 1,5 mln" as well as plain numbers.
        data["amount"] = parse_amount(amount) or parse_amount(f"€ {amount}") or amount
    return parse_profile(data)


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
    "--language", default=None, help="nl or en: the profile's language, also that of the reasons."
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

    # Validate all input before any work, so bad input never yields partial output.
    try:
        if profiles_file is not None:
            with profiles_file.open(encoding="utf-8") as handle:
                profiles = read_profiles(handle)
            seen: dict[str, int] = {}
            for number, profile in enumerate(profiles, start=1):
                if profile.id in seen:
                    raise ProfileError("id", f"duplicate id {profile.id!r}")
                seen[profile.id or ""] = number
        else:
            profiles = [_profile_from_options(profile_file, text, overrides)]
    except ProfileError as exc:
        fail(f"invalid profile: {exc}", EXIT_BAD_INPUT)
    except UnicodeDecodeError:
        fail("invalid profile: the file is not UTF-8 text", EXIT_BAD_INPUT)

    services = app.services
    try:
        encoder = services.encoder
    except EncoderUnavailable as exc:
        fail(str(exc), EXIT_FAILURE)
    # Never match a query vector against vectors of another encoder: rebuild first.
    mismatch = encoder_mismatch(services.backend, encoder)
    if mismatch:
        click.echo(f"Rebuilding the search index: {mismatch}.", err=True)
        ensure_index_encoder(services.catalog, services.backend, encoder)
    matcher = Matcher(services.backend, encoder, dt.date.today())
    results = {
        profile.id or "": matcher.match(profile, top, include_closed, hide_blockers)
        for profile in profiles
    }
    if output_format == "json":
        # Reasons as data with their text in the profile's language.
        rendered = {
            pid: {"results": [match_json(r, profile.language) for r in rs]}
            for profile, (pid, rs) in zip(profiles, results.items(), strict=True)
        }
        emit_json(rendered if profiles_file is not None else next(iter(rendered.values())))
        return
    for profile, (pid, rs) in zip(profiles, results.items(), strict=True):
        if profiles_file is not None:
            click.echo(f"== {pid}")
        _print_results(rs, profile.language)


COMMANDS = [match_command]
