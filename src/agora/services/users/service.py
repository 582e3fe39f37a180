"""Business rules of the users service: registration, login and token rotation, profiles, roles,
follows.

`do_*` change state and emit events; `access_*` fetch and authorize; `get_*`/`list_*` read.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from agora.contracts.events.users import (
    UserFollowed,
    UserPreferencesChanged,
    UserRegistered,
    UserRoleChanged,
    UserUnfollowed,
)
from agora.contracts.notifications import ALL_NOTIFICATION_TYPES
from agora.platform.auth.passwords import PasswordHasher
from agora.platform.auth.principal import ADMIN, MEMBER, Principal
from agora.platform.auth.sessions import SessionStore
from agora.platform.auth.tokens import IssuedToken, TokenIssuer, TokenVerifier
from agora.platform.bus.outbox import emit
from agora.platform.clock import Clock
from agora.platform.db import Database
from agora.platform.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    Locked,
    NotFound,
    RateLimited,
    ServiceUnavailable,
    Unauthorized,
)
from agora.platform.pagination import Page, fetch_size, paginate, parse_id_cursor
from agora.platform.ratelimit import RateLimit, RateLimiter, RateLimiterUnavailable
from agora.platform.reads import Reads, Row
from agora.services.users import repository as repo
from agora.services.users.models import Follow, RefreshToken, User
from agora.services.users.schemas import LoginRequest, PreferencesUpdate, ProfileUpdate, UserCreate

log = structlog.get_logger("agora.users")

INVALID_CREDENTIALS = "Invalid username, email or password"


@dataclass(frozen=True, slots=True)
class IssuedPair:
    user: User
    access: IssuedToken
    refresh: IssuedToken


@dataclass(frozen=True, slots=True)
class LoginLimits:
    """The login throttle (decision 0014): attempts per (account, address); per account, from
    addresses that have not logged in to it within `known_address_days`; per address."""

    pair: RateLimit
    account: RateLimit
    address: RateLimit
    known_address_days: int = 30


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def principal_of(user: User, *, version: int = 0, family: str | None = None) -> Principal:
    return Principal(
        user_id=user.id, username=user.username, role=user.role, version=version, family=family
    )


class UsersService:
    """The users service's rules, with its collaborators injected."""

    def __init__(
        self,
        *,
        hasher: PasswordHasher,
        issuer: TokenIssuer,
        verifier: TokenVerifier,
        rate_limiter: RateLimiter,
        clock: Clock,
        login_limits: LoginLimits,
        sessions: SessionStore,
        refresh_grace: timedelta = timedelta(seconds=10),
    ) -> None:
        self.sessions = sessions
        self.refresh_grace = refresh_grace
        self.hasher = hasher
        self.issuer = issuer
        self.verifier = verifier
        self.rate_limiter = rate_limiter
        self.clock = clock
        self.login_limits = login_limits

    # ------------------------------------------------------------ accounts

    async def do_register(self, database: Database, data: UserCreate) -> User:
        """Create an account. The password is hashed before the write transaction begins: argon2
        takes a good part of a second and must not hold SQLite's write lock meanwhile."""
        email = data.email.lower() if data.email else None
        async with database.session(read_only=True) as session:
            username_taken, email_taken = await repo.username_or_email_taken(
                session, data.username, email
            )
        if username_taken or email_taken:
            raise self._duplicate(username_taken)
        password_hash = await self.hasher.hash(data.password)
        async with database.session() as session:
            return await self._add_account(session, data, email, password_hash)

    async def _add_account(
        self, session: AsyncSession, data: UserCreate, email: str | None, password_hash: str
    ) -> User:
        now = self.clock.now()
        if await repo.get_quarantine(session, data.username, now) is not None:
            # A deleted account's name: not yet, so nobody passes for its former owner.
            raise self._duplicate(True)
        try:
            user = await repo.add_user(
                session,
                username=data.username,
                email=email,
                password_hash=password_hash,
                role=MEMBER,
                notification_types=list(ALL_NOTIFICATION_TYPES),
                now=now,
            )
        except IntegrityError as exc:
            # Another registration with the same name or email won the race.
            raise Conflict(
                "That username or email is already registered", code="duplicate"
            ) from exc
        if await repo.claim_first_admin(session, user.id, now):
            await repo.set_role(session, user, ADMIN, now)
        await emit(
            session,
            UserRegistered(
                user_id=user.id, username=user.username, role=user.role, registered_at=now
            ),
        )
        log.info("user_registered", user_id=user.id, role=user.role)
        return user

    @staticmethod
    def _duplicate(username_taken: bool) -> Conflict:
        field = "username" if username_taken else "email"
        return Conflict(
            f"That {field} is already registered",
            code=f"duplicate_{field}",
            details=[{"field": f"body.{field}", "message": "is already registered"}],
        )

    def _login_keys(self, account: str, client: str, known: bool) -> list[tuple[str, RateLimit]]:
        """What one login attempt counts against (decision 0014)."""
        limits = self.login_limits
        keys = [(f"login:pair:{account}:{client}", limits.pair)]
        if not known:
            keys.append((f"login:account:{account}", limits.account))
        keys.append((f"login:address:{client}", limits.address))
        return keys

    async def _count_attempt(self, keys: list[tuple[str, RateLimit]]) -> None:
        """Count the attempt against every key, atomically and before the password is checked, so
        concurrent guesses cannot all slip in under the limit; refuse it if any key is over."""
        for key, limit in keys:
            try:
                state = await self.rate_limiter.hit(key, limit)
            except RateLimiterUnavailable as exc:
                # Failing open would let a flood that overwhelms the store through unchecked.
                log.warning(
                    "login_throttle_unavailable", key_kind=key.split(":")[1], error=str(exc)
                )
                raise ServiceUnavailable(
                    "Logging in is briefly unavailable; try again", retry_after=2
                ) from exc
            if not state.allowed:
                log.info("login_throttled", key_kind=key.split(":")[1])
                raise RateLimited(
                    "Too many login attempts; try again later", retry_after=state.reset_after
                )

    async def _forget_attempts(self, key: str, limit: RateLimit) -> None:
        try:
            await self.rate_limiter.reset(key, limit)
        except RateLimiterUnavailable:
            log.warning("login_throttle_unavailable_failing_open", key_kind="pair")

    async def do_login(self, database: Database, data: LoginRequest, client: str) -> IssuedPair:
        """Check a username-or-email and password and issue a token pair.

        The attempt is counted before the password is checked, on the account the identifier
        names (a username and an email of one account are one account) and the client's address
        (decision 0014). No transaction is open while argon2 runs.
        """
        identifier = data.identifier
        since = self.clock.now() - timedelta(days=self.login_limits.known_address_days)
        async with database.session(read_only=True) as session:
            user = await repo.get_user_by_identifier(session, identifier)
            known = user is not None and await repo.is_known_address(
                session, user.id, client, since
            )
        # Guesses at an account that does not exist are counted like any others, so the
        # throttle does not tell which accounts exist.
        account = f"user:{user.id}" if user is not None else f"unknown:{identifier}"
        keys = self._login_keys(account, client, known)
        await self._count_attempt(keys)
        valid = await self.hasher.verify(user.password_hash if user else None, data.password)
        if user is None or not valid:
            raise Unauthorized(INVALID_CREDENTIALS, code="invalid_credentials")
        if user.deactivated_at is not None:
            async with database.session(read_only=True) as session:
                await self._refuse_deactivated(session, user)
        new_hash = None
        if self.hasher.needs_rehash(user.password_hash):
            new_hash = await self.hasher.hash(data.password)
        async with database.session() as session:
            current = await repo.get_user(session, user.id)
            if current is None:
                raise Unauthorized(INVALID_CREDENTIALS, code="invalid_credentials")
            if new_hash is not None:
                await repo.set_password_hash(session, current, new_hash)
            await repo.remember_address(
                session, current.id, client, self.clock.now(), forget_before=since
            )
            pair = await self._issue(session, current, family=uuid.uuid4().hex)
        await self._forget_attempts(*keys[0])
        return pair

    async def _refuse_deactivated(self, session: AsyncSession, user: User) -> None:
        """An account pending deletion does not log in; its owner (who just proved the password)
        gets a restore token that can cancel the deletion and nothing else."""
        saga = await repo.get_latest_saga(session, user.id, "deletion")
        now = self.clock.now()
        if saga is None or saga.erase_at is None or saga.state not in ("hiding", "hidden"):
            raise Unauthorized("This account is deactivated", code="account_deactivated")
        ttl = max(saga.erase_at - now, timedelta(minutes=5))
        restore = self.issuer.issue_restore(user.id, saga.id, min(ttl, timedelta(hours=1)))
        raise Locked(
            "This account is scheduled for deletion; restore it to log in again",
            code="account_pending_deletion",
            details=[
                {
                    "deletion_id": saga.id,
                    "erase_at": saga.erase_at.isoformat(),
                    "restore_token": restore.token,
                    "restore": 'DELETE /api/users/profile/deletion with {"restore_token": ...}',
                }
            ],
        )

    async def _issue(self, session: AsyncSession, user: User, *, family: str) -> IssuedPair:
        # The larger of the two: a raise written to the store whose transaction then rolled back
        # must not leave the user unable to get a token that passes.
        version = max(user.token_version, (await self.sessions.get(user.id)).version)
        access = self.issuer.issue_access(principal_of(user, version=version, family=family))
        refresh = self.issuer.issue_refresh(user.id, family)
        await repo.add_refresh_token(
            session,
            jti=refresh.jti,
            family_id=family,
            user_id=user.id,
            token_hash=_token_hash(refresh.token),
            issued_at=self.clock.now(),
            expires_at=refresh.expires_at,
        )
        return IssuedPair(user=user, access=access, refresh=refresh)

    async def _stored_refresh(self, session: AsyncSession, token: str) -> RefreshToken:
        claims = self.verifier.verify_refresh(token)
        stored = await repo.get_refresh_token(session, claims.jti)
        if stored is None or not hmac.compare_digest(stored.token_hash, _token_hash(token)):
            raise Unauthorized("Unknown refresh token", code="invalid_token")
        return stored

    async def do_refresh(self, database: Database, token: str) -> IssuedPair:
        """Rotate: spend this refresh token and issue a new pair in the same family.

        A token spent again within `refresh_grace` (two tabs refreshing at once) gets a sibling
        pair. Spent again later, it is a replay (it was stolen): the whole family is revoked, so
        neither the thief nor the victim can go on with it; the victim logs in again.
        The revocation must outlive the refused request, so the rotation is a unit of work of its
        own that commits the revocation before the 401 is raised.
        """
        async with database.session() as session:
            stored = await self._stored_refresh(session, token)
            now = self.clock.now()
            if stored.revoked_at is not None:
                raise Unauthorized("This session was signed out", code="token_revoked")
            if await repo.mark_refresh_used(session, stored.jti, now) or await self._in_grace(
                session, stored, now
            ):
                user = await repo.get_user(session, stored.user_id)
                if user is None or user.deactivated_at is not None:
                    raise Unauthorized("The account no longer exists", code="invalid_token")
                return await self._issue(session, user, family=stored.family_id)
            await repo.revoke_family(session, stored.family_id, now)
        # Whoever holds the family's access tokens (the thief, likely) loses them too.
        await self.sessions.end_family(
            stored.user_id, stored.family_id, ttl_seconds=self._access_ttl_seconds
        )
        log.warning("refresh_token_reuse", user_id=stored.user_id, family=stored.family_id)
        raise Unauthorized(
            "Refresh token reuse detected; this session was signed out everywhere",
            code="token_reused",
        )

    async def _in_grace(self, session: AsyncSession, stored: RefreshToken, now: datetime) -> bool:
        """Whether a token spent a moment ago may be spent again: two tabs that refresh together
        both get a new pair (siblings in the family) instead of the slower one counting as a
        replay. Past the grace window a second use is a replay."""
        await session.refresh(stored)  # what the request that won the race wrote
        return (
            stored.revoked_at is None
            and stored.used_at is not None
            and now - stored.used_at <= self.refresh_grace
        )

    async def do_logout(self, session: AsyncSession, token: str) -> None:
        """Sign out one login: its refresh tokens stop rotating and its access tokens stop
        working at once (other logins of the user go on)."""
        stored = await self._stored_refresh(session, token)
        await repo.revoke_family(session, stored.family_id, self.clock.now())
        await self.sessions.end_family(
            stored.user_id, stored.family_id, ttl_seconds=self._access_ttl_seconds
        )

    @property
    def _access_ttl_seconds(self) -> int:
        # With the verifier's leeway: a token is accepted up to 30 s past its expiry.
        return int(self.issuer.access_ttl.total_seconds()) + 60

    async def do_end_sessions(self, session: AsyncSession, user_id: int) -> int:
        """End every session of a user at once: their access tokens stop working on the next
        request (and their live sockets close with 4401) in every service, and no refresh token
        of theirs rotates again. For demotion, account deletion or deactivation, "sign out
        everywhere". The user may log in again afterwards (unless the caller prevents it).

        Runs in the caller's unit of work; the version is raised in the session store before the
        commit, so if the transaction rolls back the sessions are still ended (never the
        reverse). Returns the new session version; `NotFound` if there is no such user.
        """
        version = await repo.raise_token_version(session, user_id)
        if version is None:
            raise NotFound(f"No user with id {user_id}", code="user_not_found")
        await repo.revoke_user_refresh_tokens(session, user_id, self.clock.now())
        await self.sessions.raise_version(user_id, version)
        log.info("user_sessions_ended", user_id=user_id, version=version)
        return version

    async def do_restore_sessions(self, database: Database) -> None:
        """Copy ended sessions from the database into the session store (an in-process store
        starts empty; a Redis one may have been flushed): at start, before tokens are trusted."""
        since = self.clock.now() - timedelta(seconds=self._access_ttl_seconds)
        async with database.session(read_only=True) as session:
            versions = await repo.list_token_versions(session)
            families = await repo.list_revoked_families(session, since)
        for user_id, version in versions:
            await self.sessions.raise_version(user_id, version)
        for user_id, family, _revoked in families:
            await self.sessions.end_family(user_id, family, ttl_seconds=self._access_ttl_seconds)

    # ------------------------------------------------------------ profiles

    async def access_user(self, session: AsyncSession, user_id: int) -> User:
        user = await repo.get_user(session, user_id)
        if user is None:
            raise NotFound(f"No user with id {user_id}", code="user_not_found")
        return user

    async def access_account(self, session: AsyncSession, me: Principal, user_id: int) -> User:
        """A user's private account data: only the user themself, or an admin."""
        if me.user_id != user_id and not me.is_admin:
            raise Forbidden("You can only see your own account details", code="not_your_account")
        return await self.access_user(session, user_id)

    async def get_counts(self, session: AsyncSession, user_id: int) -> tuple[int, int]:
        """(followers, followings) of a user."""
        return await repo.count_follows(session, user_id)

    async def access_public_profile(self, reads: Reads, user_id: int) -> Row:
        """A user's public columns (`id`, `username`, `profile_picture`, `bio`, `role`,
        `created_at`) with `followers_count` and `followings_count` (one query: the hottest
        read)."""
        found = await repo.get_public_profile(reads, user_id)
        if found is None:
            raise NotFound(f"No user with id {user_id}", code="user_not_found")
        return found

    async def do_update_profile(
        self, session: AsyncSession, me: Principal, data: ProfileUpdate
    ) -> User:
        user = await self.access_user(session, me.user_id)
        if data.bio is not None or data.profile_picture is not None:
            await repo.update_profile(
                session,
                user,
                now=self.clock.now(),
                bio=data.bio,
                profile_picture=data.profile_picture,
            )
        return user

    async def do_update_preferences(
        self, session: AsyncSession, me: Principal, user_id: int, data: PreferencesUpdate
    ) -> User:
        user = await self.access_account(session, me, user_id)
        await repo.set_preferences(
            session, user, enabled=data.enabled, types=list(data.types), now=self.clock.now()
        )
        await emit(
            session,
            UserPreferencesChanged(user_id=user.id, enabled=data.enabled, types=list(data.types)),
        )
        return user

    async def list_users(self, session: AsyncSession, prefix: str, limit: int) -> list[User]:
        return await repo.search_users(session, prefix.lower(), limit)

    # ------------------------------------------------------------ roles

    async def do_set_role(
        self, session: AsyncSession, actor: Principal, user_id: int, role: str
    ) -> User:
        if not actor.is_admin:
            raise Forbidden("Only admins can change roles", code="admin_required")
        before = await self.access_user(session, user_id)
        was_admin = before.role == ADMIN
        user = await do_set_role(session, self.clock, actor, user_id, role)
        if was_admin and user.role != ADMIN:
            # The role travels in access tokens: a demoted admin's tokens must stop now.
            await self.do_end_sessions(session, user.id)
        return user

    # ------------------------------------------------------------ follows

    async def _check_follow(
        self, session: AsyncSession, me: Principal, user_id: int, other: int
    ) -> User:
        if me.user_id != user_id:
            raise Forbidden(
                f"The path names user {user_id}, but the token belongs to user {me.user_id}",
                code="acting_user_mismatch",
            )
        if other == me.user_id:
            raise BadRequest("You cannot follow yourself", code="self_follow")
        return await self.access_user(session, other)

    async def do_follow(
        self, session: AsyncSession, me: Principal, user_id: int, followee_id: int
    ) -> tuple[User, bool]:
        followee = await self._check_follow(session, me, user_id, followee_id)
        now = self.clock.now()
        created = await repo.add_follow(session, me.user_id, followee.id, now)
        if created:
            await emit(
                session,
                UserFollowed(follower_id=me.user_id, followee_id=followee.id, followed_at=now),
            )
        return followee, created

    async def do_unfollow(
        self, session: AsyncSession, me: Principal, user_id: int, followee_id: int
    ) -> tuple[User, bool]:
        followee = await self._check_follow(session, me, user_id, followee_id)
        removed = await repo.remove_follow(session, me.user_id, followee.id)
        if removed:
            await emit(
                session,
                UserUnfollowed(
                    follower_id=me.user_id, followee_id=followee.id, unfollowed_at=self.clock.now()
                ),
            )
        return followee, removed

    async def suggest_follows(
        self, session: AsyncSession, me: Principal, limit: int
    ) -> list[tuple[User, int, int]]:
        """Whom I might follow, best first: (user, my followings who follow them, followers)."""
        return await repo.suggest_follows(session, me.user_id, limit)

    async def list_follows(
        self,
        session: AsyncSession,
        user_id: int,
        *,
        direction: str,
        limit: int,
        cursor: str | None,
    ) -> Page[tuple[Follow, User]]:
        await self.access_user(session, user_id)
        rows = await repo.list_follows(
            session,
            user_id=user_id,
            direction=direction,
            limit=fetch_size(limit),
            before=parse_id_cursor(cursor),
        )
        return paginate(rows, limit, cursor_of=lambda row: row[0].id)


async def do_set_role(
    session: AsyncSession, clock: Clock, actor: Principal | None, user_id: int, role: str
) -> User:
    """Make a user an admin or a member; `actor` None is the operator (the CLI). Keeps one admin."""
    user = await repo.get_user(session, user_id)
    if user is None:
        raise NotFound(f"No user with id {user_id}", code="user_not_found")
    if user.role == role:
        return user
    if user.role == ADMIN and await repo.count_admins(session) <= 1:
        raise Conflict("Agora needs at least one admin", code="last_admin")
    await repo.set_role(session, user, role, clock.now())
    await emit(
        session,
        UserRoleChanged(user_id=user.id, role=role, changed_by=actor.user_id if actor else None),
    )
    log.info("user_role_changed", user_id=user.id, role=role)
    return user


async def do_grant_admin_by_username(session: AsyncSession, clock: Clock, username: str) -> User:
    """The operator's `agora admin grant USERNAME`."""
    user = await repo.get_user_by_identifier(session, username.strip().lower())
    if user is None:
        raise NotFound(f"No user named {username!r}", code="user_not_found")
    return await do_set_role(session, clock, None, user.id, ADMIN)
