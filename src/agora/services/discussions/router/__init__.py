"""HTTP and WebSocket endpoints of the discussions service, one module per seed's area."""

from __future__ import annotations

from fastapi import APIRouter

from agora.platform.http import LeanRead
from agora.services.discussions.router import chat, chatrooms, rooms, threads

ROUTERS: list[APIRouter] = [threads.router, rooms.router, chatrooms.router, chat.router]
# The reads answered below FastAPI for plain requests (decisions 0037 and 0041).
LEAN_READS: list[LeanRead] = [*threads.LEAN_READS, *rooms.LEAN_READS]
