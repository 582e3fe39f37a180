#!/usr/bin/env bash
# `make compose-secrets`: a JWT key pair for the Compose stack, made by the image's own
# `agora keys generate`, readable by the image's user (uid 10001) only. Refuses to overwrite a key:
# rotating is a deliberate step (docs/deploy.md).
#   deploy/compose-secrets.sh [DIR]     (default deploy/secrets, or AGORA_SECRETS_DIR)
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-${AGORA_SECRETS_DIR:-deploy/secrets}}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
if [[ -f "$dir/jwt-ed25519-private.pem" ]]; then
  echo "$dir/jwt-ed25519-private.pem exists: keeping it"
  exit 0
fi
docker run --rm --network none --user 0 --entrypoint sh -v "$dir:/keys" "${AGORA_IMAGE:-agora:latest}" \
  -c 'agora keys generate /keys >/dev/null && chown 10001:10001 /keys/*.pem && chmod 0400 /keys/jwt-ed25519-private.pem'
echo "JWT keys in $dir"
