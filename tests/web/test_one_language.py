"""One language per page: every public page and every email, rendered in Dutch and in English,
holds no interface text of the other language, and every message the public pages and emails
use has a Dutch translation."""

from __future__ import annotations

import io
import re
from importlib import resources
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.alerts.conftest import post_form
from tests.web.conftest import CHANGED_ID, Site
from tests.web.test_alert_manage import manage_path
from wijzer.alerts.emails import compose
from wijzer.alerts.mail_settings import MailSettings
from wijzer.matcher import reasons

PACKAGE = Path(resources.files("wijzer"))  # type: ignore[arg-type]
SOIL = "eu-sedia-horizon-miss-2027-05-soil-01-two-stage"
WATER = "Wij ontwikkelen een sensor voor waterkwaliteit en willen de haalbaarheid onderzoeken."
# The public site's templates and modules, and the emails (the staff area has its own test).
SOURCES = {
    "web/templates": ["*.html", "public/*.html", "alerts/*.html"],
    "alerts/templates": ["*.html", "*.txt"],
    "web": ["*.py"],
    "alerts": ["emails.py"],
}
# Short messages that are the same words in both languages are no evidence of mixing.
MIN_WORDS = 3


def _messages_in_use() -> set[str]:
    found: set[str] = set()
    for folder, patterns in SOURCES.items():
        methods = [
            (p, "jinja2.ext:babel_extract" if "templates" in folder else "python") for p in patterns
        ]
        options = {p: {"extensions": "jinja2.ext.do", "trimmed": "false"} for p in patterns}
        for _file, _line, message, _comments, _context in extract_from_dir(
            PACKAGE / folder, methods, options_map=options
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def _dutch() -> dict[str, str]:
    """Every msgid -> its Dutch text over all catalogs (plural forms: the singular pair)."""
    out: dict[str, str] = {}
    folder = PACKAGE / "translations" / "nl" / "LC_MESSAGES"
    for po in sorted(folder.glob("*.po")):
        for entry in read_po(io.BytesIO(po.read_bytes()), locale="nl"):
            if not entry.id or entry.fuzzy:
                continue
            key = entry.id if isinstance(entry.id, str) else entry.id[0]
            text = entry.string if isinstance(entry.string, str) else entry.string[0]
            if text:
                out[key] = text
    return out


DUTCH = _dutch()


def _fixed_parts(message: str) -> list[str]:
    """The literal stretches of a message between its placeholders, long enough to tell."""
    parts = re.split(r"%\(\w+\)[sd]|%[sd]", message)
    return [p.strip(" .,:;“”()") for p in parts if len(p.split()) >= MIN_WORDS]


# What an English page must not show (Dutch interface text) and the other way round.
FOREIGN = {
    "nl": {p for en, nl in DUTCH.items() if en != nl for p in _fixed_parts(en)},
    "en": {p for en, nl in DUTCH.items() if en != nl for p in _fixed_parts(nl)},
}
FOREIGN["nl"] -= {p for en, nl in DUTCH.items() for p in _fixed_parts(nl)}
FOREIGN["en"] -= {p for en, nl in DUTCH.items() for p in _fixed_parts(en)}


def visible_text(page: str, lang: str) -> str:
    """The text a reader sees, without parts marked as another language (quoted sources)."""
    tree = lxml.html.fromstring(page)
    for node in tree.xpath("//script|//style|//*[@lang]"):
        if node.tag in ("script", "style") or (node.get("lang") != lang and node.tag != "html"):
            node.drop_tree()
    return " ".join(tree.text_content().split())


def mixed(text: str, lang: str) -> list[str]:
    return sorted(p for p in FOREIGN[lang] if p in text)


def test_every_message_in_use_has_a_dutch_translation() -> None:
    missing = sorted(m for m in _messages_in_use() if m not in DUTCH)
    assert missing == []


def _pages(client: Any, site: Site, lang: str) -> list[tuple[str, str]]:
    paths = [
        "/",
        "/search?q=innovatie",
        "/search?level=national&type=subsidy",
        "/search?level=moon",
        f"/match?description={WATER}&region=Utrecht&amount=200k",
        "/match?description=",
        f"/instruments/{SOIL}",
        f"/instruments/{CHANGED_ID}",
        "/instruments/test-ted-lighting",
        "/instruments/test-ted-sequencing",
        "/overview",
        "/overview?closed=1",
        "/alerts/subscribe?q=water&level=national",
        f"/alerts/subscribe?kind=profile&description={WATER}",
        f"/alerts/subscribe?kind=instrument&instrument_id={SOIL}",
        "/privacy",
        "/accessibility",
        "/contact",
        "/no-such-page",
    ]
    for kind, spec in (
        ("query", {"q": "water", "level": ["national"]}),
        ("profile", {"description": WATER, "region": "Utrecht", "wants": ["loan"]}),
        ("instrument", {"instrument_id": SOIL}),
    ):
        manage = manage_path(site, kind, spec, f"lang-{kind}-{lang}@example.org", lang)
        token = manage.split("/alerts/manage/", 1)[1].split("?")[0]
        paths += [manage, f"/alerts/unsubscribe/{token}", f"/alerts/not-relevant/{token}/{SOIL}"]
    pages = []
    for path in paths:
        joiner = "&" if "?" in path else "?"
        response = client.get(f"{path}{joiner}lang={lang}")
        assert response.status_code in (200, 400, 404), path
        pages.append((path, response.text))
    sent = post_form(client, f"/alerts/subscribe?lang={lang}", {"email": "", "q": "water"})
    pages.append(("subscribe with an error", sent.text))
    return pages


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_public_pages_speak_one_language(client: Any, site: Site, lang: str) -> None:
    wrong = {}
    for path, page in _pages(client, site, lang):
        assert f'<html lang="{lang}">' in page, path
        found = mixed(visible_text(page, lang), lang)
        if found:
            wrong[path] = found
    assert wrong == {}


PAYLOAD = {
    "items": [
        {
            "id": "nl-ut-water",
            "title": "Subsidie waterinnovatie Utrecht",
            "funder": "Provincie Utrecht",
            "deadline": "2027-04-08",
            "kinds": ["new", "deadline_moved"],
            "reasons": [
                reasons.region_fits(["Utrecht"]).as_json(),
                reasons.similar_description().as_json(),
            ],
        }
    ]
}


@pytest.mark.parametrize("kind", ["confirm", "digest", "reminder"])
@pytest.mark.parametrize("subscribed", ["query", "profile", "instrument"])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_emails_speak_one_language(lang: str, kind: str, subscribed: str) -> None:
    subscription = {
        "id": 7,
        "nonce": "n",
        "email": "a@example.org",
        "language": lang,
        "kind": subscribed,
        "frequency": "weekly",
        "spec": {"q": "", "level": ["national"]} if subscribed == "query" else {},
    }
    message = compose(
        MailSettings(secret="secret"),
        subscription=subscription,
        payload={**PAYLOAD, "kind": kind},
        message_id="<x@example.org>",
    )
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert message["Content-Language"] == lang
    assert f"lang={lang}" in text  # the links open the pages in this language
    for body in (visible_text(html, lang), text, str(message["Subject"])):
        assert mixed(body, lang) == []
