"""Make staff changes visible in search at once: single-document reindex after each action."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from wijzer.search.backend import BackendUnavailable, IndexMissing
from wijzer.web import services

log = logging.getLogger(__name__)


def refresh_search(ids: Sequence[str]) -> str | None:
    """Reindex the given instruments; returns a warning for the page when search is not updated."""
    from wijzer.app.indexing import reindex

    svc = services()
    try:
        info = svc.backend.info()
    except IndexMissing:
        return "no search index is built yet; run `wijzer index rebuild`"
    except BackendUnavailable as exc:
        log.warning("search not updated: %s", exc)
        return f"search could not be updated: {exc}"
    encoder = None
    if info.encoder:
        # An index built with vectors must get vectors for updated documents too.
        encoder = svc.optional_encoder(log.warning)
    try:
        reindex(svc.catalog, svc.backend, list(ids), encoder)
    except BackendUnavailable as exc:
        log.warning("search not updated: %s", exc)
        return f"search could not be updated: {exc}"
    return None
