"""Euro amounts in Dutch and English text: "€ 20.000", "2,5 miljoen euro", "EUR 250k", "2 ton".

One reader for every amount: enrichment reads what a scheme offers, query understanding and
the match form read what a company needs. What cannot be read is None, never a guess.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

# Words and abbreviations that multiply a number ("2 ton" is Dutch for 200.000).
MULTIPLIERS: dict[str, float] = {
    "k": 1e3,
    "duizend": 1e3,
    "thousand": 1e3,
    "ton": 1e5,
    "m": 1e6,
    "mln": 1e6,
    "mio": 1e6,
    "miljoen": 1e6,
    "million": 1e6,
    "mld": 1e9,
    "bn": 1e9,
    "miljard": 1e9,
    "billion": 1e9,
}
# More digits than a float holds exactly, or more euros than any scheme has: not an amount.
MAX_DIGITS = 15
MAX_EUROS = 1e13

_NUMBER = (
    # Grouped thousands ("1.500.000", "200 000", "1,500,000.50"), then plain ("1500", "2,5").
    r"[0-9]{1,3}(?:[.,\u00a0\u202f ][0-9]{3})+(?:[.,][0-9]{1,2})?(?![0-9])"
    r"|[0-9]+(?:[.,][0-9]+)?"
)
_PLAIN = re.compile(r"[0-9]+")
_ONE_MARK = re.compile(r"([0-9]+)([.,])([0-9]+)")
_GROUPED = re.compile(
    r"(?P<whole>[0-9]{1,3}(?P<sep>[., ])[0-9]{3}(?:(?P=sep)[0-9]{3})*)"
    r"(?:(?P<mark>[.,])(?P<fraction>[0-9]+))?"
)
_CURRENCY = r"(?:€|(?<![^\W_])eur(?:os?)?(?![^\W_]))"
_UNIT = "|".join(sorted(MULTIPLIERS, key=len, reverse=True))
_AMOUNT = re.compile(
    # Starts at a currency sign or a digit only: an optional "\s*" in front would rescan every
    # run of spaces from each of its positions (minutes for a page with 50.000 spaces).
    rf"(?:(?P<before>{_CURRENCY})\s*)?(?<![0-9.,])(?P<number>{_NUMBER})"
    rf"(?:\s*(?P<unit>{_UNIT})\.?(?![^\W_]))?"
    # A currency sign followed by a number is that number's ("budget 2025 € 50.000.000").
    rf"(?:\s*(?P<after>{_CURRENCY})(?!\s*[0-9]))?",
    re.IGNORECASE,
)
# Between the two ends of a range; "en"/"and" only after "tussen"/"between".
_RANGE_LINK = re.compile(r"\s*(?:-|–|—|tot en met|t/m|tot|to|until|through)\s*$", re.IGNORECASE)
_AND_LINK = re.compile(r"\s*(?:en|and)\s*$", re.IGNORECASE)
_BETWEEN = re.compile(r"(?:tussen|between)\s*$", re.IGNORECASE)


def parse_number(raw: str) -> float | None:
    """A number written Dutch-style (1.500.000,50) or English-style (1,500,000.50).

    A single separator followed by exactly three digits groups thousands ("1.500" is 1500);
    otherwise it is the decimal mark ("2,5", "1.5"). Anything else is None.
    """
    text = raw.strip().replace("\u00a0", " ").replace("\u202f", " ")
    if sum(c.isdigit() for c in text) > MAX_DIGITS:
        return None
    if _PLAIN.fullmatch(text):
        return float(text)
    if single := _ONE_MARK.fullmatch(text):
        whole, fraction = single.group(1), single.group(3)
        if len(fraction) == 3 and len(whole) <= 3 and whole != "0":
            return float(whole + fraction)
        return float(f"{whole}.{fraction}")
    if grouped := _GROUPED.fullmatch(text):
        if grouped.group("mark") == grouped.group("sep"):
            return None  # "1.500.00": a group of two digits
        digits = re.sub(r"[^0-9]", "", grouped.group("whole"))
        fraction = grouped.group("fraction")
        return float(f"{digits}.{fraction}" if fraction else digits)
    return None


@dataclass(frozen=True)
class Amount:
    """One euro amount and where the text states it."""

    value: float
    start: int
    end: int


@dataclass(frozen=True)
class AmountSpan:
    """A range of euros stated as one: "tussen € 15.000 en € 50.000", "€ 1–2 mln"."""

    low: float
    high: float
    start: int
    end: int


@dataclass(frozen=True)
class _Token:
    number: float
    unit: str
    currency: bool
    start: int
    end: int

    def value(self, unit: str | None = None) -> float:
        return self.number * MULTIPLIERS.get((unit or self.unit).lower(), 1.0)

    def is_year(self) -> bool:
        return (
            not (self.currency or self.unit)
            and self.number.is_integer()
            and (1900 <= self.number <= 2099)
        )

    def is_amount(self, currency_required: bool) -> bool:
        if self.currency:
            return True
        # "5 m" is more likely metres; "6 medewerkers", "TRL 5" and years are no amounts.
        return not currency_required and self.unit.lower() not in ("", "m")


def _tokens(text: str) -> list[_Token]:
    found = []
    for match in _AMOUNT.finditer(text):
        number = parse_number(match.group("number"))
        if number is None:
            continue
        currency = bool(match.group("before") or match.group("after"))
        start = match.start() if match.group("before") else match.start("number")
        found.append(_Token(number, match.group("unit") or "", currency, start, match.end()))
    return found


def _ranges(
    text: str, tokens: list[_Token], currency_required: bool
) -> list[tuple[_Token, _Token, float, float]]:
    """Pairs of neighbouring tokens stated as one range, with the value of each end."""
    found = []
    for low, high in itertools.pairwise(tokens):
        between = text[low.end : high.start]
        before = text[max(0, low.start - 12) : low.start]
        linked = _RANGE_LINK.match(between) or (
            _AND_LINK.match(between) and _BETWEEN.search(before)
        )
        either = low.is_amount(currency_required) or high.is_amount(currency_required)
        # "€ 500 tot 2030" runs until a year, not up to 2030 euros.
        if not linked or not either or high.is_year():
            continue
        # "€ 1 tot 2 miljoen": the unit of the second end applies to a smaller first end.
        shared = high.unit if not low.unit and high.unit and low.number < high.number else None
        low_value, high_value = low.value(shared), high.value()
        if low_value <= high_value:
            found.append((low, high, low_value, high_value))
    return found


def _sane(value: float) -> bool:
    return 0 < value <= MAX_EUROS


def find_ranges(text: str, *, currency_required: bool = True) -> list[AmountSpan]:
    """Every range of euros in the text ("van € 10.000 tot en met € 50.000")."""
    return [
        AmountSpan(low_value, high_value, low.start, high.end)
        for low, high, low_value, high_value in _ranges(text, _tokens(text), currency_required)
        if _sane(high_value)
    ]


def find_amounts(text: str, *, currency_required: bool = True) -> list[Amount]:
    """Every euro amount in the text, in order; both ends of a range count.

    With currency_required (records) an amount says € or euro; without it (what a company
    needs: "200k", "2 ton") a multiplier word is enough.
    """
    tokens = _tokens(text)
    values = {t: t.value() for t in tokens if t.is_amount(currency_required)}
    for low, high, low_value, high_value in _ranges(text, tokens, currency_required):
        # Both ends are amounts even when only one says euro ("€ 15.000 - 50.000").
        values[low], values[high] = low_value, high_value
    ordered = sorted(values.items(), key=lambda item: item[0].start)
    return [Amount(v, t.start, t.end) for t, v in ordered if _sane(v)]


def parse_amount(text: str) -> float | None:
    """The largest amount a company states it needs: "200k", "2 ton", "€ 1,5 mln", "1.5
    million", "€ 50.000"; None when the text states none."""
    values = [a.value for a in find_amounts(text, currency_required=False)]
    return max(values) if values else None
