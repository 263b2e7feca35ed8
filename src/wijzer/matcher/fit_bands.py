"""A match score as people read it: a fit band ("strong", "good", "possible") and a 0-100 fit.

A score is the fused retrieval score (1.0 for an instrument first in both the lexical and the
vector ranking) plus the structured-fit adjustments of `rules` (a matching province adds 0.4),
so it is unbounded above (1.28 for a first result in its own province) and below. It is never
shown as a percentage. The bands are cut on what a score means, checked on five demo profiles
over the seed corpus (top 20 each): 0.75 and up is at or near the top of both rankings, or a
good text match confirmed by region or wanted type (0-4 results a profile); 0.4 and up is a
good text match in one ranking or a fair one in both (4-7 more); the rest merely share words.
A result with a blocker is at most a possible match, whatever its score.
"""

from __future__ import annotations

BANDS = ("strong", "good", "possible")
STRONG_FROM = 0.75
GOOD_FROM = 0.4


def fit_band(score: float, blocked: bool = False) -> str:
    """The band of a match score; a blocked result is at most "possible"."""
    if blocked or score < GOOD_FROM:
        return "possible"
    return "strong" if score >= STRONG_FROM else "good"


def fit_percent(score: float) -> int:
    """The score on a 0-100 scale for a bar: 100 from a score of 1.0 (a first result), never
    above 100 or below 0."""
    return round(100 * min(1.0, max(0.0, score)))
