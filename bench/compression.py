"""What does gzip of the API's JSON cost? `GET /api/books` (the ballot: 30 books, the size of a
busy month's list) through the embedded gateway, asked with and without `Accept-Encoding: gzip`,
anonymous (answered by the gateway's response cache, so compression is most of the work) and with a
token (answered by the voting service). Prints bytes on the wire and CPU per request for each, and
what zlib alone takes per body at levels 1, 6 and 9.

In one process on SQLite in a temporary directory (no servers); requests go through the ASGI
transport, and their bodies are read raw (the client does not decompress them, so the CPU figures
are the server's work plus the same client overhead in both columns).

    .venv/bin/python bench/compression.py [--requests 1000] [--books 30] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import random
import statistics
import tempfile
import time
import zlib
from pathlib import Path

import httpx

from agora.entrypoints.embedded import Platform
from agora.platform.config import Settings
from agora.platform.logging import configure_logging

PASSWORD = "correct horse battery staple"
WORDS = [
    "river",
    "night",
    "house",
    "winter",
    "garden",
    "letter",
    "silence",
    "city",
    "stranger",
    "mother",
    "war",
    "summer",
    "island",
    "promise",
    "glass",
    "shadow",
    "orchard",
    "lighthouse",
    "archive",
    "harbor",
    "marriage",
    "fire",
    "paper",
    "ghost",
    "kingdom",
    "the",
    "of",
    "and",
    "a",
    "in",
    "on",
    "under",
    "after",
    "before",
    "between",
    "without",
    "beyond",
]


def _words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count)).capitalize()


async def _raw_get(http: httpx.AsyncClient, path: str, headers: dict[str, str]) -> bytes:
    request = http.build_request("GET", path, headers=headers)
    if "Accept-Encoding" not in headers:
        del request.headers["Accept-Encoding"]
    response = await http.send(request, stream=True)
    body = b"".join([chunk async for chunk in response.aiter_raw()])
    await response.aclose()
    assert response.status_code == 200, response.status_code
    return body


async def _measure(
    http: httpx.AsyncClient, headers: dict[str, str], requests: int
) -> tuple[int, float]:
    """Bytes of one answer, and CPU microseconds per request (process time over `requests`)."""
    body = b""
    for _ in range(50):  # warm up
        body = await _raw_get(http, "/api/books", headers)
    started = time.process_time()
    for _ in range(requests):
        await _raw_get(http, "/api/books", headers)
    return len(body), (time.process_time() - started) / requests * 1e6


async def main(requests: int, books: int, rounds: int) -> None:
    configure_logging("WARNING", json=True)
    rng = random.Random(18)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            data_dir=Path(tmp),
            services=["users", "voting"],
            demo_content=False,
            sports_feed=False,
            write_rate_per_minute=1_000_000,
            argon2_time_cost=1,
            argon2_memory_kib=1024,
            argon2_parallelism=1,
        )
        platform = Platform(settings)
        await platform.start()
        transport = httpx.ASGITransport(app=platform.app)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
                await http.post(
                    "/api/users/register", json={"username": "admin", "password": PASSWORD}
                )
                login = await http.post(
                    "/api/users/login", json={"username": "admin", "password": PASSWORD}
                )
                auth = {"Authorization": f"Bearer {login.json()['token']}"}
                for number in range(books):
                    # Varied text, so the figures are not those of a body that repeats itself.
                    book = {
                        "title": f"{_words(rng, 4)} {number}",
                        "author": f"{_words(rng, 1)} {_words(rng, 1)}",
                        "description": _words(rng, 18) + ".",
                    }
                    added = await http.post("/api/books", json=book, headers=auth)
                    assert added.status_code == 201, added.text
                gz = {"Accept-Encoding": "gzip"}
                cases = [
                    (who, name, {**base, **extra})
                    for who, base in (("anonymous (cache hit)", {}), ("with a token", auth))
                    for name, extra in (("identity", {}), ("gzip", gz))
                ]
                # In turns, best of `rounds` per case: the machine's other load comes and goes.
                best: dict[tuple[str, str], tuple[int, float]] = {}
                for _ in range(rounds):
                    for who, name, headers in cases:
                        size, cpu = await _measure(http, headers, requests)
                        if (who, name) not in best or cpu < best[who, name][1]:
                            best[who, name] = (size, cpu)
                print(f"GET /api/books, {books} books, {requests} requests, best of {rounds}")
                print(f"{'who':<22}{'encoding':<10}{'bytes':>8}{'cpu us/req':>12}")
                for who, name, _headers in cases:
                    size, cpu = best[who, name]
                    print(f"{who:<22}{name:<10}{size:>8}{cpu:>12.1f}")
                body = await _raw_get(http, "/api/books", {})
        finally:
            await platform.stop()
    print(f"\nzlib alone on that body ({len(body)} bytes), median of 200:")
    for level in (1, 6, 9):
        times = []
        for _ in range(200):
            started = time.perf_counter()
            zlib.compress(body, level)
            times.append(time.perf_counter() - started)
        size = len(gzip.compress(body, level))
        print(f"  level {level}: {size:>6} bytes, {statistics.median(times) * 1e6:7.1f} us")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--books", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.requests, args.books, args.rounds))
