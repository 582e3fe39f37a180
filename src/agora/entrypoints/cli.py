"""The `agora` command: run the platform, one service, migrations, and operator tasks."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import socket
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import httpx
import typer
import uvicorn

from agora.entrypoints import search
from agora.entrypoints.observability import observe_process
from agora.platform.config import SERVICE_NAMES, Settings, Topology
from agora.platform.heap import freeze_startup_heap
from agora.platform.logging import configure_logging

if TYPE_CHECKING:
    from agora.entrypoints.ha.launcher import HALauncher

app = typer.Typer(
    help="Agora: book clubs, writing competitions, music reviews, timelines and live sports.",
    no_args_is_help=True,
    add_completion=False,
)
admin_app = typer.Typer(help="Operator tasks on the users database.", no_args_is_help=True)
cluster_app = typer.Typer(help="The cluster topology on this machine.", no_args_is_help=True)
keys_app = typer.Typer(help="Token signing keys.", no_args_is_help=True)
app.add_typer(admin_app, name="admin")
app.add_typer(keys_app, name="keys")
app.add_typer(cluster_app, name="cluster")
warehouse_app = typer.Typer(help="The analytics warehouse.", no_args_is_help=True)
app.add_typer(warehouse_app, name="warehouse")

Port = Annotated[int | None, typer.Option(help="Port to listen on (AGORA_PORT, default 8000).")]
Host = Annotated[
    str | None, typer.Option(help="Address to listen on (AGORA_HOST, default 127.0.0.1).")
]
DataDir = Annotated[
    Path | None,
    typer.Option(help="Where embedded mode keeps its databases and keys (AGORA_DATA_DIR)."),
]


def _settings(**overrides: object) -> Settings:
    values = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**values)  # type: ignore[arg-type]
    except ValueError as exc:
        typer.echo(f"Invalid settings: {exc}", err=True)
        raise typer.Exit(2) from exc


def _exit_quietly(signum: int, _frame: object) -> None:
    # uvicorn shuts down gracefully on SIGINT/SIGTERM, then re-raises the signal; by then the work
    # is done, so the process ends with status 0 instead of dying by the signal.
    raise SystemExit(0)


def server_config(asgi: object, settings: Settings, *, port: int | None = None) -> uvicorn.Config:
    """How every Agora process serves HTTP and WebSockets."""
    return uvicorn.Config(
        asgi,  # type: ignore[arg-type]
        host=settings.host,
        port=settings.port if port is None else port,
        loop="uvloop",
        http="httptools",
        ws="websockets-sansio",
        # No permessage-deflate: compressing each delivery costs more CPU than the fan-out
        # itself, small JSON frames gain little, and an uncompressed frame is framed once for
        # every socket of a channel (decision 0051).
        ws_per_message_deflate=False,
        lifespan="on",
        log_config=None,
        access_log=False,
        proxy_headers=False,
        # A frame over this closes the socket (1009) in the protocol, before it is buffered
        # whole (uvicorn's default is 16 MiB); the apps refuse frames over 64,000 characters.
        ws_max_size=settings.max_frame_bytes,
    )


class _Server(uvicorn.Server):
    """uvicorn's server, freezing the heap its app's startup built (`platform.heap`)."""

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        freeze_startup_heap()


def _serve(asgi: object, settings: Settings, *, shared_port: int | None = None) -> None:
    signal.signal(signal.SIGTERM, _exit_quietly)
    signal.signal(signal.SIGINT, _exit_quietly)
    server = _Server(server_config(asgi, settings))
    if shared_port is None:
        server.run()
        return
    # A worker of a replica: its own port (where discovery lists it) and the replica's, which
    # every worker of the replica binds with SO_REUSEPORT; the kernel spreads connections.
    server.run(
        sockets=[
            listening_socket(settings.host, settings.port),
            listening_socket(settings.host, shared_port, reuse_port=True),
        ]
    )


def listening_socket(host: str, port: int, *, reuse_port: bool = False) -> socket.socket:
    """A bound TCP socket for uvicorn to listen on (IPv6 when `host` is an IPv6 address)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.set_inheritable(False)
    return sock


@app.command()
def up(port: Port = None, host: Host = None, data_dir: DataDir = None) -> None:
    """Start the whole platform in one process (embedded topology): web UI, API and WebSockets."""
    from agora.entrypoints.embedded import Platform

    settings = _settings(port=port, host=host, data_dir=data_dir)
    observe_process(settings, "platform", keep_log=True)
    base = f"http://{settings.host}:{settings.port}"

    def announce(platform: Platform) -> None:
        lines = [
            "",
            f"Agora is running (services: {', '.join(platform.runtimes)})",
            *([f"  web UI      {base}/"] if platform.has_ui else []),
            f"  API         {base}/api/...",
            f"  API docs    {base}/docs",
            f"  status      {base}/status",
            f"  data dir    {settings.data_dir.resolve()}",
        ]
        if platform.demo_accounts:
            lines.append("Demo accounts (also in demo-accounts.txt in the data dir):")
            lines += [
                f"  {a.username:<8} {a.password}{'  (admin)' if a.role == 'admin' else ''}"
                for a in platform.demo_accounts
            ]
        lines += ["Press Ctrl-C to stop.", ""]
        typer.echo("\n".join(lines), err=True)

    platform = Platform(settings, on_started=announce)
    _serve(platform.app, settings)


