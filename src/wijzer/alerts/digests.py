"""Plan digests into the outbox: one row per (subscription, window), never two.

A window is the unit of "exactly once": `daily:2026-11-22`, `weekly:2026-W47`,
`immediate:<last change id>`, `reminder:<day>`, `confirm:<nonce>`. The row, the
subscription's change cursor and the reminders it covers are written in one transaction;
the unique key makes a concurrent or repeated planner skip instead of duplicating.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from wijzer.alerts import subscriptions as subs
from wijzer.alerts.selection import (
    SavedSearches,
    is_closed,
    profile_of,
    profile_reasons,
    score_batch,
    search_reasons,
    search_results,
)
from wijzer.catalog.alerts_models import AlertOutbox, DetectedChange, SavedInstrument, Subscription
from wijzer.catalog.db import Catalog
from wijzer.catalog.models import Instrument, utcnow
from wijzer.catalog.repository import instrument_to_dict
from wijzer.catalog.status import next_deadline
from wijzer.matcher.ranking import Matcher
from wijzer.matcher.reasons import Reason

REMINDER_DAYS = (14, 3)
# Daily and weekly digests go out from this hour (UTC) on; weekly ones on Mondays.
DIGEST_HOUR = 7


class StalePlan(RuntimeError):
    """Another planner moved the subscription's cursor first; this plan is dropped."""


def window_key(frequency: str, now: dt.datetime, last_change_id: int) -> str:
    if frequency == "daily":
        return f"daily:{now.date().isoformat()}"
    if frequency == "weekly":
        year, week, _ = now.date().isocalendar()
        return f"weekly:{year}-W{week:02d}"
    return f"immediate:{last_change_id}"


def message_id(subscription_id: int, window: str, domain: str = "wijzer.localhost") -> str:
    """Deterministic per outbox key, so a resend is recognisably the same message."""
    digest = hashlib.sha256(f"{subscription_id}|{window}".encode()).hexdigest()[:32]
    return f"<alert-{digest}@{domain}>"


def due_frequencies(now: dt.datetime, force: bool = False) -> tuple[str, ...]:
    """Immediate is always due; daily from DIGEST_HOUR; weekly on Monday from then."""
    if force:
        return ("immediate", "daily", "weekly")
    due = ["immediate"]
    if now.hour >= DIGEST_HOUR:
        due.append("daily")
        if now.weekday() == 0:
            due.append("weekly")
    return tuple(due)


def _add_outbox(
    catalog: Catalog,
    subscription_id: int,
    window: str,
    payload: dict[str, Any],
    apply: Callable[[Any], None] | None = None,
) -> int | None:
    """Insert one outbox row (and apply cursor updates) atomically; None if the key exists."""
    try:
        with catalog.session() as session:
            row = AlertOutbox(
                subscription_id=subscription_id,
                window_key=window,
                payload=payload,
                instrument_ids=[i["id"] for i in payload.get("items", [])],
                state="pending",
                attempts=0,
                message_id=message_id(subscription_id, window),
            )
            session.add(row)
            if apply is not None:
                apply(session)
            session.flush()
            return row.id
    except (IntegrityError, StalePlan):
        return None


def queue_confirmation(catalog: Catalog, subscription: Subscription) -> int | None:
    """The double opt-in email, through the outbox like every other message."""
    return _add_outbox(
        catalog, subscription.id, f"confirm:{subscription.nonce}", {"kind": "confirm"}
    )


def _item(record: dict[str, Any], today: dt.date) -> dict[str, Any]:
    deadline = next_deadline(record.get("deadlines") or [], today)
    return {
        "id": record["id"],
        "title": record.get("title") or record["id"],
        "funder": record.get("funder") or "",
        "deadline": deadline.isoformat() if deadline else None,
        "kinds": [],
        "reasons": [],
    }


