"""A PostgreSQL that refuses new connections (shutting down, starting up, in recovery: what a
switchover or failover shows for a moment) is a 503 the client may retry, on every way the
platform checks a connection out: a session, a plain read, a plain write. Here the server is a
stand-in that answers each connection's startup as PostgreSQL does while it shuts down."""

from __future__ import annotations

import asyncio
import struct
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from agora.platform.db import Database, is_database_unavailable
from agora.platform.errors import install_error_handlers

# The SSL and GSSAPI encryption requests a client may send before its startup message.
_ENCRYPTION_REQUESTS = {80877103, 80877104}
_SHUTTING_DOWN = b"".join(
    [b"SFATAL\0", b"VFATAL\0", b"C57P03\0", b"Mthe database system is shutting down\0", b"\0"]
)


async def _refuse(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            (length,) = struct.unpack("!i", await reader.readexactly(4))
            body = await reader.readexactly(length - 4)
            if struct.unpack("!i", body[:4])[0] in _ENCRYPTION_REQUESTS:
                writer.write(b"N")
                continue
            writer.write(b"E" + struct.pack("!i", len(_SHUTTING_DOWN) + 4) + _SHUTTING_DOWN)
            await writer.drain()
            return
    except asyncio.IncompleteReadError:
        return
    finally:
        writer.close()


@pytest.fixture
async def refusing() -> AsyncIterator[Database]:
    server = await asyncio.start_server(_refuse, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    database = Database(f"postgresql+asyncpg://postgres@127.0.0.1:{port}/agora", service="users")
    yield database
    await database.dispose()
    server.close()
    await server.wait_closed()


async def _session(database: Database) -> None:
    async with database.session() as session:
        await session.execute(text("SELECT 1"))


async def _reads(database: Database) -> None:
    async with database.reads() as reads:
        await reads.scalar(text("SELECT 1"))


async def _writes(database: Database) -> None:
    async with database.writes() as writes:
        await writes.execute(text("SELECT 1"))


WAYS: dict[str, Callable[[Database], Awaitable[None]]] = {
    "session": _session,
    "reads": _reads,
    "writes": _writes,
}


@pytest.mark.parametrize("way", sorted(WAYS))
async def test_a_refused_connection_is_sqlalchemys_error_meaning_unavailable(
    refusing: Database, way: str
) -> None:
    with pytest.raises(DBAPIError) as raised:
        await WAYS[way](refusing)
    assert is_database_unavailable(raised.value)
    assert "shutting down" in str(raised.value)


@pytest.mark.parametrize("way", sorted(WAYS))
async def test_a_refused_connection_is_a_503_to_the_client(refusing: Database, way: str) -> None:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/write")
    async def write() -> dict[str, str]:
        await WAYS[way](refusing)
        return {"status": "ok"}

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        answer = await client.post("/write")
    assert answer.status_code == 503
    assert answer.json()["error"]["code"] == "database_unavailable"
    assert answer.headers["retry-after"] == "2"
