"""Alembic environment of the voting service."""

from agora.platform.migrations import run_env
from agora.services.voting.models import Base

run_env(Base.metadata)
