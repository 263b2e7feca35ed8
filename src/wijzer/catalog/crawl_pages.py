"""What the crawler last saw of each page: HTTP validators and dates for incremental crawls.

An incremental crawl asks the source only for what changed: it sends the stored ETag and
Last-Modified back (a 304 costs no parsing), skips sitemap entries whose `lastmod` is not
newer than the last fetch, and passes an API its modified-since date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import DateTime, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from wijzer.catalog.models import Base, utcnow


def url_key(url: str) -> str:
    """A short fixed-length key for a URL (URLs can be longer than an index allows)."""
    return hashlib.sha1(url.encode("utf-8")).hexdigest()


class CrawlPage(Base):
    """One URL of one source: its validators, when it was fetched and the record it gave."""

    __tablename__ = "crawl_pages"
    __table_args__ = (UniqueConstraint("source", "url_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(100), index=True)
    url_key: Mapped[str] = mapped_column(String(40))
    url: Mapped[str] = mapped_column(String(2000))
    etag: Mapped[str | None] = mapped_column(String(300), nullable=True)
    last_modified: Mapped[str | None] = mapped_column(String(100), nullable=True)
    #: A version marker the source states itself: a sitemap lastmod, an API's modified date
    #: or checksum. Compared as text with what the source says next time.
    version: Mapped[str | None] = mapped_column(String(100), nullable=True)
    item_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    fetched_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


@dataclass(frozen=True)
class PageState:
    """A stored page as the crawl process sees it (plain data, JSON-ready)."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    version: str | None = None
    item_id: str | None = None
    fetched_at: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "etag": self.etag,
            "last_modified": self.last_modified,
            "version": self.version,
            "item_id": self.item_id,
            "fetched_at": self.fetched_at,
        }


def page_states(session: Session, source: str) -> dict[str, PageState]:
    """Every page the source's crawls have recorded, by URL."""
    stmt = select(CrawlPage).where(CrawlPage.source == source)
    return {
        page.url: PageState(
            page.url,
            page.etag,
            page.last_modified,
            page.version,
            page.item_id,
            page.fetched_at.isoformat() if page.fetched_at else None,
        )
        for page in session.scalars(stmt)
    }


def record_pages(
    session: Session, source: str, pages: Iterable[PageState], now: dt.datetime | None = None
) -> int:
    """Insert or update the pages a crawl fetched (200 or 304); returns how many."""
    now = now or utcnow()
    stored = {
        p.url_key: p for p in session.scalars(select(CrawlPage).where(CrawlPage.source == source))
    }
    count = 0
    for state in pages:
        key = url_key(state.url)
        page = stored.get(key)
        if page is None:
            page = CrawlPage(source=source, url_key=key, url=state.url[:2000])
            session.add(page)
            stored[key] = page
        page.etag = state.etag or page.etag
        page.last_modified = state.last_modified or page.last_modified
        page.version = state.version or page.version
        page.item_id = state.item_id or page.item_id
        page.fetched_at = dt.datetime.fromisoformat(state.fetched_at) if state.fetched_at else now
        count += 1
    return count
