"""Alembic environment of the timeline service."""

from agora.platform.migrations import run_env
from agora.services.timeline.models import Base

run_env(Base.metadata)
