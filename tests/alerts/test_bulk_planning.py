"""A run plans every subscription's digest in one transaction; when a concurrent planner
writes one of its windows between the check and the insert, the run falls back to one
transaction per subscription: the others still get their digest, nobody gets two."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import event, func, select

from tests.alerts.conftest import import_records, new_record
from wijzer.app import alert_runs, subscribers
from wijzer.app.services import Services
from wijzer.app.settings import Settings
from wijzer.catalog.alerts_models import AlertOutbox, DetectedChange, Subscription
from wijzer.catalog.db import upgrade_database

pytestmark = pytest.mark.postgres

NOW = dt.datetime(2026, 1, 5, 9, 0)


@pytest.fixture
def services(postgres_url: str, tmp_path: Path) -> Iterator[Services]:
    upgrade_database(postgres_url)
    svc = Services(Settings(data_dir=tmp_path / "data", database_url=postgres_url))
    yield svc
    svc.close()


def test_a_window_written_by_another_planner_mid_run_costs_nobody_a_digest(
    services: Services, postgres_url: str
) -> None:
    addresses = [f"water{n}@example.org" for n in range(5)]
    for address in addresses:
        subscribers.subscribe(
            services, address, "query", {"q": "water"}, "immediate", "nl", confirmed=True
        )
    import_records(
        services.catalog, [new_record("nl-ut-water", "Watersubsidie", "Subsidie voor water.")]
    )
    alert_runs.detect(services, NOW)
    with services.catalog.session() as session:
        victim_id = session.scalar(select(func.min(Subscription.id)))
        # The window this run plans: immediate, up to the last change.
        window = f"immediate:{session.scalar(select(func.max(DetectedChange.id)))}"
    clashes: list[str] = []

    def other_planner(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        # Right before the bulk insert, another planner commits this subscriber's digest.
        if statement.startswith("INSERT INTO alert_outbox") and not clashes:
            with psycopg.connect(postgres_url, autocommit=True) as conn:
                conn.execute(
                    "INSERT INTO alert_outbox (subscription_id, window_key, payload, "
                    "instrument_ids, state, attempts, message_id, created_at) "
                    "VALUES (%s, %s, '{}', '[]', 'pending', 0, '<other>', now())",
                    (victim_id, window),
                )
            clashes.append(statement)

    event.listen(services.catalog.engine, "before_cursor_execute", other_planner)
    try:
        planned = alert_runs.plan(services, ["immediate"], NOW)
    finally:
        event.remove(services.catalog.engine, "before_cursor_execute", other_planner)

    assert clashes
    with services.catalog.session() as session:
        rows = session.execute(select(AlertOutbox.subscription_id, AlertOutbox.message_id)).all()
    by_subscription: dict[int, list[str]] = {}
    for subscription_id, message in rows:
        by_subscription.setdefault(subscription_id, []).append(message)
    # Every subscriber has exactly one digest; the victim's is the other planner's.
    assert len(by_subscription) == len(addresses)
    assert all(len(messages) == 1 for messages in by_subscription.values())
    assert by_subscription[victim_id] == ["<other>"]
    assert len(planned) == len(addresses) - 1
