"""The catalog schema's revision: what a database is at, what the code expects, upgrading."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

# Alembic reads the migrations as package data ("package:directory"), so an installed
# wheel finds them wherever site-packages is.
MIGRATIONS = "wijzer.catalog:migrations"
UPGRADE_HINT = "run `wijzer db upgrade`"


class CatalogNotReady(RuntimeError):
    """The catalog cannot be used: its database is unreachable, has no schema or another one."""


@dataclass(frozen=True)
class SchemaState:
    """Where a database stands relative to the migrations shipped with this code."""

    current: tuple[str, ...]
    head: tuple[str, ...]
    unknown: tuple[str, ...]

    @property
    def up_to_date(self) -> bool:
        return set(self.current) == set(self.head)

    def as_dict(self) -> dict[str, object]:
        return {
            "current": list(self.current),
            "head": list(self.head),
            "up_to_date": self.up_to_date,
        }


def alembic_config(engine: Engine | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", MIGRATIONS)
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


@functools.lru_cache(maxsize=1)
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def code_head() -> tuple[str, ...]:
    """The revision the code expects (one head: the migration branches are merged)."""
    return tuple(sorted(_scripts().get_heads()))


def _known(scripts: ScriptDirectory, revision: str) -> bool:
    try:
        return scripts.get_revision(revision) is not None
    except CommandError:  # a revision id that no migration shipped here defines
        return False


def schema_state(engine: Engine) -> SchemaState:
    """The database's revision(s) next to the code's head."""
    try:
        connection = engine.connect()
    except OperationalError as exc:
        reason = str(exc.orig or exc).strip().splitlines()[0]
        raise CatalogNotReady(
            f"cannot reach the catalog database {_where(engine)}: {reason}"
        ) from exc
    with connection:
        current = tuple(sorted(MigrationContext.configure(connection).get_current_heads()))
    scripts = _scripts()
    unknown = tuple(rev for rev in current if not _known(scripts, rev))
    return SchemaState(current=current, head=code_head(), unknown=unknown)


def require_current(engine: Engine) -> None:
    """Raise CatalogNotReady unless the database is at the code's head revision."""
    state = schema_state(engine)
    if state.up_to_date:
        return
    where = _where(engine)
    if not state.current:
        raise CatalogNotReady(f"the catalog database {where} has no schema yet; {UPGRADE_HINT}")
    if state.unknown:
        raise CatalogNotReady(_unknown_message(where, state))
    raise CatalogNotReady(
        f"the catalog database {where} is at revision {', '.join(state.current)}, older than"
        f" this version of Wijzer expects ({', '.join(state.head)}); {UPGRADE_HINT}"
    )


def _where(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _unknown_message(where: str, state: SchemaState) -> str:
    return (
        f"the catalog database {where} is at revision {', '.join(state.unknown)}, which this"
        " version of Wijzer does not know (a newer version upgraded it); run that version"
    )


def upgrade(engine: Engine) -> tuple[SchemaState, SchemaState]:
    """Migrate the database to the code's head; the states before and after."""
    before = schema_state(engine)
    if before.unknown:
        raise CatalogNotReady(_unknown_message(_where(engine), before))
    command.upgrade(alembic_config(engine), "heads")
    return before, schema_state(engine)
