"""Query understanding: synonyms, abbreviations, KIA themes, amounts, places and wanted types."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from wijzer.search.analysis import fold

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

# KIA missions and cross-cutting themes: keywords (folded prefixes) -> theme code.
THEME_KEYWORDS: dict[str, tuple[str, ...]] = {
    "energietransitie_duurzaamheid": (
        "energie",
        "energy",
        "warmtepomp",
        "heat pump",
        "co2",
        "klimaat",
        "climate",
        "duurzam",
        "sustainab",
        "zonne",
        "solar",
        "wind",
        "waterstof",
        "hydrogen",
        "aardgas",
    ),
    "landbouw_water_voedsel": (
        "landbouw",
        "agri",
        "agro",
        "voedsel",
        "food",
        "water",
        "aquacultu",
        "visserij",
        "fisher",
        "bodem",
        "soil",
        "tuinbouw",
    ),
    "gezondheid_zorg": (
        "zorg",
        "gezondheid",
        "health",
        "medisch",
        "medical",
        "clinic",
        "klinisch",
        "patient",
        "life science",
    ),
    "veiligheid": ("veiligheid", "security", "cyber", "defensie", "defence", "defense"),
    "sleuteltechnologieen": (
        "quantum",
        "fotonica",
        "photonic",
        "nanotech",
        "deep tech",
        "deeptech",
        "sensor",
        "halfgeleider",
        "semiconductor",
        "chip",
    ),
    "maatschappelijk_verdienvermogen": (
        "creatie",
        "creative",
        "bouw",
        "construction",
        "logistiek",
        "logistics",
        "mobiliteit",
        "mobility",
    ),
    "digitalisering": (
        "digita",
        "software",
        "ict",
        " ai ",
        "artificial intelligence",
        "kunstmatige intelligentie",
        "data",
    ),
    "circulaire_economie": ("circula", "recycl", "hergebruik", "reuse", "biobased", "bio-based"),
    "internationaal": (
        "export",
        "internation",
        "buitenland",
        "abroad",
        "emerging market",
        "opkomende markt",
    ),
    "innovatie": ("innova", "r&d", "onderzoek", "research", "prototype"),
}

TYPE_KEYWORDS: dict[str, tuple[str, ...]] = {
    "subsidy": ("subsidie", "grant", "subsidy", "subsidies"),
    "loan": ("lening", "loan", "krediet", "credit", "convertible"),
    "equity": (
        "durfkapitaal",
        "venture capital",
        "equity",
        "participatie",
        "risicokapitaal",
        "aandelen",
        "seed round",
        "investeerder",
        "investor",
    ),
    "guarantee": ("garantie", "borgstelling", "guarantee", "guarantor"),
    "tax_credit": (
        "fiscale",
        "fiscaal",
        "tax credit",
        "tax scheme",
        "belastingvoordeel",
        "aftrek",
        "allowance",
    ),
    "procurement": (
        "aanbesteding",
        "tender",
        "procurement",
        "launching customer",
        "opdrachten van de overheid",
    ),
    "voucher": ("voucher",),
    "prize": ("prijs", "prize", "award"),
    "advice": ("advies", "coaching", "mentoring"),
}

# Cities and the province they lie in (the common ones; provinces themselves come from taxonomy).
CITIES: dict[str, str] = {
    "amsterdam": "Noord-Holland",
    "haarlem": "Noord-Holland",
    "zaandam": "Noord-Holland",
    "alkmaar": "Noord-Holland",
    "hilversum": "Noord-Holland",
    "hoorn": "Noord-Holland",
    "rotterdam": "Zuid-Holland",
    "den haag": "Zuid-Holland",
    "the hague": "Zuid-Holland",
    "'s-gravenhage": "Zuid-Holland",
    "delft": "Zuid-Holland",
    "leiden": "Zuid-Holland",
    "dordrecht": "Zuid-Holland",
    "zoetermeer": "Zuid-Holland",
    "gouda": "Zuid-Holland",
    "eindhoven": "Noord-Brabant",
    "tilburg": "Noord-Brabant",
    "breda": "Noord-Brabant",
    "'s-hertogenbosch": "Noord-Brabant",
    "den bosch": "Noord-Brabant",
    "helmond": "Noord-Brabant",
    "maastricht": "Limburg",
    "venlo": "Limburg",
    "heerlen": "Limburg",
    "sittard": "Limburg",
    "roermond": "Limburg",
    "geleen": "Limburg",
    "arnhem": "Gelderland",
    "nijmegen": "Gelderland",
    "apeldoorn": "Gelderland",
    "wageningen": "Gelderland",
    "ede": "Gelderland",
    "enschede": "Overijssel",
    "zwolle": "Overijssel",
    "deventer": "Overijssel",
    "hengelo": "Overijssel",
    "almelo": "Overijssel",
    "amersfoort": "Utrecht",
    "nieuwegein": "Utrecht",
    "zeist": "Utrecht",
    "veenendaal": "Utrecht",
    "leeuwarden": "Friesland",
    "sneek": "Friesland",
    "heerenveen": "Friesland",
    "assen": "Drenthe",
    "emmen": "Drenthe",
    "meppel": "Drenthe",
    "hoogeveen": "Drenthe",
    "almere": "Flevoland",
    "lelystad": "Flevoland",
    "dronten": "Flevoland",
    "middelburg": "Zeeland",
    "vlissingen": "Zeeland",
    "goes": "Zeeland",
    "terneuzen": "Zeeland",
}
PROVINCE_WORDS: dict[str, str] = {
    "groningen": "Groningen",
    "friesland": "Friesland",
    "fryslan": "Friesland",
    "drenthe": "Drenthe",
    "overijssel": "Overijssel",
    "flevoland": "Flevoland",
    "gelderland": "Gelderland",
    "utrecht": "Utrecht",
    "noord-holland": "Noord-Holland",
    "north holland": "Noord-Holland",
    "zuid-holland": "Zuid-Holland",
    "south holland": "Zuid-Holland",
    "zeeland": "Zeeland",
    "noord-brabant": "Noord-Brabant",
    "north brabant": "Noord-Brabant",
    "brabant": "Noord-Brabant",
    "brabantse": "Noord-Brabant",
    "limburg": "Limburg",
    "limburgse": "Limburg",
    "utrechtse": "Utrecht",
    "zeeuwse": "Zeeland",
    "gelderse": "Gelderland",
    "friese": "Friesland",
    "overijsselse": "Overijssel",
    "flevolandse": "Flevoland",
    "drentse": "Drenthe",
    "groningse": "Groningen",
    "zuid-hollandse": "Zuid-Holland",
    "noord-hollandse": "Noord-Holland",
}
# Parts of the country schemes name instead of provinces.
AREAS: dict[str, tuple[str, ...]] = {
    "oost-nederland": ("Overijssel", "Gelderland"),
    "oost nl": ("Overijssel", "Gelderland"),
    "noord-nederland": ("Groningen", "Friesland", "Drenthe"),
    "noord-drenthe": ("Drenthe", "Groningen"),
    "zuid-nederland": ("Noord-Brabant", "Limburg", "Zeeland"),
    "southern netherlands": ("Noord-Brabant", "Limburg", "Zeeland"),
    "regio zuid": ("Noord-Brabant", "Limburg", "Zeeland"),
    "brainport": ("Noord-Brabant",),
    "vlaanderen-nederland": ("Zeeland", "Noord-Brabant", "Limburg"),
    "deutschland-nederland": (
        "Gelderland",
        "Overijssel",
        "Limburg",
        "Noord-Brabant",
        "Drenthe",
        "Groningen",
        "Friesland",
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
# Words that ask for European rather than national or regional schemes.
EU_WORDS = ("europees", "europese", "european", "eu", "horizon europe", "brussel", "brussels")

_NUMBER = r"(\d{1,3}(?:[.,\s]\d{3})+|\d+(?:[.,]\d+)?)"
_AMOUNT = re.compile(
    r"(?:€|eur(?:o)?\s?)?\s*"
    + _NUMBER
    + r"\s*(k|duizend|thousand|ton|mln|miljoen|million|mio|m|mld|miljard|billion)?\b",
    re.IGNORECASE,
)
_MULTIPLIERS = {
    "k": 1e3,
    "duizend": 1e3,
    "thousand": 1e3,
    "ton": 1e5,
    "mln": 1e6,
    "miljoen": 1e6,
    "million": 1e6,
    "mio": 1e6,
    "m": 1e6,
    "mld": 1e9,
    "miljard": 1e9,
    "billion": 1e9,
}


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

    def lexical_text(self, text: str) -> str:
        """The text plus every synonym of the concepts it mentions."""
        return " ".join([text, *self.expansion])


def parse_number(raw: str) -> float:
    """'1.500.000', '1,5', '200 000', '1.5' -> float (Dutch and English separators)."""
    raw = raw.replace(" ", "")
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", raw):
        return float(re.sub(r"[.,]", "", raw))
    return float(raw.replace(",", "."))


def parse_amount(text: str) -> float | None:
    """The largest money amount stated: '200k', '2 ton', '€ 1,5 mln', '1.5 million', '€ 50.000'."""
    best: float | None = None
    for match in _AMOUNT.finditer(text):
        raw, unit = match.group(1), (match.group(2) or "").lower()
        whole = match.group(0)
        has_currency = "€" in whole or re.match(r"\s*eur", whole, re.IGNORECASE) is not None
        if not unit and not has_currency:
            continue  # "6 medewerkers", "TRL 5", years: not amounts
        if unit == "m" and not has_currency:
            continue  # "5 m" is more likely metres
        try:
            value = parse_number(raw) * _MULTIPLIERS.get(unit, 1.0)
        except ValueError:
            continue
        if best is None or value > best:
            best = value
    return best


@functools.lru_cache(maxsize=1)
def _place_pattern() -> tuple[re.Pattern[str], dict[str, tuple[str, ...]]]:
    """One alternation of every place name (longest first), and what each one names."""
    places: dict[str, tuple[str, ...]] = {}
    for name, province in (*PROVINCE_WORDS.items(), *CITIES.items()):
        places[fold(name)] = (province,)
    for name, provinces in AREAS.items():
        places[fold(name)] = provinces
    names = sorted(places, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w])(" + "|".join(re.escape(n) for n in names) + r")(?![\w])")
    return pattern, places


def _places(text: str) -> list[tuple[str, ...]]:
    pattern, places = _place_pattern()
    return [places[m.group(1)] for m in pattern.finditer(fold(text))]


def find_region(text: str) -> str | None:
    """The first province or known city the text mentions, as a province code."""
    for provinces in _places(text):
        if len(provinces) == 1:
            return provinces[0]
    return None


@functools.lru_cache(maxsize=20_000)
def find_regions(text: str) -> tuple[str, ...]:
    """Every province the text names, directly, through a city or through a part of the
    country ("Oost-Nederland"); used for regional schemes that list no province."""
    return tuple(dict.fromkeys(p for provinces in _places(text) for p in provinces))


_WORD = re.compile(r"\w+")
Entry = tuple[str, bool, str, str]  # folded term, whole word?, category, code


@functools.lru_cache(maxsize=1)
def _lexicon() -> dict[str, list[Entry]]:
    """Every term of every vocabulary, indexed by the first (up to 3) letters of its first word,
    so one pass over the words of a text finds them all (overlapping ones included)."""
    entries: list[Entry] = []
    for concept, (nl, en) in CONCEPTS.items():
        entries.extend((fold(t), True, "concept", concept) for t in (*nl, *en))
    for theme, keys in THEME_KEYWORDS.items():
        # Theme and type keywords are word prefixes ("innova"); " ai " is a whole word.
        entries.extend((fold(k).strip(), k != k.strip(), "theme", theme) for k in keys)
    for kind, keys in TYPE_KEYWORDS.items():
        entries.extend((fold(k).strip(), k != k.strip(), "type", kind) for k in keys)
    entries.extend((fold(w), True, "eu", "eu") for w in EU_WORDS)
    entries.extend((name, True, "scheme", name) for name in SCHEME_NAMES)
    index: dict[str, list[Entry]] = {}
    for entry in entries:
        first = _WORD.match(entry[0])
        if first is None:
            continue
        index.setdefault(first.group()[:3], []).append(entry)
    return index


def _scan(folded: str) -> tuple[set[str], dict[str, set[str]]]:
    """The concept terms found in a folded text, and the codes found per category."""
    index = _lexicon()
    terms: set[str] = set()
    found: dict[str, set[str]] = {
        "concept": set(),
        "theme": set(),
        "type": set(),
        "eu": set(),
        "scheme": set(),
    }
    end = len(folded)
    for match in _WORD.finditer(folded):
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
    result.themes = [theme for theme in THEME_KEYWORDS if theme in found["theme"]]
    result.types = [kind for kind in TYPE_KEYWORDS if kind in found["type"]]
    result.region = find_region(text)
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
    return result