def plan_digests(
    catalog: Catalog,
    frequencies: Iterable[str],
    *,
    searches: SavedSearches,
    matcher: Callable[[dt.date], Matcher],
    now: dt.datetime | None = None,
) -> list[int]:
    """Outbox rows for every active subscription of these frequencies with new matches.

    `searches` runs a saved search as the site does (its results decide); `matcher(today)` gives
    the matcher for profile subscriptions (called only when one needs it: loading costs time).
    """
    now = now or utcnow()
    today = now.date()
    frequencies = tuple(frequencies)
    with catalog.session() as session:
        active = list(
            session.scalars(
                select(Subscription)
                .where(Subscription.status == "active")
                # An instrument's subscriber asked for its deadline reminders only.
                .where(Subscription.kind != "instrument")
                .where(Subscription.frequency.in_(frequencies))
                .order_by(Subscription.id)
            )
        )
        if not active:
            return []
        since = min(s.last_change_id for s in active)
        changes = list(
            session.scalars(
                select(DetectedChange).where(DetectedChange.id > since).order_by(DetectedChange.id)
            )
        )
        records: dict[str, dict[str, Any]] = {}
        for instrument_id in {c.instrument_id for c in changes}:
            instrument = session.get(Instrument, instrument_id)
            if instrument is not None and instrument.is_listed:
                records[instrument_id] = instrument_to_dict(instrument)
        exclusions = {s.id: subs.excluded_ids(session, s.id) for s in active}
    if not changes:
        return []
    last_id = changes[-1].id
    # Closed instruments still matter when the change is that they closed early.
    alertable = [
        r
        for r in records.values()
        if not is_closed(r, today)
        or any(c.kind == "closed_early" and c.instrument_id == r["id"] for c in changes)
    ]
    profile_hits = _profile_hits(
        [s for s in active if s.kind == "profile"], alertable, matcher, today
    )
    alertable_ids = {r["id"] for r in alertable}
    if any(s.kind == "query" for s in active):
        searches.catch_up(sorted({c.instrument_id for c in changes}))
    # Identical saved searches (same words, filters and exclusions) are searched once.
    searched: dict[str, set[str]] = {}
    created: list[int] = []
    for subscription in active:
        mine = [c for c in changes if c.id > subscription.last_change_id]
        if not mine:
            continue
        items: dict[str, dict[str, Any]] = {}
        for change in mine:
            record = records.get(change.instrument_id)
            if record is None or change.instrument_id in exclusions[subscription.id]:
                continue
            if subscription.kind == "query":
                key = repr((sorted(subscription.spec.items()), sorted(exclusions[subscription.id])))
                if key not in searched:
                    searched[key] = set(
                        search_results(
                            searches.search,
                            subscription.spec,
                            alertable_ids,
                            exclusions[subscription.id],
                            today,
                        )
                    )
                found = (
                    search_reasons(subscription.spec, record)
                    if change.instrument_id in searched[key]
                    else None
                )
            else:
                found = profile_hits.get(subscription.id, {}).get(change.instrument_id)
            if found is None:
                continue
            item = items.setdefault(change.instrument_id, _item(record, today))
            # As data: the email words them in the subscriber's language when it is sent.
            item["reasons"] = [r.as_json() for r in found]
            if change.kind not in item["kinds"]:
                item["kinds"].append(change.kind)
        window = window_key(subscription.frequency, now, last_id)

        def advance(
            session: Any,
            sid: int = subscription.id,
            sent: bool = bool(items),
            seen: int = subscription.last_change_id,
        ) -> None:
            # Compare-and-set on the cursor: a concurrent planner that already moved it
            # covered these changes, so this plan is dropped instead of sending them twice.
            moved = session.execute(
                update(Subscription)
                .where(Subscription.id == sid, Subscription.last_change_id == seen)
                .values(last_change_id=last_id, **({"last_digest_at": now} if sent else {}))
                .execution_options(synchronize_session=False)
            ).rowcount
            if not moved:
                raise StalePlan(sid)

        if not items:
            _advance_only(catalog, subscription.id, window, advance)
            continue
        payload = {
            "kind": "digest",
            "frequency": subscription.frequency,
            "window": window,
            "items": list(items.values()),
        }
        outbox_id = _add_outbox(catalog, subscription.id, window, payload, advance)
        if outbox_id is not None:
            created.append(outbox_id)
    return created


