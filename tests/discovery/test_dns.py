"""The DNS discovery backend (Kubernetes headless Services), with a resolver the tests control."""

from __future__ import annotations

import pytest

from agora.entrypoints.cluster_node import ClusterNode, grpc_targets
from agora.platform.config import Settings, Topology
from agora.platform.discovery import (
    DiscoveryClient,
    DiscoveryUnavailable,
    DnsDiscovery,
    Registration,
    ServiceWatcher,
    make_discovery,
    system_resolver,
)


class FakeDns:
    """A/record answers by name; a name set to None fails like a DNS server that is down."""

    def __init__(self, records: dict[str, list[str] | None]) -> None:
        self.records = records
        self.asked: list[str] = []

    async def __call__(self, name: str) -> list[str]:
        self.asked.append(name)
        if name not in self.records:
            return []
        answer = self.records[name]
        if answer is None:
            raise DiscoveryUnavailable(f"resolving {name}: temporary failure")
        return list(answer)


def dns(records: dict[str, list[str] | None]) -> tuple[DnsDiscovery, FakeDns]:
    fake = FakeDns(records)
    backend = DnsDiscovery(
        name_template="{service}.agora.svc.cluster.local", port=8000, grpc_port=50051, resolver=fake
    )
    return backend, fake


async def test_instances_are_the_a_records_of_the_services_headless_name() -> None:
    backend, fake = dns({"voting.agora.svc.cluster.local": ["10.1.0.7", "10.1.0.9"]})
    found = await backend.instances("voting")
    assert fake.asked == ["voting.agora.svc.cluster.local"]
    assert [(i.host, i.port) for i in found] == [("10.1.0.7", 8000), ("10.1.0.9", 8000)]
    assert [i.base_url for i in found] == ["http://10.1.0.7:8000", "http://10.1.0.9:8000"]
    assert len({i.id for i in found}) == 2
    assert all(i.service == "voting" and i.metadata == {} for i in found)


async def test_users_instances_carry_the_grpc_port_the_other_services_dial() -> None:
    backend, _ = dns({"users.agora.svc.cluster.local": ["10.1.0.3", "10.1.0.4"]})
    watcher = ServiceWatcher(backend, ["users"])
    await watcher.refresh()
    assert grpc_targets(watcher) == ["10.1.0.3:50051", "10.1.0.4:50051"]


async def test_a_service_with_no_ready_pod_has_no_instances() -> None:
    backend, _ = dns({})
    assert await backend.instances("sports") == []


async def test_the_watcher_follows_dns_and_keeps_the_last_list_when_dns_fails() -> None:
    backend, fake = dns({"sports.agora.svc.cluster.local": ["10.1.0.5"]})
    watcher = ServiceWatcher(backend, ["sports"])
    await watcher.refresh()
    assert [i.host for i in watcher.get("sports")] == ["10.1.0.5"]
    # A pod became ready: the Endpoints controller added its address.
    fake.records["sports.agora.svc.cluster.local"] = ["10.1.0.5", "10.1.0.6"]
    await watcher.refresh()
    assert [i.host for i in watcher.get("sports")] == ["10.1.0.5", "10.1.0.6"]
    fake.records["sports.agora.svc.cluster.local"] = None
    await watcher.refresh()
    assert [i.host for i in watcher.get("sports")] == ["10.1.0.5", "10.1.0.6"]
    fake.records["sports.agora.svc.cluster.local"] = ["10.1.0.6"]
    await watcher.refresh()
    assert [i.host for i in watcher.get("sports")] == ["10.1.0.6"]


async def test_registration_needs_no_server_in_kubernetes() -> None:
    backend, fake = dns({})
    registration = Registration(backend, "reviews", "10.1.0.8", 8000)
    await registration.start()
    assert registration.instance is not None
    assert registration.instance.base_url == "http://10.1.0.8:8000"
    await registration.stop()
    assert fake.asked == []


def test_the_name_template_must_name_the_service() -> None:
    with pytest.raises(ValueError, match=r"\{service\}"):
        DnsDiscovery(name_template="agora.svc.cluster.local", port=8000)


async def test_the_system_resolver_reads_the_hosts_database() -> None:
    assert await system_resolver("localhost") == ["127.0.0.1"]


def cluster_settings(public_key: str, **values: object) -> Settings:
    return Settings(
        topology=Topology.CLUSTER,
        jwt_public_key_file=public_key,  # type: ignore[arg-type]
        **values,  # type: ignore[arg-type]
    )


async def test_settings_choose_the_backend() -> None:
    chosen = make_discovery(
        cluster_settings(
            "public.pem",
            discovery="dns",
            discovery_dns_name="{service}.prod.svc.cluster.local",
            discovery_dns_port=9000,
            grpc_port=50051,
        )
    )
    assert isinstance(chosen, DnsDiscovery)
    assert chosen.hostname("reviews") == "reviews.prod.svc.cluster.local"
    assert chosen.port == 9000
    registry = make_discovery(cluster_settings("public.pem", discovery_url="http://127.0.0.1:1"))
    assert isinstance(registry, DiscoveryClient)
    await registry.close()
    with pytest.raises(ValueError, match="AGORA_DISCOVERY_URL"):
        make_discovery(cluster_settings("public.pem"))


def test_dns_discovery_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="AGORA_GRPC_PORT"):
        cluster_settings("public.pem", discovery="dns")
    with pytest.raises(ValueError, match="AGORA_DISCOVERY_DNS_NAME"):
        cluster_settings("public.pem", discovery="dns", grpc_port=50051, discovery_dns_name="x")


async def test_a_service_process_in_kubernetes_finds_users_through_dns() -> None:
    settings = cluster_settings("public.pem", discovery="dns", grpc_port=50051)
    node = ClusterNode(settings, "voting")
    assert isinstance(node.client, DnsDiscovery)
    assert node.client.hostname("users") == "users"
    await node.stop()
