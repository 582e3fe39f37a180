"""Fresh databases per test, on SQLite or the real PostgreSQL, migrated once per run and cloned.

SQLite: a migrated template file is copied. PostgreSQL: a migrated template database is cloned with
`CREATE DATABASE ... TEMPLATE`, and dropped after the test. Every name carries a run id, so parallel
runs on one server never collide.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from agora.platform import migrations
from agora.platform.db import Database, drop_database, ensure_database

POSTGRES_SERVER = os.environ.get(
    "AGORA_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)

BACKENDS = ("sqlite", "postgres")


class DatabaseFactory:
    """Makes migrated databases for tests; one per test run (session-scoped)."""

    def __init__(self, workdir: Path) -> None:
        self.run_id = uuid.uuid4().hex[:8]
        self.workdir = workdir
        self._sqlite_templates: dict[str, Path] = {}
        self._pg_templates: dict[str, str] = {}
        self._created: list[str] = []

    def _pg_url(self, name: str) -> str:
        return make_url(POSTGRES_SERVER).set(database=name).render_as_string(hide_password=False)

    async def _migrate(self, url: str, service: str, script_location: Path) -> None:
        database = Database(url, service=service)
        try:
            await migrations.upgrade(database, script_location)
        finally:
            await database.dispose()

    async def create(self, backend: str, service: str, script_location: Path) -> str:
        """A new, migrated, empty database for `service`; returns its URL."""
        key = f"{service}:{script_location}"
        if backend == "sqlite":
            template = self._sqlite_templates.get(key)
            if template is None:
                template = self.workdir / f"template-{service}-{uuid.uuid4().hex[:6]}.db"
                await self._migrate(f"sqlite+aiosqlite:///{template}", service, script_location)
                self._sqlite_templates[key] = template
            target = self.workdir / f"{service}-{uuid.uuid4().hex[:8]}.db"
            shutil.copyfile(template, target)
            return f"sqlite+aiosqlite:///{target}"
        if backend != "postgres":
            raise ValueError(f"unknown backend {backend}")
        template_name = self._pg_templates.get(key)
        if template_name is None:
            template_name = f"agora_t_{self.run_id}_{service}_tpl"
            url = self._pg_url(template_name)
            await drop_database(url)
            await ensure_database(url)
            self._created.append(url)
            await self._migrate(url, service, script_location)
            self._pg_templates[key] = template_name
        name = f"agora_t_{self.run_id}_{service}_{uuid.uuid4().hex[:8]}"
        admin = create_async_engine(
            self._pg_url("postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool
        )
        try:
            async with admin.connect() as conn:
                await conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"'))
        finally:
            await admin.dispose()
        return self._pg_url(name)

    async def drop(self, url: str) -> None:
        await drop_database(url)

    async def drop_templates(self) -> None:
        for url in self._created:
            await drop_database(url)
        self._created.clear()
