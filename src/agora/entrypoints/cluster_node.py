"""What a service process adds in the cluster topology: it registers with discovery, the users
service serves the `UserDirectory` over gRPC, and the other services reach it through discovery."""

from __future__ import annotations

import contextlib

import grpc
import structlog

from agora.contracts.users import UserDirectory
from agora.platform.config import Settings
from agora.platform.discovery import Registration, ServiceWatcher, make_discovery
from agora.platform.rpc.users import GrpcUserDirectory, serve_user_directory

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

    def __init__(self, settings: Settings, service: str) -> None:
        if not settings.uses_discovery:
            raise ValueError("a cluster node needs AGORA_DISCOVERY_URL or AGORA_DISCOVERY=dns")
        self.settings = settings
        self.service = service
        self.client = make_discovery(settings)
        self.watcher = ServiceWatcher(self.client, ["users"], interval=1.0)
        self.remote_directory = GrpcUserDirectory(lambda: grpc_targets(self.watcher))
        self._grpc: grpc.aio.Server | None = None
        self.registration: Registration | None = None

    def directory(self) -> UserDirectory | None:
        """The directory other services use; the users service uses its own database instead."""
        return None if self.service == "users" else self.remote_directory

    async def start(self, local_directory: UserDirectory | None) -> None:
        metadata: dict[str, object] = {}
        if self.service == "users" and local_directory is not None:
            self._grpc, port = await serve_user_directory(
                local_directory, self.settings.host, self.settings.grpc_port or 0
            )
            metadata["grpc_port"] = port
            log.info("user_directory_grpc_serving", port=port)
        else:
            await self.watcher.start()
        self.registration = Registration(
            self.client, self.service, self.settings.advertise_host, self.settings.port, metadata
        )
        await self.registration.start()

    async def stop(self) -> None:
        if self.registration is not None:
            await self.registration.stop()
        await self.watcher.stop()
        await self.remote_directory.close()
        if self._grpc is not None:
            with contextlib.suppress(Exception):
                await self._grpc.stop(grace=2)
        await self.client.close()
