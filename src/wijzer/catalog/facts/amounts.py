"""Amounts per applicant (minimum, maximum) and the total budget, each with its sentence.

Every amount is read by `catalog.money`; what it is comes from the words of its own clause:
"maximaal € 200.000 per innovatieproject" is a maximum per applicant, "Het landelijk budget is
€ 3.115.000" a budget. What the rules of the catalog say are no support amounts is left out:
percentages (money never reads them), project or investment sizes ("een minimale omvang van
€ 150.000", "costing at least €2,500"), costs, turnover, loans to a fund rather than to the
companies it invests in, co-investments and separate budgets. An amount whose role the words
do not tell is not used: unknown, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wijzer.catalog.facts.source import Evidence, Facts, FactSource
from wijzer.catalog.facts.units import Unit
from wijzer.catalog.money import find_amounts, find_ranges
from wijzer.catalog.text import fold

# Where the clause an amount belongs to starts: punctuation or a conjunction.
_CLAUSE = re.compile(
    r"[;()\[\]:]|,\s|(?<!\btot)\sen\s|\s(?:and|or|waarvan|of which|which|die|that|maar|but|plus)\s"
)
# A clause that is a share of the amount before it ("waarvan minimaal € 25.000 ...").
_SHARE = re.compile(r"(?:waarvan|of which)\s*$")
_MIN = re.compile(
    r"\b(?:minimaal|minimum|minimale|ten minste|tenminste|at least|min\.?|vanaf|starting at|"
    r"niet minder dan|no less than)\b"
)
_MAX = re.compile(
    r"\b(?:maximaal|maximum|maximale|max\.?|tot|up to|at most|no more than|ten hoogste|"
    r"hoogstens|below|niet meer dan|not more than|limited to|capped at)\b"
)
_FIXED = re.compile(r"\b(?:vast(?:e)? (?:subsidie)?bedrag|fixed (?:subsidy )?amount|forfaitair)")
# Words that make an amount a budget, strongest first: a fund's or scheme's size ...
_BUDGET_STRONG = re.compile(
    r"\b(?:budget\w*|\w*budget|subsidieplafond|\w*plafond|ceiling|fondsomvang|fund size|"
    r"fund assets|\w*fondsvermogen|\w*fonds van|fund of|omvang van het fonds|"
    r"size of the fund)\b"
)
# ... money made available ...
_BUDGET = re.compile(
    r"\b(?:beschikbaar|available|allocates?|allocated|worth|earmarked|ter beschikking|"
    r"commit\w*|fund started with|fonds gestart met|jaarlijks|yearly|per jaar|per year|"
    r"a year|omvang(?! van de (?:participatie|lening|investering|bijdrage)))\b"
)
# ... or put into a fund or programme.
_BUDGET_WEAK = re.compile(
    r"\b(?:invest(?:s|eert|eren)?|steken|stellen|stelt|inleggen|totaal|total|totale)\b"
)
_BUDGET_AFTER = re.compile(
    r"^[^.;]{0,40}?\b(?:beschikbaar|available|steken|ter beschikking|earmarked|allocated|"
    r"is toegezegd|fund\b|fonds\b|yearly|jaarlijks|per jaar|per year|a year)"
)
# Per-applicant words: the money a company (or its project) gets.
_SUPPORT = re.compile(
    r"\b(?:\w*(?:subsidie|lening|krediet|voucher|bijdrage|vergoeding)\w*|grants?|loans?|credit|"
    r"contribution|funding amount|funding|"
    r"financiering aanvragen|financiering|investering(?:en)? per|investments?|investeren|"
    r"participaties|participations?|starterssteun|steun|convertible|prijs|prize|"
    r"\w*kapitaal|venture capital|risk capital|equity|"
    r"per (?:project|innovatieproject|aanvraag|aanvrager|onderneming|bedrijf|company|"
    r"applicant|participant|deelnemer|technostarter|startup|start-up|application))\b"
)
# The amount is not support for the applicant: sizes, costs, revenue, a fund's own loan.
_NOT_SUPPORT = re.compile(
    r"(?:kosten|costs?\b|costing|projectomvang|minimale omvang|omvang hebben|project size|"
    r"investeringsbedrag|investment amount|omzet|revenue|turnover|balans\w*|balance sheet|"
    r"loon|salar|premie|rente|interest|kredietbehoefte|financieringsbehoefte|"
    r"eigen bijdrage|co-invest|mobilis|(?:per|uw|een|aan een|to a|your) (?:fonds|fund)\b|"
    r"\baan (?:\w+ ){0,4}fondsen\b|\bto (?:\w+ ){0,4}funds\b|expands?|uitgebreid|verhoogd|"
    r"increased|verdubbeld|doubled|"
    r"apart budget|separate budget|additional|aanvullend|extra\b|toegekend|awarded|"
    r"ontvangen|received|gestort|geinvesteerd|invested in|financed|gefinancierd|"
    r"waarde van de opdracht|capital contribution|kapitaalstorting)"
)
_AFTER_NOT_SUPPORT = re.compile(
    r"^\W*(?:van de (?:subsidiabele |project)?kosten|of the project|aan (?:subsidiabele )?kosten|"
    r"subsidiabele kosten|of (?:eligible )?costs|of the investment|van de investering|"
    r"of the project.s costs|should qualify|aan een fonds|aan het fonds|aan uw fonds|"
    r"to (?:a|the|your) fund|per fonds|per fund)"
)
# "50 % van de kosten tot een maximum van": the costs are what the percentage is of.
_PERCENT_OF = re.compile(
    r"\d+(?:[,.]\d+)?\s*(?:%|procent|percent)\s*(?:van|of)\s*(?:de|the)?\s*"
    r"(?:subsidiabele |eligible |project|total )?(?:kosten|costs?|rekening|invoice)"
)
# No scheme's budget is this small; a smaller "available" amount is a grant, not a budget.
MIN_BUDGET = 100_000
_TOTAL = re.compile(r"\b(?:totaal|total|totale|in totaal|overall|gezamenlijk)\b")
# A maximum announced but cut off ("groot met maximaal €"): the overall maximum is unknown.
_CUT_OFF = re.compile(r"(?:maximaal|maximum|up to|tot)\s*(?:€|eur)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class _Candidate:
    role: str  # min | max | range | fixed | budget
    low: float
    high: float
    unit: Unit
    score: float


def _clause_before(text: str, start: int) -> tuple[str, bool]:
    """The words of the amount's own clause before it, and whether the clause is a share."""
    window = text[max(0, start - 140) : start]
    cuts = list(_CLAUSE.finditer(window))
    # "Totaal budget: € 6.000.000": the label before the colon is the amount's clause.
    while cuts and cuts[-1].group() == ":" and not re.search(r"[^\W\d_]", window[cuts[-1].end() :]):
        cuts.pop()
    if not cuts:
        return window, False
    head, clause = window[: cuts[-1].end()], window[cuts[-1].end() :]
    return clause, bool(_SHARE.search(head) or re.match(r"\s*(?:waarvan|of which)\b", clause))


