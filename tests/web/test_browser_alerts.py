"""Real Chromium: an instrument page -> alert me -> confirmation mail -> manage -> unsubscribe,
in both languages at 1366 and 390 px; the mail's links open in the subscriber's language."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.alerts.conftest import SmtpServer
from tests.browser_pages import check, open_page
from tests.web.conftest import confirmation_link

pytestmark = pytest.mark.browser

# A Horizon Europe topic of the seed with a deadline ahead of the recordings' dates.
TOPIC = "eu-sedia-horizon-miss-2027-05-soil-01-two-stage"

WORDS = {
    "nl": {
        "alert": "Houd me op de hoogte",
        "subscribe": "Aanmelden",
        "inbox": "Kijk in uw inbox",
        "subject": "Bevestig uw Wijzer-attendering",
        "confirm": "Bevestig mijn attendering",
        "confirmed": "Attendering bevestigd",
        "manage": "Deze attenderingen wijzigen of pauzeren",
        "yours": "Uw attendering",
        "reminders": "Herinneringen vóór de sluitingsdata van:",
        "unsubscribe": "Afmelden",
        "unsubscribed": "Afgemeld",
    },
    "en": {
        "alert": "Alert me",
        "subscribe": "Subscribe",
        "inbox": "Check your inbox",
        "subject": "Confirm your Wijzer alert",
        "confirm": "Confirm my alert",
        "confirmed": "Alert confirmed",
        "manage": "Change or pause these alerts",
        "yours": "Your alert",
        "reminders": "Reminders before the deadlines of:",
        "unsubscribe": "Unsubscribe",
        "unsubscribed": "Unsubscribed",
    },
}
OTHER_LOCALE = {"nl": "en-GB", "en": "nl-NL"}


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_alert_me_on_an_instrument_page_to_unsubscribe(
    browser: Any, live_server: str, mail_sink: SmtpServer, lang: str, width: int
) -> None:
    words = WORDS[lang]
    height = 844 if width < 500 else 900
    shot = f"{lang}-{width}-instrument-alert"
    page = open_page(browser, width, height)
    try:
        page.goto(f"{live_server}/instruments/{TOPIC}?lang={lang}")
        title = page.get_by_role("heading", level=1).inner_text()
        page.get_by_role("link", name=words["alert"]).click()
        page.wait_for_url(re.compile(r"/alerts/subscribe\?"))
        assert title in page.locator("#main").inner_text()
        check(page, f"{shot}-01-subscribe")
        address = f"instrument-{lang}-{width}@example.org"
        page.get_by_label(re.compile("^E-?mail")).first.fill(address)
        page.get_by_role("button", name=words["subscribe"]).click()
        assert page.get_by_role("heading", level=1).inner_text() == words["inbox"]
    finally:
        page.context.close()

    subject, confirm = confirmation_link(mail_sink, address, live_server)
    assert subject == words["subject"]
    # The mail is opened elsewhere: a browser that prefers the other language, no session.
    page = open_page(browser, width, height, locale=OTHER_LOCALE[lang])
    try:
        page.goto(confirm)
        assert page.locator("html").get_attribute("lang") == lang
        page.get_by_role("button", name=words["confirm"]).click()
        assert page.get_by_role("heading", level=1).inner_text() == words["confirmed"]
        # The link points at the configured public address; follow its path here.
        manage = page.get_by_role("link", name=words["manage"]).get_attribute("href")
        path = re.search(r"/alerts/manage/[^\s\"]+", manage or "")
        assert path and path.group(0).endswith(f"?lang={lang}"), manage
        page.goto(live_server + path.group(0))
        assert page.get_by_role("heading", level=1).inner_text() == words["yours"]
        about = page.locator("#main").inner_text()
        assert words["reminders"] in about and title in about
        check(page, f"{shot}-02-manage")
        page.get_by_role("link", name=words["unsubscribe"]).click()
        page.get_by_role("button", name=words["unsubscribe"]).click()
        assert page.get_by_role("heading", level=1).inner_text() == words["unsubscribed"]
        check(page, f"{shot}-03-unsubscribed")
    finally:
        page.context.close()
