"""Alembic environment: the engine comes from the caller (config.attributes) or from the settings."""

from alembic import context

from data_access.db import make_engine
from data_access.models import Base
from data_access.partitions import is_partition

config = context.config
target_metadata = Base.metadata


def include_name(name, type_, parent_names) -> bool:
    """Schema comparison (autogenerate, `alembic check`) leaves out meter_reading's monthly partitions on PostgreSQL:
    they are made by data_access.partitions, not by the models."""
    return not (type_ == "table" and name and is_partition(name))


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or make_engine()
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",  # SQLite needs table rebuilds for ALTER
            compare_type=True,
            include_name=include_name,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run against a database")
run_migrations_online()
