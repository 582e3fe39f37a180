"""Fixtures shared by the platform's database tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from agora.platform.db import Database
from agora.services.users.app import SPEC
from tests.support.databases import DatabaseFactory


@pytest.fixture
async def database(db_backend: str, database_factory: DatabaseFactory) -> AsyncIterator[Database]:
    """The users service's database, migrated, on SQLite and on the real PostgreSQL in turn."""
    url = await database_factory.create(db_backend, "users", SPEC.migrations)
    db = Database(url, service="users")
    yield db
    await db.dispose()
    await database_factory.drop(url)
