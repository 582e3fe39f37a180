"""What does the ORM cost a read of columns? The public profile's statement written with the mapped
classes' attributes (as before decision 0037) and with the tables' columns (as now), each run in a
unit of work as a profile read runs it (a session, the statement, its mapping, commit), alternating
in one process on one PostgreSQL database of its own (dropped at the end): least and median CPU
time per read over `--rounds` rounds of `--reads`. Both statements' rows are checked equal first.

    .venv/bin/python bench/profile_statement.py [--rounds 8] [--reads 400]

Needs PostgreSQL (`AGORA_BENCH_POSTGRES_URL`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from agora.services.users import repository
from agora.services.users.models import Base, Follow, User

POSTGRES = os.environ.get(
    "AGORA_BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432"
)


def _follows_of(column: Any, user_id: Any) -> Any:
    return select(func.count()).select_from(Follow).where(column == user_id).scalar_subquery()


MAPPED = select(
    User.id,
    User.username,
    User.profile_picture,
    User.bio,
    User.role,
    User.created_at,
    _follows_of(Follow.followee_id, User.id).label("followers_count"),
    _follows_of(Follow.follower_id, User.id).label("followings_count"),
).where(User.id == bindparam("user_id"))


async def measure(rounds: int, reads: int) -> dict[str, list[float]]:
    name = f"agora_bench_{uuid.uuid4().hex[:8]}_statement"
    admin = create_async_engine(f"{POSTGRES}/postgres", isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        engine = create_async_engine(f"{POSTGRES}/{name}")
        async with engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
        sessions = async_sessionmaker(engine, expire_on_commit=False)
        now = datetime.now(UTC)
        async with sessions() as session:
            user = User(
                username="alice",
                email="alice@example.com",
                password_hash="-",
                role="member",
                notification_types=[],
                created_at=now,
                updated_at=now,
            )
            session.add(user)
            await session.commit()
            user_id = user.id
        statements = {"mapped": MAPPED, "tables": repository._PUBLIC_PROFILE}
        async with sessions() as session:
            rows = [
                dict((await session.execute(s, {"user_id": user_id})).mappings().one())
                for s in statements.values()
            ]
            assert rows[0] == rows[1], rows
        spent: dict[str, list[float]] = {label: [] for label in statements}
        for number in range(rounds):
            order = list(statements.items())
            for label, statement in order if number % 2 == 0 else reversed(order):
                started = time.process_time()
                for _ in range(reads):
                    async with sessions() as session:
                        result = await session.execute(statement, {"user_id": user_id})
                        result.mappings().first()
                        await session.commit()
                spent[label].append((time.process_time() - started) / reads * 1e6)
        await engine.dispose()
        return spent
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--reads", type=int, default=400)
    args = parser.parse_args()
    spent = asyncio.run(measure(args.rounds, args.reads))
    print(f"load average {os.getloadavg()[0]:.2f}; {args.rounds} rounds of {args.reads} reads")
    print(f"{'statement':10} {'least us/read':>14} {'median us/read':>15}")
    for label, figures in spent.items():
        print(f"{label:10} {min(figures):14.1f} {statistics.median(figures):15.1f}")


if __name__ == "__main__":
    main()
