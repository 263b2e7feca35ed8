"""The shared encoder gives the same vectors as the model, batches concurrent calls, caches."""

from __future__ import annotations

import threading

import numpy as np

from wijzer.web.encoding import SharedEncoder


def test_concurrent_calls_are_batched_and_exact(site):
    model = site.services.encoder
    shared = SharedEncoder(model)
    texts = [f"Wij zoeken financiering voor project {i} over waterkwaliteit" for i in range(12)]
    out: dict[int, np.ndarray] = {}

    def call(i: int) -> None:
        out[i] = shared.encode([texts[i]])[0]

    threads = [threading.Thread(target=call, args=(i,)) for i in range(len(texts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    direct = model.encode(texts)
    for i in range(len(texts)):
        assert np.allclose(out[i], direct[i], atol=1e-4)
    assert 1 <= shared.batches < len(texts)
    # A repeated text comes from the cache: no new batch.
    before = shared.batches
    again = shared.encode([texts[3], texts[5]])
    assert shared.batches == before
    assert np.allclose(again[1], direct[5], atol=1e-4)
