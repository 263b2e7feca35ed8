"""The catalog schema's revision: what a database is at, what the code expects, upgrading."""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import OperationalError

if TYPE_CHECKING:
    from alembic.config import Config

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
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", MIGRATIONS)
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


# Opening a catalog (every CLI command, every crawl process) only compares revision ids: they
# are read from the migration files as text, and the database's from its alembic_version
# table, without importing alembic (0.3 s of CPU per process) or the migrations. Upgrading
# still goes through alembic; tests check that both agree on the head.
VERSION_TABLE = "alembic_version"


def _literals(source: str) -> dict[str, Any]:
    """The module-level names a migration file assigns a literal to (revision, down_revision)."""
    values: dict[str, Any] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name):
            try:
                values[target.id] = ast.literal_eval(value)
            except ValueError:
                continue
    return values


@functools.lru_cache(maxsize=1)
def _migrations() -> dict[str, tuple[str, ...]]:
    """Every migration shipped with the code: its revision id and the revisions it follows."""
    graph: dict[str, tuple[str, ...]] = {}
    versions = files("wijzer.catalog") / "migrations" / "versions"
    for entry in versions.iterdir():
        if not entry.name.endswith(".py"):
            continue
        values = _literals(entry.read_text(encoding="utf-8"))
        revision, down = values.get("revision"), values.get("down_revision")
        if not isinstance(revision, str):
            continue  # not a migration
        graph[revision] = (
            tuple(down) if isinstance(down, tuple | list) else ((down,) if down else ())
        )
    return graph


def code_head() -> tuple[str, ...]:
    """The revision the code expects (one head: the migration branches are merged)."""
    graph = _migrations()
    followed = {down for downs in graph.values() for down in downs}
    return tuple(sorted(revision for revision in graph if revision not in followed))


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
        current: tuple[str, ...] = ()
        if inspect(connection).has_table(VERSION_TABLE):
            rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))
            current = tuple(sorted(row[0] for row in rows))
    unknown = tuple(rev for rev in current if rev not in _migrations())
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
    from alembic import command

    command.upgrade(alembic_config(engine), "heads")
    return before, schema_state(engine)
