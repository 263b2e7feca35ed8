"""`wijzer serve`: the web app and API behind waitress, a production-grade WSGI server."""

from __future__ import annotations

import click

from wijzer.cli.common import AppContext, handle_errors, pass_app


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (0.0.0.0 inside a container).",
)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--threads",
    default=32,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Worker threads answering requests (waiting matches share one encoder "
    "batch, so more threads mean larger, cheaper batches).",
)
@pass_app
@handle_errors
def serve_command(app: AppContext, host: str, port: int, threads: int) -> None:
    """Serve the public site, the staff area and the JSON API."""
    from waitress import serve

    from wijzer.web import create_app, services

    settings = app.services.settings
    flask_app = create_app({"SETTINGS": settings})
    # Load the encoder before the first request so no visitor waits for it.
    services(flask_app).encoder.encode(["warm-up"])
    click.echo(f"Wijzer on http://{host}:{port}/ (data: {settings.data_dir})", err=True)
    serve(flask_app, host=host, port=port, threads=threads, ident="wijzer")
