"""Alembic environment of the discussions service."""

from agora.platform.migrations import run_env
from agora.services.discussions.models import Base

run_env(Base.metadata)
