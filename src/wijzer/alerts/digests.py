"""Plan digests into the outbox: one row per (subscription, window), never two.

A window is the unit of "exactly once": `daily:2026-11-22`, `weekly:2026-W47`,
`immediate:<last change id>`, `reminder:<day>`, `confirm:<nonce>`. The row, the
subscription's change cursor and the reminders it covers are written in one transaction;
the unique key makes a concurrent or repeated planner skip instead of duplicating. A run
writes the digests of all its subscriptions in one transaction (bulk statements); only
after a clash with a concurrent planner does it fall back to one transaction each.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select, update
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
# Ids per IN list of the bulk write (well under SQLite's limit of bound parameters).
CHUNK = 500
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


@dataclass
class _Plan:
    """What one subscription's run decided: the window, the cursor it read, the digest."""

    subscription_id: int
    seen: int
    window: str
    payload: dict[str, Any] | None


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
        exclusions = subs.excluded_by_subscription(session, [s.id for s in active])
    if not changes:
        return []
    last_id = changes[-1].id
    # Closed instruments still matter when the change is that they closed early.
    closed_early = {c.instrument_id for c in changes if c.kind == "closed_early"}
    alertable = [r for r in records.values() if r["id"] in closed_early or not is_closed(r, today)]
    profile_hits = _profile_hits(
        [s for s in active if s.kind == "profile"], alertable, matcher, today
    )
    alertable_ids = {r["id"] for r in alertable}
    if any(s.kind == "query" for s in active):
        searches.catch_up(sorted({c.instrument_id for c in changes}))
    by_instrument: dict[str, list[DetectedChange]] = defaultdict(list)
    for change in changes:
        by_instrument[change.instrument_id].append(change)
    # Identical saved searches (same words, filters and exclusions) are searched once.
    searched: dict[str, set[str]] = {}
    plans: list[_Plan] = []
    for subscription in active:
        if subscription.last_change_id >= last_id:
            continue
        excluded = exclusions.get(subscription.id, set())
        if subscription.kind == "query":
            key = repr((sorted(subscription.spec.items()), sorted(excluded)))
            if key not in searched:
                searched[key] = set(
                    search_results(
                        searches.search, subscription.spec, alertable_ids, excluded, today
                    )
                )
            found = {
                i: search_reasons(subscription.spec, records[i])
                for i in searched[key]
                if i in records
            }
        else:
            found = profile_hits.get(subscription.id, {})
        items = _items(found, by_instrument, records, excluded, subscription.last_change_id, today)
        window = window_key(subscription.frequency, now, last_id)
        payload = (
            {
                "kind": "digest",
                "frequency": subscription.frequency,
                "window": window,
                "items": items,
            }
            if items
            else None
        )
        plans.append(_Plan(subscription.id, subscription.last_change_id, window, payload))
    try:
        return _write_plans(catalog, plans, last_id, now)
    except IntegrityError:
        # A concurrent planner wrote one of these windows between our check and our insert:
        # each subscription on its own then, where such a clash drops only its own plan.
        return [i for p in plans if (i := _write_one(catalog, p, last_id, now)) is not None]


def _items(
    found: dict[str, list[Reason]],
    by_instrument: dict[str, list[DetectedChange]],
    records: dict[str, dict[str, Any]],
    excluded: set[str],
    seen: int,
    today: dt.date,
) -> list[dict[str, Any]]:
    """The digest's items: each found instrument with a change after `seen`, in change order."""
    firsts: list[tuple[int, dict[str, Any]]] = []
    for instrument_id, why in found.items():
        if instrument_id in excluded or instrument_id not in records:
            continue
        mine = [c for c in by_instrument.get(instrument_id, ()) if c.id > seen]
        if not mine:
            continue
        item = _item(records[instrument_id], today)
        # As data: the email words them in the subscriber's language when it is sent.
        item["reasons"] = [r.as_json() for r in why]
        item["kinds"] = list(dict.fromkeys(c.kind for c in mine))
        firsts.append((mine[0].id, item))
    return [item for _, item in sorted(firsts, key=lambda pair: pair[0])]


