"""One definition of the structured-fit rules: one record, a table of many and the batch agree."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import numpy as np
import pytest

from tests.conftest import PROFILES_DEV
from tests.matcher.conftest import TODAY
from wijzer.catalog.status import status_of
from wijzer.matcher import rules
from wijzer.matcher.explain import assess
from wijzer.matcher.profile import Profile, parse_profile
from wijzer.matcher.ranking import Matcher, rank_score
from wijzer.matcher.understanding import understand


def dev_profiles() -> list[Profile]:
    rows = [json.loads(line) for line in PROFILES_DEV.read_text().splitlines() if line]
    # The dev profiles state no amount and seldom a wanted type: two that do.
    rows.append(
        {
            "description": "Scale-up in Eindhoven needs a loan of € 1,5 mln for a new factory.",
            "language": "en",
            "size": "medium",
            "stage": "scaleup",
            "wants": ["loan", "guarantee"],
        }
    )
    rows.append({"description": "Eenmanszaak zoekt 30k werkkapitaal", "size": "micro"})
    return [parse_profile(row) for row in rows]


@pytest.fixture(scope="module")
def records(seed_records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The seed corpus, plus copies that state size, stage and amounts (the seed states none)."""
    facts = [
        {"sizes": ["micro", "small"], "amount_min": 5_000.0, "amount_max": 50_000.0},
        {"sizes": ["medium", "large"], "stages": ["scaleup"], "amount_min": 150_000.0},
        {"stages": ["idea", "startup"], "amount_max": 1_000_000.0, "opens_at": "2026-09-01"},
    ]
    extra = [
        {**record, **facts[n % len(facts)], "id": f"{record['id']}-facts"}
        for n, record in enumerate(seed_records[:30])
    ]
    return [*seed_records, *extra]


def test_one_record_and_a_table_of_all_give_the_same_fit(records: list[dict[str, Any]]) -> None:
    table = rules.FitTable(records, TODAY)
    for profile in dev_profiles():
        understanding = understand(profile.description)
        assessment = rules.assess_table(rules.Asks.of(profile, understanding), table)
        for row, record in enumerate(records):
            fit = assess(profile, record, understanding, TODAY)
            assert fit.adjustment == pytest.approx(assessment.adjustment[row]), record["id"]
            assert fit.closed == assessment.closed[row]
            assert bool(fit.blockers) == assessment.blocked[row], record["id"]


def test_batch_scoring_and_candidate_scoring_use_the_same_rules(
    records: list[dict[str, Any]],
) -> None:
    profiles = dev_profiles()
    rng = np.random.default_rng(3)
    profile_vectors, record_vectors = (
        v / np.linalg.norm(v, axis=1, keepdims=True)  # unit length, as encoders give them
        for v in (rng.standard_normal((len(profiles), 16)), rng.standard_normal((len(records), 16)))
    )
    matcher = Matcher(None, None, TODAY)  # type: ignore[arg-type]  # vectors given: no encoder
    batch = matcher.score_batch(
        profiles,
        records,
        top=len(records),
        include_closed=True,
        profile_vectors=profile_vectors,
        record_vectors=record_vectors,
    )
    by_id = {r["id"]: r for r in records}
    for n, (profile, results) in enumerate(zip(profiles, batch, strict=True)):
        assert len(results) == len(records)
        understanding = understand(profile.description)
        similarities = record_vectors @ profile_vectors[n]
        # The rank of each record by similarity is its retrieval score, as in `match`.
        order = sorted(range(len(records)), key=lambda i: (-similarities[i], i))
        retrieval = {records[i]["id"]: rank_score(rank) for rank, i in enumerate(order, 1)}
        for result in results:
            fit = assess(profile, by_id[result.id], understanding, TODAY)
            assert result.score == pytest.approx(retrieval[result.id] + fit.adjustment)
            assert (result.reasons, result.blockers) == (fit.reasons, fit.blockers)
        candidates = [(by_id[r.id], retrieval[r.id]) for r in results]
        scored = matcher.score_candidates(profile, candidates, understanding=understanding)
        assert [(r.id, r.score) for r in scored] == [(r.id, r.score) for r in results]


def test_a_kept_status_decision_follows_the_records_facts_and_the_day() -> None:
    record = {"id": "x-call", "deadlines": ["2026-09-17"], "status_signals": []}
    before, after = dt.date(2026, 9, 1), dt.date(2026, 10, 1)
    for day in (before, after, before):
        assert rules.decision_of(record, day) == status_of(record, day)
    assert rules.decision_of(record, before).status == "open"
    assert rules.decision_of(record, after).status == "closed"
    # The same record with a new deadline is decided anew, not answered from what was kept.
    moved = {**record, "deadlines": ["2026-12-01"]}
    assert rules.decision_of(moved, after).status == "open"
    # So is a staff decision.
    confirmed = {**record, "confirmed_status": "open"}
    assert rules.decision_of(confirmed, after).status == "open"
