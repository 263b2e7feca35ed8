"""Subsidy registers for people: who received a scheme, and register schemes not yet listed."""

from __future__ import annotations

from wijzer.app.services import Services
from wijzer.catalog.models import Instrument
from wijzer.catalog.registers import Candidate, RegisterSummary, candidates, register_summaries


def register_evidence(services: Services, instrument_id: str) -> list[RegisterSummary]:
    """What the registers that link to this instrument say: recipients, median, last year."""
    with services.catalog.session() as session:
        instrument = session.get(Instrument, instrument_id)
        if instrument is None:
            return []
        return register_summaries(session, instrument)


def register_candidates(services: Services) -> list[Candidate]:
    """Register schemes that no instrument of the catalog lists yet (staff decide)."""
    with services.catalog.session() as session:
        return candidates(session)
