"""`agora warehouse refresh` as an operator runs it, and a run killed mid-load: SIGKILL inside the
run's transaction leaves the warehouse as it was, and the next run completes."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from asyncio.subprocess import DEVNULL, PIPE
from pathlib import Path
from typing import Any

import httpx

from agora.platform.olap import OlapStore
from agora.services.warehouse.models import SOURCES
from tests.services.warehouse.support import Warehouse, read_source, read_warehouse

ROOT = Path(__file__).resolve().parents[3]


def _environment(warehouse: Warehouse, file: Path) -> dict[str, str]:
    settings = warehouse.platform.settings
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "AGORA_DATA_DIR": str(settings.data_dir),
        "AGORA_DATABASE_URLS": json.dumps(settings.database_urls),
        "AGORA_SERVICES": json.dumps(settings.services),
        "AGORA_WAREHOUSE_FILE": str(file),
    }


async def _run(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    child = await asyncio.create_subprocess_exec(
        sys.executable, *args, env=env, stdout=PIPE, stderr=PIPE
    )
    out, err = await asyncio.wait_for(child.communicate(), 120)
    assert child.returncode is not None
    return child.returncode, out.decode(), err.decode()


async def _cli_refresh(env: dict[str, str]) -> dict[str, Any]:
    code, out, err = await _run(env, "-m", "agora.entrypoints", "warehouse", "refresh")
    assert code == 0, err
    stats: dict[str, Any] = json.loads(out)
    return stats


async def _contents(file: Path) -> dict[str, Any]:
    store = OlapStore(file)
    try:
        tables = {s.target: await read_warehouse(store, s) for s in SOURCES}
        tables["etl_run"] = await store.read("SELECT run_id, ok FROM etl_run ORDER BY run_id")
        tables["etl_watermark"] = await store.read("SELECT * FROM etl_watermark ORDER BY ALL")
        return tables
    finally:
        await store.close()


async def test_a_run_killed_mid_load_leaves_the_warehouse_as_it_was(
    warehouse: Warehouse, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    file = tmp_path / "operator.duckdb"
    env = _environment(warehouse, file)
    first = await _cli_refresh(env)
    assert first["tables"]["dim_user"]["inserted"] == 6
    before = await _contents(file)

    mira = await warehouse.token("mira")
    posted = await client.post("/api/tweets", json={"content": "After the cut"}, headers=mira)
    assert posted.status_code == 201

    marker = tmp_path / "loaded"
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.services.warehouse.interrupted_refresh",
        str(marker),
        env=env,
        stdout=DEVNULL,
        stderr=DEVNULL,
    )
    try:
        for _ in range(1200):  # a minute at most
            if marker.exists() or child.returncode is not None:
                break
            await asyncio.sleep(0.05)
        assert marker.exists(), "the child never reached the end of its load"
        child.send_signal(signal.SIGKILL)
    finally:
        if child.returncode is None:
            child.kill()
        await asyncio.wait_for(child.wait(), 10)
    assert child.returncode == -signal.SIGKILL

    assert await _contents(file) == before  # not the new post, not a run, not a watermark
    after = await _cli_refresh(env)
    assert after["tables"]["fact_post"]["inserted"] == 1
    store = OlapStore(file)
    try:
        for source in SOURCES:
            expected = await read_source(warehouse.source_db(source.service), source)
            assert await read_warehouse(store, source) == expected, source.target
        runs = await store.read("SELECT ok FROM etl_run ORDER BY run_id")
        assert runs == [(True,), (True,)]
    finally:
        await store.close()


async def test_the_command_says_so_when_the_platform_holds_the_file(
    warehouse: Warehouse,
) -> None:
    await warehouse.refresh()  # the platform opens its file
    env = _environment(warehouse, warehouse.store.path)
    code, _, err = await _run(env, "-m", "agora.entrypoints", "warehouse", "refresh")
    assert code == 1
    assert "POST /api/analytics/refresh" in err
    assert "Traceback" not in err
