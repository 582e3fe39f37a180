"""Every live socket whose path or query names something (a room, a poll, a thread, a competition,
a game) closes with 4404 and a reason when it names nothing, and with 4400 when the id is
malformed, through the embedded gateway (issue 18). The cluster gateway's case is in
tests/cluster/test_gateway_platform.py."""

from __future__ import annotations

import pytest
from websockets.exceptions import ConnectionClosed

from agora.entrypoints.embedded import Platform
from tests.support.api import Api
from tests.support.live import live_server, ws_connect

# The kind of socket, and its path with `{id}` where the id goes (`{token}`: a member's token).
SOCKETS = {
    "chat room": "/api/forums/connect?roomId={id}&token={token}",
    "votes": "/api/vote/live?poll_id={id}",
    "thread": "/api/discussions/{id}/live",
    "competition": "/api/competitions/{id}/live",
    "game": "/api/sports/games/{id}/live",
}
UNKNOWN = "987654"
MALFORMED = ("abc", "0", "-3")


@pytest.fixture
def db_backend() -> str:
    """What is checked is the socket's refusal, the same on either database."""
    return "sqlite"


@pytest.fixture
def platform_services() -> tuple[str, ...]:
    return ("users", "voting", "discussions", "competitions", "sports")


async def close_of(url: str) -> tuple[int, str]:
    async with ws_connect(url) as socket:
        with pytest.raises(ConnectionClosed) as closed:
            await socket.receive()
    assert closed.value.rcvd is not None, url
    return closed.value.rcvd.code, closed.value.rcvd.reason


@pytest.mark.parametrize("kind", sorted(SOCKETS))
async def test_a_socket_naming_nothing_closes_with_4404_and_a_malformed_id_with_4400(
    kind: str, api: Api, platform: Platform
) -> None:
    member = await api.register("member")
    template = SOCKETS[kind]
    async with live_server(platform.app) as hostport:
        code, reason = await close_of(
            f"ws://{hostport}" + template.format(id=UNKNOWN, token=member.token)
        )
        assert code == 4404, (kind, reason)
        assert UNKNOWN in reason, reason
        for malformed in MALFORMED:
            url = f"ws://{hostport}" + template.format(id=malformed, token=member.token)
            code, reason = await close_of(url)
            assert code == 4400, (kind, malformed, reason)
            assert reason, (kind, malformed)
