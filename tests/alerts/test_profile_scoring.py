"""Alert profiles scored all at once (matcher.batch_scoring) rank exactly as the matcher's own
batch scorer ranks them: the same instruments, scores, reasons and blockers per profile."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.conftest import PROFILES_DEV
from tests.matcher.conftest import TODAY, encoder_cache, seed_records, usem3  # noqa: F401
from wijzer.alerts import selection
from wijzer.matcher import batch_scoring
from wijzer.matcher.encoders import Encoder
from wijzer.matcher.profile import parse_profile
from wijzer.matcher.ranking import Matcher
from wijzer.search.documents import embedding_text


def test_profiles_scored_together_get_what_each_would_get(
    seed_records: list[dict],  # noqa: F811
    usem3: Encoder,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Small blocks, so profiles straddle block boundaries; every profile twice more with
    # another region, so some share their asks and others do not.
    monkeypatch.setattr(batch_scoring, "BLOCK", 7)
    specs = [json.loads(line) for line in PROFILES_DEV.read_text().splitlines()]
    specs += [{**s, "region": "Groningen"} for s in specs] + [dict(s) for s in specs]
    profiles = [parse_profile(s) for s in specs]
    matcher = Matcher(None, usem3, TODAY)  # type: ignore[arg-type]  # vectors only
    profile_vectors = usem3.encode([p.description for p in profiles])
    record_vectors = usem3.encode([embedding_text(r) for r in seed_records])

    together = selection.score_batch(
        matcher,
        profiles,
        seed_records,
        profile_vectors=profile_vectors,
        record_vectors=record_vectors,
    )
    one_by_one = matcher.score_batch(
        profiles,
        seed_records,
        top=selection.TOP_PER_PROFILE,
        hide_blockers=True,
        min_similarity=selection.MIN_SIMILARITY,
        profile_vectors=profile_vectors,
        record_vectors=record_vectors,
    )

    assert sum(map(len, together)) > len(profiles)  # the comparison is not of empty lists
    for mine, theirs in zip(together, one_by_one, strict=True):
        assert [r.id for r in mine] == [r.id for r in theirs]
        assert np.allclose([r.score for r in mine], [r.score for r in theirs])
        # A block's matrix product may round the last bit differently from the whole one's.
        assert np.allclose([r.similarity for r in mine], [r.similarity for r in theirs])
        assert [[x.as_json() for x in r.reasons] for r in mine] == [
            [x.as_json() for x in r.reasons] for r in theirs
        ]
        assert [[x.as_json() for x in r.blockers] for r in mine] == [
            [x.as_json() for x in r.blockers] for r in theirs
        ]
