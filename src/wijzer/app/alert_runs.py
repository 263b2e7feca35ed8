"""The detect-and-send use case: find changes, plan the due digests, deliver the outbox.

`wijzer alerts run`, the scheduled jobs (in-process or as Celery tasks) and the demo all run
these functions; Celery only decides where each delivery runs.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from wijzer.alerts.delivery import RowBusy, TransientDeliveryError, deliver
from wijzer.alerts.detection import detect_changes
from wijzer.alerts.digests import due_frequencies, pending_outbox, plan_digests, plan_reminders
from wijzer.app import searches
from wijzer.app.indexing import stale_ids, update_index
from wijzer.app.services import Services
from wijzer.catalog.models import utcnow
from wijzer.search.query import SearchQuery, SearchResult

FREQUENCIES = ("immediate", "daily", "weekly")


class LiveSearch:
    """Saved searches run through the search use case, over an index that has caught up."""

    def __init__(self, services: Services):
        self.services = services

    def catch_up(self, ids: Sequence[str]) -> None:
        """Index the changed instruments whose current state the live index lacks (an import
        or a staff edit whose index update was skipped), so search sees what alerts announce."""
        if ids:
            update_index(self.services, stale_ids(self.services, ids))

    def search(self, query: SearchQuery) -> SearchResult:
        return searches.search(self.services, query)


def detect(services: Services, now: dt.datetime | None = None) -> int:
    """Record the alert-worthy changes since the last run; returns how many were found."""
    return detect_changes(services.catalog, now)


def plan(services: Services, frequencies: Iterable[str], now: dt.datetime) -> list[int]:
    """Outbox rows for due digests and reminders (the encoder loads only if profiles need it)."""
    created = plan_digests(
        services.catalog,
        tuple(frequencies),
        searches=LiveSearch(services),
        matcher=services.matcher,
        now=now,
    )
    return created + plan_reminders(services.catalog, now)


def deliver_one(services: Services, outbox_id: int) -> str:
    """Send one outbox row exactly once: sent | already-sent | failed | gone.

    Raises TransientDeliveryError (retry later) or RowBusy (another worker holds it).
    """
    return deliver(services.catalog, services.mail, outbox_id)


def send_pending(
    services: Services,
    now: dt.datetime | None = None,
    dispatch: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Deliver every unsent row here, or hand each to `dispatch` (a queue) instead."""
    outcomes: Counter[str] = Counter()
    errors: list[str] = []
    for outbox_id in pending_outbox(services.catalog, now):
        if dispatch is not None:
            dispatch(outbox_id)
            outcomes["queued"] += 1
            continue
        try:
            outcomes[deliver_one(services, outbox_id)] += 1
        except TransientDeliveryError as exc:
            outcomes["deferred"] += 1
            errors.append(str(exc))
        except RowBusy:
            outcomes["busy"] += 1
    return {"outcomes": dict(outcomes), "errors": errors}


def plan_and_send(
    services: Services,
    frequencies: Iterable[str],
    *,
    now: dt.datetime | None = None,
    dispatch: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Plan the digests of these frequencies (plus reminders) and send every unsent row."""
    now = now or utcnow()
    planned = plan(services, frequencies, now)
    return {
        "frequencies": list(frequencies),
        "planned": len(planned),
        **send_pending(services, dispatch=dispatch),
    }


def run_alerts(
    services: Services, *, force: bool = False, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Detect, plan and send what is due now; `force` treats every frequency as due."""
    now = now or utcnow()
    detected = detect(services, now)
    return {"detected": detected, **plan_and_send(services, due_frequencies(now, force), now=now)}
