"""Version writers take a shared advisory lock before a version id is handed out (PostgreSQL),
so alert detection can wait for in-flight writers and never skip a version committed out of
id order (see catalog.version_feed). SQLite has one writer at a time: nothing to do.

Revision ID: 0206_alertscale
Revises: 0205_crawlfast
"""

from alembic import op

revision = "0206_alertscale"
down_revision = "0205_crawlfast"
branch_labels = None
depends_on = None

# catalog.version_feed.VERSION_WRITE_LOCK, as a literal so this revision never changes.
LOCK_KEY = 7_366_501_216


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"""
        CREATE FUNCTION wijzer_version_write_lock() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock_shared({LOCK_KEY});
            RETURN NULL;
        END $$
        """
    )
    # A statement trigger fires before the statement computes any row, so before nextval().
    op.execute(
        "CREATE TRIGGER instrument_versions_commit_order BEFORE INSERT ON instrument_versions "
        "FOR EACH STATEMENT EXECUTE FUNCTION wijzer_version_write_lock()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS instrument_versions_commit_order ON instrument_versions")
    op.execute("DROP FUNCTION IF EXISTS wijzer_version_write_lock()")
