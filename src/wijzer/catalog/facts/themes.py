"""KIA mission themes an instrument is really about, each with the sentence that says so.

A theme word in passing ("a startup in health care received a grant") is no theme: a theme
counts when the title names it, when a sentence requires or states the focus ("projects must
fit energy transition ...", "gericht op de energietransitie"), or when the opening of the text
keeps returning to it. Schemes open to every topic ("in any field", "alle sectoren") get none
unless the title names one. Digital and key technologies are the key-technologies mission;
circular and bio-based economy fall under energy transition and sustainability.
"""

from __future__ import annotations

import re
from collections import defaultdict

from wijzer.catalog import vocabulary
from wijzer.catalog.facts.source import Evidence, Facts, FactSource
from wijzer.catalog.facts.units import SUMMARY, TITLE, Unit
from wijzer.catalog.taxonomy import KIA_MISSIONS
from wijzer.catalog.text import fold

# Cross-cutting themes counted as the mission they belong to: circular economy under energy
# and sustainability; digital technology under key technologies, but only where the text
# names the technology itself ("data" or "software" alone is how a project works, not its aim).
_AS_MISSION = {"circulaire_economie": "energietransitie_duurzaamheid"}
_KEY_DIGITAL = re.compile(
    r"\b(?:digitali[sz]\w*|digital technolog\w*|digitale technolog\w*|artificial intelligence|"
    r"kunstmatige intelligentie|ai|supercomput\w*|high performance computing|cybersecurity|"
    r"enabling (?:digital )?technolog\w*)\b"
)
_FOCUS = re.compile(
    r"\b(?:moet(?:en)? (?:\w+ ){0,4}(?:passen|bijdragen|voldoen)|"
    r"must (?:\w+ ){0,3}(?:fit|contribute|address)|should (?:\w+ ){0,2}(?:fit|contribute)|"
    r"gericht op|richt zich op|focus(?:ses|ed)? on|"
    r"focus areas?|aimed at|dedicated to|bestemd voor|voor projecten (?:op het gebied van|in)|"
    r"in the fields? of|op het gebied van|expected outcomes?|contribute to|bijdragen aan|"
    r"help(?:s)? (?:to )?(?:realise|realize|achieve)|helpen (?:\w+ )?(?:realiseren|bereiken)|"
    r"for (?:\w+ ){0,2}(?:innovations?|projects|start-ups) in)\b"
)
_OPEN_TOPIC = re.compile(
    r"\b(?:any field|all fields|alle sectoren|all sectors|elk vakgebied|alle vakgebieden|"
    r"open to innovations in any|without any predefined|open voor fondsen in alle sectoren|"
    r"ongeacht de sector|regardless of sector)\b"
)
# Phrases whose theme word means something else: "soil health" is no health care (the soil
# stays: it is agriculture).
_SOIL_HEALTH = re.compile(
    r"\b(?:soil health|healthy (soils?)|bodemgezondheid|gezonde (bodem\w*))\b"
)
_NOT_THEME = re.compile(
    r"\b(?:health emergency|"
    r"financial health|financiele gezondheid|gezonde bedrijfsvoering|healthy compan\w*|"
    r"veiligheid van (?:de )?(?:lening|investering)|security interest|zekerheden|"
    r"(?:wind|water)(?:rad|dicht)|data (?:and|en) (?:ai|kunstmatige)|"
    r"digital innovation hubs?|digitale innovatiehub|economische zaken en klimaat|"
    r"economic affairs and climate(?: policy)?|klimaat en groene groei|climate and green growth|"
    r"landbouw, natuur en voedselkwaliteit|agriculture, nature and food quality|"
    r"volksgezondheid, welzijn en sport|health, welfare and sport|justitie en veiligheid|"
    r"justice and security|infrastructuur en waterstaat|infrastructure and water management)\b"
)
# Words too common to state a focus on their own ("duurzame economie", "creative startups"):
# they count as mentions in passing only.
_WEAK = re.compile(r"\b(?:duurza\w*|sustainab\w*|creati\w*|creative\w*)\b")
# Words after these are examples, not the focus: "uitdagingen, zoals voedselveiligheid".
_EXAMPLES = re.compile(
    r"\b(?:zoals|such as|e\.g\.|bijvoorbeeld|for example|for instance|waaronder|including|"
    r"ranging from)\b"
)
LEAD_UNITS = 6
THRESHOLD = 3.0
# Mentions in passing add up to less than the threshold: a theme needs the title or a focus.
PASSING_CAP = 2.0


