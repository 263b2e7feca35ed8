"""The one vocabulary: its data names the taxonomy's codes, and its words are read as intended."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijzer.catalog import taxonomy, vocabulary
from wijzer.catalog.text import fold, tokens, words
from wijzer.catalog.vocabulary.matching import KeywordSet, load
from wijzer.catalog.vocabulary.places import (
    gazetteer,
    normalise_province,
    province_in,
    province_of_nuts,
    provinces_in,
)


def test_keyword_files_name_exactly_the_taxonomy_codes() -> None:
    # Same order for themes: the KIA missions are listed first wherever themes are listed.
    assert vocabulary.themes().codes == list(taxonomy.THEMES)
    assert set(vocabulary.instrument_types().codes) == set(taxonomy.INSTRUMENT_TYPES)
    assert vocabulary.sizes().codes == list(taxonomy.SIZES)
    assert vocabulary.stages().codes == list(taxonomy.STAGES)


def test_keywords_are_written_folded() -> None:
    # Text is folded before matching, so a keyword with a capital or an accent would never match.
    for name in ("themes.toml", "instrument_types.toml"):
        for entry in load(name).values():
            for keyword in (*entry.get("starts", ()), *entry.get("words", ())):
                assert keyword == fold(keyword).strip(), keyword


def test_place_files_name_the_taxonomy_provinces() -> None:
    places = gazetteer()
    assert set(load("places.toml")["provinces"]) == set(taxonomy.PROVINCES)
    assert set(places.nuts2.values()) == set(taxonomy.PROVINCES)
    for provinces in places.places.values():
        assert set(provinces) <= set(taxonomy.PROVINCES)
    # Every code and every English label is a spelling of its province.
    for code, (_, english) in taxonomy.PROVINCES.items():
        assert normalise_province(code) == code
        assert normalise_province(english) == code


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("Fryslân", "Friesland"),
        ("provincie Utrecht", "Utrecht"),
        ("North Brabant", "Noord-Brabant"),
        ("noord-holland", "Noord-Holland"),
        ("Noord Holland", "Noord-Holland"),
        ("Brabant", "Noord-Brabant"),
        (" Zuid-Holland ", "Zuid-Holland"),
        ("Holland", None),
        ("Amsterdam", None),  # a city is not a province code
        ("Nederland", None),
        ("", None),
    ],
)
def test_province_spellings(spelling: str, code: str | None) -> None:
    assert normalise_province(spelling) == code
    if code:
        assert taxonomy.check_code("region", spelling) == code
    else:
        with pytest.raises(ValueError, match="unknown region"):
            taxonomy.check_code("region", spelling)


@pytest.mark.parametrize(
    ("text", "provinces"),
    [
        ("Startup uit Leiden", ("Zuid-Holland",)),
        ("LEIDEN BIO SCIENCE PARK", ("Zuid-Holland",)),
        # Common words that are also town names count only with a capital.
        ("projecten die leiden tot CO2-reductie", ()),
        ("the money goes to research", ()),
        ("een productiebedrijf in Goes", ("Zeeland",)),
        ("wielen en assen", ()),
        ("Productiebedrijf uit Assen", ("Drenthe",)),
        # The longest name wins: West-Friesland lies in Noord-Holland.
        ("ondernemers in West-Friesland", ("Noord-Holland",)),
        ("Zuid-Limburg en Midden-Brabant", ("Limburg", "Noord-Brabant")),
        ("bedrijven in Oost-Nederland", ("Overijssel", "Gelderland")),
        ("via Oost NL", ("Overijssel", "Gelderland")),
        ("Fryslân en Drenthe", ("Friesland", "Drenthe")),
        ("in 's-Hertogenbosch", ("Noord-Brabant",)),
        ("Brabantse mkb'ers", ("Noord-Brabant",)),
        ("Den\nHaag", ("Zuid-Holland",)),
        ("The Netherlands", ()),
    ],
)
def test_places_in_text(text: str, provinces: tuple[str, ...]) -> None:
    assert provinces_in(text) == provinces


def test_a_profile_is_placed_in_one_province_only() -> None:
    assert province_in("Startup uit Eindhoven, actief in Oost-Nederland") == "Noord-Brabant"
    assert province_in("actief in Oost-Nederland") is None  # two provinces: no single answer
    assert province_of_nuts("NL33") == "Zuid-Holland"
    assert province_of_nuts("nl414") == "Noord-Brabant"
    assert province_of_nuts("NL") is None and province_of_nuts("FRD22") is None


_THEME_CASES = [
    ("een AI-startup", {"digitalisering"}, set()),
    ("financial aid for aimed projects", set(), {"digitalisering"}),
    ("wij zorgen voor zorgvuldige begeleiding", set(), {"gezondheid_zorg"}),
    ("innovatie in de zorgsector", {"gezondheid_zorg"}, set()),
    ("patient capital for deep tech", {"sleuteltechnologieen"}, {"gezondheid_zorg"}),
    ("waterstof uit zonne-energie", {"energietransitie_duurzaamheid"}, set()),
    ("waterstof", set(), {"landbouw_water_voedsel"}),
    ("waterkwaliteit", {"landbouw_water_voedsel"}, set()),
    ("duurzaamheid en duurzame energie", {"energietransitie_duurzaamheid"}, set()),
    ("software voor Windows", {"digitalisering"}, {"energietransitie_duurzaamheid"}),
    ("een windpark op zee", {"energietransitie_duurzaamheid"}, set()),
    ("High Tech, high-tech en hightech", {"sleuteltechnologieen"}, set()),
    ("we bouwen een prototype", {"innovatie"}, {"maatschappelijk_verdienvermogen"}),
    ("de bouwsector", {"maatschappelijk_verdienvermogen"}, set()),
    ("Médische hulp in Fryslân", {"gezondheid_zorg"}, set()),  # accents fold away
]
_TYPE_CASES = [
    ("Investeringsaftrek MIA", {"tax_credit"}, set()),
    ("a trip to Miami", set(), {"tax_credit"}),
    ("the taxonomy of schemes", set(), {"tax_credit"}),
    ("our taxable profit", {"tax_credit"}, set()),
    ("SME loan guarantee scheme", {"guarantee", "loan"}, set()),
    ("subsidieverlening", {"subsidy"}, {"loan"}),
    ("cofinanciering van projecten", set(), {"loan"}),
]


@pytest.mark.parametrize(
    ("reader", "text", "present", "absent"),
    [(vocabulary.themes_in, *case) for case in _THEME_CASES]
    + [(vocabulary.types_in, *case) for case in _TYPE_CASES],
)
def test_words_name_codes(
    reader: Callable[[str], list[str]], text: str, present: set[str], absent: set[str]
) -> None:
    found = set(reader(text))
    assert present <= found and not absent & found


def test_sizes_and_stages() -> None:
    assert {"small", "medium"} <= set(vocabulary.sizes_in("Voor het MKB en SMEs"))
    assert vocabulary.sizes_in("the smell of smelting") == []
    assert vocabulary.stages_in("an ideal partner") == []
    assert vocabulary.stages_in("from idea to proof-of-concept") == ["idea"]


def _reference_fold(text: str) -> str:
    """Folding as the search index has always applied it."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@given(st.text(max_size=300))
