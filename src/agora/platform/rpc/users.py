"""`UserDirectory` over gRPC: a server that exposes any implementation (the users service's own),
and a client that implements the same interface against the users service's instances.

Every call has a deadline. A read that fails because an instance is unreachable is retried once on
another instance; a failure that remains is a `ServiceUnavailable`, so an endpoint that needed the
directory answers 503 in the contract's JSON.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable, Collection, Sequence
from typing import TypeVar

import grpc
import structlog

from agora.contracts.users import NotificationPreferences, UserDirectory, UserSummary
from agora.platform.errors import ServiceUnavailable
from agora.platform.rpc.generated import user_directory_pb2 as pb
from agora.platform.rpc.generated import user_directory_pb2_grpc as pb_grpc

log = structlog.get_logger("agora.rpc.users")

T = TypeVar("T")
_RETRYABLE = frozenset({grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED})


class UserDirectoryServicer(pb_grpc.UserDirectoryServicer):
    """Answers gRPC calls from a `UserDirectory`."""

    def __init__(self, directory: UserDirectory) -> None:
        self.directory = directory

    async def GetUsers(
        self,
        request: pb.UserIdsRequest,
        context: grpc.aio.ServicerContext[pb.UserIdsRequest, pb.UsersReply],
    ) -> pb.UsersReply:
        users = await self.directory.get_users(list(request.user_ids))
        return pb.UsersReply(
            users=[
                pb.User(user_id=u.user_id, username=u.username, role=u.role) for u in users.values()
            ]
        )

    async def GetUserByUsername(
        self,
        request: pb.UsernameRequest,
        context: grpc.aio.ServicerContext[pb.UsernameRequest, pb.UserReply],
    ) -> pb.UserReply:
        user = await self.directory.get_user_by_username(request.username)
        if user is None:
            return pb.UserReply(found=False)
        return pb.UserReply(
            found=True, user=pb.User(user_id=user.user_id, username=user.username, role=user.role)
        )

    async def GetFollowers(
        self,
        request: pb.UserIdRequest,
        context: grpc.aio.ServicerContext[pb.UserIdRequest, pb.UserIdsReply],
    ) -> pb.UserIdsReply:
        return pb.UserIdsReply(user_ids=await self.directory.get_followers(request.user_id))

    async def GetFollowings(
        self,
        request: pb.UserIdRequest,
        context: grpc.aio.ServicerContext[pb.UserIdRequest, pb.UserIdsReply],
    ) -> pb.UserIdsReply:
        return pb.UserIdsReply(user_ids=await self.directory.get_followings(request.user_id))

    async def GetNotificationPreferences(
        self,
        request: pb.UserIdsRequest,
        context: grpc.aio.ServicerContext[pb.UserIdsRequest, pb.PreferencesReply],
    ) -> pb.PreferencesReply:
        prefs = await self.directory.get_notification_preferences(list(request.user_ids))
        return pb.PreferencesReply(
            preferences=[
                pb.Preferences(user_id=user_id, enabled=p.enabled, types=list(p.types))
                for user_id, p in prefs.items()
            ]
        )


async def serve_user_directory(
    directory: UserDirectory, host: str, port: int
) -> tuple[grpc.aio.Server, int]:
    """Start a gRPC server for `directory`; returns it and the port it bound (0 picks a free
    one)."""
    server = grpc.aio.server()
    pb_grpc.add_UserDirectoryServicer_to_server(UserDirectoryServicer(directory), server)
    bound = server.add_insecure_port(f"{host}:{port}")
    await server.start()
    return server, bound


class GrpcUserDirectory:
    """A `UserDirectory` that asks the users service's instances over gRPC.

    `targets` returns the current `host:port` gRPC addresses (from discovery); channels are kept per
    address and reused.
    """

    def __init__(self, targets: Callable[[], Sequence[str]], *, deadline: float = 1.0) -> None:
        self._targets = targets
        self._deadline = deadline
        self._channels: dict[str, grpc.aio.Channel] = {}
        self._turn = itertools.count()

    def _stub(self, target: str) -> pb_grpc.UserDirectoryAsyncStub:
        channel = self._channels.get(target)
        if channel is None:
            channel = self._channels[target] = grpc.aio.insecure_channel(target)
        return pb_grpc.UserDirectoryStub(channel)

    async def _call(self, call: Callable[[pb_grpc.UserDirectoryAsyncStub], Awaitable[T]]) -> T:
        targets = list(self._targets())
        if not targets:
            raise ServiceUnavailable(
                "No users service instance is available", code="users_unavailable"
            )
        start = next(self._turn)
        last: grpc.aio.AioRpcError | None = None
        for attempt in range(min(2, len(targets))):
            target = targets[(start + attempt) % len(targets)]
            try:
                return await call(self._stub(target))
            except grpc.aio.AioRpcError as exc:
                last = exc
                log.warning("user_directory_call_failed", target=target, code=exc.code().name)
                if exc.code() not in _RETRYABLE:
                    break
        raise ServiceUnavailable(
            f"The users service did not answer ({last.code().name if last else 'no target'})",
            code="users_unavailable",
        )

    async def get_users(self, user_ids: Collection[int]) -> dict[int, UserSummary]:
        reply = await self._call(
            lambda s: s.GetUsers(pb.UserIdsRequest(user_ids=list(user_ids)), timeout=self._deadline)
        )
        return {
            u.user_id: UserSummary(user_id=u.user_id, username=u.username, role=u.role)
            for u in reply.users
        }

    async def get_user_by_username(self, username: str) -> UserSummary | None:
        reply = await self._call(
            lambda s: s.GetUserByUsername(
                pb.UsernameRequest(username=username), timeout=self._deadline
            )
        )
        if not reply.found:
            return None
        return UserSummary(
            user_id=reply.user.user_id, username=reply.user.username, role=reply.user.role
        )

    async def get_followers(self, user_id: int) -> list[int]:
        reply = await self._call(
            lambda s: s.GetFollowers(pb.UserIdRequest(user_id=user_id), timeout=self._deadline)
        )
        return list(reply.user_ids)

    async def get_followings(self, user_id: int) -> list[int]:
        reply = await self._call(
            lambda s: s.GetFollowings(pb.UserIdRequest(user_id=user_id), timeout=self._deadline)
        )
        return list(reply.user_ids)

    async def get_notification_preferences(
        self, user_ids: Collection[int]
    ) -> dict[int, NotificationPreferences]:
        reply = await self._call(
            lambda s: s.GetNotificationPreferences(
                pb.UserIdsRequest(user_ids=list(user_ids)), timeout=self._deadline
            )
        )
        return {
            p.user_id: NotificationPreferences(enabled=p.enabled, types=list(p.types))
            for p in reply.preferences
        }

    async def close(self) -> None:
        for channel in self._channels.values():
            await channel.close(None)
        self._channels.clear()