def mission_of(code: str) -> str:
    """The KIA mission a theme code counts as (itself for a mission)."""
    if code == "digitalisering":
        return "sleuteltechnologieen"
    return _AS_MISSION.get(code, code)


def _codes(text: str) -> set[str]:
    folded = _SOIL_HEALTH.sub(" soil ", fold(text))
    folded = _NOT_THEME.sub(" ", folded)
    out = set()
    for code in vocabulary.themes_in(folded):
        code = _AS_MISSION.get(code, code)
        if code in KIA_MISSIONS:
            out.add(code)
        elif code == "digitalisering" and _KEY_DIGITAL.search(folded):
            out.add("sleuteltechnologieen")
    return out


def extract_themes(source: FactSource, facts: Facts) -> None:
    focus: dict[str, float] = defaultdict(float)
    passing: dict[str, float] = defaultdict(float)
    quotes: dict[str, tuple[float, Unit]] = {}
    open_topic = False
    seen_by_origin: dict[str, int] = defaultdict(int)
    # A focus statement ending in ":" ("Expected Outcome:", "projects must fit:") lends its
    # weight to what follows it, up to the next heading.
    focus_section: str | None = None
    for unit in source.units:
        position = seen_by_origin[unit.origin]
        seen_by_origin[unit.origin] += 1
        folded = unit.folded
        if _OPEN_TOPIC.search(folded):
            open_topic = True
        if focus_section is not None and unit.section != focus_section:
            focus_section = None
        stated = bool(_FOCUS.search(folded))
        codes = _codes(unit.text)
        if stated:
            strong_codes = _codes(_WEAK.sub(" ", folded))
            weak_only = codes - strong_codes
            for code in weak_only:
                passing[code] = min(PASSING_CAP, passing[code] + 1.0)
                quotes.setdefault(code, (1.0, unit))
            codes = strong_codes
        examples = _EXAMPLES.search(folded)
        if stated and examples:
            # Only what stands before "zoals" is the stated focus.
            head = _codes(unit.text[: examples.start()])
            stated = bool(head) and bool(_FOCUS.search(folded[: examples.start()]))
            codes = head if stated else codes
        if stated and unit.text.rstrip().endswith(":"):
            focus_section = unit.section
        if not codes:
            continue
        if unit.origin == TITLE or stated:
            weight, strong = 3.0, True
        elif focus_section is not None:
            weight, strong = 2.0, True
        elif unit.origin == SUMMARY or position < LEAD_UNITS:
            weight, strong = 1.0, False
        else:
            weight, strong = 0.5, False
        for code in codes:
            if strong:
                focus[code] += weight
            else:
                passing[code] = min(PASSING_CAP, passing[code] + weight)
            if code not in quotes or weight > quotes[code][0]:
                quotes[code] = (weight, unit)
    chosen = [
        code
        for code in KIA_MISSIONS
        if focus.get(code, 0.0) + passing.get(code, 0.0) >= THRESHOLD
        and (not open_topic or quotes[code][1].origin == TITLE)
    ]
    if chosen:
        facts.add("themes", chosen, Evidence.of(quotes[chosen[0]][1]))
        for code in chosen:
            facts.evidence[f"themes.{code}"] = Evidence.of(quotes[code][1])
