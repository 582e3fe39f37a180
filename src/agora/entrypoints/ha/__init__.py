"""`agora cluster up --ha`: the cluster's PostgreSQL as Patroni members over an etcd quorum behind
HAProxy (and, with it, Redis under Sentinel), started from Debian's packages in the cluster's work
dir, on loopback ports of its own. See docs/decisions/0016-high-availability-engines.md."""
