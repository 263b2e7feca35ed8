"""Open the catalog database (SQLite file or PostgreSQL) once its schema is at the code's head."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

from wijzer.catalog.schema_revision import (
    UPGRADE_HINT,
    CatalogNotReady,
    SchemaState,
    require_current,
    upgrade,
)


def make_engine(url: str) -> Engine:
    """An engine; SQLite gets WAL and foreign keys so readers never block the writer."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_pre_ping=True)


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL (None for other engines and in-memory databases)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def upgrade_database(url: str) -> tuple[SchemaState, SchemaState]:
    """What `wijzer db upgrade` does: create or migrate the schema; the states before and after.

    A SQLite file (and its directory) is created when missing.
    """
    path = sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    try:
        return upgrade(engine)
    finally:
        engine.dispose()


class Catalog:
    """A handle on one catalog database: engine plus a session factory.

    Opening does not migrate: `wijzer db upgrade` does, once, before anything opens the
    catalog. A database whose schema is missing or at another revision raises CatalogNotReady.
    """

    def __init__(self, url: str):
        self.url = url
        path = sqlite_file(url)
        if path is not None and not path.exists():
            # Checked first so that a mistyped data dir is not left with an empty database.
            raise CatalogNotReady(f"there is no catalog database at {path}; {UPGRADE_HINT}")
        self.engine = make_engine(url)
        try:
            require_current(self.engine)
        except BaseException:
            self.engine.dispose()
            raise
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        session = self._sessions()
        try:
            with session.begin():
                yield session
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
