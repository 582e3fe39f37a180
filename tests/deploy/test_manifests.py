"""The deployment files, checked without a cluster: every rendered Kustomize overlay is valid
against Kubernetes' own API schemas and consistent (selectors match pod labels, ports line up,
probes, resources, security, a PDB wherever replicas > 1, the edge in front of the gateways and
finding them by DNS), and the Compose stack is wired as its comments say. The observability
stack's own objects are checked in test_k8s_observability.py."""

from __future__ import annotations

import ipaddress
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from agora.platform.config import SERVICE_NAMES

ROOT = Path(__file__).resolve().parents[2]
OVERLAYS = sorted(p for p in (ROOT / "deploy/k8s/overlays").iterdir() if p.is_dir())
COMPOSE = yaml.safe_load((ROOT / "deploy/compose.yaml").read_text())

Doc = dict[str, Any]

# The Kubernetes version whose API schemas the manifests must satisfy (kubernetes-validate ships
# them, so this runs offline): the Makefile's K8S_VERSION.
K8S_VERSION = "1.37.0"


def render(overlay: Path) -> list[Doc]:
    """An overlay as Kustomize renders it (kubectl's built-in Kustomize: no renderer of our own)."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed: `apt-get install kubectl` (or kubernetes-client)")
    out = subprocess.run(  # noqa: S603 - kubectl on our own overlay
        [kubectl, "kustomize", str(overlay)], check=True, capture_output=True, text=True
    ).stdout
    return [d for d in yaml.safe_load_all(out) if d]


def is_agoras(doc: Doc) -> bool:
    """Agora's own objects, not the observability stack around it (labelled as such)."""
    labels = doc["metadata"].get("labels", {})
    return bool(labels.get("app.kubernetes.io/part-of") != "agora-observability")


@pytest.fixture(scope="module", params=OVERLAYS, ids=lambda p: p.name)
def rendered(request: pytest.FixtureRequest) -> list[Doc]:
    return render(request.param)


@pytest.fixture(scope="module")
def docs(rendered: list[Doc]) -> list[Doc]:
    return [d for d in rendered if is_agoras(d)]


def of_kind(docs: list[Doc], kind: str) -> list[Doc]:
    return [d for d in docs if d["kind"] == kind]


def pod_specs(docs: list[Doc]) -> list[tuple[Doc, Doc]]:
    return [(d, d["spec"]["template"]["spec"]) for d in docs if d["kind"] in {"Deployment", "Job"}]


def named(docs: list[Doc], kind: str, name: str) -> Doc:
    (doc,) = [d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name]
    return doc


def effective_env(docs: list[Doc], deployment: str) -> dict[str, str]:
    """What the main container of `deployment` sees of the literal settings: its config maps,
    then its own `env` values on top (Kubernetes' order: `env` wins over `envFrom`)."""
    container = named(docs, "Deployment", deployment)["spec"]["template"]["spec"]["containers"][0]
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        env |= named(docs, "ConfigMap", source["configMapRef"]["name"])["data"]
    env |= {e["name"]: e["value"] for e in container.get("env", []) if "value" in e}
    return env


