"""The durable-workflow port: a saga is a function whose steps are checkpointed by DBOS Transact in
a system database (SQLite in the embedded topology, PostgreSQL in the cluster), so a coordinator
killed at any point resumes at the first step it had not finished.

Services never import `dbos`: they define sagas with `SagaEngine.define`, start them with
`begin`, and inside a saga call `step`, `wait_message` and `sleep` from this module.

DBOS keeps one instance per process (a global), and runs recovered workflows on its own event
loop thread. The engine therefore allows one started instance per process, and runs every step's
coroutine on the loop that started the engine, where the service's database engines and clients
live.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import structlog
from dbos import DBOS, DBOSConfig, SetWorkflowID

log = structlog.get_logger("agora.sagas")

R = TypeVar("R")
SagaBody = Callable[..., Awaitable[None]]

# The version DBOS recovers: a workflow started under another version is left alone. Bump it when
# a saga's sequence of steps changes incompatibly.
SAGA_VERSION = "agora-sagas-2"

_bodies: dict[str, SagaBody] = {}
_home_loop: asyncio.AbstractEventLoop | None = None
_running: SagaEngine | None = None


class SagaEngineBusy(RuntimeError):
    """Another saga engine is already started in this process (DBOS is one per process)."""


@DBOS.workflow(name="agora.saga")
async def _saga(saga: str, saga_id: str, args: list[Any]) -> None:
    """The one workflow DBOS knows: it runs the saga body registered under `saga`."""
    body = _bodies.get(saga)
    if body is None:
        raise RuntimeError(f"no saga named {saga!r} is defined in this process")
    await body(saga_id, *args)


@dataclass(frozen=True)
class SagaInfo:
    """What the engine knows about one saga run."""

    saga_id: str
    name: str
    status: str  # PENDING, SUCCESS, ERROR, CANCELLED, ENQUEUED, ...
    error: str | None


class SagaEngine:
    """One process's durable-workflow engine."""

    def __init__(self, system_database_url: str, *, app_name: str, executor_id: str) -> None:
        self.url = system_database_url
        self.app_name = app_name
        self.executor_id = executor_id
        self._started = False

    def define(self, name: str, body: SagaBody) -> None:
        """Register a saga body `body(saga_id, *args)`; it must be defined before `start`, in
        every process that may recover it."""
        _bodies[name] = body

    async def start(self) -> None:
        """Open the system database (creating it), then recover sagas left unfinished."""
        global _home_loop, _running
        if _running is not None:
            raise SagaEngineBusy("a saga engine is already running in this process")
        _running = self
        _home_loop = asyncio.get_running_loop()
        config: DBOSConfig = {
            "name": self.app_name,
            "system_database_url": self.url,
            "application_version": SAGA_VERSION,
            "executor_id": self.executor_id,
            "log_level": "WARNING",
            # The machine's PostgreSQL is shared: a handful of connections is plenty for sagas.
            "sys_db_pool_size": 4,
            # How often DBOS's listener looks for messages to a waiting saga (a restore) and
            # for its stop signal: 0.2 s answers a restore quickly and stops in 0.2 s, not 1 s.
            "notification_listener_polling_interval_sec": 0.2,
        }
        try:
            await asyncio.to_thread(self._launch, config)
        except BaseException:
            _running = None
            raise
        self._started = True
        log.info("saga_engine_started", executor=self.executor_id)

    @staticmethod
    def _launch(config: DBOSConfig) -> None:
        DBOS(config=config)
        DBOS.launch()

    async def stop(self) -> None:
        global _running, _home_loop
        if not self._started:
            return
        self._started = False
        await asyncio.to_thread(DBOS.destroy)
        # DBOS made its executor the loop's default one (asyncio.to_thread runs there) and has
        # just shut it down: give the loop a working one back for whatever runs after.
        asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor())
        _running = None
        _home_loop = None

    async def begin(self, saga: str, saga_id: str, *args: Any) -> None:
        """Start saga `saga` under `saga_id`; starting an id that exists already does nothing."""
        if saga not in _bodies:
            raise ValueError(f"unknown saga {saga!r}")
        with SetWorkflowID(saga_id):
            await DBOS.start_workflow_async(_saga, saga, saga_id, list(args))

    async def notify(self, saga_id: str, topic: str, message: str, *, key: str) -> None:
        """Deliver `message` on `topic` to a running saga, once per `key`."""
        await DBOS.send_async(saga_id, message, topic, idempotency_key=key)

    async def cancel(self, saga_ids: list[str]) -> None:
        """Stop these sagas for good: none is recovered again, and a run in flight ends at its
        next step. A finished (or unknown) saga is left as it is. The step in flight, if any,
        still runs to its end: a saga that can be cancelled checks its own state around its
        effects."""
        if saga_ids:
            await DBOS.cancel_workflows_async(saga_ids)

    async def get_info(self, saga_id: str) -> SagaInfo | None:
        found = await DBOS.list_workflows_async(workflow_ids=[saga_id])
        if not found:
            return None
        status = found[0]
        error = None if status.error is None else str(status.error)
        return SagaInfo(saga_id=saga_id, name=str(status.name), status=status.status, error=error)


async def _at_home(make: Callable[[], Awaitable[R]]) -> R:
    """Run a coroutine on the engine's home loop, whichever loop DBOS is running this saga on."""
    home = _home_loop
    if home is None or home is asyncio.get_running_loop():
        return await make()

    async def run() -> R:
        return await make()

    return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(run(), home))


async def step(
    name: str,
    action: Callable[[], Awaitable[R]],
    *,
    attempts: int = 8,
    interval_seconds: float = 0.5,
    backoff_rate: float = 2.0,
) -> R:
    """Run `action` once for this saga (its result checkpointed), retrying with backoff.

    `action` must be idempotent: a coordinator killed after the effect and before the checkpoint
    runs it again on recovery. Its result must be JSON-serialisable.
    """

    async def run() -> R:
        return await _at_home(action)

    result: R = await DBOS.run_step_async(
        {
            "name": name,
            "retries_allowed": attempts > 1,
            "max_attempts": attempts,
            "interval_seconds": interval_seconds,
            "backoff_rate": backoff_rate,
        },
        run,
    )
    return result


async def wait_message(topic: str, timeout_seconds: float) -> str | None:
    """Wait durably for a message on `topic`: the deadline survives restarts. None on timeout."""
    message = await DBOS.recv_async(topic, timeout_seconds=timeout_seconds)
    return None if message is None else str(message)


async def sleep(seconds: float) -> None:
    """A durable sleep: a restarted coordinator sleeps only what was left."""
    await DBOS.sleep_async(seconds)
