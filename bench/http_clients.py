"""Which HTTP client should the gateway proxy with? The same keep-alive GET load through httpx and
aiohttp against one local upstream, in one invocation; prints req/s, p50/p99 and the ratio.

    .venv/bin/python bench/http_clients.py [--requests 4000] [--concurrency 32]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable

import aiohttp
import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


async def _status(request: Request) -> JSONResponse:
    return JSONResponse({"service": "upstream", "status": "running", "items": list(range(20))})


async def _serve() -> tuple[uvicorn.Server, asyncio.Task[None], int]:
    app = Starlette(routes=[Route("/status", _status)])
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None, access_log=False)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()  # the server failed to start: raise its error
        await asyncio.sleep(0.01)
    return server, task, server.servers[0].sockets[0].getsockname()[1]


async def _load(
    call: Callable[[], Awaitable[None]], requests: int, concurrency: int
) -> tuple[float, list[float]]:
    latencies: list[float] = []
    remaining = requests

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            started = time.perf_counter()
            await call()
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started, latencies


def _report(name: str, elapsed: float, latencies: list[float]) -> float:
    rate = len(latencies) / elapsed
    q = statistics.quantiles(latencies, n=100)
    print(f"{name:8} {rate:8.0f} req/s   p50 {q[49] * 1000:6.2f} ms   p99 {q[98] * 1000:6.2f} ms")
    return rate


async def main(requests: int, concurrency: int) -> None:
    server, task, port = await _serve()
    url = f"http://127.0.0.1:{port}/status"
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits) as hx:

        async def httpx_get() -> None:
            response = await hx.get(url)
            response.read()

        await _load(httpx_get, 200, concurrency)  # warm up the pool
        hx_rate = _report("httpx", *await _load(httpx_get, requests, concurrency))
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def aiohttp_get() -> None:
            async with session.get(url) as response:
                await response.read()

        await _load(aiohttp_get, 200, concurrency)
        aio_rate = _report("aiohttp", *await _load(aiohttp_get, requests, concurrency))
    print(f"aiohttp / httpx throughput: {aio_rate / hx_rate:.2f}x")
    server.should_exit = True
    await task


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    asyncio.run(main(args.requests, args.concurrency))
