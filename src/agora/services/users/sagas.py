"""The account sagas, coordinated by the users service on the saga engine (decision 0018).

Deletion: every service hides the user's data (in `ACCOUNT_DATA_SERVICES` order), then a durable
wait for the grace period that a restore cuts short. Restored: every service puts back what it hid,
in reverse order, and the account is active again. Not restored: every service erases the user's
data, the users service last (the account becomes a tombstone, its username quarantined).

Export: every service hands over the user's data, written as one JSON file per kind; then a ZIP
with a README, downloadable by its owner for seven days.

Each step is one call to one service's `AccountData` with the saga's id, which that service applies
once however often it is asked. A step that finds a service down waits and tries again (doubling
the pause up to a minute) for `saga_give_up_seconds`; a step that fails otherwise, or for longer,
puts the saga in `failed` with the reason until an admin retries it.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import os
import shutil
import signal
import uuid
import zipfile
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import structlog
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncSession

from agora.contracts.accounts import ACCOUNT_DATA_SERVICES, AccountData
from agora.platform.auth.principal import ADMIN, Principal
from agora.platform.clock import Clock
from agora.platform.db import Database
from agora.platform.errors import Conflict, NotFound, ServiceUnavailable, Unauthorized
from agora.platform.sagas import SagaEngine, sleep, step, wait_message
from agora.services.users import repository as repo
from agora.services.users.models import AccountSaga, AccountSagaStep
from agora.services.users.service import UsersService

log = structlog.get_logger("agora.users.sagas")

DELETION = "account-deletion"
EXPORT = "account-export"

# Deletion states, as the issue names them.
HIDING, HIDDEN, RESTORING, RESTORED = "hiding", "hidden", "restoring", "restored"
ERASING, ERASED, FAILED = "erasing", "erased", "failed"
# Export states (`cancelled`: its account was erased while it ran).
COLLECTING, READY, EXPIRED, CANCELLED = "collecting", "ready", "expired", "cancelled"
FINISHED = frozenset({RESTORED, ERASED, READY, EXPIRED, CANCELLED})

CANCEL_TOPIC, RESTORE = "cancel", "restore"
RETRY_TOPIC = "retry"
FOREVER = 10 * 365 * 86_400.0
EXPORT_LINK = timedelta(days=7)
MAX_PAUSE = 60.0

README = """Your data from Agora
====================

This archive holds what Agora kept about you when it was made, one JSON file per kind of record,
in a folder per service:

  users/profile.json            your account (no password)
  users/follows.json            whom you follow and who follows you
  voting/votes.json             your votes in the book-of-the-month polls
  voting/nominations.json       books you nominated
  discussions/threads.json      threads you opened
  discussions/replies.json      your replies
  discussions/chat_messages.json  your chat messages (album, genre, lobby and sports rooms)
  discussions/rooms_joined.json rooms you joined
  competitions/entries.json     your entries, with their place when the competition ended
  competitions/likes.json       entries you liked
  competitions/comments.json    your comments
  competitions/subscriptions.json  competitions you follow
  reviews/reviews.json          your album reviews (rating in half stars)
  timeline/tweets.json          your tweets
  sports/followed_teams.json    teams you follow
  notifications/notifications.json  notifications sent to you
  notifications/notification_team_follows.json  teams whose scores you are notified of

