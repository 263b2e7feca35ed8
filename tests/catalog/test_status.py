"""Status as of a day from what the source says, in Dutch and English: never a guess.

Sentences are from the source corpus; each test says what a reader would conclude on the day.
"""

from __future__ import annotations

import datetime as dt

from wijzer.catalog.facts import FactSource, extract
from wijzer.catalog.facts.signals import CLOSES, OPENS, Signal
from wijzer.catalog.status import decide, status_of, timeline

DAY = dt.date(2026, 11, 27)


def status(body: str = "", *, title: str = "Regeling", day: dt.date = DAY, **source: object):  # type: ignore[no-untyped-def]
    signals = extract(FactSource(title=title, body=body, **source)).signals  # type: ignore[arg-type]
    return decide(signals, day)


def test_a_passed_end_date_is_closed_with_its_words() -> None:
    decision = status("Startdatum:\ndinsdag 11 juni 2024\nEinddatum:\ndinsdag 17 september 2024")
    assert decision.status == "closed"
    assert decision.evidence[0].quote == "Einddatum: dinsdag 17 september 2024"


def test_a_window_that_includes_the_day_is_open_and_one_ahead_is_forthcoming() -> None:
    text = "They simply apply for a loan until 1 July 2027 from one of the participating banks."
    assert status(text).status == "open"
    window = "Aanvragen van 1 februari 2027 tot en met 1 mei 2027."
    assert status(window).status == "forthcoming"
    assert status(window, day=dt.date(2027, 3, 1)).status == "open"
    assert status(window, day=dt.date(2027, 6, 1)).status == "closed"


def test_standing_wording_is_open() -> None:
    decision = status("They can submit their applications continuously.")
    assert decision.status == "open"
    assert "continuously" in decision.evidence[0].quote


def test_closed_and_exhausted_wording_is_closed() -> None:
    assert status("Hierdoor is het budget voor deze subsidieregeling uitgeput.").status == "closed"
    assert status("Temporarily closed\n\nSeed Capital conditions").status == "closed"
    # "gesloten" of an agreement or a closed-end fund says nothing about applying.
    assert status("Wadinko is een gesloten fonds dat zich richt op bedrijven.").status == "unknown"


def test_contradictory_evidence_is_unknown_with_both_quotes() -> None:
    decision = status("Einddatum: 1 maart 2024.\nU kunt doorlopend een aanvraag indienen bij RVO.")
    assert decision.status == "unknown"
    quotes = " ".join(s.quote for s in decision.conflicts)
    assert "1 maart 2024" in quotes and "doorlopend" in quotes


def test_an_open_banner_counts_only_on_a_fresh_page() -> None:
    page = "Open voor aanvragen\n\nInnovatiekrediet\n\nLaatst gecontroleerd op:\n4 april 2024\n"
    stale = status(page)
    assert stale.status == "unknown"
    assert status(page, day=dt.date(2024, 4, 20)).status == "open"


def test_a_corona_measure_is_closed() -> None:
    assert status(title="Klein Krediet Corona (KKC) garantieregeling").status == "closed"


def test_a_dated_past_round_is_closed_a_programme_range_is_not() -> None:
    assert status(title="MIT R&D-samenwerkingsprojecten Zuid-Holland (2021)").status == "closed"
    assert status(title="LIFE 2015 call for action grants").status == "closed"
    assert status(title="Subsidieprogramma Trade Relations Programma 2026–2028").status == "unknown"
    work_programme = (
        "The Commission has adopted the European Innovation Council (EIC) 2024 work programme."
    )
    assert status(work_programme, title="EIC Pathfinder").status == "closed"


def test_a_standing_tax_facility_in_the_present_tense_is_open() -> None:
    text = (
        "The Energy Investment Allowance (EIA) gives you an average 13.5% tax advantage. You must "
        "apply for EIA within 3 months after the commission is given."
    )
    decision = status(text, title="Energy Investment Allowance (EIA)", instrument_type="tax_credit")
    assert decision.status == "open" and "apply for EIA" in decision.evidence[0].quote


def test_a_lender_offering_today_is_open_a_condition_about_lenders_is_not() -> None:
    offer = "Qredits verstrekt microkredieten aan ondernemers."
    assert status(offer, title="Microkrediet", instrument_type="loan").status == "open"
    assert status("The bank provides the loan.", instrument_type="loan").status == "open"
    # A condition for setting up a regional fund (RVO's VFF page) offers nothing to apply for.
    condition = (
        "Er is voldoende vertrouwen dat een financier de capaciteit heeft voor het verstrekken "
        "van geldleningen voor de financiering van vroegefasetrajecten."
    )
    assert status(
        condition, title="VFF voor regionale financiers", instrument_type="loan"
    ).status == ("unknown")
    english = "The lender must provide loans to innovative starters on market terms."
    assert status(english, instrument_type="loan").status == "unknown"


def test_a_shared_page_quotes_the_schemes_own_way_to_apply() -> None:
    pages = {
        "en": (
            "Popular schemes\n\nRead more about popular subsidies and schemes you can apply for."
            "\n\nEnvironmental investment allowance (MIA)\n\nYou submit the application within "
            "3 months after the investment.\n\nResearch & Development tax credit (WBSO)\n\n"
            "The WBSO covers part of the wage costs."
        ),
        "nl": (
            "Populaire regelingen\n\nLees welke regelingen u kunt aanvragen bij RVO.\n\n"
            "Milieuinvesteringsaftrek (MIA)\n\nU kunt de MIA aanvragen bij RVO binnen 3 maanden "
            "na de investering.\n\nWBSO\n\nDe WBSO vergoedt een deel van de loonkosten."
        ),
    }
    # Not the page's introduction, which is about every scheme on it.
    own_sentence = {
        "en": "You submit the application within 3 months after the investment.",
        "nl": "U kunt de MIA aanvragen bij RVO binnen 3 maanden na de investering.",
    }
    for language, page in pages.items():
        decision = status(
            title="Environmental investment allowance (MIA)" if language == "en" else "MIA",
            document=page,
            others=("Research & Development tax credit (WBSO)" if language == "en" else "WBSO",),
            instrument_type="tax_credit",
        )
        assert decision.status == "open"
        assert decision.evidence[0].quote == own_sentence[language]


def test_a_reported_api_status_is_not_read_only_its_dates() -> None:
    summary = (
        "Horizon Europe topic; status in the captured response: Open; deadline(s): 2026-09-15."
    )
    assert status(summary).status == "closed"


def test_the_status_follows_the_calendar_without_new_signals() -> None:
    signals = [
        Signal(OPENS, '"startDate":"2027-02-04"', "data", dt.date(2027, 2, 4)),
        Signal(CLOSES, '"deadlineDate":["2027-09-14"]', "data", dt.date(2027, 9, 14)),
    ]
    periods = timeline(signals)
    assert [p[2] for p in periods] == ["forthcoming", "open", "closed"]
    assert periods[1][0] == dt.date(2027, 2, 4) and periods[2][0] == dt.date(2027, 9, 15)
    for day, expected in ((DAY, "forthcoming"), (dt.date(2027, 5, 1), "open")):
        assert decide(signals, day).status == expected


def test_staff_confirmation_wins() -> None:
    record = {"status_signals": [], "confirmed_status": "closed"}
    assert status_of(record, DAY).status == "closed"
