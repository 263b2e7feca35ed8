"""Text analysis shared by every backend: tokenise, fold, drop stop words, stem Dutch and English.

Both backends index the output of this module, so "subsidies" finds "subsidie" and "loans"
finds "loan" identically whether the index is the embedded one or Elasticsearch.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import Stemmer

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)

# Function words of both languages; kept as text so the lists read like prose.
_STOPWORD_TEXT = """
de het een en van in op te voor met is zijn aan als bij dat die dit door er naar niet of om
ook tot uit over maar dan wat wel nog al kan ze we wij u uw je jij hij zij ik mijn onze ons
worden wordt werd kunnen moet hun hen deze der des geen meer zo zal zou waar wie hoe heb
hebben heeft had was waren per vanaf via the a an and or of to in on for with is are be by
at as it its this that these those from we our you your they their not no can will would
has have had was were been into about than then there which who what when how all any
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_DUTCH = Stemmer.Stemmer("dutch")
_ENGLISH = Stemmer.Stemmer("english")


def fold(text: str) -> str:
    """Lower-case and strip diacritics (ë -> e) so spelling variants meet."""
    decomposed = unicodedata.normalize("NFKD", text)
    # Only non-ASCII characters can be combining marks; testing just those keeps indexing fast.
    return _NON_ASCII.sub(_drop_combining, decomposed).casefold()


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _drop_combining(match: re.Match[str]) -> str:
    char = match.group(0)
    return "" if unicodedata.combining(char) else char


def words(text: str) -> list[str]:
    """Folded word tokens without stop words."""
    return [t for t in _TOKEN.findall(fold(text)) if t not in STOPWORDS]


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
    out: list[str] = []
    for word in words(text):
        out.extend(stems(word))
    return out


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

    return _TOKEN.sub(mark, text)
