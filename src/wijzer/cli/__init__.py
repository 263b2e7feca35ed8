"""The `wijzer` command: one group, every command family registered in COMMANDS below."""

from __future__ import annotations

from pathlib import Path

import click

from wijzer import __version__
from wijzer.cli.alerts_cmd import alerts_group, mail_sink_command
from wijzer.cli.catalog_cmd import export_command, import_command
from wijzer.cli.common import AppContext, RootGroup
from wijzer.cli.crawl_cmd import crawl_command
from wijzer.cli.db_cmd import db_group
from wijzer.cli.duplicates_cmd import duplicates_group
from wijzer.cli.jobs_cmd import jobs_group
from wijzer.cli.match_cmd import match_command
from wijzer.cli.search_cmd import index_group, search_command
from wijzer.cli.serve_cmd import serve_command
from wijzer.cli.users_cmd import users_group


@click.group(cls=RootGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="WIJZER_DATA_DIR",
    default=None,
    help="Where the catalog and index live (default: ./data, or WIJZER_DATA_DIR).",
)
@click.version_option(__version__, prog_name="wijzer")
@click.pass_context
def main(ctx: click.Context, data_dir: Path | None) -> None:
    """Wijzer: funding instruments for Dutch startups and SMEs."""
    ctx.obj = AppContext(data_dir)
    ctx.call_on_close(ctx.obj.close)


# Every command of `wijzer`, registered here and nowhere else.
COMMANDS: list[click.Command] = [
    db_group,
    import_command,
    export_command,
    duplicates_group,
    search_command,
    index_group,
    match_command,
    crawl_command,
    jobs_group,
    alerts_group,
    mail_sink_command,
    users_group,
    serve_command,
]
for _command in COMMANDS:
    main.add_command(_command)