def networks(setting: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """AGORA_TRUSTED_PROXIES (a JSON list of addresses and networks) as networks."""
    return [ipaddress.ip_network(entry, strict=False) for entry in json.loads(setting)]


def test_there_are_a_dev_and_a_prod_overlay() -> None:
    assert {p.name for p in OVERLAYS} >= {"dev", "prod"}


def test_every_object_is_valid_against_the_kubernetes_api_schemas(rendered: list[Doc]) -> None:
    for doc in rendered:
        try:
            kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:  # pragma: no cover - the failure
            name = f"{doc['kind']}/{doc['metadata']['name']}"
            pytest.fail(f"{name}: {exc.message} at {'.'.join(map(str, exc.path))}")


def test_the_schema_check_refuses_what_the_api_server_would(docs: list[Doc]) -> None:
    # The check above can fail: a misspelt field (strict) and a wrong type are both refused.
    deployment = of_kind(docs, "Deployment")[0]
    typo = {**deployment, "spec": {**deployment["spec"], "replica": 2}}
    wrong = {**deployment, "spec": {**deployment["spec"], "replicas": "two"}}
    for bad in (typo, wrong):
        with pytest.raises(kubernetes_validate.ValidationError):
            kubernetes_validate.validate(bad, K8S_VERSION, strict=True)


def test_one_deployment_and_one_service_per_service_the_gateway_and_the_edge(
    docs: list[Doc],
) -> None:
    names = {*SERVICE_NAMES, "gateway", "edge"}
    assert {d["metadata"]["name"] for d in of_kind(docs, "Deployment")} == names
    assert {d["metadata"]["name"] for d in of_kind(docs, "Service")} == names


def test_selectors_match_the_pod_labels(docs: list[Doc]) -> None:
    deployments = of_kind(docs, "Deployment")
    for deployment in deployments:
        selector = deployment["spec"]["selector"]["matchLabels"]
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert selector.items() <= labels.items(), deployment["metadata"]["name"]
    for kind in ("Service", "PodDisruptionBudget"):
        for doc in of_kind(docs, kind):
            spec = doc["spec"]
            selector = spec["selector"].get("matchLabels", spec["selector"])
            matched = [
                d
                for d in deployments
                if selector.items() <= d["spec"]["template"]["metadata"]["labels"].items()
            ]
            assert len(matched) == 1, f"{kind} {doc['metadata']['name']} selects {len(matched)}"


def test_service_ports_name_container_ports(docs: list[Doc]) -> None:
    deployments = {d["metadata"]["name"]: d for d in of_kind(docs, "Deployment")}
    for service in of_kind(docs, "Service"):
        pod = deployments[service["metadata"]["name"]]["spec"]["template"]["spec"]
        container_ports = {p["name"]: p["containerPort"] for p in pod["containers"][0]["ports"]}
        for port in service["spec"]["ports"]:
            assert port["targetPort"] in container_ports, port
    config = next(d for d in of_kind(docs, "ConfigMap") if d["metadata"]["name"] == "agora-config")
    # What the processes listen on and what DNS discovery dials are the container ports.
    for deployment in deployments.values():
        ports = {
            p["name"]: p["containerPort"]
            for p in deployment["spec"]["template"]["spec"]["containers"][0]["ports"]
        }
        assert ports["http"] == int(config["data"]["AGORA_PORT"])
        assert ports["http"] == int(config["data"]["AGORA_DISCOVERY_DNS_PORT"])
    users = deployments["users"]["spec"]["template"]["spec"]["containers"][0]
    assert {p["name"]: p["containerPort"] for p in users["ports"]}["grpc"] == int(
        config["data"]["AGORA_GRPC_PORT"]
    )


def test_services_are_found_through_headless_services(docs: list[Doc]) -> None:
    config = next(d for d in of_kind(docs, "ConfigMap") if d["metadata"]["name"] == "agora-config")
    assert config["data"]["AGORA_DISCOVERY"] == "dns"
    services = {d["metadata"]["name"]: d for d in of_kind(docs, "Service")}
    # The gateways too: the edge balances over their pods, found as the services' are.
    for name in (*SERVICE_NAMES, "gateway"):
        assert services[name]["spec"]["clusterIP"] == "None", name
    for _, pod in pod_specs(docs):
        env = {e["name"]: e for e in pod["containers"][0]["env"]}
        assert env["AGORA_DISCOVERY_DNS_NAME"]["value"] == (
            "{service}.$(POD_NAMESPACE).svc.cluster.local"
        )
        names = [e["name"] for e in pod["containers"][0]["env"]]
        assert names.index("POD_NAMESPACE") < names.index("AGORA_DISCOVERY_DNS_NAME")


def test_every_deployment_has_probes_resources_and_a_locked_down_container(
    docs: list[Doc],
) -> None:
    for deployment, pod in pod_specs(docs):
        name = deployment["metadata"]["name"]
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["automountServiceAccountToken"] is False, name
        for container in pod["containers"] + pod.get("initContainers", []):
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True, name
            assert security["allowPrivilegeEscalation"] is False, name
            assert security["capabilities"]["drop"] == ["ALL"], name
            assert {"cpu", "memory"} <= container["resources"]["requests"].keys(), name
            assert "memory" in container["resources"]["limits"], name
        if deployment["kind"] != "Deployment":
            continue
        main = pod["containers"][0]
        for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
            if name == "edge" and probe != "readinessProbe":
                continue  # test_the_edge_is_ready_through_a_gateway_and_alive_on_its_own
            assert main[probe]["httpGet"] == {"path": "/status", "port": "http"}, (name, probe)
        writable = {m["mountPath"] for m in main["volumeMounts"] if not m.get("readOnly")}
        assert {"/tmp", "/var/lib/agora"} <= writable, name  # noqa: S108 - the pod's own emptyDir


def test_every_deployment_with_more_than_one_replica_has_a_pdb_and_an_hpa(
    docs: list[Doc],
) -> None:
    pdbs = {
        d["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"]
        for d in of_kind(docs, "PodDisruptionBudget")
    }
    hpas = {
        d["spec"]["scaleTargetRef"]["name"]: d for d in of_kind(docs, "HorizontalPodAutoscaler")
    }
    for deployment in of_kind(docs, "Deployment"):
        name = deployment["metadata"]["name"]
        if deployment["spec"]["replicas"] > 1:
            assert name in pdbs, name
            assert name in hpas, name
            assert hpas[name]["spec"]["minReplicas"] <= deployment["spec"]["replicas"]
            metric = hpas[name]["spec"]["metrics"][0]["resource"]
            assert metric["name"] == "cpu"
        else:
            assert name not in pdbs, f"{name}: one pod cannot keep a disruption budget"


def test_prod_runs_two_of_everything(rendered: list[Doc], docs: list[Doc]) -> None:
    namespace = {d["metadata"].get("namespace") for d in rendered}
    assert len(namespace) == 1
    if namespace == {"agora"}:
        replicas = {
            d["metadata"]["name"]: d["spec"]["replicas"] for d in of_kind(docs, "Deployment")
        }
        # The warehouse is the single writer of its DuckDB file: one pod, replaced, never doubled.
        assert replicas.pop("warehouse") == 1
        assert set(replicas.values()) == {2}
        assert "latest" not in {
            c["image"].split(":")[-1] for _, p in pod_specs(docs) for c in p["containers"]
        }


def test_secrets_are_referenced_never_committed(rendered: list[Doc], docs: list[Doc]) -> None:
    assert of_kind(rendered, "Secret") == []
    referenced = set()
    for _, pod in pod_specs(docs):
        referenced |= {v["secret"]["secretName"] for v in pod["volumes"] if "secret" in v}
        for container in pod["containers"]:
            referenced |= {
                e["valueFrom"]["secretKeyRef"]["name"]
                for e in container["env"]
                if "secretKeyRef" in e.get("valueFrom", {})
            }
    assert referenced == {"agora-jwt", "agora-database", "agora-redis"}
    users = next(p for d, p in pod_specs(docs) if d["metadata"]["name"] == "users")
    others = [p for d, p in pod_specs(docs) if d["metadata"]["name"] != "users"]
    assert any(
        i["key"] == "private.pem"
        for v in users["volumes"]
        if "secret" in v
        for i in v["secret"]["items"]
    )
    for pod in others:  # only the users service signs tokens
        for volume in pod["volumes"]:
            if "secret" in volume:
                assert [i["key"] for i in volume["secret"]["items"]] == ["public.pem"]


def test_the_ingress_routes_to_the_gateway_service_and_keeps_websockets_open(
    docs: list[Doc],
) -> None:
    (ingress,) = of_kind(docs, "Ingress")
    services = {d["metadata"]["name"]: d for d in of_kind(docs, "Service")}
    for rule in ingress["spec"]["rules"]:
        for path in rule["http"]["paths"]:
            backend = path["backend"]["service"]
            ports = {p["name"] for p in services[backend["name"]]["spec"]["ports"]}
            assert backend["port"]["name"] in ports
    assert (
        int(ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-read-timeout"])
        >= 3600
    )


def test_migrations_run_before_a_pod_serves(docs: list[Doc]) -> None:
    (job,) = of_kind(docs, "Job")
    assert job["spec"]["template"]["spec"]["containers"][0]["args"] == ["migrate"]
    for deployment in of_kind(docs, "Deployment"):
        name = deployment["metadata"]["name"]
        if name in {"gateway", "edge"}:  # no database of their own
            assert "initContainers" not in deployment["spec"]["template"]["spec"], name
            continue
        (init,) = deployment["spec"]["template"]["spec"]["initContainers"]
        assert init["args"] == ["migrate", name]


# ------------------------------------------------------------------ the edge (decision 0050)


def test_the_edge_finds_the_gateways_and_every_service_by_dns(docs: list[Doc]) -> None:
    edge = named(docs, "Deployment", "edge")
    assert edge["spec"]["template"]["spec"]["containers"][0]["args"] == ["edge"]
    env = effective_env(docs, "edge")
    assert env["AGORA_DISCOVERY"] == "dns"
    namespace = edge["metadata"].get("namespace")
    assert namespace, "an overlay sets the namespace the DNS names are in"
    headless = {
        f"{d['metadata']['name']}.{d['metadata']['namespace']}.svc.cluster.local": d
        for d in of_kind(docs, "Service")
        if d["spec"].get("clusterIP") == "None"
    }
    deployments = {d["metadata"]["name"]: d for d in of_kind(docs, "Deployment")}
    # `agora edge` watches every service it routes to and `gateway` (its backends), each at the
    # name DnsDiscovery makes from the template: a headless Service of that workload's pods,
    # whose http port is the one discovery dials.
    for wanted in (*SERVICE_NAMES, "gateway"):
        name = (
            env["AGORA_DISCOVERY_DNS_NAME"]
            .replace("$(POD_NAMESPACE)", namespace)
            .replace("{service}", wanted)
        )
        assert name in headless, f"the edge cannot resolve {name}"
        selector = headless[name]["spec"]["selector"]
        pod = deployments[wanted]["spec"]["template"]
        assert selector.items() <= pod["metadata"]["labels"].items(), wanted
        ports = {p["name"]: p["containerPort"] for p in pod["spec"]["containers"][0]["ports"]}
        assert ports["http"] == int(env["AGORA_DISCOVERY_DNS_PORT"]), wanted


def test_the_edge_is_the_first_hop_and_the_gateways_and_services_believe_it(
    docs: list[Doc],
) -> None:
    # The edge believes no X-Forwarded-For (a trusted peer's request would go to the gateways
    # whole, never straight to a service): its own `env` overrides the config map's list.
    edge = named(docs, "Deployment", "edge")["spec"]["template"]["spec"]["containers"][0]
    assert {"name": "AGORA_TRUSTED_PROXIES", "value": "[]"} in edge["env"]
    assert json.loads(effective_env(docs, "edge")["AGORA_TRUSTED_PROXIES"]) == []
    # The gateways believe the edge's header, and the services the edge's (for the reads it sends
    # them) as they believe the gateways': the pod network (addresses from common CNIs' default
    # ranges: kind's and flannel's 10.244/16, GKE's 10.x, Calico's 192.168/16).
    pod_addresses = [ipaddress.ip_address(a) for a in ("10.244.1.17", "10.8.3.4", "192.168.7.9")]
    for name in ("gateway", *SERVICE_NAMES):
        trusted = networks(effective_env(docs, name)["AGORA_TRUSTED_PROXIES"])
        for address in pod_addresses:
            assert any(address in network for network in trusted), (name, str(address))
    services_trust = networks(effective_env(docs, "users")["AGORA_TRUSTED_PROXIES"])
    gateway_trusts = networks(effective_env(docs, "gateway")["AGORA_TRUSTED_PROXIES"])
    for network in services_trust:  # the gateways believe at least whom the services believe
        assert any(
            network.network_address in g and network.broadcast_address in g for g in gateway_trusts
        ), str(network)


def test_the_edge_is_ready_through_a_gateway_and_alive_on_its_own(docs: list[Doc]) -> None:
    container = named(docs, "Deployment", "edge")["spec"]["template"]["spec"]["containers"][0]
    # Ready: a gateway answers /status through it (HAProxy's 503 while it has none).
    assert container["readinessProbe"]["httpGet"] == {"path": "/status", "port": "http"}
    # Alive and started: HAProxy's own exporter (its global scope: a few kB, not every server
    # slot), so an outage of the gateways does not restart the edges and back them off.
    for probe in ("livenessProbe", "startupProbe"):
        get = container[probe]["httpGet"]
        assert get["port"] == "http", probe
        assert get["path"].partition("?")[0] == "/metrics", probe
        assert "scope=global" in get["path"], probe


def test_the_edge_runs_no_more_haproxy_threads_than_its_cpu_limit(docs: list[Doc]) -> None:
    container = named(docs, "Deployment", "edge")["spec"]["template"]["spec"]["containers"][0]
    threads = int(effective_env(docs, "edge")["AGORA_EDGE_THREADS"])
    limit = str(container["resources"]["limits"]["cpu"])
    cpus = int(limit[:-1]) / 1000 if limit.endswith("m") else float(limit)
    # 0 would be HAProxy's default: one thread per CPU of the node, whatever the limit.
    assert 1 <= threads <= max(cpus, 1)


def test_the_edge_service_is_an_address_to_point_a_load_balancer_at(docs: list[Doc]) -> None:
    service = named(docs, "Service", "edge")
    assert service["spec"].get("clusterIP") != "None"  # one address, balanced over the edges
    (port,) = service["spec"]["ports"]
    assert port["targetPort"] == "http"
    # The Ingress reaches the gateways, not the edge: behind ingress-nginx every client would be
    # the controller's address to the edge, which believes no one's X-Forwarded-For.
    (ingress,) = of_kind(docs, "Ingress")
    backends = {
        p["backend"]["service"]["name"]
        for r in ingress["spec"]["rules"]
        for p in r["http"]["paths"]
    }
    assert backends == {"gateway"}


# ------------------------------------------------------------------ Compose

AGORA_SERVICES = {
    name: spec for name, spec in COMPOSE["services"].items() if "${AGORA_IMAGE" in spec["image"]
}


def _port(spec: dict[str, Any]) -> int:
    return int(spec["environment"]["AGORA_PORT"])


def test_compose_runs_two_replicas_of_every_service_on_ports_of_their_own() -> None:
    for name in SERVICE_NAMES:
        assert AGORA_SERVICES[f"{name}-1"]["command"] == ["serve", name]
        # ...but one warehouse, the single writer of its DuckDB file.
        assert (f"{name}-2" in AGORA_SERVICES) == (name != "warehouse"), name
    ports = [_port(s) for s in AGORA_SERVICES.values()]
    assert len(ports) == len(set(ports))
    assert not {5432, 6379} & {*ports, 55432, 56379}  # the machine's own servers keep theirs
    assert all(s["network_mode"] == "host" for s in COMPOSE["services"].values())


def test_compose_services_wait_for_migrations_and_have_healthchecks() -> None:
    for name, spec in AGORA_SERVICES.items():
        if name == "migrate":
            assert spec["restart"] == "no"
            continue
        assert spec["restart"] == "unless-stopped"
        assert "/status" in " ".join(spec["healthcheck"]["test"])
        if spec["command"][0] == "serve":
            assert spec["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
            assert spec["depends_on"]["discovery"]["condition"] == "service_healthy"
    assert {"healthcheck"} <= COMPOSE["services"]["postgres"].keys()
    assert {"healthcheck"} <= COMPOSE["services"]["redis"].keys()


def test_only_the_users_service_gets_the_private_key() -> None:
    for name, spec in AGORA_SERVICES.items():
        has_private = "jwt_private_key" in spec["secrets"]
        assert has_private == name.startswith("users-"), name


def test_prometheus_scrapes_every_agora_process() -> None:
    prometheus = yaml.safe_load((ROOT / "deploy/prometheus.yml").read_text())
    targets = {
        t
        for job in prometheus["scrape_configs"]
        for c in job["static_configs"]
        for t in c["targets"]
    }
    # The edge's /metrics is its HAProxy's exporter; migrate is a one-off job.
    expected = {f"127.0.0.1:{_port(s)}" for n, s in AGORA_SERVICES.items() if n != "migrate"}
    assert targets == expected
    assert COMPOSE["services"]["prometheus"]["profiles"] == ["observability"]


def _trusted(spec: dict[str, Any]) -> list[str]:
    trusted: list[str] = json.loads(spec["environment"]["AGORA_TRUSTED_PROXIES"])
    return trusted


def test_compose_puts_the_edge_in_front_of_the_gateway() -> None:
    edge, gateway = AGORA_SERVICES["edge"], AGORA_SERVICES["gateway"]
    assert edge["command"] == ["edge"]
    assert edge["image"] == gateway["image"]
    assert edge["network_mode"] == "host"
    # It starts once the gateway answers, and finds it (and the replicas) in discovery.
    assert edge["depends_on"]["gateway"]["condition"] == "service_healthy"
    assert edge["depends_on"]["discovery"]["condition"] == "service_healthy"
    discovery = f"http://127.0.0.1:{_port(AGORA_SERVICES['discovery'])}"
    assert edge["environment"]["AGORA_DISCOVERY_URL"] == discovery
    # Healthy when the gateway's /status answers through it, as the others' checks.
    assert edge["healthcheck"]["test"] == gateway["healthcheck"]["test"]
    # Its data directory (HAProxy's file and runtime socket) is the container's writable tmpfs.
    assert edge["read_only"] is True
    assert any(t.startswith("/var/lib/agora:uid=10001") for t in edge["tmpfs"])
    # The first hop believes no one (every client is 127.0.0.1 here); the gateway and the
    # services believe the edge, which connects from its AGORA_HOST.
    assert _trusted(edge) == []
    edge_address = ipaddress.ip_address(edge["environment"]["AGORA_HOST"])
    for name, spec in AGORA_SERVICES.items():
        if name in {"edge", "migrate"}:
            continue
        trusted = [ipaddress.ip_network(t, strict=False) for t in _trusted(spec)]
        assert any(edge_address in network for network in trusted), name
