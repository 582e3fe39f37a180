"""Alembic migrations, one history per service, applied at start and by `agora migrate`.

Each service keeps `migrations/` (env.py, script.py.mako, versions/). Its env.py is two lines that
call `run_env(metadata)`, so every service migrates the same way. Upgrades share the caller's async
connection (Alembic's documented asyncio recipe); on PostgreSQL an advisory lock serialises replicas
that start together.
"""

from __future__ import annotations

import asyncio
import hashlib
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection

from agora.platform.db import Database


def alembic_config(script_location: Path, url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.set_main_option("file_template", "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s")
    return cfg


def _lock_key(service: str) -> int:
    digest = hashlib.sha256(f"agora-migrate:{service}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _upgrade(connection: Connection, cfg: Config, revision: str) -> None:
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, revision)


async def upgrade(database: Database, script_location: Path, revision: str = "head") -> None:
    """Bring one service's database to `revision` (default: the newest)."""
    cfg = alembic_config(script_location, database.url)
    async with database.engine.begin() as conn:
        if database.dialect_name == "postgresql":
            await conn.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_key(database.service)}
            )
        await conn.run_sync(_upgrade, cfg, revision)


def _current(connection: Connection) -> set[str]:
    return set(MigrationContext.configure(connection).get_current_heads())


async def pending(database: Database, script_location: Path) -> bool:
    """True when the database is behind the newest migration."""
    heads = set(ScriptDirectory(str(script_location)).get_heads())
    async with database.engine.connect() as conn:
        current = await conn.run_sync(_current)
    return current != heads


def _revision(connection: Connection, cfg: Config, message: str) -> None:
    cfg.attributes["connection"] = connection
    command.revision(cfg, message=message, autogenerate=True)


async def make_revision(script_location: Path, service: str, message: str) -> None:
    """Autogenerate a new migration by diffing the models against a scratch SQLite at head."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'scratch.db'}"
        database = Database(url, service=service)
        try:
            await upgrade(database, script_location)
            cfg = alembic_config(script_location, url)
            async with database.engine.begin() as conn:
                await conn.run_sync(_revision, cfg, message)
        finally:
            await database.dispose()


def _configure_and_run(connection: Connection, metadata: MetaData) -> None:
    from alembic import context

    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_with_own_engine(url: str, metadata: MetaData) -> None:
    database = Database(url, service="alembic-cli")
    try:
        async with database.engine.begin() as conn:
            await conn.run_sync(_configure_and_run, metadata)
    finally:
        await database.dispose()


def run_env(metadata: MetaData) -> None:
    """The body of every service's `migrations/env.py`."""
    from alembic import context

    config = context.config
    if context.is_offline_mode():
        context.configure(
            url=config.get_main_option("sqlalchemy.url"),
            target_metadata=metadata,
            literal_binds=True,
            render_as_batch=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection, metadata)
        return
    url = config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("no connection and no sqlalchemy.url for this migration run")
    asyncio.run(_run_with_own_engine(url, metadata))


def never_reuse_ids(table: str) -> None:
    """In a migration: make `table`'s integer primary key AUTOINCREMENT on SQLite, so an id freed
    by a delete is never handed out again (without it SQLite gives the next row the largest id
    plus one, which after deleting the newest row is the deleted row's id). PostgreSQL's sequences
    never hand an id out twice, so there it does nothing.

    SQLite can only add AUTOINCREMENT by rebuilding the table, and dropping the old table with
    foreign keys on would cascade the delete to every row that refers to it. Foreign keys can only
    be switched off outside a transaction, so this commits what the migration run did so far,
    rebuilds with foreign keys off, checks them, and begins the run's transaction again.
    """
    from alembic import op

    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    bind.exec_driver_sql("COMMIT")
    bind.exec_driver_sql("PRAGMA foreign_keys=OFF")
    bind.exec_driver_sql("BEGIN IMMEDIATE")
    try:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass
        broken = bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"rebuilding {table} broke foreign keys: {broken[:5]}")
        bind.exec_driver_sql("COMMIT")
    except BaseException:
        bind.exec_driver_sql("ROLLBACK")
        raise
    finally:
        bind.exec_driver_sql("PRAGMA foreign_keys=ON")
        bind.exec_driver_sql("BEGIN IMMEDIATE")
