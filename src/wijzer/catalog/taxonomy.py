"""The bilingual taxonomy: levels, provinces, instrument types, themes, company size and stage.

Codes and labels only; the words that name them in text are in `catalog.vocabulary`.
"""

from __future__ import annotations

from wijzer.catalog.vocabulary.places import normalise_province

# Each entry: code -> (Dutch label, English label). Codes are what the catalog stores.
LEVELS: dict[str, tuple[str, str]] = {
    "regional": ("Regionaal", "Regional"),
    "national": ("Landelijk", "National"),
    "eu": ("Europees", "European"),
}

PROVINCES: dict[str, tuple[str, str]] = {
    "Groningen": ("Groningen", "Groningen"),
    "Friesland": ("Friesland", "Friesland"),
    "Drenthe": ("Drenthe", "Drenthe"),
    "Overijssel": ("Overijssel", "Overijssel"),
    "Flevoland": ("Flevoland", "Flevoland"),
    "Gelderland": ("Gelderland", "Gelderland"),
    "Utrecht": ("Utrecht", "Utrecht"),
    "Noord-Holland": ("Noord-Holland", "North Holland"),
    "Zuid-Holland": ("Zuid-Holland", "South Holland"),
    "Zeeland": ("Zeeland", "Zeeland"),
    "Noord-Brabant": ("Noord-Brabant", "North Brabant"),
    "Limburg": ("Limburg", "Limburg"),
}

INSTRUMENT_TYPES: dict[str, tuple[str, str]] = {
    "subsidy": ("Subsidie", "Subsidy"),
    "loan": ("Lening", "Loan"),
    "guarantee": ("Garantie", "Guarantee"),
    "equity": ("Participatie (equity)", "Equity"),
    "tax_credit": ("Fiscale regeling", "Tax credit"),
    "voucher": ("Voucher", "Voucher"),
    "prize": ("Prijs", "Prize"),
    "procurement": ("Aanbesteding", "Procurement"),
    "advice": ("Advies", "Advice"),
}

# The KIA missions (kennis- en innovatieagenda's) first, then cross-cutting themes.
THEMES: dict[str, tuple[str, str]] = {
    "energietransitie_duurzaamheid": (
        "Energietransitie & duurzaamheid",
        "Energy transition & sustainability",
    ),
    "landbouw_water_voedsel": ("Landbouw, water & voedsel", "Agriculture, water & food"),
    "gezondheid_zorg": ("Gezondheid & zorg", "Health & care"),
    "veiligheid": ("Veiligheid", "Security"),
    "sleuteltechnologieen": ("Sleuteltechnologieën", "Key enabling technologies"),
    "maatschappelijk_verdienvermogen": (
        "Maatschappelijk verdienvermogen",
        "Societal earning capacity",
    ),
    "digitalisering": ("Digitalisering", "Digitalisation"),
    "circulaire_economie": ("Circulaire economie", "Circular economy"),
    "internationaal": ("Internationaal ondernemen", "International business"),
    "innovatie": ("Innovatie & R&D", "Innovation & R&D"),
}
KIA_MISSIONS = tuple(list(THEMES)[:6])

SIZES: dict[str, tuple[str, str]] = {
    "micro": ("Micro (<10 fte)", "Micro (<10 staff)"),
    "small": ("Klein (10–49 fte)", "Small (10–49 staff)"),
    "medium": ("Middelgroot (50–249 fte)", "Medium (50–249 staff)"),
    "large": ("Groot (250+ fte)", "Large (250+ staff)"),
}

STAGES: dict[str, tuple[str, str]] = {
    "idea": ("Idee", "Idea"),
    "startup": ("Startup", "Startup"),
    "scaleup": ("Scale-up", "Scale-up"),
    "established": ("Gevestigd", "Established"),
}

# Status as of a date (`catalog.status`): unknown when the source does not tell.
STATUSES: dict[str, tuple[str, str]] = {
    "forthcoming": ("Binnenkort open", "Forthcoming"),
    "open": ("Open", "Open"),
    "unknown": ("Navragen bij de financier", "Check with the funder"),
    "closed": ("Gesloten", "Closed"),
}
# What the public sees unless it asks for closed ones too.
DEFAULT_STATUSES = ("open", "forthcoming", "unknown")

# Who may apply for (or receives) the money.
APPLICANTS: dict[str, tuple[str, str]] = {
    "sme": ("Mkb", "SMEs"),
    "startup": ("Startups", "Start-ups"),
    "large_company": ("Grote bedrijven", "Large companies"),
    "consortium": ("Samenwerkingsverbanden", "Consortia"),
    "knowledge_institution": ("Kennisinstellingen", "Knowledge institutions"),
    "fund_manager": ("Fondsen en financiers", "Funds and financiers"),
    "public_body": ("Overheden", "Public bodies"),
    "ngo": ("Stichtingen en verenigingen", "Non-profit organisations"),
    "individual": ("Personen", "Individuals"),
    # Innovation hubs and organisers of support programmes that serve companies.
    "intermediary": (
        "Innovatiehubs en ondersteuningsorganisaties",
        "Innovation hubs and support organisations",
    ),
    "any": ("Iedereen (openbare inschrijving)", "Anyone (open tender)"),
}

# What the money is for.
PURPOSES: dict[str, tuple[str, str]] = {
    "research": ("Onderzoek", "Research"),
    "feasibility": ("Haalbaarheidsonderzoek", "Feasibility study"),
    "development": ("Ontwikkeling", "Development"),
    "demonstration": ("Demonstratie en pilots", "Demonstration and pilots"),
    "market_introduction": ("Marktintroductie", "Market introduction"),
    "growth": ("Groei", "Growth"),
    "working_capital": ("Werkkapitaal", "Working capital"),
    "investment": ("Investeringen", "Investment"),
    "export_international": ("Export en buitenland", "Export and international"),
    "sustainability_investment": ("Duurzame investeringen", "Sustainable investment"),
    "procurement_contract": ("Opdracht van de overheid", "Public contract"),
    "advice": ("Advies", "Advice"),
    "training": ("Opleiding", "Training"),
    "other": ("Overig", "Other"),
}

LANGUAGES = ("nl", "en")

VOCABULARIES: dict[str, dict[str, tuple[str, str]]] = {
    "level": LEVELS,
    "region": PROVINCES,
    "instrument_type": INSTRUMENT_TYPES,
    "theme": THEMES,
    "size": SIZES,
    "stage": STAGES,
    "status": STATUSES,
    "applicant": APPLICANTS,
    "purpose": PURPOSES,
}


def label(vocabulary: str, code: str, language: str = "nl") -> str:
    """Human label of a code in the given language; the code itself when unknown."""
    entry = VOCABULARIES.get(vocabulary, {}).get(code)
    if entry is None:
        return code
    return entry[1] if language == "en" else entry[0]


def check_code(vocabulary: str, value: str) -> str:
    """Return the canonical code or raise ValueError listing the allowed values."""
    if vocabulary == "region":
        province = normalise_province(value)
        if province:
            return province
    elif value in VOCABULARIES[vocabulary]:
        return value
    allowed = ", ".join(VOCABULARIES[vocabulary])
    raise ValueError(f"unknown {vocabulary} {value!r}; expected one of: {allowed}")
