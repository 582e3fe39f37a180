"""`AccountData` across processes: each service serves its participant on an internal HTTP
endpoint (`POST /internal/account-data/{action}`, never routed by the gateway, callable only with a
system token the users service signs), and the coordinator calls it on an instance that discovery
reports.

A transport failure or a 5xx is a `ServiceUnavailable`, which the saga's step retries with backoff;
any other refusal is a `BadRequest` that retrying would not change.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Annotated

import httpx
from fastapi import APIRouter, FastAPI, Header

from agora.contracts.accounts import (
    AccountAction,
    AccountData,
    AccountDataExport,
    AccountDataOutcome,
    AccountDataRequest,
)
from agora.platform.auth.principal import SYSTEM
from agora.platform.auth.tokens import TokenVerifier
from agora.platform.errors import BadRequest, Forbidden, ServiceUnavailable, Unauthorized

INTERNAL_PREFIX = "/internal/account-data"


def mount_account_data(app: FastAPI, participant: AccountData, verifier: TokenVerifier) -> None:
    """Serve `participant` on the app's internal endpoints (left out of the public schema)."""
    router = APIRouter(prefix=INTERNAL_PREFIX, include_in_schema=False)

    def check_system(authorization: str | None) -> None:
        if authorization is None or not authorization.startswith("Bearer "):
            raise Unauthorized("A system token is required")
        principal = verifier.verify_access(authorization.removeprefix("Bearer "))
        if principal.role != SYSTEM:
            raise Forbidden("Only the platform may call this", code="not_system")

    @router.post("/{action}")
    async def apply(
        action: AccountAction,
        body: AccountDataRequest,
        authorization: Annotated[str | None, Header()] = None,
    ) -> AccountDataOutcome:
        check_system(authorization)
        if action is AccountAction.HIDE:
            return await participant.hide(body.user_id, body.saga_id)
        if action is AccountAction.RESTORE:
            return await participant.restore(body.user_id, body.saga_id)
        return await participant.erase(body.user_id, body.saga_id)

    @router.post("/export/{user_id}")
    async def export(
        user_id: int, authorization: Annotated[str | None, Header()] = None
    ) -> AccountDataExport:
        check_system(authorization)
        return await participant.export(user_id)

    app.include_router(router)


class RemoteAccountData:
    """One service's `AccountData` over HTTP, on whichever live instance answers."""

    def __init__(
        self,
        service: str,
        targets: Callable[[], list[str]],
        token: Callable[[], str],
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.service = service
        self._targets = targets
        self._token = token
        self._client = httpx.AsyncClient(transport=transport, timeout=timeout)
        self._turn = itertools.count()

    async def close(self) -> None:
        await self._client.aclose()

    async def _post(self, path: str, json: dict[str, object] | None) -> httpx.Response:
        targets = self._targets()
        if not targets:
            raise ServiceUnavailable(f"No {self.service} instance is up", code="service_down")
        start = next(self._turn)
        last: Exception | None = None
        for i in range(min(2, len(targets))):
            base = targets[(start + i) % len(targets)]
            try:
                response = await self._client.post(
                    f"{base}{INTERNAL_PREFIX}{path}",
                    json=json,
                    headers={"Authorization": f"Bearer {self._token()}"},
                )
            except httpx.HTTPError as exc:
                last = exc
                continue
            if response.status_code >= 500:
                last = RuntimeError(f"{response.status_code} from {base}")
                continue
            if response.status_code >= 400:
                raise BadRequest(
                    f"{self.service} refused the saga's call: {response.text[:200]}",
                    code="participant_refused",
                )
            return response
        raise ServiceUnavailable(
            f"{self.service} did not answer ({type(last).__name__})", code="service_down"
        )

    async def _act(self, action: AccountAction, user_id: int, saga_id: str) -> AccountDataOutcome:
        body = AccountDataRequest(user_id=user_id, saga_id=saga_id).model_dump()
        response = await self._post(f"/{action.value}", body)
        return AccountDataOutcome.model_validate_json(response.content)

    async def hide(self, user_id: int, saga_id: str) -> AccountDataOutcome:
        return await self._act(AccountAction.HIDE, user_id, saga_id)

    async def restore(self, user_id: int, saga_id: str) -> AccountDataOutcome:
        return await self._act(AccountAction.RESTORE, user_id, saga_id)

    async def erase(self, user_id: int, saga_id: str) -> AccountDataOutcome:
        return await self._act(AccountAction.ERASE, user_id, saga_id)

    async def export(self, user_id: int) -> AccountDataExport:
        response = await self._post(f"/export/{user_id}", None)
        return AccountDataExport.model_validate_json(response.content)
