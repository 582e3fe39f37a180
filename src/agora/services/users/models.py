"""Tables of the users service."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from agora.platform.bus.inbox import inbox_table
from agora.platform.bus.outbox import outbox_table
from agora.platform.db import UTCDateTime, new_metadata

BigId = BigInteger().with_variant(Integer, "sqlite")


class Base(DeclarativeBase):
    metadata = new_metadata()


outbox = outbox_table(Base.metadata)
inbox = inbox_table(Base.metadata)


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
