"""Infer themes, company size, stage, instrument type and amounts from Dutch or English text."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from wijzer.catalog.taxonomy import _fold

# Keyword rules, matched on folded text at word starts: one hit is enough for a code.
# Kept as data so a curator can read (and extend) what triggers a label.
THEME_RULES: dict[str, tuple[str, ...]] = {
    "energietransitie_duurzaamheid": (
        "energie",
        "energy",
        "klimaat",
        "climate",
        "duurzaam",
        "sustainab",
        "co2",
        "waterstof",
        "hydrogen",
        "emissie",
        "emission",
        "renewable",
        "hernieuwbare",
    ),
    "landbouw_water_voedsel": (
        "landbouw",
        "agri",
        "voedsel",
        "food",
        "soil",
        "bodem",
        "visserij",
        "fisher",
        "water",
        "tuinbouw",
        "horticult",
    ),
    "gezondheid_zorg": (
        "gezondheid",
        "health",
        "zorg",
        "medisch",
        "medical",
        "life sciences",
        "klinisch",
        "clinical",
        "healthcare",
    ),
    "veiligheid": ("veiligheid", "security", "cyber", "defensie", "defence", "defense"),
    "sleuteltechnologieen": (
        "sleuteltechnolog",
        "key enabling",
        "quantum",
        "fotonica",
        "photonic",
        "nanotech",
        "halfgeleider",
        "semiconductor",
        "deep tech",
        "deeptech",
        "high-tech",
        "hightech",
    ),
    "maatschappelijk_verdienvermogen": ("verdienvermogen", "earning capacity", "groeifonds"),
    "digitalisering": (
        "digital",
        "ict",
        "software",
        "data",
        "kunstmatige intelligentie",
        "artificial intelligence",
        " ai ",
        "cloud",
    ),
    "circulaire_economie": ("circula", "recycl", "hergebruik", "reuse", "biobased", "bio-based"),
    "internationaal": (
        "internationa",
        "export",
        "buitenland",
        "abroad",
        "emerging markets",
        "opkomende markten",
    ),
    "innovatie": (
        "innovat",
        "r&d",
        "onderzoek",
        "research",
        "ontwikkeling",
        "development",
        "prototype",
        "haalbaarheid",
        "feasibility",
    ),
}

SIZE_RULES: dict[str, tuple[str, ...]] = {
    "micro": ("microkrediet", "microcredit", "zzp", "micro-onderneming", "micro enterprise"),
    "small": ("mkb", "sme", "midden- en kleinbedrijf", "small business", "kleine onderneming"),
    "medium": ("mkb", "sme", "middelgrote", "medium-sized", "medium sized"),
    "large": ("grote onderneming", "large enterprise", "large compan", "grootbedrijf"),
}

STAGE_RULES: dict[str, tuple[str, ...]] = {
    "idea": (
        "idee",
        "idea",
        "haalbaarheid",
        "feasibility",
        "proof of concept",
        "vroege fase",
        "early stage",
        "early-stage",
        "vroegefase",
    ),
    "startup": ("startup", "start-up", "starter", "starten", "seed"),
    "scaleup": ("scale-up", "scaleup", "groeifase", "growth", "groei", "uitbreiden", "expand"),
    "established": (
        "bestaande onderneming",
        "established",
        "overname",
        "takeover",
        "herstructur",
        "restructur",
    ),
}

# Order matters: the first type whose keyword appears in the title wins; otherwise the most hits.
TYPE_RULES: dict[str, tuple[str, ...]] = {
    "procurement": ("aanbesteding", "tender", "procurement", "raamovereenkomst", "sbir"),
    "guarantee": ("garantie", "borgstelling", "guarantee", "bmkb", "go-regeling"),
    "tax_credit": (
        "aftrek",
        "fiscal",
        "fiscale",
        "tax",
        "investment allowance",
        "wbso",
        "eia",
        "mia",
        "vamil",
    ),
    "voucher": ("voucher",),
    "prize": ("prijs", "prize", "award", "competition", "wedstrijd"),
    "loan": ("lening", "loan", "krediet", "credit", "financiering", "microkrediet"),
    "equity": (
        "participatie",
        "equity",
        "venture capital",
        "risicokapitaal",
        "risicodragend",
        "investeringsfonds",
        "investment fund",
        "seed capital",
        "aandelen",
        "fonds",
        "business angel",
        "capital fund",
        "venture",
        "durfkapitaal",
        "startup fund",
    ),
    "subsidy": ("subsidie", "subsidy", "grant", "bijdrage"),
    "advice": ("advies", "advice", "coaching", "begeleiding"),
}


@functools.lru_cache(maxsize=256)
def _pattern(keywords: tuple[str, ...]) -> re.Pattern[str]:
    # One scan per rule instead of one per keyword: keywords match at the start of a word.
    alternatives = "|".join(re.escape(k.strip()) for k in sorted(keywords, key=len, reverse=True))
    return re.compile(rf"(?<![a-z])(?:{alternatives})")


def _hits(folded: str, keywords: tuple[str, ...]) -> int:
    """How many different keywords of the rule occur in the (folded) text."""
    return len(set(_pattern(keywords).findall(folded)))


@functools.lru_cache(maxsize=64)
def _folded(text: str) -> str:
    # The same page text is folded once for all the rules that read it.
    return f" {_fold(text)} "


def infer_themes(text: str) -> list[str]:
    """Theme codes (KIA missions first, then cross-cutting) whose keywords occur in the text."""
    folded = _folded(text)
    return [code for code, words in THEME_RULES.items() if _hits(folded, words)]


def infer_sizes(text: str) -> list[str]:
    folded = _folded(text)
    return [code for code, words in SIZE_RULES.items() if _hits(folded, words)]


def infer_stages(text: str) -> list[str]:
    folded = _folded(text)
    return [code for code, words in STAGE_RULES.items() if _hits(folded, words)]


def infer_instrument_type(title: str, body: str = "", default: str = "subsidy") -> str:
    """The instrument type named in the title, else the one the body mentions most."""
    folded_title = f" {_fold(title)} "
    for code, words in TYPE_RULES.items():
        # Dutch compounds ("innovatiekrediet") name the type inside a word: plain substrings.
        if any(w.strip() in folded_title for w in words if len(w.strip()) > 3):
            return code
    folded_body = _folded(body)
    scores = {code: _hits(folded_body, words) for code, words in TYPE_RULES.items()}
    best = max(scores, key=lambda c: scores[c])
    return best if scores[best] else default


# --- amounts -------------------------------------------------------------------------------

_MULTIPLIERS = {
    "miljard": 1e9,
    "billion": 1e9,
    "bn": 1e9,
    "mld": 1e9,
    "miljoen": 1e6,
    "million": 1e6,
    "mln": 1e6,
    "mio": 1e6,
    "m": 1e6,
    "duizend": 1e3,
    "thousand": 1e3,
    "k": 1e3,
}
_MONEY = re.compile(
    r"(?:€|eur(?:o)?\b|euro\b)\s*(?P<num>\d[\d.,\s]*\d|\d)\s*"
    r"(?P<mult>miljard|miljoen|million|billion|mln\.?|mld\.?|mio\.?|bn|thousand|duizend|k|m)?\b"
    r"|(?P<num2>\d[\d.,]*\d|\d)\s*(?P<mult2>miljard|miljoen|million|billion|mln\.?|mio\.?)?\s*"
    r"(?:€|euro\b|eur\b)",
    re.IGNORECASE,
)


def parse_number(raw: str, english: bool | None = None) -> float | None:
    """A number written Dutch-style (1.500.000,50) or English-style (1,500,000.50)."""
    text = raw.replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if "," in text and "." in text:
        # Whichever separator comes last is the decimal one.
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
    elif "," in text:
        parts = text.split(",")
        decimal = "," if len(parts) == 2 and len(parts[1]) != 3 else ""
    elif "." in text:
        parts = text.split(".")
        decimal = "." if len(parts) == 2 and len(parts[1]) != 3 else ""
        if english is False and len(parts) == 2 and len(parts[1]) == 3:
            decimal = ""
    else:
        decimal = ""
    thousands = {",", "."} - {decimal}
    for sep in thousands:
        text = text.replace(sep, "")
    if decimal:
        text = text.replace(decimal, ".")
    try:
        return float(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class Amount:
    value: float
    start: int
    end: int
    context: str  # the folded text just before the amount


def find_amounts(text: str) -> list[Amount]:
    """Every euro amount in the text ("€ 20.000", "2,5 miljoen euro", "EUR 1.5 million")."""
    found = []
    for match in _MONEY.finditer(text):
        raw = match.group("num") or match.group("num2")
        mult = (match.group("mult") or match.group("mult2") or "").lower().rstrip(".")
        number = parse_number(raw.strip())
        if number is None:
            continue
        value = number * _MULTIPLIERS.get(mult, 1.0)
        # Padded: the words right before the amount ("tot ", "max. ") keep their spaces.
        context = f" {_fold(text[max(0, match.start() - 60) : match.start()])} "
        found.append(Amount(value, match.start(), match.end(), context))
    return found


_MAX_WORDS = (
    "maximaal",
    "max.",
    "max ",
    "tot ",
    "ten hoogste",
    "hoogstens",
    "up to",
    "maximum",
    "at most",
    "no more than",
    "plafond",
    "tot een bedrag van",
)
_MIN_WORDS = (
    "minimaal",
    "minimum",
    "ten minste",
    "tenminste",
    "at least",
    "min.",
    "vanaf",
    "from ",
)
_BUDGET_WORDS = (
    "budget",
    "beschikbaar",
    "available",
    "totaal",
    "total",
    "fonds",
    "fund",
    "plafond",
    "stelt",
)


@dataclass(frozen=True)
class AmountRange:
    amount_min: float | None = None
    amount_max: float | None = None
    budget_total: float | None = None


def infer_amounts(text: str) -> AmountRange:
    """Per-applicant minimum and maximum and the total budget, from the words before amounts.

    A percentage ("max. 50%") is not an amount; an amount with no telling word is ignored.
    """
    amount_min = amount_max = budget = None
    for amount in find_amounts(text):
        near = amount.context[-25:]
        if any(w in near for w in _MIN_WORDS):
            amount_min = amount.value if amount_min is None else min(amount_min, amount.value)
        elif any(w in near for w in _MAX_WORDS) and not any(
            w in near for w in ("budget", "beschikbaar")
        ):
            amount_max = amount.value if amount_max is None else max(amount_max, amount.value)
        elif any(w in amount.context for w in _BUDGET_WORDS) or amount.value >= 1e6:
            budget = amount.value if budget is None else max(budget, amount.value)
    if amount_min is not None and amount_max is not None and amount_min > amount_max:
        amount_min, amount_max = amount_max, amount_min
    return AmountRange(amount_min, amount_max, budget)


def fill_missing(record_data: dict) -> dict:
    """Themes inferred from title and summary for a record that has none (import enrichment)."""
    if record_data.get("themes"):
        return record_data
    text = " ".join(str(record_data.get(k) or "") for k in ("title", "summary", "description"))
    themes = infer_themes(text)
    if themes:
        record_data = {**record_data, "themes": themes}
    return record_data
