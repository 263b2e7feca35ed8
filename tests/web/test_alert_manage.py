"""The manage page says in words what an alert is about and lets the subscriber change it;
an instrument page's alert saves that instrument for deadline reminders."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.alerts.conftest import post_form
from tests.web.conftest import CHANGED_ID, Site
from wijzer.alerts.emails import links
from wijzer.app import subscribers
from wijzer.catalog.alerts_models import SavedInstrument, Subscription


def manage_path(site: Site, kind: str, spec: dict[str, Any], email: str, lang: str) -> str:
    made = subscribers.subscribe(site.services, email, kind, spec, "weekly", lang, confirmed=True)
    with site.services.catalog.session() as session:
        nonce = session.get(Subscription, made["id"]).nonce  # type: ignore[union-attr]
    url = links(site.services.mail, made["id"], nonce, lang)["manage"]
    return url[url.index("/alerts/manage/") :]


def saved_rows(page: str) -> dict[str, str]:
    block = re.search(r'<dl class="facts saved-filters">(.*?)</dl>', page, re.S)
    assert block, "no saved filters on the page"
    return dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]*)</dd>", block.group(1)))


@pytest.mark.parametrize(
    ("lang", "rows"),
    [
        (
            "nl",
            {"Zoekwoorden": "water", "Niveau": "Landelijk", "Provincie": "Alle"},
        ),
        ("en", {"Search words": "water", "Level": "National", "Province": "Any"}),
    ],
)
def test_manage_page_shows_and_changes_the_saved_search(
    client: Any, site: Site, lang: str, rows: dict[str, str]
) -> None:
    path = manage_path(
        site, "query", {"q": "water", "level": ["national"]}, f"manage-{lang}@example.org", lang
    )
    assert path.endswith(f"?lang={lang}")
    page = client.get(path)
    assert page.status_code == 200
    shown = saved_rows(page.text)
    assert rows.items() <= shown.items(), shown
    assert "national" not in shown.values()
    changed = post_form(
        client,
        path,
        {"kind": "query", "q": "zonnepanelen", "level": "", "region": "Utrecht", "theme": ""},
    )
    assert changed.status_code == 200, changed.text
    words, level, province = rows  # the three names, in the page's language
    shown = saved_rows(changed.text)
    assert (shown[words], shown[province]) == ("zonnepanelen", "Utrecht")
    assert shown[level] == rows[province]  # the level is back on "Any"
    refused = post_form(client, path, {"kind": "query", "q": "", "level": ""})
    assert refused.status_code == 400
    assert saved_rows(refused.text)[words] == "zonnepanelen"  # nothing lost


def test_manage_page_shows_a_profile_in_words(client: Any, site: Site) -> None:
    spec = {"description": "Wij bouwen waterfilters.", "region": "Utrecht", "amount": "200k"}
    path = manage_path(site, "profile", {**spec, "wants": ["loan"]}, "p@example.org", "en")
    shown = saved_rows(client.get(path).text)
    assert shown["Amount needed (EUR)"] == "€200,000"
    assert shown["What kind of funding do you want?"] == "Loan"
    assert shown["Province"] == "Utrecht"


def test_instrument_alert_saves_the_instrument_for_reminders(client: Any, site: Site) -> None:
    page = client.get(f"/instruments/{CHANGED_ID}?lang=en").text
    link = re.search(r'id="alert-me" href="([^"]+)"', page)
    assert link and "kind=instrument" in link.group(1)
    done = post_form(
        client,
        "/alerts/subscribe",
        {"email": "reminder@example.org", "kind": "instrument", "instrument_id": CHANGED_ID},
    )
    assert done.status_code == 200, done.text
    with site.services.catalog.session() as session:
        sub = session.query(Subscription).filter_by(email="reminder@example.org").one()
        saved = session.query(SavedInstrument).filter_by(subscription_id=sub.id).one()
        assert (sub.kind, saved.instrument_id) == ("instrument", CHANGED_ID)
    unknown = post_form(
        client,
        "/alerts/subscribe",
        {"email": "x@example.org", "kind": "instrument", "instrument_id": "no-such"},
    )
    assert unknown.status_code == 400 and "not listed" in unknown.text
