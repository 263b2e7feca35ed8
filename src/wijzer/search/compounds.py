"""Dutch compound splitting over wordfreq's Dutch word list: "energiefonds" -> energie + fonds.

Dutch writes compounds as one word, so without splitting "energie" never finds
*Energiefonds* and "haalbaarheidsonderzoek" never meets *Haalbaarheidsproject*. A word is
split into the fewest known Dutch words that spell it, allowing the linking "s" of
"haalbaarheid-s-onderzoek"; among equally short splits the one of the most frequent words
wins. The dictionary is wordfreq's Dutch list (installed from PyPI with the package), cut at
a frequency that keeps real words and drops the noise of a web crawl (see MIN_ZIPF).
"""

from __future__ import annotations

import functools

import wordfreq

# Parts shorter than this are never split off: "ver", "ont" and "ing" would otherwise turn
# "verlichting" or "ontwikkeling" into nonsense. Four letters keeps "zorg", "fase", "gas".
MIN_PART = 4
# Only words at least this long are tried (two parts of four letters).
MIN_WORD = 2 * MIN_PART
# A part must be at least this frequent (Zipf scale: 3 = once per million words). 2.5 admits
# the parts of the compounds the search eval names ("haalbaarheid" 2.99, "overbrugging"
# 2.61, "voucher" 2.88); at 3.0 "overbruggingskrediet" fell apart into over+brug+ging+krediet.
MIN_ZIPF = 2.5
# Derivational endings that are also words ("heden" = nowadays): never a part of their own,
# so "mogelijkheden" and "ondernemerschap" stay whole.
SUFFIXES = frozenset({"heid", "heden", "schap", "schappen", "lijk", "lijke", "baar", "bare"})
# Dutch linking sounds between the parts of a compound ("haalbaarheid-s-onderzoek").
LINKS = ("s",)


@functools.cache
def _zipf() -> dict[str, float]:
    """Zipf frequency of every Dutch word of at least MIN_PART letters above MIN_ZIPF."""
    # wordfreq stores words in buckets of one centibel: bucket i holds frequency 10^(-i/100),
    # so Zipf = 9 - i/100 and the buckets past MIN_ZIPF are never read into the dictionary.
    buckets = wordfreq.get_frequency_list("nl", wordlist="best")
    out: dict[str, float] = {}
    for index, bucket in enumerate(buckets[: round((9 - MIN_ZIPF) * 100) + 1]):
        zipf = 9 - index / 100
        for word in bucket:
            if len(word) >= MIN_PART and word.isalpha():
                out.setdefault(word, zipf)
    return out


def _part(word: str, start: int, end: int, known: dict[str, float]) -> float | None:
    """Zipf of word[start:end] as a part (bare, or followed by a linking sound), else None."""
    piece = word[start:end]
    if piece in SUFFIXES:
        return None
    if piece in known:
        return known[piece]
    for link in LINKS:
        if piece.endswith(link) and end - start > MIN_PART and piece[: -len(link)] in known:
            return known[piece[: -len(link)]]
    return None


@functools.lru_cache(maxsize=200_000)
def split(word: str) -> tuple[str, ...]:
    """The parts of a folded Dutch compound, or () when it is not one (or not Dutch).

    Among the splits into the fewest known words the most frequent wins; it is taken only
    when its parts are on average more frequent than the whole word (Koehn and Knight's
    rule), so a common word such as "overheid" stays whole while "innovatiekrediet" splits.
    """
    if len(word) < MIN_WORD or not word.isalpha():
        return ()
    known = _zipf()
    n = len(word)
    # best[i] = (number of parts, -sum of their zipf, cut positions) for word[i:].
    best: list[tuple[int, float, tuple[int, ...]] | None] = [None] * (n + 1)
    best[n] = (0, 0.0, ())
    for start in range(n - MIN_PART, -1, -1):
        # The whole word is no split of itself: the first part must end before the last letter.
        last = n - MIN_PART if start == 0 else n
        for end in range(start + MIN_PART, last + 1):
            rest = best[end]
            zipf = None if rest is None else _part(word, start, end, known)
            if rest is None or zipf is None:
                continue
            candidate = (rest[0] + 1, rest[1] - zipf, (end, *rest[2]))
            current = best[start]
            if current is None or candidate[:2] < current[:2]:
                best[start] = candidate
    found = best[0]
    if found is None or -found[1] / found[0] <= known.get(word, 0.0):
        return ()
    parts, start = [], 0
    for end in found[2]:
        piece = word[start:end]
        if piece not in known:
            piece = next(piece[: -len(link)] for link in LINKS if piece.endswith(link))
        parts.append(piece)
        start = end
    return tuple(parts)
