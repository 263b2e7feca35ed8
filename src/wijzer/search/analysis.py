"""Text analysis shared by every backend: the catalog's words, stemmed in Dutch and English.

Both backends index the output of this module, so "subsidies" finds "subsidie" and "loans"
finds "loan" identically whether the index is the embedded one or Elasticsearch.
"""

from __future__ import annotations

import functools
import itertools
import re

import Stemmer

from wijzer.catalog.text import STOPWORDS, TOKEN, fold, words

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


def index_terms(text: str) -> list[str]:
    """The terms a document field is indexed under, in order (both stems of every word)."""
    # Flattened in C (map over the cached stems): indexing runs this for every field.
    return list(itertools.chain.from_iterable(map(stems, words(text))))


def index_text(text: str) -> str:
    return " ".join(index_terms(text))


def query_groups(text: str) -> list[tuple[str, ...]]:
    """One group of alternative stems per query word; a document matches a group by any stem."""
    groups: list[tuple[str, ...]] = []
    for word in words(text):
        group = stems(word)
        if group not in groups:
            groups.append(group)
    return groups


def highlight(text: str, query: str, *, start: str = "\x02", end: str = "\x03") -> str:
    """Wrap the words of text whose stems match the query in start/end markers."""
    wanted = {s for group in query_groups(query) for s in group}
    if not wanted:
        return text

    def mark(match: re.Match[str]) -> str:
        word = match.group(0)
        folded = fold(word)
        if folded in STOPWORDS or not set(stems(folded)) & wanted:
            return word
        return f"{start}{word}{end}"

    return TOKEN.sub(mark, text)