def _outbox_row(plan: _Plan, payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "subscription_id": plan.subscription_id,
        "window_key": plan.window,
        "payload": payload,
        "instrument_ids": [i["id"] for i in payload["items"]],
        "state": "pending",
        "attempts": 0,
        "message_id": message_id(plan.subscription_id, plan.window),
    }


def _write_plans(catalog: Catalog, plans: list[_Plan], last_id: int, now: dt.datetime) -> list[int]:
    """Every plan in one transaction: cursors moved by compare-and-set in a few statements,
    the outbox rows inserted in bulk. A plan whose window already went out is skipped (its
    changes wait for the next window); one whose cursor another planner moved is dropped."""
    created: list[int] = []
    with catalog.session() as session:
        taken: set[tuple[int, str]] = set()
        windows = {p.window for p in plans}
        ids = [p.subscription_id for p in plans]
        for start in range(0, len(ids), CHUNK):
            written = session.execute(
                select(AlertOutbox.subscription_id, AlertOutbox.window_key)
                .where(AlertOutbox.subscription_id.in_(ids[start : start + CHUNK]))
                .where(AlertOutbox.window_key.in_(windows))
            )
            taken.update((subscription_id, window) for subscription_id, window in written)
        ready = [p for p in plans if (p.subscription_id, p.window) not in taken]
        # Compare-and-set on each cursor, grouped by the value read: a concurrent planner
        # that already moved one covered its changes, so that plan is dropped, not sent twice.
        groups: dict[tuple[int, bool], list[int]] = defaultdict(list)
        for plan in ready:
            groups[(plan.seen, plan.payload is not None)].append(plan.subscription_id)
        # Row locks in id order first (PostgreSQL; SQLite has one writer): two planners
        # updating overlapping sets in another order could deadlock. NO KEY UPDATE, as the
        # update itself takes: inserting rows that refer to a subscription is not blocked.
        ready_ids = sorted(p.subscription_id for p in ready)
        for start in range(0, len(ready_ids), CHUNK):
            session.execute(
                select(Subscription.id)
                .where(Subscription.id.in_(ready_ids[start : start + CHUNK]))
                .order_by(Subscription.id)
                .with_for_update(key_share=True)
            ).all()
        moved: set[int] = set()
        for (seen, sent), members in groups.items():
            for start in range(0, len(members), CHUNK):
                moved.update(
                    session.scalars(
                        update(Subscription)
                        .where(Subscription.id.in_(members[start : start + CHUNK]))
                        .where(Subscription.last_change_id == seen)
                        .values(last_change_id=last_id, **({"last_digest_at": now} if sent else {}))
                        .returning(Subscription.id)
                        .execution_options(synchronize_session=False)
                    )
                )
        rows = [
            _outbox_row(p, p.payload)
            for p in ready
            if p.payload is not None and p.subscription_id in moved
        ]
        if rows:
            created = list(session.scalars(insert(AlertOutbox).returning(AlertOutbox.id), rows))
    return created


def _write_one(catalog: Catalog, plan: _Plan, last_id: int, now: dt.datetime) -> int | None:
    """One plan in its own transaction (the path after a clash in the bulk write)."""

    def advance(session: Any) -> None:
        moved = session.execute(
            update(Subscription)
            .where(Subscription.id == plan.subscription_id)
            .where(Subscription.last_change_id == plan.seen)
            .values(last_change_id=last_id, **({"last_digest_at": now} if plan.payload else {}))
            .execution_options(synchronize_session=False)
        ).rowcount
        if not moved:
            raise StalePlan(plan.subscription_id)

    if plan.payload is None:
        _advance_only(catalog, plan.subscription_id, plan.window, advance)
        return None
    return _add_outbox(catalog, plan.subscription_id, plan.window, plan.payload, advance)


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
