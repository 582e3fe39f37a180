# Prometheus from Debian bookworm, for the Compose stack's `observability` profile: it scrapes the
# /metrics of every Agora process (deploy/prometheus.yml, mounted at run time).
ARG BASE_IMAGE=agora-base:bookworm
FROM ${BASE_IMAGE}
# The version is the one bookworm ships (the base image fixes the suite). The user exists before
# the package makes it, so that its uid is a known number (990: the package's postinst wants a
# system uid).
# hadolint ignore=DL3008
RUN useradd --system --uid 990 --user-group --home-dir /var/lib/prometheus --shell /usr/sbin/nologin prometheus \
    && apt-get update \
    && apt-get install --yes --no-install-recommends prometheus \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
    && install -d -o prometheus -g prometheus /var/lib/agora-prometheus
USER 990:990
ENTRYPOINT ["/usr/bin/prometheus"]
