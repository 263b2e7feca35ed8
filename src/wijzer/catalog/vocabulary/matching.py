"""How vocabulary words are found in text: at word starts, as whole words, with exceptions."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

# A letter or digit: what a word start may not follow and a whole word may not precede.
NOT_AFTER_WORD = r"(?<![^\W_])"
NOT_BEFORE_WORD = r"(?![^\W_])"
_SEPARATORS = re.compile(r"[\s-]+")


def load(name: str) -> dict[str, Any]:
    """One of the vocabulary data files shipped with the package."""
    data = resources.files("wijzer.catalog.vocabulary").joinpath(name).read_bytes()
    return tomllib.loads(data.decode("utf-8"))


def phrase_pattern(phrase: str) -> str:
    """A regex for a folded phrase in which spaces and hyphens match any run of either."""
    return r"[\s-]+".join(re.escape(part) for part in _SEPARATORS.split(phrase.strip()))


def phrase_key(matched: str) -> str:
    """The form a phrase is listed under, for text the phrase pattern matched."""
    return " ".join(_SEPARATORS.split(matched.strip()))


def branches(phrases: list[str], *, whole: bool) -> list[str]:
    """One regex per phrase, longest first so the longest of overlapping ones wins."""
    ordered = sorted({phrase_key(p) for p in phrases}, key=len, reverse=True)
    end = NOT_BEFORE_WORD if whole else ""
    return [phrase_pattern(p) + end for p in ordered]


def alternation(phrases: list[str], *, whole: bool) -> str:
    """One alternative per phrase, longest first so the longest of overlapping ones wins."""
    return "|".join(branches(phrases, whole=whole))


def _first_letter_form(branch: str, exceptions: list[str]) -> str | None:
    """`branch` at a word start, written to begin with its first letter (None when it begins
    with anything else): `c(?<![^\\W_]c)rest` is `(?<![^\\W_])crest`, and the exceptions that
    begin with c are tested after it."""
    first = branch[0]
    if not first.isalnum() or any(not e[0].isalnum() for e in exceptions):
        return None
    unless = [e[1:] for e in exceptions if e[0] == first]
    check = f"(?!{'|'.join(unless)})" if unless else ""
    return f"{first}(?<![^\\W_]{first}){check}{branch[1:]}"


def _any_of(alternatives: list[str]) -> re.Pattern[str]:
    """Any of the alternatives at a word start, in the first-letter form where it applies."""
    forms = [_first_letter_form(branch, []) for branch in alternatives]
    if all(forms):
        return re.compile(f"(?:{'|'.join(f for f in forms if f)})")
    return re.compile(f"{NOT_AFTER_WORD}(?:{'|'.join(alternatives)})")


@dataclass(frozen=True)
class Keywords:
    """The keywords of one code: word starts, whole words, and word starts that are not it."""

    starts: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    exceptions: tuple[str, ...] = ()

    def branches(self) -> list[str]:
        """One regex per keyword: the whole words, then the word starts, longest first."""
        return [
            *branches(list(self.words), whole=True),
            *branches(list(self.starts), whole=False),
        ]

    def alternatives(self) -> list[str]:
        """The regex of the whole words and of the word starts (those listed)."""
        return [
            a
            for a in (
                alternation(list(self.words), whole=True),
                alternation(list(self.starts), whole=False),
            )
            if a
        ]

    def pattern(self) -> re.Pattern[str]:
        """What finds the code's keywords at word starts (the same matches as `word_start_pattern`).

        Written to begin with the keywords' first letters: Python's regex engine then skips to
        the next position holding one of them, where a pattern that begins with the word-start
        test is tried at every position. findall of the instrument types over a recorded page
        took 0.55x the time; the crawl's type and stage inference over the 45 recorded pages
        0.87x (median of 40 alternating rounds), with the same results.
        """
        if self._not_after():
            # An exception that begins before its keyword ("business development") needs a
            # lookbehind at the word start: the plain form has it.
            return self.word_start_pattern()
        exceptions = branches(list(self.exceptions), whole=False)
        forms = [_first_letter_form(branch, exceptions) for branch in self.branches()]
        if not forms or any(form is None for form in forms):
            return self.word_start_pattern()
        return re.compile(f"(?:{'|'.join(f for f in forms if f)})")

    def word_start_pattern(self) -> re.Pattern[str]:
        """The plain form: a word start, no exception there, then any keyword."""
        unless = ""
        if self.exceptions:
            unless = f"(?!{alternation(list(self.exceptions), whole=False)})"
        behind = "".join(self._not_after())
        return re.compile(f"{NOT_AFTER_WORD}{behind}{unless}(?:{'|'.join(self.alternatives())})")

    def _not_after(self) -> list[str]:
        """Lookbehinds for exceptions whose keyword is not their first word ("business
        development" is no development): a lookahead at the keyword cannot see the words before
        it, so such an exception never applied."""
        keywords = [phrase_key(k) for k in (*self.starts, *self.words)]
        out = []
        for exception in self.exceptions:
            parts = phrase_key(exception).split(" ")
            if any(phrase_key(exception).startswith(k) for k in keywords):
                continue
            for i in range(1, len(parts)):
                if any(" ".join(parts[i:]).startswith(k) for k in keywords):
                    before = " ".join(parts[:i])
                    out += [f"(?<!{re.escape(before + sep)})" for sep in (" ", "-")]
                    break
        return out


class KeywordSet:
    """The codes of one vocabulary (themes, types, ...) and the keywords that name each.

    Codes keep the order of the data file: it is the order results are listed in, and for
    instrument types the precedence when a title names two.
    """

    def __init__(self, table: dict[str, dict[str, list[str]]]):
        self.keywords = {
            code: Keywords(
                starts=tuple(entry.get("starts", ())),
                words=tuple(entry.get("words", ())),
                exceptions=tuple(entry.get("except", ())),
            )
            for code, entry in table.items()
        }
        self._patterns = {code: k.pattern() for code, k in self.keywords.items()}
        # Any keyword of any code, exceptions left out: where it finds nothing, no code's
        # pattern can (most text units name no code of a vocabulary), so one scan replaces
        # one per code. Fact extraction of a first crawl: 2.6 -> 1.2 s CPU in codes_in, the
        # same codes for all 27,439 texts. A code without keywords would match any text.
        each = [k.branches() for k in self.keywords.values()]
        self._anything = _any_of([b for some in each for b in some]) if all(each) else None

    def _names_nothing(self, folded: str) -> bool:
        return self._anything is not None and self._anything.search(folded) is None

    @property
    def codes(self) -> list[str]:
        return list(self.keywords)

    def hits(self, folded: str) -> dict[str, int]:
        """How many different keywords of each code occur in the folded text (0 included)."""
        if self._names_nothing(folded):
            return dict.fromkeys(self._patterns, 0)
        return {
            code: len({phrase_key(m) for m in pattern.findall(folded)})
            for code, pattern in self._patterns.items()
        }

    def codes_in(self, folded: str) -> list[str]:
        """The codes with at least one keyword in the folded text."""
        if self._names_nothing(folded):
            return []
        return [code for code, pattern in self._patterns.items() if pattern.search(folded)]

    def codes_inside_words(self, folded: str, min_length: int = 4) -> list[str]:
        """Codes whose word-start keywords occur anywhere, also inside a word: Dutch compounds
        name a kind at their end ("innovatiekrediet"). Short keywords are left out: inside
        words they match by chance."""
        return [
            code
            for code, k in self.keywords.items()
            if any(len(s) >= min_length and phrase_key(s) in folded for s in k.starts)
        ]
