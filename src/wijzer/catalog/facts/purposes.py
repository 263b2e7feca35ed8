"""What the money is for (the taxonomy's purposes), each with the sentence it came from.

Read from the title, the summary and the first sentences of the text, where a scheme says
what it funds; a page's later details (conditions, procedures) name too much to be its
purpose. A tender is a public contract; a guarantee with no other stated purpose is `other`.
The research a report's authors did ("Wij hebben onderzoek gedaan naar 2 fondsen", "our audit")
is theirs, not what the scheme funds. A stage the applicant must already have passed ("Proof of
Principle moet zijn aangetoond", "building on results of ERC Proof of Concept") is a condition,
not what the money is for: such a clause names no purpose. Nor does an item of a list of what the
scheme is not for ("You should NOT consider EIC accelerator if: · You seek for regular R&D
funding"). Finding out whether an idea can work ("onderzoeken of hun idee kans van slagen
heeft") is feasibility, not research, and a project still to come whose risks a feasibility study
maps ("een voorgenomen innovatieproject") is not what the money is for.
A Horizon Europe topic states what its money is for in its type of action (a research and
innovation action funds research and development); its title names the subject ("Arts and
cultural awareness in education and training" funds no training).
"""

from __future__ import annotations

import re

from wijzer.catalog import vocabulary
from wijzer.catalog.facts.actions import action_type
from wijzer.catalog.facts.focus import excluded_items, own_part
from wijzer.catalog.facts.source import Evidence, Facts, FactSource
from wijzer.catalog.facts.units import DATA, SUMMARY, TITLE, Unit
from wijzer.catalog.taxonomy import PROVINCES, PURPOSES
from wijzer.catalog.text import fold

