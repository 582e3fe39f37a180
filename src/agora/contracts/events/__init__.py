"""Event payloads, one module per producing service. Importing this package registers every type."""

from agora.contracts.events import users

__all__ = ["users"]
