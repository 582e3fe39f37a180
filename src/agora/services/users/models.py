"""Tables of the users service."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from agora.platform.bus.inbox import inbox_table
from agora.platform.bus.outbox import outbox_table
from agora.platform.db import UTCDateTime, new_metadata
from agora.platform.sagas.holding import held_rows_table, saga_ledger_table

BigId = BigInteger().with_variant(Integer, "sqlite")


class Base(DeclarativeBase):
    metadata = new_metadata()


outbox = outbox_table(Base.metadata)
inbox = inbox_table(Base.metadata)
# The account sagas' rows held out of sight, and the saga actions applied (decision 0018).
held_rows = held_rows_table(Base.metadata)
saga_ledger = saga_ledger_table(Base.metadata)


class User(Base):
    """An account."""

    __tablename__ = "users"
    # A token names its user by id: an id must never be handed out twice (on PostgreSQL the
    # sequence sees to it).
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(32), unique=True)
    # Lower-cased; optional because the Twitter-like seed registers with a username only.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="member")
    bio: Mapped[str] = mapped_column(String(500), default="")
    profile_picture: Mapped[str] = mapped_column(String(2048), default="")
    notifications_enabled: Mapped[bool] = mapped_column(default=True)
    notification_types: Mapped[list[str]] = mapped_column(JSON)
    # Raised when every session of the user must end (platform.auth.sessions); access tokens
    # carry it as `ver`.
    token_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set while a deletion saga holds the account: login is refused (with a restore flow).
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class Follow(Base):
    """`follower_id` follows `followee_id`. The surrogate id orders pages (newest first)."""

    __tablename__ = "follows"
    __table_args__ = (
        UniqueConstraint("follower_id", "followee_id"),
        Index("ix_follows_followee_id_id", "followee_id", "id"),
        Index("ix_follows_follower_id_id", "follower_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    follower_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    followee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LoginAddress(Base):
    """An address a user logged in from, and when last: the login throttle's per-account limit
    does not apply to the owner's recent addresses (decision 0014)."""

    __tablename__ = "login_addresses"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_login_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RefreshToken(Base):
    """One issued refresh token, stored as a hash. A family is the chain of rotations of one
    login."""

    __tablename__ = "refresh_tokens"

    jti: Mapped[str] = mapped_column(String(32), primary_key=True)
    family_id: Mapped[str] = mapped_column(String(32), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Bootstrap(Base):
    """One-time facts decided by a unique key, e.g. which user became the first admin."""

    __tablename__ = "bootstrap"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AccountSaga(Base):
    """A deletion or export saga of one user, as its owner and admins see it. The engine keeps
    its own checkpoints; this row is the readable state, written by the saga's steps."""

    __tablename__ = "account_sagas"
    __table_args__ = (Index("ix_account_sagas_user_kind", "user_id", "kind"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # deletion | export
    # No foreign key: the record outlives the account it erased.
    user_id: Mapped[int] = mapped_column(BigId)
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(500), default=None)
    grace_days: Mapped[int] = mapped_column(Integer, default=0)
    erase_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # Export: the archive's file name in the exports folder, and when its link expires.
    archive: Mapped[str | None] = mapped_column(String(200), default=None)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AccountSagaStep(Base):
    """One step of a saga: `hide:voting`, `erase:reviews`, `deactivate`..."""

    __tablename__ = "account_saga_steps"

    saga_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("account_sagas.id", ondelete="CASCADE"), primary_key=True
    )
    step: Mapped[str] = mapped_column(String(40), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16))  # running | done | failed
    rows: Mapped[int] = mapped_column(Integer, default=0)
    detail: Mapped[str | None] = mapped_column(String(500), default=None)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class UsernameQuarantine(Base):
    """The username of an erased account, kept from new registrations until `until`; stored as
    its SHA-256, so the name itself is not kept."""

    __tablename__ = "username_quarantine"

    username_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    until: Mapped[datetime] = mapped_column(UTCDateTime)