# The authors' own research or audit, in the first person.
_AUTHORS_RESEARCH = re.compile(
    r"\b(?:wij|we) hebben (?:\w+ ){0,3}(?:onderzoek|onderzocht|gekeken)|\b(?:ons|onze) "
    r"(?:\w+ )?onderzoek|\bour (?:\w+ )?(?:research|audit|study|review)\b|"
    r"\bwe (?:have )?(?:examined|investigated|researched|audited|reviewed)\b"
)
# A stage already passed, in the perfect tense: "Proof of Principle moet zijn aangetoond",
# "haalbaarheid hebben aangetoond met eerder onderzoek", "must have been demonstrated".
_ALREADY_DONE = re.compile(
    r"\b(?:is|zijn|heeft|hebben|werd|werden) (?:we |wij |ze |zij )?(?:al |reeds |eerder )?"
    r"(?:aangetoond|bewezen|afgerond|voltooid)\b|"
    r"\b(?:has|have|had) (?:already |previously )?(?:been )?(?:demonstrated|proven|shown|"
    r"completed)\b|\balready (?:demonstrated|proven|completed)\b"
)
# Results the project builds on: what follows is an earlier stage ("building on results of
# EIC Pathfinder, ERC Proof of Concept or Horizon collaborative projects").
_BUILDS_ON = re.compile(
    r"\b(?:building on|builds on|following up on|follows up on|voortbouwend op|"
    r"voortbouwen op|bouwt voort op|na afronding van|after completing)\b"
)
# A clause that denies: "You are not taking out the loan for a project or investment", "niet
# bedoeld voor investeringen" names what the money is not for ("not only", "niet alleen" add;
# "nog niet", "not yet" describe what is funded: "producten die nog niet op de markt zijn").
_DENIED = re.compile(
    r"(?<!\bnog )\b(?:not|niet|geen|never|nooit)\b"
    r"(?! (?:only|just|yet|alleen|enkel|uitsluitend|slechts)\b)"
)
# Clauses: a stage already passed drops its own clause only ("feasibility is proven, now we
# develop" still asks for development).
_CLAUSE = re.compile(r"[;,]\s+|\s+(?:but|maar)\s+|\s+(?:and |en )?(?:now|nu)\s+")
# Finding out whether an idea can work is a feasibility study, not research: "onderzoeken of
# hun idee kans van slagen heeft", "de haalbaarheid van een idee te onderzoeken", "research
# into the feasibility". (The noun in "onderzoek of ontwikkeling" is research or development.)
_WHETHER = re.compile(
    r"\bonderzoek(?:en|t)\b(?: [\w'-]+){0,5}? of\b|"
    r"\bhaalbaarheid\b(?: [\w'-]+){0,6}? (?:te )?onderzoek(?:en|t)?\b|"
    r"\bonderzoek(?:en)? naar (?:[\w'-]+ ){0,5}?haalbaarheid|"
    r"\b(?:research|investigate|explore|test)(?:s|ing)? (?:into |of |on )?whether\b|"
    r"\bresearch(?:ing)? (?:into |on |of )?(?:the )?(?:[\w'-]+ ){0,3}?feasibility"
)
# A project still to come, whose risks the money maps first: "de technische en economische
# risico's van een voorgenomen innovatieproject in kaart brengen", "a planned project".
_PLANNED = re.compile(
    r"\b(?:voorgenomen|beoogde?|planned|intended|envisaged) "
    r"(?:[\w'-]+ ){0,2}?\w*project\w*"
)
# Growth that is not what the money is for: the economy's or a region's ("economische groei en
# werkgelegenheid", "the growth of Limburg"), the kind of company ("start- en scale-ups",
# "bedrijven met ambitieuze groeiplannen") or more of the financing itself ("uitbreiding van
# bestaande financiering").
_AREAS = "|".join(
    re.escape(fold(name))
    for name in (*PROVINCES, "Brabant", "Nederland", "Netherlands", "Europa", "Europe")
)
_OTHER_GROWTH = re.compile(
    r"\b(?:economische|regionale) groei\b|\b(?:economic|regional) growth\b|"
    rf"\b(?:groei|growth) (?:van|of) (?:de |het |the )?(?:economie|economy|regio|region|"
    rf"werkgelegenheid|employment|jobs|{_AREAS})\b|"
    r"\bscale-?ups\b|\b(?:bedrijven|ondernemingen|ondernemers|companies|businesses|firms) "
    r"(?:met|with) (?:\w+ ){0,2}?(?:groeiplannen|groeiambities?|growth plans|growth ambitions?)|"
    r"\buitbreiding van (?:de |het |uw |een )?(?:bestaande )?(?:financiering|krediet|lening)|"
    r"\b(?:extension|expansion|increase) of (?:the |your |an |a )?(?:existing )?"
    r"(?:financing|credit|loan)"
)
# What the money leads to, not what it pays for: "Eurostars funding contributes to the faster
# development and growth of your small business" ("draagt bij aan de kosten" still pays).
_EFFECT = re.compile(
    r"\b(?:contribut(?:es|e|ing) to|draagt bij aan|bijdraagt aan|bij(?: te)? dragen aan)\b"
    r"(?! (?:de |the )?(?:kosten|costs|financ))[^;]*"
)
# A line that names a body: "Project coordinator: Italian Agency for the Promotion of European
# Research (APRE)", "Contactpersoon: …". Its words name who, not what the money is for.
_WHO_LINE = re.compile(
    r"^(?:project )?(?:coordinator|coordinated by|contact(?: person| point)?|partners?|"
    r"projectcoordinator|contactpersoon|contactpunt|uitvoerder|penvoerder|"
    r"managed by|beheerd door|beheerder|fund manager|fondsbeheerder)\s*:"
)
# The form the support takes, not what it is for: a loan fund's "steun in de vorm van
# (converteerbare) leningen en/of risicokapitaal", "in the form of equity". (An equity fund's
# risk capital is the investment it makes: there the form is the purpose.)
_FORM = re.compile(r"\bin (?:de )?vorm van\b[^;,.]*|\bin the form of\b[^;,.]*")
# A part the project may add, or the rate for a part, is not what the scheme is for: "een
# haalbaarheidsstudie, eventueel aangevuld met industrieel onderzoek", "(35% voor het deel
# experimentele ontwikkeling)", "optionally supplemented with industrial research", "35% for
# experimental development part".
_ADD_ON = re.compile(
    r"\b(?:eventueel|optioneel|optionally|possibly) (?:aangevuld|uitgebreid|supplemented|"
    r"extended|complemented) (?:met|with)\b[^;]*|"
    r"\d+ ?% (?:voor|for) (?:het|de|the) (?:deel|onderdeel|part)\b[^;)]*|"
    r"\d+ ?% for (?:the )?(?:[\w-]+ ){1,3}?part\b"
)
# An award already made, as an example: "Zo heeft mkb-er Hello247 recent een MIT-subsidie
# gekregen voor de ontwikkeling van een applicatie", "Company X received a grant for…". It tells
# what one project was, not what the scheme is for.
_PAST_AWARD = re.compile(
    r"\b(?:heeft|hebben|had|hadden)\b[^;]*\b(?:gekregen|ontvangen)\b|"
    r"\b(?:received|was awarded|were awarded|has been awarded|have been awarded)\b"
)
# How many units of the page or document are read for the purpose.
LEAD_UNITS = 12


