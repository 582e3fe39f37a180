"""`AccountData` across processes: the internal endpoint answers only a system token, and the
coordinator's client turns a service that is down into `ServiceUnavailable` (which a saga step
waits out) and a refusal into `BadRequest` (which fails the step)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from agora.contracts.accounts import AccountAction, AccountDataExport, AccountDataOutcome
from agora.platform.auth.keys import ensure_keypair, load_private_key, load_public_key
from agora.platform.auth.principal import SYSTEM, Principal
from agora.platform.auth.tokens import TokenIssuer, TokenVerifier
from agora.platform.clock import ManualClock
from agora.platform.errors import BadRequest, ServiceUnavailable, install_error_handlers
from agora.platform.ids import MAX_ID
from agora.platform.sagas.remote import RemoteAccountData, mount_account_data


class Recorder:
    """A participant that records what it was asked."""

    service = "books"

    def __init__(self) -> None:
        self.calls: list[tuple[str, int, str]] = []

    async def _act(self, action: AccountAction, user_id: int, saga_id: str) -> AccountDataOutcome:
        self.calls.append((action.value, user_id, saga_id))
        return AccountDataOutcome(service=self.service, action=action, rows=3)

    async def hide(self, user_id: int, saga_id: str) -> AccountDataOutcome:
        return await self._act(AccountAction.HIDE, user_id, saga_id)

    async def restore(self, user_id: int, saga_id: str) -> AccountDataOutcome:
        return await self._act(AccountAction.RESTORE, user_id, saga_id)

    async def erase(self, user_id: int, saga_id: str) -> AccountDataOutcome:
        return await self._act(AccountAction.ERASE, user_id, saga_id)

    async def export(self, user_id: int) -> AccountDataExport:
        return AccountDataExport(service=self.service, files={"books": [{"user_id": user_id}]})


@pytest.fixture
def keys(tmp_path: Path) -> tuple[TokenIssuer, TokenVerifier]:
    private, public = ensure_keypair(tmp_path)
    clock = ManualClock()
    issuer = TokenIssuer(load_private_key(private), issuer="i", audience="a", clock=clock)
    verifier = TokenVerifier(load_public_key(public), issuer="i", audience="a", clock=clock)
    return issuer, verifier


def client_for(app: FastAPI, token: str, targets: list[str] | None = None) -> RemoteAccountData:
    return RemoteAccountData(
        "books",
        lambda: ["http://books.test"] if targets is None else targets,
        lambda: token,
        transport=httpx.ASGITransport(app=app),
    )


@pytest.fixture
def served(keys: tuple[TokenIssuer, TokenVerifier]) -> tuple[FastAPI, Recorder]:
    app = FastAPI()
    install_error_handlers(app)
    recorder = Recorder()
    mount_account_data(app, recorder, keys[1])
    return app, recorder


async def test_a_system_token_reaches_the_participant(
    keys: tuple[TokenIssuer, TokenVerifier], served: tuple[FastAPI, Recorder]
) -> None:
    app, recorder = served
    token = keys[0].issue_access(Principal(MAX_ID, "agora", SYSTEM)).token
    remote = client_for(app, token)
    try:
        outcome = await remote.hide(7, "deletion-1")
        assert outcome.rows == 3
        assert (await remote.erase(7, "deletion-1")).action is AccountAction.ERASE
        assert (await remote.export(7)).files == {"books": [{"user_id": 7}]}
    finally:
        await remote.close()
    assert recorder.calls == [("hide", 7, "deletion-1"), ("erase", 7, "deletion-1")]


async def test_a_members_token_is_refused(
    keys: tuple[TokenIssuer, TokenVerifier], served: tuple[FastAPI, Recorder]
) -> None:
    app, recorder = served
    member = keys[0].issue_access(Principal(7, "mallory", "member")).token
    remote = client_for(app, member)
    try:
        with pytest.raises(BadRequest):
            await remote.erase(8, "deletion-1")
    finally:
        await remote.close()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        anonymous = await c.post(
            "/internal/account-data/erase", json={"user_id": 8, "saga_id": "deletion-1"}
        )
    assert anonymous.status_code == 401
    assert recorder.calls == []


async def test_a_service_down_is_unavailable_not_refused(
    keys: tuple[TokenIssuer, TokenVerifier], served: tuple[FastAPI, Recorder]
) -> None:
    app, _ = served
    token = keys[0].issue_access(Principal(MAX_ID, "agora", SYSTEM)).token
    nobody = client_for(app, token, targets=[])
    unreachable = RemoteAccountData(
        "books", lambda: ["http://127.0.0.1:9"], lambda: token, timeout=2.0
    )
    try:
        with pytest.raises(ServiceUnavailable):
            await nobody.hide(7, "deletion-1")
        with pytest.raises(ServiceUnavailable):
            await unreachable.hide(7, "deletion-1")
    finally:
        await nobody.close()
        await unreachable.close()
