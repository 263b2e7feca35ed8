"""Text helpers every layer shares: accent folding, tokens and the words of a text.

Search analysis indexes `words()`, query understanding and enrichment match vocabularies on
`fold()`ed text, and the matcher's reasons compare `words()`: one definition keeps what a
search finds, what a profile is understood to ask and what a reason quotes in step.

The pipeline is fold -> tokens -> words. Splitting Dutch compounds ("innovatiekrediet" ->
"innovatie" + "krediet") belongs in `words()`, after the stop words are dropped, so that
indexing, queries and reasons all see the parts at once.
"""

from __future__ import annotations

import re
import unicodedata

#: A token is a run of letters and digits; "_" and punctuation separate tokens.
TOKEN = re.compile(r"[^\W_]+", re.UNICODE)

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

_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _drop_combining(match: re.Match[str]) -> str:
    char = match.group(0)
    return "" if unicodedata.combining(char) else char


def strip_accents(text: str) -> str:
    """The text without diacritics (Fryslân -> Fryslan), case kept."""
    if text.isascii():
        return text  # NFKD leaves ASCII as it is: the common case costs one scan
    decomposed = unicodedata.normalize("NFKD", text)
    # Only non-ASCII characters can be combining marks; testing just those keeps indexing fast.
    return _NON_ASCII.sub(_drop_combining, decomposed)


def fold(text: str) -> str:
    """Lower-case and strip diacritics (ë -> e) so spelling variants meet."""
    return strip_accents(text).casefold()


def tokens(text: str) -> list[str]:
    """Folded tokens in order, stop words included."""
    return TOKEN.findall(fold(text))


def words(text: str) -> list[str]:
    """Folded word tokens without stop words: what is indexed, queried and quoted."""
    return [t for t in tokens(text) if t not in STOPWORDS]
