"""A new subscriber hears of what changes from now on, never of the catalog's history."""

from __future__ import annotations

from click.testing import CliRunner

from tests.alerts.conftest import SmtpServer, import_records, new_record, seed_lines, text_of
from wijzer.app.services import Services
from wijzer.cli import main

NEW = new_record(
    "nl-ut-subsidie-nieuw-2099",
    "Subsidie voor innovatieve mkb-projecten in Utrecht",
    "Nieuwe subsidie voor innovatie door mkb-bedrijven.",
)


def test_the_first_digest_holds_only_what_is_new_since_subscribing(
    services: Services, smtp: SmtpServer, runner: CliRunner
) -> None:
    # Imported, but no alert run has looked at it yet: history all the same.
    old = seed_lines(40)
    import_records(services.catalog, old)
    subscribed = runner.invoke(
        main,
        [
            "alerts",
            "subscribe",
            "new@example.org",
            # Filters only: every subsidy is in its results, no ranking decides.
            "--type",
            "subsidy",
            "--frequency",
            "immediate",
            "--language",
            "nl",
            "--confirmed",
        ],
    )
    assert subscribed.exit_code == 0, subscribed.output
    first = runner.invoke(main, ["alerts", "run", "--now"])
    assert first.exit_code == 0, first.output
    assert smtp.inbox.to("new@example.org") == []  # nothing new yet, so no mail at all

    import_records(services.catalog, [NEW])
    second = runner.invoke(main, ["alerts", "run", "--now"])
    assert second.exit_code == 0, second.output
    (digest,) = smtp.inbox.to("new@example.org")
    body = text_of(digest)
    items = [line for line in body.splitlines() if line.startswith("* ")]
    assert items == [f"* {NEW['title']} [Nieuw]"], items
    assert not [row["title"] for row in old if row["title"] in body]