def test_fold_is_the_index_folding(text: str) -> None:
    assert fold(text) == _reference_fold(text)


def test_words_fold_split_and_drop_function_words() -> None:
    assert fold("Fryslân Café ÉÉN") == "fryslan cafe een"
    assert tokens("MKB-krediet_2024: de R&D") == ["mkb", "krediet", "2024", "de", "r", "d"]
    assert words("De subsidie voor het MKB-krediet") == ["subsidie", "mkb", "krediet"]


_VOCABULARIES = [
    vocabulary.themes,
    vocabulary.instrument_types,
    vocabulary.sizes,
    vocabulary.stages,
    vocabulary.applicants,
    vocabulary.purposes,
]
_KEYWORDS = sorted(
    {
        word
        for vocab in _VOCABULARIES
        for k in vocab().keywords.values()
        for word in (*k.starts, *k.words, *k.exceptions)
    }
)


@given(
    st.lists(
        st.one_of(st.sampled_from(_KEYWORDS), st.text(alphabet="abdeikmnorstz -", max_size=8)),
        max_size=3,
    ).map("".join),
    st.sampled_from(_VOCABULARIES),
)
def test_a_vocabulary_finds_what_each_code_finds_on_its_own(
    text: str, vocab: Callable[[], KeywordSet]
) -> None:
    """Reading a text for all codes at once (one scan first for any keyword) finds exactly the
    codes each code's own pattern finds, keywords glued to other words and exceptions too."""
    keywords = vocab()
    folded = fold(text)
    expected = [code for code, k in keywords.keywords.items() if k.pattern().search(folded)]
    assert keywords.codes_in(folded) == expected
    assert [code for code, n in keywords.hits(folded).items() if n] == expected


@given(
    st.lists(
        st.one_of(st.sampled_from(_KEYWORDS), st.text(alphabet="abdeikmnorstz -é1_", max_size=8)),
        max_size=4,
    ).map("".join),
    st.sampled_from(_VOCABULARIES),
)
def test_each_code_finds_what_its_plain_word_start_pattern_finds(
    text: str, vocab: Callable[[], KeywordSet]
) -> None:
    """The pattern written to begin with the keywords' first letters (faster to scan) finds the
    same keywords at the same places as the plain one, exceptions and glued words too."""
    folded = fold(text)
    for keywords in vocab().keywords.values():
        fast, plain = keywords.pattern(), keywords.word_start_pattern()
        assert [m.span() for m in fast.finditer(folded)] == [
            m.span() for m in plain.finditer(folded)
        ]


def test_an_exception_stops_the_fast_pattern_where_it_stops_the_plain_one() -> None:
    exceptions = 0
    for vocab in _VOCABULARIES:
        for keywords in vocab().keywords.values():
            fast, plain = keywords.pattern(), keywords.word_start_pattern()
            for word in (*keywords.exceptions, *keywords.starts, *keywords.words):
                for text in (word, f"de {word}s en x{word}", f"{word}-{word}"):
                    folded = fold(text)
                    assert fast.findall(folded) == plain.findall(folded), text
            exceptions += len(keywords.exceptions)
    assert exceptions > 0
