"""The built web UI (decision 0026): committed, current with its sources, and served as browsers
cache best: fingerprinted files immutable, everything precompressed, the shell revalidated."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import httpx
import pytest

from agora.webui import STATIC_DIR

DIST = STATIC_DIR / "dist"


@pytest.fixture
def db_backend() -> str:
    """Serving files does not depend on the database backend."""
    return "sqlite"


def _manifest() -> dict[str, object]:
    data: dict[str, object] = json.loads((DIST / "manifest.json").read_text())
    return data


def test_the_committed_build_is_current_with_every_source() -> None:
    """Fails when a module, the CSS or index.html changed (or a module was added) after the last
    `make webui`: the browser would run the old code."""
    inputs = _manifest()["inputs"]
    assert isinstance(inputs, dict)
    stale = [
        name
        for name, digest in inputs.items()
        if not (STATIC_DIR / name).is_file()
        or hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest() != digest
    ]
    modules = {p.relative_to(STATIC_DIR).as_posix() for p in (STATIC_DIR / "js").rglob("*.js")}
    outside = sorted(modules - set(inputs))
    assert not stale, f"changed since the last build (run `make webui`): {stale}"
    assert not outside, f"modules the bundle lacks (import them, run `make webui`): {outside}"


def test_a_cold_load_is_small() -> None:
    """The shell and the bundle a first visit downloads, brotli-compressed: well under the 80 KB
    the whole cold load may take (API answers and the logo come on top)."""
    outputs = _manifest()["outputs"]
    assert isinstance(outputs, dict)
    assert sum(int(sizes["br"]) for sizes in outputs.values()) <= 60_000


async def test_built_files_are_precompressed_and_fingerprinted_ones_immutable(
    client: httpx.AsyncClient,
) -> None:
    script = str(_manifest()["script"])
    built = STATIC_DIR / script.lstrip("/")

    async def fetch(path: str, accept: str) -> tuple[httpx.Response, bytes]:
        async with client.stream("GET", path, headers={"Accept-Encoding": accept}) as response:
            body = b"".join([chunk async for chunk in response.aiter_raw()])
        return response, body

    for encoding, extension in (("br", ".br"), ("gzip", ".gz")):
        response, body = await fetch(script, encoding)
        assert response.status_code == 200
        assert response.headers["content-encoding"] == encoding
        assert response.headers["content-type"] == "text/javascript; charset=utf-8"
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert response.headers["vary"] == "Accept-Encoding"
        assert body == built.with_name(built.name + extension).read_bytes()
    assert gzip.decompress((await fetch(script, "gzip"))[1]) == built.read_bytes()
    plain, body = await fetch(script, "identity")
    assert "content-encoding" not in plain.headers
    assert body == built.read_bytes()
    home, body = await fetch("/", "gzip, deflate, br")
    assert home.headers["content-encoding"] == "br"
    assert home.headers["content-type"] == "text/html; charset=utf-8"
    assert home.headers["cache-control"] == "no-cache"
    assert body == (DIST / "index.html.br").read_bytes()


def test_the_shell_references_the_bundle_it_was_built_with() -> None:
    shell = (DIST / "index.html").read_text()
    script = str(_manifest()["script"])
    assert f'<script type="module" src="{script}">' in shell
    assert Path(STATIC_DIR / script.lstrip("/")).is_file()
