"""The beat schedule: nightly crawl chain, index refresh, immediate alerts and digests."""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    # Crawl, then index, detect and alert, as one chain (see jobs.tasks.crawl_pipeline).
    "nightly-crawl": {
        "task": "wijzer.jobs.tasks.crawl_pipeline",
        "schedule": crontab(hour=2, minute=0),
    },
    # Edits by staff and imports reach the index within the hour even without a crawl.
    "index-refresh": {"task": "wijzer.jobs.tasks.refresh_index", "schedule": crontab(minute=15)},
    # Catches changes not made by a crawl (imports, staff edits) for immediate subscribers.
    "immediate-alerts": {
        "task": "wijzer.jobs.tasks.detect_and_send",
        "schedule": 300.0,
        "args": ("immediate",),
    },
    "daily-digests": {
        "task": "wijzer.jobs.tasks.detect_and_send",
        "schedule": crontab(hour=7, minute=0),
        "args": ("daily",),
    },
    "weekly-digests": {
        "task": "wijzer.jobs.tasks.detect_and_send",
        "schedule": crontab(hour=7, minute=5, day_of_week="mon"),
        "args": ("weekly",),
    },
}