def _last_cue(near: str) -> str | None:
    """min or max: whichever word stands closest before the amount."""
    lows = [m.end() for m in _MIN.finditer(near)]
    highs = [m.end() for m in _MAX.finditer(near)]
    if not lows and not highs:
        return None
    return "min" if max(lows, default=-1) > max(highs, default=-1) else "max"


def _named_before(text: str, start: int, source: FactSource) -> bool | None:
    """For an amount inside parentheses: whether the words before "(" name this record.

    "kennisvoucher (max voucher value EUR 3,750)" belongs to the kennisvoucher; None when
    the amount is not in parentheses.
    """
    opening = text.rfind("(", 0, start)
    if opening < 0 or text.rfind(")", opening, start) >= 0:
        return None
    words = re.findall(r"[\w&'+-]+", text[max(0, opening - 60) : opening])[-1:]
    return source.names(" ".join(words)) if words else None


def _budget_strength(near: str, after: str) -> float:
    if _BUDGET_STRONG.search(near):
        return 2.0
    if _BUDGET.search(near) or _BUDGET_AFTER.search(after):
        return 1.5
    if _BUDGET_WEAK.search(near):
        return 1.0
    return 0.0


def _classify(source: FactSource, unit: Unit, context: str) -> list[_Candidate]:
    text = unit.text
    supported = bool(_SUPPORT.search(fold(f"{context} {text}")))
    relevance = source.relevance(unit)
    # Every amount of a range is read once, as the range.
    spans = find_ranges(text)
    found: list[tuple[str, float, float, int, int]] = [
        ("range", s.low, s.high, s.start, s.end) for s in spans
    ]
    for amount in find_amounts(text):
        if not any(s.start <= amount.start < s.end for s in spans):
            found.append(("single", amount.value, amount.value, amount.start, amount.end))
    out = []
    for kind, low, high, start, end in found:
        clause, share = _clause_before(text, start)
        near = _PERCENT_OF.sub(" ", fold(clause))
        after = fold(text[end : end + 60])
        if share or _NOT_SUPPORT.search(near) or _AFTER_NOT_SUPPORT.search(after):
            continue
        score = 1.0 + relevance + source.title_overlap(unit)
        if unit.origin != "summary":
            score += 0.25
        named = _named_before(text, start, source)
        strength = _budget_strength(near, after)
        if named and not strength and not _last_cue(near) and not near.strip():
            # "EIC Pathfinder (€256 million)": the budget of the scheme named before it.
            strength = 1.0
        elif named:
            score += 1.0
        cue = _last_cue(near)
        if strength and not re.search(r"\bper\s", near) and (strength >= 1.5 or not cue):
            total = 0.5 if _TOTAL.search(near) else 0.0
            # A shared text's budget that names no part of this record is the least likely.
            shared = 1.0 if source.others and relevance == 0 and unit.origin != "summary" else 0
            if high >= MIN_BUDGET and strength - shared >= 0.5:
                out.append(
                    _Candidate("budget", high, high, unit, score + strength + total - shared)
                )
            continue
        if not supported:
            continue
        if kind == "range":
            out.append(_Candidate("range", low, high, unit, score))
        elif _FIXED.search(near):
            out.append(_Candidate("fixed", low, high, unit, score))
        elif cue == "min":
            out.append(_Candidate("min", low, low, unit, score))
        elif cue == "max":
            out.append(_Candidate("max", high, high, unit, score))
        elif re.search(r"\b(?:bedraagt|amounts to)\s*$", near):
            # "De subsidie bedraagt € 20.000": a fixed amount.
            out.append(_Candidate("fixed", low, high, unit, score))
    return out


