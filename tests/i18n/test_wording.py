"""Every reason and blocker code worded in Dutch and in English, and nothing left untranslated."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from wijzer.i18n import catalogs, wording
from wijzer.matcher import reasons
from wijzer.matcher.reasons import CODES, Kind, Reason

SRC = Path(wording.__file__).resolve().parent.parent
REASONS_PO = SRC / "translations" / "nl" / "LC_MESSAGES" / "reasons.po"

# Each code with its Dutch and English words (the report of the change lists these).
EXPECTED: list[tuple[Reason, str, str]] = [
    (
        reasons.matches_terms(["feasibility", "mit"], ["sensor"]),
        "past bij: haalbaarheid, MIT, sensor",
        "matches: feasibility, MIT, sensor",
    ),
    (
        reasons.region_fits(["Utrecht"]),
        "regionale regeling voor Utrecht",
        "regional scheme for Utrecht",
    ),
    (
        reasons.regional(["Noord-Brabant", "Zeeland"]),
        "regionale regeling voor Noord-Brabant en Zeeland",
        "regional scheme for North Brabant and Zeeland",
    ),
    (reasons.regional([]), "regionale regeling", "regional scheme"),
    (
        reasons.region_only(["Groningen", "Drenthe"]),
        "alleen voor bedrijven in Groningen of Drenthe",
        "only for companies in Groningen or Drenthe",
    ),
    (reasons.national_scheme(), "landelijke regeling", "national scheme"),
    (reasons.european_scheme(wanted=True), "Europese regeling", "European scheme"),
    (reasons.type_wanted("loan"), "soort die u zoekt: lening", "the kind you want: loan"),
    (
        reasons.type_mentioned("tax_credit"),
        "soort die u noemt: fiscale regeling",
        "the kind you mention: tax credit",
    ),
    (
        reasons.guarantees_loan(),
        "een garantie op een banklening, zodat de bank kan lenen wat ze zonder garantie niet leent",
        "a guarantee on a bank loan, so a bank can lend what it would not lend without it",
    ),
    (reasons.theme(["digitalisering"]), "thema: digitalisering", "theme: digitalisation"),
    (
        reasons.theme(["gezondheid_zorg", "digitalisering"]),
        "thema's: gezondheid & zorg en digitalisering",
        "themes: health & care and digitalisation",
    ),
    (
        reasons.size_fits(["micro", "small"]),
        "omvang: micro (<10 fte) of klein (10–49 fte)",
        "size: micro (<10 staff) or small (10–49 staff)",
    ),
    (
        reasons.size_only(["large"]),
        "alleen voor omvang: groot (250+ fte)",
        "only for size: large (250+ staff)",
    ),
    (
        reasons.applicant_only(["fund_manager", "knowledge_institution"]),
        "alleen voor: fondsen en financiers of kennisinstellingen",
        "only for: funds and financiers or knowledge institutions",
    ),
    (
        reasons.applicants_fit(["sme"], "Voor mkb'ers."),
        "open voor mkb, zoals u",
        "open to SMEs, as you are",
    ),
    (
        reasons.applicant_only(["intermediary"]),
        "alleen voor: innovatiehubs en ondersteuningsorganisaties",
        "only for: innovation hubs and support organisations",
    ),
    (
        reasons.collaboration_only("Minimaal 2 mkb'ers werken samen."),
        "alleen voor een samenwerking van meerdere organisaties; u noemt geen partner",
        "only for a collaboration of several organisations; you name no partner",
    ),
    (
        reasons.collaboration_fits("Minimaal 2 mkb'ers werken samen."),
        "voor een samenwerking, zoals u die van plan bent",
        "for a collaboration, as you plan one",
    ),
    (
        reasons.partners_abroad("Samenwerkingsprojecten in de grensregio Vlaanderen-Nederland."),
        "voor een samenwerking met partners uit andere landen; u noemt geen partner in het "
        "buitenland",
        "for a collaboration with partners in other countries; you name no partner abroad",
    ),
    (
        reasons.through_financiers("Het fonds investeert in venture capital fondsen."),
        "gaat naar fondsen of financiers, niet naar bedrijven: u vraagt aan bij een van hen",
        "paid to funds or financiers, not to companies: you apply to one of them",
    ),
    (
        reasons.amount_in_range(30_000, 15_000, 50_000),
        "uw €\xa030.000 valt binnen de €\xa015.000–€\xa050.000 die de bron noemt",
        "your €30,000 lies within the €15,000–€50,000 the source states",
    ),
    (
        reasons.amount_in_range(30_000, None, 250_000),
        "uw €\xa030.000 blijft binnen het maximum van €\xa0250.000",
        "your €30,000 is within the maximum of €250,000",
    ),
    (
        reasons.amount_in_range(300_000, 150_000, None),
        "uw €\xa0300.000 ligt boven het minimum van €\xa0150.000",
        "your €300,000 is above the minimum of €150,000",
    ),
    (
        reasons.covers_up_to(50_000, 250_000, blocks=True),
        "leent of investeert hoogstens €\xa050.000; u zoekt €\xa0250.000",
        "lends or invests at most €50,000; you need €250,000",
    ),
    (
        reasons.purpose_fits(["feasibility"]),
        "het geld is voor haalbaarheidsonderzoek, waarvoor u het nodig hebt",
        "the money is for feasibility study, as you need it",
    ),
    (
        reasons.purpose_other(["investment", "growth"]),
        "het geld is voor investeringen en groei",
        "the money is for investment and growth",
    ),
    (
        reasons.area_fits("Noord-Nederland"),
        "voor Noord-Nederland, waar u zit",
        "for the Northern Netherlands, where you are",
    ),
    (
        reasons.area_only("emerging markets and developing countries"),
        "alleen voor projecten in opkomende markten en ontwikkelingslanden",
        "only for projects in emerging markets and developing countries",
    ),
    (
        reasons.not_stated(["applicants", "amount", "purposes"]),
        "niet vermeld door de bron: wie mag aanvragen, het bedrag en waarvoor het geld is",
        "not stated by the source: who may apply, the amount and what the money is for",
    ),
    (reasons.stage_fits(["startup"]), "fase: startup", "stage: startup"),
    (
        reasons.stage_only(["scaleup", "established"]),
        "alleen voor fase: scale-up of gevestigd",
        "only for stage: scale-up or established",
    ),
    (reasons.amount_fits(250_000), "bedrag past: €\xa0250.000", "amount fits: €250,000"),
    (
        reasons.covers_up_to(50_000, 250_000),
        "dekt tot €\xa050.000 van €\xa0250.000",
        "covers up to €50,000 of €250,000",
    ),
    (reasons.starts_at(2_000_000), "pas vanaf €\xa02.000.000", "starts at €2,000,000"),
    (
        reasons.closed_since(dt.date(2021, 9, 9)),
        "gesloten sinds 9 september 2021",
        "closed since 9 September 2021",
    ),
    (
        reasons.opens_on(dt.date(2027, 1, 15)),
        "opent op 15 januari 2027",
        "opens on 15 January 2027",
    ),
    (
        reasons.closes_on(dt.date(2027, 4, 8)),
        "sluit op 8 april 2027",
        "closes on 8 April 2027",
    ),
    (reasons.open_no_deadline(), "open, geen deadline vermeld", "open, no deadline stated"),
    (
        reasons.status_unknown(),
        "de bron zegt niet of aanvragen nu kan: navragen bij de financier",
        "the source does not say whether it is open: check with the funder",
    ),
    (
        reasons.closed_stated("Hierdoor is het budget voor deze subsidieregeling uitgeput."),
        "gesloten, volgens de bron",
        "closed, according to the source",
    ),
    (
        reasons.similar_description(),
        "lijkt op de beschrijving van uw bedrijf",
        "close to your company description",
    ),
    (
        reasons.matches_search("waterkwaliteit"),
        "past bij uw zoekopdracht “waterkwaliteit”",
        "matches your search “waterkwaliteit”",
    ),
    (
        reasons.search_filter("instrument_type", ["subsidy", "loan"]),
        "soort: subsidie of lening",
        "type: subsidy or loan",
    ),
    (reasons.search_filter("region", ["Utrecht"]), "provincie: Utrecht", "province: Utrecht"),
    (reasons.search_filter("level", ["eu"]), "niveau: Europees", "level: European"),
    (
        reasons.search_filter("theme", ["circulaire_economie"]),
        "thema: circulaire economie",
        "theme: circular economy",
    ),
]
_PLACEHOLDER = re.compile(r"%\(\w+\)s")


def _fragments(texts: list[str]) -> set[str]:
    """The literal words of messages between their placeholders (long enough to tell)."""
    parts = (p.strip(" :,“”") for t in texts for p in _PLACEHOLDER.split(t))
    return {p for p in parts if len(p) >= 4}


def _messages() -> tuple[list[str], list[str]]:
    """(English msgids, Dutch msgstrs) of the reasons catalog."""
    with REASONS_PO.open("rb") as handle:
        catalog = read_po(handle)
    english, dutch = [], []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        english.extend(ids)
        dutch.extend(strings)
    return english, dutch


def test_every_code_has_an_example_with_its_parameters() -> None:
    assert {reason.code for reason, _, _ in EXPECTED} == set(CODES)
    for reason, _, _ in EXPECTED:
        assert set(reason.params) == set(CODES[reason.code]), reason


@pytest.mark.parametrize(
    ("reason", "dutch", "english"), EXPECTED, ids=lambda v: getattr(v, "code", "")
)
def test_code_is_worded_in_each_language(reason: Reason, dutch: str, english: str) -> None:
    assert wording.render(reason, "nl") == dutch
    assert wording.render(reason, "en") == english
    # Locale names as readers' browsers send them reach the same words.
    assert wording.render(reason, "en_GB") == english
    assert wording.render(reason, "nl-NL") == dutch


def test_no_words_of_the_other_language() -> None:
    english_ids, dutch_strings = _messages()
    english_words, dutch_words = _fragments(english_ids), _fragments(dutch_strings)
    for reason, _, _ in EXPECTED:
        dutch, english = wording.render(reason, "nl"), wording.render(reason, "en")
        assert dutch != english, reason
        assert not [w for w in english_words if w in dutch], (reason, dutch)
        assert not [w for w in dutch_words if w in english], (reason, english)


def test_every_message_in_use_is_translated() -> None:
    used = [
        message
        for path in (SRC / "i18n" / "wording.py", SRC / "cli" / "match_cmd.py")
        for _, message, _, _ in extract_from_file("python", str(path))
    ]
    assert len(used) > len(CODES)
    assert catalogs.untranslated("nl", used, wording.DOMAIN) == []


def test_reason_json_round_trip_keeps_the_words() -> None:
    for reason, dutch, _ in EXPECTED:
        data = wording.reason_json(reason, "nl")
        assert data["text"] == dutch
        assert set(data) == {"code", "kind", "params", "quote", "text"}
        again = Reason.from_json(data)
        assert again == reason and wording.render(again, "nl") == dutch
    quoted = Reason("starts_at", Kind.BLOCKER, {"amount": 5e4}, quote="Minimaal € 50.000.")
    assert Reason.from_json(quoted.as_json()).quote == "Minimaal € 50.000."
    with pytest.raises(ValueError, match="unknown reason code"):
        Reason.from_json({"code": "nope", "kind": "fit"})