def _advance_only(catalog: Catalog, subscription_id: int, window: str, advance: Any) -> None:
    # Nothing matched: move the cursor unless this window already went out (then the changes
    # wait for the next window, which is what a digest means).
    with contextlib.suppress(StalePlan), catalog.session() as session:
        taken = session.scalar(
            select(func.count())
            .select_from(AlertOutbox)
            .where(
                AlertOutbox.subscription_id == subscription_id,
                AlertOutbox.window_key == window,
            )
        )
        if not taken:
            advance(session)


def _profile_hits(
    profile_subs: list[Subscription],
    records: list[dict[str, Any]],
    matcher: Callable[[dt.date], Matcher],
    today: dt.date,
) -> dict[int, dict[str, list[Reason]]]:
    """{subscription id: {instrument id: reasons}} from one batch scoring of all profiles."""
    if not profile_subs or not records:
        return {}
    results = score_batch(matcher(today), [profile_of(s.spec) for s in profile_subs], records)
    out: dict[int, dict[str, list[Reason]]] = {}
    for subscription, matched in zip(profile_subs, results, strict=True):
        out[subscription.id] = profile_reasons(matched)
    return out


def plan_reminders(catalog: Catalog, now: dt.datetime | None = None) -> list[int]:
    """Closing-soon reminders (REMINDER_DAYS before a deadline) for saved instruments."""
    now = now or utcnow()
    today = now.date()
    due: dict[int, list[tuple[int, dict[str, Any], list[str]]]] = defaultdict(list)
    with catalog.session() as session:
        rows = session.execute(
            select(SavedInstrument, Subscription.language)
            .join(Subscription, Subscription.id == SavedInstrument.subscription_id)
            .where(Subscription.status == "active")
        ).all()
        for saved, _language in rows:
            instrument = session.get(Instrument, saved.instrument_id)
            if instrument is None or not instrument.is_listed:
                continue
            record = instrument_to_dict(instrument)
            deadline = next_deadline(record.get("deadlines") or [], today)
            if deadline is None:
                continue
            days = (deadline - today).days
            keys = [f"{deadline.isoformat()}:{d}" for d in REMINDER_DAYS if days <= d]
            new_keys = [k for k in keys if k not in (saved.reminded or [])]
            if new_keys:
                item = _item(record, today)
                item["kinds"] = ["closing_soon"]
                item["days_left"] = days
                due[saved.subscription_id].append((saved.id, item, new_keys))
    created: list[int] = []
    window = f"reminder:{today.isoformat()}"
    for subscription_id, entries in due.items():

        def mark(session: Any, entries: list[Any] = entries) -> None:
            for saved_id, _entry, keys in entries:
                saved = session.get(SavedInstrument, saved_id)
                saved.reminded = [*(saved.reminded or []), *keys]

        payload = {"kind": "reminder", "window": window, "items": [e[1] for e in entries]}
        outbox_id = _add_outbox(catalog, subscription_id, window, payload, mark)
        if outbox_id is not None:
            created.append(outbox_id)
    return created


def pending_outbox(catalog: Catalog, now: dt.datetime | None = None) -> list[int]:
    """Rows still to send: pending, or stuck in sending past their lease (crash recovery)."""
    now = now or utcnow()
    with catalog.session() as session:
        return list(
            session.scalars(
                select(AlertOutbox.id)
                .where(
                    (AlertOutbox.state == "pending")
                    | ((AlertOutbox.state == "sending") & (AlertOutbox.lease_until < now))
                )
                .order_by(AlertOutbox.id)
            )
        )
