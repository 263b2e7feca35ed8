"""A profile's vector is made when its subscription is confirmed, and the alert runs read it
back from the encoder's cache instead of encoding the text again."""

from __future__ import annotations

from tests.alerts.conftest import SmtpServer, import_records, new_record, text_of
from wijzer.app import alert_runs, subscribers
from wijzer.app.services import Services
from wijzer.matcher.embedding_cache import CachedEncoder

PROFILE = {
    "description": "Wij zijn een startup uit Utrecht die sensoren ontwikkelt om de "
    "waterkwaliteit in stedelijk oppervlaktewater te meten.",
    "region": "Utrecht",
    "language": "nl",
}
NEW = [
    new_record(
        "nl-ut-water-sensor-2099",
        "Subsidie waterinnovatie Utrecht",
        "Subsidie voor sensoren die de waterkwaliteit meten in stedelijk water.",
    ),
    new_record(
        "nl-ut-slim-water-2099",
        "Regeling slimme watermeting",
        "Bijdrage voor proeven met meetapparatuur voor oppervlaktewater in de provincie.",
    ),
]


def test_a_confirmed_profile_is_encoded_once_and_runs_read_it_back(
    services: Services, smtp: SmtpServer
) -> None:
    encoder = services.encoder
    assert isinstance(encoder, CachedEncoder)
    subscribers.subscribe(
        services, "p@example.org", "profile", PROFILE, "immediate", confirmed=True
    )
    assert encoder.encoded == 1  # the profile text, on confirmation

    for record in NEW:
        import_records(services.catalog, [record])
        before = encoder.encoded
        alert_runs.run_alerts(services)
        # Each run encodes its new instrument's text; the profile's vector is read back.
        assert encoder.encoded == before + 1

    digests = smtp.inbox.to("p@example.org")
    assert [r["title"] in text_of(d) for r, d in zip(NEW, digests, strict=True)] == [True, True]
