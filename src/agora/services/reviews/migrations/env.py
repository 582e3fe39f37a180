"""Alembic environment of the reviews service."""

from agora.platform.migrations import run_env
from agora.services.reviews.models import Base

run_env(Base.metadata)
