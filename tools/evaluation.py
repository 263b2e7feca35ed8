"""Ranking quality of the matcher on judged profiles: nDCG@k and recall@k (graded 2/1)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wijzer.matcher.profile import Profile, ProfileError, parse_profile


@dataclass
class JudgedProfile:
    profile: Profile
    judgments: dict[str, int]


@dataclass
class Scores:
    ndcg: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    per_profile: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def mean_ndcg(self) -> float:
        return sum(self.ndcg) / len(self.ndcg) if self.ndcg else 0.0

    @property
    def mean_recall(self) -> float:
        return sum(self.recall) / len(self.recall) if self.recall else 0.0


def read_judged(path: Path) -> list[JudgedProfile]:
    """Profiles with a `judgments` object {instrument id: 2 (needed) | 1 (useful)}."""
    out = []
    with path.open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                data: Any = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise ProfileError("(json)", f"not valid JSON: {exc.msg}", number) from None
            profile = parse_profile(data, number)
            judgments = data.get("judgments")
            if not isinstance(judgments, dict) or not judgments:
                raise ProfileError("judgments", "expected a non-empty object", number)
            out.append(JudgedProfile(profile, {str(k): int(v) for k, v in judgments.items()}))
    return out


def ndcg_at(ranked: list[str], judgments: dict[str, int], k: int = 10) -> float:
    dcg = sum(
        (2 ** judgments.get(i, 0) - 1) / math.log2(pos + 2) for pos, i in enumerate(ranked[:k])
    )
    ideal = sorted(judgments.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(pos + 2) for pos, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall_at(ranked: list[str], judgments: dict[str, int], k: int = 10) -> float:
    relevant = {i for i, g in judgments.items() if g > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def evaluate(
    judged: Iterable[JudgedProfile], rank: Callable[[Profile], list[str]], k: int = 10
) -> Scores:
    scores = Scores()
    for item in judged:
        ranked = rank(item.profile)
        n, r = ndcg_at(ranked, item.judgments, k), recall_at(ranked, item.judgments, k)
        scores.ndcg.append(n)
        scores.recall.append(r)
        scores.per_profile[item.profile.id or "?"] = (n, r)
    return scores