@app.command()
def serve(
    service: Annotated[str, typer.Argument(help=f"One of: {', '.join(SERVICE_NAMES)}")],
    port: Port = None,
    host: Host = None,
    shared_port: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=65535,
            help="Also accept on this port, shared (SO_REUSEPORT) with the other workers of the "
            "same replica (`agora cluster up` with AGORA_WORKERS > 1).",
        ),
    ] = None,
) -> None:
    """Run one service on its own (no gateway), with the backends the settings choose."""
    from agora.entrypoints.single import ServiceHost

    settings = _settings(port=port, host=host)
    observe_process(settings, service)
    host_ = ServiceHost(settings, service, shared_port=shared_port)
    _serve(host_.app, settings, shared_port=shared_port)


@app.command()
def discovery(port: Port = None, host: Host = None) -> None:
    """Run the discovery service (cluster topology; state in Redis)."""
    from agora.discovery.app import create_discovery_app
    from agora.discovery.store import RedisRegistryStore
    from agora.platform.clock import SystemClock

    settings = _settings(port=port, host=host)
    observe_process(settings, "discovery")
    store = RedisRegistryStore(settings.redis_url, prefix=f"{settings.redis_prefix}disc:")
    asgi = create_discovery_app(store, SystemClock(), ttl_seconds=settings.discovery_ttl_seconds)
    _serve(asgi, settings)


@app.command()
def gateway(port: Port = None, host: Host = None) -> None:
    """Run one gateway replica over the instances discovery reports (cluster topology)."""
    from agora.entrypoints.cluster_gateway import ClusterGateway

    settings = _settings(port=port, host=host)
    observe_process(settings, "gateway")
    _serve(ClusterGateway(settings).app, settings)


@app.command()
def edge(port: Port = None, host: Host = None) -> None:
    """Run HAProxy on the public port, reads straight to the services (cluster topology)."""
    from agora.entrypoints.edge import run_edge

    settings = _settings(port=port, host=host)
    observe_process(settings, "edge")
    # Without HAProxy, `Edge.run` says how to install it and ends with status 2.
    raise typer.Exit(run_edge(settings))


@cluster_app.command("up")
def cluster_up(
    port: Port = None,
    replicas: Annotated[int, typer.Option(min=1, max=8, help="Replicas of each service.")] = 2,
    gateways: Annotated[int, typer.Option(min=1, max=4, help="Gateway replicas.")] = 1,
    data_dir: DataDir = None,
    restart: Annotated[bool, typer.Option(help="Restart processes that die.")] = True,
    ha: Annotated[
        bool,
        typer.Option(
            "--ha",
            help="PostgreSQL as 3 Patroni members over etcd behind HAProxy, Redis under Sentinel.",
        ),
    ] = False,
    ha_port_base: Annotated[
        int, typer.Option(min=0, max=65000, help="First port for the HA engines (0: any free).")
    ] = 0,
    edge: Annotated[
        bool,
        typer.Option(
            "--edge",
            help="HAProxy on the public port: plain reads straight to the services, the rest to"
            " the gateways (needs Debian's haproxy).",
        ),
    ] = False,
) -> None:
    """Start discovery, gateways and replicas of every service as separate processes."""
    from agora.entrypoints.cluster import ClusterPlan, Launcher

    settings = _settings(data_dir=data_dir, port=port)
    configure_logging(settings.log_level, json=False)
    cluster_settings = settings.model_copy(update={"topology": Topology.CLUSTER})
    workdir = settings.data_dir.resolve() / "cluster"
    launcher: Launcher | HALauncher
    if edge:
        from agora.entrypoints.edge import INSTALL_HINT, haproxy_binary

        if haproxy_binary() is None:
            typer.echo(f"error: --edge runs HAProxy: {INSTALL_HINT}", err=True)
            raise typer.Exit(1)
    if ha:
        from agora.entrypoints.ha.engines import INSTALL_HINT, missing_engines
        from agora.entrypoints.ha.launcher import HALauncher

        if missing_engines():
            missing = ", ".join(missing_engines())
            typer.echo(f"error: --ha needs {missing}: {INSTALL_HINT}", err=True)
            raise typer.Exit(1)
        launcher = HALauncher(
            cluster_settings,
            replicas=replicas,
            gateways=gateways,
            port=settings.port,
            workdir=workdir,
            restart=restart,
            base_port=ha_port_base,
            edge=edge,
        )
        plan = launcher.plan
    else:
        plan = ClusterPlan(
            cluster_settings,
            replicas=replicas,
            gateways=gateways,
            port=settings.port,
            workdir=workdir,
            edge=edge,
        )
        plan.build()
        launcher = Launcher(plan, restart=restart)

    def stop(signum: int, _frame: object) -> None:
        launcher.stop()
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        launcher.start()
    except RuntimeError as exc:
        launcher.stop()
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(launcher.describe(), err=True)
    (plan.workdir / "discovery.url").write_text(plan.discovery_url)
    launcher.supervise()