Times are ISO-8601 in UTC. Ids are Agora's own; the same id names the same thing across files.
"""


class Retry(Exception):
    """A step that found a service down: wait and try again."""


@dataclass(frozen=True)
class SagaOptions:
    retry_seconds: float
    give_up_seconds: float
    quarantine: timedelta
    exports_dir: Path
    crash_points: tuple[str, ...] = ()
    crash_marker_dir: Path | None = None


class AccountSagas:
    """The users service's two sagas over the engine, every service's `AccountData`, and the
    users database (where each saga's readable state and steps are kept)."""

    def __init__(
        self,
        *,
        database: Database,
        users: UsersService,
        engine: SagaEngine,
        participants: Mapping[str, AccountData],
        clock: Clock,
        options: SagaOptions,
    ) -> None:
        self.database = database
        self.users = users
        self.engine = engine
        self.participants = participants
        self.clock = clock
        self.options = options
        engine.define(DELETION, self._deletion)
        engine.define(EXPORT, self._export)

    # ------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Start the engine (which recovers interrupted sagas), then begin any saga whose record
        committed but whose start was lost to a crash."""
        await self.engine.start()
        async with self.database.session(read_only=True) as session:
            open_sagas = await repo.list_sagas(session, states=[HIDING, COLLECTING], limit=1000)
        for saga in open_sagas:
            await self.begin(saga.id, saga.kind, saga.user_id)

    async def stop(self) -> None:
        await self.engine.stop()

    async def begin(self, saga_id: str, kind: str, user_id: int) -> None:
        if kind == "deletion":
            async with self.database.session(read_only=True) as session:
                saga = await repo.get_saga(session, saga_id)
            if saga is None or saga.erase_at is None:
                return
            grace = max(0.0, (saga.erase_at - saga.created_at).total_seconds())
            await self.engine.begin(DELETION, saga_id, user_id, grace)
        else:
            await self.engine.begin(EXPORT, saga_id, user_id)

    async def restore(self, saga_id: str) -> None:
        await self.engine.notify(saga_id, CANCEL_TOPIC, RESTORE, key=f"{saga_id}:restore")

    async def retry(self, saga_id: str, attempt_key: str) -> None:
        await self.engine.notify(saga_id, RETRY_TOPIC, "retry", key=attempt_key)

    # ------------------------------------------------------------ requests

    async def do_request_deletion(
        self, me: Principal, password: str, grace_days: int
    ) -> AccountSaga:
        """Check the password, deactivate the account at once (no login, no refresh), record the
        saga, then start it. Asking again while one runs answers the running one."""
        now = self.clock.now()
        async with self.database.session() as session:
            user = await self.users.access_user(session, me.user_id)
            if not await self.users.hasher.verify(user.password_hash, password):
                raise Unauthorized("Wrong password", code="invalid_credentials")
            running = await repo.get_latest_saga(session, user.id, "deletion")
            if running is not None and running.state not in FINISHED:
                return running
            if user.role == ADMIN and await repo.count_admins(session) <= 1:
                raise Conflict(
                    "The last admin cannot delete their account; grant the role to someone first",
                    code="last_admin",
                )
            await repo.set_deactivated(session, user, now)
            # Every access token of theirs stops working now, live sockets close, and no refresh
            # token rotates again (decision 0003's session version).
            await self.users.do_end_sessions(session, user.id)
            saga = await repo.add_saga(
                session,
                id=f"deletion-{uuid.uuid4().hex}",
                kind="deletion",
                user_id=user.id,
                state=HIDING,
                grace_days=grace_days,
                erase_at=now + timedelta(days=grace_days),
                created_at=now,
                updated_at=now,
            )
        log.info("account_deletion_requested", user_id=me.user_id, saga_id=saga.id)
        await self.begin(saga.id, "deletion", saga.user_id)
        return saga

    async def do_cancel_deletion(
        self, me: Principal | None, restore_token: str | None
    ) -> AccountSaga:
        """Cancel a pending deletion: its owner (with a token, or with the restore token a
        refused login gave them) asks for everything hidden to be put back."""
        user_id, saga_id = self._deleting_user(me, restore_token)
        now = self.clock.now()
        async with self.database.session() as session:
            saga = await repo.get_latest_saga(session, user_id, "deletion")
            if saga is None or (saga_id is not None and saga.id != saga_id):
                raise NotFound("No deletion of this account is pending", code="no_deletion")
            if saga.state in (RESTORING, RESTORED):
                return saga
            if saga.state not in (HIDING, HIDDEN) or (
                saga.erase_at is not None and saga.erase_at <= now
            ):
                raise Conflict(
                    f"The deletion can no longer be cancelled (it is {saga.state})",
                    code="deletion_not_cancellable",
                )
            await repo.set_saga_state(session, saga.id, RESTORING, now)
        await self.restore(saga.id)
        log.info("account_deletion_cancelled", user_id=user_id, saga_id=saga.id)
        return saga

    async def do_request_export(self, me: Principal) -> AccountSaga:
        now = self.clock.now()
        async with self.database.session() as session:
            await self.users.access_user(session, me.user_id)
            running = await repo.get_latest_saga(session, me.user_id, "export")
            if running is not None and running.state == COLLECTING:
                return running
            saga = await repo.add_saga(
                session,
                id=f"export-{uuid.uuid4().hex}",
                kind="export",
                user_id=me.user_id,
                state=COLLECTING,
                created_at=now,
                updated_at=now,
            )
        await self.begin(saga.id, "export", saga.user_id)
        return saga

    async def get_saga_view(
        self, session: AsyncSession, saga: AccountSaga
    ) -> tuple[AccountSaga, list[AccountSagaStep]]:
        return saga, await repo.list_steps(session, saga.id)

    async def get_saga(self, session: AsyncSession, saga_id: str) -> AccountSaga:
        saga = await repo.get_saga(session, saga_id)
        if saga is None:
            raise NotFound(f"No saga {saga_id}", code="saga_not_found")
        return saga

    def _deleting_user(
        self, me: Principal | None, restore_token: str | None
    ) -> tuple[int, str | None]:
        """Who asks about a deletion: a logged-in user, or the owner of a restore token (an
        account pending deletion cannot log in) for that one saga."""
        if me is not None:
            return me.user_id, None
        if restore_token:
            return self.users.verifier.verify_restore(restore_token)
        raise Unauthorized("Log in, or give the restore token")

    async def access_deletion(
        self, session: AsyncSession, me: Principal | None, restore_token: str | None = None
    ) -> AccountSaga:
        user_id, saga_id = self._deleting_user(me, restore_token)
        saga = await repo.get_latest_saga(session, user_id, "deletion")
        if saga is None or (saga_id is not None and saga.id != saga_id):
            raise NotFound("This account has no deletion", code="no_deletion")
        return saga

    async def access_export(
        self, session: AsyncSession, me: Principal, export_id: str
    ) -> AccountSaga:
        saga = await repo.get_saga(session, export_id)
        if saga is None or saga.kind != "export" or saga.user_id != me.user_id:
            # Someone else's export is as unknown as a missing one.
            raise NotFound(f"No export {export_id}", code="export_not_found")
        return saga

    def state_of(self, saga: AccountSaga) -> str:
        """A ready export whose link has lapsed reads as expired."""
        lapsed = saga.expires_at is not None and saga.expires_at <= self.clock.now()
        return EXPIRED if saga.state == READY and lapsed else saga.state

    def archive_path(self, saga: AccountSaga) -> Path:
        if self.state_of(saga) != READY or saga.archive is None:
            raise Conflict("The archive is not ready", code="export_not_ready")
        return self.options.exports_dir / saga.archive

    async def list_sagas(
        self, session: AsyncSession, *, every: bool, limit: int
    ) -> list[AccountSaga]:
        states = None if every else [HIDING, HIDDEN, RESTORING, ERASING, COLLECTING, FAILED]
        return await repo.list_sagas(session, states=states, limit=limit)

    async def do_retry(self, saga_id: str) -> AccountSaga:
        async with self.database.session() as session:
            saga = await repo.get_saga(session, saga_id)
            if saga is None:
                raise NotFound(f"No saga {saga_id}", code="saga_not_found")
            if saga.state != FAILED:
                raise Conflict(f"The saga is {saga.state}, not failed", code="saga_not_failed")
            attempt = f"{saga_id}:retry:{saga.updated_at.isoformat()}"
        await self.retry(saga_id, attempt)
        return saga

    # ------------------------------------------------------------ the sagas

    def _order(self) -> list[str]:
        """The services that hold data in this platform, in saga order: an embedded platform
        built without a service has none of its data."""
        return [name for name in ACCOUNT_DATA_SERVICES if name in self.participants]

    async def _deletion(self, saga_id: str, user_id: int, grace_seconds: float) -> None:
        order = self._order()
        for i, service in enumerate(order):
            await self._run(
                saga_id,
                HIDING,
                f"hide:{service}",
                10 + i,
                self._action(service, "hide", user_id, saga_id),
            )
        await self._checkpoint(
            saga_id, "hidden", lambda: self._set_state(saga_id, HIDDEN, only_from=HIDING)
        )
        message = await wait_message(CANCEL_TOPIC, grace_seconds)
        if message == RESTORE:
            await self._checkpoint(
                saga_id, "restoring", lambda: self._set_state(saga_id, RESTORING)
            )
            for i, service in enumerate(reversed(order)):
                await self._run(
                    saga_id,
                    RESTORING,
                    f"restore:{service}",
                    30 + i,
                    self._action(service, "restore", user_id, saga_id),
                )
            await self._run(saga_id, RESTORING, "reactivate", 49, self._reactivate(user_id))
            await self._checkpoint(saga_id, "restored", lambda: self._set_state(saga_id, RESTORED))
            return
        await self._checkpoint(saga_id, "erasing", lambda: self._set_state(saga_id, ERASING))
        # An export still running would go on collecting what the services erase, and write an
        # archive after `erase:exports`: it is cancelled first.
        await self._run(saga_id, ERASING, "cancel:exports", 50, self._cancel_exports(user_id))
        for i, service in enumerate(order):
            await self._run(
                saga_id,
                ERASING,
                f"erase:{service}",
                51 + i,
                self._action(service, "erase", user_id, saga_id),
            )
        await self._run(saga_id, ERASING, "erase:exports", 69, self._drop_exports(user_id))
        await self._checkpoint(saga_id, "erased", lambda: self._set_state(saga_id, ERASED))

    async def _export(self, saga_id: str, user_id: int) -> None:
        folder = self.options.exports_dir / saga_id
        for i, service in enumerate(self._order()):
            await self._run(
                saga_id,
                COLLECTING,
                f"export:{service}",
                10 + i,
                self._collect(saga_id, service, user_id, folder),
            )
        await self._run(saga_id, COLLECTING, "archive", 30, self._archive(saga_id, folder))

    async def _state(self, saga_id: str) -> str | None:
        """The saga's state now (None: no such saga); an export's turns `cancelled` when its
        account is erased (`cancel:exports`)."""
        async with self.database.session(read_only=True) as session:
            saga = await repo.get_saga(session, saga_id)
        return None if saga is None else saga.state

    # ------------------------------------------------------------ steps

    def _participant(self, service: str) -> AccountData:
        participant = self.participants.get(service)
        if participant is None:
            raise Retry(f"the {service} service is not reachable from the coordinator")
        return participant

    def _action(
        self, service: str, action: str, user_id: int, saga_id: str
    ) -> Callable[[], Awaitable[int]]:
        async def run() -> int:
            participant = self._participant(service)
            call = {
                "hide": participant.hide,
                "restore": participant.restore,
                "erase": participant.erase,
            }[action]
            return (await call(user_id, saga_id)).rows

        return run

    def _cancel_exports(self, user_id: int) -> Callable[[], Awaitable[int]]:
        """Cancel the user's exports that have not finished: each is marked `cancelled` (so a
        step of it in flight now undoes its own effect), then the workflow of every export of
        theirs is cancelled (so none is resumed, here or on another replica: a `ready` export
        whose last checkpoint a crash lost would otherwise be recovered)."""

        async def run() -> int:
            cancelled = 0
            async with self.database.session() as session:
                exports = await repo.list_user_sagas(session, user_id, "export")
                now = self.clock.now()
                for export in exports:
                    if export.state in (COLLECTING, FAILED):
                        cancelled += await repo.set_saga_state(
                            session,
                            export.id,
                            CANCELLED,
                            now,
                            only_from=(COLLECTING, FAILED),
                            reason="The account was deleted",
                        )
            await self.engine.cancel([export.id for export in exports])
            if cancelled:
                log.info("exports_cancelled", user_id=user_id, count=cancelled)
            return cancelled

        return run

    def _drop_exports(self, user_id: int) -> Callable[[], Awaitable[int]]:
        """The user's export archives go with the account."""

        async def run() -> int:
            async with self.database.session(read_only=True) as session:
                exports = await repo.list_user_sagas(session, user_id, "export")
            return await asyncio.to_thread(self._remove_archives, exports)

        return run

    def _remove_archives(self, exports: list[AccountSaga]) -> int:
        return sum(self._remove_archives_of(saga.id) for saga in exports)

    def _remove_archives_of(self, saga_id: str) -> int:
        """Remove an export's archive and its folder of collected files; 1 if there was an
        archive."""
        removed = 0
        for path in (
            self.options.exports_dir / f"{saga_id}.zip",
            self.options.exports_dir / saga_id,
        ):
            if path.is_file():
                path.unlink()
                removed += 1
            elif path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
        return removed

    async def do_remove_expired_exports(self) -> int:
        """Delete the archives whose download link has lapsed (the export reads `expired`)."""
        async with self.database.session(read_only=True) as session:
            lapsed = await repo.list_expired_exports(session, self.clock.now())
        removed = await asyncio.to_thread(self._remove_archives, lapsed)
        if removed:
            log.info("expired_exports_removed", count=removed)
        return removed

    def _reactivate(self, user_id: int) -> Callable[[], Awaitable[int]]:
        async def run() -> int:
            async with self.database.session() as session:
                user = await repo.get_user(session, user_id)
                if user is None:
                    return 0
                await repo.set_deactivated(session, user, None)
            return 1

        return run

    def _collect(
        self, saga_id: str, service: str, user_id: int, folder: Path
    ) -> Callable[[], Awaitable[int]]:
        """One service's files of an export. If the export is cancelled while they are being
        written, the files are removed again: either this step sees the cancel when it looks
        after writing, or the files were there before the cancel, and `erase:exports` (which
        comes after it) removes them."""

        async def run() -> int:
            if await self._state(saga_id) != COLLECTING:
                return 0
            export = await self._participant(service).export(user_id)
            target = folder / service
            await asyncio.to_thread(target.mkdir, parents=True, exist_ok=True)
            for name, records in export.files.items():
                body = json.dumps(records, indent=2, ensure_ascii=False, default=str)
                await asyncio.to_thread((target / f"{name}.json").write_text, body, "utf-8")
            if await self._state(saga_id) != COLLECTING:
                await asyncio.to_thread(shutil.rmtree, folder, True)
                return 0
            return sum(len(records) for records in export.files.values())

        return run

    def _archive(self, saga_id: str, folder: Path) -> Callable[[], Awaitable[int]]:
        async def run() -> int:
            state = await self._state(saga_id)
            archive = self.options.exports_dir / f"{saga_id}.zip"
            if state == READY:
                # Made already, and run again after a crash before its checkpoint.
                return await asyncio.to_thread(_archived_files, archive)
            if state != COLLECTING:  # cancelled
                return 0
            count = await asyncio.to_thread(_zip_folder, folder, archive)
            now = self.clock.now()
            made = await self._set_state(
                saga_id,
                READY,
                only_from=COLLECTING,
                archive=archive.name,
                expires_at=now + EXPORT_LINK,
            )
            if not made:  # cancelled while it was being written
                await asyncio.to_thread(self._remove_archives_of, saga_id)
                return 0
            return count

        return run

    async def _set_state(
        self, saga_id: str, state: str, *, only_from: str | None = None, **values: Any
    ) -> int:
        async with self.database.session() as session:
            moved = await repo.set_saga_state(
                session,
                saga_id,
                state,
                self.clock.now(),
                only_from=None if only_from is None else (only_from,),
                **values,
            )
        return int(moved)

    async def _mark_step(
        self, saga_id: str, name: str, position: int, state: str, rows: int, detail: str | None
    ) -> None:
        async with self.database.session() as session:
            await repo.set_step(
                session,
                saga_id,
                name,
                position=position,
                state=state,
                rows=rows,
                detail=detail,
                now=self.clock.now(),
            )

    async def _checkpoint(
        self, saga_id: str, name: str, action: Callable[[], Awaitable[int]]
    ) -> None:
        """A step of the coordinator's own (a state change), checkpointed like the others."""
        ran: list[bool] = []

        async def run() -> int:
            ran.append(True)
            result = await action()
            self._maybe_crash(f"{name}@effect")
            return result

        await step(name, run)
        if ran:
            self._maybe_crash(name)

    async def _run(
        self,
        saga_id: str,
        phase: str,
        name: str,
        position: int,
        action: Callable[[], Awaitable[int]],
    ) -> None:
        """One service step: retried while the service is down, `failed` when it cannot
        succeed, resumed by an admin's retry."""
        attempt = 0
        waited = 0.0
        while True:
            ran: list[bool] = []

            async def attempt_once(ran: list[bool] = ran) -> dict[str, Any]:
                ran.append(True)
                await self._mark_step(saga_id, name, position, "running", 0, None)
                try:
                    rows = await action()
                except (Retry, ServiceUnavailable, OSError, OperationalError, PoolTimeout) as exc:
                    reason = f"{type(exc).__name__}: {exc}"[:480]
                    await self._mark_step(saga_id, name, position, "waiting", 0, reason)
                    return {"ok": False, "transient": True, "reason": reason}
                except Exception as exc:
                    log.exception("saga_step_failed", saga_id=saga_id, step=name)
                    reason = f"{type(exc).__name__}: {exc}"[:480]
                    await self._mark_step(saga_id, name, position, FAILED, 0, reason)
                    return {"ok": False, "transient": False, "reason": reason}
                self._maybe_crash(f"{name}@effect")
                await self._mark_step(saga_id, name, position, "done", rows, None)
                return {"ok": True, "rows": rows}

            result = await step(f"{name}#{attempt}", attempt_once, attempts=1)
            if ran:
                self._maybe_crash(name)
            if result["ok"]:
                return
            attempt += 1
            if result["transient"] and waited < self.options.give_up_seconds:
                pause = min(MAX_PAUSE, self.options.retry_seconds * 2 ** min(attempt - 1, 16))
                waited += pause
                await sleep(pause)
                continue
            reason = f"{name}: {result['reason']}"
            await self._checkpoint(
                saga_id,
                f"{name}#failed{attempt}",
                functools.partial(self._set_state, saga_id, FAILED, reason=reason[:500]),
            )
            log.error("saga_failed", saga_id=saga_id, step=name)
            await wait_message(RETRY_TOPIC, FOREVER)
            await self._checkpoint(
                saga_id,
                f"{name}#retry{attempt}",
                functools.partial(self._set_state, saga_id, phase, reason=None),
            )
            waited = 0.0

    # ------------------------------------------------------------ tests

    def _maybe_crash(self, point: str) -> None:
        """Test hook: kill this process (SIGKILL, no cleanup) once at `point`."""
        if point not in self.options.crash_points or self.options.crash_marker_dir is None:
            return
        marker = self.options.crash_marker_dir / f"saga-crashed-{point.replace(':', '_')}"
        if marker.exists():
            return
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(str(os.getpid()))
        log.warning("saga_test_crash", point=point)
        os.kill(os.getpid(), signal.SIGKILL)


def _archived_files(archive: Path) -> int:
    """The count of data files in an archive made already (0 if it is gone)."""
    try:
        with zipfile.ZipFile(archive) as done:
            return len(done.namelist()) - 1
    except FileNotFoundError:
        return 0


def _zip_folder(folder: Path, archive: Path) -> int:
    """Write `folder`'s JSON files and the README into `archive`, then remove the folder; returns
    the file count. Run again after it finished (a crash before its checkpoint), it finds the
    archive made and the folder gone, and answers the same."""
    if archive.exists() and not folder.exists():
        return _archived_files(archive)
    archive.parent.mkdir(parents=True, exist_ok=True)
    partial = archive.with_suffix(".part")
    count = 0
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("README.txt", README)
        if folder.exists():
            for path in sorted(folder.rglob("*.json")):
                zf.write(path, path.relative_to(folder).as_posix())
                count += 1
    partial.replace(archive)
    with contextlib.suppress(OSError):
        for path in sorted(folder.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        folder.rmdir()
    return count
