"""A real HA cluster for tests: 3 etcd, 3 Patroni/PostgreSQL 15 members, HAProxy and Redis under
Sentinel from Debian's packages, then discovery, service replicas and a gateway on top, in a work
dir of its own under /tmp (the postgres user must reach it) and on ports from 57000 up. Nothing
touches the system PostgreSQL or Redis.

Without the engines the tests skip with the command that installs them, unless
`AGORA_REQUIRE_HA=1` (CI) turns the skip into a failure."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

from agora.entrypoints.cluster import free_port
from agora.entrypoints.ha.engines import INSTALL_HINT, missing_engines
from agora.entrypoints.ha.launcher import HALauncher
from agora.platform.config import Settings, Topology
from tests.support import requirements
from tests.support.cluster import FAST

REQUIRE_VARIABLE = "AGORA_REQUIRE_HA"


def require_engines() -> None:
    """Skip (or fail, in CI) when Patroni, etcd, HAProxy or PostgreSQL 15 are missing."""
    missing = missing_engines()
    if not missing:
        return
    requirements.missing(
        f"the HA engines are not installed ({', '.join(missing)}); run: {INSTALL_HINT}",
        require_variable=REQUIRE_VARIABLE,
    )


def require_haproxy() -> None:
    """Skip (or fail, in CI) when Debian's haproxy, which `agora edge` runs, is missing."""
    from agora.entrypoints.edge import INSTALL_HINT as EDGE_HINT
    from agora.entrypoints.edge import haproxy_binary

    if haproxy_binary() is None:
        requirements.missing(
            f"haproxy is not installed; {EDGE_HINT}", require_variable=REQUIRE_VARIABLE
        )


def data_dir_of(launcher: HALauncher) -> Path:
    """The `--data-dir` that `agora cluster status|switchover` take for this cluster."""
    return launcher.plan.workdir.parent


def agora_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the `agora` command as an operator would."""
    return subprocess.run(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "agora.entrypoints", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@contextlib.contextmanager
def running_ha_cluster(
    services: Sequence[str],
    *,
    base_port: int,
    replicas: int = 1,
    env: dict[str, str] | None = None,
) -> Iterator[HALauncher]:
    require_engines()
    run = uuid.uuid4().hex[:8]
    prefix = f"agora-test-{run}:"
    root = Path(tempfile.mkdtemp(prefix="agora-ha-"))
    root.chmod(0o755)
    extra = {**FAST, **(env or {}), "AGORA_REDIS_PREFIX": prefix}
    saved = {k: os.environ.get(k) for k in extra}
    os.environ.update(extra)
    settings = Settings(
        topology=Topology.CLUSTER,
        jwt_public_key_file=Path("unused"),  # the plan makes and passes real keys
        services=list(services),
        redis_prefix=prefix,
    )
    launcher = HALauncher(
        settings,
        replicas=replicas,
        gateways=1,
        port=free_port(),
        workdir=root / "cluster",
        restart=True,
        base_port=base_port,
    )
    try:
        launcher.start(timeout=240)
        yield launcher
    finally:
        launcher.stop()
        shutil.rmtree(root, ignore_errors=True)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