@cluster_app.command("status")
def cluster_status_command(
    port: Port = None,
    data_dir: DataDir = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Show the cluster's instances, the gateway's breaker states and (with --ha) the
    PostgreSQL, etcd and Redis members with their roles."""
    from agora.entrypoints.cluster import cluster_status

    settings = _settings(data_dir=data_dir, port=port)
    workdir = settings.data_dir.resolve() / "cluster"
    marker = workdir / "discovery.url"
    ha_plan = workdir / "ha" / "plan.json"
    if not marker.exists() and not ha_plan.exists():
        typer.echo("no cluster is running from this data directory", err=True)
        raise typer.Exit(1)
    ha_report: dict[str, object] | None = None
    if ha_plan.exists():
        from agora.entrypoints.ha.status import format_ha_status, ha_status

        ha_report = ha_status(ha_plan.parent)
    if as_json:
        typer.echo(json.dumps(ha_report or {}, indent=2))
        return
    if marker.exists():
        with contextlib.suppress(httpx.HTTPError):
            typer.echo(
                cluster_status(marker.read_text().strip(), f"http://127.0.0.1:{settings.port}")
            )
    if ha_report is not None:
        typer.echo(format_ha_status(ha_report))


@cluster_app.command("switchover")
def cluster_switchover_command(
    data_dir: DataDir = None,
    candidate: Annotated[
        str | None, typer.Option(help="The member to promote (default: Patroni's choice).")
    ] = None,
) -> None:
    """A planned switchover of the PostgreSQL leader, through Patroni (--ha clusters)."""
    from agora.entrypoints.ha.status import switchover

    settings = _settings(data_dir=data_dir)
    root = settings.data_dir.resolve() / "cluster" / "ha"
    if not (root / "plan.json").exists():
        typer.echo("no --ha cluster in this data directory", err=True)
        raise typer.Exit(1)
    try:
        typer.echo(switchover(root, candidate))
    except RuntimeError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc


@app.command()
def migrate(
    services: Annotated[
        list[str] | None, typer.Argument(help="Services to migrate (default: all).")
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Bring each service's database to its newest migration (creating PostgreSQL databases as
    needed)."""
    from agora.entrypoints.operations import migrate_services

    settings = _settings(data_dir=data_dir)
    configure_logging(settings.log_level, json=False)
    done = asyncio.run(migrate_services(settings, services or list(settings.services)))
    for name in done:
        typer.echo(f"migrated {name}")


@admin_app.command("grant")
def admin_grant(
    username: Annotated[str, typer.Argument(help="The user to make an admin.")],
    data_dir: DataDir = None,
) -> None:
    """Make an existing user an admin (same data directory or database settings as the platform)."""
    from agora.entrypoints.operations import grant_admin
    from agora.platform.errors import AgoraError

    settings = _settings(data_dir=data_dir)
    configure_logging("WARNING", json=False)
    try:
        user_id = asyncio.run(grant_admin(settings, username))
    except AgoraError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"{username} (user {user_id}) is now an admin; their next token carries the role.")


@warehouse_app.command("refresh")
def warehouse_refresh(data_dir: DataDir = None) -> None:
    """Run one ETL run into the warehouse now and print its stats (JSON). The platform must not
    hold the warehouse file at the same time: while it runs, use `POST /api/analytics/refresh`."""
    from agora.entrypoints.operations import refresh_warehouse
    from agora.platform.errors import AgoraError

    settings = _settings(data_dir=data_dir)
    configure_logging("WARNING", json=False)
    try:
        stats = asyncio.run(refresh_warehouse(settings))
    except AgoraError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(stats)


@keys_app.command("generate")
def keys_generate(
    directory: Annotated[Path, typer.Argument(help="Where to write the key pair.")],
) -> None:
    """Write a new Ed25519 key pair for signing tokens (for the cluster topology)."""
    from agora.platform.auth.keys import generate_keypair

    try:
        private_path, public_path = generate_keypair(directory)
    except FileExistsError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(
        f"AGORA_JWT_PRIVATE_KEY_FILE={private_path}\nAGORA_JWT_PUBLIC_KEY_FILE={public_path}"
    )


# `agora logs` and `agora trace` live with their search code.
app.command("logs")(search.logs)
app.command("trace")(search.trace)


@app.command()
def makemigration(
    service: Annotated[str, typer.Argument(help="The service whose models changed.")],
    message: Annotated[str, typer.Option("-m", "--message", help="What the migration does.")],
) -> None:
    """Developers: autogenerate a migration from a service's models."""
    from agora.entrypoints.registry import load_spec
    from agora.platform.migrations import make_revision

    spec = load_spec(service)
    asyncio.run(make_revision(spec.migrations, service, message))


def main() -> None:
    app()
