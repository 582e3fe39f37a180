# PostgreSQL 15 and Redis 7 from Debian bookworm, for the Compose stack only (Kubernetes uses
# operators: docs/deploy.md). One image, two roles: `postgres` and `redis` (deploy/data/run).
# This is the single-node stand-in until the HA data layer (Patroni + etcd + HAProxy, Redis with
# failover) exists.
ARG BASE_IMAGE=agora-base:bookworm
FROM ${BASE_IMAGE}
# The versions are the ones bookworm ships (the base image fixes the suite); apt pins nothing finer.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install --yes --no-install-recommends postgresql-15 redis-server \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
    && install -d -o postgres -g postgres /var/lib/agora-data/postgres \
    && install -d -o redis -g redis /var/lib/agora-data/redis
COPY data/run /usr/local/bin/agora-data
ENTRYPOINT ["/usr/local/bin/agora-data"]
