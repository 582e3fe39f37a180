"""HTTP and WebSocket endpoints of the discussions service, one module per seed's area."""

from __future__ import annotations

from fastapi import APIRouter

from agora.services.discussions.router import chat, chatrooms, rooms, threads

ROUTERS: list[APIRouter] = [threads.router, rooms.router, chatrooms.router, chat.router]
