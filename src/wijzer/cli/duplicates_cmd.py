"""`wijzer duplicates resolve|list`: one public record per instrument, from the command line."""

from __future__ import annotations

from typing import Any

import click

from wijzer.app import curating
from wijzer.cli.common import AppContext, emit_json, format_option, handle_errors, pass_app, warn


@click.group("duplicates")
def duplicates_group() -> None:
    """Entity resolution: records of one instrument merged, look-alikes queued for staff."""


@duplicates_group.command("resolve")
@format_option
@pass_app
@handle_errors
def resolve_command(app: AppContext, output_format: str) -> None:
    """Resolve the whole catalog again (imports and crawls resolve what they bring in)."""
    done = curating.resolve_duplicates(app.services, "resolve:cli")
    if done.index_warning:
        warn(done.index_warning)
    result = done.value
    summary: dict[str, Any] = {
        "merged": [{"into": a, "merged": b, "rule": r} for a, b, r in result.merged],
        "refused": [{"left": a, "right": b, "rule": r} for a, b, r in result.refused],
        "queued": [{"left": a, "right": b, "rule": r} for a, b, r in result.queued],
        "scheme_links": result.linked,
    }
    if output_format == "json":
        emit_json(summary)
        return
    for row in summary["merged"]:
        click.echo(f"merged {row['merged']} into {row['into']} ({row['rule']})")
    for row in summary["refused"]:
        click.echo(f"refused {row['left']} + {row['right']}: different funders (queued)")
    click.echo(
        f"{len(result.merged)} merged, {len(result.refused)} refused and"
        f" {len(result.queued)} queued for staff, {result.linked} scheme link(s)."
    )


@duplicates_group.command("list")
@format_option
@pass_app
def list_command(app: AppContext, output_format: str) -> None:
    """The duplicate hints waiting for staff (refused merges first)."""
    hints = curating.duplicate_hints(app.services)
    rows = [
        {
            "left": h.left.id,
            "right": h.right.id,
            "rule": h.relation.rule,
            "refusal": h.relation.refusal,
            "evidence": h.relation.evidence,
        }
        for h in hints
    ]
    if output_format == "json":
        emit_json(rows)
        return
    for row in rows:
        why = f" — refused: {row['refusal']}" if row["refusal"] else ""
        click.echo(f"{row['left']} + {row['right']} ({row['rule']}){why}")
    click.echo(f"{len(rows)} duplicate hint(s) waiting.")
