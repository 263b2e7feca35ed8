"""Detection never skips a version that commits after a later id (two writers on PostgreSQL).

Writer A takes version id N and stays in flight; writer B takes N+1 and commits. A detection
run then must not move its watermark past N+1 while N can still appear: it waits for A, and
every change is found exactly once.
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select, text

from tests.alerts.conftest import new_record
from wijzer.alerts.detection import detect_changes
from wijzer.catalog.alerts_models import DetectedChange
from wijzer.catalog.db import Catalog
from wijzer.catalog.models import InstrumentVersion
from wijzer.catalog.repository import InstrumentStore
from wijzer.catalog.schema import parse_record

pytestmark = pytest.mark.postgres


def _detector_waits(catalog: Catalog, done: threading.Event, seconds: float = 10) -> bool:
    """True once a session waits for an advisory lock; False if the detector finished first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not done.is_set():
        with catalog.session() as session:
            waiting = session.scalar(
                text(
                    "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
                    "WHERE l.locktype = 'advisory' AND NOT l.granted "
                    "AND d.datname = current_database()"
                )
            )
        if waiting:
            return True
        time.sleep(0.05)
    return False


def test_a_version_committed_out_of_id_order_is_still_detected(
    postgres_catalog: Catalog,
) -> None:
    catalog = postgres_catalog
    early = parse_record(new_record("early-writer", "Eerste schrijver", "x"))
    late = parse_record(new_record("late-writer", "Tweede schrijver", "x"))
    found: list[int] = []
    done = threading.Event()

    def detect() -> None:
        found.append(detect_changes(catalog))
        done.set()

    with catalog.session() as writer_a:
        InstrumentStore(writer_a).upsert(early, "crawl:a")
        writer_a.flush()  # version id N is taken; A has not committed
        with catalog.session() as writer_b:
            InstrumentStore(writer_b).upsert(late, "crawl:b")  # N+1, committed on exit
        detector = threading.Thread(target=detect)
        detector.start()
        waited = _detector_waits(catalog, done)
    # A has committed now.
    detector.join(timeout=30)
    assert not detector.is_alive()
    detect_changes(catalog)  # a later run: a version the first one stepped over is lost

    with catalog.session() as session:
        ids = session.scalars(select(InstrumentVersion.id).order_by(InstrumentVersion.id)).all()
        detected = session.scalars(
            select(DetectedChange.instrument_id).order_by(DetectedChange.id)
        ).all()
        versions = dict(
            session.execute(select(InstrumentVersion.instrument_id, InstrumentVersion.id)).all()
        )
    assert versions["early-writer"] < versions["late-writer"] == ids[-1]
    # What a subscriber notices: both new instruments are announced, each once.
    assert sorted(detected) == ["early-writer", "late-writer"]
    assert waited and found == [2]  # the first run waited for A and found both
