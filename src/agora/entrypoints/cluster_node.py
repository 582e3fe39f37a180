"""What a service process adds in the cluster topology: it registers with discovery, the users
service serves the `UserDirectory` over gRPC, and the other services reach it through discovery;
the users service reaches every other service's `AccountData` (the account sagas) over their
internal HTTP endpoints, with a system token it signs."""

from __future__ import annotations

import contextlib
import os
from datetime import UTC, datetime, timedelta

import grpc
import structlog

from agora.contracts.accounts import ACCOUNT_DATA_SERVICES, AccountData
from agora.contracts.users import UserDirectory
from agora.platform.auth.principal import SYSTEM, Principal
from agora.platform.auth.tokens import IssuedToken, TokenIssuer
from agora.platform.config import Settings
from agora.platform.discovery import Registration, ServiceWatcher, make_discovery
from agora.platform.ids import MAX_ID
from agora.platform.rpc.users import GrpcUserDirectory, serve_user_directory
from agora.platform.sagas.remote import RemoteAccountData

log = structlog.get_logger("agora.cluster.node")


def grpc_targets(watcher: ServiceWatcher) -> list[str]:
    """The gRPC addresses of the users service's live instances."""
    return [
        f"{i.host}:{i.metadata['grpc_port']}"
        for i in watcher.get("users")
        if isinstance(i.metadata.get("grpc_port"), int)
    ]


class ClusterNode:
    """Discovery registration, and the UserDirectory's gRPC side, for one service process."""

    def __init__(self, settings: Settings, service: str, *, shared_port: int | None = None) -> None:
        if not settings.uses_discovery:
            raise ValueError("a cluster node needs AGORA_DISCOVERY_URL or AGORA_DISCOVERY=dns")
        self.settings = settings
        self.service = service
        # A worker of a replica with several: the port its workers share (in its metadata; the
        # instance itself is this worker, at its own port).
        self.shared_port = shared_port
        self.client = make_discovery(settings)
        # The users service coordinates the account sagas: it watches every service that holds a
        # user's data; the others watch the users service for the directory.
        others = [n for n in ACCOUNT_DATA_SERVICES if n != "users" and n in settings.services]
        watched = others if service == "users" else ["users"]
        self.watcher = ServiceWatcher(self.client, watched, interval=1.0)
        self.remote_directory = GrpcUserDirectory(lambda: grpc_targets(self.watcher))
        self.issuer: TokenIssuer | None = None
        self._system_token: IssuedToken | None = None
        self._remote_account_data = (
            {name: self._account_data_client(name) for name in others} if service == "users" else {}
        )
        self._grpc: grpc.aio.Server | None = None
        self.registration: Registration | None = None

    def _account_data_client(self, name: str) -> RemoteAccountData:
        def targets() -> list[str]:
            return [i.base_url for i in self.watcher.get(name)]

        return RemoteAccountData(name, targets, self.system_token)

    def system_token(self) -> str:
        """A short-lived token of the platform itself, for the internal endpoints."""
        if self.issuer is None:
            raise RuntimeError("only the users process (which holds the key) signs system tokens")
        token = self._system_token
        now = datetime.now(UTC)
        if token is None or token.expires_at - now < timedelta(seconds=60):
            # The largest id: no account will ever have it, and ids are checked like any other.
            system = Principal(user_id=MAX_ID, username="agora", role=SYSTEM)
            token = self.issuer.issue_access(system)
            self._system_token = token
        return token.token

    def account_data(self) -> dict[str, AccountData]:
        """Every other service's `AccountData` over HTTP (the users process only)."""
        return dict(self._remote_account_data)

    def directory(self) -> UserDirectory | None:
        """The directory other services use; the users service uses its own database instead."""
        return None if self.service == "users" else self.remote_directory

    async def start(self, local_directory: UserDirectory | None) -> None:
        metadata: dict[str, object] = {}
        if self.shared_port is not None:
            metadata["replica_port"] = self.shared_port
            metadata["pid"] = os.getpid()
        await self.watcher.start()
        if self.service == "users" and local_directory is not None:
            self._grpc, port = await serve_user_directory(
                local_directory, self.settings.host, self.settings.grpc_port or 0
            )
            metadata["grpc_port"] = port
            log.info("user_directory_grpc_serving", port=port)
        self.registration = Registration(
            self.client, self.service, self.settings.advertise_host, self.settings.port, metadata
        )
        await self.registration.start()

    async def stop(self) -> None:
        if self.registration is not None:
            await self.registration.stop()
        await self.watcher.stop()
        await self.remote_directory.close()
        for client in self._remote_account_data.values():
            await client.close()
        if self._grpc is not None:
            with contextlib.suppress(Exception):
                await self._grpc.stop(grace=2)
        await self.client.close()