def extract_purposes(source: FactSource, facts: Facts) -> None:
    found = _by_action_type(source) or _by_words(source)
    if found:
        codes = [c for c in PURPOSES if c in found]
        facts.add("purposes", codes, Evidence.of(found[codes[0]]))
        for code in codes:
            facts.evidence[f"purposes.{code}"] = Evidence.of(found[code])


def _by_action_type(source: FactSource) -> dict[str, Unit]:
    """What a Horizon Europe topic funds, from the type of action its title or summary
    states ("HORIZON Research and Innovation Actions", "(CSA)") or the call gives as data."""
    stated = [u for u in source.units if u.origin in (TITLE, SUMMARY)]
    for unit in stated + [Unit(kind, DATA) for kind in source.action_types]:
        action = action_type(unit.folded)
        if action is not None:
            return dict.fromkeys(action.purposes, unit)
    return {}


def _by_words(source: FactSource) -> dict[str, Unit]:
    """What the money is for as the words of the record's own part state it."""
    found: dict[str, Unit] = {}
    seen_by_origin: dict[str, int] = {}
    units = own_part(source.units, source.names)
    excluded = excluded_items(units)
    for unit in units:
        if unit in excluded:
            continue
        count = seen_by_origin.get(unit.origin, 0)
        seen_by_origin[unit.origin] = count + 1
        if count >= LEAD_UNITS and unit.origin not in ("title", "summary"):
            continue
        if _WHO_LINE.match(unit.folded):
            continue
        authors = _AUTHORS_RESEARCH.search(unit.folded)
        folded = unit.folded if source.instrument_type == "equity" else _FORM.sub(" ", unit.folded)
        for code in vocabulary.purposes_in(_what_for(folded, denials=True)):
            if not (code == "research" and authors):
                found.setdefault(code, unit)
    if source.instrument_type == "procurement":
        found.setdefault("procurement_contract", source.units[0])
    if not found and source.instrument_type == "guarantee":
        found["other"] = source.units[0]
    return found


def purposes_stated(text: str) -> list[str]:
    """What the money is for as a text states it, read by the same rules as a record's: a
    profile's "test whether the dosing works" asks for feasibility, and "we have already
    demonstrated feasibility" asks for none."""
    return vocabulary.purposes_in(_what_for(fold(text)))


def _what_for(folded: str, *, denials: bool = False) -> str:
    """A folded text as it states what the money is for: without the results it builds on,
    a planned project or a stage already passed; finding out "whether" read as feasibility.
    With `denials` (a record's text), a clause that denies names nothing: a scheme's "not for
    investments" is a limit, while a person's "we have no money for the prototype" asks for it."""
    cut = _BUILDS_ON.search(folded)
    if cut is not None:
        folded = folded[: cut.start()]
    for not_what_for in (_EFFECT, _OTHER_GROWTH, _ADD_ON):
        folded = not_what_for.sub(" ", folded)
    folded = _PLANNED.sub(" ", _WHETHER.sub(" haalbaarheid ", folded))
    clauses = _CLAUSE.split(folded)
    return "; ".join(
        c
        for c in clauses
        if not (
            _ALREADY_DONE.search(c) or (denials and (_DENIED.search(c) or _PAST_AWARD.search(c)))
        )
    )
