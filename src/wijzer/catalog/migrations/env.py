"""Alembic environment: runs migrations on the engine handed over by `wijzer db upgrade`."""

from alembic import context

from wijzer.catalog.models import Base

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
