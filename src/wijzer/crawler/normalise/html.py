"""Sanitise crawled HTML before storage: safe tags only, or plain text."""

from __future__ import annotations

import html
import re

import nh3

SAFE_TAGS = {"p", "ul", "ol", "li", "strong", "em", "b", "i", "br", "h2", "h3", "h4", "a"}
SAFE_ATTRIBUTES = {"a": {"href"}}


def sanitise_html(markup: str) -> str:
    """Keep only harmless formatting tags; scripts, styles and event handlers go."""
    return nh3.clean(
        markup,
        tags=SAFE_TAGS,
        attributes=SAFE_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="nofollow noopener",
    ).strip()


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment, paragraphs on their own lines."""
    cleaned = nh3.clean(markup, tags={"p", "li", "br", "h2", "h3", "h4"}, attributes={})
    cleaned = re.sub(r"<(?:/p|/li|br\s*/?|/h[234])>", "\n", cleaned)
    cleaned = re.sub(r"<[^>]+>", " ", cleaned)
    text = html.unescape(cleaned)
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def summarise(text: str, limit: int = 400) -> str:
    """The first sentences of a text, up to about `limit` characters, cut at a sentence end."""
    flat = re.sub(r"\s+", " ", text).strip()
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    return cut[: end + 1] if end > limit // 3 else cut.rsplit(" ", 1)[0] + " …"
