"""What a lean read may take is read from its endpoint's signature (decision 0039): an endpoint
whose inputs it cannot validate as FastAPI does is refused when the app is built."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from fastapi import APIRouter, FastAPI, Header, Query
from starlette.responses import Response
from starlette.routing import Match

from agora.platform.deps import AdminUser, CurrentUser, OptionalUser, PageLimit
from agora.platform.http import LeanArgs, LeanRead, LeanReadRoute, install_lean_reads
from agora.platform.ids import IdPath

router = APIRouter()


@router.get("/plain/{thing_id}")
async def plain(thing_id: IdPath, me: OptionalUser, limit: PageLimit = 50) -> None: ...


@router.get("/mine")
async def mine(
    me: CurrentUser, before: Annotated[int | None, Query(ge=1, le=9)] = None
) -> None: ...


@router.get("/admin")
async def admin(me: AdminUser) -> None: ...


@router.get("/text")
async def text(q: str | None = None) -> None: ...


@router.get("/unbounded")
async def unbounded(n: int = 1) -> None: ...


@router.get("/header")
async def header(x_thing: Annotated[str | None, Header()] = None) -> None: ...


@router.get("/required")
async def required(n: Annotated[int, Query(ge=1, le=5)]) -> None: ...


@router.post("/written")
async def written() -> None: ...


async def _answer(app: FastAPI, db: Any, args: LeanArgs) -> Response:
    return Response()


def _lean_routes(*endpoints: Any) -> list[LeanReadRoute]:
    app = FastAPI()
    install_lean_reads(app, [router], [LeanRead(endpoint, _answer) for endpoint in endpoints])
    return [route for route in app.router.routes if isinstance(route, LeanReadRoute)]


def test_the_query_bounds_and_the_token_come_from_the_endpoint() -> None:
    first, second = _lean_routes(plain, mine)
    assert first.route.endpoint is plain
    assert second.route.endpoint is mine
    assert (first._auth, second._auth) == ("optional", "required")
    assert {name: (q.ge, q.le, q.default) for name, q in first._query.read.items()} == {
        "limit": (1, 200, 50)
    }
    assert {name: (q.ge, q.le, q.default) for name, q in second._query.read.items()} == {
        "before": (1, 9, None)
    }


def test_an_optional_parameter_it_cannot_validate_is_taken_at_its_default() -> None:
    """A text or an integer without bounds is not read: a request that gives it goes to FastAPI,
    one that does not is answered with the endpoint's default."""
    for endpoint, name, default in ((text, "q", None), (unbounded, "n", 1)):
        (route,) = _lean_routes(endpoint)
        assert route._query.read == {}
        assert route._query.absent == {name: default}
        path = route.path
        assert route.matches(_scope(path, b""))[0] is Match.FULL
        assert route.matches(_scope(path, f"{name}=1".encode()))[0] is Match.NONE
        args = route.matches(_scope(path, b""))[1]["agora.lean_args"]
        assert args.query == {name: default}


def _scope(path: str, query: bytes) -> dict[str, Any]:
    return {"type": "http", "method": "GET", "path": path, "query_string": query, "headers": []}


@pytest.mark.parametrize("endpoint", [admin, header, required, written])
def test_an_endpoint_whose_inputs_a_lean_read_cannot_take_is_refused(endpoint: Any) -> None:
    with pytest.raises(RuntimeError, match="lean read"):
        _lean_routes(endpoint)
