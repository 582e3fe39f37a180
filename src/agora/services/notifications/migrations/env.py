"""Alembic environment of the notifications service."""

from agora.platform.migrations import run_env
from agora.services.notifications.models import Base

run_env(Base.metadata)
