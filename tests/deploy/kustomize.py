"""Render a Kustomize overlay: with `kubectl kustomize` when it is installed, else with the small
renderer below, which knows exactly the features deploy/k8s uses (resources, components,
namespace, labels without selectors, images, configMapGenerator literals, strategic-merge patches
by kind and name). The tests check the two agree wherever kubectl exists.

    python -m tests.deploy.kustomize deploy/k8s/overlays/prod > prod.yaml
"""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]  # PyYAML ships no stubs; types-PyYAML is not a dependency

Doc = dict[str, Any]

# Kinds whose namespace the overlay sets (every kind deploy/k8s has is namespaced).
_PATHS_WITH_IMAGES = ("containers", "initContainers")


def kubectl_render(path: Path) -> list[Doc] | None:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        return None
    out = subprocess.run(  # noqa: S603 - our own paths
        [kubectl, "kustomize", str(path)], check=True, capture_output=True, text=True
    ).stdout
    return [d for d in yaml.safe_load_all(out) if d]


def _load(path: Path) -> list[Doc]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d]


def _merge(base: Any, patch: Any) -> Any:
    """Strategic merge as deploy/k8s uses it: maps merge, lists of named maps merge by name."""
    if isinstance(base, dict) and isinstance(patch, dict):
        merged = dict(base)
        for key, value in patch.items():
            merged[key] = _merge(base[key], value) if key in base else copy.deepcopy(value)
        return merged
    if (
        isinstance(base, list)
        and isinstance(patch, list)
        and all(isinstance(i, dict) and "name" in i for i in [*base, *patch])
    ):
        by_name = {item["name"]: item for item in base}
        merged_list = [_merge(by_name[i["name"]], i) if i["name"] in by_name else i for i in patch]
        patched = {i["name"] for i in patch}
        return [i for i in base if i["name"] not in patched] + merged_list
    return copy.deepcopy(patch)


def _build(path: Path) -> list[Doc]:
    kustomization = yaml.safe_load((path / "kustomization.yaml").read_text())
    docs: list[Doc] = []
    for entry in kustomization.get("resources", []):
        target = path / entry
        docs += _build(target) if target.is_dir() else _load(target)
    for generator in kustomization.get("configMapGenerator", []):
        data = dict(literal.split("=", 1) for literal in generator.get("literals", []))
        docs.append(
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": generator["name"]},
                "data": data,
            }
        )
    for component in kustomization.get("components", []):
        comp = yaml.safe_load((path / component / "kustomization.yaml").read_text())
        for entry in comp.get("resources", []):
            docs += _load(path / component / entry)
        docs = _patch(docs, path / component, comp.get("patches", []))
    docs = _patch(docs, path, kustomization.get("patches", []))
    for pairs in kustomization.get("labels", []):
        if pairs.get("includeSelectors"):
            raise ValueError("this renderer does not rewrite selectors")
        for doc in docs:
            doc.setdefault("metadata", {}).setdefault("labels", {}).update(pairs["pairs"])
            template = doc.get("spec", {}).get("template")
            if pairs.get("includeTemplates") and template is not None:
                template.setdefault("metadata", {}).setdefault("labels", {}).update(pairs["pairs"])
    if "namespace" in kustomization:
        for doc in docs:
            doc["metadata"]["namespace"] = kustomization["namespace"]
    for image in kustomization.get("images", []):
        for doc in docs:
            _set_image(doc, image)
    return docs


def _patch(docs: list[Doc], path: Path, patches: list[Doc]) -> list[Doc]:
    for entry in patches:
        for patch in _load(path / entry["path"]):
            key = (patch["kind"], patch["metadata"]["name"])
            found = [i for i, d in enumerate(docs) if (d["kind"], d["metadata"]["name"]) == key]
            if not found:
                raise ValueError(f"patch {entry['path']}: no {key[0]} named {key[1]}")
            for index in found:
                docs[index] = _merge(docs[index], patch)
    return docs


def _set_image(doc: Doc, image: Doc) -> None:
    spec = doc.get("spec", {})
    pod = spec.get("template", {}).get("spec")
    if pod is None:
        return
    for field in _PATHS_WITH_IMAGES:
        for container in pod.get(field, []):
            if container["image"].split(":")[0] == image["name"]:
                name = image.get("newName", image["name"])
                tag = image.get("newTag")
                container["image"] = f"{name}:{tag}" if tag else name


def python_render(path: Path) -> list[Doc]:
    return _build(path)


def render(path: Path) -> list[Doc]:
    return kubectl_render(path) or python_render(path)


def main() -> None:
    docs = render(Path(sys.argv[1]))
    sys.stdout.write(yaml.safe_dump_all(docs, sort_keys=False))


if __name__ == "__main__":
    main()
