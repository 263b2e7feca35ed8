"""One alerts run in-process: detect changes, plan what is due, send the outbox.

`wijzer alerts run` calls this; the Celery tasks call the same pieces one by one.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from wijzer.alerts.delivery import RowBusy, TransientDeliveryError, deliver
from wijzer.alerts.detection import detect_changes
from wijzer.alerts.digests import due_frequencies, pending_outbox, plan_digests, plan_reminders
from wijzer.app.services import Services
from wijzer.catalog.models import utcnow


def plan(services: Services, frequencies: tuple[str, ...], now: dt.datetime) -> list[int]:
    """Outbox rows for due digests and reminders (the encoder loads only if profiles need it)."""
    created = plan_digests(services.catalog, frequencies, lambda: services.encoder, now)
    return created + plan_reminders(services.catalog, now)


def send_pending(services: Services, now: dt.datetime | None = None) -> dict[str, Any]:
    outcomes: Counter[str] = Counter()
    errors: list[str] = []
    for outbox_id in pending_outbox(services.catalog, now):
        try:
            outcomes[deliver(services.catalog, services.settings, outbox_id)] += 1
        except TransientDeliveryError as exc:
            outcomes["deferred"] += 1
            errors.append(str(exc))
        except RowBusy:
            outcomes["busy"] += 1
    return {"outcomes": dict(outcomes), "errors": errors}


def run_alerts(
    services: Services, *, force: bool = False, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Detect, plan and send; `force` treats every frequency as due."""
    now = now or utcnow()
    detected = detect_changes(services.catalog, now)
    frequencies = due_frequencies(now, force)
    planned = plan(services, frequencies, now)
    sent = send_pending(services)
    return {
        "detected": detected,
        "frequencies": list(frequencies),
        "planned": len(planned),
        **sent,
    }
