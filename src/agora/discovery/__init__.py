"""The discovery service (seeds 001, 003): instances register, heartbeat and expire; state in
Redis."""
