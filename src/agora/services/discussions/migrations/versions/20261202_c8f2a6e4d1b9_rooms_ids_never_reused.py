"""rooms ids never reused: rooms.id AUTOINCREMENT on SQLite (deletable, and named in URLs)

Revision ID: c8f2a6e4d1b9
Revises: 8829d65d860f
Create Date: 2026-12-02 02:30:00
"""

from collections.abc import Sequence

from agora.platform.migrations import never_reuse_ids

revision: str = "c8f2a6e4d1b9"
down_revision: str | None = "8829d65d860f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    never_reuse_ids("rooms")


def downgrade() -> None:
    # Ids handed out stay handed out: nothing to undo.
    pass
