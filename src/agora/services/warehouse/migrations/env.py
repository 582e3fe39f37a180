"""Alembic environment of the warehouse service."""

from agora.platform.migrations import run_env
from agora.services.warehouse.models import Base

run_env(Base.metadata)
