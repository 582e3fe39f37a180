"""The deployment's standard observability stack (compose profile `stack`), checked offline:
Filebeat reads Agora's ECS lines as ECS, Jaeger takes the OTLP/HTTP that AGORA_OTLP_ENDPOINT
names, Grafana reads the Prometheus, Jaeger and Elasticsearch of the same file."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "deploy/compose.yaml").read_text())
FILEBEAT = yaml.safe_load((ROOT / "deploy/observability/filebeat.yml").read_text())
GRAFANA = yaml.safe_load((ROOT / "deploy/observability/grafana/datasources.yml").read_text())
STACK = {"elasticsearch", "kibana", "filebeat", "jaeger", "grafana"}


def _service(name: str) -> dict[str, Any]:
    spec: dict[str, Any] = COMPOSE["services"][name]
    return spec


def _flag(name: str, flag: str) -> str:
    command: list[str] = _service(name)["command"]
    (value,) = [a.split("=", 1)[1] for a in command if a.startswith(flag + "=")]
    return value


def test_the_stack_is_a_profile_of_pinned_images_on_loopback() -> None:
    for name in STACK:
        spec = _service(name)
        assert spec["profiles"] == ["stack"], name
        assert spec["network_mode"] == "host", name
        image = spec["image"]
        assert re.search(r":\d+\.\d+\.\d+$", image), f"{name} is not pinned: {image}"
    # The default and observability profiles (what compose-test starts) do not pull them.
    assert all(
        "stack" not in s.get("profiles", [])
        for n, s in COMPOSE["services"].items()
        if n not in STACK
    )
    assert _service("elasticsearch")["environment"]["network.host"] == "127.0.0.1"
    assert _flag("jaeger", "--query.http-server.host-port").startswith("127.0.0.1:")


def test_filebeat_turns_agora_lines_into_ecs_documents() -> None:
    (source,) = FILEBEAT["filebeat.inputs"]
    parsers = source["parsers"]
    assert "container" in parsers[0]  # Docker's json-file envelope first
    ndjson = parsers[1]["ndjson"]
    assert ndjson["target"] == ""  # Agora's fields at the top of the event...
    assert ndjson["expand_keys"] is True  # ...`http.request.method` as ECS's nested objects
    assert ndjson["message_key"] == "message"
    es_port = _service("elasticsearch")["environment"]["http.port"]
    assert FILEBEAT["output.elasticsearch"]["hosts"] == [f"http://127.0.0.1:{es_port}"]
    volumes = _service("filebeat")["volumes"]
    assert "./observability/filebeat.yml:/etc/agora/filebeat.yml:ro" in volumes
    assert any(v.startswith("/var/lib/docker/containers:") for v in volumes)


def test_agora_sends_traces_where_jaeger_listens() -> None:
    env = COMPOSE["x-agora-env"]
    assert env["AGORA_OTLP_ENDPOINT"] == "${AGORA_OTLP_ENDPOINT:-}"
    otlp = _flag("jaeger", "--collector.otlp.http.host-port")
    assert otlp == "127.0.0.1:14318"
    assert f"AGORA_OTLP_ENDPOINT=http://{otlp}" in (ROOT / "deploy/compose.yaml").read_text()


def test_grafana_reads_the_stacks_own_sources() -> None:
    sources = {s["type"]: s for s in GRAFANA["datasources"]}
    prometheus_port = next(
        a.rsplit(":", 1)[1] for a in _service("prometheus")["command"] if "listen-address" in a
    )
    assert sources["prometheus"]["url"] == f"http://127.0.0.1:{prometheus_port}"
    jaeger_query = _flag("jaeger", "--query.http-server.host-port")
    assert sources["jaeger"]["url"] == f"http://{jaeger_query}"
    es_port = _service("elasticsearch")["environment"]["http.port"]
    assert sources["elasticsearch"]["url"] == f"http://127.0.0.1:{es_port}"
    assert sources["elasticsearch"]["jsonData"]["timeField"] == "@timestamp"
    assert sources["elasticsearch"]["jsonData"]["logLevelField"] == "log.level"
    mounts = _service("grafana")["volumes"]
    assert any("provisioning/datasources" in m for m in mounts)


def test_grafana_shows_the_same_agora_dashboard_as_on_kubernetes() -> None:
    mounts = dict(m.rsplit(":", 1)[0].split(":", 1) for m in _service("grafana")["volumes"])
    providers = mounts["./k8s/components/observability/grafana/dashboards.yml"]
    assert providers.startswith("/etc/grafana/provisioning/dashboards/")
    (provider,) = yaml.safe_load(
        (ROOT / "deploy/k8s/components/observability/grafana/dashboards.yml").read_text()
    )["providers"]
    dashboard_file = ROOT / "deploy/k8s/components/observability/grafana/agora.json"
    assert mounts["./k8s/components/observability/grafana/agora.json"] == (
        f"{provider['options']['path']}/agora.json"
    )
    dashboard = json.loads(dashboard_file.read_text())
    uids = {s["uid"] for s in GRAFANA["datasources"]}
    for panel in dashboard["panels"]:
        assert panel["datasource"]["uid"] in uids, panel["title"]
