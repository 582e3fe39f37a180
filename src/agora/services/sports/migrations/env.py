"""Alembic environment of the sports service."""

from agora.platform.migrations import run_env
from agora.services.sports.models import Base

run_env(Base.metadata)
