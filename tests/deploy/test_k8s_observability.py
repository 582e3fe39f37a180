"""The Kubernetes side of the standard observability stack (components/observability, in the
`observability` overlay), checked offline on what `kubectl kustomize` renders: every Agora pod
sends its traces to Jaeger, Filebeat reads Agora's container logs and decodes them as the Compose
profile does, Prometheus may discover what its scrape config asks for and finds Agora's pods by
the annotations they carry, Grafana's sources and dashboard name real Services and real metrics,
and the stack's pods are pinned, bounded and locked down like Agora's."""

from __future__ import annotations

import fnmatch
import json
import re
from pathlib import Path

import pytest
import yaml

from agora.platform.metrics import HttpMetrics
from tests.deploy.test_manifests import OVERLAYS, ROOT, Doc, is_agoras, of_kind, render

OVERLAY = ROOT / "deploy/k8s/overlays/observability"
COMPOSE = yaml.safe_load((ROOT / "deploy/compose.yaml").read_text())
COMPOSE_FILEBEAT = yaml.safe_load((ROOT / "deploy/observability/filebeat.yml").read_text())
STACK = {
    ("StatefulSet", "elasticsearch"),
    ("Deployment", "kibana"),
    ("DaemonSet", "filebeat"),
    ("Deployment", "jaeger"),
    ("StatefulSet", "prometheus"),
    ("Deployment", "grafana"),
}
WORKLOADS = {"Deployment", "StatefulSet", "DaemonSet", "Job"}


@pytest.fixture(scope="module")
def docs() -> list[Doc]:
    return render(OVERLAY)


def _one(docs: list[Doc], kind: str, name: str) -> Doc:
    (doc,) = [d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name]
    return doc


def _pod(doc: Doc) -> Doc:
    pod: Doc = doc["spec"]["template"]["spec"]
    return pod


def _config_file(docs: list[Doc], pod: Doc, volume_name: str, key: str) -> str:
    """The text of `key` in the ConfigMap that the pod mounts as `volume_name`."""
    (volume,) = [v for v in pod["volumes"] if v["name"] == volume_name]
    config = _one(docs, "ConfigMap", volume["configMap"]["name"])
    text: str = config["data"][key]
    return text


def _service_port(docs: list[Doc], url: str) -> tuple[Doc, Doc]:
    """The Service and port that an in-namespace URL (http://NAME:PORT) reaches."""
    match = re.fullmatch(r"http://([a-z0-9-]+):(\d+)/?", url)
    assert match, url
    service = _one(docs, "Service", match[1])
    (port,) = [p for p in service["spec"]["ports"] if p["port"] == int(match[2])]
    return service, port


def _selected_pods(docs: list[Doc], selector: dict[str, str]) -> list[Doc]:
    return [
        d
        for d in docs
        if d["kind"] in WORKLOADS
        and selector.items() <= d["spec"]["template"]["metadata"].get("labels", {}).items()
    ]


def _container_port(workload: Doc, name: str) -> int:
    containers = _pod(workload)["containers"]
    ports = {p["name"]: int(p["containerPort"]) for c in containers for p in c["ports"]}
    return ports[name]


def _reaches(docs: list[Doc], url: str) -> tuple[Doc, int]:
    """The one workload behind an in-namespace URL, and the container port it lands on."""
    service, port = _service_port(docs, url)
    (workload,) = _selected_pods(docs, service["spec"]["selector"])
    return workload, _container_port(workload, port["targetPort"])


def test_the_overlay_is_prod_plus_the_stack_and_the_others_stay_without_it(
    docs: list[Doc],
) -> None:
    stack = {(d["kind"], d["metadata"]["name"]) for d in docs if d["kind"] in WORKLOADS}
    assert stack >= STACK
    prod = render(ROOT / "deploy/k8s/overlays/prod")
    assert [d for d in docs if is_agoras(d)] != []
    assert {(d["kind"], d["metadata"]["name"]) for d in docs if is_agoras(d)} == {
        (d["kind"], d["metadata"]["name"]) for d in prod
    }
    for overlay in OVERLAYS:
        if overlay != OVERLAY:  # dev and prod: no stack, no endpoint (spans stay in the pod)
            rendered = render(overlay)
            assert not {(d["kind"], d["metadata"]["name"]) for d in rendered} & STACK
            config = _one(rendered, "ConfigMap", "agora-config")
            assert "AGORA_OTLP_ENDPOINT" not in config["data"], overlay.name


