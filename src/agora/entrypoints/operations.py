"""Operator tasks that touch services' databases directly: migrations, granting the admin role,
and a warehouse refresh."""

from __future__ import annotations

from collections.abc import Iterable

from agora.entrypoints.registry import available_specs
from agora.platform import migrations
from agora.platform.bus.outbox import bind_outbox
from agora.platform.clock import SystemClock
from agora.platform.config import Settings
from agora.platform.db import Database, ensure_database
from agora.platform.errors import NotFound, ServiceUnavailable


async def migrate_services(settings: Settings, names: Iterable[str]) -> list[str]:
    """Create (PostgreSQL) and migrate each named service's database; returns the names done."""
    done = []
    for spec in available_specs(names):
        url = settings.database_url_for(spec.name)
        await ensure_database(url)
        database = Database(url, service=spec.name)
        try:
            await migrations.upgrade(database, spec.migrations)
        finally:
            await database.dispose()
        done.append(spec.name)
    return done


async def grant_admin(settings: Settings, username: str) -> int:
    """Make `username` an admin, with an event like any other role change; returns the user id.

    The event is written to the users outbox; the platform's relay publishes it when it runs.
    """
    from agora.services.users.app import SPEC
    from agora.services.users.service import do_grant_admin_by_username

    if not available_specs(["users"]):
        raise NotFound("The users service is not part of this build")
    clock = SystemClock()
    database = Database(settings.database_url_for("users"), service="users")
    try:
        await ensure_database(database.url)
        await migrations.upgrade(database, SPEC.migrations)
        bind_outbox(database, SPEC.metadata.tables["outbox"], clock)
        async with database.session() as session:
            user = await do_grant_admin_by_username(session, clock, username)
            return user.id
    finally:
        await database.dispose()


async def refresh_warehouse(settings: Settings) -> str:
    """One ETL run into the warehouse file, from the databases of the services the settings
    name; its stats as JSON."""
    import json

    from agora.services.warehouse.app import SPEC, open_warehouse
    from agora.services.warehouse.router import run_read

    if not available_specs(["warehouse"]):
        raise NotFound("The warehouse service is not part of this build")
    sources = {
        name: Database(settings.database_url_for(name), service=name)
        for name in SPEC.reads
        if name in settings.services
    }
    warehouse = open_warehouse(settings, sources, SystemClock())
    try:
        stats = await warehouse.do_refresh()
    except ServiceUnavailable as exc:
        raise ServiceUnavailable(
            f"{exc.message}; while the platform runs, ask it: POST /api/analytics/refresh"
        ) from exc
    finally:
        await warehouse.store.close()
        for database in sources.values():
            await database.dispose()
    return json.dumps(run_read(stats).model_dump(mode="json"), indent=2)
