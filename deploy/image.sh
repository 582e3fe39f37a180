#!/usr/bin/env bash
# `make image`: the Agora image and the Compose stack's data image, built here without a registry.
#
#   deploy/image.sh            build what is missing; prints the tags
#   deploy/image.sh --print    print the tag this tree's inputs build, build nothing
#
# The image is tagged agora:<hash of its inputs> (and agora:latest); when that tag exists the build
# is skipped, so CI rebuilds only when src/, pyproject.toml, constraints.txt or the Dockerfile
# changed. The wheelhouse of dependencies is kept in build/wheelhouse/ per constraints.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3.11}"
BASE_IMAGE="${AGORA_BASE_IMAGE:-agora-base:bookworm}"

inputs_hash() {
  # Content of every input file, named, in a stable order (untracked files under src/ count too).
  { git ls-files --cached --others --exclude-standard -- "$@" 2>/dev/null || find "$@" -type f; } \
    | LC_ALL=C sort | while read -r f; do [[ -f "$f" ]] && printf '%s %s\n' "$f" "$(sha256sum <"$f")"; done \
    | sha256sum | cut -c1-12
}
app_tag="agora:$(inputs_hash src pyproject.toml constraints.txt README.md deploy/Dockerfile deploy/base-image.sh deploy/wheelhouse-extra.txt)"
data_tag="agora-data:$(inputs_hash deploy/data.Dockerfile deploy/data deploy/base-image.sh)"
prom_tag="agora-prometheus:$(inputs_hash deploy/prometheus.Dockerfile deploy/base-image.sh)"

if [[ "${1:-}" == "--print" ]]; then
  echo "AGORA_IMAGE=$app_tag"
  echo "AGORA_DATA_IMAGE=$data_tag"
  echo "AGORA_PROMETHEUS_IMAGE=$prom_tag"
  exit 0
fi

exists() { docker image inspect "$1" >/dev/null 2>&1; }

bash deploy/base-image.sh "$BASE_IMAGE"

if exists "$app_tag"; then
  echo "$app_tag exists: nothing to build"
else
  ctx=build/image
  deps_stamp="build/wheelhouse/.deps-$(cat pyproject.toml constraints.txt deploy/wheelhouse-extra.txt | sha256sum | cut -c1-12)"
  if [[ ! -f "$deps_stamp" ]]; then
    rm -rf build/wheelhouse && mkdir -p build/wheelhouse
    # Runtime dependencies only (no [dev] extra), at the versions constraints.txt locks.
    "$PYTHON" -m pip wheel --quiet --disable-pip-version-check -c constraints.txt \
      -w build/wheelhouse . -r deploy/wheelhouse-extra.txt
    rm -f build/wheelhouse/agora-*.whl
    touch "$deps_stamp"
  fi
  rm -rf "$ctx" && mkdir -p "$ctx/deps" "$ctx/app"
  cp build/wheelhouse/*.whl "$ctx/deps/"
  "$PYTHON" -m pip wheel --quiet --disable-pip-version-check --no-deps -w "$ctx/app" .
  # The network is for apt (binutils in the builder stage); pip installs from the wheelhouse only.
  docker build --network host --build-arg "BASE_IMAGE=$BASE_IMAGE" -f deploy/Dockerfile \
    -t "$app_tag" -t agora:latest "$ctx"
fi

if exists "$data_tag"; then
  echo "$data_tag exists: nothing to build"
else
  # apt inside the build reaches Debian's packages over the host's network.
  docker build --network host --build-arg "BASE_IMAGE=$BASE_IMAGE" -f deploy/data.Dockerfile \
    -t "$data_tag" -t agora-data:latest deploy
fi

if [[ "${AGORA_OBSERVABILITY:-0}" == 1 ]]; then
  if exists "$prom_tag"; then
    echo "$prom_tag exists: nothing to build"
  else
    docker build --network host --build-arg "BASE_IMAGE=$BASE_IMAGE" \
      -f deploy/prometheus.Dockerfile -t "$prom_tag" -t agora-prometheus:latest deploy
  fi
fi
docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E "^(${app_tag}|${data_tag}) "
