"""`wijzer db upgrade|current` and a catalog that refuses to open on a schema it does not expect."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from alembic import command
from click.testing import CliRunner
from sqlalchemy import JSON, MetaData, Table, func, select, text
from sqlalchemy.orm import Session

from tests.conftest import SEED
from wijzer.catalog.db import Catalog, make_engine, sqlite_file
from wijzer.catalog.exchange import read_jsonl
from wijzer.catalog.models import Instrument
from wijzer.catalog.schema_revision import CatalogNotReady, alembic_config, code_head
from wijzer.cli import main

# The heads every database migrated before the branches were merged is at.
OLD_HEADS = ("0101_crawl_runs", "0101_curation", "alerts_0001")
# The code's one head (each feature adds a revision on top of it).
(HEAD,) = code_head()


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """A database without any schema, and the environment that points the CLI at it."""
    if request.param == "sqlite":
        data_dir = tmp_path / "data"
        return {"url": f"sqlite:///{data_dir / 'catalog.sqlite'}", "WIJZER_DATA_DIR": str(data_dir)}
    url = request.getfixturevalue("postgres_url")
    return {"url": url, "WIJZER_DATA_DIR": str(tmp_path / "data"), "WIJZER_DATABASE_URL": url}


def cli(env: dict[str, str], *args: str):  # type: ignore[no-untyped-def]
    cli_env = {k: v for k, v in env.items() if k != "url"}
    return CliRunner().invoke(main, list(args), env=cli_env)


def at_old_heads(url: str, rows: int) -> None:
    """The database as the code before the merge left it, holding `rows` seed instruments."""
    path = sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True)
    engine = make_engine(url)
    for head in OLD_HEADS:
        command.upgrade(alembic_config(engine), head)
    # The rows as that code wrote them: only the columns its schema has.
    table = Table("instruments", MetaData(), autoload_with=engine)
    now = dt.datetime(2026, 1, 1)
    with Session(engine) as session, session.begin():
        for record in read_jsonl(SEED).records[:rows]:
            data, as_json = record.model_dump(), record.model_dump(mode="json")
            row = {
                # JSON columns get JSON values (deadlines are dates in the model).
                **{
                    k: as_json[k] if isinstance(table.columns[k].type, JSON) else v
                    for k, v in data.items()
                    if k in table.columns
                },
                "content_hash": record.id,
                "review_state": "published",
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
            session.execute(table.insert().values(**row))
    engine.dispose()


# The one head of the code's migrations (later revisions follow the merge of the branches).
(HEAD,) = code_head()


def test_the_migration_branches_are_merged_into_one_head() -> None:
    assert len(code_head()) == 1


def test_the_head_read_from_the_migration_files_is_alembics() -> None:
    # Opening a catalog reads revision ids from the migration files without alembic; the
    # upgrade goes through alembic. Both must name the same head and know the same revisions.
    from alembic.script import ScriptDirectory

    from wijzer.catalog.schema_revision import _migrations

    scripts = ScriptDirectory.from_config(alembic_config())
    assert code_head() == tuple(sorted(scripts.get_heads()))
    assert set(_migrations()) == {script.revision for script in scripts.walk_revisions()}


def test_opening_a_catalog_does_not_import_alembic(tmp_path: Path) -> None:
    # Every crawl process opens the catalog; alembic's import cost 0.3 s of CPU in each.
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'catalog.sqlite'}"
    engine = make_engine(url)
    command.upgrade(alembic_config(engine), "heads")
    engine.dispose()
    probe = (
        "import sys; from wijzer.catalog.db import Catalog;"
        f" Catalog({url!r}).dispose(); print('alembic' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_a_database_at_the_old_heads_upgrades_to_the_merged_head(
    empty_database: dict[str, str],
) -> None:
    url = empty_database["url"]
    at_old_heads(url, rows=5)

    with pytest.raises(CatalogNotReady, match="older than this version") as refused:
        Catalog(url)
    assert "run `wijzer db upgrade`" in str(refused.value)

    before = cli(empty_database, "db", "current", "--format", "json")
    assert before.exit_code == 0, before.output
    assert json.loads(before.stdout) == {
        "current": sorted(OLD_HEADS),
        "head": [HEAD],
        "up_to_date": False,
    }

    upgraded = cli(empty_database, "db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.output
    assert upgraded.stdout.strip() == (
        f"Upgraded the catalog from 0101_crawl_runs, 0101_curation, alerts_0001 to {HEAD}."
    )

    catalog = Catalog(url)
    with catalog.session() as session:
        assert session.scalar(select(func.count()).select_from(Instrument)) == 5
    catalog.dispose()
    again = cli(empty_database, "db", "upgrade")
    assert again.stdout.strip() == f"The catalog is already at {HEAD}."
    current = cli(empty_database, "db", "current")
    assert current.stdout.splitlines()[0] == f"current: {HEAD}"


def test_commands_on_a_database_without_schema_say_to_upgrade(
    empty_database: dict[str, str],
) -> None:
    exported = cli(empty_database, "export")
    assert exported.exit_code == 1
    assert exported.stdout == ""
    lines = exported.stderr.splitlines()
    assert len(lines) == 1, exported.stderr
    assert lines[0].startswith("Error: ")
    assert lines[0].endswith("run `wijzer db upgrade`")
    assert "Traceback" not in exported.output
    assert ":wijzer@" not in exported.stderr  # no password in the message

    listed = cli(empty_database, "users", "list")
    assert listed.exit_code == 1 and "wijzer db upgrade" in listed.stderr
    # Looking does not create anything: an SQLite data dir that is not there stays away.
    assert not Path(empty_database["WIJZER_DATA_DIR"], "catalog.sqlite").exists()

    assert cli(empty_database, "db", "upgrade").exit_code == 0
    assert cli(empty_database, "export").exit_code == 0
    assert cli(empty_database, "users", "list").exit_code == 0


def test_a_database_upgraded_by_a_newer_version_is_refused_not_touched(
    empty_database: dict[str, str],
) -> None:
    assert cli(empty_database, "db", "upgrade").exit_code == 0
    engine = make_engine(empty_database["url"])
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0300_from_the_future'"))

    with pytest.raises(CatalogNotReady, match="does not know"):
        Catalog(empty_database["url"])
    refused = cli(empty_database, "db", "upgrade")
    assert refused.exit_code == 1
    assert "0300_from_the_future" in refused.stderr and "Traceback" not in refused.output
    with engine.connect() as connection:
        version = connection.scalar(text("SELECT version_num FROM alembic_version"))
    engine.dispose()
    assert version == "0300_from_the_future"


def test_upgrade_against_an_unreachable_server_is_one_line(tmp_path: Path) -> None:
    env = {
        "url": "",
        "WIJZER_DATA_DIR": str(tmp_path),
        "WIJZER_DATABASE_URL": "postgresql://wijzer:secret@127.0.0.1:1/wijzer",
    }
    for args in (("db", "upgrade"), ("db", "current"), ("export",)):
        result = cli(env, *args)
        assert result.exit_code == 1, (args, result.output)
        assert result.stderr.startswith("Error: ") and len(result.stderr.splitlines()) == 1, (
            args,
            result.stderr,
        )
        assert "secret" not in result.stderr and "Traceback" not in result.output
