"""Alembic environment of the competitions service."""

from agora.platform.migrations import run_env
from agora.services.competitions.models import Base

run_env(Base.metadata)
