"""reviews ids never reused: reviews.id AUTOINCREMENT on SQLite (deletable, and named in URLs)

Revision ID: b5e1c9d3a7f2
Revises: 340514db25d3
Create Date: 2026-12-02 02:30:00
"""

from collections.abc import Sequence

from agora.platform.migrations import never_reuse_ids

revision: str = "b5e1c9d3a7f2"
down_revision: str | None = "340514db25d3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    never_reuse_ids("reviews")


def downgrade() -> None:
    # Ids handed out stay handed out: nothing to undo.
    pass
