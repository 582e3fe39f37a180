"""The notifications service: turns other services' events into per-user notifications, stores
them, and delivers them live over a WebSocket."""
