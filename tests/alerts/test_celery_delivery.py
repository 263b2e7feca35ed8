"""Delivery through a real Celery worker on real Redis: exactly once despite failures."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from tests.alerts.conftest import SmtpServer, Worker, import_records, new_record
from wijzer.app.services import Services
from wijzer.catalog.alerts_models import AlertOutbox
from wijzer.cli import main
from wijzer.jobs.celery_app import app
from wijzer.jobs.schedule import beat_schedule

pytestmark = [pytest.mark.redis, pytest.mark.slow]

RECORDS = [
    new_record(f"nl-ut-water-{n}", f"Watersubsidie {n}", "Subsidie voor schoon water.")
    for n in range(3)
]


def subscribe(runner: CliRunner, *addresses: str) -> None:
    for address in addresses:
        result = runner.invoke(
            main,
            [
                "alerts",
                "subscribe",
                address,
                "--query",
                "water",
                "--frequency",
                "immediate",
                "--confirmed",
            ],
        )
        assert result.exit_code == 0, result.output


def trigger(worker: Worker) -> None:
    """What beat does every few minutes: the immediate-alerts job (detect, then send)."""
    entry = beat_schedule()["immediate-alerts"]
    app.send_task(entry["task"], args=entry["args"], queue=worker.queue)


def outbox(services: Services) -> list[AlertOutbox]:
    with services.catalog.session() as session:
        return list(session.scalars(select(AlertOutbox).order_by(AlertOutbox.id)))


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("condition not reached in time")


def test_worker_sends_one_digest_and_a_second_run_sends_nothing(
    services: Services,
    smtp: SmtpServer,
    runner: CliRunner,
    worker_factory: Callable[[], Worker],
) -> None:
    worker = worker_factory()
    subscribe(runner, "w@example.org")
    import_records(services.catalog, RECORDS[:1])
    trigger(worker)
    (digest,) = smtp.inbox.wait_for(1)
    assert "Watersubsidie 0" in digest.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    trigger(worker)
    trigger(worker)
    time.sleep(3)
    assert len(smtp.inbox.messages) == 1
    assert [row.state for row in outbox(services)] == ["sent"]


def test_smtp_down_during_a_run_then_back_delivers_each_digest_once(
    services: Services,
    smtp: SmtpServer,
    runner: CliRunner,
    worker_factory: Callable[[], Worker],
) -> None:
    worker = worker_factory()
    subscribe(runner, "d1@example.org", "d2@example.org")
    import_records(services.catalog, RECORDS[:2])
    smtp.stop()
    trigger(worker)
    # Both digests were tried, failed and are waiting for a retry with backoff.
    wait_until(
        lambda: (
            len(rows := outbox(services)) == 2
            and all(r.attempts >= 1 and r.state == "pending" for r in rows)
        )
    )
    assert all("Connection" in (r.last_error or "") for r in outbox(services))
    smtp.start()
    messages = smtp.inbox.wait_for(2, timeout=60)
    time.sleep(3)
    assert sorted(m["To"] for m in smtp.inbox.messages) == ["d1@example.org", "d2@example.org"]
    assert len(messages) == 2
    assert [r.state for r in outbox(services)] == ["sent", "sent"]


def test_worker_killed_mid_send_then_restarted_still_delivers_exactly_once(
    services: Services,
    smtp: SmtpServer,
    runner: CliRunner,
    worker_factory: Callable[[], Worker],
) -> None:
    worker = worker_factory()
    subscribe(runner, "k@example.org")
    import_records(services.catalog, RECORDS)
    smtp.inbox.slow_rcpt = 30  # the worker hangs inside the SMTP conversation
    trigger(worker)
    wait_until(lambda: [r.state for r in outbox(services)] == ["sending"])
    worker.kill()
    smtp.inbox.slow_rcpt = 0
    # The unacknowledged task comes back (acks_late) to a fresh worker, which reclaims the
    # row once its lease has run out and sends it; nothing was handed to SMTP before.
    worker_factory()
    (digest,) = smtp.inbox.wait_for(1, timeout=60)
    time.sleep(6)  # longer than the visibility timeout: any second delivery would show now
    assert len(smtp.inbox.messages) == 1
    assert digest["To"] == "k@example.org"
    (row,) = outbox(services)
    assert row.state == "sent" and row.attempts == 2
