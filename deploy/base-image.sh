#!/usr/bin/env bash
# Builds the base image every Agora image starts from: Debian bookworm (minbase) with Python 3.11
# and HAProxy (for `agora edge`), made here with debootstrap and `docker import`, because no
# container registry can be reached.
#
#   deploy/base-image.sh [TAG]        (default agora-base:bookworm; skipped when the tag exists)
#
# The Debian mirror is the one apt on this machine uses (DEBIAN_MIRROR overrides it).
set -euo pipefail

TAG="${1:-agora-base:bookworm}"
FORCE="${FORCE:-0}"

# The image is labelled with this script's hash: a base made by another version of it (one
# without haproxy, say) is made again, and so is every image built from it (deploy/image.sh
# hashes this script into their tags).
inputs="$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-12)"
if [[ "$FORCE" != 1 ]] && docker image inspect "$TAG" >/dev/null 2>&1; then
  built="$(docker image inspect -f '{{index .Config.Labels "org.agora.base-inputs"}}' "$TAG" 2>/dev/null || true)"
  if [[ "$built" == "$inputs" ]]; then
    echo "base image $TAG exists (FORCE=1 rebuilds it)"
    exit 0
  fi
  echo "base image $TAG was made by another version of $0: making it again"
fi
command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install debootstrap" >&2; exit 1; }

mirror="${DEBIAN_MIRROR:-}"
if [[ -z "$mirror" && -f /etc/apt/sources.list.d/debian.sources ]]; then
  mirror="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)"
fi
if [[ -z "$mirror" && -f /etc/apt/sources.list ]]; then
  mirror="$(awk '$1 == "deb" && $3 == "bookworm" {print $2; exit}' /etc/apt/sources.list)"
fi

root="$(mktemp -d /tmp/agora-rootfs.XXXXXX)"
trap 'rm -rf "$root"' EXIT

# python3 is 3.11 on bookworm; python3-venv brings ensurepip, which the builder stage needs to make
# the virtualenv (the final stage copies the virtualenv and never runs pip). haproxy (2.6) is what
# `agora edge` runs as its child (decision 0050); its package's own service never starts (no init).
# shellcheck disable=SC2086
debootstrap --variant=minbase --include=python3,python3-venv,haproxy \
  bookworm "$root" ${mirror:+"$mirror"}

# What an image never needs: the apt lists and caches, documentation, man pages, other locales.
cat >"$root/etc/dpkg/dpkg.cfg.d/01-agora-slim" <<'EOF'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-include=/usr/share/locale/locale.alias
EOF
cat >"$root/etc/apt/apt.conf.d/01-agora-slim" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
EOF
find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
rm -rf "$root/usr/share/man/"* "$root/usr/share/info/"* "$root/var/lib/apt/lists/"* \
  "$root/var/cache/apt/"*.bin "$root/var/cache/apt/archives/"*.deb "$root/var/log/"*
find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +
# glibc's iconv modules (Python has its own codecs) and the parts of the standard library a server
# never imports: the image stays well under its 250 MB budget.
rm -rf "$root/usr/lib/x86_64-linux-gnu/gconv" "$root/usr/lib/python3.11/lib2to3" \
  "$root/usr/lib/python3.11/pydoc_data" "$root/var/cache/debconf/"*-old "$root/var/lib/dpkg/"*-old

tar -C "$root" --numeric-owner -c . | docker import \
  --change 'ENV LANG=C.UTF-8' \
  --change "LABEL org.agora.base-inputs=$inputs" \
  --change 'CMD ["/bin/bash"]' \
  - "$TAG"
docker image ls "$TAG"
