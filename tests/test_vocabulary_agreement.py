"""Records and profiles are read alike: the same text gets the same themes, kinds and places
from catalog enrichment, crawler normalisation and query understanding.

A profile that says "waterstof" and a scheme whose page says "waterstof" must share the theme,
or the matcher's theme boost and reasons depend on which list someone happened to edit.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import PROFILES_DEV, REPO, SEED
from wijzer.catalog import vocabulary
from wijzer.catalog.enrichment import infer_instrument_type, infer_themes
from wijzer.catalog.facts import FactSource, extract
from wijzer.catalog.facts.themes import mission_of
from wijzer.catalog.vocabulary.matching import load
from wijzer.crawler.pipelines import NormalisePipeline
from wijzer.matcher.rules import instrument_regions
from wijzer.matcher.understanding import understand


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _corpus() -> list[tuple[str, str]]:
    """(title, body) pairs: seed records as crawled, profile descriptions as typed."""
    pairs = [(r["title"], r.get("summary") or "") for r in _jsonl(SEED)]
    for path in (PROFILES_DEV, REPO / "eval" / "profiles_extra.jsonl"):
        pairs.extend(("", p["description"]) for p in _jsonl(path))
    return pairs


CORPUS = _corpus()


def crawled(title: str, body: str) -> dict[str, Any]:
    """A regional item as the crawler's normalisation fills it from a page's title and text."""
    item = {"title": title, "description": body, "level": "regional", "language": "nl"}
    return NormalisePipeline(crawler=None).process_item(item)


def assert_read_alike(title: str, body: str) -> None:
    item = crawled(title, body)
    # The text the crawler read: its title, the summary it wrote and the (sanitised) body.
    title, body = item["title"], item["description"]
    whole = f"{title}\n{item.get('summary', '')}\n{body}"
    profile = understand(whole)

    # Theme words: one answer from every reader. The themes a record carries are the
    # missions among them it is really about (catalog.facts.themes), never others.
    assert infer_themes(whole) == profile.themes
    facts = extract(FactSource(title=title, summary=item.get("summary", ""), body=body))
    carried = set(facts.facts.values.get("themes") or ())
    assert carried <= {mission_of(code) for code in profile.themes}

    # Kinds: the crawler picks one, from those the title names, else those the body names.
    named_in_title = understand(title).types
    if named_in_title:
        assert item["instrument_type"] == named_in_title[0]
    elif item["instrument_type"] not in vocabulary.types_inside_words(title):
        named_in_body = understand(body).types
        expected = named_in_body if named_in_body else ["subsidy"]
        assert item["instrument_type"] in expected
    assert infer_instrument_type(title, body) == item["instrument_type"]

    # Places: the crawler stores what the matcher reads from a regional record without
    # regions, and a profile placed in a province is placed in one of them.
    record = {"level": "regional", "title": whole}
    assert item["regions"] == sorted(instrument_regions(record))
    assert profile.region is None or profile.region in item["regions"]
    if len(item["regions"]) == 1:
        assert profile.region == item["regions"][0]
    if not item["regions"]:
        assert profile.region is None


@pytest.mark.parametrize(("title", "body"), CORPUS, ids=[str(i) for i in range(len(CORPUS))])
def test_seed_records_and_profiles_are_read_alike(title: str, body: str) -> None:
    assert_read_alike(title, body)


def _keywords(name: str) -> list[tuple[str, str]]:
    return [
        (code, keyword)
        for code, entry in load(name).items()
        for keyword in (*entry.get("starts", ()), *entry.get("words", ()))
    ]


THEME_WORDS = _keywords("themes.toml")
TYPE_WORDS = _keywords("instrument_types.toml")


@pytest.mark.parametrize(("code", "keyword"), THEME_WORDS)
def test_every_theme_keyword_names_its_theme_on_both_sides(code: str, keyword: str) -> None:
    for text in (f"Wij werken aan {keyword} voor klanten.", f"{keyword.upper()}-PROJECTEN"):
        assert code in infer_themes(text)
        assert infer_themes(text) == understand(text).themes


@pytest.mark.parametrize(("code", "keyword"), TYPE_WORDS)
def test_every_type_keyword_names_its_kind_on_both_sides(code: str, keyword: str) -> None:
    title = f"{keyword.capitalize()} voor ondernemers"
    assert code in understand(title).types
    assert code in vocabulary.types_in(title)
    assert crawled(title, "")["instrument_type"] in understand(title).types


_PLACES = sorted(load("places.toml")["cities"]) + sorted(load("places.toml")["areas"])
_FILLER = (
    "de",
    "het",
    "en",
    "voor",
    "the",
    "and",
    "for",
    "ondernemers",
    "companies",
    "project",
    "2025",
    "€ 50.000",
    "bedrijf",
)
_SUFFIXES = ("", "", "", "en", "s", "sector", "project", "-", "e", "ing")


_SEPARATORS = (" ", "\n", ", ", " - ", "/", ". ")


@st.composite
def _written(draw: st.DrawFn, word: str) -> str:
    """A vocabulary word as people write it: any case, accents, compounded, hyphenated."""
    case = draw(st.sampled_from((str.lower, str.upper, str.capitalize, str.title)))
    written = case(word + draw(st.sampled_from(_SUFFIXES)))
    if draw(st.booleans()):
        written = written.replace("e", "é").replace(" ", "-")
    return written


_VOCABULARY_WORDS = [k for _, k in THEME_WORDS] + [k for _, k in TYPE_WORDS] + _PLACES


@st.composite
def _texts(draw: st.DrawFn) -> str:
    """Vocabulary words, filler and arbitrary characters, joined by punctuation."""
    vocabulary_word = st.sampled_from(_VOCABULARY_WORDS).flatmap(_written)
    part = st.one_of(
        vocabulary_word,
        vocabulary_word,
        st.sampled_from(_FILLER),
        st.text(max_size=8),
    )
    parts = draw(st.lists(part, max_size=14))
    return "".join(p + draw(st.sampled_from(_SEPARATORS)) for p in parts)


@settings(max_examples=300, deadline=None)
@given(title=_texts(), body=_texts())
def test_generated_texts_are_read_alike(title: str, body: str) -> None:
    assert_read_alike(title, body)
