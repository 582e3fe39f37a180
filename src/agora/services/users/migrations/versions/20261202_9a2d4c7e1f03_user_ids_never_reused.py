"""user ids never reused: users.id AUTOINCREMENT on SQLite (a token names its user by id)

Revision ID: 9a2d4c7e1f03
Revises: 3f6b0d1e8a57
Create Date: 2026-12-02 02:30:00
"""

from collections.abc import Sequence

from agora.platform.migrations import never_reuse_ids

revision: str = "9a2d4c7e1f03"
down_revision: str | None = "3f6b0d1e8a57"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    never_reuse_ids("users")


def downgrade() -> None:
    # Ids handed out stay handed out: nothing to undo.
    pass
