"""A saved search alerts on what newly enters its results as `wijzer search` shows them."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tests.alerts.conftest import SmtpServer, import_records, seed_lines, text_of
from wijzer.alerts.selection import SEARCH_TOP
from wijzer.app.services import Services
from wijzer.cli import main

QUERY = "innovatiekrediet lening innovatief ontwikkelproject"
# Ranks first for the query in the seed corpus.
IN_TOP = "nl-rvo-innovatiekrediet"
# Shares words with the query (so the search lists it) but ranks well below the first page.
BELOW_TOP = "nl-rvo-mooi"


def run(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def rank(runner: CliRunner, instrument_id: str) -> int:
    found = json.loads(run(runner, "search", QUERY, "--top", "100", "--format", "json"))
    return [row["id"] for row in found["results"]].index(instrument_id) + 1


def test_a_new_instrument_in_the_top_of_a_saved_search_is_mailed_once_one_below_is_not(
    services: Services, smtp: SmtpServer, runner: CliRunner
) -> None:
    seed = seed_lines()
    held_back = [r for r in seed if r["id"] in (IN_TOP, BELOW_TOP)]
    import_records(services.catalog, [r for r in seed if r["id"] not in (IN_TOP, BELOW_TOP)])
    run(runner, "index", "rebuild", "--no-vectors")
    run(runner, "alerts", "run", "--now")  # what the catalog already holds is not news
    run(
        runner,
        "alerts",
        "subscribe",
        "founder@example.org",
        "--query",
        QUERY,
        "--frequency",
        "immediate",
        "--language",
        "en",
        "--confirmed",
    )

    # Both arrive as new (an import; the alert run brings the index up to date itself).
    import_records(services.catalog, held_back)
    report = json.loads(run(runner, "alerts", "run", "--now", "--format", "json"))
    assert report["detected"] == 2
    # What the user would see: one on the first page of the search, one far below it.
    assert rank(runner, IN_TOP) <= SEARCH_TOP < rank(runner, BELOW_TOP)
    (digest,) = smtp.inbox.to("founder@example.org")
    body = text_of(digest)
    assert "Innovatiekrediet" in digest["Subject"] and "Innovatiekrediet" in body
    assert "MOOI" not in body and "Missiegedreven" not in body
    assert f"“{QUERY}”" in body  # why: the saved search words

    run(runner, "alerts", "run", "--now")
    assert len(smtp.inbox.to("founder@example.org")) == 1