def _agreeing(candidates: list[_Candidate]) -> list[_Candidate]:
    """A value the summary and the page (or document) both state counts for more."""
    out = []
    for c in candidates:
        seen_elsewhere = any(
            o.unit.origin != c.unit.origin
            and (o.role == "budget") == (c.role == "budget")
            and abs(o.high - c.high) <= 0.005 * c.high
            for o in candidates
        )
        out.append(
            _Candidate(c.role, c.low, c.high, c.unit, c.score + 1.0) if seen_elsewhere else c
        )
    return out


def extract_amounts(source: FactSource, facts: Facts) -> None:
    """amount_min, amount_max and budget_total with the sentence each was read from."""
    candidates: list[_Candidate] = []
    intro = ""
    for unit in source.units:
        # A list item reads with the line that introduces the list ("Geldleningen ... aan:").
        # Short label lines ("Minimum of €150,000 - maximum of €1,000,000") read with their
        # heading ("The features of our loan"); sentences must say what the money is.
        context = unit.section if len(unit.text.split()) <= 8 else ""
        found = _classify(source, unit, f"{unit.section} {intro}" if unit.item else context)
        if unit.text.endswith(":"):
            intro = unit.text
        elif not unit.item:
            intro = ""
        if _CUT_OFF.search(unit.text) and unit.origin != "title":
            score = 1.25 + source.relevance(unit) + source.title_overlap(unit)
            found.append(_Candidate("cut", 0.0, 0.0, unit, score))
        candidates.extend(found)
    candidates = _agreeing(candidates)
    budgets = [c for c in candidates if c.role == "budget"]
    if budgets:
        best = max(budgets, key=lambda c: (c.score, -c.unit.index))
        facts.add("budget_total", best.high, Evidence.of(best.unit))
    support = [c for c in candidates if c.role != "budget"]
    if not support:
        return
    top = max(c.score for c in support)
    chosen = [c for c in support if c.score >= top - 0.5]
    lows = [c for c in chosen if c.role in ("min", "range", "fixed")]
    highs = [c for c in chosen if c.role in ("max", "range", "fixed")]
    if lows:
        low = min(lows, key=lambda c: (c.low, c.unit.index))
        # "a loan up to €50,000; ... a €50,000 to €250,000 loan": a product with no floor
        # below the range, so the instrument states no minimum.
        if not any(c.role == "max" and c.high <= low.low for c in chosen):
            facts.add("amount_min", low.low, Evidence.of(low.unit))
    if highs and not any(c.role == "cut" for c in chosen):
        high = max(highs, key=lambda c: (c.high, -c.unit.index))
        facts.add("amount_max", high.high, Evidence.of(high.unit))
    budget = facts.values.get("budget_total")
    for name in ("amount_max", "amount_min"):
        if budget is not None and facts.values.get(name, 0) > budget:
            # More per applicant than the whole budget: one of the two is misread.
            del facts.values[name], facts.evidence[name]
    least, most = facts.values.get("amount_min"), facts.values.get("amount_max")
    if least is not None and most is not None and least > most:
        # A minimum above every maximum read: the two do not belong together.
        del facts.values["amount_min"], facts.evidence["amount_min"]
