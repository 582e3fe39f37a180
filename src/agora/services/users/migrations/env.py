"""Alembic environment of the users service."""

from agora.platform.migrations import run_env
from agora.services.users.models import Base

run_env(Base.metadata)
