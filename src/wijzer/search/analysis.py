"""Text analysis shared by every backend: the catalog's words, stemmed in Dutch and English,
with Dutch compounds split into their parts.

Both backends index the output of this module, so "subsidies" finds "subsidie", "loans"
finds "loan" and "energie" finds "Energiefonds" identically whether the index is the embedded
one or Elasticsearch. Changing what it produces changes the index: existing indexes need
`wijzer index rebuild` (the index layout version says so).
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass

import Stemmer

from wijzer.catalog.text import STOPWORDS, TOKEN, fold, words
from wijzer.search import compounds

#: Raised whenever the terms this module produces change; an index built by another version
#: is refused until `wijzer index rebuild` (Elasticsearch: `_meta.version` of index_config).
#: 2: Dutch compounds split into their parts.
VERSION = 2

#: Weight of a query stem that only a compound's parts bring in: "innovatiekrediet" still ranks
#: the record named Innovatiekrediet above every other credit (the contract tests say so).
PART_WEIGHT = 0.3

_DUTCH = Stemmer.Stemmer("dutch")
_ENGLISH = Stemmer.Stemmer("english")


@functools.lru_cache(maxsize=200_000)
def stems(word: str) -> tuple[str, ...]:
    """The Dutch and English stems of one folded word (one or two distinct forms)."""
    if word.isdigit():
        return (word,)
    nl = _DUTCH.stemWord(word)
    en = _ENGLISH.stemWord(word)
    return (nl,) if nl == en else (nl, en)


@functools.lru_cache(maxsize=200_000)
def search_stems(word: str) -> tuple[str, ...]:
    """The stems of a folded word followed by the stems of its compound parts, if any."""
    own = stems(word)
    parts = compounds.split(word)
    if not parts:
        return own
    # Parts that are function words ("voor" in "voorwaarden") would only add noise.
    extra = (s for part in parts if part not in STOPWORDS for s in stems(part))
    return tuple(dict.fromkeys(itertools.chain(own, extra)))


def index_terms(text: str) -> list[str]:
    """The stems of a text's words in order (both stems of every word, no compound parts)."""
    return list(itertools.chain.from_iterable(map(stems, words(text))))


def search_terms(text: str) -> list[str]:
    """The terms a document field is indexed under, in order: every word's stems and the
    stems of its compound parts at the same weight, so "energie" finds "energiefonds"."""
    # Flattened in C (map over the cached stems): indexing runs this for every field.
    return list(itertools.chain.from_iterable(map(search_stems, words(text))))


def search_text(text: str) -> str:
    return " ".join(search_terms(text))


def query_groups(text: str) -> list[tuple[str, ...]]:
    """Every stem a query word brings in, its compound parts' included, one group per word
    (for document frequencies and highlighting; `query_words` says how documents match)."""
    groups: list[tuple[str, ...]] = []
    for word in words(text):
        group = search_stems(word)
        if group not in groups:
            groups.append(group)
    return groups


@dataclass(frozen=True)
class QueryWord:
    """One query word: its own stems, and the stems of each of its compound parts."""

    stems: tuple[str, ...]
    parts: tuple[tuple[str, ...], ...] = ()


def query_words(text: str) -> list[QueryWord]:
    """The words of a query; a document matches a word by one of its stems, or, for a
    compound, by all of its parts ("haalbaarheidsonderzoek" meets "haalbaarheid" and
    "onderzoek" apart, never "onderzoek" alone)."""
    out: list[QueryWord] = []
    for word in dict.fromkeys(words(text)):
        parts = tuple(stems(p) for p in compounds.split(word) if p not in STOPWORDS)
        out.append(QueryWord(stems(word), parts if len(parts) > 1 else ()))
    return out


def query_weights(text: str) -> dict[str, float]:
    """Each query stem's weight: 1 for the stems of the words typed, PART_WEIGHT for stems
    that only a compound's parts bring in ("krediet" of "innovatiekrediet")."""
    weights: dict[str, float] = {}
    for word in query_words(text):
        weights.update((stem, 1.0) for stem in word.stems)
    for word in query_words(text):
        for part in word.parts:
            for stem in part:
                weights.setdefault(stem, PART_WEIGHT)
    return weights


def highlight(text: str, query: str, *, start: str = "\x02", end: str = "\x03") -> str:
    """Wrap the words of text whose stems match the query in start/end markers."""
    wanted = {s for group in query_groups(query) for s in group}
    if not wanted:
        return text

    def mark(match: re.Match[str]) -> str:
        word = match.group(0)
        folded = fold(word)
        if folded in STOPWORDS or not set(search_stems(folded)) & wanted:
            return word
        return f"{start}{word}{end}"

    return TOKEN.sub(mark, text)
