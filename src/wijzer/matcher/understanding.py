"""Query understanding: synonyms, abbreviations, KIA themes, amounts, places and wanted types.

Themes, types, places and amounts come from the catalog's vocabulary and money reader, the
same ones enrichment tags records with; synonyms and scheme names are the matcher's own.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from wijzer.catalog import vocabulary
from wijzer.catalog.facts.purposes import purposes_stated
from wijzer.catalog.money import parse_amount
from wijzer.catalog.text import TOKEN, fold
from wijzer.catalog.vocabulary.places import province_in

# Concept groups: any term found in the text adds all of them to the lexical query. The first
# Dutch and English terms are the labels shown in reasons ("past bij: haalbaarheid"; see
# wijzer.i18n.wording).
CONCEPTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "sme": (
        ("mkb", "midden- en kleinbedrijf", "mkb'er", "kmo"),
        ("SME", "small and medium-sized", "small business"),
    ),
    "feasibility": (
        (
            "haalbaarheid",
            "haalbaarheidsonderzoek",
            "haalbaarheidsproject",
            "haalbaarheidsstudie",
            "haalbaar",
        ),
        ("feasibility", "feasibility study", "feasible"),
    ),
    "proof_of_concept": (
        ("proof of concept", "poc", "prototype", "vroege fase"),
        ("proof of concept", "proof-of-concept", "prototype", "early stage"),
    ),
    "mit": (
        ("MIT", "mkb innovatiestimulering", "topsectoren"),
        ("MIT", "SME innovation stimulation", "top sectors"),
    ),
    "wbso": (
        ("WBSO", "speur- en ontwikkelingswerk", "loonkosten"),
        ("WBSO", "R&D tax credit", "wage costs"),
    ),
    "vff": (
        ("VFF", "vroegefasefinanciering", "vroege fase financiering"),
        ("VFF", "early-stage financing", "early phase financing"),
    ),
    "loan": (
        ("lening", "krediet", "geldlening", "converteerbare lening", "financiering"),
        ("loan", "credit", "convertible loan", "financing"),
    ),
    "grant": (("subsidie", "bijdrage", "regeling"), ("grant", "subsidy", "funding")),
    "equity": (
        (
            "durfkapitaal",
            "risicokapitaal",
            "participatie",
            "aandelen",
            "investeerder",
            "aandelenkapitaal",
        ),
        ("venture capital", "equity", "investor", "seed round", "shares"),
    ),
    "procurement": (
        ("aanbesteding", "inkoop", "opdrachtgever", "launching customer", "raamovereenkomst"),
        ("procurement", "tender", "public contract", "launching customer", "framework agreement"),
    ),
    "fund": (("fonds", "investeringsfonds", "fondsen"), ("fund", "investment fund", "funds")),
    "angels": (
        ("business angels", "informele investeerders"),
        ("business angels", "angel investors"),
    ),
    "agri": (
        (
            "landbouw",
            "agrarisch",
            "boeren",
            "gewasbescherming",
            "meststoffen",
            "meststof",
            "bodem",
            "bodemgezondheid",
        ),
        (
            "agriculture",
            "agricultural",
            "farmers",
            "crop protection",
            "fertilising",
            "fertilisers",
            "fertilizers",
            "soil",
            "soil health",
        ),
    ),
    "biobased": (("biobased", "bio-based", "biologisch"), ("bio-based", "biobased", "biological")),
    "built_environment": (
        (
            "gebouwde omgeving",
            "woningen",
            "gebouwen",
            "renovatie",
            "aardgasvrij",
            "aardgasloos",
            "aardgasloze",
        ),
        ("built environment", "homes", "buildings", "renovation", "gas-free", "natural-gas-free"),
    ),
    "demonstration": (
        ("demonstratie", "demonstratieproject", "pilot", "proeftuin"),
        ("demonstration", "pilot", "living lab", "testbed"),
    ),
    "market": (
        ("markt", "marktintroductie", "markt brengen"),
        ("market", "market launch", "commercialisation"),
    ),
    "mobility": (
        ("mobiliteit", "laadinfrastructuur", "laden", "vrachtwagens", "elektrisch"),
        ("mobility", "charging", "trucks", "electric vehicles", "electric"),
    ),
    "guarantee": (
        ("garantie", "borgstelling", "borg", "onderpand", "zekerheid"),
        ("guarantee", "collateral", "guarantor", "security"),
    ),
    "tax": (
        ("fiscaal", "fiscale", "belasting", "aftrek", "investeringsaftrek"),
        ("tax", "tax credit", "allowance", "deduct", "deduction"),
    ),
    "innovation": (
        ("innovatie", "innovatief", "vernieuwing", "ontwikkeling"),
        ("innovation", "innovative", "development", "r&d"),
    ),
    "startup": (
        ("startup", "starter", "start-up", "technostarter", "spin-off", "beginnend"),
        ("startup", "start-up", "starter", "spin-off", "spinout", "founder"),
    ),
    "scaleup": (
        ("scale-up", "scaleup", "opschalen", "opschaling", "groei", "groeien"),
        ("scale-up", "scaleup", "scale up", "growth", "grow"),
    ),
    "export": (
        ("export", "internationaal", "buitenland", "opkomende markten"),
        ("export", "international", "abroad", "emerging markets"),
    ),
    "cross_border": (
        ("grensoverschrijdend", "interreg", "vlaams", "duits", "belgisch"),
        ("cross-border", "interreg", "flemish", "german", "belgian"),
    ),
    "energy": (
        (
            "energie",
            "energiebesparing",
            "energiebesparend",
            "warmtepomp",
            "zonne-energie",
            "duurzame energie",
            "co2",
        ),
        ("energy", "energy-saving", "heat pump", "solar", "renewable energy", "co2"),
    ),
    "environment": (
        ("milieu", "milieuvriendelijk", "natuur", "biodiversiteit", "klimaat"),
        ("environment", "environmental", "nature", "biodiversity", "climate"),
    ),
    "consortium": (
        ("samenwerking", "samenwerkingsproject", "consortium", "consortia", "partners"),
        ("collaboration", "cooperation", "consortium", "consortia", "partners"),
    ),
    "knowledge": (
        ("kennisinstelling", "universiteit", "hogeschool", "kennisvraag"),
        ("knowledge institution", "university", "research institute"),
    ),
    "voucher": (("voucher", "kennisvoucher"), ("voucher", "knowledge voucher")),
    "advice": (
        ("advies", "coaching", "begeleiding", "mentor"),
        ("advice", "coaching", "mentoring", "acceleration"),
    ),
    "deeptech": (
        ("deeptech", "deep tech", "deep-tech", "sleuteltechnologie"),
        ("deep tech", "deep-tech", "deeptech", "breakthrough technology"),
    ),
    "healthcare": (
        ("zorg", "gezondheid", "medisch", "medische"),
        ("health", "healthcare", "medical", "clinical"),
    ),
    "digital": (
        ("digitaal", "digitalisering", "ict", "software", "kunstmatige intelligentie"),
        ("digital", "ict", "software", "artificial intelligence", "ai"),
    ),
    "water": (
        ("water", "waterkwaliteit", "oppervlaktewater"),
        ("water", "water quality", "surface water"),
    ),
}

# Names of schemes and programmes: when a profile names one, it should be found by name.
SCHEME_NAMES = (
    "mit",
    "wbso",
    "vff",
    "vroegefasefinanciering",
    "eia",
    "mia",
    "vamil",
    "sbir",
    "bmkb",
    "go",
    "dtif",
    "dggf",
    "dhi",
    "mooi",
    "dei",
    "eurostars",
    "interreg",
    "eic",
    "horizon",
    "life",
    "qredits",
    "innovatiekrediet",
    "uniiq",
    "iqcapital",
    "groeifaciliteit",
    "seed capital",
    "toekomstfonds",
    "invest-nl",
    "digital europe",
    "edih",
)
# The profile describes an applicant that is not a company: "wij zijn de stichting achter een
# innovatiehub", "we are a seed fund". Read only where the text says what it *is*, because
# companies name universities, funds and municipalities as partners and customers.
_SELF = r"\b(?:wij zijn|we zijn|we are|i am|ik ben|our organisation is|onze organisatie is)\b"
_APPLICANT_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (code, re.compile(_SELF + r"(?: [\w'-]+){0,6}? " + words))
    for code, words in (
        ("intermediary", r"(?:\w*innovatie-?hub|\w*innovation hub|edih|supportprogramma)"),
        ("ngo", r"(?:stichting|vereniging|foundation|association|non-profit)\b"),
        ("fund_manager", r"(?:\w*fonds|fund|investeerder|investor|financier)\b"),
        ("public_body", r"(?:gemeente|provincie|municipality|public body|waterschap)\b"),
        ("knowledge_institution", r"(?:universiteit|university|hogeschool|kennisinstelling)\b"),
    )
)
# Words that tell the project is abroad: schemes for developing countries or investments
# abroad fit only such a project.
_ABROAD = re.compile(
    r"\b(?:buitenland\w*|abroad|export\w*|ontwikkelingsland\w*|developing countr\w*|"
    r"emerging market\w*|opkomende markt\w*|afrika|africa|azie|asia|latijns-amerika|"
    r"latin america|overseas|internationale? markt\w*|international markets?|marokko|morocco|"
    r"egypte|egypt|kenia|kenya|ghana|nigeria|ethiopi\w*|india|indonesi\w*|vietnam|bangladesh|"
    r"colombia|peru|brazil\w*|zuid-afrika|south africa|oekraine|ukraine)\b"
)
# Words that say the company works with others (a consortium scheme can fit).
_TOGETHER = re.compile(
    r"\b(?:samen met|samen (?:\w+ ){0,3}(?:ontwikkelen|werken|onderzoeken)|samenwerk\w*|"
    r"consorti\w*|partners?|together with|jointly|collaborat\w*|with (?:a |an |two |three )?"
    r"(?:\w+ )?(?:partner|compan(?:y|ies)|firms?|smes)|met (?:een |twee |drie )?(?:\w+ )?"
    r"(?:partner|bedrijven|bedrijf|mkb'ers))\b"
)
# Words that name a partner in another country, or a project across a border: cross-border and
# European collaboration schemes (Interreg, Eurostars, Horizon consortia) ask for one.
_FOREIGN_PARTNER = re.compile(
    r"\b(?:duits\w*|german\w*|belg\w*|vlaams\w*|vlaanderen|flemish|flanders|wallon\w*|"
    r"frans\w*|french|france|denemarken|deens\w*|danish|denmark|noorwegen|noors\w*|norw\w*|"
    r"zweden|zweeds\w*|swed\w*|finland|finnish|fins\w*|spanje|spaans\w*|spain|spanish|itali\w*|"
    r"oostenrijk\w*|austria\w*|polen|poolse|poland|grensoverschrijdend\w*|"
    r"cross-border|transnational|buitenlandse partners?|foreign partners?|partners? abroad|"
    r"(?:europese|internationale?) (?:partners?|consorti\w*)|"
    r"(?:european|international) (?:partners?|consorti\w*))\b"
)
# Words that ask for European rather than national or regional schemes.
EU_WORDS = ("europees", "europese", "european", "eu", "horizon europe", "brussel", "brussels")


@dataclass
class Understanding:
    """What the text says beyond its words: concepts, themes, types, place and amount."""

    concepts: list[str] = field(default_factory=list)
    expansion: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    region: str | None = None
    amount: float | None = None
    wants_eu: bool = False
    #: Names of schemes and programmes the text names ("WBSO", "Interreg"): rare, exact terms.
    schemes: list[str] = field(default_factory=list)
    #: What the money is for, in the catalog's purpose codes (as records are read).
    purposes: list[str] = field(default_factory=list)
    #: What the applicant is when not a company (applicant codes); empty for a company.
    applicant_kinds: list[str] = field(default_factory=list)
    #: The text works with other organisations (a collaboration scheme can fit).
    collaborates: bool = False
    #: The project or market is abroad (schemes for developing countries can fit).
    abroad: bool = False
    #: The text works with a partner in another country or across a border.
    partners_abroad: bool = False

    def lexical_text(self, text: str) -> str:
        """The text plus every synonym of the concepts it mentions."""
        return " ".join([text, *self.expansion])


Entry = tuple[str, bool, str, str]  # folded term, whole word?, category, code


@functools.lru_cache(maxsize=1)
def _lexicon() -> dict[str, list[Entry]]:
    """Every concept term, EU word and scheme name, indexed by the first (up to 3) letters of
    its first word, so one pass over the words of a text finds them all (overlapping ones
    included)."""
    entries: list[Entry] = []
    for concept, (nl, en) in CONCEPTS.items():
        entries.extend((fold(t), True, "concept", concept) for t in (*nl, *en))
    entries.extend((fold(w), True, "eu", "eu") for w in EU_WORDS)
    entries.extend((name, True, "scheme", name) for name in SCHEME_NAMES)
    index: dict[str, list[Entry]] = {}
    for entry in entries:
        first = TOKEN.match(entry[0])
        if first is None:
            continue
        index.setdefault(first.group()[:3], []).append(entry)
    return index


def _scan(folded: str) -> tuple[set[str], dict[str, set[str]]]:
    """The concept terms found in a folded text, and the codes found per category."""
    index = _lexicon()
    terms: set[str] = set()
    found: dict[str, set[str]] = {"concept": set(), "eu": set(), "scheme": set()}
    end = len(folded)
    for match in TOKEN.finditer(folded):
        word, start = match.group(), match.start()
        for key in {word[:1], word[:2], word[:3]}:
            for term, whole, category, code in index.get(key, ()):
                if not folded.startswith(term, start):
                    continue
                after = start + len(term)
                if whole and after < end and (folded[after].isalnum() or folded[after] == "_"):
                    continue
                if category == "concept":
                    terms.add(term)
                found[category].add(code)
    return terms, found


@functools.lru_cache(maxsize=4096)
def understand(text: str) -> Understanding:
    """What a profile text asks for (cached: the same texts recur in batches and the web)."""
    folded = fold(text)
    terms, found = _scan(folded)
    result = Understanding()
    for concept, (nl, en) in CONCEPTS.items():
        if concept in found["concept"]:
            result.concepts.append(concept)
            # Single words only: the parts of a phrase ("vroege fase") alone would add noise.
            result.expansion.extend(t for t in (*nl, *en) if " " not in t and fold(t) not in terms)
    result.expansion = list(dict.fromkeys(result.expansion))
    # Themes, kinds, places and amounts are read as catalog enrichment reads a record.
    result.themes = vocabulary.themes_in(text)
    result.types = vocabulary.types_in(text)
    result.region = province_in(text)
    result.amount = parse_amount(text)
    result.wants_eu = bool(found["eu"])
    # Case matters for the short ones: "go" and "life" are scheme names only in capitals.
    result.schemes = [
        name
        for name in SCHEME_NAMES
        if name in found["scheme"]
        and (len(name) > 4 or name.upper() in text or name.capitalize() in text)
    ]
    if "go" in result.schemes and "GO" not in text:
        result.schemes.remove("go")
    result.purposes = purposes_stated(text)
    result.applicant_kinds = [code for code, pattern in _APPLICANT_KINDS if pattern.search(folded)]
    result.collaborates = bool(
        _TOGETHER.search(folded)
    ) or "consortium" in vocabulary.applicants_in(text)
    result.abroad = bool(_ABROAD.search(folded))
    result.partners_abroad = result.collaborates and bool(_FOREIGN_PARTNER.search(folded))
    return result
