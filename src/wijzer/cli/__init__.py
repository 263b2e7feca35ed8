"""The `wijzer` command: one group; each `*_cmd` module in this package adds its commands."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import click

from wijzer import __version__
from wijzer.cli.common import AppContext, RootGroup


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


def _register() -> None:
    # Discovery keeps each command family in its own module without a central list to edit.
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module.name.endswith("_cmd"):
            loaded = importlib.import_module(f"{__name__}.{module.name}")
            for command in getattr(loaded, "COMMANDS", ()):
                main.add_command(command)


_register()
