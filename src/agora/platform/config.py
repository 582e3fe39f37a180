"""Settings: one pydantic-settings model, read from `AGORA_*` environment variables (and `.env`).

The topology picks sensible backends; each can be overridden. Secrets have no default outside the
embedded topology: a cluster without JWT keys refuses to start rather than run with a made-up one.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

SERVICE_NAMES: tuple[str, ...] = (
    "users",
    "voting",
    "discussions",
    "competitions",
    "reviews",
    "timeline",
    "sports",
    "notifications",
    "warehouse",
)


class Topology(StrEnum):
    """Where the pieces run: one process (embedded) or many (cluster)."""

    EMBEDDED = "embedded"
    CLUSTER = "cluster"


Backend = Literal["memory", "redis"]


class Settings(BaseSettings):
    """Everything configurable about an Agora process."""

    model_config = SettingsConfigDict(
        env_prefix="AGORA_",
        env_nested_delimiter="__",
        env_file=".env",
        extra="ignore",
    )

    topology: Topology = Topology.EMBEDDED
    data_dir: Path = Path("data")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    services: list[str] = Field(default_factory=lambda: list(SERVICE_NAMES))

    # Databases: a template with `{service}`, or one URL per service in `database_urls`.
    database_url: str | None = None
    database_urls: dict[str, str] = Field(default_factory=dict)
    # Read sessions (GET requests) may go here instead: replicas that apply every commit before it
    # is acknowledged (see docs/decisions/0017). A template with `{service}`; unset: the primary.
    database_read_url: str | None = None
    database_echo: bool = False

    redis_url: str = "redis://127.0.0.1:6379/0"
    redis_prefix: str = "agora:"  # every Redis key this process writes starts with it
    cache_redis_urls: list[str] = Field(default_factory=list)
    bus: Backend | None = None
    cache: Backend | None = None
    realtime: Backend | None = None
    cache_max_entries: int = 10_000

    # Tokens. The users service signs with the private key; every service verifies with the public
    # one.
    jwt_private_key_file: Path | None = None
    jwt_public_key_file: Path | None = None
    jwt_issuer: str = "agora-users"
    jwt_audience: str = "agora"
    access_token_ttl_seconds: int = Field(default=900, ge=30, le=86_400)
    refresh_token_ttl_seconds: int = Field(default=30 * 86_400, ge=300)
    # A refresh token spent again within this many seconds (two tabs at once) gets a sibling pair
    # instead of revoking the login as a replay.
    refresh_reuse_grace_seconds: int = Field(default=10, ge=0, le=120)

    # argon2id cost (RFC 9106 second recommendation by default).
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_kib: int = Field(default=65_536, ge=1024)
    argon2_parallelism: int = Field(default=4, ge=1)

    # Request bodies over this are refused with 413 before they are parsed (gateway and every
    # service); WebSocket frames over `max_frame_bytes` close the socket (1009) in the protocol.
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    max_frame_bytes: int = Field(default=64 * 1024, ge=1024)

    # Live sockets one user may hold in one process (more are closed with 1008).
    live_sockets_per_user: int = Field(default=20, ge=1)

    # Login throttle (decision 0014): attempts are counted before the password is checked, per
    # (account, address), per account from addresses that have not logged in to it lately, and
    # per address across accounts, each in a moving window.
    login_max_failures: int = Field(default=10, ge=1)
    login_account_max_failures: int = Field(default=50, ge=1)
    login_address_max_failures: int = Field(default=100, ge=1)
    login_failure_window_seconds: int = Field(default=900, ge=1)
    login_known_address_days: int = Field(default=30, ge=1)

    # Proxies whose X-Forwarded-For is believed (addresses or networks, e.g. ["10.0.0.0/8"]).
    # A gateway lists what stands in front of it (nothing, by default); a service in the cluster
    # lists its gateways (the launcher does so).
    trusted_proxies: list[str] = Field(default_factory=list)

    # Cluster topology: where discovery is, how the gateway balances and protects itself.
    # `registry`: Agora's discovery service at `discovery_url`. `dns`: Kubernetes headless Services,
    # `discovery_dns_name` with `{service}` replaced, every instance on `discovery_dns_port`.
    discovery: Literal["registry", "dns"] = "registry"
    discovery_url: str | None = None
    discovery_dns_name: str = "{service}"
    discovery_dns_port: int = Field(default=8000, ge=1, le=65535)
    discovery_ttl_seconds: float = Field(default=10.0, gt=0)
    advertise_host: str = "127.0.0.1"
    grpc_port: int | None = Field(default=None, ge=0, le=65535)
    balancer: Literal["round_robin", "least_outstanding"] = "round_robin"
    upstream_timeout_seconds: float = Field(default=5.0, gt=0)
    breaker_failures: int = Field(default=3, ge=1)
    breaker_cooldown_seconds: float = Field(default=5.0, gt=0)

    # Demo content on an empty data directory, and the sports feed that plays games in real time.
    demo_content: bool = True
    sports_feed: bool = True
    sports_feed_speed: float = Field(default=1.0, gt=0, le=1000)

    # The analytics warehouse: its DuckDB file (default DATA_DIR/warehouse.duckdb) and how often the
    # ETL refreshes it from the services' databases (0: only on demand).
    warehouse_file: Path | None = None
    warehouse_refresh_seconds: float = Field(default=300.0, ge=0)

    # Gateway write limits, per user (or per address when anonymous).
    write_rate_per_minute: int = Field(default=120, ge=1)

    # Account sagas (decision 0018). The engine's system database: by default a SQLite file in the
    # data directory (embedded), or a PostgreSQL database beside the users service's, named after
    # it with `_sagas` (cluster).
    saga_database_url: str | None = None
    # The first pause before a saga step that found a service down is tried again (it doubles
    # up to a minute), and how long such a step keeps trying before the saga is `failed`.
    saga_retry_seconds: float = Field(default=1.0, gt=0)
    saga_give_up_seconds: float = Field(default=3600.0, gt=0)
    # A deleted account's username is kept from new registrations this long.
    username_quarantine_days: int = Field(default=30, ge=0)
    # Test-only: the users process kills itself (SIGKILL), once each, at these saga points: a
    # step's name right after its checkpoint, `name@effect` after its effect and before the
    # checkpoint. Proves recovery at every step boundary (tests/cluster/test_sagas.py).
    saga_crash_points: list[str] = Field(default_factory=list)

    log_level: str = "INFO"
    # None: JSON (ECS) unless stdout is a terminal, where logs are short and readable.
    log_json: bool | None = None
    # Traces: OTLP/HTTP to this endpoint (Jaeger, an OpenTelemetry Collector) when set, otherwise
    # the local trace store in the data dir; the share of new traces kept (what 1.0 costs is in
    # docs/performance.md).
    otlp_endpoint: str | None = None
    trace_sample_ratio: float = Field(default=0.1, ge=0.0, le=1.0)
    # New traces a second at most in each process (0: no cap): what tracing costs a busy process
    # stays bounded, a quiet one keeps the ratio; a caller's sampled trace always continues.
    trace_max_per_second: float = Field(default=10.0, ge=0.0)
    tracing: bool = True
    # The admin page of slow and failed requests lists requests slower than this.
    slow_request_ms: float = Field(default=500.0, gt=0)
    # `agora cluster up` gathers logs with rsyslog and scrapes with Prometheus (0: a free port).
    cluster_collectors: bool = True
    log_receiver_port: int = Field(default=0, ge=0, le=65535)
    prometheus_port: int = Field(default=0, ge=0, le=65535)
    # Worker processes per service replica in `agora cluster up`: each replica's port is shared by
    # its workers (SO_REUSEPORT), and each worker is an instance in discovery at a port of its own.
    workers: int = Field(default=1, ge=1, le=16)
    # `agora edge` (HAProxy on the cluster's public port, decision 0050): server slots per backend
    # (instances beyond them are left out, with a warning) and HAProxy's threads (0: its default,
    # one per CPU it may use).
    edge_slots: int = Field(default=64, ge=1, le=1024)
    edge_threads: int = Field(default=0, ge=0, le=64)

    @model_validator(mode="after")
    def _secrets_outside_embedded(self) -> Settings:
        if self.topology is not Topology.EMBEDDED and self.jwt_public_key_file is None:
            raise ValueError(
                "AGORA_JWT_PUBLIC_KEY_FILE is required outside the embedded topology "
                "(and AGORA_JWT_PRIVATE_KEY_FILE for the users service); "
                "generate a pair with `agora keys generate DIR`"
            )
        if self.discovery == "dns":
            if "{service}" not in self.discovery_dns_name:
                raise ValueError("AGORA_DISCOVERY_DNS_NAME must contain {service}")
            if not self.grpc_port:
                raise ValueError(
                    "AGORA_GRPC_PORT is required with AGORA_DISCOVERY=dns: the users service "
                    "serves gRPC on it and the other services find it there"
                )
        unknown = sorted(set(self.services) - set(SERVICE_NAMES))
        if unknown:
            raise ValueError(f"unknown services in AGORA_SERVICES: {', '.join(unknown)}")
        return self

    @property
    def uses_discovery(self) -> bool:
        """Whether processes find each other through a discovery backend (cluster processes)."""
        return self.discovery == "dns" or self.discovery_url is not None

    @property
    def bus_backend(self) -> Backend:
        if self.bus is not None:
            return self.bus
        return "memory" if self.topology is Topology.EMBEDDED else "redis"

    @property
    def cache_backend(self) -> Backend:
        if self.cache is not None:
            return self.cache
        return "memory" if self.topology is Topology.EMBEDDED else "redis"

    @property
    def realtime_backend(self) -> Backend:
        if self.realtime is not None:
            return self.realtime
        return "memory" if self.topology is Topology.EMBEDDED else "redis"

    def database_read_url_for(self, service: str) -> str | None:
        """Where a service's read sessions go, when not to its primary."""
        if self.database_read_url is None:
            return None
        return self.database_read_url.replace("{service}", service)

    def database_url_for(self, service: str) -> str:
        """The database URL of one service: its own entry, else the template, else the default."""
        if service in self.database_urls:
            return self.database_urls[service]
        if self.database_url is not None:
            return self.database_url.replace("{service}", service)
        if self.topology is Topology.EMBEDDED:
            return f"sqlite+aiosqlite:///{(self.data_dir / f'{service}.db').resolve()}"
        return f"postgresql+asyncpg://postgres@127.0.0.1:5432/agora_{service}"

    def saga_database(self) -> str:
        """The saga engine's system database URL (synchronous driver, as DBOS uses)."""
        if self.saga_database_url is not None:
            return self.saga_database_url
        users = self.database_url_for("users")
        if users.startswith("sqlite"):
            return f"sqlite:///{(self.data_dir / 'sagas.db').resolve()}"
        url = make_url(users)
        return url.set(
            drivername="postgresql+psycopg", database=f"{url.database}_sagas"
        ).render_as_string(hide_password=False)

    @property
    def keys_dir(self) -> Path:
        return self.data_dir / "keys"
