"""The embedded backend's cut of a page from many hits is exactly the sorted order (the sampled
threshold that avoids partitioning every key must never change which hits a page shows)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from wijzer.search.embedded import _first


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    size=st.integers(1, 60_000),
    count=st.integers(1, 300),
    shape=st.sampled_from(["spread", "few values", "float32", "with nan"]),
)
def test_the_first_hits_are_the_smallest_keys_ties_by_id(
    seed: int, size: int, count: int, shape: str
) -> None:
    rng = np.random.default_rng(seed)
    keys: np.ndarray
    if shape == "spread":
        keys = rng.normal(size=size)
    elif shape == "few values":
        # Many equal keys, as the no-deadline bucket or a shared status weight gives.
        keys = rng.integers(0, 4, size=size).astype(np.float64)
    elif shape == "float32":
        keys = -rng.random(size).astype(np.float32)
    else:
        keys = rng.normal(size=size)
        keys[rng.random(size) < 0.3] = np.nan
    ranks = rng.permutation(size).astype(np.float64)
    expected = np.lexsort((ranks, np.where(np.isnan(keys), np.inf, keys)))[:count]
    if shape == "with nan" and np.count_nonzero(~np.isnan(keys)) < count:
        # Documents without a key only fill a page after every keyed one; their order is not
        # what this test is about.
        expected = expected[: np.count_nonzero(~np.isnan(keys))]
        assert np.array_equal(_first(keys, ranks, count)[: expected.size], expected)
        return
    assert np.array_equal(_first(keys, ranks, count), expected)


def test_a_page_with_fewer_keyed_hits_than_its_size_shows_them_first_then_the_rest() -> None:
    # Three hits with a key among fifty without: the page of ten is the three, then the lowest
    # ids of the rest (it came back empty when NaN became the page's threshold).
    keys = np.array([np.nan] * 50 + [3.0, 1.0, 2.0])
    ranks = np.arange(keys.size, dtype=np.float64)
    assert _first(keys, ranks, 10).tolist() == [51, 52, 50, 0, 1, 2, 3, 4, 5, 6]
