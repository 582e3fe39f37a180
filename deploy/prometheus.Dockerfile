# Prometheus from Debian bookworm, for the Compose stack's `observability` profile: it scrapes the
# /metrics of every Agora process (deploy/prometheus.yml, mounted at run time).
ARG BASE_IMAGE=agora-base:bookworm
FROM ${BASE_IMAGE}
# The version is the one bookworm ships (the base image fixes the suite).
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install --yes --no-install-recommends prometheus \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
    && install -d -o prometheus -g prometheus /var/lib/agora-prometheus
USER prometheus
ENTRYPOINT ["/usr/bin/prometheus"]