def test_every_agora_pod_sends_its_traces_to_jaegers_otlp_receiver(docs: list[Doc]) -> None:
    config = _one(docs, "ConfigMap", "agora-config")
    endpoint = config["data"]["AGORA_OTLP_ENDPOINT"]
    agora = [d for d in docs if is_agoras(d) and d["kind"] in WORKLOADS]
    assert {d["metadata"]["name"] for d in agora} >= {"gateway", "users", "agora-migrate"}
    for workload in agora:
        pod = _pod(workload)
        for container in pod["containers"] + pod.get("initContainers", []):
            sources = {e["configMapRef"]["name"] for e in container.get("envFrom", [])}
            explicit = {e["name"] for e in container.get("env", [])}
            assert "agora-config" in sources, workload["metadata"]["name"]
            assert "AGORA_OTLP_ENDPOINT" not in explicit  # nothing overrides the config map
    jaeger, port = _reaches(docs, endpoint)
    assert jaeger["metadata"]["name"] == "jaeger"
    args = _pod(jaeger)["containers"][0]["args"]
    assert "--collector.otlp.enabled=true" in args
    assert f"--collector.otlp.http.host-port=:{port}" in args
    assert port == 4318  # OTLP/HTTP's standard port: what tracing.py's exporter speaks


def test_filebeat_reads_agoras_container_logs_on_every_node(docs: list[Doc]) -> None:
    filebeat = _one(docs, "DaemonSet", "filebeat")
    pod = _pod(filebeat)
    (container,) = pod["containers"]
    args = container["args"]
    config_path = args[args.index("-c") + 1]
    mounts = {m["mountPath"]: m for m in container["volumeMounts"]}
    config_mount = mounts[str(Path(config_path).parent)]
    config = yaml.safe_load(_config_file(docs, pod, config_mount["name"], Path(config_path).name))
    (source,) = config["filebeat.inputs"]
    host_paths = {v["name"]: v["hostPath"]["path"] for v in pod["volumes"] if "hostPath" in v}
    # The kubelet's links and the files they point to are both mounted, read-only, from the node.
    for path in ("/var/log/containers", "/var/log/pods"):
        assert host_paths[mounts[path]["name"]] == path
        assert mounts[path]["readOnly"] is True
    # Its read positions live on the node: a new Filebeat pod does not ship everything again.
    data = args[args.index("--path.data") + 1]
    assert mounts[data]["name"] in host_paths
    # The globs name this namespace (from the downward API) and Agora's containers, and nothing
    # else: the pods of the stack itself are not shipped into it.
    env = {e["name"]: e for e in container["env"]}
    assert env["POD_NAMESPACE"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.namespace"
    namespace = filebeat["metadata"]["namespace"]
    globs = [p.replace("${POD_NAMESPACE}", namespace) for p in source["paths"]]
    assert all(g.startswith("/var/log/containers/") for g in globs)

    def shipped(pod_name: str, container_name: str) -> bool:
        name = f"/var/log/containers/{pod_name}-7d9f8-x2k4q_{namespace}_{container_name}-0a1b.log"
        return any(fnmatch.fnmatch(name, g) for g in globs)

    for workload in docs:
        if workload["kind"] not in WORKLOADS:
            continue
        spec = _pod(workload)
        for c in spec["containers"] + spec.get("initContainers", []):
            assert shipped(workload["metadata"]["name"], c["name"]) == is_agoras(workload), (
                workload["metadata"]["name"],
                c["name"],
            )
    # Decoded exactly as the Compose profile decodes them: the same ECS documents either way.
    assert source["parsers"] == COMPOSE_FILEBEAT["filebeat.inputs"][0]["parsers"]
    assert source["parsers"][1]["ndjson"]["expand_keys"] is True
    assert config["processors"] == COMPOSE_FILEBEAT["processors"]
    assert (
        config["output.elasticsearch"]["index"]
        == (COMPOSE_FILEBEAT["output.elasticsearch"]["index"])
    )
    (es_url,) = config["output.elasticsearch"]["hosts"]
    elasticsearch, port = _reaches(docs, es_url)
    assert elasticsearch["kind"] == "StatefulSet"
    assert port == 9200
    stats = _container_port(filebeat, "stats")
    assert config["http.port"] == stats
    assert container["livenessProbe"]["httpGet"]["port"] == "stats"


def test_prometheus_may_discover_what_it_scrapes(docs: list[Doc]) -> None:
    prometheus = _one(docs, "StatefulSet", "prometheus")
    pod = _pod(prometheus)
    account = pod["serviceAccountName"]
    assert pod["automountServiceAccountToken"] is True  # discovery calls the API
    _one(docs, "ServiceAccount", account)
    config = yaml.safe_load(_config_file(docs, pod, "config", "prometheus.yml"))
    needed = {
        "pod": {"pods"},
        "endpoints": {"endpoints", "services", "pods"},
        "service": {"services"},
    }
    granted: set[str] = set()
    for job in config["scrape_configs"]:
        for sd in job.get("kubernetes_sd_configs", []):
            own_namespace = sd.get("namespaces", {}).get("own_namespace") is True
            bindings = of_kind(docs, "RoleBinding" if own_namespace else "ClusterRoleBinding")
            for binding in bindings:
                if not any(
                    s["kind"] == "ServiceAccount"
                    and s["name"] == account
                    and s["namespace"] == prometheus["metadata"]["namespace"]
                    for s in binding["subjects"]
                ):
                    continue
                role = _one(docs, binding["roleRef"]["kind"], binding["roleRef"]["name"])
                for rule in role["rules"]:
                    if "" in rule["apiGroups"] and {"get", "list", "watch"} <= set(rule["verbs"]):
                        granted |= set(rule["resources"])
            assert needed[sd["role"]] <= granted, (sd, granted)
    assert granted  # at least one discovery, and it is allowed


def _relabel(rules: list[Doc], labels: dict[str, str]) -> dict[str, str] | None:
    """Prometheus's relabelling of one discovered target (keep, drop, replace); None: dropped."""
    labels = dict(labels)
    for rule in rules:
        value = ";".join(labels.get(s, "") for s in rule["source_labels"])
        match = re.fullmatch(rule.get("regex", "(.*)"), value)
        action = rule.get("action", "replace")
        if action == "keep" and not match:
            return None
        if action == "drop" and match:
            return None
        if action == "replace" and match:
            replacement = re.sub(r"\$(\d+)", r"\\\1", rule.get("replacement", "$1"))
            labels[rule["target_label"]] = match.expand(replacement)
    return labels


def _label_name(key: str) -> str:
    """A Kubernetes label or annotation key as Prometheus's discovery names it."""
    return re.sub("[^a-zA-Z0-9_]", "_", key)


def test_prometheus_scrapes_every_agora_pod_once_on_its_metrics_port(docs: list[Doc]) -> None:
    pod = _pod(_one(docs, "StatefulSet", "prometheus"))
    config = yaml.safe_load(_config_file(docs, pod, "config", "prometheus.yml"))
    (job,) = [j for j in config["scrape_configs"] if "kubernetes_sd_configs" in j]
    metric_labels = {"service", "method", "route", "status", "le"}
    for workload in docs:
        if workload["kind"] not in WORKLOADS - {"Job"}:
            continue
        template = workload["spec"]["template"]
        annotations = template["metadata"].get("annotations", {})
        # Pod discovery yields one target per declared container port.
        targets = []
        for container in template["spec"]["containers"]:
            for port in container.get("ports", []):
                meta = {
                    "__address__": f"10.0.0.7:{port['containerPort']}",
                    "__metrics_path__": "/metrics",
                    "__meta_kubernetes_pod_container_port_name": port["name"],
                    "__meta_kubernetes_pod_container_init": "false",
                    "__meta_kubernetes_pod_name": f"{workload['metadata']['name']}-0",
                    "__meta_kubernetes_namespace": "agora",
                }
                for key, value in annotations.items():
                    meta[f"__meta_kubernetes_pod_annotation_{_label_name(key)}"] = value
                for key, value in template["metadata"]["labels"].items():
                    meta[f"__meta_kubernetes_pod_label_{_label_name(key)}"] = value
                kept = _relabel(job["relabel_configs"], meta)
                if kept is not None:
                    targets.append(kept)
        name = workload["metadata"]["name"]
        if not is_agoras(workload):
            assert targets == [], name
            continue
        (target,) = targets  # users pods declare http and grpc: scraped once
        assert target["__address__"] == f"10.0.0.7:{_container_port(workload, 'http')}", name
        assert target["__metrics_path__"] == "/metrics"
        # The target's own labels must not shadow the metrics' (they would become exported_*).
        assert not {k for k in target if not k.startswith("__")} & metric_labels


def _expressions(dashboard: Doc) -> list[str]:
    return [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]


def test_grafana_provisions_the_stacks_sources_and_the_agora_dashboard(docs: list[Doc]) -> None:
    grafana = _one(docs, "Deployment", "grafana")
    pod = _pod(grafana)
    mounts = {m["mountPath"]: m for m in pod["containers"][0]["volumeMounts"]}
    sources_mount = mounts["/etc/grafana/provisioning/datasources/agora.yml"]
    sources = yaml.safe_load(
        _config_file(docs, pod, sources_mount["name"], sources_mount["subPath"])
    )["datasources"]
    by_type = {s["type"]: s for s in sources}
    expected = {"prometheus": ("prometheus", 9090), "jaeger": ("jaeger", 16686)}
    expected["elasticsearch"] = ("elasticsearch", 9200)
    for kind, (workload_name, container_port) in expected.items():
        workload, port = _reaches(docs, by_type[kind]["url"])
        assert (workload["metadata"]["name"], port) == (workload_name, container_port)
    logs = by_type["elasticsearch"]["jsonData"]
    assert logs["index"].rstrip("*") in COMPOSE_FILEBEAT["output.elasticsearch"]["index"]
    assert (logs["timeField"], logs["logLevelField"]) == ("@timestamp", "log.level")

    providers_mount = mounts["/etc/grafana/provisioning/dashboards/agora.yml"]
    (provider,) = yaml.safe_load(
        _config_file(docs, pod, providers_mount["name"], providers_mount["subPath"])
    )["providers"]
    dashboards_mount = mounts[provider["options"]["path"]]
    dashboard = json.loads(_config_file(docs, pod, dashboards_mount["name"], "agora.json"))
    uids = {s["uid"] for s in sources}
    for panel in dashboard["panels"]:
        assert panel["datasource"]["uid"] in uids, panel["title"]
    titles = " | ".join(p["title"].lower() for p in dashboard["panels"])
    for wanted in ("request rate", "error rate", "p99"):
        assert wanted in titles, titles


def test_the_dashboard_queries_only_metrics_and_labels_agora_exports() -> None:
    metrics = HttpMetrics("gateway")
    metrics.observe("GET", "/api/x", 200, 0.01)
    metrics.in_flight.labels("gateway").set(0)
    exported: dict[str, set[str]] = {}
    for family in metrics.registry.collect():
        for sample in family.samples:
            exported.setdefault(sample.name, set()).update(sample.labels)
    path = ROOT / "deploy/k8s/components/observability/grafana/agora.json"
    dashboard = json.loads(path.read_text())
    queries = _expressions(dashboard)
    queries.append(dashboard["templating"]["list"][0]["query"]["query"])
    used_any = set()
    for query in queries:
        names = set(re.findall(r"\b(agora_[a-z_]+)\b", query))
        assert names, query
        for name in names:
            assert name in exported, f"{name} is not a metric Agora exports"
            used_any.add(name)
        grouped = {
            label.strip()
            for group in re.findall(r"by \(([^)]*)\)", query)
            for label in group.split(",")
        }
        selected = set(re.findall(r"([a-z_]+)\s*=~?", query))
        for label in grouped | selected:
            assert any(label in exported[n] for n in names), (label, query)
    assert {
        "agora_http_requests_total",
        "agora_http_request_duration_seconds_bucket",
    } <= used_any
    (p99,) = [q for q in queries if q.startswith("histogram_quantile(0.99")]
    assert "by (service, le)" in p99  # a quantile per service, from the buckets' `le`


def test_the_stacks_pods_are_pinned_bounded_probed_and_locked_down(docs: list[Doc]) -> None:
    compose_images = {
        spec["image"].split("/")[-1].split(":")[0]: spec["image"]
        for spec in COMPOSE["services"].values()
        if "stack" in spec.get("profiles", [])
    }
    for kind, name in STACK:
        workload = _one(docs, kind, name)
        pod = _pod(workload)
        assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault", name
        for container in pod["containers"]:
            image = container["image"]
            assert re.search(r":v?\d+\.\d+\.\d+$", image), f"{name} is not pinned: {image}"
            upstream = image.split("/")[-1].split(":")[0]
            if upstream in compose_images:  # the same version as the Compose profile
                assert image == compose_images[upstream], name
            assert {"cpu", "memory"} <= container["resources"]["requests"].keys(), name
            assert "memory" in container["resources"]["limits"], name
            security = container["securityContext"]
            assert security["allowPrivilegeEscalation"] is False, name
            assert security["capabilities"]["drop"] == ["ALL"], name
            assert "livenessProbe" in container, name
            if kind != "DaemonSet":  # Filebeat serves no one: nothing to be ready for
                assert "readinessProbe" in container, name
        if name == "filebeat":
            # Root, to read the node's root-owned logs, but with no capability and every host
            # path read-only except its own registry.
            writable = {
                m["name"] for m in pod["containers"][0]["volumeMounts"] if not m.get("readOnly")
            }
            host = {v["name"] for v in pod["volumes"] if "hostPath" in v}
            assert writable & host == {"data"}
        else:
            assert pod["securityContext"]["runAsNonRoot"] is True, name
    assert {c for c in compose_images if c != "elasticsearch"} <= {
        _pod(_one(docs, k, n))["containers"][0]["image"].split("/")[-1].split(":")[0]
        for k, n in STACK
    }


def test_state_is_kept_on_volumes_and_services_select_their_pods(docs: list[Doc]) -> None:
    for name in ("elasticsearch", "prometheus"):
        statefulset = _one(docs, "StatefulSet", name)
        (claim,) = statefulset["spec"]["volumeClaimTemplates"]
        mounts = {m["name"] for m in _pod(statefulset)["containers"][0]["volumeMounts"]}
        assert claim["metadata"]["name"] in mounts, name
        _one(docs, "Service", statefulset["spec"]["serviceName"])
    stack_services = [d for d in of_kind(docs, "Service") if not is_agoras(d)]
    assert {s["metadata"]["name"] for s in stack_services} == {
        "elasticsearch",
        "kibana",
        "jaeger",
        "prometheus",
        "grafana",
    }
    for service in stack_services:
        (workload,) = _selected_pods(docs, service["spec"]["selector"])
        for port in service["spec"]["ports"]:
            _container_port(workload, port["targetPort"])


def test_only_the_stack_reaches_the_unauthenticated_elasticsearch(docs: list[Doc]) -> None:
    (policy,) = of_kind(docs, "NetworkPolicy")
    (elasticsearch,) = _selected_pods(docs, policy["spec"]["podSelector"]["matchLabels"])
    assert elasticsearch["metadata"]["name"] == "elasticsearch"
    (rule,) = policy["spec"]["ingress"]
    allowed = {
        w["metadata"]["name"]
        for peer in rule["from"]
        for w in _selected_pods(docs, peer["podSelector"]["matchLabels"])
    }
    assert allowed == {"filebeat", "kibana", "grafana"}
    assert [p["port"] for p in rule["ports"]] == ["http"]
    assert _container_port(elasticsearch, "http") == 9200
