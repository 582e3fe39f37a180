"""Wiring of the users service: its app, its collaborators, and its `SPEC` for composition roots."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from agora.platform.auth.passwords import PasswordHasher
from agora.platform.http import create_service_app
from agora.platform.ratelimit import RateLimit
from agora.platform.sagas import SagaEngine
from agora.platform.service import ServiceContext, ServiceParts, ServiceSpec
from agora.services.users.account import build_participant
from agora.services.users.jobs import expired_exports_job
from agora.services.users.models import Base
from agora.services.users.router import LEAN_READS, account_router, admin_router, router
from agora.services.users.sagas import AccountSagas, SagaOptions
from agora.services.users.service import LoginLimits, UsersService

DESCRIPTION = """Accounts, JWT access tokens with rotating refresh tokens, profiles, roles,
follows and notification preferences. Serves the user endpoints of the competitions, music,
Twitter-like and sports seeds (the music seed's under `/users-reviews/users`)."""


def make_hasher(ctx: ServiceContext) -> PasswordHasher:
    s = ctx.settings
    return PasswordHasher(
        time_cost=s.argon2_time_cost,
        memory_kib=s.argon2_memory_kib,
        parallelism=s.argon2_parallelism,
    )


def login_limits(ctx: ServiceContext) -> LoginLimits:
    s = ctx.settings
    window = s.login_failure_window_seconds
    return LoginLimits(
        pair=RateLimit(s.login_max_failures, window),
        account=RateLimit(s.login_account_max_failures, window),
        address=RateLimit(s.login_address_max_failures, window),
        known_address_days=s.login_known_address_days,
    )


def build(ctx: ServiceContext) -> ServiceParts:
    if ctx.token_issuer is None:
        raise RuntimeError("the users service signs tokens and needs the private key")
    service = UsersService(
        hasher=make_hasher(ctx),
        issuer=ctx.token_issuer,
        verifier=ctx.verifier,
        rate_limiter=ctx.rate_limiter,
        clock=ctx.clock,
        login_limits=login_limits(ctx),
        sessions=ctx.sessions,
        refresh_grace=timedelta(seconds=ctx.settings.refresh_reuse_grace_seconds),
    )
    settings = ctx.settings
    sagas = AccountSagas(
        database=ctx.database,
        users=service,
        engine=SagaEngine(
            settings.saga_database(), app_name="agora-users", executor_id="agora-users"
        ),
        participants=ctx.account_data,
        clock=ctx.clock,
        options=SagaOptions(
            retry_seconds=settings.saga_retry_seconds,
            give_up_seconds=settings.saga_give_up_seconds,
            quarantine=timedelta(days=settings.username_quarantine_days),
            exports_dir=settings.data_dir / "exports",
            crash_points=tuple(settings.saga_crash_points),
            crash_marker_dir=settings.data_dir,
        ),
    )
    app = create_service_app(
        service="users",
        title="Agora users",
        description=DESCRIPTION,
        routers=[account_router, router, admin_router],
        health_checks={"database": ctx.database.ping},
        clock=ctx.clock,
        provides=[service, sagas],
        lean_reads=LEAN_READS,
    )
    # The music seed's base URL: the same endpoints under /users-reviews.
    app.include_router(router, prefix="/users-reviews", include_in_schema=False)
    participant = build_participant(
        ctx.database, ctx.clock, timedelta(days=settings.username_quarantine_days)
    )
    return ServiceParts(
        app=app,
        account_data=participant,
        lifecycle=[sagas],
        jobs=[lambda: service.do_restore_sessions(ctx.database), expired_exports_job(sagas)],
    )


SPEC = ServiceSpec(
    name="users",
    title="Users",
    metadata=Base.metadata,
    migrations=Path(__file__).parent / "migrations",
    build=build,
)
