"""The web UI's files through the gateway: the SPA at `/`, content types browsers accept for
modules, revalidation instead of stale copies, and the contract's errors for what is not there."""

from __future__ import annotations

import re

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from agora.entrypoints.embedded import Platform
from agora.webui import STATIC_DIR
from tests.support.live import live_server, ws_connect


@pytest.fixture
def db_backend() -> str:
    """Serving files does not depend on the database backend."""
    return "sqlite"


async def test_home_is_the_app_shell_with_a_content_security_policy(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["x-content-type-options"] == "nosniff"
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "connect-src 'self' ws: wss:" in policy
    # The built shell: the layout and its CSS in the page itself, then the one bundle.
    assert re.search(r'<script type="module" src="/dist/app-[0-9a-f]{12}\.js">', response.text)
    assert "<style>" in response.text
    assert 'aria-label="Sections"' in response.text


async def test_the_sources_still_run_unbundled_at_index_html(client: httpx.AsyncClient) -> None:
    response = await client.get("/index.html")
    assert response.status_code == 200
    assert '<script type="module" src="/js/main.js">' in response.text


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/js/main.js", "text/javascript; charset=utf-8"),
        ("/vendor/htm-preact-standalone.module.js", "text/javascript; charset=utf-8"),
        ("/css/app.css", "text/css; charset=utf-8"),
        ("/img/logo.svg", "image/svg+xml"),
    ],
)
async def test_files_have_the_content_type_browsers_need(
    client: httpx.AsyncClient, path: str, content_type: str
) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    assert response.headers["cache-control"] == "no-cache"


async def test_an_unchanged_file_is_revalidated_with_a_304(client: httpx.AsyncClient) -> None:
    first = await client.get("/js/main.js")
    again = await client.get("/js/main.js", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""


async def test_every_module_the_app_imports_is_served(client: httpx.AsyncClient) -> None:
    """Follow the import graph from main.js: a missing or misnamed module breaks the whole app."""
    seen: set[str] = set()
    pending = ["/js/main.js"]
    while pending:
        path = pending.pop()
        if path in seen:
            continue
        seen.add(path)
        response = await client.get(path)
        assert response.status_code == 200, path
        base = path.rsplit("/", 1)[0]
        for target in re.findall(r"""from\s+['"](\.{1,2}/[^'"]+)['"]""", response.text):
            parts = [*base.split("/"), *target.split("/")]
            resolved: list[str] = []
            for part in parts:
                if part == "..":
                    resolved.pop()
                elif part not in (".", ""):
                    resolved.append(part)
            pending.append("/" + "/".join(resolved))
    assert len(seen) > 20
    sources = [p for p in STATIC_DIR.rglob("*.js") if p.parent.name != "dist"]
    on_disk = {f"/{p.relative_to(STATIC_DIR).as_posix()}" for p in sources}
    assert on_disk == seen, "every module on disk is reachable, and nothing else"


async def test_a_missing_file_is_a_contract_404_not_a_page(client: httpx.AsyncClient) -> None:
    response = await client.get("/js/nothing.js")
    assert response.status_code == 404
    assert response.json()["status"] == "error"
    assert response.json()["error"]["code"] == "not_found"
    traversal = await client.get("/..%2f..%2fpyproject.toml")
    assert traversal.status_code == 404


async def test_writes_to_the_ui_are_refused(client: httpx.AsyncClient) -> None:
    response = await client.post("/index.html", content=b"x")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"


async def test_the_gateway_keeps_its_own_pages_beside_the_ui(client: httpx.AsyncClient) -> None:
    assert (await client.get("/docs")).status_code == 200
    assert (await client.get("/openapi.json")).status_code == 200
    assert (await client.get("/status")).json()["service"] == "gateway"
    assert (await client.get("/metrics")).status_code == 200
    # Paths under /api never fall through to the UI's files.
    assert (await client.get("/api/users/profile/999")).json()["error"]["code"] == "user_not_found"


async def test_a_websocket_to_a_ui_path_is_closed_as_not_found(platform: Platform) -> None:
    async with live_server(platform.app) as hostport:
        with pytest.raises(ConnectionClosed) as closed:
            async with ws_connect(f"ws://{hostport}/nothing") as socket:
                await socket.receive()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4404
